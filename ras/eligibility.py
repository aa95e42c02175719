"""Care Act eligibility: adults (reg. 2) and carers (reg. 3) of SI 2015/313.

The reason is given in plain words a person can follow; `rule` says where it comes from.
"""

from __future__ import annotations

from ras.messages import engine_messages, say
from ras.models import (
    CARER_OUTCOME_IDS,
    CARER_REG3_FIELDS,
    OUTCOME_IDS,
    AssessmentRecord,
    CarerEligibility,
    CarerRecord,
    Eligibility,
)
from ras.policy.model import PolicyAt

ADULT_RULE = "Care and Support (Eligibility Criteria) Regulations 2015, reg. 2"
CARER_RULE = "Care and Support (Eligibility Criteria) Regulations 2015, reg. 3"

CARER_OUTCOME_WORDS = {o: say(f"eligibility.carer_outcomes.{o}") for o in CARER_OUTCOME_IDS}
"""The reg. 3(2) outcomes in a person's words (`ras/messages.en.yaml`, `eligibility.carer_outcomes`)."""


def _listing(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {say('eligibility.and')} " + items[-1]


def _these(items: list[str], limit: int = 20) -> str:
    """A short sentence naming the things: as many as fit in `limit` words, then how many more."""
    if len(" ".join(items).split()) + len(items) <= limit:
        return say("eligibility.they_are", things=_listing(items))
    shown: list[str] = []
    for item in items:
        if len(" ".join([*shown, item]).split()) + len(shown) + 4 > limit:
            break
        shown.append(item)
    shown = shown or items[:1]
    return say("eligibility.they_include", things=", ".join(shown), more=len(items) - len(shown))


def adult_eligibility(record: AssessmentRecord, policy: PolicyAt) -> Eligibility:
    """reg. 2: impairment or illness; unable to achieve two or more outcomes; significant impact on wellbeing.

    The reason is in short sentences (25 words at most), for the person to read.
    """
    needed = policy.general.min_unable_outcomes
    count = len(record.unable_outcomes)
    conditions = {
        "impairment_or_illness": record.impairment,
        "unable_to_achieve_outcomes": count >= needed,
        "significant_impact_on_wellbeing": record.wellbeing_impact,
    }
    # in the regulation's order, whatever order they were given in: the same answers, the same words
    names = [policy.outcomes[o].person_name for o in OUTCOME_IDS if o in record.unable_outcomes]
    if all(conditions.values()):
        sentences = engine_messages().lines("eligibility.adult.eligible", count=count, these=_these(names))
    else:
        sentences = [say("eligibility.adult.not_eligible")]
        if not record.impairment:
            sentences.append(say("eligibility.adult.no_illness"))
        if count < needed:
            sentences.append(say("eligibility.adult.too_few", needed=needed))
            if count == 0:
                sentences.append(say("eligibility.adult.none_heard"))
            else:
                sentences.append(say("eligibility.adult.heard", count=count, things=_listing(names)))
        if not record.wellbeing_impact:
            sentences.append(say("eligibility.adult.no_impact"))
        sentences += engine_messages().lines("eligibility.adult.next")
    return Eligibility(eligible=all(conditions.values()), conditions=conditions, reason=" ".join(sentences), rule=ADULT_RULE)


def carer_eligibility(record: CarerRecord) -> CarerEligibility:
    """reg. 3: needs from caring; health at risk or unable to achieve any one outcome; impact on wellbeing.

    A carer can be eligible when the person cared for is not. An answer not known
    (`record.not_known`, ras-carer/2) is never read as a no: when the known answers do not
    meet reg. 3 but the ones not known could, the result is not known yet, and says which
    answers are missing.
    """
    unknown = set(record.not_known or ())
    unable = list(record.unable_outcomes)
    second = record.health_at_risk or bool(unable)
    conditions: dict[str, bool | None] = {
        "needs_arise_from_caring": record.needs_from_caring,
        "health_at_risk_or_unable_to_achieve": second,
        "significant_impact_on_wellbeing": record.wellbeing_impact,
    }
    # the answers not known that could still meet a condition the known answers do not
    could: dict[str, list[str]] = {
        "health_at_risk_or_unable_to_achieve": [f for f in ("health_at_risk", "unable_outcomes") if f in unknown],
        "significant_impact_on_wellbeing": ["wellbeing_impact"] if "wellbeing_impact" in unknown else [],
    }
    failing = [k for k, v in conditions.items() if not v]
    open_ = failing and all(could.get(k) for k in failing)
    names = [CARER_OUTCOME_WORDS[o] for o in unable]
    missing: list[str] = []
    if all(conditions.values()):
        sentences = []
        if record.health_at_risk:
            sentences.append(say("eligibility.carer.health"))
        if names:
            sentences.append(say("eligibility.carer.things", count=len(names)))
            sentences.append(_these(names))
        sentences += engine_messages().lines("eligibility.carer.eligible")
    elif open_:
        for k in failing:
            conditions[k] = None
            missing += could[k]
        missing = [f for f in CARER_REG3_FIELDS if f in missing]
        words = [say(f"eligibility.carer.unknown.{f}") for f in missing]
        sentences = [say("eligibility.carer.not_known"), say("eligibility.carer.missing", answers=_listing(words))]
        sentences += engine_messages().lines("eligibility.carer.not_known_next")
    else:
        sentences = [say("eligibility.carer.not_eligible")]
        if not record.needs_from_caring:
            sentences.append(say("eligibility.carer.not_from_caring"))
        if not second:
            sentences.append(say("eligibility.carer.no_risk"))
        if not record.wellbeing_impact:
            sentences.append(say("eligibility.carer.no_impact"))
        sentences += engine_messages().lines("eligibility.carer.next")
    reason = " ".join(sentences)
    return CarerEligibility(
        eligible=all(conditions.values()), conditions=conditions, reason=reason, rule=CARER_RULE, not_known=tuple(missing)
    )

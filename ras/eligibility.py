"""Care Act eligibility: adults (reg. 2) and carers (reg. 3) of SI 2015/313.

The reason is given in plain words a person can follow; `rule` says where it comes from.
"""

from __future__ import annotations

from ras.models import OUTCOME_IDS, AssessmentRecord, CarerRecord, Eligibility
from ras.policy.model import PolicyAt

ADULT_RULE = "Care and Support (Eligibility Criteria) Regulations 2015, reg. 2"
CARER_RULE = "Care and Support (Eligibility Criteria) Regulations 2015, reg. 3"

CARER_OUTCOME_WORDS = {
    "child_care": "looking after a child",
    "caring_for_others": "caring for other people",
    "home_habitable": "keeping your home clean and safe to live in",
    "nutrition": "eating well",
    "relationships": "seeing family and friends",
    "work_education": "work, learning or helping out",
    "community_services": "getting out to shops and places nearby",
    "recreation": "having time for yourself",
}


def _listing(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _these(items: list[str], limit: int = 20) -> str:
    """A short sentence naming the things: as many as fit in `limit` words, then how many more."""
    if len(" ".join(items).split()) + len(items) <= limit:
        return f"They are {_listing(items)}."
    shown: list[str] = []
    for item in items:
        if len(" ".join([*shown, item]).split()) + len(shown) + 4 > limit:
            break
        shown.append(item)
    shown = shown or items[:1]
    return f"They include {', '.join(shown)} and {len(items) - len(shown)} more."


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
        sentences = [
            f"You told us about {count} everyday things that are hard for you.",
            _these(names),
            "This comes from your health or a disability.",
            "It is having a big effect on your life.",
            "So the law says the council should help to meet these needs.",
        ]
    else:
        sentences = ["From what you told us, the council is not likely to pay for support right now."]
        if not record.impairment:
            sentences.append("The help you need does not seem to come from an illness, a disability or your health.")
        if count < needed:
            sentences.append(f"The law asks for at least {needed} everyday things you cannot do without help.")
            if count == 0:
                sentences.append("We did not hear of any.")
            else:
                sentences.append(f"We heard of {count}: {_listing(names)}.")
        if not record.wellbeing_impact:
            sentences.append("It does not seem to be having a big effect on your life right now.")
        sentences += ["A worker will check this with you.", "You can still get advice and help to find support near you."]
    return Eligibility(eligible=all(conditions.values()), conditions=conditions, reason=" ".join(sentences), rule=ADULT_RULE)


def carer_eligibility(record: CarerRecord) -> Eligibility:
    """reg. 3: needs from caring; health at risk or unable to achieve any one outcome; impact on wellbeing.

    A carer can be eligible when the person cared for is not.
    """
    unable = list(record.unable_outcomes)
    second = record.health_at_risk or bool(unable)
    conditions = {
        "needs_arise_from_caring": record.needs_from_caring,
        "health_at_risk_or_unable_to_achieve": second,
        "significant_impact_on_wellbeing": record.wellbeing_impact,
    }
    names = [CARER_OUTCOME_WORDS[o] for o in unable]
    if all(conditions.values()):
        sentences = []
        if record.health_at_risk:
            sentences.append("You told us that caring is putting your own health at risk.")
        if names:
            sentences.append(f"Caring makes {len(names)} everyday things hard for you.")
            sentences.append(_these(names))
        sentences += [
            "This is having a big effect on your life.",
            "So the law says the council should help you as a carer.",
            "This is true even if the person you care for does not get help.",
        ]
    else:
        sentences = ["From what you told us, the council is not likely to pay for carer support right now."]
        if not record.needs_from_caring:
            sentences.append("The help you need does not seem to come from caring for someone.")
        if not second:
            sentences.append("We did not hear that caring puts your health at risk or stops you doing everyday things.")
        if not record.wellbeing_impact:
            sentences.append("It does not seem to be having a big effect on your life right now.")
        sentences += ["A worker will check this with you.", "They can tell you about other help for carers."]
    reason = " ".join(sentences)
    return Eligibility(eligible=all(conditions.values()), conditions=conditions, reason=reason, rule=CARER_RULE)

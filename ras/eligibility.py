"""Care Act eligibility: adults (reg. 2) and carers (reg. 3) of SI 2015/313.

The reason is given in plain words a person can follow; `rule` says where it comes from.
"""

from __future__ import annotations

from ras.models import AssessmentRecord, CarerRecord, Eligibility
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


def adult_eligibility(record: AssessmentRecord, policy: PolicyAt) -> Eligibility:
    """reg. 2: impairment or illness; unable to achieve two or more outcomes; significant impact on wellbeing."""
    needed = policy.general.min_unable_outcomes
    count = len(record.unable_outcomes)
    conditions = {
        "impairment_or_illness": record.impairment,
        "unable_to_achieve_outcomes": count >= needed,
        "significant_impact_on_wellbeing": record.wellbeing_impact,
    }
    names = [policy.outcomes[o].person_name for o in record.unable_outcomes]
    if all(conditions.values()):
        reason = (
            f"You told us that you need help with {count} everyday things: {_listing(names)}. "
            "This comes from your health or a disability, and it is having a big effect on your life. "
            "So the law says the council should help to meet these needs."
        )
    else:
        unmet = []
        if not record.impairment:
            unmet.append(
                "the help you need does not seem to come from an illness, a disability or your health"
            )
        if count < needed:
            if count == 0:
                unmet.append(f"the law asks for at least {needed} everyday things you cannot do without help, and we did not hear of any")
            else:
                unmet.append(
                    f"the law asks for at least {needed} everyday things you cannot do without help, "
                    f"and we heard of {count}: {_listing(names)}"
                )
        if not record.wellbeing_impact:
            unmet.append("it does not seem to be having a big effect on your life right now")
        reason = (
            "From what you told us, the council is not likely to pay for support right now, because "
            + "; and ".join(unmet)
            + ". A worker will check this with you. You can still get advice and help to find support near you."
        )
    return Eligibility(eligible=all(conditions.values()), conditions=conditions, reason=reason, rule=ADULT_RULE)


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
        parts = []
        if record.health_at_risk:
            parts.append("caring is putting your own health at risk")
        if names:
            parts.append(f"caring makes it hard for you to manage {_listing(names)}")
        reason = (
            "You told us that " + " and ".join(parts) + ", and that this is having a big effect on your life. "
            "So the law says the council should help you as a carer. This is true even if the person you care for does not get help."
        )
    else:
        unmet = []
        if not record.needs_from_caring:
            unmet.append("the help you need does not seem to come from caring for someone")
        if not second:
            unmet.append("we did not hear that caring puts your health at risk or stops you doing everyday things")
        if not record.wellbeing_impact:
            unmet.append("it does not seem to be having a big effect on your life right now")
        reason = (
            "From what you told us, the council is not likely to pay for carer support right now, because "
            + "; and ".join(unmet)
            + ". A worker will check this with you, and can tell you about other help for carers."
        )
    return Eligibility(eligible=all(conditions.values()), conditions=conditions, reason=reason, rule=CARER_RULE)

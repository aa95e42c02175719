"""The FHIR R4B Questionnaire that every QuestionnaireResponse of `ras_chat.exports.fhir`
answers, generated from the dialogue (each item's text is the prompt of the question that
sets its record field), the policy's scales and names, and the money questions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ras_chat.store.errors import InvalidData

if TYPE_CHECKING:
    from fhir.resources.R4B.questionnaire import Questionnaire

    from ras_chat.dialogue.loader import Dialogue

QUESTIONNAIRE = "urn:ras-chat:questionnaire:ras-assessment-1"
CARER_COPING = ("coping", "struggling", "at_breaking_point")
"""`ras-carer/1` coping values."""

QUESTIONNAIRE_FIELDS = {
    "what_matters": "what_matters",
    "client_group": "client_group",
    "fluctuating": "fluctuating",
    "unable_outcomes": "unable_outcomes.{area}",
    "need": "areas.{area}.need",
    "risk": "areas.{area}.risk",
    "unpaid_support": "areas.{area}.unpaid_support",
    "impairment": "impairment",
    "wellbeing_impact": "wellbeing_impact",
    "carer.relationship": "carer.relationship",
    "carer.hours_caring_per_week": "carer.hours_caring_per_week",
    "carer.health_at_risk": "carer.health_at_risk",
    "carer.unable_outcomes": "carer.unable_outcomes",
    "carer.wellbeing_impact": "carer.wellbeing_impact",
    "carer.coping": "carer.coping",
    "carer.willing_to_continue": "carer.willing_to_continue",
}
"""Which record field each item is (the prompt of the question that `sets:` it becomes the
item's text): found by the field, never by a state's name, so a council's own dialogue
with other state names gives the same items."""


def _q(link_id: str, text: str, kind: str, *, repeats: bool = False, items: list[dict] | None = None,
       options: list[tuple[str, str, str]] | None = None) -> dict:
    out: dict[str, Any] = {"linkId": link_id, "text": text, "type": kind}
    if repeats:
        out["repeats"] = True
    if options:
        out["answerOption"] = [
            {"valueCoding": {"system": f"urn:ras-chat:{system}", "code": code, "display": display}}
            for system, code, display in options
        ]
    if items:
        out["item"] = items
    return out


def _asked(dialogue: Dialogue | None, key: str, fallback: str, **fill: str) -> str:
    """The dialogue's own words for an item (the prompt of the question that sets its field)."""
    field = QUESTIONNAIRE_FIELDS.get(key, key)
    states = dialogue.states.values() if dialogue is not None else ()
    state = next((st for st in states if st.sets == field), None)
    texts = state.prompt_texts() if state is not None else ()
    if not texts:
        return fallback
    text = texts[0]
    for name, value in fill.items():
        text = text.replace("{" + name + "}", value)
    return text


def questionnaire_items(dialogue: Dialogue | None = None, policy: Any = None, questions: Any = None) -> list[dict]:
    """The items of the Questionnaire: every linkId a QuestionnaireResponse from
    `questionnaire_response` can carry, with its type, and the person-facing words of the
    dialogue, the policy's scales and the money questions where they ask it."""
    from ras.charging.models import AGE_GROUPS, DISABILITY_BENEFITS, HOUSEHOLDS, INCOME_KINDS
    from ras.eligibility import CARER_OUTCOME_WORDS
    from ras.models import AREA_IDS, CARER_OUTCOME_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS, SUPPORT_LEVELS

    d = dialogue
    area_name = (lambda a: policy.areas[a].person_name) if policy is not None else (lambda a: a)
    scales = policy.scales if policy is not None else None
    money_q = {q.sets if q.sets != "income" else f"income.{q.income_kind}": q for q in questions.questions} if questions else {}

    def money_text(key: str, fallback: str) -> str:
        q = money_q.get(key)
        return f"{q.question} ({fallback})" if q is not None else fallback

    def scale_words(name: str) -> str:
        if scales is None:
            return ""
        return " 0-4: " + "; ".join(f"{i} {w}" for i, w in enumerate(getattr(scales, name)))

    areas = []
    for area in AREA_IDS:
        name = area_name(area)
        areas.append(_q(f"areas.{area}", name, "group", items=[
            _q(f"areas.{area}.need", _asked(d, "need", "Need (0-4)", area=name) + scale_words("need"), "integer"),
            _q(f"areas.{area}.risk", _asked(d, "risk", "Risk if unmet (0-4)", area=name) + scale_words("risk"), "integer"),
            _q(f"areas.{area}.unpaid_support", _asked(d, "unpaid_support", "Unpaid support", area=name), "choice",
               options=[("unpaid-support", s, (scales.unpaid_support[s] if scales else s.replace("_", " "))) for s in SUPPORT_LEVELS]),
        ]))
    outcome_words = (lambda o: policy.outcomes[o].person_name) if policy is not None else (lambda o: o.replace("_", " "))
    group_words = (lambda g: policy.client_groups[g]) if policy is not None else (lambda g: g.replace("_", " "))
    gbp = lambda link, text: _q(link, f"{text} (GBP)", "quantity")  # noqa: E731
    items = [
        _q("client_group", _asked(d, "client_group", "Client group"), "choice",
           options=[("client-group", g, group_words(g)) for g in CLIENT_GROUPS]),
        _q("impairment", _asked(d, "impairment", "Needs arise from a physical or mental impairment or illness"), "boolean"),
        _q("unable_outcomes", _asked(d, "unable_outcomes", "Outcomes the person is unable to achieve"), "choice",
           repeats=True, options=[("outcome", o, outcome_words(o)) for o in OUTCOME_IDS]),
        _q("wellbeing_impact", _asked(d, "wellbeing_impact", "Significant impact on wellbeing"), "boolean"),
        _q("fluctuating", _asked(d, "fluctuating", "Needs fluctuate"), "boolean"),
        _q("areas", "Areas of life", "group", items=areas),
        _q("what_matters", _asked(d, "what_matters", "What matters to the person (own words)"), "string"),
        _q("result", "Indicative allocation", "group", items=[
            _q("result.eligible", "Eligible (Care Act 2014, reg. 2)", "boolean"),
            _q("result.method", "Allocation method", "choice", options=[("method", m, m) for m in METHODS]),
            gbp("result.weekly", "Indicative weekly amount"),
            gbp("result.annual", "Annual amount"),
            gbp("result.range_low", "Range low a week"),
            gbp("result.range_high", "Range high a week"),
            _q("result.band", "Band", "string"),
            _q("result.explanation", "Explanation, step by step", "string", repeats=True),
        ]),
        _q("money", "Optional money part (an estimate; the council's financial assessment decides)", "group", items=[
            _q("money.status", "Money part", "choice",
               options=[("money-status", s, s.replace("_", " ")) for s in ("not_reached", "skipped", "answered")]),
            _q("money.finance", "What the person said about money (ras-finance/2)", "group", items=[
                gbp("money.finance.capital", money_text("capital", "Capital")),
                _q("money.finance.age_group", money_text("age_group", "Age group"), "choice",
                   options=[("age-group", a, a) for a in AGE_GROUPS]),
                _q("money.finance.household", money_text("household", "Household"), "choice",
                   options=[("household", x, x) for x in HOUSEHOLDS]),
                _q("money.finance.income", "Weekly income", "group", items=[
                    _q("money.finance.income.item", "Income item", "group", repeats=True, items=[
                        _q("money.finance.income.item.kind", "Kind", "choice",
                           options=[("income-kind", k, k.replace("_", " ")) for k in INCOME_KINDS]),
                        gbp("money.finance.income.item.weekly", "A week"),
                    ]),
                ]),
                _q("money.finance.partner_pension_age", money_text("partner_pension_age", "Partner over pension credit age (reg. 7(4)(b))"), "boolean"),
                _q("money.finance.children", money_text("children", "Children the person is responsible for and lives with (reg. 7(1)(b))"), "integer"),
                _q("money.finance.benefit", money_text("disability_benefit", "Disability benefit for daily living, and its rate"), "choice",
                   options=[("disability-benefit", b, b.replace("_", " ")) for b in DISABILITY_BENEFITS]),
                _q("money.finance.disability_premium", "Disability premium (worked out from the benefit, or said)", "boolean"),
                _q("money.finance.enhanced_disability_premium", "Enhanced disability premium (worked out, or said)", "boolean"),
                _q("money.finance.carer_premium", "Carer premium (worked out from Carer's Allowance)", "boolean"),
                gbp("money.finance.housing_costs", money_text("housing", "Housing costs a week")),
                gbp("money.finance.dre", money_text("dre", "Disability-related spending a week, itemised")),
                gbp("money.finance.care_cost", "Care cost a week"),
                gbp("money.finance.council_cost", "Cost to the council a week"),
            ]),
            _q("money.charge", "Charge estimate (ras-charge/2); the financial assessment decides", "group", items=[
                _q("money.charge.as_of", "Charging rules in force on", "date"),
                _q("money.charge.year", "Charging year of the figures", "string"),
                _q("money.charge.out_of_date", "The figures may be out of date", "boolean"),
                _q("money.charge.capital_band", "Capital band", "choice",
                   options=[("capital-band", b, b.replace("_", " ")) for b in ("below_lower_limit", "between_limits", "above_upper_limit")]),
                gbp("money.charge.tariff_income", "Tariff income a week"),
                gbp("money.charge.assessable_income", "Assessable income a week"),
                gbp("money.charge.disregarded_income", "Disregarded income a week"),
                gbp("money.charge.mig", "Minimum Income Guarantee a week"),
                gbp("money.charge.housing_costs", "Housing costs a week"),
                gbp("money.charge.dre", "Disability-related expenditure a week"),
                gbp("money.charge.left_after_allowances", "Left after allowances a week"),
                gbp("money.charge.weekly_charge", "Estimated weekly charge (the person's part)"),
                gbp("money.charge.council_pays", "The council's part a week"),
                _q("money.charge.capped_at_care_cost", "Capped at the care cost", "boolean"),
                _q("money.charge.full_cost", "Full cost (capital above the upper limit)", "boolean"),
                _q("money.charge.steps", "Steps", "string", repeats=True),
                _q("money.charge.notes", "Notes", "string", repeats=True),
                _q("money.charge.figures", "Charging figures used, with how sure each is", "string", repeats=True),
            ]),
            _q("money.missing", "Why there is no charge figure", "string", repeats=True),
            _q("money.note", "Note", "string"),
        ]),
        _q("budget", "Personal budget statement (Care Act 2014 s.26)", "group", items=[
            gbp("budget.weekly_total", "Total a week"),
            gbp("budget.yearly_total", "Total a year"),
            _q("budget.parts_known", "Person's and council's parts estimated", "boolean"),
            gbp("budget.person_weekly", "Person's part a week (estimate)"),
            gbp("budget.person_yearly", "Person's part a year (estimate)"),
            gbp("budget.council_weekly", "Council's part a week (estimate)"),
            gbp("budget.council_yearly", "Council's part a year (estimate)"),
            _q("budget.summary", "Statement", "string", repeats=True),
        ]),
        _q("carer", "The carer's own assessment (Care Act 2014 s.10)", "group", items=[
            _q("carer.eligible", "Carer eligible (SI 2015/313 reg. 3)", "boolean"),
            _q("carer.result", "Reg. 3 result", "string"),
            _q("carer.conditions", "Reg. 3 conditions", "string", repeats=True),
            _q("carer.not_known", "Answers not known yet", "string", repeats=True),
            _q("carer.reason", "Why (in plain words)", "string"),
            _q("carer.needs_from_caring", "Needs arise from providing necessary care (reg. 3(1)(a))", "boolean"),
            _q("carer.health_at_risk", _asked(d, "carer.health_at_risk", "Health at risk (reg. 3(1)(b)(i))"), "boolean"),
            _q("carer.unable_outcomes", _asked(d, "carer.unable_outcomes", "Outcomes the carer is unable to achieve (reg. 3(2)(b))"),
               "choice", repeats=True, options=[("carer-outcome", o, CARER_OUTCOME_WORDS[o]) for o in CARER_OUTCOME_IDS]),
            _q("carer.wellbeing_impact", _asked(d, "carer.wellbeing_impact", "Significant impact on wellbeing (reg. 3(1)(c))"), "boolean"),
            _q("carer.relationship", _asked(d, "carer.relationship", "Relationship to the person cared for"), "string"),
            _q("carer.hours_caring_per_week", _asked(d, "carer.hours_caring_per_week", "Hours caring a week"), "decimal"),
            _q("carer.coping", _asked(d, "carer.coping", "How the carer is coping"), "choice",
               options=[("carer-coping", c, c.replace("_", " ")) for c in CARER_COPING]),
            _q("carer.willing_to_continue", _asked(d, "carer.willing_to_continue", "Willing and able to carry on caring"), "boolean"),
        ]),
        _q("flags", "Flags", "string", repeats=True),
        _q("worker_changes", "Worker changes (audit trail)", "group", items=[
            _q("worker_changes.change", "A change", "group", repeats=True, items=[
                _q("worker_changes.change.seq", "Number", "integer"),
                _q("worker_changes.change.at", "When", "dateTime"),
                _q("worker_changes.change.who", "Who", "string"),
                _q("worker_changes.change.what", "What changed", "group", repeats=True, items=[
                    _q("worker_changes.change.what.field", "Field", "string"),
                    _q("worker_changes.change.what.value", "Value", "string", repeats=True),
                ]),
                _q("worker_changes.change.why", "Why", "string"),
                _q("worker_changes.change.hash", "Audit hash", "string"),
            ]),
        ]),
    ]
    return items


def questionnaire(dialogue: Dialogue | None = None, policy: Any = None, questions: Any = None) -> Questionnaire:
    """The FHIR R4B Questionnaire the QuestionnaireResponse answers, validated. By default
    from the shipped (or RAS_CHAT_DIALOGUE) dialogue, the example policy and the money questions."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    if dialogue is None:
        from ras_chat.dialogue.loader import load_dialogue

        dialogue = load_dialogue()
    if policy is None:
        from ras.policy import load_policy

        loaded = load_policy()
        policy = loaded.at(max(loaded.dates()))
    if questions is None:
        from ras.charging import load_questions

        questions = load_questions()
    data = {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE,
        "name": "RasAssessment1",
        "title": "ras-chat assessment, indicative personal budget and money part",
        "status": "active",
        "subjectType": ["Patient"],
        "description": f"Generated from the dialogue {dialogue.id!r}, the policy {policy.id!r} and the money questions.",
        "item": questionnaire_items(dialogue, policy, questions),
    }
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise InvalidData(f"the FHIR Questionnaire did not validate: {exc.errors()[0]['msg']}") from None

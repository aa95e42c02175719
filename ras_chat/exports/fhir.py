"""The hand-off as a FHIR R4B QuestionnaireResponse, and the Questionnaire it answers, both
built and validated with fhir.resources.

Items follow the assessment record (`ras-assessment/1`) field by field, then the engine's
result, the person's words (unless redacted), the optional money part (finance record and
charge estimate, `money.*`), the personal budget statement (`budget.*`), flags and worker
changes (each change as items: seq, at, who, what field by field, why, hash). Money is a
GBP Quantity (ISO 4217). `status` follows the session: `in-progress`, `completed`, or
`stopped` when the talk stopped at a safety disclosure; `subject` carries the person's
name when one is known. Codes use `urn:ras-chat:*` systems; `questionnaire()` gives the
Questionnaire (generated from the dialogue, the policy and the money questions) that
every linkId of the response is an item of (`ras-chat export --format fhir-questionnaire`).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ras_chat.exports.handoff import Handoff
from ras_chat.store.errors import InvalidData

QUESTIONNAIRE = "urn:ras-chat:questionnaire:ras-assessment-1"
FHIR_STATUS = {"in_progress": "in-progress", "handed_off": "completed", "agreed": "completed"}
SAFETY_STATE = "safety"
"""The end state the dialogue goes to when a person discloses a risk of harm."""
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
GBP = {"unit": "GBP", "system": "urn:iso:std:iso:4217", "code": "GBP"}


def fhir_status(h: Handoff) -> str:
    """`stopped` after a safety stop (the session ended in the safety state, or holds a
    safety flag), else from the session status: `in-progress` or `completed`."""
    stopped = h.session.state == SAFETY_STATE or any(
        f.split(": ")[1:2] == ["safety"] or f.startswith("safety") for f in h.flags
    )
    if stopped:
        return "stopped"
    return FHIR_STATUS[h.status]


WHO_CODES = frozenset({"self", "with_help", "on_behalf"})
"""What the dialogue's `who` answer holds (who is answering), which is not a name."""


def person_name(h: Handoff, name: str | None = None) -> str | None:
    """The person's name when one is known: `name` if given (say a `name` answer of the
    session), else the session's `who` when it is a name and not who-is-answering."""
    for candidate in (name, h.session.who):
        if isinstance(candidate, str) and candidate.strip() and candidate.strip() not in WHO_CODES:
            return candidate.strip()
    return None


def _gbp_value(value) -> dict:
    return {"valueQuantity": {"value": value, **GBP}}


def _coding(system: str, code: str) -> dict:
    return {"valueCoding": {"system": f"urn:ras-chat:{system}", "code": code, "display": code.replace("_", " ")}}


def _item(link_id: str, text: str, answers: list[dict] | None = None, items: list[dict] | None = None) -> dict | None:
    if not answers and not items:
        return None
    out: dict[str, Any] = {"linkId": link_id, "text": text}
    if answers:
        out["answer"] = answers
    if items:
        out["item"] = items
    return out


def _items(*candidates: dict | None) -> list[dict]:
    return [c for c in candidates if c is not None]


def _gbp(link_id: str, text: str, value) -> dict | None:
    return _item(link_id, f"{text} (GBP)", [_gbp_value(value)] if value is not None else None)


def _money_item(h: Handoff) -> dict | None:
    """The optional money part: the finance record and the charge estimate (`ras-charge/2`),
    marked as an estimate. linkIds follow the records' fields (`money.charge.weekly_charge`)."""
    from ras.charging.calc import premiums_due

    m = h.money
    if m is None:
        return None
    f, c = m.finance, m.charge
    finance = None
    if f is not None:
        finance = _item(
            "money.finance",
            "What the person said about money (ras-finance/1)",
            items=_items(
                _gbp("money.finance.capital", "Capital", f.capital),
                _item("money.finance.age_group", "Age group", [_coding("age-group", f.age_group)]),
                _item("money.finance.household", "Household", [_coding("household", f.household)]),
                _item(
                    "money.finance.income",
                    "Weekly income",
                    items=_items(
                        *(
                            _item(
                                "money.finance.income.item",
                                "Income item",
                                items=_items(
                                    _item("money.finance.income.item.kind", "Kind", [_coding("income-kind", i.kind)]),
                                    _gbp("money.finance.income.item.weekly", "A week", i.weekly),
                                ),
                            )
                            for i in f.income
                        )
                    ),
                ),
                _item("money.finance.partner_pension_age", "Partner over pension credit age (reg. 7(4)(b))",
                      [{"valueBoolean": f.partner_pension_age}]),
                _item("money.finance.children", "Children the person is responsible for and lives with (reg. 7(1)(b))",
                      [{"valueInteger": f.children}]),
                _item("money.finance.benefit", "Disability benefit for daily living, and its rate",
                      [_coding("disability-benefit", f.benefit)] if f.benefit else None),
                _item("money.finance.disability_premium", "Disability premium (worked out from the benefit, or said)",
                      [{"valueBoolean": premiums_due(f)[0]}]),
                _item("money.finance.enhanced_disability_premium", "Enhanced disability premium (worked out, or said)",
                      [{"valueBoolean": premiums_due(f)[1]}]),
                _item("money.finance.carer_premium", "Carer premium (worked out from Carer's Allowance)",
                      [{"valueBoolean": premiums_due(f)[2]}]),
                _gbp("money.finance.housing_costs", "Housing costs a week", f.housing_total()),
                _gbp("money.finance.dre", "Disability-related spending a week, itemised", sum(i.weekly for i in f.dre) if f.dre else None),
                _gbp("money.finance.care_cost", "Care cost a week", f.care_cost),
                _gbp("money.finance.council_cost", "Cost to the council a week", f.council_cost),
            ),
        )
    charge = None
    if c is not None:
        charge = _item(
            "money.charge",
            "Charge estimate (ras-charge/1); the financial assessment decides",
            items=_items(
                _item("money.charge.as_of", "Charging rules in force on", [{"valueDate": c.as_of}]),
                _item("money.charge.year", "Charging year of the figures", [{"valueString": c.year}] if c.year else None),
                _item("money.charge.out_of_date", "The figures may be out of date", [{"valueBoolean": c.out_of_date}]),
                _item("money.charge.capital_band", "Capital band", [_coding("capital-band", c.capital_band)]),
                _gbp("money.charge.tariff_income", "Tariff income a week", c.tariff_income),
                _gbp("money.charge.assessable_income", "Assessable income a week", c.assessable_income),
                _gbp("money.charge.disregarded_income", "Disregarded income a week", c.disregarded_income),
                _gbp("money.charge.mig", "Minimum Income Guarantee a week", c.mig),
                _gbp("money.charge.housing_costs", "Housing costs a week", c.housing_costs),
                _gbp("money.charge.dre", "Disability-related expenditure a week", c.dre),
                _gbp("money.charge.left_after_allowances", "Left after allowances a week", c.left_after_allowances),
                _gbp("money.charge.weekly_charge", "Estimated weekly charge (the person's part)", c.weekly_charge),
                _gbp("money.charge.council_pays", "The council's part a week", c.council_pays),
                _item("money.charge.capped_at_care_cost", "Capped at the care cost", [{"valueBoolean": c.capped_at_care_cost}]),
                _item("money.charge.full_cost", "Full cost (capital above the upper limit)", [{"valueBoolean": c.full_cost}]),
                _item("money.charge.steps", "Steps", [{"valueString": st.text} for st in c.steps]),
                _item("money.charge.notes", "Notes", [{"valueString": n} for n in c.notes]),
                _item(
                    "money.charge.figures",
                    "Charging figures used, with how sure each is",
                    [{"valueString": f"{f.label}: {f.value} from {f.effective_from} ({f.status}"
                      + (f"; {f.basis})" if f.basis else ")")} for f in c.figures],
                ),
            ),
        )
    return _item(
        "money",
        "Optional money part (an estimate; the council's financial assessment decides)",
        items=_items(
            _item("money.status", "Money part", [_coding("money-status", m.status)]),
            finance,
            charge,
            _item("money.missing", "Why there is no charge figure", [{"valueString": t} for t in m.missing]),
            _item("money.note", "Note", [{"valueString": m.note}] if m.status == "answered" else None),
        ),
    )


def _budget_item(h: Handoff) -> dict | None:
    """The personal budget statement (Care Act s.26): totals, and the parts only when known."""
    b = h.budget
    if b is None:
        return None
    return _item(
        "budget",
        "Personal budget statement (Care Act 2014 s.26)",
        items=_items(
            _gbp("budget.weekly_total", "Total a week", b.weekly_total),
            _gbp("budget.yearly_total", "Total a year", b.yearly_total),
            _item("budget.parts_known", "Person's and council's parts estimated", [{"valueBoolean": b.parts_known}]),
            _gbp("budget.person_weekly", "Person's part a week (estimate)", b.person_weekly),
            _gbp("budget.person_yearly", "Person's part a year (estimate)", b.person_yearly),
            _gbp("budget.council_weekly", "Council's part a week (estimate)", b.council_weekly),
            _gbp("budget.council_yearly", "Council's part a year (estimate)", b.council_yearly),
            _item("budget.summary", "Statement", [{"valueString": line} for line in b.summary]),
        ),
    )


def _value_texts(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _value_texts(v)]
    if isinstance(value, dict):
        return [f"{k}: {', '.join(_value_texts(v))}" for k, v in value.items()]
    if value is None:
        return []
    return [str(value)]


def _change_item(e) -> dict | None:
    """One audit entry as items: what changed field by field, never a Python repr."""
    what = e.what if isinstance(e.what, dict) else {"change": e.what}
    fields = [
        _item(
            "worker_changes.change.what",
            "What changed",
            items=_items(
                _item("worker_changes.change.what.field", "Field", [{"valueString": str(key)}]),
                _item("worker_changes.change.what.value", "Value", [{"valueString": t} for t in _value_texts(value)]),
            ),
        )
        for key, value in what.items()
    ]
    return _item(
        "worker_changes.change",
        f"Change {e.seq}",
        items=_items(
            _item("worker_changes.change.seq", "Number", [{"valueInteger": e.seq}]),
            _item("worker_changes.change.at", "When", [{"valueDateTime": e.at}] if _DATETIME.match(e.at or "") else None),
            _item("worker_changes.change.who", "Who", [{"valueString": e.who}] if e.who else None),
            *fields,
            _item("worker_changes.change.why", "Why", [{"valueString": e.why}] if e.why else None),
            _item("worker_changes.change.hash", "Audit hash", [{"valueString": e.hash}] if e.hash else None),
        ),
    )


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def questionnaire_response(h: Handoff, *, name: str | None = None):
    """A validated QuestionnaireResponse. `name`: the person's name when the caller knows it
    (it becomes `subject.display`); otherwise the session's own, if it holds one."""
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    items: list[dict] = []
    a = h.assessment
    if a is not None:
        areas = []
        for area in ("health", "choice", "work", "community"):
            ans = a.areas.get(area)
            areas.append(
                _item(
                    f"areas.{area}",
                    area,
                    items=_items(
                        _item(f"areas.{area}.need", "Need (0-4)", [{"valueInteger": ans.need}]),
                        _item(f"areas.{area}.risk", "Risk if unmet (0-4)", [{"valueInteger": ans.risk}]),
                        _item(f"areas.{area}.unpaid_support", "Unpaid support", [_coding("unpaid-support", ans.unpaid_support)]),
                    ),
                )
            )
        items += _items(
            _item("client_group", "Client group", [_coding("client-group", a.client_group)]),
            _item("impairment", "Needs arise from a physical or mental impairment or illness", [{"valueBoolean": a.impairment}]),
            _item("unable_outcomes", "Outcomes the person is unable to achieve", [_coding("outcome", o) for o in a.unable_outcomes]),
            _item("wellbeing_impact", "Significant impact on wellbeing", [{"valueBoolean": a.wellbeing_impact}]),
            _item("fluctuating", "Needs fluctuate", [{"valueBoolean": a.fluctuating}]),
            _item("areas", "Areas of life", items=_items(*areas)),
        )
    words = h.own_words
    items += _items(
        _item("what_matters", "What matters to the person (own words)", [{"valueString": words.what_matters}] if words.what_matters else None)
    )
    r = h.result
    if r is not None:
        items += _items(
            _item(
                "result",
                "Indicative allocation",
                items=_items(
                    _item("result.eligible", "Eligible (Care Act 2014, reg. 2)", [{"valueBoolean": r.eligible}]),
                    _item("result.method", "Allocation method", [_coding("method", r.method)]),
                    _gbp("result.weekly", "Indicative weekly amount", r.weekly),
                    _gbp("result.annual", "Annual amount", r.annual),
                    _gbp("result.range_low", "Range low a week", r.range.low),
                    _gbp("result.range_high", "Range high a week", r.range.high),
                    _item("result.band", "Band", [{"valueString": r.band}] if r.band else None),
                    _item("result.explanation", "Explanation, step by step", [{"valueString": s.text} for s in r.explanation]),
                ),
            )
        )
    items += _items(_money_item(h), _budget_item(h))
    items += _items(
        _item("flags", "Flags", [{"valueString": f} for f in h.flags]),
        _item("worker_changes", "Worker changes (audit trail)", items=_items(*(_change_item(e) for e in h.audit))),
    )
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": "urn:ras-chat:session", "value": h.session.id},
        "questionnaire": QUESTIONNAIRE,
        "status": fhir_status(h),
        "item": items or None,
    }
    known = person_name(h, name) if not h.redacted else None
    if known:
        data["subject"] = {"display": known}
    if _FHIR_ID.match(h.session.id):
        data["id"] = h.session.id
    if h.session.updated:
        data["authored"] = h.session.updated
    data = {k: v for k, v in data.items() if v is not None}
    try:
        resource = QuestionnaireResponse.model_validate(data)
    except ValidationError as exc:
        raise InvalidData(f"the FHIR export did not validate: {exc.errors()[0]['msg']}") from None
    return resource


# ----- the Questionnaire ----------------------------------------------------------------------

QUESTIONNAIRE_STATES = {
    "what_matters": "what_matters_most",
    "client_group": "client_group",
    "fluctuating": "fluctuating",
    "unable_outcomes": "area_outcomes",
    "need": "area_need",
    "risk": "area_risk",
    "unpaid_support": "area_support",
    "impairment": "impairment",
    "wellbeing_impact": "wellbeing",
}
"""Which dialogue state asks for each item (its prompt becomes the item's text)."""


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


def _asked(dialogue, key: str, fallback: str, **fill: str) -> str:
    """The dialogue's own words for an item (the prompt of the state that asks it)."""
    state = dialogue.states.get(QUESTIONNAIRE_STATES.get(key, key)) if dialogue is not None else None
    texts = state.prompt_texts() if state is not None else ()
    if not texts:
        return fallback
    text = texts[0]
    for name, value in fill.items():
        text = text.replace("{" + name + "}", value)
    return text


def questionnaire_items(dialogue=None, policy=None, questions=None) -> list[dict]:
    """The items of the Questionnaire: every linkId a QuestionnaireResponse from
    `questionnaire_response` can carry, with its type, and the person-facing words of the
    dialogue, the policy's scales and the money questions where they ask it."""
    from ras.charging.models import AGE_GROUPS, DISABILITY_BENEFITS, HOUSEHOLDS, INCOME_KINDS
    from ras.models import AREA_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS, SUPPORT_LEVELS

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


def questionnaire(dialogue=None, policy=None, questions=None):
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

"""The hand-off as a FHIR R4B QuestionnaireResponse, built and validated with fhir.resources.

Items follow the assessment record (`ras-assessment/1`) field by field, then the engine's
result, the person's words (unless redacted), the optional money part (finance record and
charge estimate, `money.*`), the personal budget statement (`budget.*`), flags and worker
changes. Codes use
`urn:ras-chat:*` systems; a council mapping them to its own Questionnaire can do so by
linkId.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ras_chat.store.errors import InvalidData
from ras_chat.exports.handoff import Handoff

QUESTIONNAIRE = "urn:ras-chat:questionnaire:ras-assessment-1"
FHIR_STATUS = {"in_progress": "in-progress", "handed_off": "completed", "agreed": "completed"}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


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
    return _item(link_id, f"{text} (GBP)", [{"valueDecimal": value}] if value is not None else None)


def _money_item(h: Handoff) -> dict | None:
    """The optional money part: the finance record and the charge estimate (`ras-charge/1`),
    marked as an estimate. linkIds follow the records' fields (`money.charge.weekly_charge`)."""
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
                _item("money.finance.disability_premium", "Disability premium", [{"valueBoolean": f.disability_premium}]),
                _item(
                    "money.finance.enhanced_disability_premium",
                    "Enhanced disability premium",
                    [{"valueBoolean": f.enhanced_disability_premium}],
                ),
                _gbp("money.finance.housing_costs", "Housing costs a week", f.housing_costs),
                _gbp("money.finance.dre", "Disability-related spending a week, itemised", sum(i.weekly for i in f.dre) if f.dre else None),
                _gbp("money.finance.care_cost", "Care cost a week", f.care_cost),
            ),
        )
    charge = None
    if c is not None:
        charge = _item(
            "money.charge",
            "Charge estimate (ras-charge/1); the financial assessment decides",
            items=_items(
                _item("money.charge.as_of", "Charging rules in force on", [{"valueDate": c.as_of}]),
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


def questionnaire_response(h: Handoff) -> dict:
    """A validated QuestionnaireResponse as JSON-ready data."""
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
                    _item("result.weekly", "Indicative weekly amount (GBP)", [{"valueDecimal": r.weekly}]),
                    _item("result.annual", "Annual amount (GBP)", [{"valueDecimal": r.annual}]),
                    _item("result.range_low", "Range low (GBP a week)", [{"valueDecimal": r.range.low}]),
                    _item("result.range_high", "Range high (GBP a week)", [{"valueDecimal": r.range.high}]),
                    _item("result.band", "Band", [{"valueString": r.band}] if r.band else None),
                    _item("result.explanation", "Explanation, step by step", [{"valueString": s.text} for s in r.explanation]),
                ),
            )
        )
    items += _items(_money_item(h), _budget_item(h))
    items += _items(
        _item("flags", "Flags", [{"valueString": f} for f in h.flags]),
        _item(
            "worker_changes",
            "Worker changes (audit trail)",
            [{"valueString": f"#{e.seq} {e.at} {e.who}: {e.what} - {e.why} (hash {e.hash})"} for e in h.audit],
        ),
    )
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": "urn:ras-chat:session", "value": h.session.id},
        "questionnaire": QUESTIONNAIRE,
        "status": FHIR_STATUS[h.status],
        "item": items or None,
    }
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

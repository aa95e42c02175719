"""The parts of the FHIR QuestionnaireResponse as items: money as a GBP Quantity, the
optional money part, the budget statement, the carer's own part and the worker's changes.
`ras_chat.exports.fhir` puts them together and validates the whole."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ras.charging.calc import premiums_due
from ras.models import CarerRecord
from ras_chat.exports.handoff_model import Handoff, WorkerChange
from ras_chat.review.text import carer_condition_term, carer_result_term

GBP = {"unit": "GBP", "system": "urn:iso:std:iso:4217", "code": "GBP"}


def _gbp_value(value: Decimal | int | float) -> dict:
    return {"valueQuantity": {"value": value, **GBP}}


def coding(system: str, code: str) -> dict:
    return {"valueCoding": {"system": f"urn:ras-chat:{system}", "code": code, "display": code.replace("_", " ")}}


def item(link_id: str, text: str, answers: list[dict] | None = None, items: list[dict] | None = None) -> dict | None:
    """One item, or None when it has nothing to say (no answer and no items)."""
    if not answers and not items:
        return None
    out: dict[str, Any] = {"linkId": link_id, "text": text}
    if answers:
        out["answer"] = answers
    if items:
        out["item"] = items
    return out


def items_of(*candidates: dict | None) -> list[dict]:
    return [c for c in candidates if c is not None]


def gbp(link_id: str, text: str, value: Decimal | int | float | None) -> dict | None:
    return item(link_id, f"{text} (GBP)", [_gbp_value(value)] if value is not None else None)


def yes_no(value: bool | None) -> list[dict] | None:
    return None if value is None else [{"valueBoolean": value}]


def money_item(h: Handoff) -> dict | None:
    """The optional money part: the finance record and the charge estimate (`ras-charge/2`),
    marked as an estimate. linkIds follow the records' fields (`money.charge.weekly_charge`)."""
    m = h.money
    if m is None:
        return None
    f, c = m.finance, m.charge
    finance = None
    if f is not None:
        finance = item(
            "money.finance",
            "What the person said about money (ras-finance/1)",
            items=items_of(
                gbp("money.finance.capital", "Capital", f.capital),
                item("money.finance.age_group", "Age group", [coding("age-group", f.age_group)]),
                item("money.finance.household", "Household", [coding("household", f.household)]),
                item(
                    "money.finance.income",
                    "Weekly income",
                    items=items_of(
                        *(
                            item(
                                "money.finance.income.item",
                                "Income item",
                                items=items_of(
                                    item("money.finance.income.item.kind", "Kind", [coding("income-kind", i.kind)]),
                                    gbp("money.finance.income.item.weekly", "A week", i.weekly),
                                ),
                            )
                            for i in f.income
                        )
                    ),
                ),
                item("money.finance.partner_pension_age", "Partner over pension credit age (reg. 7(4)(b))",
                      [{"valueBoolean": f.partner_pension_age}]),
                item("money.finance.children", "Children the person is responsible for and lives with (reg. 7(1)(b))",
                      [{"valueInteger": f.children}]),
                item("money.finance.benefit", "Disability benefit for daily living, and its rate",
                      [coding("disability-benefit", f.benefit)] if f.benefit else None),
                item("money.finance.disability_premium", "Disability premium (worked out from the benefit, or said)",
                      [{"valueBoolean": premiums_due(f)[0]}]),
                item("money.finance.enhanced_disability_premium", "Enhanced disability premium (worked out, or said)",
                      [{"valueBoolean": premiums_due(f)[1]}]),
                item("money.finance.carer_premium", "Carer premium (worked out from Carer's Allowance)",
                      [{"valueBoolean": premiums_due(f)[2]}]),
                gbp("money.finance.housing_costs", "Housing costs a week", f.housing_total()),
                gbp("money.finance.dre", "Disability-related spending a week, itemised", sum(i.weekly for i in f.dre) if f.dre else None),
                gbp("money.finance.care_cost", "Care cost a week", f.care_cost),
                gbp("money.finance.council_cost", "Cost to the council a week", f.council_cost),
            ),
        )
    charge = None
    if c is not None:
        charge = item(
            "money.charge",
            "Charge estimate (ras-charge/1); the financial assessment decides",
            items=items_of(
                item("money.charge.as_of", "Charging rules in force on", [{"valueDate": c.as_of}]),
                item("money.charge.year", "Charging year of the figures", [{"valueString": c.year}] if c.year else None),
                item("money.charge.out_of_date", "The figures may be out of date", [{"valueBoolean": c.out_of_date}]),
                item("money.charge.capital_band", "Capital band", [coding("capital-band", c.capital_band)]),
                gbp("money.charge.tariff_income", "Tariff income a week", c.tariff_income),
                gbp("money.charge.assessable_income", "Assessable income a week", c.assessable_income),
                gbp("money.charge.disregarded_income", "Disregarded income a week", c.disregarded_income),
                gbp("money.charge.mig", "Minimum Income Guarantee a week", c.mig),
                gbp("money.charge.housing_costs", "Housing costs a week", c.housing_costs),
                gbp("money.charge.dre", "Disability-related expenditure a week", c.dre),
                gbp("money.charge.left_after_allowances", "Left after allowances a week", c.left_after_allowances),
                gbp("money.charge.weekly_charge", "Estimated weekly charge (the person's part)", c.weekly_charge),
                gbp("money.charge.council_pays", "The council's part a week", c.council_pays),
                item("money.charge.capped_at_care_cost", "Capped at the care cost", [{"valueBoolean": c.capped_at_care_cost}]),
                item("money.charge.full_cost", "Full cost (capital above the upper limit)", [{"valueBoolean": c.full_cost}]),
                item("money.charge.steps", "Steps", [{"valueString": st.text} for st in c.steps]),
                item("money.charge.notes", "Notes", [{"valueString": n} for n in c.notes]),
                item(
                    "money.charge.figures",
                    "Charging figures used, with how sure each is",
                    [{"valueString": f"{fig.label}: {fig.value} from {fig.effective_from} ({fig.status}"
                      + (f"; {fig.basis})" if fig.basis else ")")} for fig in c.figures],
                ),
            ),
        )
    return item(
        "money",
        "Optional money part (an estimate; the council's financial assessment decides)",
        items=items_of(
            item("money.status", "Money part", [coding("money-status", m.status)]),
            finance,
            charge,
            item("money.missing", "Why there is no charge figure", [{"valueString": t} for t in m.missing]),
            item("money.note", "Note", [{"valueString": m.note}] if m.status == "answered" else None),
        ),
    )


def budget_item(h: Handoff) -> dict | None:
    """The personal budget statement (Care Act s.26): totals, and the parts only when known."""
    b = h.budget
    if b is None:
        return None
    return item(
        "budget",
        "Personal budget statement (Care Act 2014 s.26)",
        items=items_of(
            gbp("budget.weekly_total", "Total a week", b.weekly_total),
            gbp("budget.yearly_total", "Total a year", b.yearly_total),
            item("budget.parts_known", "Person's and council's parts estimated", [{"valueBoolean": b.parts_known}]),
            gbp("budget.person_weekly", "Person's part a week (estimate)", b.person_weekly),
            gbp("budget.person_yearly", "Person's part a year (estimate)", b.person_yearly),
            gbp("budget.council_weekly", "Council's part a week (estimate)", b.council_weekly),
            gbp("budget.council_yearly", "Council's part a year (estimate)", b.council_yearly),
            item("budget.summary", "Statement", [{"valueString": line} for line in b.summary]),
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


def change_item(e: WorkerChange) -> dict | None:
    """One audit entry as items: what changed field by field, never a Python repr."""
    what = e.what if isinstance(e.what, dict) else {"change": e.what}
    fields = [
        item(
            "worker_changes.change.what",
            "What changed",
            items=items_of(
                item("worker_changes.change.what.field", "Field", [{"valueString": str(key)}]),
                item("worker_changes.change.what.value", "Value", [{"valueString": t} for t in _value_texts(value)]),
            ),
        )
        for key, value in what.items()
    ]
    return item(
        "worker_changes.change",
        f"Change {e.seq}",
        items=items_of(
            item("worker_changes.change.seq", "Number", [{"valueInteger": e.seq}]),
            item("worker_changes.change.at", "When", [{"valueDateTime": e.at}] if _DATETIME.match(e.at or "") else None),
            item("worker_changes.change.who", "Who", [{"valueString": e.who}] if e.who else None),
            *fields,
            item("worker_changes.change.why", "Why", [{"valueString": e.why}] if e.why else None),
            item("worker_changes.change.hash", "Audit hash", [{"valueString": e.hash}] if e.hash else None),
        ),
    )


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def _known(r: CarerRecord, field: str, answer: list | None) -> list | None:
    """No answer for a carer field not known (its least value is not what the carer said)."""
    return None if field in (r.not_known or ()) else answer


def carer_item(h: Handoff) -> dict | None:
    """The carer's own conversation (Care Act s.10) and its reg. 3 result, field by field
    of `ras-carer/1`. The relationship is free text: gone from a redacted record already."""
    c = h.carer
    if c is None:
        return None
    r = c.record
    hours = r.hours_caring_per_week
    return item(
        "carer",
        "The carer's own assessment (Care Act 2014 s.10)",
        items=items_of(
            # not known yet: no answer to "eligible", the result and the missing answers below
            item("carer.eligible", "Carer eligible (SI 2015/313 reg. 3)", None if c.result == "not_known" else yes_no(c.eligible)),
            item("carer.result", "Reg. 3 result", [{"valueString": carer_result_term(c.result, c.not_known)}]),
            item("carer.conditions", "Reg. 3 conditions",
                 [{"valueString": f"{k.replace('_', ' ')}: {carer_condition_term(v)}"} for k, v in c.conditions.items()]),
            item("carer.not_known", "Answers not known yet",
                 [{"valueString": f} for f in r.not_known] if r.not_known else None),
            item("carer.reason", "Why (in plain words)", [{"valueString": c.reason}] if c.reason else None),
            item("carer.needs_from_caring", "Needs arise from providing necessary care (reg. 3(1)(a))", yes_no(r.needs_from_caring)),
            item("carer.health_at_risk", "Health at risk (reg. 3(1)(b)(i))", _known(r, "health_at_risk", yes_no(r.health_at_risk))),
            item("carer.unable_outcomes", "Outcomes the carer is unable to achieve (reg. 3(2)(b))",
                 _known(r, "unable_outcomes", [coding("carer-outcome", o) for o in r.unable_outcomes])),
            item("carer.wellbeing_impact", "Significant impact on wellbeing (reg. 3(1)(c))", _known(r, "wellbeing_impact", yes_no(r.wellbeing_impact))),
            item("carer.relationship", "Relationship to the person cared for",
                 [{"valueString": r.cared_for_relationship}] if r.cared_for_relationship else None),
            item("carer.hours_caring_per_week", "Hours caring a week",
                 None if hours is None else [{"valueDecimal": Decimal(str(hours))}]),
            item("carer.coping", "How the carer is coping", [coding("carer-coping", r.coping)] if r.coping else None),
            item("carer.willing_to_continue", "Willing and able to carry on caring", yes_no(r.willing_to_continue)),
        ),
    )

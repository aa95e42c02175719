"""The hand-off as a summary for the worker, in professional terms (a worker's screen:
its words are for staff, not the person, so they stay here beside the fields they show)."""

from __future__ import annotations

from decimal import Decimal

from ras.charging.calc import premiums_due
from ras.money import pounds
from ras_chat.exports.blocks import Block
from ras_chat.exports.handoff import REMOVED, Handoff
from ras_chat.review.text import CARER_FIELD_TERMS, carer_condition_term, carer_result_term, carer_value

AREA_WORDS = {"health": "Health", "choice": "Choice and control", "work": "Work and learning", "community": "Community"}
SUPPORT_WORDS = {"none": "none", "some": "some", "most": "most"}
STATUS_TERMS = {"in_progress": "In progress", "handed_off": "Handed off for review", "agreed": "Agreed / signed off"}


def _readings_summary(h: Handoff) -> list[Block]:
    """Which answers came from the person's own words, and how sure the program was."""
    typed = [r for r in h.readings if r.how not in ("number", "label")]
    if not typed:
        return []
    rows = [["Field", "Value", "What the person said", "How read", "Confidence", "Confirmed"]]
    for r in typed:
        value = ", ".join(map(str, r.value)) if isinstance(r.value, list) else str(r.value)
        rows.append([r.field, value, r.said if r.said is not None else REMOVED, r.how, f"{r.confidence:.2f}", _yes(r.confirmed)])
    return [Block("h2", "Answers read from the person's own words"), Block("table", rows=rows)]


def _carer_summary(h: Handoff) -> list[Block]:
    c = h.carer
    if c is None:
        return []
    r = c.record
    conditions = ", ".join(f"{k.replace('_', ' ')}: {carer_condition_term(v)}" for k, v in c.conditions.items())
    hours = "-" if r.hours_caring_per_week is None else f"{r.hours_caring_per_week:g}"
    willing = "-" if r.willing_to_continue is None else _yes(r.willing_to_continue)
    rows = [
        ["Field", "Value"],
        ["Eligible (reg. 3)", carer_result_term(c.result, c.not_known) + "; " + conditions],
        ["Relationship", carer_value(r, "cared_for_relationship", r.cared_for_relationship or "-")],
        ["Hours caring a week", carer_value(r, "hours_caring_per_week", hours)],
        ["Health at risk (reg. 3(1)(b)(i))", carer_value(r, "health_at_risk", _yes(r.health_at_risk))],
        ["Outcomes not achieved (reg. 3(2))",
         carer_value(r, "unable_outcomes", ", ".join(o.replace("_", " ") for o in r.unable_outcomes) or "none")],
        ["Significant impact on wellbeing (reg. 3(1)(c))", carer_value(r, "wellbeing_impact", _yes(r.wellbeing_impact))],
        ["Coping", carer_value(r, "coping", (r.coping or "-").replace("_", " "))],
        ["Willing to continue", carer_value(r, "willing_to_continue", willing)],
    ]
    if r.not_known:
        rows.append(["Not known yet (ask at review)", ", ".join(CARER_FIELD_TERMS[f] for f in r.not_known)])
    return [Block("h2", "Carer's own assessment (Care Act s.10)"), Block("p", c.reason), Block("table", rows=rows)]


def summary_blocks(h: Handoff) -> list[Block]:
    """The summary for the worker, in professional terms."""
    out: list[Block] = [Block("h1", "Summary for the worker")]
    s = h.session
    rows = [
        ["Session", s.id],
        ["Status", STATUS_TERMS[h.status]],
        ["Started / last updated", f"{s.created or '-'} / {s.updated or '-'}"],
        ["Dialogue state", (s.state or "-") + (" (stopped at a possible disclosure of harm: see the urgent flag)" if h.stopped else "")],
        ["Policy", s.policy or "-"],
    ]
    if h.redacted:
        rows.append(["Redacted", "yes: names and free text removed"])
    out.append(Block("table", rows=[["Field", "Value"], *rows]))
    a = h.assessment
    if a is not None:
        out.append(Block("h2", f"Assessment record ({a.schema_})"))
        out.append(
            Block(
                "table",
                rows=[
                    ["Field", "Value"],
                    ["Client group", a.client_group.replace("_", " ")],
                    ["Impairment or illness (reg. 2(1)(a))", _yes(a.impairment)],
                    ["Unable to achieve outcomes (reg. 2(1)(b))", ", ".join(o.replace("_", " ") for o in a.unable_outcomes) or "none"],
                    ["Significant impact on wellbeing (reg. 2(1)(c))", _yes(a.wellbeing_impact)],
                    ["Fluctuating needs", _yes(a.fluctuating)],
                    ["Not known yet (counted at their least)", ", ".join(a.not_known or ()) or "none"],
                ],
            )
        )
        area_rows = [["Area", "Need (0-4)", "Risk (0-4)", "Unpaid support"]]
        for area in ("health", "choice", "work", "community"):
            ans = a.areas.get(area)
            area_rows.append([AREA_WORDS[area], str(ans.need), str(ans.risk), SUPPORT_WORDS[ans.unpaid_support]])
        out.append(Block("table", rows=area_rows))
    r = h.result
    if r is not None:
        out.append(Block("h2", "Indicative allocation (ras-allocation/1)"))
        rows = [
            ["Field", "Value"],
            ["Method", r.method],
            ["Policy in force", f"{r.policy}, effective {r.policy_effective_from}, as of {r.as_of}"],
            ["Eligible (Care Act, reg. 2)", _yes(r.eligible) + "; " + ", ".join(f"{k.replace('_', ' ')}: {_yes(v)}" for k, v in r.eligibility.conditions.items())],
            ["Indicative weekly amount", pounds(r.weekly)],
            ["Annual", pounds(r.annual)],
            ["Range (weekly)", f"{pounds(r.range.low)} to {pounds(r.range.high)}"],
            ["Band", r.band or "-"],
            ["Reference cost (weekly)", pounds(r.reference_cost)],
            ["Shortfall against reference cost", pounds(r.shortfall)],
        ]
        out.append(Block("table", rows=rows))
        out.append(Block("ol", items=[f"[{st.rule}] {st.text}" for st in r.explanation]))
    if h.own_words.what_matters or h.own_words.notes:
        out.append(Block("h2", "What matters to the person (own words)"))
        for text in (h.own_words.what_matters, h.own_words.notes):
            if text:
                out.append(Block("quote", text))
    out += _readings_summary(h)
    out += _carer_summary(h)
    out += _money_summary(h)
    out.append(Block("h2", "Flags"))
    out.append(Block("ul", items=h.flags) if h.flags else Block("p", "None raised."))
    out += _review_summary(h)
    out.append(Block("h2", "Audit trail of worker changes"))
    if h.audit:
        table = [["#", "When", "Who", "What", "Why", "Hash"]]
        table += [[str(e.seq), e.at, e.who, _what_terms(e.what), e.why, e.hash[:12]] for e in h.audit]
        out.append(Block("table", rows=table))
    else:
        out.append(Block("p", "No changes recorded."))
    out.append(
        Block("p", "Audit chain verified intact." if h.audit_chain_intact else "WARNING: the audit chain has breaks; run `ras-chat audit verify`.")
    )
    out.append(Block("h2", "Transcript"))
    n_person = sum(1 for m in h.transcript if m.role == "person")
    out.append(Block("p", f"{len(h.transcript)} messages ({n_person} from the person)."))
    out.append(Block("table", rows=[["When", "Who", "Text"], *[[m.at or "-", m.role, m.text] for m in h.transcript]]))
    return out


def _yes(value: bool) -> str:
    return "yes" if value else "no"


MONEY_STATUS_TERMS = {
    "answered": "answered by the person",
    "skipped": "skipped by the person (no charge estimate; the financial assessment decides)",
    "not_reached": "not reached (not offered, or the conversation did not get there)",
}
YES_NO = {True: "yes", False: "no"}


def _money_summary(h: Handoff) -> list[Block]:
    """Professional terms: the finance record, the charge estimate with its steps, and the
    s.26 split of the budget, each marked as an estimate for the financial assessment."""
    money, st = h.money, h.budget
    out = [Block("h2", "Charging estimate (ras-charge/1): an estimate, not a financial assessment")]
    if money is None:
        out.append(Block("p", "Not in this record (read from ras-handoff/1)."))
    else:
        extra = f" ({money.answers} answers)" if money.status == "answered" else ""
        out.append(Block("p", f"Optional money part: {MONEY_STATUS_TERMS[money.status]}{extra}."))
        f, c = money.finance, money.charge
        if f is not None:
            rows = [
                ["Field", "Value"],
                ["Capital (savings that count)", pounds(f.capital)],
                ["Age group / household", f"{f.age_group} / {f.household}"],
                ["Weekly income", "; ".join(f"{i.kind.replace('_', ' ')} {pounds(i.weekly)}" for i in f.income) or "none given"],
                ["Disability benefit for daily living", (f.benefit or "not asked").replace("_", " ")],
                ["Disability / enhanced / carer premium (worked out)", " / ".join(YES_NO[p] for p in premiums_due(f))],
                ["Children / partner over pension age", f"{f.children} / {YES_NO[f.partner_pension_age]}"],
                ["Housing costs (weekly)", pounds(f.housing_total())],
                ["Disability-related expenditure", "; ".join(f"{i.what} {pounds(i.weekly)}" for i in f.dre) if f.dre else "not itemised (rules' default if a disability benefit counts)"],
                ["Care cost used (weekly)", pounds(f.care_cost)],
            ]
            out.append(Block("table", rows=rows))
        if c is not None:
            rows = [
                ["Field", "Value"],
                ["Rules in force", f"{c.rules}, as of {c.as_of}"],
                ["Capital band", c.capital_band.replace("_", " ")],
                ["Tariff income (weekly)", _money_or(c.tariff_income, "n/a (full cost)")],
                ["Assessable income (weekly)", pounds(c.assessable_income)],
                ["Disregarded income (weekly)", pounds(c.disregarded_income)],
                ["Minimum Income Guarantee (weekly)", _money_or(c.mig, "MISSING from the charging rules")],
                ["Housing costs (weekly)", pounds(c.housing_costs)],
                ["Disability-related expenditure (weekly)", f"{pounds(c.dre)} ({c.dre_source})"],
                ["Left after allowances (weekly)", _money_or(c.left_after_allowances, "-")],
                ["Estimated weekly charge", _money_or(c.weekly_charge, "not worked out")],
                ["Capped at the care cost", YES_NO[c.capped_at_care_cost]],
                ["Full cost (capital above the upper limit)", YES_NO[c.full_cost]],
            ]
            out.append(Block("table", rows=rows))
            out.append(Block("ol", items=[f"[{step.rule}] {step.text}" for step in c.steps]))
        if money.missing:
            out.append(Block("p", "Why there is no charge figure:"))
            out.append(Block("ul", items=list(money.missing)))
        rv = h.review
        if f is not None and rv is not None and rv.agreed_weekly is not None and rv.agreed_weekly != f.care_cost:
            out.append(
                Block(
                    "p",
                    f"The estimate in the conversation used a care cost of {pounds(f.care_cost)} a week; the agreed "
                    f"amount is {pounds(rv.agreed_weekly)} a week. The statement below is estimated again on the "
                    "agreed amount (same finance record, rules and date).",
                )
            )
        if money.status == "answered":
            out.append(Block("p", money.note))
    if st is not None:
        out.append(Block("h2", "Personal budget statement (Care Act 2014 s.26)"))
        parts = st.parts_known
        rows = [
            ["", "Weekly", "Yearly"],
            ["Total (indicative personal budget)", pounds(st.weekly_total), pounds(st.yearly_total)],
            ["Person's part (estimated charge)", *(_pair(st.person_weekly, st.person_yearly) if parts else ["not worked out", "not worked out"])],
            ["Council's part (total less person's part)", *(_pair(st.council_weekly, st.council_yearly) if parts else ["not worked out", "not worked out"])],
        ]
        out.append(Block("table", rows=rows))
        out.append(
            Block(
                "p",
                "Parts are an estimate from the optional money part; the financial assessment decides the charge."
                if parts
                else "No person/council split is stated: no charge estimate was made. The financial assessment decides the charge.",
            )
        )
    return out


def _money_or(value: Decimal | None, missing: str) -> str:
    return missing if value is None else pounds(value)


def _pair(weekly: Decimal | None, yearly: Decimal | None) -> list[str]:
    if weekly is None or yearly is None:
        return ["not worked out", "not worked out"]
    return [pounds(weekly), pounds(yearly)]



def _review_summary(h: Handoff) -> list[Block]:
    """Professional terms: original, recalculated, override, agreed; each change (who, when, what, why)."""
    from ras_chat.review.model import describe

    rv = h.review
    if rv is None:
        return []
    out = [Block("h2", "Worker review")]
    original = pounds(h.result.weekly) if h.result is not None else "-"
    adjusted = rv.adjusted_result
    rows = [
        ["Field", "Value"],
        ["Original weekly amount (person's answers)", original],
        ["Recalculated weekly amount (after changes)", pounds(adjusted.weekly) if adjusted is not None else "-"],
        ["Amount set by the worker (outside the tables)", pounds(rv.override_weekly) if rv.override_weekly is not None else "none"],
        ["Agreed weekly amount", pounds(rv.agreed_weekly) if rv.agreed_weekly is not None else "-"],
        ["Signed off", _yes(rv.signed_off)],
    ]
    if adjusted is not None:
        rows.append(["Recalculated shortfall against reference cost", pounds(adjusted.shortfall)])
    out.append(Block("table", rows=rows))
    if rv.changes:
        table = [["#", "When", "Who", "What", "Why"]]
        table += [[str(c.seq), c.at, c.who, describe(c.what), c.why] for c in rv.changes]
        out.append(Block("table", rows=table))
    else:
        out.append(Block("p", "No review changes recorded; the person's answers stand as given."))
    return out


def _what_terms(what: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in what.items())


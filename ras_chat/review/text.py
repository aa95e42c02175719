"""The review as plain text for a terminal (`ras-chat review ID --show`), in professional terms."""

from __future__ import annotations

from ras.eligibility import carer_eligibility
from ras.models import AREA_IDS, CarerRecord
from ras.money import pounds
from ras_chat.review.changes import describe
from ras_chat.review.reviewed import Reviewed

STATUS_TERMS = {"in_progress": "in progress", "handed_off": "handed off for review", "agreed": "agreed (signed off)"}


def urgent_lines(flags: list[str] | tuple[str, ...]) -> list[str]:
    """The urgent flags ("urgent: safety: ..." in a hand-off), each as "URGENT: safety: ..."."""
    return [f"URGENT: {f.split(': ', 1)[1]}" for f in flags if f.startswith("urgent: ")]


def review_lines(
    r: Reviewed,
    *,
    who: str | None = None,
    flags: list[str] | tuple[str, ...] = (),
    what_matters: str | None = None,
    carer: CarerRecord | None = None,
    stopped: bool = False,
) -> list[str]:
    """The review in professional terms: urgent flags first, then the record, the result,
    the carer's own part (with its reg. 3 result), flags and the worker's changes."""
    status = "stopped at a possible disclosure of harm" if stopped else STATUS_TERMS.get(r.status, r.status)
    out = [f"Session {r.session_id}" + (f" ({who})" if who else "") + f": {status}"]
    out += urgent_lines(flags)
    out.append(f"Policy {r.policy or '-'}, figures as of {r.as_of or '-'}, method {r.method or '-'}")
    rec, adj = r.original_record, r.adjusted_record
    if rec is None:
        out.append("No assessment record yet.")
        return out
    out.append("")
    out.append(f"Client group: {_chg(rec.client_group, adj.client_group if adj else None)}")
    out.append(
        f"Impairment or illness (reg. 2(1)(a)): {_chg(rec.impairment, adj.impairment if adj else None)}; significant impact on wellbeing (reg. 2(1)(c)): {_chg(rec.wellbeing_impact, adj.wellbeing_impact if adj else None)}"
    )
    latest = r.adjusted_result or r.original_result
    if latest is not None:
        conditions = ", ".join(f"{k.replace('_', ' ')} {_s(v)}" for k, v in latest.eligibility.conditions.items())
        out.append(f"Eligible (Care Act, reg. 2): {_s(latest.eligible)} ({conditions})")
    out.append(f"Fluctuating: {_chg(rec.fluctuating, adj.fluctuating if adj else None)}")
    out.append("Areas (need 0-4 / risk 0-4 / unpaid support):")
    for a in AREA_IDS:
        was, now = rec.areas.get(a), (adj.areas.get(a) if adj else None)
        line = f"  {a:<10} {was.need} / {was.risk} / {was.unpaid_support}"
        if now is not None and now != was:
            line += f"   -> {now.need} / {now.risk} / {now.unpaid_support}"
        out.append(line)
    target = adj or rec
    reasons = target.unable_reasons or {}
    out.append("Unable to achieve (reg. 2(2), ways of reg. 2(3)):")
    for o in target.unable_outcomes:
        ways = ", ".join(w.replace("_", " ") for w in reasons.get(o, ())) or "ways not recorded"
        mark = "" if o in rec.unable_outcomes else "   (added)"
        out.append(f"  [x] {o.replace('_', ' ')}: {ways}{mark}")
    for o in rec.unable_outcomes:
        if o not in target.unable_outcomes:
            out.append(f"  [ ] {o.replace('_', ' ')}   (removed)")
    out.append("")
    res = r.original_result
    if res is not None:
        out.append(f"Original result: {pounds(res.weekly)} a week ({res.method}, band {res.band or '-'}), "
                   f"eligible {'yes' if res.eligible else 'no'}, shortfall {pounds(res.shortfall)}")
    if r.adjusted_result is not None:
        ar = r.adjusted_result
        out.append(f"Recalculated:    {pounds(ar.weekly)} a week, eligible {'yes' if ar.eligible else 'no'}, "
                   f"reference cost {pounds(ar.reference_cost)}, shortfall {pounds(ar.shortfall)}")
        for e in ar.elements:
            out.append(f"  {e.name}: {pounds(e.amount)}")
    if r.override is not None:
        out.append(f"Amount set by the worker: {pounds(r.override)}")
    out.append(f"Agreed weekly amount: {pounds(r.agreed_weekly) if r.agreed_weekly is not None else '-'}")
    out += carer_lines(carer)
    if flags:
        out.append("Flags:")
        out += [f"  {f}" for f in flags]
    if what_matters:
        out.append(f"In their own words: \u201c{what_matters}\u201d")
    out.append("")
    out.append("Changes (audit trail):" if r.changes else "No changes recorded.")
    for c in r.changes:
        out.append(f"  #{c.seq} {c.at} {c.who}: {describe(c.what)}")
        out.append(f"      why: {c.why}")
    if r.why_not_sign_off() and r.signed_off is None:
        out.append(f"Cannot sign off yet: {r.why_not_sign_off()}")
    return out


CARER_RESULT_TERMS = {"eligible": "yes", "not_eligible": "no", "not_known": "not known yet"}
"""The reg. 3 result (`CarerEligibility.result`) in the worker's terms, after "eligible (reg. 3)"."""

CARER_FIELD_TERMS = {
    "health_at_risk": "health at risk (reg. 3(1)(b)(i))",
    "unable_outcomes": "outcomes not achieved (reg. 3(2)(b))",
    "wellbeing_impact": "significant impact on wellbeing (reg. 3(1)(c))",
    "cared_for_relationship": "relationship",
    "hours_caring_per_week": "hours caring a week",
    "coping": "coping",
    "willing_to_continue": "willing to continue",
}
NOT_KNOWN = "not known"


def carer_result_term(result: str, missing: tuple[str, ...] | list[str] = ()) -> str:
    """"yes", "no", or "not known yet (missing: ...)" for the worker: one
    wording for the review, the worker summary and the exports."""
    words = CARER_RESULT_TERMS[result]
    if result == "not_known" and missing:
        words += " (missing: " + ", ".join(CARER_FIELD_TERMS.get(f, f) for f in missing) + ")"
    return words


def carer_condition_term(value: bool | None) -> str:
    return NOT_KNOWN + " yet" if value is None else _s(value)


def carer_value(carer: CarerRecord, field: str, shown: str) -> str:
    """`shown` (the field's value in words), or "not known" when the carer's answer was not known."""
    return NOT_KNOWN if field in (carer.not_known or ()) else shown


def carer_lines(carer: CarerRecord | None) -> list[str]:
    """The carer's own assessment (Care Act s.10) and its reg. 3 result (the engine's): a
    don't-know shows as not known, never as a no."""
    if carer is None:
        return []
    el = carer_eligibility(carer)
    conditions = ", ".join(f"{k.replace('_', ' ')} {carer_condition_term(v)}" for k, v in el.conditions.items())
    hours = "-" if carer.hours_caring_per_week is None else f"{carer.hours_caring_per_week:g}"
    willing = "-" if carer.willing_to_continue is None else _s(carer.willing_to_continue)
    out = [
        f"Carer's own assessment (Care Act s.10): eligible (reg. 3) {carer_result_term(el.result, el.not_known)} ({conditions})",
        f"  Relationship {carer_value(carer, 'cared_for_relationship', carer.cared_for_relationship or '-')}, "
        f"{carer_value(carer, 'hours_caring_per_week', hours)} hours caring a week, "
        f"coping {carer_value(carer, 'coping', _s(carer.coping or '-'))}, "
        f"willing to continue {carer_value(carer, 'willing_to_continue', willing)}",
        f"  Health at risk (reg. 3(1)(b)(i)) {carer_value(carer, 'health_at_risk', _s(carer.health_at_risk))}; "
        "significant impact on wellbeing (reg. 3(1)(c)) "
        f"{carer_value(carer, 'wellbeing_impact', _s(carer.wellbeing_impact))}",
        "  Outcomes not achieved (reg. 3(2)(b)): "
        + carer_value(carer, "unable_outcomes", ", ".join(_s(o) for o in carer.unable_outcomes) or "none"),
    ]
    if carer.not_known:
        out.append("  Not known yet (ask at review): " + ", ".join(CARER_FIELD_TERMS[f] for f in carer.not_known))
    return out


def _chg(before: object, after: object) -> str:
    b = _s(before)
    return b if after is None or after == before else f"{b} -> {_s(after)}"


def _s(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v).replace("_", " ")

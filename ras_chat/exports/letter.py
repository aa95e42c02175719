"""The hand-off as a letter for the person ("How we worked out your budget") and a summary
for the worker, in Markdown or HTML.

The letter is in plain words: short sentences, no jargon, written for a reading age of
about nine. The worker's summary uses professional terms. Both are built once as a list
of blocks and rendered twice, so every piece of text passes through one escaping
function per format (person text can never become markup).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ras.charging.calc import premiums_due
from ras.money import pounds
from ras_chat.exports.handoff import REMOVED, Handoff

AREA_WORDS = {"health": "Health", "choice": "Choice and control", "work": "Work and learning", "community": "Community"}
SUPPORT_WORDS = {"none": "none", "some": "some", "most": "most"}
STATUS_WORDS = {"in_progress": "not finished yet", "handed_off": "sent to a worker", "agreed": "agreed with a worker"}
STATUS_TERMS = {"in_progress": "In progress", "handed_off": "Handed off for review", "agreed": "Agreed / signed off"}


@dataclass
class Block:
    kind: str  # h1 h2 p quote ol ul table
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def letter_blocks(h: Handoff) -> list[Block]:
    """The letter for the person."""
    out: list[Block] = [Block("h1", "How we worked out your budget")]
    name = (h.session.name or "").strip()
    out.append(Block("p", f"Dear {name}," if name else "Hello,"))
    out.append(Block("p", "Thank you for talking with us. This letter says what you told us. It also says how we worked out your budget."))
    r = h.result
    if r is None:
        out.append(Block("p", "We have not finished yet. Your answers are saved. You can carry on when you are ready."))
    elif not r.eligible:
        out.append(Block("h2", "What we found"))
        out.append(Block("p", r.eligibility.reason))
        out.append(Block("p", "So we cannot show an amount of money yet. Your answers are saved. A worker will look at them with you."))
    else:
        out.append(Block("h2", "Your budget"))
        out.append(Block("p", f"We think about {pounds(r.weekly)} a week could pay for your support."))
        out.append(Block("p", f"That is about {pounds(r.annual)} a year."))
        out.append(Block("p", f"It may end up between {pounds(r.range.low)} and {pounds(r.range.high)} a week."))
        out.append(Block("p", "This is a first guess. It is not the final amount. A worker will go through it with you."))
        out.append(Block("h2", "How we worked it out"))
        out.append(Block("ol", items=[s.text for s in r.explanation]))
        out.append(Block("h2", "What each part is for"))
        out.append(Block("ul", items=[f"{e.name}: {pounds(e.amount)} a week. {e.why}" for e in r.elements]))
    out += _review_letter(h)
    out += _money_letter(h)
    words = h.own_words
    if words.what_matters or words.area_notes:
        out.append(Block("h2", "What matters to you"))
        out.append(Block("p", "You told us:"))
        if words.what_matters:
            out.append(Block("quote", words.what_matters))
        for note in words.area_notes.values():
            out.append(Block("quote", note))
    if h.audit:
        out.append(Block("h2", "Changes a worker made"))
        out.append(Block("p", "A worker changed some things after talking with you. This is what they changed, and why."))
        out.append(Block("ul", items=[f"{_what_words(a.what)} Why: {a.why}" for a in h.audit if a.what.get("kind") != "sign_off"]))
    out.append(Block("h2", "What happens next"))
    out.append(Block("p", "A worker will look at this with you. You can ask them to change anything that is wrong."))
    out.append(Block("p", "You can ask for this letter in large print or in another language. Someone can read it to you."))
    return out


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
    rows = [
        ["Field", "Value"],
        ["Eligible (reg. 3)", _yes(c.eligible) + "; " + ", ".join(f"{k.replace('_', ' ')}: {_yes(v)}" for k, v in c.conditions.items())],
        ["Relationship", r.cared_for_relationship or "-"],
        ["Hours caring a week", "-" if r.hours_caring_per_week is None else f"{r.hours_caring_per_week:g}"],
        ["Health at risk (reg. 3(1)(b)(i))", _yes(r.health_at_risk)],
        ["Outcomes not achieved (reg. 3(2))", ", ".join(o.replace("_", " ") for o in r.unable_outcomes) or "none"],
        ["Significant impact on wellbeing (reg. 3(1)(c))", _yes(r.wellbeing_impact)],
        ["Coping", (r.coping or "-").replace("_", " ")],
        ["Willing to continue", "-" if r.willing_to_continue is None else _yes(r.willing_to_continue)],
    ]
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


def _money_letter(h: Handoff) -> list[Block]:
    """The personal budget statement (Care Act s.26) in the council's words: the total, and
    the person's and the council's parts only when the money part gave an estimate."""
    st, money = h.budget, h.money
    if st is None:
        return []
    out: list[Block] = [Block("h2", st.title)]
    status = money.status if money is not None else None
    if status == "skipped":
        out.append(Block("p", "You chose to skip the money questions. That is fine."))
        out.append(Block("p", "So we do not know yet what you will pay."))
    elif status == "answered" and not st.parts_known:
        out.append(Block("p", "You told us about your money. But we could not make a first guess."))
        if any(m.startswith("not answered") for m in money.missing):
            out.append(Block("p", "We need a few more answers first."))
        out += [Block("p", m) for m in (money.charge.missing if money.charge else ())]
    out += [Block("p", line) for line in st.summary]
    if st.parts_known:
        out.append(
            Block(
                "table",
                rows=[
                    ["", "A week", "A year"],
                    ["Your budget", pounds(st.weekly_total), pounds(st.yearly_total)],
                    ["You pay (a first guess)", pounds(st.person_weekly), pounds(st.person_yearly)],
                    ["The council pays (a first guess)", pounds(st.council_weekly), pounds(st.council_yearly)],
                ],
            )
        )
        if money is not None and money.charge is not None:
            out.append(Block("h2", "How we worked out your part"))
            out.append(Block("ol", items=[step.text for step in money.charge.steps]))
    if st.free_services:
        out.append(Block("h2", st.free_heading))
        out.append(Block("ul", items=[f"{f.name}: {f.limit}." for f in st.free_services]))
    for section in st.sections:
        out.append(Block("h2", section.heading))
        out += [Block("p", line) for line in section.lines]
        if section.items:
            out.append(Block("ul", items=[f"{i.name}: {i.text} {i.limit}" for i in section.items]))
    return out


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


def _money_or(value, missing: str) -> str:
    return missing if value is None else pounds(value)


def _pair(weekly, yearly) -> list[str]:
    return [pounds(weekly), pounds(yearly)]


def _review_letter(h: Handoff) -> list[Block]:
    """Plain words: did a worker change the amount, to what, and why."""
    rv, r = h.review, h.result
    if rv is None or rv.agreed_weekly is None:
        return []
    out: list[Block] = []
    if rv.amount_changed and r is not None:
        out.append(Block("h2", "A worker changed the amount"))
        out.append(Block("p", f"At first we worked out {pounds(r.weekly)} a week."))
        out.append(Block("p", f"A worker looked at it with you. Now it is {pounds(rv.agreed_weekly)} a week."))
        whys = [c.why for c in rv.changes if c.what.get("kind") != "sign_off"]
        if whys:
            out.append(Block("p", "They told us why:"))
            out += [Block("quote", why) for why in whys]
    if rv.signed_off:
        out.append(Block("p", f"Your budget is now agreed. It is {pounds(rv.agreed_weekly)} a week."))
    return out


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


def _what_words(what: dict) -> str:
    kind = what.get("kind")
    if kind == "set":
        name = str(what.get("field", ""))
        area, _, part = name.replace("areas.", "").partition(".")
        if part:
            thing = {"need": "How much help you need", "risk": "What could happen without help", "unpaid_support": "Help from family or friends"}[part]
            name = f"{thing} ({AREA_WORDS.get(area, area).lower()})"
        else:
            name = name.replace("_", " ").capitalize()
        return f"{name}: from {_plain(what.get('from'))} to {_plain(what.get('to'))}."
    if kind == "add_outcome":
        return f"Added a thing that is hard for you: {str(what.get('outcome', '')).replace('_', ' ')}."
    if kind == "remove_outcome":
        return f"Took off a thing that is hard for you: {str(what.get('outcome', '')).replace('_', ' ')}."
    if kind == "amount":
        to = what.get("to")
        return f"The money each week: now £{to}." if to is not None else "The money each week: back to the amount we worked out."
    return _what_words_generic(what)


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "-" if value is None else str(value).replace("_", " ")


def _what_words_generic(what: dict) -> str:
    parts = []
    for key, value in what.items():
        if key in ("from", "to", "field"):
            continue
        parts.append(f"{key.replace('_', ' ')}: {value}")
    if "field" in what:
        name = str(what["field"]).replace("areas.", "").replace(".", " ").replace("_", " ")
        parts.insert(0, f"{name}: {what.get('from', '-')} to {what.get('to', '-')}.")
    text = " ".join(parts) or "A change."
    return text if text.endswith(".") else text + "."


def _what_terms(what: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in what.items())


# ----- rendering ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_escape(text: str) -> str:
    """Inline text that Markdown shows as written: no emphasis, links, tables or raw HTML."""
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", " ").replace("\n", " ")


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            out += [f"# {md_escape(b.text)}", ""]
        elif b.kind == "h2":
            out += [f"## {md_escape(b.text)}", ""]
        elif b.kind == "p":
            out += [md_escape(b.text), ""]
        elif b.kind == "quote":
            out += [f"> {md_escape(b.text)}", ""]
        elif b.kind == "ol":
            out += [f"{n}. {md_escape(t)}" for n, t in enumerate(b.items, 1)] + [""]
        elif b.kind == "ul":
            out += [f"- {md_escape(t)}" for t in b.items] + [""]
        elif b.kind == "table":
            head, *rows = b.rows
            out.append("| " + " | ".join(md_escape(c) for c in head) + " |")
            out.append("|" + "|".join("---" for _ in head) + "|")
            out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
            out.append("")
    return "\n".join(out)


def to_html_body(blocks: list[Block]) -> str:
    e = html.escape
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "p"):
            out.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind == "quote":
            out.append(f"<blockquote>{e(b.text)}</blockquote>")
        elif b.kind in ("ol", "ul"):
            out.append(f"<{b.kind}>" + "".join(f"<li>{e(t)}</li>" for t in b.items) + f"</{b.kind}>")
        elif b.kind == "table":
            head, *rows = b.rows
            out.append(
                "<table><thead><tr>"
                + "".join(f'<th scope="col">{e(c)}</th>' for c in head)
                + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
                + "</tbody></table>"
            )
    return "\n".join(out)


_CSS = (
    "body{font-family:system-ui,sans-serif;font-size:1.15rem;line-height:1.6;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111}"
    "blockquote{border-left:4px solid #555;margin:1rem 0;padding:.25rem 1rem;background:#f4f4f4}"
    "table{border-collapse:collapse;font-size:1rem}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "section.worker{border-top:3px double #333;margin-top:3rem;font-size:1rem}"
    "@media print{section.worker{break-before:page}}"
)


def letter_markdown(h: Handoff) -> str:
    return to_markdown(letter_blocks(h)) + "\n---\n\n" + to_markdown(summary_blocks(h))


def letter_html(h: Handoff) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>How we worked out your budget</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n<section class=\"letter\">\n"
        + to_html_body(letter_blocks(h))
        + '\n</section>\n<section class="worker">\n'
        + to_html_body(summary_blocks(h))
        + "\n</section>\n</main>\n</body>\n</html>\n"
    )

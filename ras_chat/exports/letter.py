"""The hand-off as a letter for the person ("How we worked out your budget"), with the
worker's summary after it (`ras_chat.exports.summary`), in Markdown or HTML.

The letter is in plain words: short sentences, no jargon, written for a reading age of
about nine. Its sentences are data, in `dialogues/messages.en.yaml` (part `letter:`),
where `ras-chat dialogue check` holds them to those rules; this module only picks which
ones a record needs and fills in the figures. The engine's explanation steps come
already worded (`ras/messages.en.yaml`).

Once a worker has changed the amount or signed it off, the letter opens with the amount
that stands (`letter_standing`: the hand-off's budget statement, which is the one for the
amount that stands, `ras_chat.review.standing`), in the cases the resumed conversation
uses (agreed, or set by a worker; the first amount once, when it differs). A letter
nobody changed is as it always was.
"""

from __future__ import annotations

import html
from decimal import Decimal

from ras.models import Allocation
from ras.money import pounds
from ras_chat.dialogue.catalogue import lines, say
from ras_chat.exports.blocks import CSS, Block, md_escape, to_html_body, to_markdown
from ras_chat.exports.handoff import Handoff
from ras_chat.exports.summary import summary_blocks
from ras_chat.review.standing import Standing

__all__ = [
    "Block", "letter_blocks", "letter_html", "letter_markdown", "letter_standing", "md_escape", "standing_letter_lines",
    "summary_blocks", "to_html_body", "to_markdown",
]


def letter_blocks(h: Handoff) -> list[Block]:
    """The letter for the person."""
    out: list[Block] = [Block("h1", say("letter.title"))]
    name = (h.session.name or "").strip()
    out.append(Block("p", say("letter.dear", name=name) if name else say("letter.hello")))
    out.append(Block("p", say("letter.thanks")))
    r = h.result
    if h.stopped:  # a safety stop: what happened and what the worker will do, before anything else
        out.append(Block("h2", say("letter.stopped_heading")))
        out += [Block("p", line) for line in lines("letter.stopped")]
    elif r is None:
        out.append(Block("p", say("letter.not_finished")))
    elif not r.eligible:
        out.append(Block("h2", say("letter.found_heading")))
        out.append(Block("p", r.eligibility.reason))
        out.append(Block("p", say("letter.no_amount_yet")))
    elif (stands := letter_standing(h)) is not None:
        standing, worked = stands
        out.append(Block("h2", say("letter.budget_heading")))
        out += [Block("p", line) for line in standing_letter_lines(standing)]
        if worked is not None:  # the amount comes from the tables: how, and what each part is for
            out += _how_blocks(worked)
    else:
        out.append(Block("h2", say("letter.budget_heading")))
        out.append(Block("p", say("letter.weekly", weekly=pounds(r.weekly))))
        out.append(Block("p", say("letter.yearly", yearly=pounds(r.annual))))
        out.append(Block("p", say("letter.range", low=pounds(r.range.low), high=pounds(r.range.high))))
        out.append(Block("p", say("letter.first_guess")))
        out += _how_blocks(r)
    out += _review_letter(h)
    out += _money_letter(h)
    words = h.own_words
    if words.what_matters or words.area_notes:
        out.append(Block("h2", say("letter.matters_heading")))
        out.append(Block("p", say("letter.you_told_us")))
        if words.what_matters:
            out.append(Block("quote", words.what_matters))
        for note in words.area_notes.values():
            out.append(Block("quote", note))
    if h.audit:
        out.append(Block("h2", say("letter.changes_heading")))
        out.append(Block("p", say("letter.changes_intro")))
        out.append(
            Block("ul", items=[say("letter.change", change=what_words(a.what), why=a.why) for a in h.audit if a.what.get("kind") != "sign_off"])
        )
    out.append(Block("h2", say("letter.next_heading")))
    out += [Block("p", line) for line in lines("letter.next")]
    return out


def _how_blocks(r: Allocation) -> list[Block]:
    """How an amount was worked out, and what each part of it is for."""
    return [
        Block("h2", say("letter.how_heading")),
        Block("ol", items=[s.text for s in r.explanation]),
        Block("h2", say("letter.parts_heading")),
        Block("ul", items=[say("letter.part", name=e.name, amount=pounds(e.amount), why=e.why) for e in r.elements]),
    ]


def letter_standing(h: Handoff) -> tuple[Standing, Allocation | None] | None:
    """The amount that stands, when the letter opens with it instead of the first figures
    (a worker changed the amount or signed it off; as `ras_chat.app.summary` shows it on
    resume), and the allocation that explains it (None for an amount a worker set outside
    the tables: the first figures' steps do not explain it). None: the first figures stand.

    The amount and its year are the hand-off's budget statement, which is the statement
    for the amount that stands (`ras_chat.review.standing`); nothing is worked out here."""
    r, rv, st = h.result, h.review, h.budget
    if h.stopped or r is None or not r.eligible or rv is None or rv.agreed_weekly is None:
        return None
    base = (rv.adjusted_result or r) if rv.amount_changed else r
    if not base.eligible:
        return None
    weekly = rv.agreed_weekly if rv.amount_changed else r.weekly
    from_tables = weekly == base.weekly
    if st is not None and st.weekly_total == weekly:
        annual: Decimal | None = st.yearly_total
    else:
        annual = base.annual if from_tables else None
    standing = Standing(
        weekly=weekly, annual=annual, first_weekly=r.weekly, agreed=rv.signed_off,
        changed=weekly != r.weekly, eligible=True, statement=st,
    )
    if not (standing.changed or standing.agreed):
        return None
    return standing, (base if from_tables else None)


def standing_letter_lines(standing: Standing) -> list[str]:
    """The letter's opening lines for an amount that stands, case by case as
    `ras_chat.app.summary.standing_lines` says them: agreed (signed off) or set by a worker
    (not yet), and the first amount only when it differs."""
    yearly = say("letter.standing.yearly", yearly=pounds(standing.annual)) if standing.annual is not None else ""
    key = "letter.standing.agreed" if standing.agreed else "letter.standing.worker_set"
    out = [say(key, weekly=pounds(standing.weekly), yearly=yearly)]
    if standing.changed:
        out.append(say("letter.standing.first_was", weekly=pounds(standing.first_weekly)))
    if not standing.agreed:
        out.append(say("letter.standing.not_agreed"))
    return out


def _money_letter(h: Handoff) -> list[Block]:
    """The personal budget statement (Care Act s.26) in the council's words: the total, and
    the person's and the council's parts only when the money part gave an estimate."""
    st, money = h.budget, h.money
    if st is None:
        return []
    out: list[Block] = [Block("h2", st.title)]
    status = money.status if money is not None else None
    if status == "skipped":
        out += [Block("p", line) for line in lines("letter.money.skipped")]
    elif money is not None and status == "answered" and not st.parts_known:
        out.append(Block("p", say("letter.money.no_guess")))
        if any(m.startswith("not answered") for m in money.missing):
            out.append(Block("p", say("letter.money.more_answers")))
        out += [Block("p", m) for m in (money.charge.missing if money.charge else ())]
    out += [Block("p", line) for line in st.summary]
    if st.parts_known and st.person_weekly is not None and st.person_yearly is not None:
        council_weekly, council_yearly = st.council_weekly, st.council_yearly
        out.append(
            Block(
                "table",
                rows=[
                    ["", say("letter.money.a_week"), say("letter.money.a_year")],
                    [say("letter.money.budget"), pounds(st.weekly_total), pounds(st.yearly_total)],
                    [say("letter.money.you_pay"), pounds(st.person_weekly), pounds(st.person_yearly)],
                    [
                        say("letter.money.council_pays"),
                        pounds(council_weekly) if council_weekly is not None else "-",
                        pounds(council_yearly) if council_yearly is not None else "-",
                    ],
                ],
            )
        )
        if money is not None and money.charge is not None:
            out.append(Block("h2", say("letter.money.your_part_heading")))
            out.append(Block("ol", items=[step.text for step in money.charge.steps]))
    if st.free_services:
        out.append(Block("h2", st.free_heading))
        out.append(Block("ul", items=[say("letter.money.free_service", name=f.name, limit=f.limit) for f in st.free_services]))
    for section in st.sections:
        out.append(Block("h2", section.heading))
        out += [Block("p", line) for line in section.lines]
        if section.items:
            out.append(Block("ul", items=[say("letter.money.section_item", name=i.name, text=i.text, limit=i.limit) for i in section.items]))
    return out


def _review_letter(h: Handoff) -> list[Block]:
    """Plain words: did a worker change the amount, to what, and why."""
    rv, r = h.review, h.result
    if rv is None or rv.agreed_weekly is None:
        return []
    agreed = pounds(rv.agreed_weekly)
    out: list[Block] = []
    if rv.amount_changed and r is not None:
        out.append(Block("h2", say("letter.review.changed_heading")))
        if letter_standing(h) is None:  # else the letter opened with the first amount already
            out.append(Block("p", say("letter.review.at_first", weekly=pounds(r.weekly))))
        out.append(Block("p", say("letter.review.now", agreed=agreed)))
        whys = [c.why for c in rv.changes if c.what.get("kind") != "sign_off"]
        if whys:
            out.append(Block("p", say("letter.review.they_said_why")))
            out += [Block("quote", why) for why in whys]
    if rv.signed_off:
        out.append(Block("p", say("letter.review.agreed", agreed=agreed)))
    return out


def what_words(what: dict) -> str:
    """A worker's change (`ras_chat.review` actions) in plain words."""
    kind = what.get("kind")
    if kind == "set":
        name = str(what.get("field", ""))
        area, _, part = name.replace("areas.", "").partition(".")
        if part in ("need", "risk", "unpaid_support"):
            name = say(f"letter.what.{part}", area=_area(area))
        else:
            name = name.replace("_", " ").capitalize()
        return say("letter.what.set", name=name, was=_plain(what.get("from")), now=_plain(what.get("to")))
    if kind in ("add_outcome", "remove_outcome"):
        key = "letter.what.added_outcome" if kind == "add_outcome" else "letter.what.removed_outcome"
        return say(key, outcome=str(what.get("outcome", "")).replace("_", " "))
    if kind == "amount":
        to = what.get("to")
        return say("letter.what.amount", amount=to) if to is not None else say("letter.what.amount_back")
    return _what_words_generic(what)


def _area(area: str) -> str:
    try:
        return say(f"letter.areas.{area}")
    except KeyError:
        return area


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return say("letter.what.yes") if value else say("letter.what.no")
    return "-" if value is None else str(value).replace("_", " ")


def _what_words_generic(what: dict) -> str:
    parts = []
    for key, value in what.items():
        if key in ("from", "to", "field"):
            continue
        parts.append(f"{key.replace('_', ' ')}: {value}")
    if "field" in what:
        name = str(what["field"]).replace("areas.", "").replace(".", " ").replace("_", " ")
        parts.insert(0, say("letter.what.set", name=name, was=what.get("from", "-"), now=what.get("to", "-")))
    text = " ".join(parts) or say("letter.what.a_change")
    return text if text.endswith(".") else text + "."


def letter_markdown(h: Handoff) -> str:
    return to_markdown(letter_blocks(h)) + "\n---\n\n" + to_markdown(summary_blocks(h))


def letter_html(h: Handoff) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(say('letter.title'))}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n<section class=\"letter\">\n"
        + to_html_body(letter_blocks(h))
        + '\n</section>\n<section class="worker">\n'
        + to_html_body(summary_blocks(h))
        + "\n</section>\n</main>\n</body>\n</html>\n"
    )


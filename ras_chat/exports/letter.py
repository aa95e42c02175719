"""The hand-off as a letter for the person ("How we worked out your budget"), with the
worker's summary after it (`ras_chat.exports.summary`), in Markdown or HTML.

The letter is in plain words: short sentences, no jargon, written for a reading age of
about nine. Its sentences are data, in `dialogues/messages.en.yaml` (part `letter:`),
where `ras-chat dialogue check` holds them to those rules; this module only picks which
ones a record needs and fills in the figures. The engine's explanation steps come
already worded (`ras/messages.en.yaml`).
"""

from __future__ import annotations

import html

from ras.money import pounds
from ras_chat.dialogue.catalogue import lines, say
from ras_chat.exports.blocks import CSS, Block, md_escape, to_html_body, to_markdown
from ras_chat.exports.handoff import Handoff
from ras_chat.exports.summary import summary_blocks

__all__ = [
    "Block", "letter_blocks", "letter_html", "letter_markdown", "md_escape", "summary_blocks", "to_html_body",
    "to_markdown",
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
    else:
        out.append(Block("h2", say("letter.budget_heading")))
        out.append(Block("p", say("letter.weekly", weekly=pounds(r.weekly))))
        out.append(Block("p", say("letter.yearly", yearly=pounds(r.annual))))
        out.append(Block("p", say("letter.range", low=pounds(r.range.low), high=pounds(r.range.high))))
        out.append(Block("p", say("letter.first_guess")))
        out.append(Block("h2", say("letter.how_heading")))
        out.append(Block("ol", items=[s.text for s in r.explanation]))
        out.append(Block("h2", say("letter.parts_heading")))
        out.append(Block("ul", items=[say("letter.part", name=e.name, amount=pounds(e.amount), why=e.why) for e in r.elements]))
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


"""Redaction of a hand-off record: names and free text removed, for trainers and analysts."""

from __future__ import annotations

import re
from typing import Any

from ras_chat.exports.handoff_model import REMOVED, AnswerReading, Handoff, MoneyPart, OwnWords, TranscriptMessage

_ID_LIKE = re.compile(r"^[a-z0-9_.:-]{1,40}$")


def redact(h: Handoff) -> Handoff:
    """Names and free text removed, for trainers and analysts; answers chosen from a list stay.

    Removed: the person's name (also where the assistant said it), everything typed that
    was not one of the offered choices, what matters and notes, the worker's name and
    reasons, and the free text of the finance record (its id and notes, and any income
    note or spending description that is not a plain identifier). Kept: the structured
    answers, the figures and their explanation (money amounts too: capital, income items,
    the charge estimate and the budget statement), times, flags and the audit chain's
    hashes (so it still verifies against the database).

    Typed words are also removed where the assistant quoted them, except in result
    messages (worked out from figures and data files, never from typed text) and except
    typed amounts: removing "250" would turn "£14,250.00" into "£14,[removed].00".
    """
    names = _name_parts(h.session.who) + _name_parts(h.session.name)
    # first pass: which person messages were typed rather than picked from the choices offered
    typed: list[str] = []
    offered: set[str] = set()
    keep: list[bool] = []
    for m in h.transcript:
        if m.role == "assistant":
            offered = {_choice_label(c) for c in m.choices}
            offered |= {str(c[k]) for c in m.choices if isinstance(c, dict) for k in ("number", "value") if k in c}
            keep.append(True)
        else:
            picked = m.text.strip() in offered
            keep.append(picked)
            if not picked and m.text.strip():
                typed.append(m.text.strip())
    words = h.own_words
    typed = [t for t in typed if not _looks_like_money(t)]
    typed += [t for t in (words.what_matters, words.notes, *words.area_notes.values()) if t]
    money, money_words = _redact_money(h.money)
    typed += money_words
    # the assistant may quote what was typed (a summary to check): remove it there too
    typed.sort(key=len, reverse=True)
    money_words.sort(key=len, reverse=True)
    transcript: list[TranscriptMessage] = []
    for m, kept in zip(h.transcript, keep):
        if m.role == "assistant":
            quoted = money_words if m.kind == "result" else typed
            text = _scrub(_remove_quotes(m.text, quoted), names)
        else:
            text = m.text if kept else REMOVED
        choices = [_scrub(_choice_label(c), names) if isinstance(c, str) else c for c in m.choices]
        transcript.append(m.model_copy(update={"text": text, "choices": choices}))
    assessment = h.assessment
    if assessment is not None:
        assessment = assessment.model_copy(
            update={
                "what_matters": None,
                "area_notes": None,
                "notes": None,
                "flags": tuple(": ".join(f.split(": ")[:2]) for f in assessment.flags) if assessment.flags else None,
            }
        )
    audit = [
        a.model_copy(update={"who": "worker", "why": REMOVED, "what": _redact_what(a.what)}) for a in h.audit
    ]
    flags = [": ".join(f.split(": ")[:2]) for f in h.flags]  # level and code; the text may quote the person
    review = h.review
    if review is not None:
        adjusted = review.adjusted_record
        if adjusted is not None:
            adjusted = adjusted.model_copy(
                update={"what_matters": None, "area_notes": None, "notes": None, "flags": assessment.flags if assessment else None}
            )
        review = review.model_copy(
            update={
                "adjusted_record": adjusted,
                "changes": [
                    c.model_copy(update={"who": "worker", "why": REMOVED, "what": _redact_what(c.what)}) for c in review.changes
                ],
            }
        )
    return h.model_copy(
        update={
            "redacted": True,
            "flags": flags,
            "session": h.session.model_copy(update={"who": None, "name": None}),
            "readings": [_redact_reading(r) for r in h.readings],
            "carer": None if h.carer is None else h.carer.model_copy(
                update={"record": h.carer.record.model_copy(update={"cared_for_relationship": None})}
            ),
            "assessment": assessment,
            "own_words": OwnWords(),
            "transcript": transcript,
            "audit": audit,
            "review": review,
            "money": money,
        }
    )


def _redact_reading(r: AnswerReading) -> AnswerReading:
    """Typed words go; a value picked from a list stays (a free-text answer's value is its words)."""
    if r.how in ("number", "label"):
        return r
    return r.model_copy(update={"said": None, "value": REMOVED if r.how == "text" else r.value})


def _redact_money(money: MoneyPart | None) -> tuple[MoneyPart | None, list[str]]:
    """The money part without its free text, and the words removed (to remove them where
    the charge steps or the assistant repeat them). Amounts and kinds stay."""
    if money is None or money.finance is None:
        return money, []
    f = money.finance
    removed = [t for t in (f.id, f.notes) if t]
    income = []
    for got in f.income:
        if got.note and not _ID_LIKE.match(got.note):
            removed.append(got.note)
            got = got.model_copy(update={"note": REMOVED})
        income.append(got)
    dre = None
    if f.dre is not None:
        dre = []
        for spent in f.dre:
            if not _ID_LIKE.match(spent.what):
                removed.append(spent.what)
                spent = spent.model_copy(update={"what": REMOVED})
            dre.append(spent)
    finance = f.model_copy(update={"id": None, "notes": None, "income": tuple(income), "dre": None if dre is None else tuple(dre)})
    charge = money.charge
    words = sorted({w for w in removed if w}, key=len, reverse=True)
    if charge is not None and words:
        steps = tuple(st.model_copy(update={"text": _remove_quotes(st.text, words)}) for st in charge.steps)
        charge = charge.model_copy(update={"steps": steps})
    return money.model_copy(update={"finance": finance, "charge": charge}), words


def _redact_what(what: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in what.items():
        if isinstance(value, str) and not _ID_LIKE.match(value) and not _looks_like_amount(value):
            out[key] = REMOVED
        else:
            out[key] = value
    return out


def _looks_like_amount(text: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


def _looks_like_money(text: str) -> bool:
    """A typed amount ("250", "£15,750", "28.70"); not a long number such as a phone number."""
    bare = text.replace("£", "").replace(",", "").strip()
    return re.fullmatch(r"\d{1,7}(\.\d{1,2})?", bare) is not None


def _choice_label(c: Any) -> str:
    if isinstance(c, dict):
        return str(c.get("label") or c.get("text") or c.get("id") or "")
    return str(c)


def _name_parts(who: str | None) -> list[str]:
    if not who:
        return []
    parts = [who, *re.split(r"[\s,]+", who)]
    return sorted({p for p in parts if len(p) >= 2}, key=len, reverse=True)


def _remove_quotes(text: str, typed: list[str]) -> str:
    """Each typed text (3 characters or more) removed where it stands as words of its own:
    a typed "skip" is removed from "you can skip this", not from "skipped"."""
    for t in typed:
        if len(t) >= 3:
            text = re.sub(rf"(?<!\w){re.escape(t)}(?!\w)", REMOVED, text)
    return text


def _scrub(text: str, names: list[str]) -> str:
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[name]", text, flags=re.IGNORECASE)
    return text

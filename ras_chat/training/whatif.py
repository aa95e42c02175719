""""What if": change one answer in a record and see each method's amount move.

Pure: a record and a policy in, a comparison out. A change is `(path, value)`:

    areas.<area>.need | areas.<area>.risk | areas.<area>.unpaid_support
    outcomes.<outcome id>   True to tick it as one the person cannot achieve, False to untick
    client_group | fluctuating | impairment | wellbeing_impact

The consistency rules are the conversation's and the review's (`ras.changes`): setting a
need to 0 also sets its risk to 0, its unpaid support to "none", and unticks its
everyday things.

For a screen: `heard_answers(session)` lists the answers heard so far in a conversation
(each with a label, its value now and the other values it can take), and
`what_if_text(record, path, text, policy)` takes the new value as typed or picked text.
The session is only read: a what-if works on a copy of its record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from ras.changes import AREA_FIELDS, TOP_FIELDS, ChangeRefused, RecordChange, apply_change, outcome_areas
from ras.engine import compare
from ras.models import AREA_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS, Allocation, AssessmentRecord
from ras.policy import PolicyAt

if TYPE_CHECKING:
    from ras_chat.dialogue.session import Session



class BadChange(ValueError):
    """A what-if change that does not name an answer, or gives a value it cannot take."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ElementMove(_Out):
    area: str
    name: str
    before: Decimal
    after: Decimal


class MethodMove(_Out):
    method: str
    before: Decimal
    after: Decimal
    band_before: str | None
    band_after: str | None
    shortfall_before: Decimal
    shortfall_after: Decimal
    elements: tuple[ElementMove, ...]
    """Only the elements whose amount changed."""

    @property
    def change(self) -> Decimal:
        return self.after - self.before


class WhatIf(_Out):
    path: str
    label: str
    """The answer in words, e.g. "community: risk without help"."""
    value_before: Any
    value_after: Any
    eligible_before: bool
    eligible_after: bool
    record_after: AssessmentRecord
    methods: tuple[MethodMove, ...]

    def method(self, name: str) -> MethodMove:
        return next(m for m in self.methods if m.method == name)

    @property
    def changed(self) -> bool:
        return any(m.change or m.band_before != m.band_after for m in self.methods)


def get_answer(record: AssessmentRecord, path: str) -> Any:
    """The value at `path` in `record` (same paths as `what_if`)."""
    parts = path.split(".")
    if parts[0] == "areas" and len(parts) == 3 and parts[1] in AREA_IDS and parts[2] in AREA_FIELDS:
        return getattr(record.areas.get(parts[1]), parts[2])
    if parts[0] == "outcomes" and len(parts) == 2 and parts[1] in OUTCOME_IDS:
        return parts[1] in record.unable_outcomes
    if len(parts) == 1 and parts[0] in TOP_FIELDS:
        return getattr(record, parts[0])
    raise BadChange(f"`{path}` is not an answer that can be changed (try areas.health.need, outcomes.nutrition, client_group, fluctuating)")


def with_change(record: AssessmentRecord, path: str, value: Any, areas_of: dict[str, str]) -> AssessmentRecord:
    """A copy of `record` with one answer changed, under the same consistency rules as the
    conversation and the review (`ras.changes.apply_change`)."""
    get_answer(record, path)  # names a real answer
    parts = path.split(".")
    if parts[0] == "outcomes":
        if not isinstance(value, bool):
            raise BadChange(f"`{path}` takes true or false")
        change = RecordChange("add_outcome" if value else "remove_outcome", parts[1])
    else:
        change = RecordChange("set", path, value)
    try:
        return apply_change(record, change, areas_of)
    except ChangeRefused as exc:
        raise BadChange(str(exc)) from None


def parse_value(text: str) -> Any:
    """A value typed as text: numbers, true/false, or the word itself."""
    t = text.strip()
    if t.lower() in ("true", "yes"):
        return True
    if t.lower() in ("false", "no"):
        return False
    if t.isdigit():
        return int(t)
    return t


def moves(before: dict[str, Allocation], after: dict[str, Allocation]) -> tuple[MethodMove, ...]:
    out = []
    for m in METHODS:
        b, a = before[m], after[m]
        elements = tuple(
            ElementMove(area=eb.area, name=eb.name, before=eb.amount, after=ea.amount)
            for eb, ea in zip(b.elements, a.elements)
            if eb.amount != ea.amount
        )
        out.append(
            MethodMove(
                method=m, before=b.weekly, after=a.weekly, band_before=b.band, band_after=a.band,
                shortfall_before=b.shortfall, shortfall_after=a.shortfall, elements=elements,
            )
        )
    return tuple(out)


def what_if(record: AssessmentRecord, change: tuple[str, Any], policy: PolicyAt) -> WhatIf:
    """Each method's amount before and after one answer changes, with the elements that moved."""
    path, value = change
    old = get_answer(record, path)
    changed = with_change(record, path, value, outcome_areas(policy))
    before, after = compare(record, policy), compare(changed, policy)
    first_b, first_a = next(iter(before.values())), next(iter(after.values()))
    return WhatIf(
        path=path,
        label=path_label(path),
        value_before=old,
        value_after=get_answer(changed, path),
        eligible_before=first_b.eligible,
        eligible_after=first_a.eligible,
        record_after=changed,
        methods=moves(before, after),
    )


def what_if_text(record: AssessmentRecord, path: str, text: str, policy: PolicyAt) -> WhatIf:
    """`what_if` with the new value as text, typed or picked from `Answer.values`: a number,
    yes/no (true/false) or a word. For an everyday thing an empty value ticks or unticks it."""
    value = parse_value(text)
    if path.startswith("outcomes.") and not isinstance(value, bool):
        if str(value):
            raise BadChange(f"`{path}` takes yes or no (or nothing, to tick or untick it)")
        value = not get_answer(record, path)
    return what_if(record, (path, value), policy)


# ----- the answers a screen offers ------------------------------------------------------------

FIELD_WORDS = {"need": "need", "risk": "risk without help", "unpaid_support": "unpaid support"}
TOP_WORDS = {
    "client_group": "client group",
    "fluctuating": "needs come and go",
    "impairment": "impairment or illness",
    "wellbeing_impact": "big effect on well-being",
}
SUPPORT_VALUES = ("none", "some", "most")
YES_NO = ("yes", "no")


class Answer(_Out):
    """One answer a what-if can change: its path, words for it, its value now (as text) and
    the other values it can take, as (words, value text) pairs for `what_if_text`."""

    path: str
    label: str
    now: str
    values: tuple[tuple[str, str], ...]


def answer_paths() -> list[str]:
    """Every answer a what-if can change, in the order a screen lists them."""
    out = [f"areas.{area}.{field}" for area in AREA_IDS for field in ("need", "risk", "unpaid_support")]
    out += [f"outcomes.{o}" for o in OUTCOME_IDS]
    return out + ["client_group", "fluctuating"]


def path_label(path: str) -> str:
    """An answer's path in words: "community: risk without help", "nutrition: unable"."""
    parts = path.split(".")
    if parts[0] == "areas" and len(parts) == 3:
        return f"{parts[1]}: {FIELD_WORDS.get(parts[2], parts[2])}"
    if parts[0] == "outcomes" and len(parts) == 2:
        return f"{parts[1].replace('_', ' ')}: unable"
    return TOP_WORDS.get(path, path)


def value_text(value: Any) -> str:
    """A value as `what_if_text` reads it back: yes/no for true/false."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _value_words(path: str, text: str) -> str:
    field = path.split(".")[-1]
    if field in ("need", "risk"):
        return f"{text}/4"
    if path.startswith("outcomes."):
        return {"yes": "yes, unable", "no": "no, not unable"}.get(text, text)
    return text.replace("_", " ")


def _values(path: str) -> tuple[str, ...]:
    field = path.split(".")[-1]
    if field in ("need", "risk"):
        return tuple(str(n) for n in range(5))
    if field == "unpaid_support":
        return SUPPORT_VALUES
    if field == "client_group":
        return CLIENT_GROUPS
    return YES_NO


def answer(record: AssessmentRecord, path: str) -> Answer:
    """`path` in `record` as a screen offers it: words, the value now, the other values."""
    now = value_text(get_answer(record, path))
    return Answer(
        path=path,
        label=f"{path_label(path)} ({now if path.startswith('outcomes.') else _value_words(path, now)})",
        now=now,
        values=tuple((_value_words(path, v), v) for v in _values(path) if v != now),
    )


def heard_paths(session: Session) -> list[str]:
    """The answers a conversation has heard so far, as what-if paths (in `answer_paths` order).
    A "don't know" counts as heard: the record holds nothing for it, and a worker may ask
    what an answer would do."""
    fields = session.fields()
    heard = {f for f in fields if f.startswith("areas.") and f.rsplit(".", 1)[-1] in AREA_FIELDS}
    heard |= {"outcomes." + f.split(".", 1)[1] for f in fields if f.startswith("unable_reasons.")}
    heard |= {name for name in ("client_group", "fluctuating") if name in fields}
    return [p for p in answer_paths() if p in heard]


def heard_answers(session: Session) -> tuple[Answer, ...]:
    """The answers heard so far, ready for a what-if control (empty before any part of life
    is answered). Reads the session; changes nothing."""
    record = session.record()
    if record is None:
        return ()
    return tuple(answer(record, p) for p in heard_paths(session))


def what_if_lines(w: WhatIf) -> list[str]:
    """The what-if as plain text lines, side by side."""
    lines = [f"What if {w.path} were {w.value_after!r} instead of {w.value_before!r}?"]
    if w.eligible_before != w.eligible_after:
        lines.append(f"Eligible: {'yes' if w.eligible_before else 'no'} -> {'yes' if w.eligible_after else 'no'}")
    lines.append(f"{'method':<8} {'before':>9} {'after':>9} {'change':>9}  band")
    for m in w.methods:
        band = f"{m.band_before or '-'} -> {m.band_after or '-'}" if (m.band_before or m.band_after) else ""
        lines.append(f"{m.method:<8} {m.before:>9} {m.after:>9} {m.change:>+9}  {band}".rstrip())
        for e in m.elements:
            lines.append(f"           {e.name}: {e.before} -> {e.after}")
    return lines


__all__ = [
    "Answer", "BadChange", "ElementMove", "MethodMove", "WhatIf",
    "answer", "answer_paths", "get_answer", "heard_answers", "heard_paths", "moves", "parse_value",
    "path_label", "value_text", "what_if", "what_if_lines", "what_if_text", "with_change",
]

"""Reading a batch file: lines in chunks, each line checked by a fast reader (msgspec) that
accepts only what the engine's model accepts, and the chunk's records as columns (`Cases`)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Annotated, BinaryIO, Literal

import msgspec
import numpy as np
from msgspec import Meta, Struct, field
from pydantic import ValidationError
from pydantic_core import from_json

from ras.errors import validation_message
from ras.finance.history import weekly_cost
from ras.models import (
    AREA_IDS,
    CLIENT_GROUPS,
    OUTCOME_IDS,
    SUPPORT_LEVELS,
    AreaId,
    AssessmentRecord,
    ClientGroup,
    OutcomeId,
    UnableWay,
    UnpaidSupport,
)

CHUNK_LINES = 8192
"""Lines read, worked out and written at a time: memory stays flat whatever the file's size."""

HISTORY_KEYS = ("synthetic", "actual_weekly_cost")
"""Keys a history line (`ras synth`, the files `ras calibrate` and `ras simulate` read) carries
besides the record. Batch mode takes them off before checking the record, exactly as
`ras.finance.history` does; `synthetic: true` is carried on to the result line."""

_G, _A, _CODES = len(CLIENT_GROUPS), len(AREA_IDS), 5 * 5 * len(SUPPORT_LEVELS)
_MAX_UNABLE = len(OUTCOME_IDS)


# ----- the fast reader: accepts only what `AssessmentRecord` accepts ----------------------
# Same field names, the same Literal types (imported from ras.models), levels 0-4, strict
# booleans and integers, unknown fields refused. What it cannot tell (a repeated outcome)
# is checked after; anything it refuses goes to the engine's own model, which decides.

_Level = Annotated[int, Meta(ge=0, le=4)]


class _Answer(Struct, forbid_unknown_fields=True, gc=False):
    need: _Level = 0
    risk: _Level = 0
    unpaid_support: UnpaidSupport = "none"


class _Areas(Struct, forbid_unknown_fields=True, gc=False):
    health: _Answer = field(default_factory=_Answer)
    choice: _Answer = field(default_factory=_Answer)
    work: _Answer = field(default_factory=_Answer)
    community: _Answer = field(default_factory=_Answer)


class _Line(Struct, forbid_unknown_fields=True, gc=False, rename={"schema_": "schema"}):
    schema_: Literal["ras-assessment/1"]
    client_group: ClientGroup
    impairment: bool
    wellbeing_impact: bool
    unable_outcomes: tuple[OutcomeId, ...] = ()
    fluctuating: bool = False
    areas: _Areas = field(default_factory=_Areas)
    id: str | None = None
    unable_reasons: dict[OutcomeId, tuple[UnableWay, ...]] | None = None
    what_matters: str | None = None
    area_notes: dict[AreaId, str] | None = None
    notes: str | None = None
    flags: tuple[str, ...] | None = None
    # a history line's own keys (HISTORY_KEYS)
    synthetic: bool = False
    actual_weekly_cost: Annotated[float, Meta(ge=0)] | None = None


RECORD_FIELDS = tuple(f for f in _Line.__struct_fields__ if f not in HISTORY_KEYS)
"""The record fields the fast reader knows (a test checks the engine model has each of them)."""

ENGINE_ONLY_FIELDS = ("not_known",)
"""Record fields the fast reader leaves to the engine's model: a line with one of them is
refused by the fast reader (unknown field) and read by `AssessmentRecord` itself, exactly,
at the one-record engine's speed. `not_known` (ras-assessment/2) has a rule across fields."""

_DECODE = msgspec.json.Decoder(_Line).decode


class LineError(Exception):
    """A line that is not a valid record: the message names the field, as the engine does."""


def _cost_problem(value: object) -> str | None:
    """What is wrong with a history line's actual_weekly_cost (the rule of ras.finance.history)."""
    cost = weekly_cost(value)
    return cost if isinstance(cost, str) else None


def read_line(text: bytes | str) -> tuple[AssessmentRecord, bool]:
    """One line through the engine's own model: the record and whether it is marked made up.

    A history line's `synthetic` and `actual_weekly_cost` are taken off first. Raises
    LineError with the engine's one-line message.
    """
    if isinstance(text, bytes):  # as text, so the engine's message is word for word the same
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LineError(f"cannot be read as UTF-8 text ({exc.reason} at byte {exc.start + 1})") from None
    text = text.rstrip("\r\n")  # the line's end is not part of the record (nor of a message quoting it)
    try:
        data = from_json(text)
    except ValueError:
        data = None  # not JSON: the engine's model words the message
    if type(data) is dict and any(k in data for k in HISTORY_KEYS):
        synthetic = data.pop("synthetic", False)
        if type(synthetic) is not bool:
            raise LineError("synthetic: should be true or false")
        cost = data.pop("actual_weekly_cost", None)  # null: no cost given, as ras.finance.history reads it
        message = None if cost is None else _cost_problem(cost)
        if message:
            raise LineError(message)
        text = json.dumps(data)
    else:
        synthetic = False
    try:
        return AssessmentRecord.model_validate_json(text), synthetic
    except ValidationError as exc:
        raise LineError(validation_message(exc)) from None


# ----- the cases of one chunk, as arrays --------------------------------------------------


@dataclass(slots=True)
class Cases:
    """One chunk of records as columns. `codes` is need x 15 + risk x 3 + support, per area."""

    lines: list[int]
    ids: list[str | None]
    group: np.ndarray  # (n,) int64, index into CLIENT_GROUPS
    codes: np.ndarray  # (n, 4) int64
    impairment: np.ndarray  # (n,) bool
    wellbeing: np.ndarray  # (n,) bool
    unable: np.ndarray  # (n,) int64: how many outcomes
    fluctuating: np.ndarray  # (n,) bool
    synthetic: np.ndarray  # (n,) bool

    def __len__(self) -> int:
        return len(self.lines)


_get = attrgetter
# each area's answer as one code, and (group, impairment, wellbeing, fluctuating) as another:
# one dictionary look-up per record and column instead of several
_ANSWER_CODE = {
    (need, risk, support): need * 15 + risk * 3 + s
    for need in range(5)
    for risk in range(5)
    for s, support in enumerate(SUPPORT_LEVELS)
}
_ANSWER = _get("need", "risk", "unpaid_support")
_AREA_ANSWERS = tuple(_get(f"areas.{area}") for area in AREA_IDS)
_FLAGS_CODE = {
    (group, imp, wb, fl): ((g * 2 + imp) * 2 + wb) * 2 + fl
    for g, group in enumerate(CLIENT_GROUPS)
    for imp in (False, True)
    for wb in (False, True)
    for fl in (False, True)
}
_FLAGS = _get("client_group", "impairment", "wellbeing_impact", "fluctuating")


def _columns(records: list, lines: list[int], synthetic: list[bool] | None = None) -> Cases:
    """Columns from decoded records (the fast reader's or the engine model's: same attribute names)."""
    n = len(records)
    codes = np.empty((n, _A), dtype=np.int64)
    for k, answers in enumerate(_AREA_ANSWERS):
        codes[:, k] = np.fromiter(map(_ANSWER_CODE.__getitem__, map(_ANSWER, map(answers, records))), np.int64, n)
    flags = np.fromiter(map(_FLAGS_CODE.__getitem__, map(_FLAGS, records)), np.int64, n)
    if synthetic is None:
        synthetic_column = np.fromiter(map(_get("synthetic"), records), bool, n)
    else:
        synthetic_column = np.asarray(synthetic, dtype=bool).reshape(n)
    return Cases(
        lines=lines,
        ids=list(map(_get("id"), records)),
        group=flags >> 3,
        codes=codes,
        impairment=(flags >> 2 & 1).astype(bool),
        wellbeing=(flags >> 1 & 1).astype(bool),
        unable=np.fromiter(map(len, map(_get("unable_outcomes"), records)), np.int64, n),
        fluctuating=(flags & 1).astype(bool),
        synthetic=synthetic_column,
    )


def _fast(texts: list[bytes]) -> list | None:
    """Every line through the fast reader, or None when any line needs the engine's model."""
    try:
        records = list(map(_DECODE, texts))
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    outcomes = list(map(_get("unable_outcomes"), records))
    if sum(map(len, outcomes)) != sum(map(len, map(set, outcomes))):
        return None  # an outcome listed twice: the engine's model names it
    return records


def decode_chunk(lines: list[int], texts: list[bytes], problem: Callable[[int, str], None]) -> Cases:
    """The valid records of one chunk (line numbers, texts); each bad line goes to `problem`."""
    records = _fast(texts)
    if records is not None:
        return _columns(records, lines)
    kept_records, kept_lines, kept_synthetic = [], [], []
    for n, text in zip(lines, texts):
        record = _fast([text])
        if record is not None:
            kept_records.append(record[0])
            kept_synthetic.append(record[0].synthetic)
        else:
            try:
                model, synthetic = read_line(text)
            except LineError as exc:
                problem(n, str(exc))
                continue
            kept_records.append(model)
            kept_synthetic.append(synthetic)
        kept_lines.append(n)
    return _columns(kept_records, kept_lines, kept_synthetic)


def numbered_chunks(stream: BinaryIO, size: int = CHUNK_LINES) -> Iterator[tuple[list[int], list[bytes]]]:
    """Chunks of (line numbers from 1, lines) with blank lines left out."""
    start = 1
    while True:
        raw = list(itertools.islice(stream, size))
        if not raw:
            return
        first, start = start, start + len(raw)
        if any(map(bytes.isspace, raw)):
            numbers = [first + i for i, line in enumerate(raw) if not line.isspace()]
            raw = [line for line in raw if not line.isspace()]
        else:
            numbers = list(range(first, start))
        if raw:
            yield numbers, raw

"""`ras calculate --batch` and `ras compare --batch`: whole files through the methods as arrays.

The one-record engine (`ras.engine.calculate`) works one record at a time in `Decimal`
and writes every step in words. In bulk the words are not wanted, and every figure
depends on very few answers, so this module:

1. reads the file in chunks of lines (never the whole file), bytes in, bytes out;
2. checks each line with a fast reader (msgspec) that accepts only what the engine's
   own pydantic model accepts; any line it refuses, or any chunk where one line is
   refused, goes line by line through the engine's model, which accepts it or names
   the field at fault (the same message as the one-record engine);
3. looks each case's figures up in tables that the engine itself filled in: each
   area's element under `points`, `grid` and `costed` depends only on (client group,
   need, risk, unpaid support) of that area, so the method is run once for each of the
   4 x 75 possibilities; `bands` depends only on the four area scores, so it is run
   once for each set of scores that turns up (9^4 at most); eligibility depends only on
   impairment, impact on wellbeing and how many outcomes, so `adult_eligibility` is
   run for each of the 2 x 2 x 11;
4. adds up the elements in whole pence (int64: exact), and works out the year and
   the range with exact integer arithmetic, rounded half up as `ras.money.pence` does;
5. writes one JSON line a record, carrying the record's `id` and its line number.

`--explain` runs the one-record engine on every record instead (the full
`ras-allocation/1`, with its words), so it is exactly as slow as that engine.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Annotated, BinaryIO, Literal

import msgspec
import numpy as np
from msgspec import Meta, Struct, field
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import from_json

from ras.eligibility import adult_eligibility
from ras.engine import METHOD_FUNCTIONS, calculate
from ras.errors import validation_message
from ras.finance.history import weekly_cost
from ras.models import (
    AREA_IDS,
    CLIENT_GROUPS,
    METHODS,
    OUTCOME_IDS,
    SUPPORT_LEVELS,
    AreaId,
    AssessmentRecord,
    ClientGroup,
    MethodName,
    OutcomeId,
    UnableWay,
    UnpaidSupport,
)
from ras.policy.model import PolicyAt

CHUNK_LINES = 8192
"""Lines read, worked out and written at a time: memory stays flat whatever the file's size."""

HISTORY_KEYS = ("synthetic", "actual_weekly_cost")
"""Keys a history line (`ras synth`, the files `ras calibrate` and `ras simulate` read) carries
besides the record. Batch mode takes them off before checking the record, exactly as
`ras.finance.history` does; `synthetic: true` is carried on to the result line."""

RESULT_SCHEMA = "ras-batch-result/1"
COMPARE_SCHEMA = "ras-batch-compare/1"

_GROUP_INDEX = {g: i for i, g in enumerate(CLIENT_GROUPS)}
_SUPPORT_INDEX = {s: i for i, s in enumerate(SUPPORT_LEVELS)}
_G, _A, _CODES = len(CLIENT_GROUPS), len(AREA_IDS), 5 * 5 * len(SUPPORT_LEVELS)
_MAX_UNABLE = len(OUTCOME_IDS)


# ----- the published result lines (their JSON Schemas: `ras schema batch-result`) ---------


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class BatchRange(_Out):
    low: Decimal
    high: Decimal


class BatchEligibility(_Out):
    eligible: bool
    conditions: dict[str, bool]
    """Each condition of reg. 2 by name, true when met (as in `ras-allocation/1`)."""


class BatchFigures(_Out):
    """One method's figures for one record: those of `ras-allocation/1`, without the words."""

    weekly: Decimal
    annual: Decimal
    range: BatchRange
    band: str | None
    reference_cost: Decimal
    shortfall: Decimal
    elements: dict[str, Decimal]
    """Each area's element, in `AREA_IDS` order."""


class BatchResult(BatchFigures):
    """`ras-batch-result/1`: one line of `ras calculate --batch` (without `--explain`)."""

    schema_: Literal["ras-batch-result/1"] = Field(alias="schema")
    id: str | None
    """The record's own `id` (null when it has none)."""
    line: int
    """The line of the input file the record was on (from 1)."""
    synthetic: bool | None = None
    """True on a made-up case (`ras synth`); absent otherwise."""
    policy: str
    policy_effective_from: str
    as_of: str
    method: MethodName
    eligible: bool
    eligibility: BatchEligibility


class BatchCompare(_Out):
    """`ras-batch-compare/1`: one line of `ras compare --batch`: the four methods side by side."""

    schema_: Literal["ras-batch-compare/1"] = Field(alias="schema")
    id: str | None
    line: int
    synthetic: bool | None = None
    policy: str
    policy_effective_from: str
    as_of: str
    eligible: bool
    eligibility: BatchEligibility
    methods: dict[MethodName, BatchFigures]


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


# ----- exact money in whole pence -------------------------------------------------------


def _ratio(value: Decimal) -> tuple[int, int]:
    num, den = value.as_integer_ratio()
    return num, den


def times_rounded(pence: np.ndarray, factor: Decimal) -> np.ndarray:
    """round(pence x factor) to whole pence, half away from zero: `ras.money.pence` (ROUND_HALF_UP)
    on the exact product. Pence in, pence out, no floating point."""
    num, den = _ratio(factor)
    values = pence.astype(np.int64)
    if values.size and int(np.abs(values).max()) * abs(num) * 2 + den >= 2**62:
        values = values.astype(object)  # Python integers: exact whatever the size
    product = values * num
    magnitude = (abs(product) * 2 + den) // (2 * den)
    return np.where(product < 0, -magnitude, magnitude)


def money_text(pence: int) -> bytes:
    """Whole pence as the engine's Decimal prints them: 1234 -> b"12.34", 0 -> b"0.00"."""
    sign = b"-" if pence < 0 else b""
    whole, part = divmod(abs(pence), 100)
    return b"%s%d.%02d" % (sign, whole, part)


# ----- the tables the engine fills in ---------------------------------------------------


def _answer(code: int) -> dict:
    return {"need": code // 15, "risk": code % 15 // 3, "unpaid_support": SUPPORT_LEVELS[code % 3]}


def _record(group: str = CLIENT_GROUPS[0], answers: tuple[dict, ...] | None = None, **fields) -> AssessmentRecord:
    data = {
        "schema": "ras-assessment/1",
        "client_group": group,
        "impairment": True,
        "wellbeing_impact": True,
        "unable_outcomes": list(OUTCOME_IDS),
    }
    if answers is not None:
        data["areas"] = dict(zip(AREA_IDS, answers))
    data.update(fields)
    return AssessmentRecord.model_validate(data)


def _whole_pence(amount: Decimal) -> int:
    scaled = amount.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"the engine gave {amount}, which is not whole pence")  # pence() prevents this
    return int(scaled)


class Tables:
    """Everything the engine would work out, tabulated for one policy's tables in force."""

    def __init__(self, policy: PolicyAt):
        self.policy = policy
        self._elements: dict[str, np.ndarray] = {}
        # bands by the four area scores (each 0-8): code = sum(score x 9^k)
        self._band_known = np.zeros(9**_A, dtype=bool)
        self._band_pence = np.zeros((9**_A, _A), dtype=np.int64)
        self._band_rule = np.zeros(9**_A, dtype=np.int64)
        self.band_names: list[str] = [rule.band for rule in policy.bands.bands]
        self._eligibility()
        general = policy.general
        self.weeks = general.weeks_per_year
        self.range_low, self.range_high, self.range_fluctuating = (
            general.range_low,
            general.range_high,
            general.range_high_fluctuating,
        )
        self._known = np.zeros(0, dtype=np.int64)  # amounts formatted so far, sorted
        self._texts = np.zeros(0, dtype=object)  # their texts, in the same order

    def _eligibility(self) -> None:
        """adult_eligibility for every (impairment, wellbeing, how many outcomes)."""
        self.eligible_table = np.zeros((2, 2, _MAX_UNABLE + 1), dtype=bool)
        self.eligibility_json = np.empty((2, 2, _MAX_UNABLE + 1), dtype=object)
        for imp in (0, 1):
            for wb in (0, 1):
                for k in range(_MAX_UNABLE + 1):
                    record = _record(impairment=bool(imp), wellbeing_impact=bool(wb), unable_outcomes=list(OUTCOME_IDS[:k]))
                    result = adult_eligibility(record, self.policy)
                    self.eligible_table[imp, wb, k] = result.eligible
                    # the line's "eligible" and "eligibility" fields, ready to go in
                    self.eligibility_json[imp, wb, k] = json.dumps(
                        {
                            "eligible": result.eligible,
                            "eligibility": {"eligible": result.eligible, "conditions": result.conditions},
                        },
                        separators=(",", ":"),
                    )[1:-1].encode()

    def elements(self, method: str) -> np.ndarray:
        """Pence per (client group, answer code, area) for points, grid or costed: the method run on
        a record whose four areas all have that answer (each area's element depends on it alone)."""
        table = self._elements.get(method)
        if table is None:
            compute = METHOD_FUNCTIONS[method]
            table = np.zeros((_G, _CODES, _A), dtype=np.int64)
            for g, group in enumerate(CLIENT_GROUPS):
                for code in range(_CODES):
                    result = compute(_record(group, (_answer(code),) * _A), self.policy, explain=False)
                    table[g, code] = [_whole_pence(e.amount) for e in result.elements]
            table.setflags(write=False)
            self._elements[method] = table
        return table

    def bands(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pence per area (n, 4) and the band's index for each row of area scores (n, 4)."""
        codes = scores @ (9 ** np.arange(_A - 1, -1, -1))
        missing = np.unique(codes[~self._band_known[codes]])
        compute = METHOD_FUNCTIONS["bands"]
        index = {rule.band: i for i, rule in enumerate(self.policy.bands.bands)}
        for code in missing.tolist():
            parts = [code // 9 ** (_A - 1 - k) % 9 for k in range(_A)]
            answers = tuple({"need": min(p, 4), "risk": p - min(p, 4)} for p in parts)
            result = compute(_record(answers=answers), self.policy, explain=False)
            self._band_pence[code] = [_whole_pence(e.amount) for e in result.elements]
            self._band_rule[code] = index[result.band]
            self._band_known[code] = True
        return self._band_pence[codes], self._band_rule[codes]

    def texts(self, values: np.ndarray) -> np.ndarray:
        """Money texts (bytes, object array) for whole pence; each distinct amount is formatted
        once per run and found again by binary search (sorted arrays, no per-value Python)."""
        unique, inverse = np.unique(values, return_inverse=True)
        known, texts = self._known, self._texts
        where = np.searchsorted(known, unique)
        found = where < len(known)
        found[found] = known[where[found]] == unique[found]
        if not found.all():
            new = unique[~found]
            known = np.concatenate((known, new))
            texts = np.concatenate((texts, np.array([money_text(v) for v in new.tolist()] + [None], dtype=object)[:-1]))
            order = np.argsort(known, kind="stable")
            self._known, self._texts = known[order], texts[order]
            known, texts = self._known, self._texts
            where = np.searchsorted(known, unique)
        return texts[where][inverse.reshape(values.shape)]


@dataclass(slots=True)
class Figures:
    """One method over one chunk, whole pence."""

    eligible: np.ndarray  # (n,) bool
    elements: np.ndarray  # (n, 4)
    weekly: np.ndarray
    annual: np.ndarray
    low: np.ndarray
    high: np.ndarray
    band: np.ndarray  # (n,) index into Tables.band_names, -1 for none
    reference_cost: np.ndarray
    shortfall: np.ndarray


def eligibility_index(cases: Cases) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return cases.impairment.astype(np.int64), cases.wellbeing.astype(np.int64), np.minimum(cases.unable, _MAX_UNABLE)


def method_elements(cases: Cases, tables: Tables, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Pence per area (n, 4) before eligibility, and the band index (-1 when the method has none)."""
    if method == "bands":
        scores = cases.codes // 15 + cases.codes % 15 // 3
        return tables.bands(scores)
    table = tables.elements(method)
    return table[cases.group[:, None], cases.codes, np.arange(_A)], np.full(len(cases), -1, dtype=np.int64)


def figures(cases: Cases, tables: Tables, method: str, cache: dict | None = None) -> Figures:
    """`method` over the chunk, as `ras.engine.calculate` would give it, in whole pence."""
    cache = {} if cache is None else cache
    ok = tables.eligible_table[eligibility_index(cases)]

    def elements(m: str) -> tuple[np.ndarray, np.ndarray]:
        if m not in cache:
            cache[m] = method_elements(cases, tables, m)
        return cache[m]

    raw, band = elements(method)
    el = np.where(ok[:, None], raw, 0)
    weekly = el.sum(axis=1)
    ref_raw, _ = elements(tables.policy.general.reference_method)
    reference = np.where(ok, ref_raw.sum(axis=1), 0)
    high = np.where(
        cases.fluctuating, times_rounded(weekly, tables.range_fluctuating), times_rounded(weekly, tables.range_high)
    )
    return Figures(
        eligible=ok,
        elements=el,
        weekly=weekly,
        annual=times_rounded(weekly, tables.weeks),
        low=times_rounded(weekly, tables.range_low),
        high=high,
        band=np.where(ok, band, -1),
        reference_cost=reference,
        shortfall=np.maximum(0, reference - weekly),
    )


# ----- writing result lines --------------------------------------------------------------

_FIGURES = (
    b'"weekly":"%s","annual":"%s","range":{"low":"%s","high":"%s"},"band":%s,'
    b'"reference_cost":"%s","shortfall":"%s","elements":{'
    + b",".join(b'"%s":"%%s"' % a.encode() for a in AREA_IDS)
    + b"}"
)


def _head(policy: PolicyAt, method: str | None) -> bytes:
    """The fields every line of the run shares, as a piece of the line's template."""
    fields = {
        "policy": policy.id,
        "policy_effective_from": policy.effective_from.isoformat(),
        "as_of": policy.as_of.isoformat(),
    }
    if method:
        fields["method"] = method
    return json.dumps(fields, separators=(",", ":"))[1:-1].encode().replace(b"%", b"%%")


def _ids(cases: Cases) -> list[bytes]:
    encode = msgspec.json.encode
    return list(map(encode, cases.ids))


def _synthetic(cases: Cases) -> np.ndarray | itertools.repeat:
    if not cases.synthetic.any():
        return itertools.repeat(b"")
    return np.where(cases.synthetic, b'"synthetic":true,', b"").astype(object)


def _figure_columns(fig: Figures, tables: Tables) -> list:
    band_json = np.array([b"null", *(json.dumps(b).encode() for b in tables.band_names)], dtype=object)
    # every money column of the chunk in one array, so each distinct amount is looked up once
    money = tables.texts(
        np.column_stack(
            (fig.weekly, fig.annual, fig.low, fig.high, fig.reference_cost, fig.shortfall, fig.elements)
        )
    )
    return [
        *(money[:, k] for k in range(4)),
        band_json[fig.band + 1],
        money[:, 4],
        money[:, 5],
        *(money[:, 6 + k] for k in range(_A)),
    ]


def result_lines(cases: Cases, tables: Tables, method: str) -> bytes:
    """`ras-batch-result/1` lines for the chunk (each ending in a newline)."""
    fig = figures(cases, tables, method)
    template = (
        b'{"schema":"' + RESULT_SCHEMA.encode() + b'","id":%s,"line":%d,%s'
        + _head(tables.policy, method)
        + b",%s,"
        + _FIGURES
        + b"}\n"
    )
    rows = zip(
        _ids(cases),
        cases.lines,
        _synthetic(cases),
        tables.eligibility_json[eligibility_index(cases)],
        *_figure_columns(fig, tables),
    )
    return b"".join(map(template.__mod__, rows))


def compare_lines(cases: Cases, tables: Tables) -> bytes:
    """`ras-batch-compare/1` lines for the chunk: every method side by side."""
    cache: dict = {}
    figs = {m: figures(cases, tables, m, cache) for m in METHODS}
    template = (
        b'{"schema":"' + COMPARE_SCHEMA.encode() + b'","id":%s,"line":%d,%s'
        + _head(tables.policy, None)
        + b',%s,"methods":{'
        + b",".join(b'"' + m.encode() + b'":{' + _FIGURES + b"}" for m in METHODS)
        + b"}}\n"
    )
    columns = [
        _ids(cases),
        cases.lines,
        _synthetic(cases),
        tables.eligibility_json[eligibility_index(cases)],
    ]
    for m in METHODS:
        columns += _figure_columns(figs[m], tables)
    return b"".join(map(template.__mod__, zip(*columns)))


# ----- the commands ----------------------------------------------------------------------


def _explained(n: int, record: AssessmentRecord, synthetic: bool, body: bytes) -> bytes:
    head = {"id": record.id, "line": n}
    if synthetic:
        head["synthetic"] = True
    return json.dumps(head, separators=(",", ":"))[:-1].encode() + b"," + body[1:] + b"\n"


def run(
    stream: BinaryIO,
    out: BinaryIO,
    policy: PolicyAt,
    method: str | None,
    *,
    compare: bool = False,
    explain: bool = False,
    problem: Callable[[int, str], None],
    chunk_lines: int = CHUNK_LINES,
) -> int:
    """Work out every record of `stream`, writing one JSON line each to `out`. Returns how many."""
    done = 0
    method = policy.method_or_default(method)
    # the tables depend only on the policy's tables in force: remembered with them
    tables = None if explain else policy.memo(("batch.tables",), lambda: Tables(policy))
    for numbers, texts in numbered_chunks(stream, chunk_lines):
        if explain:
            parts = []
            for n, text in zip(numbers, texts):
                try:
                    record, synthetic = read_line(text)
                except LineError as exc:
                    problem(n, str(exc))
                    continue
                if compare:
                    results = {m: calculate(record, policy, m).model_dump_json(by_alias=True).encode() for m in METHODS}
                    body = b"{" + b",".join(b'"%s":%s' % (m.encode(), r) for m, r in results.items()) + b"}"
                else:
                    body = calculate(record, policy, method).model_dump_json(by_alias=True).encode()
                parts.append(_explained(n, record, synthetic, body))
                done += 1
            out.write(b"".join(parts))
            continue
        cases = decode_chunk(numbers, texts, problem)
        if len(cases):
            out.write(compare_lines(cases, tables) if compare else result_lines(cases, tables, method))
            done += len(cases)
    return done


class TextOut:
    """Bytes written to a text stream (standard output replaced by a StringIO, as in some tests)."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def open_input(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    return open(path, "rb")

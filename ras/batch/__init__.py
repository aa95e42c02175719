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

import json
import sys
from collections.abc import Callable
from typing import BinaryIO, Protocol, TextIO

from ras.batch.read import (
    CHUNK_LINES,
    ENGINE_ONLY_FIELDS,
    HISTORY_KEYS,
    RECORD_FIELDS,
    Cases,
    LineError,
    _cost_problem,
    decode_chunk,
    numbered_chunks,
    read_line,
)
from ras.batch.schema import COMPARE_SCHEMA, RESULT_SCHEMA, BatchCompare, BatchEligibility, BatchFigures, BatchRange, BatchResult
from ras.batch.tables import Figures, Tables, figures, money_text, times_rounded
from ras.batch.write import compare_lines, result_lines
from ras.engine import calculate
from ras.models import METHODS, AssessmentRecord
from ras.policy.model import PolicyAt

__all__ = [
    "CHUNK_LINES",
    "COMPARE_SCHEMA",
    "ENGINE_ONLY_FIELDS",
    "HISTORY_KEYS",
    "RECORD_FIELDS",
    "RESULT_SCHEMA",
    "BatchCompare",
    "BatchEligibility",
    "BatchFigures",
    "BatchRange",
    "BatchResult",
    "ByteSink",
    "Cases",
    "Figures",
    "LineError",
    "Tables",
    "TextOut",
    "_cost_problem",
    "compare_lines",
    "decode_chunk",
    "figures",
    "money_text",
    "numbered_chunks",
    "open_input",
    "read_line",
    "result_lines",
    "run",
    "times_rounded",
]


def _explained(n: int, record: AssessmentRecord, synthetic: bool, body: bytes) -> bytes:
    head = {"id": record.id, "line": n}
    if synthetic:
        head["synthetic"] = True
    return json.dumps(head, separators=(",", ":"))[:-1].encode() + b"," + body[1:] + b"\n"


class ByteSink(Protocol):
    """Where result lines go: a binary file, or a `TextOut` over a text stream."""

    def write(self, data: bytes, /) -> object: ...


def run(
    stream: BinaryIO,
    out: ByteSink,
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
    tables: Tables | None = None if explain else policy.memo(("batch.tables",), lambda: Tables(policy))
    for numbers, texts in numbered_chunks(stream, chunk_lines):
        if tables is None:  # --explain: the one-record engine, words and all
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

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def open_input(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    return open(path, "rb")

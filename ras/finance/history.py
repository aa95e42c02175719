"""Reading a history of past cases: JSON lines, each an assessment record
(`ras-assessment/1`) plus what the agreed support actually cost.

A line may carry, besides the record:

- `actual_weekly_cost`: pounds a week the agreed support plan costs (needed to calibrate);
- `id`: the case's id (kept for reports; the line number is used when there is none);
- `synthetic`: true on made-up cases (`ras synth`).

These are taken off before the record is checked, so the record itself is checked
exactly as the engine checks it. A bad line is never dropped silently: it becomes a
`Problem` with its line number, and the caller reports it.

Speed: most lines are plain records. A quick check accepts a line only when it is
certainly valid (exact types, known ids, levels 0 to 4); anything else goes through the
engine's own pydantic model, which either accepts it or names the field at fault.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import ValidationError
from pydantic_core import from_json

from ras.errors import validation_message
from ras.models import AREA_IDS, ASSESSMENT_SCHEMAS, CLIENT_GROUPS, OUTCOME_IDS, SUPPORT_LEVELS, AssessmentRecord

HISTORY_KEYS = ("id", "actual_weekly_cost", "synthetic")
"""Keys a history line may carry that are not part of the assessment record."""

_GROUP_INDEX = {g: i for i, g in enumerate(CLIENT_GROUPS)}
_SUPPORT_INDEX = {s: i for i, s in enumerate(SUPPORT_LEVELS)}
_AREA_INDEX = {a: i for i, a in enumerate(AREA_IDS)}
_OUTCOMES = frozenset(OUTCOME_IDS)
_CORE_KEYS = frozenset(
    {"schema", "client_group", "impairment", "wellbeing_impact", "unable_outcomes", "fluctuating", "areas"}
)
_ANSWER_KEYS = frozenset({"need", "risk", "unpaid_support"})


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that was skipped, and why (one line, naming the field)."""

    line: int
    message: str


@dataclass(slots=True)
class History:
    """Past cases as arrays, one row a case, areas in the order of `AREA_IDS`.

    `group` indexes `CLIENT_GROUPS`; `support` indexes `SUPPORT_LEVELS`;
    `cost` is pounds a week (NaN where a line gave none).
    """

    need: np.ndarray  # (n, 4) int8
    risk: np.ndarray  # (n, 4) int8
    support: np.ndarray  # (n, 4) int8
    group: np.ndarray  # (n,) int8
    impairment: np.ndarray  # (n,) bool
    wellbeing: np.ndarray  # (n,) bool
    unable: np.ndarray  # (n,) int16: how many outcomes the person cannot achieve
    fluctuating: np.ndarray  # (n,) bool
    cost: np.ndarray  # (n,) float64
    ids: list[str]
    lines: np.ndarray  # (n,) int64: the line each case came from
    synthetic: int = 0
    """How many cases are marked as made up."""
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, mask: np.ndarray) -> History:
        """The cases where `mask` is true (problems and source kept)."""
        index = np.flatnonzero(mask)
        return History(
            need=self.need[index],
            risk=self.risk[index],
            support=self.support[index],
            group=self.group[index],
            impairment=self.impairment[index],
            wellbeing=self.wellbeing[index],
            unable=self.unable[index],
            fluctuating=self.fluctuating[index],
            cost=self.cost[index],
            ids=[self.ids[i] for i in index],
            lines=self.lines[index],
            synthetic=self.synthetic,
            problems=self.problems,
            source=self.source,
        )


# every valid (need, risk, unpaid support) as one code: need x 15 + risk x 3 + support
_ANSWER_CODES = {
    (n, r, support): n * 15 + r * 3 + s
    for n in range(5)
    for r in range(5)
    for s, support in enumerate(SUPPORT_LEVELS)
}


def _answer_code(answer: object) -> int | None:
    if type(answer) is not dict:
        return None
    if len(answer) == 3:
        try:
            n, r, s = answer["need"], answer["risk"], answer["unpaid_support"]
        except KeyError:
            return None
    elif _ANSWER_KEYS.issuperset(answer):
        n, r, s = answer.get("need", 0), answer.get("risk", 0), answer.get("unpaid_support", "none")
    else:
        return None
    # the look-up finds only levels 0-4 and known words; the type checks refuse true/1.0 for 1
    try:
        code = _ANSWER_CODES.get((n, r, s)) if type(s) is str else None
    except TypeError:  # a list or object where a level should be
        return None
    if code is None or type(n) is not int or type(r) is not int:
        return None
    return code


def _quick(rec: dict) -> tuple | None:
    """The record's answers when it is certainly valid; None when pydantic must decide.

    Gives (health code, choice code, work code, community code, group, impairment,
    wellbeing, number of unable outcomes, fluctuating).
    """
    if not _CORE_KEYS.issuperset(rec):
        return None
    if rec.get("schema") not in ASSESSMENT_SCHEMAS:
        return None
    group = rec.get("client_group")
    impairment = rec.get("impairment")
    wellbeing = rec.get("wellbeing_impact")
    fluctuating = rec.get("fluctuating", False)
    if type(group) is not str or group not in _GROUP_INDEX:
        return None
    if type(impairment) is not bool or type(wellbeing) is not bool or type(fluctuating) is not bool:
        return None
    unable = rec.get("unable_outcomes", [])
    if type(unable) is not list:
        return None
    for outcome in unable:
        if type(outcome) is not str or outcome not in _OUTCOMES:
            return None
    if len(set(unable)) != len(unable):
        return None
    areas = rec.get("areas", {})
    if type(areas) is not dict:
        return None
    codes = [0, 0, 0, 0]
    for area, answer in areas.items():
        i = _AREA_INDEX.get(area) if type(area) is str else None
        code = _answer_code(answer)
        if i is None or code is None:
            return None
        codes[i] = code
    return (*codes, _GROUP_INDEX[group], impairment, wellbeing, len(unable), fluctuating)


def _from_model(record: AssessmentRecord) -> tuple:
    answers = [record.areas.get(a) for a in AREA_IDS]
    return (
        *(a.need * 15 + a.risk * 3 + _SUPPORT_INDEX[a.unpaid_support] for a in answers),
        _GROUP_INDEX[record.client_group],
        record.impairment,
        record.wellbeing_impact,
        len(record.unable_outcomes),
        record.fluctuating,
    )


def weekly_cost(value: object) -> float | str:
    """Pounds a week as a float, or a message saying what is wrong."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return "actual_weekly_cost: should be a number of pounds a week"
    try:
        cost = float(value)
    except ValueError:
        return "actual_weekly_cost: should be a number of pounds a week"
    if not math.isfinite(cost) or cost < 0:
        return "actual_weekly_cost: should be 0 or more"
    return cost


def parse_history(lines: Iterable[str], *, require_cost: bool = False, source: str = "") -> History:
    """Read history lines (numbered from 1). Bad lines become `Problem`s, never vanish."""
    rows: list[tuple] = []
    costs: list[float] = []
    ids: list[str] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    synthetic = 0
    loads = from_json  # pydantic's JSON parser: faster than json.loads here
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = loads(line)
        except ValueError as exc:
            problems.append(Problem(number, f"not valid JSON ({exc})"))
            continue
        if type(rec) is not dict:
            problems.append(Problem(number, "each line must be one JSON object (a record)"))
            continue
        case_id = rec.pop("id", None)
        raw_cost = rec.pop("actual_weekly_cost", None)
        is_synthetic = rec.pop("synthetic", False)
        if raw_cost is None:
            if require_cost:
                problems.append(Problem(number, "actual_weekly_cost: required to calibrate (what the support costs a week)"))
                continue
            cost = math.nan
        else:
            checked = weekly_cost(raw_cost)
            if isinstance(checked, str):
                problems.append(Problem(number, checked))
                continue
            cost = checked
        if isinstance(case_id, bool) or (case_id is not None and not isinstance(case_id, (str, int))):
            problems.append(Problem(number, "id: should be a string or a whole number"))
            continue
        if type(is_synthetic) is not bool:
            problems.append(Problem(number, "synthetic: should be true or false"))
            continue
        row = _quick(rec)
        if row is None:
            try:
                row = _from_model(AssessmentRecord.model_validate_json(json.dumps(rec)))
            except ValidationError as exc:
                problems.append(Problem(number, validation_message(exc)))
                continue
        rows.append(row)
        costs.append(cost)
        ids.append(str(case_id) if case_id is not None else f"line-{number}")
        numbers.append(number)
        synthetic += is_synthetic
    n = len(rows)
    table = np.array(rows, dtype=np.int16).reshape(n, 9)
    codes = table[:, :4]
    return History(
        need=(codes // 15).astype(np.int8),
        risk=(codes % 15 // 3).astype(np.int8),
        support=(codes % 3).astype(np.int8),
        group=table[:, 4].astype(np.int8),
        impairment=table[:, 5].astype(bool),
        wellbeing=table[:, 6].astype(bool),
        unable=table[:, 7].copy(),
        fluctuating=table[:, 8].astype(bool),
        cost=np.asarray(costs, dtype=np.float64),
        ids=ids,
        lines=np.asarray(numbers, dtype=np.int64),
        synthetic=synthetic,
        problems=problems,
        source=source,
    )


def read_history(path: str | Path, *, require_cost: bool = False) -> History:
    """Read a history file. Raises FileNotFoundError / OSError / UnicodeDecodeError for the caller to word."""
    with open(path, encoding="utf-8") as stream:
        return parse_history(stream, require_cost=require_cost, source=str(path))


def record_dict(history: History, i: int) -> dict:
    """Case `i` as a `ras-assessment/1` record (for checks and examples); unable outcomes are placeholders."""
    return {
        "schema": "ras-assessment/1",
        "client_group": CLIENT_GROUPS[history.group[i]],
        "impairment": bool(history.impairment[i]),
        "wellbeing_impact": bool(history.wellbeing[i]),
        "unable_outcomes": list(OUTCOME_IDS[: int(history.unable[i])]),
        "fluctuating": bool(history.fluctuating[i]),
        "areas": {
            a: {
                "need": int(history.need[i, k]),
                "risk": int(history.risk[i, k]),
                "unpaid_support": SUPPORT_LEVELS[history.support[i, k]],
            }
            for k, a in enumerate(AREA_IDS)
        },
    }

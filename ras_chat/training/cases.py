"""Practice cases as data: `dialogues/cases/<id>.yaml`, one made-up person a file.

A case holds the person's story, the answers they give (`script`, replayed through the
real session), the reference record a good assessment reaches, and the expected
eligibility and amounts under a named policy on a named date, for all four methods.
Loading is strict: an unknown or misplaced key, a duplicate key or a wrong type is an
error naming the file, line and key (as for policy and dialogue files).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ras.models import METHODS, OUTCOME_IDS, AssessmentRecord, CarerRecord
from ras.policy.yamlio import DataFileError, loc_text, read_yaml

CASE_FIELDS_COMPARED = ("schema", "client_group", "impairment", "wellbeing_impact", "unable_outcomes", "fluctuating", "areas", "not_known")
"""The parts of a record a replay must reproduce (the session adds notes, flags and ids)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MethodFigures(_Strict):
    """What one method gives for the reference record."""

    working: tuple[str, ...] = ()
    """The arithmetic, worked out by hand from the policy's tables (checked by the tests)."""
    weekly: Decimal
    annual: Decimal
    band: str | None = None
    shortfall: Decimal


class CarerExpected(_Strict):
    eligible: bool


class Expected(_Strict):
    working: tuple[str, ...] = ()
    """How eligibility was decided, in words."""
    eligible: bool
    """Care Act eligibility of the reference record (SI 2015/313 reg. 2)."""
    reference_cost: Decimal
    methods: dict[str, MethodFigures]
    carer: CarerExpected | None = None

    @field_validator("methods")
    @classmethod
    def _every_method(cls, value: dict[str, MethodFigures]) -> dict[str, MethodFigures]:
        if sorted(value) != sorted(METHODS):
            raise ValueError(f"give figures for exactly these methods: {', '.join(METHODS)}")
        return value


class Case(_Strict):
    """One made-up person to practise on."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    story: str = Field(min_length=1)
    teaches: str = Field(min_length=1)
    """What a trainer uses this case to show (one or two sentences, for the trainer)."""
    policy: str = "example"
    as_of: dt.date
    ends: Literal["handoff", "safety"] = "handoff"
    """How the conversation ends: the normal hand-off, or stopped by a safety disclosure."""
    script: tuple[str, ...] = Field(min_length=1)
    record: AssessmentRecord
    carer_record: CarerRecord | None = None
    expected: Expected

    @field_validator("script")
    @classmethod
    def _no_blank_answers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, line in enumerate(value):
            if not str(line).strip():
                raise ValueError(f"answer {i + 1} is blank")
        return value

    @model_validator(mode="after")
    def _carer_both_or_neither(self) -> Case:
        if (self.carer_record is None) != (self.expected.carer is None):
            raise ValueError("a case with a carer_record needs expected.carer, and the other way round")
        return self

    @property
    def client_group(self) -> str:
        return self.record.client_group

    def core_record(self) -> dict:
        """The reference record's compared fields, as JSON-ready data."""
        return core(self.record)


def core(record: AssessmentRecord) -> dict:
    """The compared fields; the everyday things in the law's order (their order means nothing)."""
    data = record.dump()
    out = {k: data.get(k) for k in CASE_FIELDS_COMPARED}
    out["unable_outcomes"] = [o for o in OUTCOME_IDS if o in (out["unable_outcomes"] or ())]
    return out


def cases_folder() -> Path:
    return Path(str(resources.files("dialogues") / "cases"))


def _plain(err: Mapping[str, Any]) -> str:
    if err.get("type") == "extra_forbidden":
        return "unknown key (misspelt, or in the wrong place?)"
    if err.get("type") == "missing":
        return "this key is required but missing"
    msg = err.get("msg", "not valid").removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def load_case_file(path: str | Path) -> Case:
    """Read and strictly check one case file."""
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise DataFileError(doc.path, "a case file must be a mapping of keys")
    try:
        case = Case.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"])
        raise DataFileError(doc.path, _plain(err), line=doc.line_of(loc), key=loc_text(loc) or None) from None
    if case.id != Path(path).stem:
        raise DataFileError(doc.path, f"the id `{case.id}` must match the file name", line=doc.line_of(("id",)), key="id")
    return case


@functools.cache
def _shipped() -> dict[str, Case]:
    folder = cases_folder()
    found = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        case = load_case_file(path)
        found[case.id] = case
    return found


def load_cases() -> list[Case]:
    """Every shipped case, in id order."""
    return list(_shipped().values())


def case_ids() -> list[str]:
    return list(_shipped())


def load_case(case_id: str) -> Case:
    """A shipped case by id, or a case file by path. Unknown: `LookupError` naming the known ids."""
    shipped = _shipped()
    if case_id in shipped:
        return shipped[case_id]
    path = Path(case_id)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return load_case_file(path)
    raise LookupError(f"no practice case {case_id!r}; known cases: {', '.join(shipped)}")


__all__ = [
    "CASE_FIELDS_COMPARED",
    "Case",
    "CarerExpected",
    "Expected",
    "MethodFigures",
    "case_ids",
    "cases_folder",
    "core",
    "load_case",
    "load_case_file",
    "load_cases",
]

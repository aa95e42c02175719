"""The published result lines of `ras calculate --batch` and `ras compare --batch` (their
JSON Schemas: `ras schema batch-result`, `ras schema batch-compare`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ras.models import MethodName

RESULT_SCHEMA = "ras-batch-result/1"
COMPARE_SCHEMA = "ras-batch-compare/1"

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

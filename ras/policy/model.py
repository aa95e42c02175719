"""A council's policy as data, and the typed tables in force on one date.

The file shape follows OpenFisca/PolicyEngine parameters: each parameter has a label,
a unit and values keyed by "effective from" date, each value naming its reference.
`Policy.at(date)` gives a `PolicyAt`: the typed tables the methods read. Nothing here
reads the clock: the caller says which date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ras.models import AREA_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS, SUPPORT_LEVELS, AreaId, ClientGroup, OutcomeId


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ----- the file ------------------------------------------------------------------------


class Reference(_Strict):
    title: str = Field(min_length=3)
    address: str = Field(min_length=1)
    """A public address (https://...) or the path of a file in the repository; checked when
    the file is loaded (`ras.policy.references.check_addresses`)."""


FigureStatus = Literal["confirmed", "reported", "estimate"]
"""How sure a figure is: `confirmed` (read in the regulation or the circular itself),
`reported` (a published figure found only as quoted by another source), `estimate`
(worked out here; `basis` says how)."""


class DatedValue(_Strict):
    value: Any
    reference: str | tuple[str, ...]
    status: FigureStatus = "confirmed"
    basis: str | None = Field(None, min_length=3)
    """How an estimate was worked out, or where a reported figure was seen."""

    @model_validator(mode="after")
    def _basis_for_estimates(self) -> DatedValue:
        if self.status != "confirmed" and not self.basis:
            raise ValueError(f"a figure marked `{self.status}` needs a `basis`: how it was worked out, or where it was seen")
        return self

    def references(self) -> tuple[str, ...]:
        return (self.reference,) if isinstance(self.reference, str) else self.reference


class Parameter(_Strict):
    label: str = Field(min_length=3)
    unit: str = Field(min_length=1)
    values: dict[dt.date, DatedValue] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Parameter:
        dates = list(self.values)
        if dates != sorted(dates):
            raise ValueError("the dates under `values` must be in order, earliest first")
        return self

    def in_force(self, as_of: dt.date) -> tuple[dt.date, DatedValue] | None:
        found = None
        for day, value in self.values.items():
            if day <= as_of:
                found = (day, value)
        return found


class PolicyMeta(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    council: str
    contact: str


class AreaNames(_Strict):
    worker_name: str
    person_name: str


class OutcomeInfo(_Strict):
    area: AreaId
    regulation: str
    person_name: str


class Scales(_Strict):
    need: tuple[str, str, str, str, str]
    risk: tuple[str, str, str, str, str]
    unpaid_support: dict[Literal["none", "some", "most"], str]

    @model_validator(mode="after")
    def _all_levels(self) -> Scales:
        missing = [s for s in SUPPORT_LEVELS if s not in self.unpaid_support]
        if missing:
            raise ValueError(f"unpaid_support needs words for: {', '.join(missing)}")
        return self


class GeneralParams(_Strict):
    default_method: Parameter
    reference_method: Parameter
    weeks_per_year: Parameter
    range_low: Parameter
    range_high: Parameter
    range_high_fluctuating: Parameter
    min_unable_outcomes: Parameter


class PointsParams(_Strict):
    need_points: Parameter
    area_weight: Parameter
    risk_points: Parameter
    price_per_point: Parameter
    support_reduction: Parameter


class BandsParams(_Strict):
    bands: Parameter
    band_names: Parameter


class GridParams(_Strict):
    amount_by_risk: Parameter
    min_need: Parameter
    support_factor: Parameter


class CostedParams(_Strict):
    hours_by_need: Parameter
    support_reduction: Parameter
    service_rates: Parameter
    service_names: Parameter
    area_service: Parameter


class Parameters(_Strict):
    general: GeneralParams
    points: PointsParams
    bands: BandsParams
    grid: GridParams
    costed: CostedParams


class PolicyFile(_Strict):
    policy: PolicyMeta
    references: dict[str, Reference] = Field(min_length=1)
    areas: dict[AreaId, AreaNames]
    outcomes: dict[OutcomeId, OutcomeInfo]
    scales: Scales
    client_groups: dict[ClientGroup, str]
    parameters: Parameters

    @model_validator(mode="after")
    def _complete(self) -> PolicyFile:
        for name, ids, have in (
            ("areas", AREA_IDS, self.areas),
            ("outcomes", OUTCOME_IDS, self.outcomes),
            ("client_groups", CLIENT_GROUPS, self.client_groups),
        ):
            missing = [i for i in ids if i not in have]
            if missing:
                raise ValueError(f"`{name}` is missing: {', '.join(missing)}")
        return self


# ----- the law's fixed points -------------------------------------------------------------

MIN_UNABLE_OUTCOMES_IN_LAW = 2
"""SI 2015/313 reg. 2(1)(b): unable to achieve two or more outcomes. Law, not a council setting."""

LAW_FIXED = {
    "min_unable_outcomes": "the Eligibility Regulations (SI 2015/313) reg. 2(1)(b) set it at 2 outcomes",
    "unable_ways": "reg. 2(3) of SI 2015/313 sets the four ways an adult is unable to achieve an outcome",
    "carer_unable_ways": "reg. 3(3) of SI 2015/313 sets the three ways a carer is unable to achieve an outcome",
    "carer_min_unable_outcomes": "reg. 3(2) of SI 2015/313: a carer unable to achieve any one outcome",
    "carer_outcomes": "reg. 3(2)(b) of SI 2015/313 lists the carer outcomes",
    "outcome_ids": "reg. 2(2) of SI 2015/313 lists the ten outcomes",
    "eligibility": "the Eligibility Regulations (SI 2015/313) regs. 2 and 3 set who is eligible",
}
"""Keys a council file may not carry: each is set by law. The loader names the law."""


def law_message(key: str) -> str:
    return f"`{key}` is set by law, not by a council: {LAW_FIXED[key]}. Remove it from the file."


# ----- upper bounds: a figure beyond these is a typing mistake, not a policy ---------------

MAX_GBP_WEEK = Decimal("100000")
"""Pounds a week: no amount in a table may be more (a typo like 1e30 is refused)."""
MAX_GBP_PER_POINT = Decimal("1000")
MAX_GBP_PER_HOUR = Decimal("1000")
MAX_POINTS = Decimal("1000")
MAX_WEIGHT = Decimal("100")
HOURS_IN_A_WEEK = Decimal("168")
MAX_RANGE_SHARE = Decimal("10")

PositiveGBPWeek = Annotated[Decimal, Field(ge=0, le=MAX_GBP_WEEK)]
Points = Annotated[Decimal, Field(ge=0, le=MAX_POINTS)]
Share = Annotated[Decimal, Field(ge=0, le=1)]

# ----- typed tables in force on one date ------------------------------------------------

Level5 = tuple[Points, Points, Points, Points, Points]
Money5 = tuple[PositiveGBPWeek, PositiveGBPWeek, PositiveGBPWeek, PositiveGBPWeek, PositiveGBPWeek]
Hours5 = tuple[
    Annotated[Decimal, Field(ge=0, le=HOURS_IN_A_WEEK)],
    Annotated[Decimal, Field(ge=0, le=HOURS_IN_A_WEEK)],
    Annotated[Decimal, Field(ge=0, le=HOURS_IN_A_WEEK)],
    Annotated[Decimal, Field(ge=0, le=HOURS_IN_A_WEEK)],
    Annotated[Decimal, Field(ge=0, le=HOURS_IN_A_WEEK)],
]


def _need_keys(value: dict, keys: tuple[str, ...], what: str) -> dict:
    missing = [k for k in keys if k not in value]
    extra = [k for k in value if k not in keys]
    if missing:
        raise ValueError(f"{what} is missing: {', '.join(missing)}")
    if extra:
        raise ValueError(f"{what} has unknown keys: {', '.join(map(str, extra))}")
    return value


class GeneralTable(_Strict):
    default_method: Literal["points", "bands", "grid", "costed"]
    reference_method: Literal["points", "bands", "grid", "costed"]
    weeks_per_year: Decimal = Field(gt=0, le=53)
    range_low: Decimal = Field(gt=0, le=1)
    range_high: Decimal = Field(ge=1, le=MAX_RANGE_SHARE)
    range_high_fluctuating: Decimal = Field(ge=1, le=MAX_RANGE_SHARE)
    min_unable_outcomes: int = Field(ge=1, le=len(OUTCOME_IDS))

    @field_validator("min_unable_outcomes")
    @classmethod
    def _the_law(cls, value: int) -> int:
        if value != MIN_UNABLE_OUTCOMES_IN_LAW:
            raise ValueError(
                f"must be {MIN_UNABLE_OUTCOMES_IN_LAW}, not {value}: {LAW_FIXED['min_unable_outcomes']}. "
                "It is the law, not a council setting"
            )
        return value


class PointsTable(_Strict):
    need_points: Level5
    area_weight: dict[str, Annotated[Decimal, Field(ge=0, le=MAX_WEIGHT)]]
    risk_points: Level5
    price_per_point: dict[str, Annotated[Decimal, Field(gt=0, le=MAX_GBP_PER_POINT)]]
    """Pounds a week for each point: more than £0 (a negative price would give a negative budget)."""
    support_reduction: dict[str, Decimal]

    @model_validator(mode="after")
    def _keys(self) -> PointsTable:
        _need_keys(self.area_weight, AREA_IDS, "area_weight")
        _need_keys(self.price_per_point, CLIENT_GROUPS, "price_per_point")
        _need_keys(self.support_reduction, SUPPORT_LEVELS, "support_reduction")
        if any(not (0 <= v < 1) for v in self.support_reduction.values()):
            raise ValueError("support_reduction values must be at least 0 and below 1")
        return self


class BandRule(_Strict):
    band: str
    from_: int = Field(alias="from", ge=0)
    to: int = Field(ge=0)
    base: Decimal = Field(ge=0, le=MAX_GBP_WEEK)
    step: Decimal = Field(ge=0, le=MAX_GBP_WEEK)
    cap: Decimal | None = Field(None, ge=0, le=MAX_GBP_WEEK)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class BandsTable(_Strict):
    bands: tuple[BandRule, ...]
    band_names: dict[str, str]

    @model_validator(mode="after")
    def _contiguous(self) -> BandsTable:
        expected = 0
        for rule in self.bands:
            if rule.from_ != expected or rule.to < rule.from_:
                raise ValueError(
                    f"band `{rule.band}` should start at score {expected} and end at or after it"
                )
            expected = rule.to + 1
            if rule.band not in self.band_names:
                raise ValueError(f"band_names has no words for band `{rule.band}`")
        if expected != 33:
            raise ValueError(f"the bands must cover every score from 0 to 32 (they stop at {expected - 1})")
        return self


class GridTable(_Strict):
    amount_by_risk: Money5
    min_need: int = Field(ge=0, le=4)
    support_factor: dict[str, Share]

    @model_validator(mode="after")
    def _keys(self) -> GridTable:
        _need_keys(self.support_factor, SUPPORT_LEVELS, "support_factor")
        return self


class CostedTable(_Strict):
    hours_by_need: dict[str, Hours5]
    support_reduction: dict[str, Share]
    service_rates: dict[str, Annotated[Decimal, Field(gt=0, le=MAX_GBP_PER_HOUR)]]
    service_names: dict[str, str]
    area_service: dict[str, str]

    @model_validator(mode="after")
    def _keys(self) -> CostedTable:
        _need_keys(self.hours_by_need, AREA_IDS, "hours_by_need")
        _need_keys(self.support_reduction, SUPPORT_LEVELS, "support_reduction")
        _need_keys(self.area_service, AREA_IDS, "area_service")
        for area, service in self.area_service.items():
            if service not in self.service_rates:
                raise ValueError(f"area_service.{area} names `{service}`, which has no rate in service_rates")
            if service not in self.service_names:
                raise ValueError(f"service_names has no words for `{service}`")
        return self


class ValueSource(_Strict):
    """Where one figure in force came from: for `ras policy show` and the explanation."""

    path: str
    label: str
    unit: str
    effective_from: dt.date
    value: Any
    references: tuple[Reference, ...]
    status: FigureStatus = "confirmed"
    basis: str | None = None


class PolicyAt(_Strict):
    """Everything a method needs, as in force on `as_of`."""

    id: str
    title: str
    council: str
    contact: str
    as_of: dt.date
    effective_from: dt.date
    """The latest "effective from" date among the values in force."""
    areas: dict[str, AreaNames]
    outcomes: dict[str, OutcomeInfo]
    scales: Scales
    client_groups: dict[str, str]
    general: GeneralTable
    points: PointsTable
    bands: BandsTable
    grid: GridTable
    costed: CostedTable
    sources: tuple[ValueSource, ...]

    @functools.cached_property
    def _memo(self) -> dict:
        return {}

    def memo(self, key: tuple, make: Callable[[], Any]) -> Any:
        """Remember a pure result that depends only on these tables and `key`.

        The key space is small (area x need x risk x support x group), so this is bounded.
        """
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = make()
            return value

    def method_or_default(self, method: str | None) -> str:
        if method is None:
            return self.general.default_method
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
        return method

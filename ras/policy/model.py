"""A council's policy as data, and the typed tables in force on one date.

The file shape follows OpenFisca/PolicyEngine parameters: each parameter has a label,
a unit and values keyed by "effective from" date, each value naming its reference.
`Policy.at(date)` gives a `PolicyAt`: the typed tables the methods read. Nothing here
reads the clock: the caller says which date.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ras.models import AREA_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS, SUPPORT_LEVELS, AreaId, ClientGroup, OutcomeId


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ----- the file ------------------------------------------------------------------------


class Reference(_Strict):
    title: str = Field(min_length=3)
    address: str = Field(min_length=1)


class DatedValue(_Strict):
    value: Any
    reference: str | tuple[str, ...]

    def references(self) -> tuple[str, ...]:
        return (self.reference,) if isinstance(self.reference, str) else self.reference


class Parameter(_Strict):
    label: str = Field(min_length=3)
    unit: str = Field(min_length=1)
    values: dict[dt.date, DatedValue] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Parameter":
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
    def _all_levels(self) -> "Scales":
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
    def _complete(self) -> "PolicyFile":
        for name, ids, have in (
            ("areas", AREA_IDS, self.areas),
            ("outcomes", OUTCOME_IDS, self.outcomes),
            ("client_groups", CLIENT_GROUPS, self.client_groups),
        ):
            missing = [i for i in ids if i not in have]
            if missing:
                raise ValueError(f"`{name}` is missing: {', '.join(missing)}")
        return self


# ----- typed tables in force on one date ------------------------------------------------

Level5 = tuple[Decimal, Decimal, Decimal, Decimal, Decimal]


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
    range_high: Decimal = Field(ge=1)
    range_high_fluctuating: Decimal = Field(ge=1)
    min_unable_outcomes: int = Field(ge=1, le=len(OUTCOME_IDS))


class PointsTable(_Strict):
    need_points: Level5
    area_weight: dict[str, Decimal]
    risk_points: Level5
    price_per_point: dict[str, Decimal]
    support_reduction: dict[str, Decimal]

    @model_validator(mode="after")
    def _keys(self) -> "PointsTable":
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
    base: Decimal = Field(ge=0)
    step: Decimal = Field(ge=0)
    cap: Decimal | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class BandsTable(_Strict):
    bands: tuple[BandRule, ...]
    band_names: dict[str, str]

    @model_validator(mode="after")
    def _contiguous(self) -> "BandsTable":
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
    amount_by_risk: Level5
    min_need: int = Field(ge=0, le=4)
    support_factor: dict[str, Decimal]

    @model_validator(mode="after")
    def _keys(self) -> "GridTable":
        _need_keys(self.support_factor, SUPPORT_LEVELS, "support_factor")
        return self


class CostedTable(_Strict):
    hours_by_need: dict[str, Level5]
    support_reduction: dict[str, Decimal]
    service_rates: dict[str, Decimal]
    service_names: dict[str, str]
    area_service: dict[str, str]

    @model_validator(mode="after")
    def _keys(self) -> "CostedTable":
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

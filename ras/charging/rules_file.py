"""The charging rules file's shape, and the typed figures in force on one date (`ChargingAt`).

`ras.charging.rules` loads a file into these models; every figure is bounded here, so a
typo (a capital limit of 1e30) is refused at load with the file, line and key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ras.charging.models import AGE_GROUPS, HOUSEHOLDS, INCOME_KINDS, FreeService
from ras.policy.model import Parameter, Reference, ValueSource


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")



class RulesMeta(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    council: str


MIG_FIGURES: dict[str, str] = {
    "mig_single_under_25": "reg. 7(2)(a): a single person aged 18 to 24",
    "mig_single_25_to_pension": "reg. 7(2)(b): a single person aged 25 to pension credit age",
    "mig_single_pension": "reg. 7(2)(c): a single person over pension credit age",
    "mig_lone_parent": "reg. 7(3): a lone parent aged 18 or over",
    "mig_couple_each": "reg. 7(4)(a): each member of a couple, one or both aged 18 or over",
    "mig_couple_pension_each": "reg. 7(4)(b): each member of a couple, one or both over pension credit age",
    "mig_child": "reg. 7(1)(b): for each child the adult is responsible for and lives with",
    "disability_premium": "reg. 7(5)(a): disability premium, single",
    "enhanced_disability_premium": "reg. 7(5)(b): enhanced disability premium, single",
    "disability_premium_couple_each": "reg. 7(6)(a): disability premium, a member of a couple",
    "enhanced_disability_premium_couple_each": "reg. 7(6)(b): enhanced disability premium, a member of a couple",
    "carer_premium": "reg. 7(7): carer premium",
}
"""The minimum income guarantee figures of SI 2014/2672 reg. 7, by name."""

MAX_CAPITAL = Decimal("5e7")
"""No capital limit may be more (a typo like 1e30 is refused)."""
MAX_WEEKLY_FIGURE = Decimal("2000")
"""No minimum income amount may be more a week."""
MAX_SMALL_FIGURE = Decimal("500")
"""No premium, default or tariff step amount may be more a week."""
MAX_ADAPTATION = Decimal("5e5")
WEEKS_IN_A_YEAR = 52

YEAR_STARTS = (4, 6)
"""Charging figures change on 6 April each year (the amendment regulations' usual date)."""


class ChargingParameters(_Strict):
    capital_upper_limit: Parameter
    capital_lower_limit: Parameter
    tariff_step: Parameter
    tariff_per_step: Parameter
    mig: Parameter | None = None
    """The shape before reg. 7 was modelled figure by figure (household x age group); still read."""
    mig_single_under_25: Parameter | None = None
    mig_single_25_to_pension: Parameter | None = None
    mig_single_pension: Parameter | None = None
    mig_lone_parent: Parameter | None = None
    mig_couple_each: Parameter | None = None
    mig_couple_pension_each: Parameter | None = None
    mig_child: Parameter | None = None
    disability_premium: Parameter | None = None
    enhanced_disability_premium: Parameter | None = None
    disability_premium_couple_each: Parameter | None = None
    enhanced_disability_premium_couple_each: Parameter | None = None
    carer_premium: Parameter | None = None
    disregarded_income: Parameter
    disability_benefits: Parameter
    dre_default: Parameter
    reablement_free_weeks: Parameter
    minor_adaptations_free_limit: Parameter


MAY_BE_MISSING = frozenset({"mig", *MIG_FIGURES, "dre_default"})
"""Figures that may have no value in force on a date: reported as missing, never invented."""


class ChargingFile(_Strict):
    rules: RulesMeta
    references: dict[str, Reference] = Field(min_length=1)
    parameters: ChargingParameters


# ----- typed figures in force on one date --------------------------------------------------

MigByAge = dict[str, Annotated[Decimal, Field(gt=0, le=MAX_WEEKLY_FIGURE)] | None]
WeeklyFigure = Annotated[Decimal, Field(gt=0, le=MAX_WEEKLY_FIGURE)]
SmallFigure = Annotated[Decimal, Field(ge=0, le=MAX_SMALL_FIGURE)]


class ChargingAt(_Strict):
    """The charging figures in force on `as_of`. None: not in the data for that date."""

    id: str
    title: str
    council: str
    as_of: dt.date
    capital_upper_limit: Decimal = Field(gt=0, le=MAX_CAPITAL)
    capital_lower_limit: Decimal = Field(ge=0, le=MAX_CAPITAL)
    tariff_step: Decimal = Field(gt=0, le=MAX_ADAPTATION)
    tariff_per_step: Decimal = Field(gt=0, le=MAX_SMALL_FIGURE)
    mig: dict[str, MigByAge] | None = None
    mig_single_under_25: WeeklyFigure | None = None
    mig_single_25_to_pension: WeeklyFigure | None = None
    mig_single_pension: WeeklyFigure | None = None
    mig_lone_parent: WeeklyFigure | None = None
    mig_couple_each: WeeklyFigure | None = None
    mig_couple_pension_each: WeeklyFigure | None = None
    mig_child: WeeklyFigure | None = None
    disability_premium: SmallFigure | None = None
    enhanced_disability_premium: SmallFigure | None = None
    disability_premium_couple_each: SmallFigure | None = None
    enhanced_disability_premium_couple_each: SmallFigure | None = None
    carer_premium: SmallFigure | None = None
    disregarded_income: tuple[str, ...]
    disability_benefits: tuple[str, ...]
    dre_default: SmallFigure | None = None
    reablement_free_weeks: int = Field(ge=0, le=WEEKS_IN_A_YEAR)
    minor_adaptations_free_limit: Decimal = Field(ge=0, le=MAX_ADAPTATION)
    sources: tuple[ValueSource, ...] = ()
    latest_year_start: dt.date | None = None
    """The latest date a minimum income figure takes effect, anywhere in the file."""

    @model_validator(mode="after")
    def _consistent(self) -> ChargingAt:
        if self.capital_lower_limit > self.capital_upper_limit:
            raise ValueError("capital_lower_limit must not be above capital_upper_limit")
        for name in ("disregarded_income", "disability_benefits"):
            unknown = [k for k in getattr(self, name) if k not in INCOME_KINDS]
            if unknown:
                raise ValueError(f"{name} names unknown income kinds: {', '.join(unknown)}")
        if self.mig is not None:
            for key in self.mig:
                if key not in HOUSEHOLDS:
                    raise ValueError(f"mig has an unknown household `{key}` (use {', '.join(HOUSEHOLDS)})")
            for household in HOUSEHOLDS:
                if household not in self.mig:
                    raise ValueError(f"mig is missing household `{household}` (write null for a figure not found)")
                ages = self.mig[household]
                wrong = [a for a in ages if a not in AGE_GROUPS] + [a for a in AGE_GROUPS if a not in ages]
                if wrong:
                    raise ValueError(
                        f"mig.{household} must have exactly the age groups {', '.join(AGE_GROUPS)} "
                        f"(null for a figure not found)"
                    )
        return self

    def figure(self, name: str) -> Decimal | None:
        """A reg. 7 figure by name; from the older `mig` table when the file has only that."""
        value = getattr(self, name)
        if value is not None or self.mig is None:
            return value
        old = {
            "mig_single_under_25": ("single", "under-25"),
            "mig_single_25_to_pension": ("single", "25-pension"),
            "mig_single_pension": ("single", "pension"),
            "mig_lone_parent": ("single", "25-pension"),
            "mig_couple_each": ("couple", "25-pension"),
            "mig_couple_pension_each": ("couple", "pension"),
        }.get(name)
        return self.mig[old[0]][old[1]] if old else None

    def mig_for(self, household: str, age_group: str) -> Decimal | None:
        """The basic amount for a household and age group (no children, no premiums)."""
        if household == "couple":
            return self.figure("mig_couple_pension_each" if age_group == "pension" else "mig_couple_each")
        return self.figure({"under-25": "mig_single_under_25", "25-pension": "mig_single_25_to_pension",
                            "pension": "mig_single_pension"}[age_group])

    def source(self, name: str) -> ValueSource | None:
        return next((s for s in self.sources if s.path == name), None)

    @property
    def year_start(self) -> dt.date | None:
        """The start of the charging year whose minimum income figures are in force."""
        days = [s.effective_from for s in self.sources if s.path in MIG_FIGURES or s.path == "mig"]
        return max(days) if days else None

    @property
    def year(self) -> str | None:
        """The charging year of the figures in force, e.g. "2026-27"."""
        start = self.year_start
        if start is None:
            return None
        first = start.year if (start.month, start.day) >= YEAR_STARTS else start.year - 1
        return f"{first}-{(first + 1) % 100:02d}"

    @property
    def out_of_date(self) -> bool:
        """True on or after 6 April following the latest year in the data: newer figures should exist."""
        latest = self.latest_year_start
        if latest is None:
            return False
        first = latest.year if (latest.month, latest.day) >= YEAR_STARTS else latest.year - 1
        return self.as_of >= dt.date(first + 1, *YEAR_STARTS)

    def free_services(self) -> tuple[FreeService, ...]:
        """Reg. 3: community equipment (aids) free at any cost; minor adaptations free up to the
        limit each (reg. 3(3)); reablement and intermediate care free for the first weeks."""
        return (
            FreeService(
                id="reablement",
                name="Reablement and intermediate care (short-term help to get back on your feet)",
                limit=f"free for up to {self.reablement_free_weeks} weeks",
            ),
            FreeService(
                id="equipment",
                name="Equipment to help you at home, like a raised toilet seat or a walking frame",
                limit="free, whatever it costs",
            ),
            FreeService(
                id="minor_adaptations",
                name="Small changes to your home (minor adaptations), like a grab rail",
                limit=f"free when each one costs £{self.minor_adaptations_free_limit:,.0f} or less",
            ),
        )

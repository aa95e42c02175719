"""`ras-finance/1` (what the person tells us about money) and the charge estimate.

Input models are frozen and forbid unknown fields, like the assessment record: a typo
is an error naming the field. Money is `Decimal` in pounds and pence, never negative.
No charging figure lives here: the figures come from `ras/policies/charging/*.yaml`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ras.models import Step

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
"""Pounds and pence, at least 0 (e.g. 12.34)."""

AgeGroup = Literal["under-25", "25-pension", "pension"]
AGE_GROUPS: tuple[str, ...] = ("under-25", "25-pension", "pension")
Household = Literal["single", "couple"]
HOUSEHOLDS: tuple[str, ...] = ("single", "couple")

IncomeKind = Literal[
    "earnings",
    "state_pension",
    "private_pension",
    "pension_credit",
    "universal_credit",
    "esa",
    "jsa",
    "income_support",
    "carers_allowance",
    "attendance_allowance",
    "pip_daily_living",
    "pip_mobility",
    "dla_care",
    "dla_mobility",
    "housing_benefit",
    "council_tax_reduction",
    "other",
]
"""The kinds of weekly income. Which kinds are disregarded, and which are disability
benefits (so disability-related spending must be allowed), is data in the rules file."""
INCOME_KINDS: tuple[str, ...] = IncomeKind.__args__  # type: ignore[attr-defined]


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IncomeItem(_Input):
    kind: IncomeKind
    weekly: Money
    note: str | None = None


class SpendingItem(_Input):
    """One disability-related cost, e.g. a community alarm or extra laundry."""

    what: str = Field(min_length=1)
    weekly: Money


class FinanceRecord(_Input):
    """`ras-finance/1`: what a person says about their money, for a charge estimate."""

    schema_: Literal["ras-finance/1"] = Field("ras-finance/1", alias="schema")
    capital: Money
    """Savings and investments that count (the home a person lives in does not)."""
    income: tuple[IncomeItem, ...] = ()
    """Weekly income, item by item."""
    age_group: AgeGroup
    household: Household = "single"
    disability_premium: bool = False
    enhanced_disability_premium: bool = False
    housing_costs: Money = Decimal("0.00")
    """Weekly rent, mortgage interest and council tax the person pays themselves."""
    dre: tuple[SpendingItem, ...] | None = None
    """Disability-related spending, item by item; left out: the rules' default is used."""
    care_cost: Money
    """What the care costs a week (the weekly personal budget)."""
    id: str | None = None
    notes: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def finance_schema() -> dict:
    """The JSON Schema of `ras-finance/1` (for `ras schema finance`)."""
    schema = FinanceRecord.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "ras-finance/1"
    return schema


# ----- results ---------------------------------------------------------------------------


class _Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class FreeService(_Output):
    """A service that is free whatever a person's money (charging regulations, reg. 3)."""

    id: str
    name: str
    limit: str


CapitalBand = Literal["below_lower_limit", "between_limits", "above_upper_limit"]


class ChargeResult(_Output):
    """`ras-charge/1`: an estimate of what a person pays a week towards their care.

    An estimate only: a money check (financial assessment) by the council decides.
    """

    schema_: Literal["ras-charge/1"] = Field("ras-charge/1", alias="schema")
    rules: str
    as_of: str
    capital: Decimal
    capital_band: CapitalBand
    tariff_income: Decimal | None
    """£ a week counted from savings between the limits; null above the upper limit."""
    assessable_income: Decimal
    """Weekly income that counts, after the parts that are disregarded."""
    disregarded_income: Decimal
    mig: Decimal | None
    """Minimum Income Guarantee a week; null when the figure is not in the data."""
    housing_costs: Decimal
    dre: Decimal
    dre_source: Literal["itemised", "default", "none"]
    left_after_allowances: Decimal | None
    """assessable income + tariff - MIG - housing - DRE (may be below 0); null if unknown."""
    care_cost: Decimal
    weekly_charge: Decimal | None
    """The estimated charge a week; null when a figure needed is missing."""
    person_pays: Decimal | None
    council_pays: Decimal | None
    capped_at_care_cost: bool
    full_cost: bool
    missing: tuple[str, ...]
    """Plain notes on figures not in the data (never invented)."""
    free_services: tuple[FreeService, ...]
    steps: tuple[Step, ...]
    note: str

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

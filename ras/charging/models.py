"""`ras-finance/2` (what the person tells us about money) and the charge estimate
(`ras-charge/2`). `ras-finance/1` and `ras-charge/1` are still read.

Input models are frozen and forbid unknown fields, like the assessment record: a typo
is an error naming the field. Money is `Decimal` in pounds and pence, never negative.
No charging figure lives here: the figures come from `ras/policies/charging/*.yaml`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from ras.messages import say
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


DisabilityBenefit = Literal[
    "none",
    "pip_daily_living_standard",
    "pip_daily_living_enhanced",
    "dla_care_lowest",
    "dla_care_middle",
    "dla_care_highest",
    "attendance_allowance_lower",
    "attendance_allowance_higher",
]
"""Which disability benefit for daily living (and at which rate) the person gets: the
premiums of reg. 7(5) and 7(6) are worked out from it, never asked."""
DISABILITY_BENEFITS: tuple[str, ...] = DisabilityBenefit.__args__  # type: ignore[attr-defined]
BENEFIT_INCOME_KIND = {
    "pip_daily_living_standard": "pip_daily_living",
    "pip_daily_living_enhanced": "pip_daily_living",
    "dla_care_lowest": "dla_care",
    "dla_care_middle": "dla_care",
    "dla_care_highest": "dla_care",
    "attendance_allowance_lower": "attendance_allowance",
    "attendance_allowance_higher": "attendance_allowance",
}
"""The income kind each benefit is counted as."""
GIVES_DISABILITY_PREMIUM = frozenset(BENEFIT_INCOME_KIND)
"""Reg. 7(5): any rate of PIP daily living, DLA care or Attendance Allowance (Income Support
Regulations Sch. 2 para 11 and 12, as the domain brief and the circulars read them)."""
GIVES_ENHANCED_PREMIUM = frozenset({"pip_daily_living_enhanced", "dla_care_highest"})
"""The enhanced rate of PIP daily living, or the highest rate of DLA care (Sch. 2 para 13A)."""

HousingKind = Literal[
    "rent_and_council_tax", "rent", "council_tax", "mortgage_interest", "service_charges",
    "ground_rent", "mortgage_interest_and_charges",
]
HOUSING_KINDS: tuple[str, ...] = HousingKind.__args__  # type: ignore[attr-defined]
HOUSING_WORDS = {kind: say(f"charge.housing_kinds.{kind}") for kind in HOUSING_KINDS}
"""Each housing cost in plain words (`ras/messages.en.yaml`)."""
MAX_CHILDREN = 20


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


class HousingItem(_Input):
    """One housing cost the person pays themselves, a week (after any Housing Benefit)."""

    kind: HousingKind
    weekly: Money


FINANCE_SCHEMA_ID: Final = "ras-finance/2"


class FinanceRecord(_Input):
    """`ras-finance/2` (and `ras-finance/1`): what a person says about their money.

    /2 adds `benefit` (the premiums follow from it), `children`, `partner_pension_age`,
    `housing` item by item (rent, council tax, mortgage interest, service charges, ground
    rent) and `council_cost`. A /1 record reads as before: its `disability_premium` and
    `enhanced_disability_premium` answers still count.
    """

    schema_: Literal["ras-finance/1", "ras-finance/2"] = Field(FINANCE_SCHEMA_ID, alias="schema")
    capital: Money
    """Savings and investments that count (the home a person lives in does not)."""
    income: tuple[IncomeItem, ...] = ()
    """Weekly income, item by item."""
    age_group: AgeGroup
    household: Household = "single"
    partner_pension_age: bool = False
    """A couple where the partner is over pension age: reg. 7(4)(b), the pension-age amount."""
    children: int = Field(0, ge=0, le=MAX_CHILDREN)
    """Children the person is responsible for and lives with (reg. 7(1)(b))."""
    benefit: DisabilityBenefit | None = None
    """The disability benefit for daily living and its rate; None: not asked (a /1 record)."""
    disability_premium: bool = False
    """/1: the person said a benefit includes the disability premium. /2 works it out from `benefit`."""
    enhanced_disability_premium: bool = False
    housing_costs: Money = Decimal("0.00")
    """Weekly housing costs as one figure (as /1 asked it); `housing` holds them item by item."""
    housing: tuple[HousingItem, ...] = ()
    council_cost: Money | None = None
    """What meeting the needs costs the council a week, when known and different from
    `care_cost`: the charge never exceeds it (Care Act 2014 s.14(4))."""
    dre: tuple[SpendingItem, ...] | None = None
    """Disability-related spending, item by item; left out: the rules' default is used."""
    care_cost: Money
    """What the care costs a week (the weekly personal budget)."""
    id: str | None = None
    notes: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def housing_total(self) -> Decimal:
        return self.housing_costs + sum((h.weekly for h in self.housing), Decimal("0.00"))


def finance_schema() -> dict:
    """The JSON Schema of `ras-finance/2`, which also reads /1 (for `ras schema finance`)."""
    schema = FinanceRecord.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = FINANCE_SCHEMA_ID
    return schema


# ----- results ---------------------------------------------------------------------------


class _Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class FreeService(_Output):
    """A service that is free whatever a person's money (charging regulations, reg. 3)."""

    id: str
    name: str
    limit: str


class FigureUsed(_Output):
    """One charging figure an estimate used: its value, year, how sure it is and its source."""

    name: str
    label: str
    value: Decimal
    effective_from: str
    status: Literal["confirmed", "reported", "estimate"] = "confirmed"
    basis: str | None = None
    sources: tuple[str, ...] = ()
    """'title <address>' of each reference."""


CapitalBand = Literal["below_lower_limit", "between_limits", "above_upper_limit"]
DreSource = Literal["itemised", "default", "none"]
"""Where the disability-related expenditure allowance came from: the items, the default, or none."""


CHARGE_SCHEMA_ID: Final = "ras-charge/2"


class ChargeResult(_Output):
    """`ras-charge/2` (reads /1): an estimate of what a person pays a week towards their care.

    An estimate only: a money check (financial assessment) by the council decides.
    /2 adds `year`, `figures`, `notes`, `out_of_date` and `cost_to_council`.
    """

    schema_: Literal["ras-charge/1", "ras-charge/2"] = Field(CHARGE_SCHEMA_ID, alias="schema")
    rules: str
    as_of: str
    year: str | None = None
    """The charging year whose figures were used, e.g. "2026-27" (from 6 April)."""
    out_of_date: bool = False
    """True when `as_of` is on or after 6 April following the latest year in the data."""
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
    dre_source: DreSource
    left_after_allowances: Decimal | None
    """assessable income + tariff - MIG - housing - DRE (may be below 0); null if unknown."""
    care_cost: Decimal
    cost_to_council: Decimal | None = None
    """The most the person can be charged: what meeting the needs costs the council (s.14(4))."""
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
    notes: tuple[str, ...] = ()
    """Plain notes: figures that are estimates, figures that may be out of date, answers to check."""
    figures: tuple[FigureUsed, ...] = ()
    """Every charging figure used, with its status (confirmed, reported, estimate) and source."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

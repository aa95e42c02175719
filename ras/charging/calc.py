"""The weekly charge estimate for care at home: pure, no files, no clock.

Rules (Care and Support (Charging and Assessment of Resources) Regulations 2014):
- capital above the upper limit: the person pays the full cost of their care (what it
  costs the council, Care Act s.14(4));
- between the limits: tariff income of one step (e.g. £1 a week) for every step of
  capital (e.g. £250) or part of one above the lower limit;
- minimum income guarantee (reg. 7): the amount for the person's age and household, an
  amount for each child, and the premiums worked out from the benefits they get;
- charge = assessable income + tariff - MIG - housing costs - disability-related
  spending (only where a disability benefit is counted, Sch. 1 para 4), never below 0
  and never more than the care costs the council (s.14(4)).

Every figure comes from `ChargingAt` (the rules in force on a date). A figure that is
not in the data is reported in `missing` and the charge is left unknown.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Literal, TypedDict

from ras.charging.models import (
    BENEFIT_INCOME_KIND,
    CHARGE_SCHEMA_ID,
    GIVES_DISABILITY_PREMIUM,
    GIVES_ENHANCED_PREMIUM,
    HOUSING_WORDS,
    CapitalBand,
    ChargeResult,
    DreSource,
    FigureUsed,
    FinanceRecord,
    FreeService,
)
from ras.charging.rules import MIG_FIGURES, ChargingAt
from ras.methods.base import step
from ras.models import Step
from ras.money import ZERO, pence, pounds

AGE_WORDS = {"under-25": "under 25", "25-pension": "25 or over, under pension age", "pension": "over pension age"}
HOUSEHOLD_WORDS = {"single": "on your own", "couple": "part of a couple"}

NOTE = (
    "This is an estimate. It is not a decision. "
    "A money check with a finance officer works out what you really pay."
)

FIGURE_WORDS = {
    "mig_single_under_25": "for a single person under 25",
    "mig_single_25_to_pension": "for a single person 25 or over",
    "mig_single_pension": "for a single person over pension age",
    "mig_lone_parent": "for a parent on their own",
    "mig_couple_each": "for each person in a couple",
    "mig_couple_pension_each": "for each person in a couple over pension age",
    "mig_child": "for each child who lives with you",
    "disability_premium": "extra because you get a disability benefit",
    "enhanced_disability_premium": "more because you get the highest rate",
    "disability_premium_couple_each": "extra because you get a disability benefit",
    "enhanced_disability_premium_couple_each": "more because you get the highest rate",
    "carer_premium": "extra because you get Carer's Allowance",
}
"""What each part of the minimum income guarantee is for, in plain words."""


def tariff_income(capital: Decimal, rules: ChargingAt) -> Decimal:
    """£ a week counted from capital between the limits: one step per step, or part, above the lower limit."""
    over = capital - rules.capital_lower_limit
    if over <= 0:
        return ZERO
    steps = (over / rules.tariff_step).to_integral_value(rounding=ROUND_CEILING)
    return pence(steps * rules.tariff_per_step)


def _benefit_kind(record: FinanceRecord) -> str | None:
    return record.benefit if record.benefit not in (None, "none") else None


def premiums_due(record: FinanceRecord) -> tuple[bool, bool, bool]:
    """(disability, enhanced disability, carer) premiums the answers give, at any age.

    Reg. 7(5)/(6): the disability premium with any rate of PIP daily living, DLA care or
    Attendance Allowance; the enhanced premium (on top) with the enhanced rate of PIP daily
    living or the highest rate of DLA care. Reg. 7(7): the carer premium with Carer's
    Allowance. A `ras-finance/1` record's own yes answers still count.
    """
    kind = _benefit_kind(record)
    enhanced = record.enhanced_disability_premium or kind in GIVES_ENHANCED_PREMIUM
    disability = record.disability_premium or enhanced or kind in GIVES_DISABILITY_PREMIUM
    carer = any(i.kind == "carers_allowance" and i.weekly > 0 for i in record.income)
    return disability, enhanced, carer


def mig_parts(record: FinanceRecord, rules: ChargingAt) -> tuple[list[tuple[str, Decimal | None, int]], list[str]]:
    """The parts of the minimum income guarantee (reg. 7) for this person: (figure name,
    value or None when not in the data, how many), and plain notes on what was assumed."""
    parts: list[tuple[str, Decimal | None, int]] = []
    notes: list[str] = []
    pension = record.age_group == "pension"
    if record.household == "couple":
        pension_tier = pension or record.partner_pension_age  # reg. 7(4)(b): one or both
        base = "mig_couple_pension_each" if pension_tier else "mig_couple_each"
    elif pension:
        pension_tier, base = True, "mig_single_pension"
    elif record.children:
        # reg. 7(3): a lone parent aged 18 or over; never less than the amount for their age
        pension_tier = False
        age = "mig_single_under_25" if record.age_group == "under-25" else "mig_single_25_to_pension"
        lone, own = rules.figure("mig_lone_parent"), rules.figure(age)
        # a missing lone-parent figure is missing, never replaced by a smaller one
        base = age if (lone is not None and own is not None and own > lone) else "mig_lone_parent"
    else:
        pension_tier = False
        base = "mig_single_under_25" if record.age_group == "under-25" else "mig_single_25_to_pension"
    parts.append((base, rules.figure(base), 1))
    if record.children:
        parts.append(("mig_child", rules.figure("mig_child"), record.children))
    disability, enhanced, carer = premiums_due(record)
    if pension_tier and (disability or carer):
        notes.append("People over pension age get a higher amount to live on instead of the extra amounts.")
    elif not pension_tier:
        couple = record.household == "couple"
        if disability:
            name = "disability_premium_couple_each" if couple else "disability_premium"
            parts.append((name, rules.figure(name), 1))
        if enhanced:
            name = "enhanced_disability_premium_couple_each" if couple else "enhanced_disability_premium"
            parts.append((name, rules.figure(name), 1))
        if carer:
            parts.append(("carer_premium", rules.figure("carer_premium"), 1))
    return parts, notes


def _figure_used(rules: ChargingAt, name: str, value: Decimal) -> FigureUsed:
    src = rules.source(name)
    if src is None and rules.source("mig") is not None and name in MIG_FIGURES:
        src = rules.source("mig")
    return FigureUsed(
        name=name,
        label=src.label if src else name,
        value=value,
        effective_from=src.effective_from.isoformat() if src else "",
        status=src.status if src else "confirmed",
        basis=src.basis if src else None,
        sources=tuple(f"{r.title} <{r.address}>" for r in src.references) if src else (),
    )


def _general_figures(rules: ChargingAt, names: list[str]) -> list[FigureUsed]:
    out = []
    for name in names:
        value = getattr(rules, name, None)
        if isinstance(value, Decimal) and rules.source(name) is not None:
            out.append(_figure_used(rules, name, value))
    return out


def _figure_notes(rules: ChargingAt, figures: list[FigureUsed]) -> list[str]:
    notes = []
    year = rules.year or "this year"
    if rules.out_of_date:
        notes.append(
            f"These figures are for {year}. They may be out of date: new figures start each April. "
            "A finance officer will use the right ones."
        )
    if any(f.status != "confirmed" for f in figures):
        notes.append(
            f"Some figures for {year} are our best guess, because we could not check the official ones. "
            "A finance officer will use the right ones."
        )
    return notes


class _Shared(TypedDict):
    """The fields of a `ChargeResult` that every way through `estimate_charge` fills alike."""

    schema: Literal["ras-charge/2"]
    rules: str
    as_of: str
    capital: Decimal
    care_cost: Decimal
    cost_to_council: Decimal
    free_services: tuple[FreeService, ...]
    note: str
    year: str | None
    out_of_date: bool


def estimate_charge(record: FinanceRecord, rules: ChargingAt) -> ChargeResult:
    """The weekly charge estimate for `record` under the rules in force on one date."""
    steps: list[Step] = []
    missing: list[str] = []
    notes: list[str] = []
    care_cost = pence(record.care_cost)
    cost = pence(min(care_cost, record.council_cost) if record.council_cost is not None else care_cost)
    free = rules.free_services()
    figures = _general_figures(rules, ["capital_upper_limit", "capital_lower_limit", "tariff_step", "tariff_per_step"])
    common = _Shared(schema=CHARGE_SCHEMA_ID, rules=rules.id, as_of=rules.as_of.isoformat(), capital=record.capital, care_cost=care_cost,
                     cost_to_council=cost, free_services=free, note=NOTE, year=rules.year,
                     out_of_date=rules.out_of_date)

    # income: what counts and what does not; the daily living benefit is counted as its kind
    counted = ZERO
    disregarded = ZERO
    kind_of_benefit = BENEFIT_INCOME_KIND.get(record.benefit or "")
    for item in record.income:
        kind = kind_of_benefit if (kind_of_benefit and item.kind == "pip_daily_living") else item.kind
        if kind in rules.disregarded_income:
            disregarded += item.weekly
        else:
            counted += item.weekly
    counted, disregarded = pence(counted), pence(disregarded)
    housing = pence(record.housing_total())

    # capital
    if record.capital > rules.capital_upper_limit:
        steps.append(step(
            "charge.capital_above_upper",
            f"Your savings are {pounds(record.capital)}. That is more than {pounds(rules.capital_upper_limit)}. "
            f"So you pay the full cost of your care: {pounds(cost)} a week.",
            cost,
        ))
        steps.append(step("charge.total", f"You pay {pounds(cost)} a week. The council pays {pounds(ZERO)}.", cost))
        return ChargeResult(
            capital_band="above_upper_limit", tariff_income=None, assessable_income=counted,
            disregarded_income=disregarded, mig=None, housing_costs=housing, dre=ZERO, dre_source="none",
            left_after_allowances=None, weekly_charge=cost, person_pays=cost, council_pays=ZERO,
            capped_at_care_cost=False, full_cost=True, missing=(), steps=tuple(steps),
            figures=tuple(figures), notes=tuple(_figure_notes(rules, figures)), **common,
        )

    tariff = tariff_income(record.capital, rules)
    if tariff == 0:
        band: CapitalBand = "below_lower_limit"
        steps.append(step(
            "charge.capital_below_lower",
            f"Your savings are {pounds(record.capital)}. Savings up to {pounds(rules.capital_lower_limit)} "
            f"are not counted. So your savings add {pounds(ZERO)}.",
            ZERO,
        ))
    else:
        band = "between_limits"
        steps.append(step(
            "charge.tariff_income",
            f"Your savings are {pounds(record.capital)}. That is {pounds(record.capital - rules.capital_lower_limit)} "
            f"more than {pounds(rules.capital_lower_limit)}. For each {pounds(rules.tariff_step)} or part of it, "
            f"we count {pounds(rules.tariff_per_step)} a week. That is {pounds(tariff)} a week.",
            tariff,
        ))

    text = f"Your income that counts is {pounds(counted)} a week."
    if disregarded:
        text += f" We did not count {pounds(disregarded)} a week (like wages or the mobility part of a benefit)."
    steps.append(step("charge.income", text, counted))

    # minimum income guarantee (reg. 7)
    parts, mig_notes = mig_parts(record, rules)
    notes += mig_notes
    who = f"{AGE_WORDS[record.age_group]}, {HOUSEHOLD_WORDS[record.household]}"
    mig: Decimal | None = ZERO
    words: list[str] = []
    for name, value, count in parts:
        if value is None:
            when = f" in force on {rules.as_of}"
            what = "minimum income figure" if name.startswith("mig_") else "figure for the extra amount"
            missing.append(
                f"We do not have the {what}{when} for people {who} ({MIG_FIGURES[name].split(':')[0]}). "
                "We will not guess it. A finance officer will use the right figure."
            )
            mig = None
            continue
        figures.append(_figure_used(rules, name, value))
        if mig is not None:
            mig += value * count
        words.append(f"{count} x {pounds(value)} {FIGURE_WORDS[name]}" if count > 1 else f"{pounds(value)} {FIGURE_WORDS[name]}")
    if mig is not None:
        mig = pence(mig)
        steps.append(step("charge.mig", f"You keep at least {pounds(mig)} a week to live on ({' + '.join(words)}).", mig))

    if housing:
        items = [(HOUSING_WORDS[h.kind], h.weekly) for h in record.housing if h.weekly]
        if record.housing_costs:
            items.insert(0, ("rent, mortgage interest and council tax", record.housing_costs))
        listed = ", ".join(f"{pounds(v)} {w}" for w, v in items)
        steps.append(step("charge.housing", f"You also keep {pounds(housing)} a week for your home ({listed}).", housing))

    # disability-related spending: only where a disability benefit is counted (Sch. 1 para 4)
    benefit_counted = any(
        (kind_of_benefit if (kind_of_benefit and i.kind == "pip_daily_living") else i.kind) in rules.disability_benefits
        and i.weekly > 0
        for i in record.income
    )
    dre = ZERO
    dre_source: DreSource = "none"
    if not benefit_counted:
        if record.dre:
            notes.append(
                "We did not take off your extra costs of disability, because no disability benefit is counted "
                "as your income. A finance officer can check this with you."
            )
    elif record.dre is not None:
        dre = pence(sum((i.weekly for i in record.dre), ZERO))
        dre_source = "itemised"
        if record.dre:
            steps.append(step(
                "charge.dre_itemised",
                f"You keep {pounds(dre)} a week for extra costs of your disability "
                f"({', '.join(i.what for i in record.dre)}).",
                dre,
            ))
    elif rules.dre_default is None:
        missing.append("We do not have a standard figure for extra costs of disability. A finance officer will ask you about them.")
    else:
        dre, dre_source = pence(rules.dre_default), "default"
        figures += _general_figures(rules, ["dre_default"])
        steps.append(step(
            "charge.dre_default",
            f"You get a disability benefit, so you keep {pounds(dre)} a week for extra costs of your disability. "
            "If your costs are more, tell the finance officer.",
            dre,
        ))

    if record.benefit in (None, "none") and not record.disability_premium and any(
        i.kind == "pip_daily_living" and i.weekly > 0 for i in record.income
    ) and record.schema_ != "ras-finance/1":
        notes.append(
            "You told us how much you get for daily living, but not which benefit it is. "
            "You may keep more. A finance officer will check."
        )
    if record.children >= 5:
        notes.append(f"We counted {record.children} children. If more children live with you, tell the finance officer.")
    notes += _figure_notes(rules, figures)

    if mig is None:
        steps.append(step(
            "charge.unknown",
            "We cannot work out your part yet, because a figure is missing. A money check will work it out.",
        ))
        return ChargeResult(
            capital_band=band, tariff_income=tariff, assessable_income=counted, disregarded_income=disregarded,
            mig=None, housing_costs=housing, dre=dre, dre_source=dre_source, left_after_allowances=None,
            weekly_charge=None, person_pays=None, council_pays=None, capped_at_care_cost=False, full_cost=False,
            missing=tuple(missing), steps=tuple(steps), figures=tuple(figures), notes=tuple(notes), **common,
        )

    left = pence(counted + tariff - mig - housing - dre)
    charge = max(ZERO, left)
    capped = charge > cost
    if capped:
        charge = cost
    steps.append(step(
        "charge.left",
        f"{pounds(counted)} income + {pounds(tariff)} from savings - {pounds(mig)} to live on - "
        f"{pounds(housing)} for your home - {pounds(dre)} for extra disability costs = {pounds(left)} a week."
        + (" That is less than nothing, so you pay nothing." if left < 0 else ""),
        left,
    ))
    if capped:
        steps.append(step(
            "charge.capped",
            f"That is more than your care costs the council. You never pay more than that: {pounds(cost)} a week.",
            cost,
        ))
    council = pence(care_cost - charge)
    steps.append(step("charge.total", f"You pay {pounds(charge)} a week. The council pays {pounds(council)} a week.", charge))
    return ChargeResult(
        capital_band=band, tariff_income=tariff, assessable_income=counted, disregarded_income=disregarded,
        mig=mig, housing_costs=housing, dre=dre, dre_source=dre_source, left_after_allowances=left,
        weekly_charge=charge, person_pays=charge, council_pays=council, capped_at_care_cost=capped,
        full_cost=False, missing=tuple(missing), steps=tuple(steps), figures=tuple(figures), notes=tuple(notes),
        **common,
    )

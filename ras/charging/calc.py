"""The weekly charge estimate for care at home: pure, no files, no clock.

Rules (Care and Support (Charging and Assessment of Resources) Regulations 2014):
- capital above the upper limit: the person pays the full cost of their care;
- between the limits: tariff income of one step (e.g. £1 a week) for every step of
  capital (e.g. £250) or part of one above the lower limit;
- charge = assessable income + tariff - MIG - housing costs - disability-related
  spending, never below 0 and never more than the care costs.

Every figure comes from `ChargingAt` (the rules in force on a date). A figure that is
not in the data is reported in `missing` and the charge is left unknown.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from ras.charging.models import ChargeResult, FinanceRecord
from ras.charging.rules import ChargingAt
from ras.methods.base import step
from ras.models import Step
from ras.money import ZERO, pence, pounds

AGE_WORDS = {"under-25": "under 25", "25-pension": "25 or over, under pension age", "pension": "over pension age"}
HOUSEHOLD_WORDS = {"single": "on your own", "couple": "part of a couple"}

NOTE = (
    "This is an estimate. It is not a decision. "
    "A money check with a finance officer works out what you really pay."
)


def tariff_income(capital: Decimal, rules: ChargingAt) -> Decimal:
    """£ a week counted from capital between the limits: one step per step, or part, above the lower limit."""
    over = capital - rules.capital_lower_limit
    if over <= 0:
        return ZERO
    steps = (over / rules.tariff_step).to_integral_value(rounding=ROUND_CEILING)
    return pence(steps * rules.tariff_per_step)


def estimate_charge(record: FinanceRecord, rules: ChargingAt) -> ChargeResult:
    """The weekly charge estimate for `record` under the rules in force on one date."""
    steps: list[Step] = []
    missing: list[str] = []
    care_cost = pence(record.care_cost)
    free = rules.free_services()
    common = dict(rules=rules.id, as_of=rules.as_of.isoformat(), capital=record.capital, care_cost=care_cost,
                  free_services=free, note=NOTE)

    # income: what counts and what does not
    counted = ZERO
    disregarded = ZERO
    for item in record.income:
        if item.kind in rules.disregarded_income:
            disregarded += item.weekly
        else:
            counted += item.weekly
    counted, disregarded = pence(counted), pence(disregarded)
    housing = pence(record.housing_costs)

    # capital
    if record.capital > rules.capital_upper_limit:
        steps.append(step(
            "charge.capital_above_upper",
            f"Your savings are {pounds(record.capital)}. That is more than {pounds(rules.capital_upper_limit)}. "
            f"So you pay the full cost of your care: {pounds(care_cost)} a week.",
            care_cost,
        ))
        steps.append(step("charge.total", f"You pay {pounds(care_cost)} a week. The council pays {pounds(ZERO)}.", care_cost))
        return ChargeResult(
            capital_band="above_upper_limit", tariff_income=None, assessable_income=counted,
            disregarded_income=disregarded, mig=None, housing_costs=housing, dre=ZERO, dre_source="none",
            left_after_allowances=None, weekly_charge=care_cost, person_pays=care_cost, council_pays=ZERO,
            capped_at_care_cost=False, full_cost=True, missing=(), steps=tuple(steps), **common,
        )

    tariff = tariff_income(record.capital, rules)
    if tariff == 0:
        band = "below_lower_limit"
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

    # minimum income guarantee
    base = rules.mig_for(record.household, record.age_group)
    mig: Decimal | None = None
    who = f"{AGE_WORDS[record.age_group]}, {HOUSEHOLD_WORDS[record.household]}"
    if base is None:
        when = "" if rules.mig is not None else f" in force on {rules.as_of}"
        missing.append(
            f"We do not have the minimum income figure{when} for people {who}. "
            "We will not guess it. A finance officer will use the right figure."
        )
    else:
        mig = base
        parts = [f"{pounds(base)} for people {who}"]
        for flag, name, words in (
            (record.disability_premium, "disability_premium", "disability premium"),
            (record.enhanced_disability_premium, "enhanced_disability_premium", "enhanced disability premium"),
        ):
            if not flag:
                continue
            figure = getattr(rules, name)
            if figure is None:
                missing.append(f"We do not have the {words} figure. We will not guess it.")
                mig = None
                break
            mig += figure
            parts.append(f"{pounds(figure)} {words}")
        if mig is not None:
            mig = pence(mig)
            steps.append(step(
                "charge.mig",
                f"You keep at least {pounds(mig)} a week to live on ({' + '.join(parts)}).",
                mig,
            ))

    if housing:
        steps.append(step("charge.housing", f"You also keep {pounds(housing)} a week for rent and council tax.", housing))

    # disability-related spending
    if record.dre is not None:
        dre = pence(sum((i.weekly for i in record.dre), ZERO))
        dre_source = "itemised"
        if record.dre:
            steps.append(step(
                "charge.dre_itemised",
                f"You keep {pounds(dre)} a week for extra costs of your disability "
                f"({', '.join(i.what for i in record.dre)}).",
                dre,
            ))
    elif any(i.kind in rules.disability_benefits and i.weekly > 0 for i in record.income):
        if rules.dre_default is None:
            dre, dre_source = ZERO, "none"
            missing.append("We do not have a standard figure for extra costs of disability. A finance officer will ask you about them.")
        else:
            dre, dre_source = pence(rules.dre_default), "default"
            steps.append(step(
                "charge.dre_default",
                f"You get a disability benefit, so you keep {pounds(dre)} a week for extra costs of your disability. "
                "If your costs are more, tell the finance officer.",
                dre,
            ))
    else:
        dre, dre_source = ZERO, "none"

    if mig is None:
        steps.append(step(
            "charge.unknown",
            "We cannot work out your part yet, because a figure is missing. A money check will work it out.",
        ))
        return ChargeResult(
            capital_band=band, tariff_income=tariff, assessable_income=counted, disregarded_income=disregarded,
            mig=None, housing_costs=housing, dre=dre, dre_source=dre_source, left_after_allowances=None,
            weekly_charge=None, person_pays=None, council_pays=None, capped_at_care_cost=False, full_cost=False,
            missing=tuple(missing), steps=tuple(steps), **common,
        )

    left = pence(counted + tariff - mig - housing - dre)
    charge = max(ZERO, left)
    capped = charge > care_cost
    if capped:
        charge = care_cost
    steps.append(step(
        "charge.left",
        f"{pounds(counted)} + {pounds(tariff)} - {pounds(mig)} - {pounds(housing)} - {pounds(dre)} = {pounds(left)} a week."
        + (" That is less than nothing, so you pay nothing." if left < 0 else ""),
        left,
    ))
    if capped:
        steps.append(step(
            "charge.capped",
            f"That is more than your care costs. You never pay more than the care costs: {pounds(care_cost)} a week.",
            care_cost,
        ))
    council = pence(care_cost - charge)
    steps.append(step("charge.total", f"You pay {pounds(charge)} a week. The council pays {pounds(council)} a week.", charge))
    return ChargeResult(
        capital_band=band, tariff_income=tariff, assessable_income=counted, disregarded_income=disregarded,
        mig=mig, housing_costs=housing, dre=dre, dre_source=dre_source, left_after_allowances=left,
        weekly_charge=charge, person_pays=charge, council_pays=council, capped_at_care_cost=capped,
        full_cost=False, missing=tuple(missing), steps=tuple(steps), **common,
    )

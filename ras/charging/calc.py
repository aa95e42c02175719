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
from ras.messages import say
from ras.methods.base import step
from ras.models import Step
from ras.money import ZERO, pence, pounds

AGE_WORDS = {age: say(f"charge.ages.{age}") for age in ("under-25", "25-pension", "pension")}
HOUSEHOLD_WORDS = {household: say(f"charge.households.{household}") for household in ("single", "couple")}

NOTE = say("charge.note")

FIGURE_WORDS = {name: say(f"charge.figures.{name}") for name in (
    "mig_single_under_25", "mig_single_25_to_pension", "mig_single_pension", "mig_lone_parent", "mig_couple_each",
    "mig_couple_pension_each", "mig_child", "disability_premium", "enhanced_disability_premium",
    "disability_premium_couple_each", "enhanced_disability_premium_couple_each", "carer_premium",
)}  # fmt: skip
"""What each part of the minimum income guarantee is for, in plain words (`ras/messages.en.yaml`)."""


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
        notes.append(say("charge.pension_instead"))
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
    year = rules.year or say("charge.this_year")
    if rules.out_of_date:
        notes.append(say("charge.out_of_date", year=year))
    if any(f.status != "confirmed" for f in figures):
        notes.append(say("charge.best_guess", year=year))
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
            say("charge.capital_above_upper", capital=pounds(record.capital), upper=pounds(rules.capital_upper_limit), cost=pounds(cost)),
            cost,
        ))
        steps.append(step("charge.total", say("charge.full_cost_total", cost=pounds(cost), nothing=pounds(ZERO)), cost))
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
            say("charge.capital_below_lower", capital=pounds(record.capital), lower=pounds(rules.capital_lower_limit), nothing=pounds(ZERO)),
            ZERO,
        ))
    else:
        band = "between_limits"
        steps.append(step(
            "charge.tariff_income",
            say(
                "charge.tariff_income",
                capital=pounds(record.capital),
                over=pounds(record.capital - rules.capital_lower_limit),
                lower=pounds(rules.capital_lower_limit),
                step=pounds(rules.tariff_step),
                per_step=pounds(rules.tariff_per_step),
                tariff=pounds(tariff),
            ),
            tariff,
        ))

    text = say("charge.income", counted=pounds(counted))
    if disregarded:
        text += say("charge.disregarded", disregarded=pounds(disregarded))
    steps.append(step("charge.income", text, counted))

    # minimum income guarantee (reg. 7)
    parts, mig_notes = mig_parts(record, rules)
    notes += mig_notes
    who = f"{AGE_WORDS[record.age_group]}, {HOUSEHOLD_WORDS[record.household]}"
    mig: Decimal | None = ZERO
    words: list[str] = []
    for name, value, count in parts:
        if value is None:
            what = say("charge.missing_mig") if name.startswith("mig_") else say("charge.missing_premium")
            missing.append(say("charge.missing_figure", what=what, date=rules.as_of, who=who, rule=MIG_FIGURES[name].split(":")[0]))
            mig = None
            continue
        figures.append(_figure_used(rules, name, value))
        if mig is not None:
            mig += value * count
        if count > 1:
            words.append(say("charge.figure_times", count=count, amount=pounds(value), what=FIGURE_WORDS[name]))
        else:
            words.append(say("charge.figure", amount=pounds(value), what=FIGURE_WORDS[name]))
    if mig is not None:
        mig = pence(mig)
        steps.append(step("charge.mig", say("charge.mig", mig=pounds(mig), parts=" + ".join(words)), mig))

    if housing:
        items = [(HOUSING_WORDS[h.kind], h.weekly) for h in record.housing if h.weekly]
        if record.housing_costs:
            items.insert(0, (say("charge.housing_costs"), record.housing_costs))
        listed = ", ".join(say("charge.housing_item", amount=pounds(v), what=w) for w, v in items)
        steps.append(step("charge.housing", say("charge.housing", housing=pounds(housing), items=listed), housing))

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
            notes.append(say("charge.dre_not_counted"))
    elif record.dre is not None:
        dre = pence(sum((i.weekly for i in record.dre), ZERO))
        dre_source = "itemised"
        if record.dre:
            steps.append(step(
                "charge.dre_itemised",
                say("charge.dre_itemised", dre=pounds(dre), items=", ".join(i.what for i in record.dre)),
                dre,
            ))
    elif rules.dre_default is None:
        missing.append(say("charge.dre_no_default"))
    else:
        dre, dre_source = pence(rules.dre_default), "default"
        figures += _general_figures(rules, ["dre_default"])
        steps.append(step(
            "charge.dre_default",
            say("charge.dre_default", dre=pounds(dre)),
            dre,
        ))

    if record.benefit in (None, "none") and not record.disability_premium and any(
        i.kind == "pip_daily_living" and i.weekly > 0 for i in record.income
    ) and record.schema_ != "ras-finance/1":
        notes.append(say("charge.which_benefit"))
    if record.children >= 5:
        notes.append(say("charge.children", children=record.children))
    notes += _figure_notes(rules, figures)

    if mig is None:
        steps.append(step("charge.unknown", say("charge.unknown")))
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
        say("charge.left", counted=pounds(counted), tariff=pounds(tariff), mig=pounds(mig), housing=pounds(housing), dre=pounds(dre), left=pounds(left))
        + (say("charge.less_than_nothing") if left < 0 else ""),
        left,
    ))
    if capped:
        steps.append(step(
            "charge.capped",
            say("charge.capped", cost=pounds(cost)),
            cost,
        ))
    council = pence(care_cost - charge)
    steps.append(step("charge.total", say("charge.total", charge=pounds(charge), council=pounds(council)), charge))
    return ChargeResult(
        capital_band=band, tariff_income=tariff, assessable_income=counted, disregarded_income=disregarded,
        mig=mig, housing_costs=housing, dre=dre, dre_source=dre_source, left_after_allowances=left,
        weekly_charge=charge, person_pays=charge, council_pays=council, capped_at_care_cost=capped,
        full_cost=False, missing=tuple(missing), steps=tuple(steps), figures=tuple(figures), notes=tuple(notes),
        **common,
    )

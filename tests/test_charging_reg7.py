"""Hand-worked charges under SI 2014/2672 as it stands on 2026-12-01 (the 2026-27 figures).

Every expected figure is worked out here from the regulation and the figures in
ras/policies/charging/england.yaml (written out below), never copied from the program:

2026-27 (from 6 April 2026), a week:
  reg. 7(2)(a) single 18-24            95.40 (reported)   7(2)(b) single 25+           120.40
  reg. 7(2)(c) single pension age     241.45 (reported)   7(3) lone parent             120.40
  reg. 7(4)(a) couple, each            94.60              7(4)(b) couple pension, each 184.30
  reg. 7(1)(b) each child             110.15
  reg. 7(5) disability premium         53.15; enhanced 25.95
  reg. 7(6) couple disability premium  37.95; enhanced 18.65
  reg. 7(7) carer premium              57.00
  disability-related spending default 10.85 (example council, Reading 2024-25)
  capital: lower limit 14,250, upper 23,250; £1 a week for every £250 or part between
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from ras.charging import ChargeResult, FinanceRecord, estimate_charge, load_charging_rules

D = Decimal
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def rules():
    return load_charging_rules().at(TODAY)


def charge(rules, **kw) -> ChargeResult:
    base = dict(capital="0", income=[], age_group="25-pension", care_cost="300")
    base.update(kw)
    return estimate_charge(FinanceRecord.model_validate(base), rules)


def inc(kind: str, weekly: str) -> dict:
    return {"kind": kind, "weekly": weekly}


def test_the_year_in_force_on_the_date_is_used_and_named(rules):
    assert rules.year == "2026-27" and not rules.out_of_date
    assert load_charging_rules().at(dt.date(2025, 6, 1)).year == "2025-26"
    assert load_charging_rules().at(dt.date(2024, 12, 1)).year == "2024-25"
    # 5 April is still the old year; 6 April the new one
    assert load_charging_rules().at(dt.date(2026, 4, 5)).year == "2025-26"
    assert charge(rules).year == "2026-27"


# ----- one per age group ---------------------------------------------------------------------


def test_under_25_single_with_standard_pip_gets_the_disability_premium(rules):
    result = charge(rules, age_group="under-25", benefit="pip_daily_living_standard",
                    income=[inc("esa", "120"), inc("pip_daily_living", "80")])
    # MIG: 95.40 + disability premium 53.15 (reg. 7(5)(a): any rate of PIP daily living) = 148.55
    assert result.mig == D("148.55")
    # PIP daily living counts, so the DRE default is allowed: 10.85
    # 120 + 80 - 148.55 - 0 - 10.85 = 40.60
    assert result.weekly_charge == D("40.60") and result.council_pays == D("259.40")


def test_25_and_over_with_enhanced_pip_gets_both_premiums_and_keeps_housing_costs(rules):
    result = charge(rules, benefit="pip_daily_living_enhanced",
                    income=[inc("esa", "150"), inc("pip_daily_living", "110")],
                    housing=[{"kind": "rent", "weekly": "20"}, {"kind": "service_charges", "weekly": "5"}],
                    dre=[{"what": "special diet", "weekly": "12"}])
    # MIG: 120.40 + 53.15 + 25.95 (reg. 7(5)(b), enhanced rate) = 199.50
    assert result.mig == D("199.50")
    # housing: rent 20 + service charges 5 = 25; itemised DRE 12
    # 150 + 110 - 199.50 - 25 - 12 = 23.50
    assert result.housing_costs == D("25.00") and result.dre == D("12.00")
    assert result.weekly_charge == D("23.50")


def test_pension_age_single_gets_the_pension_amount_and_no_premiums(rules):
    result = charge(rules, age_group="pension", capital="15750", benefit="attendance_allowance_higher",
                    income=[inc("state_pension", "230"), inc("attendance_allowance", "110")])
    # MIG: 241.45 only (reg. 7(2)(c); no premiums at pension age)
    assert result.mig == D("241.45")
    # tariff: 15,750 - 14,250 = 1,500 = 6 x 250: £6; AA counts, DRE default 10.85
    # 230 + 110 + 6 - 241.45 - 0 - 10.85 = 93.70
    assert result.tariff_income == D("6.00") and result.weekly_charge == D("93.70")
    assert any("higher amount to live on" in n for n in result.notes)


# ----- couples, children, carers ---------------------------------------------------------------


def test_a_working_age_couple_member_gets_the_couple_amounts(rules):
    result = charge(rules, household="couple", benefit="dla_care_middle",
                    income=[inc("esa", "180"), inc("dla_care", "75")])
    # MIG: couple, each 94.60 (reg. 7(4)(a)) + couple disability premium 37.95 (7(6)(a)) = 132.55
    assert result.mig == D("132.55")
    # 180 + 75 - 132.55 - 0 - 10.85 = 111.60
    assert result.weekly_charge == D("111.60")


def test_a_couple_with_a_partner_over_pension_age_gets_the_pension_tier(rules):
    result = charge(rules, household="couple", partner_pension_age=True, benefit="pip_daily_living_standard",
                    income=[inc("state_pension", "250"), inc("pip_daily_living", "80")])
    # reg. 7(4)(b): one or both over pension credit age: 184.30 each, no premiums
    assert result.mig == D("184.30")
    # 250 + 80 - 184.30 - 0 - 10.85 = 134.85
    assert result.weekly_charge == D("134.85")


def test_a_lone_parent_of_two_gets_the_lone_parent_rate_and_two_child_amounts(rules):
    result = charge(rules, age_group="under-25", children=2, income=[inc("universal_credit", "400")],
                    housing=[{"kind": "rent", "weekly": "30"}])
    # reg. 7(3): lone parent 120.40 (not the 18-24 95.40); reg. 7(1)(b): 2 x 110.15 = 220.30
    # MIG: 120.40 + 220.30 = 340.70
    assert result.mig == D("340.70")
    # 400 - 340.70 - 30 - 0 = 29.30
    assert result.weekly_charge == D("29.30")
    assert "2 x £110.15 for each child who lives with you" in next(s.text for s in result.steps if s.rule == "charge.mig")


def test_a_carer_on_carers_allowance_gets_the_carer_premium(rules):
    result = charge(rules, income=[inc("carers_allowance", "83.30"), inc("esa", "100")])
    # MIG: 120.40 + carer premium 57.00 (reg. 7(7)) = 177.40
    assert result.mig == D("177.40")
    # 83.30 + 100 - 177.40 = 5.90
    assert result.weekly_charge == D("5.90")


# ----- capital, the cap, disability-related spending ------------------------------------------


def test_over_the_capital_limit_the_charge_is_the_cost_to_the_council(rules):
    result = charge(rules, capital="23250.01", care_cost="300")
    assert result.full_cost and result.weekly_charge == D("300.00")
    # the council's cost is less than the budget: the charge is at most that (Care Act s.14(4))
    cheaper = charge(rules, capital="40000", care_cost="300", council_cost="280")
    assert cheaper.weekly_charge == D("280.00") and cheaper.cost_to_council == D("280.00")


def test_a_charge_never_exceeds_what_the_care_costs_the_council(rules):
    result = charge(rules, income=[inc("private_pension", "900")], care_cost="300", council_cost="250")
    # 900 - 120.40 = 779.60, more than 250: capped at 250
    assert result.left_after_allowances == D("779.60")
    assert result.capped_at_care_cost and result.weekly_charge == D("250.00")
    assert "costs the council" in next(s.text for s in result.steps if s.rule == "charge.capped")


def test_disability_spending_is_allowed_with_a_counted_disability_benefit_and_not_without(rules):
    spend = [{"what": "extra laundry", "weekly": "15"}]
    with_benefit = charge(rules, benefit="dla_care_lowest", income=[inc("esa", "200"), inc("dla_care", "30")], dre=spend)
    # 200 + 30 - (120.40 + 53.15) - 15 = 41.45
    assert with_benefit.dre == D("15.00") and with_benefit.weekly_charge == D("41.45")
    without = charge(rules, income=[inc("esa", "230")], dre=spend)
    # no disability benefit counted: Sch. 1 para 4 gives no DRE; 230 - 120.40 = 109.60
    assert without.dre == D("0.00") and without.weekly_charge == D("109.60")
    assert any("no disability benefit is counted" in n for n in without.notes)


# ----- words, estimates, old records -----------------------------------------------------------


def test_the_sum_names_every_term(rules):
    result = charge(rules, capital="15750", income=[inc("esa", "250")])
    left = next(s.text for s in result.steps if s.rule == "charge.left")
    # 250 + 6 - 120.40 - 0 - 0 = 135.60
    assert left == ("£250.00 income + £6.00 from savings - £120.40 to live on - £0.00 for your home - "
                    "£0.00 for extra disability costs = £135.60 a week.")


def test_estimates_say_so_and_every_figure_used_has_a_status_and_source(rules):
    result = charge(rules, income=[inc("esa", "250")])
    used = {f.name: f for f in result.figures}
    assert used["mig_single_25_to_pension"].status == "estimate" and "1.07" in used["mig_single_25_to_pension"].basis
    assert used["mig_single_25_to_pension"].sources and all("<https://" in s for s in used["mig_single_25_to_pension"].sources)
    assert any("best guess" in n for n in result.notes)


def test_after_the_next_april_every_estimate_says_the_figures_may_be_out_of_date():
    late = load_charging_rules().at(dt.date(2027, 4, 6))
    assert late.out_of_date and late.year == "2026-27"
    result = charge(late, income=[inc("esa", "250")])
    assert result.out_of_date and any("may be out of date" in n for n in result.notes)
    full = charge(late, capital="50000")
    assert any("may be out of date" in n for n in full.notes)
    assert not load_charging_rules().at(dt.date(2027, 4, 5)).out_of_date


def _nearest_5p(value: Decimal) -> Decimal:
    return (value * 20).quantize(D("1"), rounding=ROUND_HALF_UP) / 20


@pytest.mark.parametrize(
    "name",
    ["mig_single_25_to_pension", "mig_lone_parent", "mig_couple_each", "mig_child", "disability_premium",
     "enhanced_disability_premium", "disability_premium_couple_each", "enhanced_disability_premium_couple_each",
     "carer_premium", "mig_single_under_25"],
)
def test_the_2026_27_working_age_figures_are_the_2025_26_ones_up_7_percent(name):
    """The DHSC announcement: working-age amounts up 7% from April 2026 (to the nearest 5p)."""
    rules = load_charging_rules()
    before, after = rules.at(dt.date(2025, 6, 1)).figure(name), rules.at(TODAY).figure(name)
    assert after == _nearest_5p(before * D("1.07")), (name, before, after)


def test_the_pension_age_figures_rise_3_8_percent():
    rules = load_charging_rules()
    # 232.60 x 1.038 = 241.44, 241.45 (the reported figure); couples: 177.55 x 1.038 = 184.30
    assert rules.at(TODAY).mig_single_pension == D("241.45") == _nearest_5p(D("232.60") * D("1.038"))
    assert rules.at(TODAY).mig_couple_pension_each == D("184.30") == _nearest_5p(D("177.55") * D("1.038"))


def test_a_finance_1_record_with_its_premium_answers_is_still_read(rules):
    old = FinanceRecord.model_validate({"schema": "ras-finance/1", "capital": "0", "age_group": "25-pension",
                                        "disability_premium": True, "income": [inc("esa", "200")], "care_cost": "300"})
    # 120.40 + 53.15 = 173.55; 200 - 173.55 = 26.45
    assert estimate_charge(old, rules).mig == D("173.55") and estimate_charge(old, rules).weekly_charge == D("26.45")


def test_a_charge_1_result_is_still_read():
    data = charge(load_charging_rules().at(dt.date(2025, 6, 1))).dump()
    for key in ("year", "out_of_date", "cost_to_council", "notes", "figures"):
        data.pop(key)
    data["schema"] = "ras-charge/1"
    again = ChargeResult.model_validate(data)
    assert again.schema_ == "ras-charge/1" and again.year is None and again.figures == ()


def test_a_lone_parent_figure_that_is_missing_is_not_replaced_by_a_smaller_one(tmp_path):
    from pathlib import Path

    text = Path(load_charging_rules().path).read_text(encoding="utf-8")
    start, end = text.index("  mig_lone_parent:"), text.index("  mig_couple_each:")
    path = tmp_path / "no-lone-parent.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = charge(load_charging_rules(path).at(TODAY), age_group="under-25", children=1,
                    income=[inc("universal_credit", "300")])
    # not 95.40 + 110.15: the lone parent amount (reg. 7(3)) is the one that applies, and it is missing
    assert result.mig is None and result.weekly_charge is None
    assert "reg. 7(3)" in result.missing[0]

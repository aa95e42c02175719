"""Charging estimate rules (SI 2014/2672) and strict loading of the charging data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ras.charging import FinanceRecord, estimate_charge, load_charging_rules, tariff_income
from ras.policy.yamlio import DataFileError

D = Decimal
AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def rules():
    return load_charging_rules().at(AS_OF)


def record(**kw) -> FinanceRecord:
    base = dict(capital="0", income=[], age_group="25-pension", care_cost="300")
    base.update(kw)
    return FinanceRecord.model_validate(base)


# ----- capital and tariff income ---------------------------------------------------------


@pytest.mark.parametrize(
    "capital, tariff",
    [("15750", "6"), ("14250", "0"), ("14250.01", "1"), ("0", "0"), ("14500", "1"), ("14500.01", "2"), ("23250", "36")],
)
def test_tariff_is_one_pound_for_every_250_or_part_above_the_lower_limit(rules, capital, tariff):
    assert tariff_income(D(capital), rules) == D(tariff)
    assert estimate_charge(record(capital=capital), rules).tariff_income == D(tariff)


def test_above_the_upper_capital_limit_the_person_pays_the_full_cost(rules):
    result = estimate_charge(record(capital="23250.01", care_cost="412.30"), rules)
    assert result.full_cost is True
    assert result.capital_band == "above_upper_limit"
    assert result.weekly_charge == result.person_pays == D("412.30")
    assert result.council_pays == D("0.00")


def test_at_the_upper_limit_exactly_the_person_is_still_means_tested(rules):
    result = estimate_charge(record(capital="23250"), rules)
    assert result.full_cost is False
    assert result.tariff_income == D("36.00")


# ----- income and the charge ------------------------------------------------------------


def test_charge_is_income_plus_tariff_less_mig_housing_and_dre(rules):
    result = estimate_charge(
        record(capital="15750", income=[{"kind": "esa", "weekly": "250"}, {"kind": "attendance_allowance", "weekly": "73.90"}],
               housing_costs="20", dre=[{"what": "community alarm", "weekly": "5.25"}]),
        rules,
    )
    # 250 + 73.90 + 6 - 112.50 - 20 - 5.25 = 192.15 (Attendance Allowance counts, so its DRE is allowed)
    assert result.mig == D("112.50")
    assert result.weekly_charge == D("192.15")
    assert result.council_pays == D("107.85")
    assert result.dre_source == "itemised"


def test_spending_is_not_taken_off_without_a_counted_disability_benefit(rules):
    """Sch. 1 para 4: disability-related spending is allowed against a counted disability benefit.

    Changed for issue 16: the old expectation (118.25) took £5.25 off with only ESA counted."""
    result = estimate_charge(
        record(capital="15750", income=[{"kind": "esa", "weekly": "250"}], housing_costs="20",
               dre=[{"what": "community alarm", "weekly": "5.25"}]),
        rules,
    )
    # 250 + 6 - 112.50 - 20 - 0 = 123.50
    assert result.weekly_charge == D("123.50") and result.council_pays == D("176.50")
    assert result.dre == D("0.00") and result.dre_source == "none"
    assert any("no disability benefit is counted" in n for n in result.notes)


def test_charge_is_capped_at_the_care_cost(rules):
    result = estimate_charge(record(income=[{"kind": "private_pension", "weekly": "900"}], care_cost="150"), rules)
    assert result.capped_at_care_cost is True
    assert result.weekly_charge == D("150.00")
    assert result.council_pays == D("0.00")


def test_low_income_pays_nothing_never_a_negative_charge(rules):
    result = estimate_charge(record(income=[{"kind": "esa", "weekly": "90"}]), rules)
    assert result.left_after_allowances < 0
    assert result.weekly_charge == D("0.00")
    assert result.council_pays == D("300.00")


def test_a_negative_step_reads_minus_pounds_not_pounds_minus(rules):
    result = estimate_charge(record(income=[{"kind": "esa", "weekly": "26.69"}]), rules)
    left = next(s for s in result.steps if s.rule == "charge.left")
    assert left.amount == D("-85.81")
    assert left.text.endswith("= -£85.81 a week. That is less than nothing, so you pay nothing.")
    assert not any("£-" in s.text for s in result.steps)


def test_earnings_and_mobility_components_are_disregarded(rules):
    plain = estimate_charge(record(income=[{"kind": "esa", "weekly": "200"}]), rules)
    more = estimate_charge(
        record(income=[
            {"kind": "esa", "weekly": "200"},
            {"kind": "earnings", "weekly": "150"},
            {"kind": "pip_mobility", "weekly": "28.70"},
            {"kind": "dla_mobility", "weekly": "75.75"},
        ]),
        rules,
    )
    assert more.weekly_charge == plain.weekly_charge
    assert more.disregarded_income == D("254.45")
    assert more.assessable_income == D("200.00")


def test_disability_benefit_without_itemised_spending_gets_the_policy_default(rules):
    result = estimate_charge(record(income=[{"kind": "attendance_allowance", "weekly": "73.90"}]), rules)
    assert result.dre_source == "default"
    assert result.dre == D("10.85")


def test_itemised_spending_replaces_the_default(rules):
    result = estimate_charge(
        record(income=[{"kind": "pip_daily_living", "weekly": "73.90"}], dre=[]), rules
    )
    assert result.dre_source == "itemised" and result.dre == D("0.00")


def test_no_disability_benefit_means_no_default_spending(rules):
    result = estimate_charge(record(income=[{"kind": "esa", "weekly": "200"}]), rules)
    assert result.dre_source == "none" and result.dre == D("0.00")


def test_disability_premiums_add_to_the_mig(rules):
    result = estimate_charge(record(disability_premium=True, enhanced_disability_premium=True), rules)
    assert result.mig == D("112.50") + D("49.65") + D("24.25")
    young = estimate_charge(record(age_group="under-25"), rules)
    assert young.mig == D("89.15")


@pytest.mark.parametrize("kw", [{"age_group": "pension"}, {"household": "couple"}])
def test_missing_mig_figure_is_reported_not_invented(kw):
    # before 6 April 2024 the file has no minimum income figure at all
    early = load_charging_rules().at(dt.date(2024, 3, 1))
    result = estimate_charge(record(income=[{"kind": "state_pension", "weekly": "230.25"}], **kw), early)
    assert result.mig is None
    assert result.weekly_charge is None and result.person_pays is None and result.council_pays is None
    assert result.missing and "not guess" in result.missing[0]
    assert result.steps[-1].rule == "charge.unknown"


def test_mig_before_its_first_date_is_missing_not_carried_back():
    early = load_charging_rules().at(dt.date(2024, 4, 5))
    result = estimate_charge(record(), early)
    assert result.mig is None and "in force on 2024-04-05" in result.missing[0]


def test_full_cost_does_not_need_the_mig(rules):
    result = estimate_charge(record(capital="50000", age_group="pension"), rules)
    assert result.full_cost and result.missing == () and result.weekly_charge == D("300.00")


def test_steps_are_plain_words_with_numbers(rules):
    result = estimate_charge(record(capital="15750", income=[{"kind": "esa", "weekly": "250"}]), rules)
    assert [s.rule for s in result.steps][0] == "charge.tariff_income"
    assert all("£" in s.text for s in result.steps)
    assert "estimate" in result.note


def test_free_services_are_named(rules):
    result = estimate_charge(record(), rules)
    ids = {f.id: f for f in result.free_services}
    assert "6 weeks" in ids["reablement"].limit
    # guidance 2.60: aids free at any cost; only minor adaptations have the £1,000 limit
    assert "whatever it costs" in ids["equipment"].limit and "£1,000" not in ids["equipment"].limit
    assert "£1,000 or less" in ids["minor_adaptations"].limit


def test_finance_record_rejects_negative_money_and_unknown_fields():
    with pytest.raises(ValueError):
        record(capital="-1")
    with pytest.raises(ValueError):
        record(income=[{"kind": "esa", "weekly": "1.234"}])
    with pytest.raises(ValueError):
        record(savings="10")
    with pytest.raises(ValueError):
        record(income=[{"kind": "lottery", "weekly": "1"}])


# ----- properties ---------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=60000, places=2, allow_nan=False, allow_infinity=False)
weekly = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)
kinds = st.sampled_from(["esa", "earnings", "pip_mobility", "pip_daily_living", "private_pension", "other"])


@st.composite
def records(draw, capital=None):
    return FinanceRecord(
        capital=draw(money) if capital is None else capital,
        income=tuple({"kind": draw(kinds), "weekly": draw(weekly)} for _ in range(draw(st.integers(0, 4)))),
        age_group=draw(st.sampled_from(["under-25", "25-pension"])),
        disability_premium=draw(st.booleans()),
        housing_costs=draw(weekly),
        dre=draw(st.none() | st.lists(st.builds(dict, what=st.just("x"), weekly=weekly), max_size=2)),
        care_cost=draw(weekly),
    )


@settings(max_examples=300, deadline=None)
@given(records(), money)
def test_more_capital_never_lowers_the_charge(rec, extra):
    rules = load_charging_rules().at(AS_OF)
    richer = rec.model_copy(update={"capital": rec.capital + extra})
    assert estimate_charge(richer, rules).weekly_charge >= estimate_charge(rec, rules).weekly_charge


@settings(max_examples=300, deadline=None)
@given(records())
def test_charge_is_never_negative_nor_above_the_care_cost_and_parts_add_up(rec):
    result = estimate_charge(rec, load_charging_rules().at(AS_OF))
    assert D(0) <= result.weekly_charge <= rec.care_cost
    assert result.person_pays + result.council_pays == result.care_cost
    assert result.weekly_charge == result.weekly_charge.quantize(D("0.01"))


# ----- strict loading ---------------------------------------------------------------------

ENGLAND = Path(load_charging_rules().path)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = ENGLAND.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_rules_load_and_every_value_has_a_reference():
    rules = load_charging_rules()
    for name, param in rules._parameters():
        for dated in param.values.values():
            assert dated.references(), name
    assert rules.at(AS_OF).sources


def test_unknown_key_in_rules_is_an_error_naming_file_and_key(tmp_path):
    path = _broken(tmp_path, "  tariff_step:\n    label:", "  tariff_step:\n    lable: x\n    label:")
    with pytest.raises(DataFileError) as err:
        load_charging_rules(path)
    assert str(path) in str(err.value)
    assert "parameters.tariff_step.lable" in str(err.value)
    assert err.value.line is not None


def test_missing_reference_is_an_error_naming_file_and_key(tmp_path):
    path = _broken(tmp_path, "reference: reading-dre-2024", "reference: nowhere")
    with pytest.raises(DataFileError) as err:
        load_charging_rules(path)
    assert str(path) in str(err.value) and "dre_default" in str(err.value) and "nowhere" in str(err.value)


def test_value_without_reference_is_an_error(tmp_path):
    path = _broken(tmp_path, "{value: 6, reference: charging-regs}", "{value: 6}")
    with pytest.raises(DataFileError) as err:
        load_charging_rules(path)
    assert "reablement_free_weeks" in str(err.value) and "reference" in str(err.value)


def test_duplicate_key_is_an_error(tmp_path):
    path = _broken(tmp_path, "  tariff_step:\n", "  tariff_per_step:\n    label: x\n    unit: y\n    values: {2015-04-01: {value: 1, reference: charging-regs}}\n  tariff_step:\n")
    with pytest.raises(DataFileError) as err:
        load_charging_rules(path)
    assert "duplicate key" in str(err.value)


OLD_MIG = (
    "  mig:\n    label: the older table\n    unit: GBP/week\n    values:\n      2025-04-06:\n        value:\n"
    "          single: {under-25: 89.15, 25-pension: 112.50, pension: null}\n"
    "          couple: {under-25: null, 25-pension: null, pension: null}\n"
    "        reference: circular-2025\n"
)


def test_the_older_mig_table_is_still_read(tmp_path):
    text = ENGLAND.read_text(encoding="utf-8")
    start, end = text.index("  mig_single_under_25:"), text.index("  disregarded_income:")
    path = tmp_path / "old.yaml"
    path.write_text(text[:start] + OLD_MIG + text[end:], encoding="utf-8")
    at = load_charging_rules(path).at(AS_OF)
    assert estimate_charge(record(income=[{"kind": "esa", "weekly": "250"}]), at).mig == D("112.50")
    assert estimate_charge(record(age_group="pension"), at).mig is None


def test_mig_table_must_name_every_age_group(tmp_path):
    path = _broken(tmp_path, "  disregarded_income:\n", OLD_MIG.replace("pension: null}\n          couple", "pensioner: null}\n          couple") + "  disregarded_income:\n")
    with pytest.raises(DataFileError) as err:
        load_charging_rules(path)
    assert "mig" in str(err.value) and str(path) in str(err.value)


def test_unknown_income_kind_in_rules_is_an_error(tmp_path):
    path = _broken(tmp_path, "[earnings, pip_mobility", "[wages, pip_mobility")
    with pytest.raises(DataFileError) as err:
        load_charging_rules(path)
    assert "wages" in str(err.value) and "disregarded_income" in str(err.value)


def test_no_charging_figure_is_written_in_python():
    import ras.charging as pkg

    folder = Path(pkg.__file__).parent
    for source in folder.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for figure in ("23250", "23,250", "14250", "14,250", "112.50", "89.15", "49.65", "24.25", "10.85", "1000", "1,000"):
            assert figure not in text, f"{source.name} has {figure}"

"""Calibration finds known figures again, and the policy file it writes gives them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from ras.engine import calculate
from ras.finance import figures
from ras.finance.calibrate import calibrate
from ras.finance.history import record_dict
from ras.finance.policyfile import calibrated_policy_text
from ras.finance.synth import synth_history
from ras.finance.vectorised import weekly_pence
from ras.models import AssessmentRecord
from ras.policy import load_policy

N = 10_000  # made-up cases per recovery test: arrays only (no file), so cheap
NOISE = 0.05


def close(found: float, true: float, share: float = 0.02) -> bool:
    return abs(found - true) <= share * abs(true)


def truth_for(policy, method):
    """Known figures that differ from the example's, and differ between themselves."""
    if method == "points":
        # a different uplift per client group: the carer adjustment must be kept to find them
        prices = {"older_people": "1.2", "physical_disability": "1.1", "learning_disability": "1.3", "mental_health": "0.9"}
        return figures.replace(
            policy, "points", {g: p * Decimal(prices[g]) for g, p in policy.points.price_per_point.items()}
        )
    if method == "bands":
        rules = [
            figures.band_dict(r, base=r.base * Decimal("1.2"), step=r.step * Decimal("1.3"),
                              cap=None if r.cap is None else r.cap * Decimal("1.4"))
            for r in policy.bands.bands
        ]
        return figures.replace(policy, "bands", rules)
    if method == "grid":
        return figures.replace(policy, "grid", [Decimal(v) for v in ("0", "30", "75", "130", "210")])
    return figures.scale(policy, "costed", "1.2")


@pytest.mark.parametrize("seed", [11, 12])
def test_points_calibration_recovers_each_groups_price_within_2_percent_carer_adjustment_and_all(policy, seed):
    truth = truth_for(policy, "points")
    result = calibrate(synth_history(N, seed, truth, "points", NOISE), policy, "points")
    for group, price in truth.points.price_per_point.items():
        assert close(result.fit.fitted[group], float(price)), (group, result.fit.fitted[group], price)
    # the carer adjustment is part of the policy, untouched
    assert result.fitted_policy.points.support_reduction == policy.points.support_reduction


@pytest.mark.parametrize("seed", [21, 22])
def test_bands_calibration_recovers_each_bands_base_and_step_within_2_percent(policy, seed):
    truth = truth_for(policy, "bands")
    result = calibrate(synth_history(N, seed, truth, "bands", NOISE), policy, "bands")
    for rule in truth.bands.bands:
        if rule.to == 0:
            continue
        got = result.fit.fitted[rule.band]
        assert close(got["base"], float(rule.base)), (rule.band, got, rule)
        assert close(got["step"], float(rule.step)), (rule.band, got, rule)


@pytest.mark.parametrize("seed", [31, 32])
def test_grid_calibration_recovers_the_amount_for_each_risk_level_within_2_percent(policy, seed):
    truth = truth_for(policy, "grid")
    result = calibrate(synth_history(N, seed, truth, "grid", NOISE), policy, "grid")
    for level in range(1, 5):
        assert close(result.fit.fitted[str(level)], float(truth.grid.amount_by_risk[level])), result.fit.fitted
    assert abs(result.fit.fitted["0"]) <= 1.0  # the true amount is 0


@pytest.mark.parametrize("seed", [41, 42])
def test_costed_calibration_recovers_the_multiplier_on_the_hours_within_2_percent(policy, seed):
    result = calibrate(synth_history(N, seed, truth_for(policy, "costed"), "costed", NOISE), policy, "costed")
    assert close(result.fit.fitted, 1.2)
    # the rates (and the carer share of the hours) stay as they were
    assert result.fitted_policy.costed.service_rates == policy.costed.service_rates


@pytest.mark.parametrize("method", ["points", "bands", "grid", "costed"])
def test_calibrating_on_the_policys_own_amounts_changes_the_figures_by_under_1_percent(policy, method):
    result = calibrate(synth_history(N, 5, policy, method, noise=0.0), policy, method)
    assert result.report()["r2"] > 0.999
    before, after = result.before.sum(), result.after.sum()
    assert abs(after - before) <= 0.01 * before


@pytest.mark.parametrize("method", ["points", "bands", "grid", "costed"])
def test_the_written_policy_loads_and_the_engine_gives_the_fitted_amounts(policy, method, tmp_path):
    truth = truth_for(policy, method)
    history = synth_history(3000, 7, truth, method, NOISE)
    result = calibrate(history, policy, method)
    when = dt.date(2027, 4, 1)
    text = calibrated_policy_text(
        load_policy("example").path, method, result.fit.file_value, when,
        "Calibrated on 3,000 made-up cases from test.jsonl", "test.jsonl", "a test",
    )
    path = tmp_path / "calibrated.yaml"
    path.write_text(text, encoding="utf-8")
    written = load_policy(path)
    new = written.at(when)
    assert figures.file_value(new, method) == figures.file_value(result.fitted_policy, method)
    # the old figures are still there, in force before the new date
    old = written.at(when - dt.timedelta(days=1))
    assert figures.file_value(old, method) == figures.file_value(policy, method)
    # the new value names a reference to the history
    source = next(s for s in new.sources if s.path == ".".join(figures.PARAMETER[method]))
    assert source.effective_from == when
    assert source.references[0].address == "test.jsonl"
    # through the engine, case by case, the amounts are the fitted ones
    fast = weekly_pence(result.history, new, method)
    assert np.array_equal(fast, result.after)
    for i in range(0, len(result.history), 97):
        alloc = calculate(AssessmentRecord.model_validate(record_dict(result.history, i)), new, method)
        assert alloc.weekly == Decimal(int(result.after[i])) / 100


def test_a_new_date_must_come_after_the_values_in_force(policy):
    with pytest.raises(ValueError, match="must be after"):
        calibrated_policy_text(load_policy("example").path, "grid", list(policy.grid.amount_by_risk),
                               dt.date(2026, 4, 1), "title here", "h.jsonl", "")


def test_the_report_names_cases_fit_shortfalls_groups_and_yearly_spend(policy):
    history = synth_history(2000, 3, figures.scale(policy, "grid", "1.2"), "grid", NOISE)
    report = calibrate(history, policy, "grid").report()
    for key in ("cases", "r2", "mae", "share_below_actual", "mean_shortfall", "median_shortfall",
                "fitted", "previous", "by_client_group", "yearly", "before", "excluded"):
        assert key in report, key
    assert report["cases"] + report["excluded"]["not_eligible"] == 2000
    assert report["synthetic_cases"] == 2000
    # the example's figures are 20% below the truth: nearly every case falls short before
    assert report["before"]["share_below_actual"] > 0.8
    assert 0.3 < report["share_below_actual"] < 0.7
    assert report["yearly"]["after"] > report["yearly"]["before"]

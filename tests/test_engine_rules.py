"""Engine rules, named as rules, and hypothesis properties over any valid record."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ras.eligibility import adult_eligibility, carer_eligibility
from ras.engine import calculate
from ras.models import AREA_IDS, CARER_OUTCOME_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS, AssessmentRecord, CarerRecord

BASE = {
    "schema": "ras-assessment/1",
    "client_group": "older_people",
    "impairment": True,
    "wellbeing_impact": True,
    "unable_outcomes": ["nutrition", "hygiene"],
}


def record(**changes) -> AssessmentRecord:
    data = {**BASE, **changes}
    return AssessmentRecord.model_validate(data)


# ----- eligibility (reg. 2) ---------------------------------------------------------------


def test_adult_is_eligible_when_all_three_conditions_hold(policy):
    result = adult_eligibility(record(), policy)
    assert result.eligible
    assert all(result.conditions.values())
    assert "washing and keeping clean" in result.reason


@pytest.mark.parametrize(
    "change, condition, words",
    [
        ({"impairment": False}, "impairment_or_illness", "illness, a disability or your health"),
        ({"unable_outcomes": ["nutrition"]}, "unable_to_achieve_outcomes", "at least 2"),
        ({"unable_outcomes": []}, "unable_to_achieve_outcomes", "did not hear of any"),
        ({"wellbeing_impact": False}, "significant_impact_on_wellbeing", "big effect"),
    ],
)
def test_ineligible_result_names_the_condition_not_met_in_plain_words(policy, change, condition, words):
    result = adult_eligibility(record(**change), policy)
    assert not result.eligible
    assert result.conditions[condition] is False
    assert words in result.reason
    assert "eligib" not in result.reason.lower()


@pytest.mark.parametrize("method", METHODS)
def test_ineligible_gives_zero_under_every_method_and_says_why(policy, method):
    got = calculate(record(impairment=False, areas={"health": {"need": 4, "risk": 4}}), policy, method)
    assert not got.eligible
    assert got.weekly == got.annual == got.reference_cost == got.shortfall == Decimal("0.00")
    assert got.band is None
    assert all(e.amount == 0 for e in got.elements)
    assert "illness" in got.explanation[0].text


def test_carer_can_be_eligible_through_health_at_risk_alone():
    carer = CarerRecord.model_validate(
        {"schema": "ras-carer/1", "needs_from_caring": True, "health_at_risk": True, "wellbeing_impact": True}
    )
    result = carer_eligibility(carer)
    assert result.eligible
    assert "health" in result.reason


def test_carer_needs_one_outcome_not_two():
    carer = CarerRecord.model_validate(
        {"schema": "ras-carer/1", "needs_from_caring": True, "unable_outcomes": ["recreation"], "wellbeing_impact": True}
    )
    assert carer_eligibility(carer).eligible


def test_carer_is_not_eligible_when_needs_do_not_come_from_caring():
    carer = CarerRecord.model_validate(
        {"schema": "ras-carer/1", "needs_from_caring": False, "health_at_risk": True, "wellbeing_impact": True}
    )
    result = carer_eligibility(carer)
    assert not result.eligible
    assert "caring for someone" in result.reason


def test_carer_has_no_takes_longer_limb():
    with pytest.raises(ValidationError):
        CarerRecord.model_validate(
            {
                "schema": "ras-carer/1",
                "needs_from_caring": True,
                "wellbeing_impact": True,
                "unable_outcomes": ["recreation"],
                "unable_reasons": {"recreation": ["takes_longer"]},
            }
        )


# ----- methods --------------------------------------------------------------------------


def test_carer_support_reduces_money_but_keeps_needs_in_points(policy):
    alone = calculate(record(areas={"health": {"need": 3, "risk": 3}}), policy, "points")
    helped = calculate(record(areas={"health": {"need": 3, "risk": 3, "unpaid_support": "most"}}), policy, "points")
    assert helped.weekly < alone.weekly
    assert helped.needs["health"].need == alone.needs["health"].need == 3
    assert helped.weekly == (alone.weekly * Decimal("0.70")).quantize(Decimal("0.01"))
    assert any("still written down in full" in s.text for s in helped.explanation)


def test_unpaid_support_does_not_change_the_coventry_band(policy):
    alone = calculate(record(areas={"health": {"need": 3, "risk": 3}}), policy, "bands")
    helped = calculate(record(areas={"health": {"need": 3, "risk": 3, "unpaid_support": "most"}}), policy, "bands")
    assert alone.band == helped.band
    assert alone.weekly == helped.weekly


def test_a_need_family_fully_meets_is_not_an_unmet_need_in_the_grid(policy):
    got = calculate(record(areas={"health": {"need": 3, "risk": 4, "unpaid_support": "most"}}), policy, "grid")
    assert got.elements[0].amount == 0


def test_grid_area_counts_only_with_some_need(policy):
    got = calculate(record(areas={"health": {"need": 0, "risk": 4}}), policy, "grid")
    assert got.weekly == 0


def test_bands_elements_add_up_exactly_with_the_last_area_taking_the_rounding(policy):
    # score 3 -> basic 40.00; thirds do not divide evenly
    got = calculate(
        record(areas={"health": {"need": 1}, "choice": {"need": 1}, "community": {"need": 1}}), policy, "bands"
    )
    assert [str(e.amount) for e in got.elements] == ["13.33", "13.33", "0.00", "13.34"]
    assert got.weekly == Decimal("40.00")


@pytest.mark.parametrize("score, band, weekly", [(1, "basic", "20.00"), (8, "basic", "90.00"), (9, "standard", "115.00"), (18, "standard", "295.00"), (19, "enhanced", "350.00")])
def test_band_edges_follow_coventry_ranges(policy, score, band, weekly):
    areas, left = {}, score
    for area in AREA_IDS:
        need = min(4, left)
        left -= need
        risk = min(4, left)
        left -= risk
        areas[area] = {"need": need, "risk": risk}
    got = calculate(record(areas=areas), policy, "bands")
    assert (got.band, str(got.weekly)) == (band, weekly)


def test_shortfall_shows_when_the_allocation_is_below_the_reference_cost(policy):
    got = calculate(record(areas={"health": {"need": 4, "risk": 1}}), policy, "grid")
    assert got.reference_cost > got.weekly
    assert got.shortfall == got.reference_cost - got.weekly
    assert any(s.rule == "sufficiency.shortfall" for s in got.explanation)


def test_explanation_walks_from_answers_to_total(policy):
    got = calculate(record(areas={"health": {"need": 2, "risk": 2}}), policy, "points")
    rules = [s.rule for s in got.explanation]
    assert rules[0] == "eligibility.adult"
    assert rules.index("points.area_points") < rules.index("total.weekly") < rules.index("total.annual")
    assert rules[-1] == "total.starting_point"
    text = " ".join(s.text for s in got.explanation)
    for figure in (got.weekly, got.annual, got.range.low, got.range.high):
        assert f"£{figure:,.2f}" in text


# ----- record validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field",
    [
        ({"schema": "ras-assessment/9"}, "schema"),  # /1 and /2 are the versions there are
        ({"client_group": "children"}, "client_group"),
        ({"unable_outcomes": ["flying"]}, "unable_outcomes"),
        ({"areas": {"garden": {"need": 1}}}, "areas.garden"),
        ({"areas": {"health": {"need": 5}}}, "areas.health.need"),
        ({"areas": {"health": {"risk": -1}}}, "areas.health.risk"),
        ({"areas": {"health": {"need": "2"}}}, "areas.health.need"),
        ({"areas": {"health": {"unpaid_support": "lots"}}}, "areas.health.unpaid_support"),
        ({"impairment": "yes"}, "impairment"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_records_are_rejected_naming_the_field(change, field):
    from ras.cli import validation_message

    with pytest.raises(ValidationError) as info:
        record(**change)
    assert validation_message(info.value).startswith(field)


# ----- properties -----------------------------------------------------------------------

levels = st.integers(0, 4)
area = st.fixed_dictionaries({"need": levels, "risk": levels, "unpaid_support": st.sampled_from(["none", "some", "most"])})
records = st.fixed_dictionaries(
    {
        "schema": st.just("ras-assessment/1"),
        "client_group": st.sampled_from(CLIENT_GROUPS),
        "impairment": st.booleans(),
        "wellbeing_impact": st.booleans(),
        "unable_outcomes": st.lists(st.sampled_from(OUTCOME_IDS), unique=True, max_size=10),
        "fluctuating": st.booleans(),
        "areas": st.fixed_dictionaries({a: area for a in AREA_IDS}),
    }
)
fast = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fast
@given(data=records, method=st.sampled_from(METHODS))
def test_same_answers_always_give_the_same_result(policy, data, method):
    one = calculate(AssessmentRecord.model_validate(data), policy, method)
    two = calculate(AssessmentRecord.model_validate(dict(data)), policy, method)
    assert one.model_dump_json() == two.model_dump_json()


@fast
@given(data=records, method=st.sampled_from(METHODS))
def test_elements_add_up_to_weekly_and_totals_follow(policy, data, method):
    got = calculate(AssessmentRecord.model_validate(data), policy, method)
    assert sum((e.amount for e in got.elements), Decimal(0)) == got.weekly
    assert got.range.low <= got.weekly <= got.range.high
    assert got.shortfall >= 0
    assert got.shortfall == max(Decimal(0), got.reference_cost - got.weekly)
    assert [e.area for e in got.elements] == list(AREA_IDS)


@fast
@given(data=records, method=st.sampled_from(["points", "bands", "grid"]), which=st.sampled_from(AREA_IDS), field=st.sampled_from(["need", "risk"]))
def test_more_need_or_risk_in_one_area_never_gives_less_money(policy, data, method, which, field):
    before = calculate(AssessmentRecord.model_validate(data), policy, method)
    if data["areas"][which][field] == 4:
        return
    raised = {**data, "areas": {**data["areas"], which: {**data["areas"][which], field: data["areas"][which][field] + 1}}}
    after = calculate(AssessmentRecord.model_validate(raised), policy, method)
    assert after.weekly >= before.weekly


@fast
@given(data=records, method=st.sampled_from(METHODS))
def test_needs_are_never_changed_by_unpaid_support(policy, data, method):
    got = calculate(AssessmentRecord.model_validate(data), policy, method)
    for a in AREA_IDS:
        assert got.needs[a].need == data["areas"][a]["need"]
        assert got.needs[a].risk == data["areas"][a]["risk"]


@fast
@given(data=records, method=st.sampled_from(METHODS))
def test_ineligible_always_gives_zero(policy, data, method):
    got = calculate(AssessmentRecord.model_validate(data), policy, method)
    eligible = data["impairment"] and data["wellbeing_impact"] and len(data["unable_outcomes"]) >= 2
    assert got.eligible == eligible
    if not eligible:
        assert got.weekly == got.annual == got.shortfall == 0


@fast
@given(
    data=st.fixed_dictionaries(
        {
            "schema": st.just("ras-carer/1"),
            "needs_from_caring": st.booleans(),
            "health_at_risk": st.booleans(),
            "unable_outcomes": st.lists(st.sampled_from(CARER_OUTCOME_IDS), unique=True, max_size=8),
            "wellbeing_impact": st.booleans(),
        }
    )
)
def test_carer_eligibility_follows_reg_3(data):
    got = carer_eligibility(CarerRecord.model_validate(data))
    want = data["needs_from_caring"] and (data["health_at_risk"] or bool(data["unable_outcomes"])) and data["wellbeing_impact"]
    assert got.eligible == want


JARGON = re.compile(r"\b(eligib\w*|outcomes?|domains?|indicative|RAS|assessments?|allocation)\b", re.IGNORECASE)


@fast
@given(data=records, method=st.sampled_from(METHODS))
def test_what_a_person_reads_is_short_sentences_without_jargon(policy, data, method):
    got = calculate(AssessmentRecord.model_validate(data), policy, method)
    texts = [s.text for s in got.explanation] + [e.why for e in got.elements]
    for text in texts:
        assert not JARGON.search(text), text
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z£\"])", text):
            assert len(sentence.split()) <= 25, sentence

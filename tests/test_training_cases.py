"""Practice cases (issue 9): every case's saved script replays through the real session
to its reference record and amounts; the files load strictly."""

from __future__ import annotations

import pytest

from ras.eligibility import carer_eligibility
from ras.engine import compare
from ras.models import METHODS
from ras.policy import DataFileError, load_policy
from ras_chat.training import load_case, load_cases, replay
from ras_chat.training.cases import case_ids, cases_folder, core, load_case_file

CASES = load_cases()
CLIENT_GROUPS = ("older_people", "physical_disability", "learning_disability", "mental_health")


def test_the_library_has_at_least_eleven_made_up_people_covering_every_client_group():
    assert len(CASES) >= 11
    assert {c.client_group for c in CASES} >= set(CLIENT_GROUPS)
    for needed in ("learning-at-college", "daughter-does-most", "comes-and-goes", "not-likely-support",
                   "crisis-outside-tables", "unsure-answers", "safety-disclosure", "carer-at-breaking-point"):
        assert needed in case_ids()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_script_replays_to_its_reference_record_and_amounts(case):
    session = replay(case)
    assert session.finished and session.state.status == "handed_off"
    pa = load_policy(case.policy).at(case.as_of)
    results = compare(case.record, pa)
    # the written figures are the engine's figures for the reference record
    assert results[METHODS[0]].eligible is case.expected.eligible
    for method in METHODS:
        want, got = case.expected.methods[method], results[method]
        assert (got.weekly, got.annual, got.band, got.shortfall) == (want.weekly, want.annual, want.band, want.shortfall), method
        assert got.reference_cost == case.expected.reference_cost
    if case.ends == "safety":
        codes = [f.code for f in session.state.flags]
        assert "safety" in codes
        assert any(f.level == "urgent" for f in session.state.flags if f.code == "safety")
        assert session.state.state == "safety"
        assert session.current_question is None  # the questions stopped
        assert session.state.transcript[-1].role == "assistant"
        assert session.result() is None  # no amount after a disclosure: safety comes first
        return
    record = session.record()
    assert core(record) == case.core_record()
    alloc = session.result()
    default = pa.method_or_default(None)
    assert (alloc.weekly, alloc.band, alloc.shortfall) == (
        case.expected.methods[default].weekly, case.expected.methods[default].band, case.expected.methods[default].shortfall,
    )
    if case.carer_record is not None:
        carer = session.carer_record()
        assert carer is not None and carer == case.carer_record
        assert carer_eligibility(carer).eligible is case.expected.carer.eligible


def test_learning_at_college_gives_195_a_week_in_the_standard_band_under_bands():
    case = load_case("learning-at-college")
    alloc = replay(case).result()
    assert alloc.method == "bands"
    assert str(alloc.weekly) == "195.00" and alloc.band == "standard"
    assert str(case.expected.methods["bands"].weekly) == "195.00"


def test_unsure_answers_says_i_dont_know_several_times_and_each_is_flagged():
    case = load_case("unsure-answers")
    session = replay(case)
    assert sum(f.code == "dont_know" for f in session.state.flags) >= 5
    assert len(session.worker_view()["not_known"]) >= 5


def test_the_carer_case_records_a_ras_carer_record_and_the_carer_is_eligible():
    case = load_case("carer-at-breaking-point")
    carer = replay(case).carer_record()
    assert carer.dump()["schema"] == "ras-carer/1"
    assert carer.coping == "at_breaking_point"
    assert case.expected.carer.eligible is True


def test_the_not_likely_case_is_ineligible_under_every_method():
    case = load_case("not-likely-support")
    assert case.expected.eligible is False
    assert all(str(m.weekly) == "0.00" for m in case.expected.methods.values())


def test_a_case_file_with_an_unknown_key_is_refused_naming_the_line(tmp_path):
    text = (cases_folder() / "learning-at-college.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "learning-at-college.yaml"
    bad.write_text(text.replace("summary:", "sumary: x\nsummary:", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_case_file(bad)
    assert "sumary" in str(err.value) and "line" in str(err.value)


def test_a_case_file_with_a_duplicate_key_is_refused(tmp_path):
    text = (cases_folder() / "learning-at-college.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "learning-at-college.yaml"
    bad.write_text(text + "name: Someone Else\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="duplicate"):
        load_case_file(bad)


def test_an_unknown_case_id_is_a_lookup_error_naming_the_known_cases():
    with pytest.raises(LookupError, match="learning-at-college"):
        load_case("no-such-person")

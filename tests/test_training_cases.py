"""Practice cases (issue 9): every case's saved script replays through the real session
to its reference record and amounts; the files load strictly."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

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


# ----- the hand-worked figures: each case file writes its arithmetic, checked here ------
# A line of `working` such as "health: (5 x 3 + 2) x 5.60 x (1 - 0.15) = 80.92" is worked out
# here with Decimal (x times, + and -, brackets; rounded half up to the places written on
# the right; words in brackets may follow). Lines without "=" are notes. Nothing here asks the engine.

TOKEN = re.compile(r"\s*(\d+(?:\.\d+)?|[x+()-])")


def evaluate(expression: str) -> Decimal:
    tokens = TOKEN.findall(expression)
    assert "".join(tokens) == re.sub(r"\s+", "", expression), f"not plain arithmetic: {expression!r}"
    pos = 0

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def factor() -> Decimal:
        tok = take()
        if tok == "(":
            value = expr()
            assert take() == ")", expression
            return value
        return Decimal(tok)

    def term() -> Decimal:
        value = factor()
        while pos < len(tokens) and tokens[pos] == "x":
            take()
            value *= factor()
        return value

    def expr() -> Decimal:
        value = term()
        while pos < len(tokens) and tokens[pos] in "+-":
            value = value + term() if take() == "+" else value - term()
        return value

    value = expr()
    assert pos == len(tokens), expression
    return value


def checked(lines: tuple[str, ...]) -> dict[str, tuple[list[Decimal], Decimal]]:
    """Each line with "=": label -> (the numbers added on the left, the result on the right),
    after checking the arithmetic holds."""
    out = {}
    for line in lines:
        if "=" not in line:
            continue
        label, _, sums = line.partition(": ")
        left, _, right = sums.rpartition(" = ")
        want = Decimal(right.split(" ", 1)[0])  # a note may follow the result: "0.00 (no help needed)"
        got = evaluate(left).quantize(want, rounding=ROUND_HALF_UP)
        assert got == want, f"{line!r}: works out at {got}"
        added = re.fullmatch(r"\d+\.\d\d( \+ \d+\.\d\d)+", left)
        out[label] = ([Decimal(t) for t in left.split(" + ")] if added else [], want)
    return out


def test_the_arithmetic_checker_catches_a_wrong_sum():
    assert evaluate("(5 x 3 + 2) x 5.60 x (1 - 0.15)") == Decimal("80.9200")
    assert checked(("weekly: 1.10 + 2.20 = 3.30",)) == {"weekly": ([Decimal("1.10"), Decimal("2.20")], Decimal("3.30"))}
    with pytest.raises(AssertionError, match="works out at 3.30"):
        checked(("weekly: 1.10 + 2.20 = 3.31",))
    with pytest.raises(AssertionError, match="not plain arithmetic"):
        evaluate("__import__('os')")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_cases_figures_follow_from_the_arithmetic_written_in_its_file(case):
    exp, record = case.expected, case.record
    # eligibility (reg. 2): an impairment, two or more everyday things not managed, an effect on wellbeing
    assert exp.working, "write how eligibility was decided"
    assert exp.eligible is (record.impairment and len(record.unable_outcomes) >= 2 and record.wellbeing_impact)
    if not exp.eligible:
        assert exp.reference_cost == 0
        for m in exp.methods.values():
            assert (m.weekly, m.annual, m.band, m.shortfall) == (0, 0, None, 0) and m.working
        return
    costed = checked(exp.methods["costed"].working)
    assert costed["weekly"][1] == exp.reference_cost == exp.methods["costed"].weekly
    for method, figures in exp.methods.items():
        found = checked(figures.working)
        if method == "bands":
            score = found["score"][1]
            (label,) = [k for k in found if k.startswith("band ")]
            assert label == f"band {figures.band}" and found[label][1] == figures.weekly
            assert figures.band == ("basic" if score <= 8 else "standard" if score <= 18 else "enhanced")
        else:
            areas = [found[a][1] for a in ("health", "choice", "work", "community")]
            assert found["weekly"] == (areas, figures.weekly), f"{method}: weekly is not the sum of the four areas"
            assert figures.band is None
        assert found["annual"][1] == figures.annual and f"annual: {figures.weekly} x 52 = {figures.annual}" in figures.working
        if figures.weekly < exp.reference_cost:
            assert f"shortfall: {exp.reference_cost} - {figures.weekly} = {figures.shortfall}" in figures.working
        else:
            assert figures.shortfall == 0


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_script_replays_to_its_reference_record_and_amounts(case):
    session = replay(case)
    assert session.finished and session.state.status == "handed_off"
    pa = load_policy(case.policy).at(case.as_of)
    results = compare(case.record, pa)
    # the engine gives the figures worked out by hand in the case file (checked above)
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

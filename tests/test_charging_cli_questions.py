"""`ras contribution`, the finance schema, and the money questions as data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ras.charging import FinanceRecord, finance_schema
from ras.charging.questions import (
    AnswersIncomplete,
    BadAnswer,
    finance_record_from_answers,
    load_questions,
    parse_money,
)
from ras.cli import main
from ras.policy.yamlio import DataFileError

D = Decimal


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_contribution_json_has_the_key_figures(capsys):
    code, out, _ = run(capsys, "contribution", "--capital", "15750", "--income", "250", "--age-group", "25-pension",
                       "--care-cost", "300", "--housing", "0", "--dre", "0", "--as-of", "2025-06-01", "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("tariff_income", "mig", "weekly_charge", "steps", "person_pays", "council_pays", "missing"):
        assert key in data
    assert data["tariff_income"] == "6.00" and data["mig"] == "112.50" and data["weekly_charge"] == "143.50"


def test_contribution_prints_plain_steps(capsys):
    code, out, _ = run(capsys, "contribution", "--capital", "15750", "--income", "250", "--age-group", "25-pension",
                       "--care-cost", "300", "--as-of", "2025-06-01")
    assert code == 0 and "1. Your savings are £15,750.00" in out and "estimate" in out


def test_contribution_reads_a_finance_file(tmp_path, capsys):
    path = tmp_path / "finance.json"
    path.write_text(json.dumps({"schema": "ras-finance/1", "capital": 30000, "age_group": "pension", "care_cost": 210.5}))
    code, out, _ = run(capsys, "contribution", str(path), "--json", "--as-of", "2025-06-01")
    data = json.loads(out)
    assert code == 0 and data["full_cost"] is True and data["weekly_charge"] == "210.50"


def test_missing_mig_is_reported_by_the_command(capsys):
    code, out, _ = run(capsys, "contribution", "--capital", "0", "--income", "state_pension=230.25",
                       "--age-group", "pension", "--care-cost", "100", "--as-of", "2024-01-01")
    assert code == 0 and "Missing:" in out and "Weekly charge" not in out


@pytest.mark.parametrize(
    "age_group, household, words",
    [
        ("pension", "single", "people over pension age, on your own"),
        ("pension", "couple", "people over pension age, part of a couple"),
        ("25-pension", "couple", "people 25 or over, under pension age, part of a couple"),
        ("under-25", "couple", "people under 25, part of a couple"),
    ],
)
def test_contribution_names_the_minimum_income_figure_it_does_not_have(capsys, age_group, household, words):
    # england.yaml has no minimum income figure before 6 April 2024: none is carried back or invented
    argv = ["contribution", "--capital", "1000", "--income", "state_pension=230.25", "--age-group", age_group,
            "--household", household, "--care-cost", "100", "--as-of", "2024-01-01"]
    code, out, _ = run(capsys, *argv)
    missing = next(line for line in out.splitlines() if line.startswith("Missing:"))
    assert code == 0 and f"minimum income figure in force on 2024-01-01 for {words} (reg. 7" in missing
    assert "will not guess" in missing
    assert "Weekly charge" not in out and "You pay" not in out
    code, out, _ = run(capsys, *argv, "--json")
    data = json.loads(out)
    assert data["mig"] is None and data["weekly_charge"] is None and data["person_pays"] is None
    assert len(data["missing"]) == 1 and words in data["missing"][0]
    assert data["steps"][-1]["rule"] == "charge.unknown"


@pytest.mark.parametrize(
    "argv",
    [
        ["--capital", "lots", "--age-group", "25-pension", "--care-cost", "1"],
        ["--capital", "-5", "--age-group", "25-pension", "--care-cost", "1"],
        ["--income", "lottery=5", "--capital", "1", "--age-group", "25-pension", "--care-cost", "1"],
        ["--capital", "1", "--care-cost", "1"],
        ["/no/such/file.json"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv):
    code, out, err = run(capsys, "contribution", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("ras: ")


def test_bad_json_file_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "f.json"
    path.write_text('{"capital": 1, "savings": 2, "age_group": "pension", "care_cost": 1}')
    code, _, err = run(capsys, "contribution", str(path))
    assert code == 2 and "savings" in err and len(err.strip().splitlines()) == 1


def test_finance_schema_is_json_schema_with_an_id():
    schema = finance_schema()
    assert schema["$id"] == "ras-finance/2"
    assert schema["properties"]["schema"]["enum"] == ["ras-finance/1", "ras-finance/2"]
    assert {"capital", "age_group", "care_cost"} <= set(schema["required"])
    json.dumps(schema)


# ----- questions -------------------------------------------------------------------------


def test_shipped_questions_load_and_cover_the_required_fields():
    qs = load_questions()
    sets = {q.sets for q in qs.questions}
    assert {"capital", "age_group", "household", "partner_pension_age", "children", "disability_benefit",
            "income", "housing", "dre"} <= sets
    # the premiums are worked out from the benefit answers, never asked (reg. 7(5))
    assert not sets & {"disability_premium", "enhanced_disability_premium"}
    assert "skip" in qs.intro and "finance officer" in qs.intro
    assert all(q.kind in ("money", "choice") and q.help for q in qs.questions)


def test_answers_make_a_finance_record():
    record = finance_record_from_answers(
        {"savings": "£15,750", "age": "25-pension", "household": "single", "wages": "100",
         "pensions": "120.50", "mobility": "28.70", "housing": "", "daily_living_benefit": "dla_care_middle",
         "children": "2", "partner_age": "no", "home_costs": "12.40"},
        care_cost="300",
    )
    assert isinstance(record, FinanceRecord) and record.schema_ == "ras-finance/2"
    assert record.capital == D("15750.00") and record.benefit == "dla_care_middle" and record.children == 2
    assert record.disability_premium is False and record.partner_pension_age is False
    assert [(h.kind, h.weekly) for h in record.housing] == [("mortgage_interest_and_charges", D("12.40"))]
    assert {i.kind for i in record.income} == {"earnings", "state_pension", "pip_mobility"}
    assert record.dre is None  # skipped: the rules' default applies


def test_skipped_required_answers_are_named():
    with pytest.raises(AnswersIncomplete) as err:
        finance_record_from_answers({"age": "pension"})
    assert err.value.missing == ("savings", "care_cost")


@pytest.mark.parametrize("answers", [{"savings": "a lot"}, {"age": "old"}, {"savnigs": "1"}, {"pensions": "-3"}])
def test_a_bad_answer_names_its_question(answers):
    base = {"savings": "100", "age": "pension"}
    base.update(answers)
    with pytest.raises(BadAnswer) as err:
        finance_record_from_answers(base, care_cost="10")
    assert err.value.question == next(iter(answers))


@pytest.mark.parametrize("text, value", [("£1,250.50", "1250.50"), ("12", "12.00"), (7, "7.00"), (" 3.5 ", "3.50")])
def test_money_answers_are_read_as_pounds_and_pence(text, value):
    assert parse_money(text) == D(value)


def test_questions_file_is_strict(tmp_path):
    from ras.charging.questions import default_questions_path

    text = default_questions_path().read_text(encoding="utf-8")
    path = tmp_path / "questions.yaml"
    path.write_text(text.replace("    sets: capital\n", "    sets: capital\n    colour: red\n", 1))
    with pytest.raises(DataFileError) as err:
        load_questions(path)
    assert str(path) in str(err.value) and "colour" in str(err.value)


def test_the_money_questions_and_notes_use_plain_words():
    """No "premium", "MIG", "DRE" or "tariff" to the person; short sentences."""
    import datetime as dt
    import re as _re

    from ras.charging import estimate_charge, load_charging_rules

    qs = load_questions()
    words = [qs.intro] + [t for q in qs.questions for t in (q.question, q.help, *(o.label for o in q.options))]
    rules = load_charging_rules().at(dt.date(2027, 5, 1))  # out of date: every note is said
    for kw in ({"age_group": "pension", "benefit": "attendance_allowance_lower",
                "income": [{"kind": "attendance_allowance", "weekly": "73"}]},
               {"age_group": "25-pension", "income": [{"kind": "esa", "weekly": "90"}],
                "dre": [{"what": "alarm", "weekly": "3"}]},
               {"age_group": "25-pension", "children": 6, "income": [{"kind": "pip_daily_living", "weekly": "73"}]}):
        result = estimate_charge(FinanceRecord.model_validate({"capital": "0", "care_cost": "100", **kw}), rules)
        words += list(result.notes)
    assert len(words) > 40
    for text in words:
        assert not _re.search(r"\b(premium|tariff|disregard)", text, _re.IGNORECASE), text
        assert not _re.search(r"\b(MIG|DRE)\b", text), text
        for sentence in _re.split(r"(?<=[.?!])\s+", text):
            assert len(sentence.split()) <= 20, sentence

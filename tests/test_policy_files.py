"""Policy files load strictly, and every value carries a date, a unit and a reference."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from ras.engine import calculate
from ras.models import AssessmentRecord
from ras.policy import DataFileError, builtin_policies, load_policy

EXAMPLE = Path(builtin_policies()["example"])
RECORD = AssessmentRecord.model_validate(
    {
        "schema": "ras-assessment/1",
        "client_group": "learning_disability",
        "impairment": True,
        "wellbeing_impact": True,
        "unable_outcomes": ["work_education", "community_services"],
        "areas": {"health": {"need": 2, "risk": 2, "unpaid_support": "some"}},
    }
)


def council_copy(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "council.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(builtin_policies()))
def test_every_shipped_policy_loads_and_every_value_has_a_reference_and_unit(name):
    policy = load_policy(name)
    for when in policy.dates():
        try:
            at = policy.at(when)
        except DataFileError:
            continue  # a date before some parameter starts
        for source in at.sources:
            assert source.unit and source.label
            assert source.references and all(r.title and r.address for r in source.references)


def test_no_policy_figure_appears_in_engine_code():
    """Figures from the example policy must live in data, never as numbers in ras/*.py."""
    from decimal import Decimal

    figures = {Decimal(f) for f in ("4.60", "5.20", "5.60", "4.40", "32.14", "0.15", "0.30", "0.75", "1.25", "0.90", "1.10", "700", "350", "115", "295", "675", "3.5")}
    root = Path(__file__).parents[1] / "ras"
    engine = [root / "engine.py", root / "eligibility.py", root / "models.py", root / "money.py", root / "cli.py"]
    engine += [*(root / "methods").glob("*.py"), *(root / "policy").glob("*.py")]
    for path in engine:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = None
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                value = Decimal(str(node.value))
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Decimal" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    value = Decimal(arg.value)
            assert value not in figures, f"policy figure {value} in {path}:{node.lineno}"


def test_a_misplaced_key_is_an_error_naming_file_line_and_key(tmp_path):
    path = council_copy(tmp_path, "    need_points:\n", "    need_pionts:\n")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    message = str(info.value)
    assert str(path) in message
    assert "parameters.points.need_pionts" in message
    assert re.search(r"line \d+", message)


def test_a_missing_reference_is_an_error_naming_the_key(tmp_path):
    path = council_copy(tmp_path, "{value: [0, 2, 5, 9, 14], reference: hartlepool}", "{value: [0, 2, 5, 9, 14], reference: nowhere}")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "nowhere" in str(info.value)
    assert "parameters.points.need_points.values.2026-04-01.reference" in str(info.value)


def test_a_value_without_a_reference_is_an_error(tmp_path):
    path = council_copy(tmp_path, "{value: [0, 2, 5, 9, 14], reference: hartlepool}", "{value: [0, 2, 5, 9, 14]}")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "reference" in str(info.value)


def test_duplicate_keys_are_an_error(tmp_path):
    path = council_copy(tmp_path, "  work:\n    worker_name:", "  health:\n    worker_name: x\n    person_name: y\n  work:\n    worker_name:")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "duplicate key 'health'" in str(info.value)


def test_a_wrong_table_shape_names_the_dated_value(tmp_path):
    path = council_copy(tmp_path, "[0, 2, 5, 9, 14]", "[0, 2, 5, 9]")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "parameters.points.need_points.values.2026-04-01.value" in str(info.value)


def test_dates_out_of_order_are_an_error(tmp_path):
    path = council_copy(
        tmp_path,
        "        2026-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}",
        "        2027-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}\n        2026-04-01: {value: [0, 20, 50, 100, 180], reference: doncaster}",
    )
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "in order" in str(info.value)


def test_bands_must_cover_every_score(tmp_path):
    path = council_copy(tmp_path, "{band: enhanced, from: 19, to: 32,", "{band: enhanced, from: 19, to: 30,")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "0 to 32" in str(info.value)


def test_a_council_file_changes_names_tables_and_default_method_without_code(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("id: example", "id: riverside")
    text = text.replace("person_name: Looking after yourself and staying well", "person_name: Keeping well and looking after yourself")
    text = text.replace("2026-04-01: {value: bands, reference: spec}", "2026-04-01: {value: grid, reference: spec}")
    text = text.replace("{value: [0, 25, 60, 120, 200], reference: doncaster}", "{value: [0, 30, 70, 140, 220], reference: doncaster}")
    path = tmp_path / "riverside.yaml"
    path.write_text(text, encoding="utf-8")
    at = load_policy(path).at(dt.date(2026, 6, 1))
    got = calculate(RECORD, at)
    assert got.method == "grid"
    assert got.policy == "riverside"
    assert got.elements[0].name == "Keeping well and looking after yourself"
    assert str(got.elements[0].amount) == "35.00"  # 70 x 0.5


def test_values_change_on_their_effective_date(tmp_path):
    path = council_copy(
        tmp_path,
        "        2026-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}",
        "        2026-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}\n        2027-04-01: {value: [0, 30, 70, 140, 220], reference: doncaster}",
    )
    policy = load_policy(path)
    before = calculate(RECORD, policy.at(dt.date(2027, 3, 31)), "grid")
    after = calculate(RECORD, policy.at(dt.date(2027, 4, 1)), "grid")
    assert (str(before.elements[0].amount), str(after.elements[0].amount)) == ("30.00", "35.00")
    assert after.policy_effective_from == "2027-04-01"


def test_a_date_before_any_value_is_an_error_not_a_guess():
    with pytest.raises(DataFileError) as info:
        load_policy("example").at(dt.date(2020, 1, 1))
    assert "no value in force on 2020-01-01" in str(info.value)


def test_a_broken_yaml_file_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("policy:\n  id: x\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "line" in str(info.value)

"""The `ras` command as a user runs it: a real subprocess, real files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FARZANA = {
    "schema": "ras-assessment/1",
    "client_group": "learning_disability",
    "impairment": True,
    "wellbeing_impact": True,
    "unable_outcomes": ["work_education", "community_services", "home_environment"],
    "fluctuating": False,
    "areas": {
        "health": {"need": 2, "risk": 2, "unpaid_support": "some"},
        "choice": {"need": 2, "risk": 1, "unpaid_support": "some"},
        "work": {"need": 2, "risk": 2, "unpaid_support": "none"},
        "community": {"need": 1, "risk": 1, "unpaid_support": "some"},
    },
}


def ras(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ras.cli", *args], capture_output=True, text=True, input=stdin, timeout=60
    )


@pytest.fixture
def farzana(tmp_path: Path) -> Path:
    path = tmp_path / "farzana.json"
    path.write_text(json.dumps(FARZANA))
    return path


def test_calculate_json_has_the_contract_fields_and_spec_figures(farzana):
    out = ras("calculate", str(farzana), "--policy", "example", "--method", "points", "--json", "--as-of", "2026-06-01")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    for key in ("policy", "method", "eligible", "weekly", "annual", "range", "band", "reference_cost", "shortfall", "elements", "explanation"):
        assert key in got
    assert (got["weekly"], got["annual"], got["range"]["low"], got["range"]["high"]) == ("162.96", "8473.92", "146.66", "179.26")
    assert got["shortfall"] == "61.67"
    assert got["elements"][0] == {
        "area": "health",
        "name": "Looking after yourself and staying well",
        "amount": "80.92",
        "why": got["elements"][0]["why"],
    }


def test_calculate_without_method_uses_the_policy_default_bands(farzana):
    out = ras("calculate", str(farzana), "--json", "--as-of", "2026-06-01")
    got = json.loads(out.stdout)
    assert (got["method"], got["band"], got["weekly"]) == ("bands", "standard", "195.00")


def test_calculate_prints_plain_words_by_default(farzana):
    out = ras("calculate", str(farzana), "--as-of", "2026-06-01")
    assert out.returncode == 0
    assert "£195.00 a week" in out.stdout
    assert "starting point" in out.stdout
    assert "{" not in out.stdout


@pytest.mark.parametrize(
    "record, field",
    [
        ({**FARZANA, "areas": {"health": {"need": 7}}}, "areas.health.need"),
        ({**FARZANA, "schema": "ras-assessment/9"}, "schema"),
        ({**FARZANA, "unable_outcomes": ["dancing"]}, "unable_outcomes.0"),
    ],
)
def test_a_bad_record_gives_one_line_naming_the_field_and_exit_2(tmp_path, record, field):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record))
    out = ras("calculate", str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert field in out.stderr
    assert "Traceback" not in out.stderr


def test_not_json_and_missing_file_exit_2_without_traceback(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    for args in (("calculate", str(path)), ("calculate", str(tmp_path / "nope.json")), ("calculate", str(path), "--policy", "nowhere")):
        out = ras(*args)
        assert out.returncode == 2, args
        assert "Traceback" not in out.stderr


def test_batch_prints_one_result_a_line_and_reports_bad_lines_by_number(tmp_path):
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(FARZANA), "{oops", "", json.dumps({**FARZANA, "client_group": "older_people"})]
    path.write_text("\n".join(lines) + "\n")
    out = ras("calculate", "--batch", str(path), "--method", "grid", "--as-of", "2026-06-01")
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["weekly"] for r in results] == ["115.00", "115.00"]
    assert "line 2" in out.stderr
    assert out.returncode == 2


def test_compare_shows_the_four_methods_side_by_side(farzana):
    out = ras("compare", str(farzana), "--as-of", "2026-06-01")
    assert out.returncode == 0
    for figure in ("162.96", "195.00", "115.00", "224.63", "Shortfall", "standard"):
        assert figure in out.stdout


def test_policy_show_lists_every_figure_with_its_source():
    out = ras("policy", "show", "example", "--as-of", "2026-06-01")
    assert out.returncode == 0
    assert "points.price_per_point" in out.stdout
    assert "Homecare Association" in out.stdout


def test_policy_check_reports_a_broken_council_file_with_exit_2(tmp_path):
    path = tmp_path / "council.yaml"
    path.write_text("policy: {id: x}\n")
    out = ras("policy", "check", str(path))
    assert out.returncode == 2
    assert str(path) in out.stderr


@pytest.mark.parametrize("which", ["assessment", "carer", "allocation"])
def test_schema_is_published(which):
    out = ras("schema", which)
    schema = json.loads(out.stdout)
    assert schema["$id"] == f"ras-{which}/1"
    assert "properties" in schema

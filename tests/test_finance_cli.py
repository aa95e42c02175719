"""`ras synth`, `ras calibrate`, `ras simulate` as a finance officer runs them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ras.cli import main
from ras.finance import figures
from ras.policy import load_policy


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "history.jsonl"
    assert main(["synth", "--n", "1500", "--seed", "4", "--method", "points", "--out", str(path)]) == 0
    return path


def run_json(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out), out.err


def test_synth_lines_are_marked_made_up_and_carry_an_id_and_a_cost(history):
    lines = history.read_text().splitlines()
    assert len(lines) == 1500
    first = json.loads(lines[0])
    assert first["synthetic"] is True and first["id"] == "synth-000001"
    assert first["schema"] == "ras-assessment/1" and "actual_weekly_cost" in first


def test_synth_with_the_same_seed_gives_the_same_history(tmp_path, capsys):
    main(["synth", "--n", "50", "--seed", "9"])
    one = capsys.readouterr().out
    main(["synth", "--n", "50", "--seed", "9"])
    assert capsys.readouterr().out == one


def test_calibrate_json_has_the_promised_keys_and_writes_a_loadable_policy(history, tmp_path, capsys):
    out = tmp_path / "calibrated.yaml"
    report, _err = run_json(
        capsys,
        ["calibrate", str(history), "--method", "points", "--json", "--out", str(out), "--effective-from", "2027-04-01"],
    )
    for key in ("cases", "r2", "mae", "share_below_actual", "fitted", "by_client_group", "yearly"):
        assert key in report, key
    assert set(report["fitted"]) == {"older_people", "physical_disability", "learning_disability", "mental_health"}
    assert report["fitted"]["older_people"] == pytest.approx(4.60 * 1.2, rel=0.02)
    policy = load_policy(out).at(dt.date(2027, 4, 1))
    assert {g: float(v) for g, v in policy.points.price_per_point.items()} == report["fitted"]
    ref = next(s for s in policy.sources if s.path == "points.price_per_point").references[0]
    assert "history.jsonl" in ref.title and "1," in ref.title and ref.address == str(history)


@pytest.mark.parametrize("method", ["bands", "grid", "costed"])
def test_calibrate_fits_every_method_from_the_command_line(tmp_path, capsys, method):
    path = tmp_path / "h.jsonl"
    main(["synth", "--n", "1500", "--seed", "2", "--method", method, "--out", str(path)])
    report, _ = run_json(
        capsys,
        ["calibrate", str(path), "--method", method, "--json", "--out", str(tmp_path / "p.yaml"),
         "--effective-from", "2027-01-01"],
    )
    assert report["r2"] > 0.95
    if method == "costed":
        assert report["fitted"] == pytest.approx(1.2, rel=0.02)
    policy = load_policy(tmp_path / "p.yaml").at(dt.date(2027, 1, 1))
    assert figures.file_value(policy, method) != figures.file_value(load_policy("example").at(dt.date(2026, 6, 1)), method)


def test_calibrate_text_report_and_pictures(history, tmp_path, capsys):
    pics = tmp_path / "pics"
    code = main(["calibrate", str(history), "--method", "points", "--out", str(tmp_path / "p.yaml"),
                 "--effective-from", "2027-04-01", "--plot", str(pics)])
    out = capsys.readouterr().out
    assert code == 0
    assert "price per point, older_people" in out and "Yearly spend" in out and "made up" in out
    assert "Picture 1:" in out and "Picture 2:" in out
    for name in ("calibrate-points-scatter.png", "calibrate-points-differences.png"):
        assert (pics / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_lines_are_reported_by_number_and_the_rest_calibrated(history, tmp_path, capsys):
    lines = history.read_text().splitlines()
    lines.insert(2, "{broken")
    lines.insert(5, json.dumps({"schema": "ras-assessment/1", "client_group": "older_people"}))
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    report, err = run_json(capsys, ["calibrate", str(path), "--json", "--method", "points",
                                    "--out", str(tmp_path / "p.yaml"), "--effective-from", "2027-04-01"])
    assert "line 3: not valid JSON" in err
    assert "line 6: actual_weekly_cost" in err
    assert report["bad_lines"] == 2 and [p["line"] for p in report["problems"]] == [3, 6]
    assert main(["calibrate", str(path), "--strict", "--out", str(tmp_path / "q.yaml")]) == 2
    assert not (tmp_path / "q.yaml").exists()


def test_missing_history_file_is_a_one_line_error_and_exit_2(tmp_path, capsys):
    for argv in (
        ["calibrate", str(tmp_path / "nope.jsonl")],
        ["simulate", str(tmp_path / "nope.jsonl"), "--against", "example"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "file not found" in err and "Traceback" not in err


def test_unknown_method_and_a_date_too_early_are_exit_2(history, tmp_path, capsys):
    assert main(["calibrate", str(history), "--method", "magic"]) == 2
    assert "unknown method" in capsys.readouterr().err
    assert main(["calibrate", str(history), "--effective-from", "2026-01-01", "--out", str(tmp_path / "p.yaml")]) == 2
    assert "must be after" in capsys.readouterr().err


def test_simulate_the_calibrated_policy_against_the_example(history, tmp_path, capsys):
    out = tmp_path / "calibrated.yaml"
    run_json(capsys, ["calibrate", str(history), "--method", "points", "--json", "--out", str(out),
                      "--effective-from", "2027-04-01"])
    report, _ = run_json(
        capsys,
        ["simulate", str(history), "--policy", str(out), "--as-of", "2027-04-01", "--against", "example",
         "--method", "points", "--json", "--cases", str(tmp_path / "cases.csv")],
    )
    for key in ("cases", "winners", "losers", "unchanged", "by_client_group", "weekly", "yearly"):
        assert key in report, key
    # prices went up about 20%: every eligible case with points gains
    assert report["winners"]["count"] > 0.8 * report["cases"]
    assert report["losers"]["count"] == 0
    assert report["yearly"]["change"] > 0
    rows = (tmp_path / "cases.csv").read_text().splitlines()
    assert rows[0] == "id,line,client_group,policy_weekly,against_weekly,change" and len(rows) == 1501


def test_simulate_text_report_and_pictures(history, tmp_path, capsys):
    pics = tmp_path / "pics"
    assert main(["simulate", str(history), "--against", "example", "--method", "points",
                 "--against-method", "grid", "--plot", str(pics)]) == 0
    out = capsys.readouterr().out
    assert "gain (more under the policy)" in out and "By client group" in out and "Total a year" in out
    assert (pics / "simulate-scatter.png").exists() and (pics / "simulate-change.png").exists()


def test_a_policy_with_figures_after_the_date_used_gets_a_note(history, tmp_path, capsys):
    out = tmp_path / "calibrated.yaml"
    run_json(capsys, ["calibrate", str(history), "--method", "points", "--json", "--out", str(out),
                      "--effective-from", "2099-04-01"])
    report, err = run_json(capsys, ["simulate", str(history), "--policy", str(out), "--against", "example",
                                    "--method", "points", "--json"])
    assert "has figures from 2099-04-01" in err and "--as-of 2099-04-01" in err
    assert report["winners"]["count"] == 0


def test_the_ras_command_starts_without_numpy_or_matplotlib():
    import subprocess
    import sys

    code = (
        "import sys; from ras.cli import build_parser; build_parser(); import ras.finance.plots; "
        "print('numpy' in sys.modules and 'ras.finance.plots' in sys.modules, 'matplotlib' in sys.modules)"
    )
    # building the parser (all plug-in commands registered) imports neither; plots imports matplotlib only when drawing
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False"]
    code = "import sys; from ras.cli import build_parser; build_parser(); print('numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"

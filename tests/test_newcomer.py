"""A newcomer's first hour (issue 20): the tests leave the person's own data folder alone,
the README's commands work on the files in examples/, and the rough edges of the commands
are gone (resume hint, closed pipes, a mistyped database, --version, calibrated names,
errors that name the wrong value, the person's heading)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ras.cli import main as ras_main
from ras_chat.__main__ import main as ras_chat_main

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RAS, RAS_CHAT = str(BIN / "ras"), str(BIN / "ras-chat")
FARZANA = Path(__file__).parent / "plans" / "farzana.plan"


def run(*cmd: str, stdin: str = "", cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "TERM": "dumb", **kw.pop("env", {})}
    return subprocess.run(list(cmd), input=stdin, capture_output=True, text=True, timeout=120, cwd=cwd, env=env, **kw)


# ----- the person's own data folder ----------------------------------------------------


def test_every_test_has_its_own_home_and_data_folder(_private_home):
    from ras_chat.settings import Settings

    assert Path(os.environ["HOME"]).is_relative_to(_private_home)
    assert Settings().resolved_data_dir().is_relative_to(_private_home)
    assert "RAS_CHAT_DB" not in os.environ


PLAIN_MODE_TESTS = ["tests/test_plain_mode.py", "-k", "labels_every_line or end_of_input or whole_conversation_through_a_pipe"]


def _run_tests_at_home(home: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAS_CHAT_", "XDG_", "PYTEST_"))}
    env |= {"HOME": str(home), "USERPROFILE": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", *extra, *PLAIN_MODE_TESTS],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.mark.slow
def test_a_run_of_the_tests_that_start_ras_chat_leaves_the_real_data_folder_untouched(tmp_path):
    """Run plain-mode tests that start ras-chat without a database of their own (one
    reaches a "handed off £195.00/week" hand-off) as a person would from their own shell,
    with nothing set but HOME, then look at where their data folder would be: nothing may
    have been written there. The same tests without tests/conftest.py do write there, so
    this check can fail."""
    home = tmp_path / "someones-home"
    home.mkdir()
    out = _run_tests_at_home(home)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert re.search(r"\b3 passed\b", out.stdout), out.stdout[-500:]
    assert list(home.iterdir()) == []  # no .local/share/ras-chat, no sessions.db: nothing at all
    # the control: without the conftest's temporary home the same run writes into HOME
    unguarded = tmp_path / "unguarded-home"
    unguarded.mkdir()
    out = _run_tests_at_home(unguarded, "--noconftest")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert (unguarded / ".local" / "share" / "ras-chat" / "sessions.db").exists()


# ----- carrying on later ----------------------------------------------------------------


def test_the_resume_hint_names_the_database_and_typing_it_carries_on(tmp_path):
    first = run(RAS_CHAT, "--plain", "--db", "flag.db", stdin="1\n", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    hint = re.search(r"To carry on later, type: (ras-chat .+)$", first.stdout, re.M)
    assert hint, first.stdout[-500:]
    words = shlex.split(hint.group(1))
    assert words[1:3] == ["--db", str(tmp_path / "flag.db")] and words[3] == "--resume"
    # exactly what it says, from another folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    again = run(RAS_CHAT, *words[1:], "--plain", stdin="I want to go to college\n", cwd=elsewhere)
    assert again.returncode == 0, again.stderr
    assert "no saved conversation" not in again.stderr
    assert "You: I want to go to college" in again.stdout


def test_the_resume_hint_never_prints_a_password():
    import argparse

    from ras_chat.app import resume_command

    session = argparse.Namespace(state=argparse.Namespace(id="cfbdc02e-1234"))
    args = argparse.Namespace(db="postgresql://jo:s3cret@db.example.org/care")
    assert resume_command(args, session) == "ras-chat --db postgresql://jo@db.example.org/care --resume cfbdc02e"
    assert resume_command(argparse.Namespace(db=None), session) == "ras-chat --resume cfbdc02e"


# ----- output to a closed pipe ----------------------------------------------------------


@pytest.mark.parametrize(
    "cmd",
    [[RAS_CHAT, "dialogue", "text"], [RAS_CHAT, "demo", "learning-at-college"], [RAS, "policy", "show", "example"]],
    ids=["ras-chat dialogue text", "ras-chat demo CASE", "ras policy show"],
)
def test_output_to_a_closed_pipe_is_quiet_and_not_an_error(cmd):
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already stopped reading
    try:
        out = subprocess.run(cmd, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert out.stderr == ""
    assert out.returncode == 0


# ----- a mistyped database --------------------------------------------------------------


def test_sessions_refuses_a_database_that_does_not_exist_and_says_how_to_make_one(tmp_path, capsys):
    typo = tmp_path / "typo.db"
    assert ras_chat_main(["sessions", "--db", str(typo)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "there is no database here" in err and f"ras-chat --db {typo}" in err
    assert not typo.exists()  # and it made none


def test_sessions_with_no_database_yet_in_the_data_folder_says_so_and_makes_nothing(_private_home, capsys):
    assert ras_chat_main(["sessions"]) == 0
    assert capsys.readouterr().out == "No saved sessions yet.\n"
    assert not (_private_home / "ras-chat-data").exists()


# ----- --version -------------------------------------------------------------------------


@pytest.mark.parametrize("main, name", [(ras_main, "ras"), (ras_chat_main, "ras-chat")])
def test_both_commands_say_their_version(main, name, capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"{name} {version('ras-chat')}\n"


# ----- readable output ------------------------------------------------------------------


def test_a_calibrated_policy_has_its_own_id_and_the_simulation_names_both(tmp_path, capsys):
    history = tmp_path / "history.jsonl"
    assert ras_main(["synth", "--n", "300", "--seed", "4", "--method", "points", "--out", str(history)]) == 0
    out = tmp_path / "calibrated.yaml"
    assert ras_main(["calibrate", str(history), "--method", "points", "--out", str(out), "--effective-from", "2027-04-01"]) == 0
    from ras.policy import load_policy

    calibrated = load_policy(out)
    assert calibrated.id == "example-points-2027-04-01"
    assert "points figures calibrated from 2027-04-01" in calibrated.title
    capsys.readouterr()
    assert ras_main(["simulate", str(history), "--policy", str(out), "--as-of", "2027-04-01", "--against", "example",
                     "--method", "points"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert "policy 'example-points-2027-04-01'" in head and "against 'example'" in head


def test_an_unknown_outcome_is_named_in_the_error(tmp_path, capsys):
    record = json.loads((ROOT / "examples" / "record.json").read_text())
    record["unable_outcomes"] = ["nutrition", "flying"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record))
    assert ras_main(["calculate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ras: unable_outcomes.1: should be 'nutrition'") and "not 'flying'" in err


def test_the_persons_heading_has_no_method_names(capsys):
    assert ras_main(["calculate", str(ROOT / "examples" / "record.json"), "--method", "points"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "How we worked out your budget"
    for jargon in ("In Control", "Hartlepool", "allocation tables", "points ("):
        assert jargon not in out


def test_the_review_title_says_first_figure_until_sign_off(tmp_path):
    from store_helpers import seed_from_plan

    from ras_chat.review import make_change, sign_off
    from ras_chat.store import open_store
    from ras_chat.ui.review import make_review_app

    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA)

    async def title() -> str:
        app = make_review_app(db, sid, who="Jo Worker")
        async with app.run_test(size=(120, 45)) as pilot:
            await pilot.pause()
            return app.sub_title

    before = asyncio.run(title())
    assert before.endswith("handed off, first figure £195.00") and "agreed" not in before
    with open_store(db) as store:
        make_change(store, sid, sign_off(), who="Jo Worker", why="agreed with Farzana at home")
    assert asyncio.run(title()).endswith("agreed, agreed £195.00")


# ----- the README's commands on the files in examples/ -----------------------------------


def readme_engine_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## The engine in one minute", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith("ras ")]


def test_the_readme_uses_the_example_files():
    commands = readme_engine_commands()
    assert len(commands) >= 8
    used = " ".join(commands)
    for name in ("examples/record.json", "examples/records.jsonl", "examples/finance.json", "examples/council.yaml"):
        assert name in used and (ROOT / name).exists()


@pytest.mark.parametrize("command", readme_engine_commands())
def test_each_readme_engine_command_works_on_the_example_files(command):
    out = run(*[RAS if w == "ras" else w for w in shlex.split(command)], cwd=ROOT)
    assert out.returncode == 0, f"{command}: {out.stderr}"
    assert out.stdout.strip() and out.stderr == ""
    if "--batch" in command:
        results = [json.loads(line) for line in out.stdout.splitlines()]
        assert [r["eligible"] for r in results] == [True, True, False]  # the third has one everyday thing, not two
    if "--json" in command:
        assert json.loads(out.stdout)["method"] == "points"
    if "examples/council.yaml" in command:
        assert "How we worked out your budget" in out.stdout


def test_the_council_copy_is_the_example_under_its_own_name():
    from ras.policy import load_policy

    mine, example = load_policy(ROOT / "examples" / "council.yaml"), load_policy("example")
    assert mine.id == "my-council" and example.id == "example"
    for as_of in (dt.date(2026, 6, 1), example.dates()[-1]):
        assert mine.at(as_of).model_dump(exclude={"id", "title", "council"}) == example.at(as_of).model_dump(
            exclude={"id", "title", "council"}
        ), "ras/policies/example.yaml changed: copy it to examples/council.yaml again (keep the id, title and council)"


def test_the_finance_example_gives_the_charge_worked_out_by_hand(capsys):
    # capital 15,750 - 14,250 = 1,500 over the lower limit: 1,500 / 250 = 6 steps of £1 = £6.00 a week;
    # income that counts £250.00 (the mobility part, £28.70, is not counted); the 2026-27 allowance
    # for 25 to pension age, £120.40 (an estimate: 2025-26's £112.50 up 7%, 120.375, to the 5p above);
    # 250.00 + 6.00 - 120.40 = 135.60 a week, under the care cost of 195.00: the council pays 59.40
    assert ras_main(["contribution", str(ROOT / "examples" / "finance.json"), "--as-of", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert "You pay £135.60 a week. The council pays £59.40 a week." in out


# ----- a folder that cannot be written, as a user without root's powers ------------------


def test_a_folder_that_cannot_be_written_stops_the_conversation_in_one_line(unprivileged_tmp, run_as_unprivileged):
    locked = unprivileged_tmp / "locked"
    locked.mkdir()
    check = run_as_unprivileged([sys.executable, "-c", "open('x', 'w')"], cwd=locked)
    assert check.returncode == 0, check.stderr  # the folder is the user's own while open
    os.chmod(locked, 0o500)
    out = run_as_unprivileged([RAS_CHAT, "--plain", "--db", str(locked / "s.db")], input="1\n",
                              env={**os.environ, "TERM": "dumb"})
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert str(locked / "s.db") in out.stderr or str(locked) in out.stderr
    assert not (locked / "s.db").exists()


# ----- CI: a missing service is a failure, never a quiet skip ---------------------------


def _after_the_hook(report: pytest.TestReport) -> pytest.TestReport:
    from conftest import pytest_runtest_makereport

    hook = pytest_runtest_makereport(item=None, call=None)
    next(hook)

    class Outcome:
        def get_result(self):
            return report

    with pytest.raises(StopIteration):
        hook.send(Outcome())
    return report


def _skipped(reason: str) -> pytest.TestReport:
    return pytest.TestReport(nodeid="tests/test_x.py::test_y", location=("tests/test_x.py", 1, "test_y"), keywords={},
                             outcome="skipped", longrepr=("tests/test_x.py", 2, f"Skipped: {reason}"), when="setup")


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_skip_for_a_missing_service_is_a_failure_naming_it(ci, monkeypatch):
    monkeypatch.setenv("CI", ci)
    report = _after_the_hook(_skipped("PostgreSQL tests need RAS_CHAT_TEST_PG"))
    assert report.outcome == "failed" and "CI=true" in str(report.longrepr) and "PostgreSQL" in str(report.longrepr)


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_outside_ci_a_missing_service_is_a_skip_that_says_why(ci, monkeypatch):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    report = _after_the_hook(_skipped("Chromium is not installed"))
    assert report.outcome == "skipped"


def test_the_ci_script_fails_when_a_service_is_missing_and_when_no_tests_ran():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script and "export CI=true" in script
    assert "|| true" not in script.split("apt-get install", 1)[1].split("\n", 2)[0]  # no quiet skip on install
    for missing in ("could not install postgresql", "does not start headless", "PostgreSQL did not start",
                    "pytest collected no tests"):
        assert any(missing in line and 'fail "' in line for line in script.splitlines()), missing
    assert "lint-imports" in script and "configured ruff" in script and "configured mypy" in script
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "-rfEs" in config and "-n auto" in config


@pytest.mark.parametrize("which, example", [("assessment", "record.json"), ("finance", "finance.json")])
def test_the_example_files_validate_against_the_published_json_schemas(which, example, capsys):
    import jsonschema

    assert ras_main(["schema", which]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.validators.validator_for(schema).check_schema(schema)
    data = json.loads((ROOT / "examples" / example).read_text())
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "schema": "ras-nothing/1"}, schema)

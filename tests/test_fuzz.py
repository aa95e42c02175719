"""Fuzzing (issue 8): random input never crashes or hangs the session, the engine's record
loader, the policy loader or the dialogue loader.

- the session: random answers (escapes, control characters, very long pastes, any
  Unicode, empty, and real answers mixed in) from welcome towards the end; every turn
  must keep the state JSON-ready, free of escapes, and restorable;
- `AssessmentRecord.model_validate_json` on random bytes and on valid records with random
  changes: only `ValidationError`;
- `load_policy` on randomly changed copies of ras/policies/example.yaml: only `DataFileError`;
- `load_dialogue` on randomly changed copies of dialogues/assessment.yaml: only `DataFileError`.

Sizes are kept small enough for every run (`max_examples`); set FUZZ_EXAMPLES for a longer
run, e.g. `FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`. Each target counts the inputs it
tried (`TRIED`), printed after the module's tests (`pytest -s -n 0 tests/test_fuzz.py`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ras.errors import validation_message
from ras.models import AssessmentRecord
from ras.policy import DataFileError, load_policy
from ras_chat.dialogue.loader import load_dialogue
from ras_chat.dialogue.session import Session

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
TRIED: Counter = Counter()
T0 = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


def fuzz(n: int):
    return settings(
        max_examples=EXAMPLES or n,
        deadline=None,  # a hang shows as a very slow test; the guards below bound the work
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
        derandomize=True,  # the same inputs every run: a failure here is a real regression
    )


# ----- the session -------------------------------------------------------------------

ESCAPES = st.sampled_from(
    [
        "\x1b[31m", "\x1b[0m", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\", "\x1bP1;2q\x1b\\", "\x9b2J",
        "\x9d0;t\x9c", "\x1bc", "\x1b", "\x00", "\x07", "\r", "\x7f", "\u202e", "\u2066", "\ud800", "\ufeff",
    ]
)  # fmt: skip
REAL = st.sampled_from(
    ["1", "2", "3", "4", "5", "1 and 3", "yes", "no", "skip", "back", "help", "?", "repeat", "I don't know",
     "a lot", "not a lot", "some help most days", "none of these", "change", "£120", "15,750", "nothing", "0"]
)  # fmt: skip
UNICODE = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
ANY = st.text(max_size=60)  # surrogates and every control character included
LONG = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=8), st.integers(300, 1200))
ANSWER = st.one_of(
    REAL, REAL, REAL, UNICODE, ANY, st.just(""), LONG,
    st.builds(lambda a, e, b: a + e + b, REAL | UNICODE, ESCAPES, REAL | UNICODE),
)  # fmt: skip


def _assert_clean(text: str) -> None:
    assert "\x1b" not in text
    assert not any(c < " " and c not in "\n\t" for c in text)
    assert not any("\x80" <= c <= "\x9f" for c in text)
    text.encode("utf-8")  # no lone surrogates


@pytest.mark.slow
@fuzz(120)
@given(answers=st.lists(ANSWER, min_size=1, max_size=45))
def test_random_answers_never_crash_the_session_or_leak_escapes(answers):
    s = Session.start(session_id="fuzz", clock=lambda: T0, as_of=T0.date())
    s.opening()
    for text in answers:
        if s.finished:
            break
        TRIED["session"] += 1
        out = s.send(text)
        assert out and out[0].role == "person"
        assert len(out[0].text) <= s.dialogue.spec.settings.text_limit + 3
        for m in out:
            _assert_clean(m.text)
            for c in m.choices:
                _assert_clean(c.label)
        if not s.finished:
            assert s.current_question is not None
    data = s.state.model_dump(mode="json")
    json.dumps(data)
    again = Session.restore(data, clock=lambda: T0)
    assert again.state == s.state


@pytest.mark.slow
@fuzz(40)
@given(answers=st.lists(REAL, min_size=60, max_size=120))
def test_long_runs_of_real_answers_reach_the_end_or_keep_asking(answers):
    """Mostly real answers: reaches the result and the money part, never loops."""
    s = Session.start(session_id="fuzz-real", clock=lambda: T0, as_of=T0.date())
    s.opening()
    for text in answers:
        if s.finished:
            break
        TRIED["session"] += 1
        before = len(s.state.transcript)
        out = s.send(text)
        assert out and out[0].role == "person" and len(s.state.transcript) > before  # every answer is heard
        assert s.finished or s.current_question is not None  # never silent
    if s.finished and s.result() is not None:
        assert s.budget_statement().text()
        charge = s.charge()
        assert charge is None or charge.weekly_charge is None or charge.weekly_charge >= 0
        if charge is not None and charge.weekly_charge is not None:  # an estimate comes from a money record
            assert s.finance_record() is not None
    data = s.state.model_dump(mode="json")
    json.dumps(data)
    assert Session.restore(data, clock=lambda: T0).state == s.state


# ----- the engine's record loader ----------------------------------------------------

VALID_RECORD = {
    "schema": "ras-assessment/1",
    "client_group": "older_people",
    "impairment": True,
    "wellbeing_impact": True,
    "unable_outcomes": ["hygiene", "nutrition"],
    "fluctuating": False,
    "areas": {
        "health": {"need": 3, "risk": 2, "unpaid_support": "some"},
        "choice": {"need": 1, "risk": 1, "unpaid_support": "none"},
        "work": {"need": 0, "risk": 0, "unpaid_support": "none"},
        "community": {"need": 2, "risk": 3, "unpaid_support": "most"},
    },
}

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated_record(draw):
    data = json.loads(json.dumps(VALID_RECORD))
    paths = [p for p in _paths(data) if p]
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(JSON)
        except (KeyError, IndexError, TypeError):
            continue
    return json.dumps(data, allow_nan=True)


def _validate(raw) -> None:
    """Only two outcomes: a record that dumps to valid JSON and reads back the same, or a
    ValidationError whose message is one line (any other exception fails the test)."""
    TRIED["record"] += 1
    try:
        record = AssessmentRecord.model_validate_json(raw)
    except ValidationError as exc:
        message = validation_message(exc)
        assert message and "\n" not in message
        return
    data = record.dump()
    assert data["schema"] == "ras-assessment/1"
    assert AssessmentRecord.model_validate_json(json.dumps(data)) == record


@fuzz(300)
@given(raw=st.binary(max_size=300) | st.text(max_size=300))
def test_random_bytes_give_only_a_validation_error(raw):
    _validate(raw)


@fuzz(300)
@given(raw=mutated_record() | JSON.map(json.dumps))
def test_changed_records_give_only_a_validation_error(raw):
    _validate(raw)


# ----- data files: the policy and the dialogue ---------------------------------------

_names = itertools.count()


@st.composite
def mutated_yaml(draw, text: str):
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["delete", "duplicate", "indent", "value", "garbage", "truncate", "swap", "key"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if how == "delete":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, line)
        elif how == "indent":
            lines[i] = (" " * draw(st.integers(1, 3))) + line if draw(st.booleans()) else line.lstrip(" ")
        elif how == "value" and ":" in line:
            key, _, _ = line.partition(":")
            value = draw(st.sampled_from(["", " -1", " 1e999", " .nan", " null", " [", " {a: 1}", " 'x", " yes", " 2099-13-45", " *ref", " &a x", " !!python/object:os.system x", " 99999999999999999999"]) | st.text(max_size=12))
            lines[i] = f"{key}:{value}\n"
        elif how == "garbage":
            lines.insert(i, draw(st.text(max_size=30)) + "\n")
        elif how == "truncate":
            lines = lines[:i]
        elif how == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif how == "key" and ":" in line:
            key, sep, rest = line.partition(":")
            lines[i] = key + draw(st.sampled_from(["x", "_", "s"])) + sep + rest
    return "".join(lines)


POLICY_TEXT = (ROOT / "ras" / "policies" / "example.yaml").read_text(encoding="utf-8")
DIALOGUE_TEXT = (ROOT / "dialogues" / "assessment.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _write(folder: Path, text: str) -> Path:
    path = folder / f"file{next(_names)}.yaml"  # a new name each time: loaders cache by path
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@fuzz(150)
@given(text=mutated_yaml(POLICY_TEXT))
def test_changed_policy_files_give_only_a_data_file_error(folder, text):
    path = _write(folder, text)
    TRIED["policy"] += 1
    try:
        policy = load_policy(path)
    except DataFileError as exc:
        assert str(path) in str(exc)
        return
    assert policy.id and policy.dates()  # a file that loads is a whole policy


@pytest.mark.slow
@fuzz(150)
@given(text=mutated_yaml(DIALOGUE_TEXT))
def test_changed_dialogue_files_give_only_a_data_file_error(folder, text):
    path = _write(folder, text)
    TRIED["dialogue"] += 1
    try:
        d = load_dialogue(path)
    except DataFileError as exc:
        assert str(path) in str(exc)
        return
    # a file that loads must give a session that starts
    s = Session.start(session_id="fuzz-file", clock=lambda: T0, as_of=T0.date(), dialogue=d)
    assert s.opening() and s.current_question is not None


@fuzz(60)
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_a_policy_or_dialogue_file_give_only_a_data_file_error(folder, raw):
    for loader in (load_policy, load_dialogue):
        path = folder / f"file{next(_names)}.yaml"
        path.write_bytes(raw)
        TRIED["bytes-as-file"] += 1
        try:
            loaded = loader(path)
        except DataFileError as exc:
            assert str(path) in str(exc)
            continue
        assert loaded is not None  # random bytes that happen to load must load as something whole


def test_nan_in_a_policy_file_gives_a_data_file_error(folder):
    path = _write(folder, POLICY_TEXT.replace("\n  council: Example Council", "\n  council: .nan", 1).replace("title: Example", "x: .nan\n  title: Example", 1))
    with pytest.raises(DataFileError):
        load_policy(path)


def test_nan_in_a_dialogue_file_gives_a_data_file_error(folder):
    path = _write(folder, DIALOGUE_TEXT.replace("  back: [back,", "  back: .nan\n  xback: [back,", 1))
    with pytest.raises(DataFileError):
        load_dialogue(path)


@pytest.fixture(scope="module", autouse=True)
def _report_how_many_inputs_were_tried(request):
    """Printed after the module's tests (seen with `pytest -s -n 0 tests/test_fuzz.py`)."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and TRIED:
        reporter.write_line(f"fuzz inputs tried: {dict(TRIED)}")

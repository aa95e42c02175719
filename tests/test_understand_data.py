"""The examples file, the model cache, the held-out corpus and the council's tools."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ras.policy import DataFileError
from ras_chat.dialogue.understand import Understanding, check_examples
from ras_chat.dialogue.understand.data import default_examples_path
from ras_chat.dialogue.understand.text import basic

CORPUS = Path(__file__).parent / "corpus"
RAS_CHAT = shutil.which("ras-chat") or str(Path(sys.executable).parent / "ras-chat")


def corpus_rows() -> list[dict]:
    rows = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


# ----- the held-out corpus ------------------------------------------------------------------


def test_the_corpus_is_big_enough_and_well_formed():
    rows = corpus_rows()
    assert len(rows) >= 400
    for r in rows:
        assert set(r) >= {"question", "text", "value", "safety"}, r
        assert r["safety"] in ("none", "check", "stop")
        assert r["value"] is None or isinstance(r["value"], (str, list))
    disclosures = [r for r in rows if r["safety"] != "none"]
    assert len(disclosures) >= 50
    # the four people of the issue are all in it
    assert {r.get("person") for r in rows} >= {"A", "B", "C", "D"}


def test_no_corpus_line_is_in_the_training_examples():
    """The held-out lines are never trained on: no exact copy and no near-copy (the same
    letters at 90% or more, by difflib) of any example a model learns from."""
    u = Understanding.load(cache_dir=None)
    examples = sorted({basic(t) for t in u.training_texts()})
    clashes = []
    for row in corpus_rows():
        text = basic(row["text"])
        if text in examples:
            clashes.append((row["text"], "exact"))
            continue
        for e in examples:
            sm = difflib.SequenceMatcher(None, text, e)
            if sm.real_quick_ratio() >= 0.9 and sm.quick_ratio() >= 0.9 and sm.ratio() >= 0.9:
                clashes.append((row["text"], e))
                break
    assert clashes == []


# ----- the examples file ----------------------------------------------------------------------


def test_loading_is_cheap_and_never_imports_scikit_learn():
    code = (
        "import sys; import ras_chat.dialogue; from ras_chat.dialogue.understand import Understanding, detect_safety, read_amount;"
        "u = Understanding.load(cache_dir=None); read_amount('8 grand');"
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_mistake_in_the_examples_file_names_the_line_and_key(tmp_path):
    path = tmp_path / "bad.examples.yaml"
    text = default_examples_path().read_text(encoding="utf-8").replace("  accept: 0.80", "  acept: 0.80")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Understanding.load(path, cache_dir=None)
    assert "thresholds.acept" in str(err.value) and "line" in str(err.value)


def test_the_fast_reading_path_gives_scikit_learns_probabilities(tmp_path):
    u = Understanding.load(cache_dir=tmp_path)
    texts = ["she needs a fair bit of help", "nothing", "zzz", "i dont see my friends any more qqq"]
    for name in ("field:areas.{area}.need", "yes_no", "kind"):
        m = u.model(name)
        feats = [u.features(u.prepare(t)) for t in texts]
        for fast, slow in zip(m.scores(feats), m.slow_scores(feats)):
            assert fast.keys() == slow.keys()
            assert all(abs(fast[k] - slow[k]) < 1e-9 for k in fast)


# ----- the model cache --------------------------------------------------------------------------


def test_a_trained_model_is_kept_in_the_cache_and_read_back(tmp_path):
    first = Understanding.load(cache_dir=tmp_path)
    m = first.model("field:fluctuating")
    files = list((tmp_path / "understand").glob("*fluctuating*.pickle"))
    assert len(files) == 1
    second = Understanding.load(cache_dir=tmp_path)
    again = second.model("field:fluctuating")
    assert "field:fluctuating" not in second.train_seconds  # read from the cache, not trained
    feats = [second.features("it changes a lot")]
    assert again.scores(feats) == m.scores(feats)


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path):
    Understanding.load(cache_dir=tmp_path).model("field:fluctuating")
    (path,) = (tmp_path / "understand").glob("*fluctuating*.pickle")
    path.write_bytes(b"\x80\x04this is not a pickle at all")
    u = Understanding.load(cache_dir=tmp_path)
    m = u.model("field:fluctuating")
    assert "field:fluctuating" in u.train_seconds  # trained again
    assert max(m.scores([u.features("it changes a lot")])[0].items(), key=lambda kv: kv[1])[0] == "yes"
    assert path.read_bytes()[:2] != b"\x80\x04t"  # written afresh


def test_a_cache_of_another_examples_file_is_not_used(tmp_path):
    Understanding.load(cache_dir=tmp_path).model("field:fluctuating")
    changed = tmp_path / "council.examples.yaml"
    changed.write_text(default_examples_path().read_text(encoding="utf-8") + "\n# a council's change\n", encoding="utf-8")
    u = Understanding.load(changed, cache_dir=tmp_path)
    u.model("field:fluctuating")
    assert "field:fluctuating" in u.train_seconds


# ----- the council's tools -------------------------------------------------------------------------


def test_check_examples_names_thin_and_conflicting_examples(tmp_path):
    text = default_examples_path().read_text(encoding="utf-8")
    # an example of "yes" put under "no" for fluctuating, and a new answer with one example
    text = text.replace("      \"no\":\n        - it's about the same\n", "      \"no\":\n        - it changes a lot every week\n        - it's about the same\n", 1)
    path = tmp_path / "council.examples.yaml"
    path.write_text(text, encoding="utf-8")
    u = Understanding.load(path, cache_dir=tmp_path)
    from ras_chat.dialogue.match import Option

    options = [Option(1, "yes", "Yes"), Option(2, "no", "No"), Option(3, "sometimes", "Sometimes")]
    notes = check_examples(u, [("fluctuating", options)], folds=3)
    assert any("`sometimes`" in n and "no examples" in n for n in notes), notes
    assert any("it changes a lot every week" in n and "reads as `yes`" in n for n in notes), notes


def _env(tmp_path) -> dict:
    env = dict(os.environ)
    env["RAS_CHAT_DATA_DIR"] = str(tmp_path / "data")
    env["RAS_CHAT_CACHE_DIR"] = str(tmp_path / "cache")
    env.pop("RAS_CHAT_DIALOGUE", None)
    return env


def test_the_understand_command_says_what_would_be_read(tmp_path):
    out = subprocess.run(
        [RAS_CHAT, "dialogue", "understand", "--question", "areas.health.need", "she needs a fair bit of help"],
        capture_output=True, text=True, timeout=300, env=_env(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert "3 = A lot of help every day" in out.stdout
    assert "safety:   none" in out.stdout
    out = subprocess.run(
        [RAS_CHAT, "dialogue", "understand", "-q", "who", "he slapped me"],
        capture_output=True, text=True, timeout=300, env=_env(tmp_path),
    )
    assert out.returncode == 0 and "safety:   stop" in out.stdout


def test_the_understand_command_reads_a_batch_as_json_lines(tmp_path):
    batch = tmp_path / "lines.jsonl"
    lines = [
        {"question": "area_need", "text": "evry day"},
        {"question": "unable_outcomes", "text": "eating is ok, but the stairs are a nightmare", "area": "health"},
        {"question": "fluctuating", "text": "is the 52 bus running?"},
        {"question": "areas.health.risk", "text": "I'd be better off dead"},
    ]
    batch.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = subprocess.run(
        [RAS_CHAT, "dialogue", "understand", "--batch", str(batch), "--json"],
        capture_output=True, text=True, timeout=300, env=_env(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in out.stdout.splitlines()]
    assert [g["question"] for g in got] == ["area_need", "unable_outcomes", "fluctuating", "areas.health.risk"]
    for g in got:
        assert set(g) >= {"question", "text", "value", "confidence", "action", "safety"}
        assert 0 <= g["confidence"] <= 1 and g["action"] in ("accept", "confirm", "ask_again")
    assert got[0]["value"] == "3"
    assert got[1]["value"] == ["home_safety"]
    assert got[2]["value"] is None and got[2]["action"] == "ask_again"
    assert got[3]["safety"] == "stop"
    assert not (tmp_path / "data").exists()  # nothing written to the data folder


def test_the_understand_command_refuses_an_unknown_question_and_a_bad_batch(tmp_path):
    out = subprocess.run([RAS_CHAT, "dialogue", "understand", "-q", "no_such_thing", "x"], capture_output=True, text=True, timeout=300, env=_env(tmp_path))
    assert out.returncode == 2 and "no question sets" in out.stderr and "Traceback" not in out.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "who", "text": "me"}\nnot json\n', encoding="utf-8")
    out = subprocess.run([RAS_CHAT, "dialogue", "understand", "--batch", str(bad), "--json"], capture_output=True, text=True, timeout=300, env=_env(tmp_path))
    assert out.returncode == 2 and "line 2" in out.stderr and "Traceback" not in out.stderr


def test_the_examples_files_person_facing_lines_are_printed_and_checked(tmp_path):
    out = subprocess.run([RAS_CHAT, "dialogue", "text", "--where"], capture_output=True, text=True, timeout=300, env=_env(tmp_path))
    assert out.returncode == 0
    assert "examples safety.gentle_check\tSome of what you said worries me." in out.stdout
    # jargon in a reply fails the check, naming the examples file and the place
    text = default_examples_path().read_text(encoding="utf-8").replace(
        "You do not have to answer. You can say skip.", "Your eligibility depends on it.")
    dialogue = tmp_path / "council.yaml"
    dialogue.write_text((Path(default_examples_path()).parent / "assessment.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "council.examples.yaml").write_text(text, encoding="utf-8")
    out = subprocess.run([RAS_CHAT, "dialogue", "check", str(dialogue)], capture_output=True, text=True, timeout=300, env=_env(tmp_path))
    assert out.returncode == 1
    assert "council.examples.yaml: examples questions_back.why.reply" in out.stderr and "eligibility" in out.stderr


def test_say_uses_the_files_words(tmp_path):
    from ras_chat.dialogue.understand.fields import options_for, sample_session

    u = Understanding.load(cache_dir=tmp_path)
    session = sample_session()
    _s, options, _m = options_for(session, "areas.health.need")
    r = u.read("areas.health.need", "Help all the time", options)
    assert u.say(r, options) == "OK: help all the time."
    r = u.read("areas.health.need", "banana", options)
    assert r.action != "accept" and u.say(r, options) in (
        u.data.texts.ask_again,
        u.data.texts.confirm.format(label=next(o.label for o in options if o.value == r.value)[:1].lower() + next(o.label for o in options if o.value == r.value)[1:]),
    )

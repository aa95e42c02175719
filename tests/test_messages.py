"""The message catalogues: every sentence a person reads outside the dialogue file is data
(`dialogues/messages.en.yaml`, the engine's `ras/messages.en.yaml`), where `ras-chat
dialogue check` holds it to the plain-English rules; none is left in Python."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from ras.messages import Catalogue, engine_messages
from ras.policy.yamlio import DataFileError
from ras_chat.dialogue.catalogue import catalogues, messages
from ras_chat.dialogue.text import MAX_READING_GRADE, catalogue_lines, reading_grade

ROOT = Path(__file__).parents[1]

PERSON_FACING = [
    "ras/engine.py",
    "ras/eligibility.py",
    "ras/methods",
    "ras/charging/calc.py",
    "ras/charging/statement.py",
    "ras/charging/models.py",
    "ras_chat/exports/letter.py",
    "ras_chat/exports/blocks.py",
    "ras_chat/app/summary.py",
    "ras_chat/plain.py",
    "ras_chat/web",
    "ras_chat/ui/widgets/answers.py",
    "ras_chat/ui/screens/result.py",
    "ras_chat/ui/terminal.py",
    "ras_chat/ui/app.py",
    "ras_chat/ui/first.py",
]
"""Modules whose strings a person reads (the engine's explanations and charge estimate, the
letter, the plain mode, the end-of-conversation summary, the web pages). Not scanned: the
worker's summary (`exports/summary.py`), the review and training screens, and the flags a
session raises for the worker (`ras_chat/dialogue/turns.py`, `registry.py`): those are for
staff and may keep their professional sentences in code. The conversation's own words are
in the dialogue file (`ras-chat dialogue check` reads them there)."""

ALLOWED = {
    ("ras/engine.py", "points (In Control / Hartlepool allocation tables)"): "method names for the finance staff's `ras` command",
    ("ras/engine.py", "outcome bands (Coventry: basic, standard, enhanced)"): "as above",
    ("ras/engine.py", "risk grid (Doncaster RAS Grid)"): "as above",
    ("ras/engine.py", "costed hours (reference costs of services)"): "as above",
    ("ras/eligibility.py", "Care and Support (Eligibility Criteria) Regulations 2015, reg. 2"): "the rule cited to the worker",
    ("ras/eligibility.py", "Care and Support (Eligibility Criteria) Regulations 2015, reg. 3"): "as above",
    ("ras_chat/web/security.py", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'"): "a header, not words",
    ("ras_chat/web/stores.py", "SELECT updated, message_count FROM sessions WHERE id = ?"): "SQL",
    ("ras_chat/web/testing.py", None): "test helpers: their messages are for a developer",
    ("ras_chat/ui/app.py", "Save and stop"): "a key's label in the footer, fixed when the class is made, before the catalogue could be read without slowing the first screen",
    ("ras_chat/ui/terminal.py", "ras-chat: the last save failed: {}"): "a program error on stderr after the app has closed",
}
"""(file, text) -> why it may stay in Python. None as the text: the whole file."""

_RUN_OF_WORDS = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z']+){2,}")
"""Three words in a row, one space apart: a sentence or a label; not markup, CSS or SQL
punctuation (`<th scope="col">`, `margin:2rem auto;`)."""
_TAG = re.compile(r"<[^>]*>")


def _text_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}" for v in node.values)
    return None


def sentence_literals(path: Path) -> list[tuple[int, str]]:
    """String literals in `path` that read like words for a person: three words in a row.
    Left out: docstrings, exception and assertion messages (`raise X("...")`: for a
    developer or a council's file), log lines (`log.error("...")`) and regular expressions
    (`re.compile`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            for st in node.body:  # a docstring, and the attribute docstrings after assignments
                if isinstance(st, ast.Expr) and _text_of(st.value) is not None:
                    skip.update(id(n) for n in ast.walk(st))
        if isinstance(node, ast.Raise) and node.exc is not None:
            skip.update(id(n) for n in ast.walk(node.exc))
        if isinstance(node, ast.Assert) and node.msg is not None:
            skip.update(id(n) for n in ast.walk(node.msg))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (isinstance(owner, ast.Name) and owner.id in ("log", "logger", "logging", "re")) or node.func.attr in ("getLogger",):
                skip.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        text = _text_of(node)
        if text is not None and _RUN_OF_WORDS.search(_TAG.sub(" ", text).replace("{}", "it")):
            found.append((getattr(node, "lineno", 0), text))
    return sorted(found)


def test_no_person_facing_sentence_is_left_in_python():
    left = []
    for entry in PERSON_FACING:
        base = ROOT / entry
        for path in sorted(base.rglob("*.py")) if base.is_dir() else [base]:
            rel = path.relative_to(ROOT).as_posix()
            if (rel, None) in ALLOWED:
                continue
            left += [f"{rel}:{line}: {text!r}" for line, text in sentence_literals(path) if (rel, text) not in ALLOWED]
    assert left == [], "\n".join(left)


def test_the_scan_sees_a_sentence_and_leaves_out_what_is_not_for_a_person(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring of many words."""\n'
        "import re\n"
        "def f(x):\n"
        '    """Also a docstring here."""\n'
        '    if x: raise ValueError("a message for a developer")\n'
        '    log.error("error on %s %s", 1, 2)\n'
        '    pattern = re.compile("one two three")\n'
        '    short = "Yes please"\n'
        '    return f"You pay {x} a week."\n'
    )
    assert sentence_literals(sample) == [(9, "You pay {} a week.")]


def test_every_message_a_module_asks_for_is_in_its_catalogue():
    """Each `say("key")` / `lines("key")` with a written key names a text that exists."""
    asked = []
    for package in ("ras", "ras_chat"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("say", "lines")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    asked.append((path.relative_to(ROOT).as_posix(), node.args[0].value))
    assert len(asked) > 80  # the letter, the engine, the progress line, the plain mode
    ours, engine = set(messages().texts), set(engine_messages().texts)
    missing = [(f, key) for f, key in asked if key not in (engine if f.startswith("ras/") else ours)]
    assert missing == []


def test_the_catalogues_follow_the_plain_english_rules():
    from ras_chat.dialogue.check import check_catalogues

    assert check_catalogues() == []
    for c in catalogues():
        assert reading_grade([t for _k, t in c.items()]) <= MAX_READING_GRADE


def test_dialogue_check_fails_on_jargon_a_long_sentence_or_broken_braces_in_a_catalogue(tmp_path, monkeypatch, capsys):
    """A copy of ras-chat's catalogue with three faults: the check names each, with its line."""
    from ras_chat.__main__ import main
    from ras_chat.dialogue import catalogue

    bad = tmp_path / "messages.en.yaml"
    shutil.copy(messages().path, bad)
    text = bad.read_text(encoding="utf-8")
    text = text.replace('hello: "Hello,"', 'hello: "Your indicative allocation is ready."')
    text = text.replace('you_told_us: "You told us:"', 'you_told_us: "' + " ".join(["word"] * 30) + '."')
    text = text.replace('a_week: "A week"', 'a_week: "A {week"')
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setattr(catalogue, "messages", lambda language="en": Catalogue.read(bad, language))
    assert main(["dialogue", "check"]) == 1
    err = capsys.readouterr().err
    line_of_hello = next(n for n, t in enumerate(text.splitlines(), 1) if t.strip().startswith("hello:"))
    assert f"/messages.en.yaml: line {line_of_hello}, letter.hello: `indicative`" in err and "[jargon]" in err
    assert "letter.you_told_us: 30 words" in err and "[sentence-length]" in err
    assert "letter.money.a_week: broken braces" in err


def test_dialogue_text_where_prints_every_catalogue_text_with_its_file_and_key(capsys):
    from ras_chat.__main__ import main

    assert main(["dialogue", "text", "--where"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "dialogues/messages.en.yaml:letter.stopped.1\t" + messages().lines("letter.stopped")[1] in out
    assert "ras/messages.en.yaml:total.starting_point\t" + engine_messages().say("total.starting_point") in out
    assert sum(1 for line in out if "messages.en.yaml:" in line) == len(list(catalogue_lines()))


def test_a_catalogue_that_is_not_texts_is_refused_with_its_line(tmp_path):
    bad = tmp_path / "messages.en.yaml"
    bad.write_text("letter:\n  title: How\n  count: 3\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Catalogue.read(bad)
    assert err.value.line == 3


def test_the_letter_after_a_safety_stop_says_what_happened_and_what_the_worker_will_do(tmp_path):
    from store_helpers import seed_from_plan

    from ras_chat.exports.handoff import build_handoff
    from ras_chat.exports.letter import letter_blocks, to_markdown
    from ras_chat.store import open_store

    with open_store(str(tmp_path / "s.db")) as store:
        sid = seed_from_plan(store, ROOT / "tests" / "plans" / "safety_disclosure.plan")
        h = build_handoff(store.details(sid))
    assert h.stopped
    letter = to_markdown(letter_blocks(h))
    assert "We have not finished yet" not in letter  # issue 15: it used to say only this
    assert "## Why we stopped" in letter
    assert "you told us something that worried us" in letter  # what happened
    assert "A worker will get in touch with you today" in letter and "check you are safe" in letter  # what they will do
    assert "call 999" in letter

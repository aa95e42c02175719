"""Hardening (issue 8): what people type and what councils write is often wrong.

Escapes and control characters never reach the store or a screen; long pastes are cut
kindly; empty answers are asked again; any Unicode is kept; a dialogue file with an
escape in it is refused at load; a broken file stops every command with exit code 2.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ras.policy import DataFileError
from ras_chat.dialogue.clean import clean_answer, clean_text, shorten, strip_escapes
from ras_chat.dialogue.loader import load_dialogue
from ras_chat.dialogue.match import Option, match_many, match_one, stem
from ras_chat.dialogue.session import Session

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENT = ROOT / "dialogues" / "assessment.yaml"
RAS_CHAT = str(Path(sys.executable).with_name("ras-chat"))
T0 = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)

ESCAPES = {
    "colour": "\x1b[31;1mred\x1b[0m",
    "title (OSC, BEL)": "\x1b]0;pwned\x07",
    "title (OSC, ST)": "\x1b]2;pwned\x1b\\",
    "hyperlink (OSC 8)": "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
    "DCS": "\x1bPq#0;2;0;0;0\x1b\\",
    "APC": "\x1b_hidden\x1b\\",
    "C1 CSI": "\x9b2J",
    "C1 OSC": "\x9d0;pwned\x9c",
    "reset": "\x1bc",
    "clear screen": "\x1b[2J\x1b[H",
    "unterminated OSC": "\x1b]0;never ends",
}


# ----- the sanitiser ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(ESCAPES))
def test_escape_sequences_are_removed_whole(name):
    out = clean_text(f"before {ESCAPES[name]} after")
    assert "\x1b" not in out and not any("\x80" <= c <= "\x9f" for c in out)
    assert "pwned" not in out and "hidden" not in out and "evil" not in out
    assert out.startswith("before") and out.endswith("after")


def test_a_lone_escape_at_the_end_is_dropped():
    assert clean_text("answer\x1b") == "answer"


def test_control_characters_become_spaces_but_newline_and_tab_stay():
    assert clean_text("a\x00b\x07c\x7fd\x85e") == "a b c d e"
    assert clean_text("one\ntwo\tthree") == "one\ntwo\tthree"
    assert clean_text("cr\r\nlf") == "cr\nlf"


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا، أحتاج مساعدة في الطبخ",  # Arabic, right to left
        "שלום",  # Hebrew
        "我需要帮助洗澡",  # Chinese
        "मुझे मदद चाहिए",  # Hindi, combining marks
        "Zoë and José (e\u0301)",  # combining acute
        "family 👨\u200d👩\u200d👧 and ❤\ufe0f and 👍🏽",  # joiners, variation selector, skin tone
        "ﬁne ①",  # compatibility characters are kept as typed
        "\u200fRLM and \u200eLRM marks",
    ],
)
def test_any_unicode_is_kept_intact(text):
    assert clean_text(text) == text
    assert clean_answer(text, 2000) == (text, False)


def test_bidi_overrides_are_removed_so_text_shows_as_stored():
    assert clean_text("abc\u202edcba\u202c") == "abcdcba"
    assert clean_text("\u2066x\u2069") == "x"


def test_a_lone_surrogate_becomes_a_replacement_character():
    out = clean_text("a\ud800b")
    assert out == "a\ufffdb"
    out.encode("utf-8")


def test_a_long_paste_is_cut_without_splitting_a_letter_from_its_accent():
    text, cut = shorten("ab" + "e\u0301" * 10, 5)
    assert cut and text == "abe\u0301..."
    text, cut = shorten("x" * 3 + "👨\u200d👩\u200d👧", 5)
    assert cut and text == "xxx..."
    assert shorten("short", 5) == ("short", False)


def test_strip_escapes_leaves_plain_text_alone():
    assert strip_escapes("no escapes here [31m") == "no escapes here [31m"


# ----- the session -------------------------------------------------------------------


def _session() -> Session:
    s = Session.start(session_id="hardening", clock=lambda: T0, as_of=T0.date())
    s.opening()
    return s


def test_a_pasted_escape_never_reaches_the_transcript_or_answers():
    s = _session()
    s.send("1")
    s.send("skip")  # no name
    out = s.send("\x1b]0;pwned\x07I want to \x1b[31mcook\x1b[0m again\x00")
    assert out[0].role == "person" and out[0].text == "I want to cook again"
    saved = repr(s.state.model_dump(mode="json"))
    assert "\\x1b" not in saved and "pwned" not in saved and "\\x00" not in saved
    assert s.state.answers["what_matters_most"] == "I want to cook again"


def test_a_very_long_paste_is_cut_with_a_kind_message():
    s = _session()
    s.send("1")
    s.send("skip")  # no name
    out = s.send("I like to garden. " * 500)
    assert len(out[0].text) <= 2003
    assert any("very long" in m.text and "2,000" in m.text for m in out if m.role == "assistant")
    assert len(s.state.answers["what_matters_most"]) <= 2003


@pytest.mark.parametrize("empty", ["", "   ", "\x1b[0m", "\x00\x07", "\n\t"])
def test_an_empty_answer_is_asked_again_kindly_and_is_not_a_miss(empty):
    s = _session()
    out = s.send(empty)
    assert s.state.state == "who" and s.state.misses == 0 and s.state.answer_count == 0
    assert any("did not get an answer" in m.text for m in out)
    assert out[-1].kind == "question"


def test_unicode_answers_are_kept_as_typed():
    s = _session()
    s.send("1")
    s.send("skip")  # no name
    s.send("رؤية أحفادي 👨\u200d👩\u200d👧")
    assert s.state.answers["what_matters_most"] == "رؤية أحفادي 👨\u200d👩\u200d👧"


def test_assistant_words_from_the_policy_are_cleaned_too():
    s = _session()
    assert all("\x1b" not in m.text for m in s.state.transcript)
    assert s._msg("a\x1b[2Jb", T0).text == "ab"


# ----- free-text matching: word endings and negation ---------------------------------

NEED = [
    Option(1, "0", "No help", ("none", "i manage")),
    Option(2, "1", "A little help", ("a little", "sometimes")),
    Option(3, "3", "A lot of help every day", ("a lot", "every day", "daily")),
]


@pytest.mark.parametrize("word", ["washed", "washes", "washing", "wash"])
def test_simple_word_endings_match(word):
    assert stem(word) == stem("wash")


def test_inflections_pick_the_everyday_thing():
    things = [
        Option(1, "hygiene", "Keeping clean", ("wash", "bath")),
        Option(2, "nutrition", "Eating", ("cook", "eat")),
        Option(3, "clothing", "Getting dressed", ("dress",)),
    ]
    assert [o.value for o in match_many("I can't get washed, and cooked meals are hard", things)] == ["hygiene", "nutrition"]
    assert match_one("dressing myself", things).value == "clothing"
    assert match_one("she washes me", things).value == "hygiene"


def test_not_a_lot_is_never_read_as_a_lot():
    assert match_one("not a lot", NEED) is None
    assert match_one("I don't need help every day", NEED) is None
    assert match_one("a lot", NEED).value == "3"
    assert match_one("sometimes, not every day", NEED) is None  # unclear: ask again


def test_a_phrase_that_is_itself_a_negation_still_matches():
    yes_no = [Option(1, "yes", "Yes", ("yes",)), Option(2, "no", "No", ("no", "not really"))]
    assert match_one("no, not really", yes_no).value == "no"


def test_negated_choices_are_left_out_of_pick_several():
    ways = [
        Option(1, "without_help", "I cannot do it on my own", ("cant", "cannot")),
        Option(2, "none", "None of these, I can manage it", ("manage",), True),
    ]
    assert [o.value for o in match_many("I can't manage it", ways)] == ["without_help"]


def test_not_a_lot_in_the_session_asks_again():
    s = _session()
    for answer in ("1", "I want to keep cooking", "1"):
        s.send(answer)
    while s.state.state != "area_need":
        s.send("1")
    s.send("not a lot")
    assert s.state.state == "area_need" and s.state.misses == 1


# ----- data files --------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "council.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_escape_in_a_dialogue_file_is_refused_with_file_line_and_key(tmp_path):
    text = ASSESSMENT.read_text(encoding="utf-8").replace(
        'going_back: "OK, let us go back."', 'going_back: "\\e]0;pwned\\aOK, let us go back."'
    )
    path = _write(tmp_path, text)
    with pytest.raises(DataFileError) as err:
        load_dialogue(path)
    assert err.value.key == "texts.going_back" and err.value.line is not None
    assert str(path) in str(err.value) and "escape" in str(err.value)


def _run(*args: str, env: dict | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    environ = {**os.environ, "TERM": "dumb", **(env or {})}
    return subprocess.run([RAS_CHAT, *args], input=stdin, capture_output=True, text=True, timeout=120, env=environ)


COMMANDS = [
    ("--plain",),
    (),
    ("dialogue", "check"),
    ("dialogue", "text"),
    ("dialogue", "graph"),
    ("demo", "unsure-answers"),
    ("train", "unsure-answers"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) or "ras-chat" for a in COMMANDS])
def test_a_broken_dialogue_file_stops_every_command_with_one_clear_message_and_exit_2(tmp_path, args):
    text = ASSESSMENT.read_text(encoding="utf-8").replace('prompt: "Who is answering today?"', 'promt: "Who is answering today?"')
    path = _write(tmp_path, text)
    out = _run(*args, env={"RAS_CHAT_DIALOGUE": str(path), "RAS_CHAT_DATA_DIR": str(tmp_path / "data")})
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    assert f"{path}, line " in out.stderr and "states.who.promt" in out.stderr
    assert out.stderr.count("ras-chat:") == 1


@pytest.mark.parametrize("args", [("--plain",), ()], ids=["--plain", "ras-chat"])
def test_a_broken_policy_file_stops_the_conversation_with_file_line_and_key(tmp_path, args):
    text = (ROOT / "ras" / "policies" / "example.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace("\n  council: ", "\n  councl: ", 1))
    out = _run(*args, "--policy", str(path), env={"RAS_CHAT_DATA_DIR": str(tmp_path / "data")})
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{path}, line " in out.stderr and "policy.councl" in out.stderr


# ----- logs --------------------------------------------------------------------------


def test_logs_at_debug_hold_no_answers_or_names(caplog):
    secret = "Margaret Zebedee-Quill"
    with caplog.at_level(logging.DEBUG):
        s = _session()
        for answer in ("1", f"I am {secret} and I want to bake", "1", "I love my allotment"):
            s.send(answer)
        for _ in range(80):
            if s.finished:
                break
            s.send("1")
    logged = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    assert secret not in logged and "allotment" not in logged and "bake" not in logged

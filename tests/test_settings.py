"""One settings object, read at the command's start and given to the layers below.

The environment is read only by `ras_chat/settings.py` (the pydantic-settings declaration),
`ras_chat/environment.py` (the running command's settings, and the first screen's few read
without pydantic) and the command layer (`__main__`, `conversation`, `commands/`). The
engine, the dialogue, the store, the exports, the cache and the app never touch it."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from ras_chat import cache, environment
from ras_chat.settings import Settings, SettingsError, env_name, read

ROOT = Path(__file__).parents[1]

MAY_READ_THE_ENVIRONMENT = {
    "ras_chat/settings.py",  # the declaration
    "ras_chat/environment.py",  # the command's settings; the first screen's without pydantic
    "ras_chat/__main__.py",
    "ras_chat/conversation.py",
}
"""Besides every module under ras_chat/commands/ (the start of each command)."""


def environment_reads(path: Path) -> list[int]:
    """Lines of `path` that read or change the process environment: `os.environ`,
    `os.environb`, `os.getenv`, `os.putenv`, `os.unsetenv`, or any of them imported by name."""
    names = {"environ", "environb", "getenv", "putenv", "unsetenv"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in names and isinstance(node.value, ast.Name) and node.value.id == "os":
            found.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and any(a.name in names for a in node.names):
            found.append(node.lineno)
    return sorted(found)


def test_only_the_settings_and_the_commands_read_the_environment():
    readers = []
    for package in ("ras", "ras_chat"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in MAY_READ_THE_ENVIRONMENT or rel.startswith("ras_chat/commands/"):
                continue
            readers += [f"{rel}:{line}" for line in environment_reads(path)]
    assert readers == []


def test_the_scan_sees_every_way_of_reading_the_environment(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os\nfrom os import getenv\n"
        "a = os.environ.get('X')\nb = os.getenv('Y')\nc = os.environ['Z']\nd = 'os.environ'\n"
    )
    assert environment_reads(bad) == [2, 3, 4, 5]  # not the string on line 6


def test_the_first_screens_settings_are_the_same_variables_with_the_same_defaults():
    """`environment.Quick` (read without pydantic) and `Settings` must never disagree."""
    fields = Settings.model_fields
    for f in dataclasses.fields(environment.Quick):
        assert f.name in fields, f.name
        assert f.default == fields[f.name].default, f.name
    assert env_name("dialogue") == "RAS_CHAT_DIALOGUE" and env_name("term") == "TERM"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("RAS_CHAT_POLICY", "mine.yaml"), ("RAS_CHAT_DIALOGUE", "council.yaml"), ("RAS_CHAT_THEME", "high-contrast"),
     ("RAS_CHAT_CACHE_DIR", "/tmp/somewhere"), ("TERM", "dumb")],
)
def test_both_read_each_variable_alike(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    assert environment.read_quick() == environment.Quick.of(read())


def test_an_empty_variable_is_as_if_it_were_not_set(monkeypatch):
    monkeypatch.setenv("RAS_CHAT_POLICY", "")
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", "")
    assert read().policy == "example" and environment.read_quick().policy == "example"
    assert read().cache_dir is None and environment.read_quick().cache_dir is None


def test_a_command_reads_them_once_at_its_start(monkeypatch, tmp_path):
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(tmp_path / "first"))
    monkeypatch.setenv("RAS_CHAT_WORKER", "Sam")
    with environment.using(read()):
        monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(tmp_path / "later"))
        monkeypatch.setenv("RAS_CHAT_WORKER", "Someone else")
        assert cache.cache_dir() == tmp_path / "first"  # what the command started with
        assert environment.current().worker == "Sam"
        assert environment.current() is environment.current()  # one object, not read again
    assert cache.cache_dir() == tmp_path / "later"  # outside a command: the environment now
    assert environment.current().worker == "Someone else"


def test_a_conversation_reads_the_rest_once_when_first_asked(monkeypatch):
    monkeypatch.setenv("RAS_CHAT_WORKER", "Sam")
    with environment.using(environment.read_quick()):
        first = environment.current()
        monkeypatch.setenv("RAS_CHAT_WORKER", "Someone else")
        assert environment.current() is first and first.worker == "Sam"


def test_a_given_value_wins_over_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(tmp_path / "set"))
    assert cache.cache_dir(str(tmp_path / "given")) == tmp_path / "given"


def test_the_council_dialogue_setting_still_replaces_the_shipped_one(monkeypatch, tmp_path):
    from ras_chat.dialogue.loader import load_dialogue, resolve_dialogue

    mine = tmp_path / "council.yaml"
    mine.write_bytes(resolve_dialogue("assessment").read_bytes())
    assert load_dialogue().path != mine
    monkeypatch.setenv("RAS_CHAT_DIALOGUE", str(mine))
    assert load_dialogue().path == mine
    assert load_dialogue(council="").path != mine  # given: nothing, so the shipped one
    with environment.using(read()):
        monkeypatch.delenv("RAS_CHAT_DIALOGUE")
        assert load_dialogue().path == mine  # read at the start


def test_a_setting_that_cannot_be_read_is_one_line_naming_it(monkeypatch, capsys):
    monkeypatch.setenv("RAS_CHAT_SERVE_VISITORS", "many")
    with pytest.raises(SettingsError, match=r"^RAS_CHAT_SERVE_VISITORS: "):
        read()
    from ras_chat.__main__ import main

    assert main(["sessions"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ras-chat: RAS_CHAT_SERVE_VISITORS: ") and err.count("\n") == 1 and "Traceback" not in err


def test_the_web_secret_is_not_shown_when_the_settings_are_printed(monkeypatch):
    monkeypatch.setenv("RAS_CHAT_WEB_SECRET", "a-long-secret-nobody-should-see")
    settings = read()
    assert "a-long-secret" not in repr(settings) and "a-long-secret" not in str(settings)
    assert settings.web_secret is not None and settings.web_secret.get_secret_value() == "a-long-secret-nobody-should-see"

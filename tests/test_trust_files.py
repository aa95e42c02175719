"""Files we write (issues 19 and 20): `export --out` never follows a symlink, makes a 0600 file
and replaces one only with --force; `backup` and `export --out` refuse a missing folder alike;
`audit show` prints a table in words."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from store_helpers import seed_from_plan

from ras_chat.__main__ import main
from ras_chat.review import make_change, set_amount, sign_off
from ras_chat.store import open_store

FARZANA = Path(__file__).parent / "plans" / "farzana.plan"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.db"
    with open_store(path) as store:
        sid = seed_from_plan(store, FARZANA)
        make_change(store, sid, set_amount("480.00"), why="Night care", who="Jo")
        make_change(store, sid, sign_off(), why="Agreed with Farzana", who="Jo")
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_out_refuses_a_symlink_and_leaves_its_target_alone(db, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n")
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    for extra in ((), ("--force",)):
        code, out, err = run(capsys, "export", "last", "--db", db, "--out", str(link), *extra)
        assert code == 2 and "symbolic link" in err and err.count("\n") == 1
    assert victim.read_text() == "someone else's file\n"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    code, _, err = run(capsys, "export", "last", "--db", db, "--out", str(dangling))
    assert code == 2 and "symbolic link" in err
    assert not (tmp_path / "nowhere.json").exists()


def test_export_out_is_a_new_0600_file_and_an_existing_one_needs_force(db, tmp_path, capsys):
    old = os.umask(0o022)
    try:
        out = tmp_path / "e.json"
        code, _, _ = run(capsys, "export", "last", "--db", db, "--out", str(out))
        assert code == 0 and mode(out) == 0o600
        assert json.loads(out.read_text())["schema"] == "ras-handoff/4"
        existing = tmp_path / "old.md"
        existing.write_text("keep me\n")
        os.chmod(existing, 0o644)
        code, _, err = run(capsys, "export", "last", "--db", db, "--format", "md", "--out", str(existing))
        assert code == 2 and "already exists; add --force" in err
        assert existing.read_text() == "keep me\n"
        code, _, _ = run(capsys, "export", "last", "--db", db, "--format", "md", "--out", str(existing), "--force")
        assert code == 0 and existing.read_text() != "keep me\n"
        assert mode(existing) == 0o600  # replaced by a new private file, not rewritten in place at 0644
        assert not list(tmp_path.glob(".old.md.partial-*"))
    finally:
        os.umask(old)


def test_backup_and_export_out_treat_a_missing_folder_the_same_way(db, tmp_path, capsys):
    missing = tmp_path / "no" / "such"
    code_e, _, err_e = run(capsys, "export", "last", "--db", db, "--out", str(missing / "e.json"))
    code_b, _, err_b = run(capsys, "backup", str(missing / "b.db"), "--db", db)
    assert code_e == code_b == 2
    expected = f"ras-chat: {missing}: no such folder; make it first, or choose another place\n"
    assert err_e == err_b == expected
    assert not (tmp_path / "no").exists()  # never made


def test_a_backup_carries_its_head_and_verifies_on_its_own(db, tmp_path, capsys):
    copy = tmp_path / "copy.db"
    code, out, _ = run(capsys, "backup", str(copy), "--db", db)
    assert code == 0 and "Backed up 1 session and 2 audit entries" in out
    assert mode(copy) == 0o600 and mode(Path(f"{copy}.audit-head")) == 0o600
    code, out, _ = run(capsys, "audit", "verify", "--db", str(copy))
    assert code == 0 and "intact" in out


def test_audit_show_prints_a_table_in_words(db, capsys):
    code, out, _ = run(capsys, "audit", "show", "last", "--db", db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Changes to session ") and lines[0].endswith("(2 changes):")
    assert lines[1].split() == ["#", "WHEN", "(UTC)", "WHO", "CHANGE", "WHY"]
    assert "weekly amount: 195.00 -> 480.00" in lines[2] and "Night care" in lines[2] and "Jo" in lines[2]
    assert "signed off: status handed_off -> agreed at 480.00 a week" in lines[3]
    assert "{" not in out and "'kind'" not in out

"""The one direction of dependence: ui -> dialogue -> ras. Proved in a clean subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return set(out.stdout.split())


def test_the_engine_imports_neither_textual_transitions_nor_the_app():
    mods = imported_after("ras.engine, ras.cli, ras.policy, ras.eligibility")
    for forbidden in ("textual", "transitions", "ras_chat"):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in mods), forbidden


def test_import_linter_contracts_hold():
    """import-linter's contracts in pyproject.toml: ras never imports the app, textual or
    transitions; the dialogue, review and training never import the UI."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint), "--config", "pyproject.toml"], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).parents[1])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 3 kept, 0 broken" in out.stdout, out.stdout

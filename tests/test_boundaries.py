"""The one direction of dependence, proved two ways: import-linter's contracts (its
`layers` contract lists every part of ras_chat, top to bottom), and our own reading of
every import written inside a function, which must not reach a layer above its own."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return set(out.stdout.split())


def test_the_engine_imports_neither_textual_transitions_nor_the_app():
    mods = imported_after("ras.engine, ras.cli, ras.policy, ras.eligibility")
    for forbidden in ("textual", "transitions", "ras_chat"):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in mods), forbidden


def test_import_linter_contracts_hold():
    """import-linter's contracts in pyproject.toml: the layers of ras_chat; ras never imports
    the app, textual or transitions; the dialogue, review and training never import the UI."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint), "--config", "pyproject.toml"], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).parents[1])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 4 kept, 0 broken" in out.stdout, out.stdout


def _layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    out = []
    for layer in contract["layers"]:
        names = layer.replace(":", "|").split("|")
        out.append({"ras_chat." + n.strip().strip("()") for n in names})
    return out


def _layer_of(module: str, layers: list[set[str]]) -> int | None:
    """0 for the top layer; len(layers) for the engine (`ras`); None for a module outside them."""
    if module == "ras" or module.startswith("ras."):
        return len(layers)
    for i, names in enumerate(layers):
        if any(module == n or module.startswith(n + ".") for n in names):
            return i
    return None


def _imports_in_functions(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.append((node.lineno, node.module))
                elif isinstance(node, ast.Import):
                    found += [(node.lineno, a.name) for a in node.names]
    return found


def test_no_import_inside_a_function_reaches_a_layer_above_its_own():
    layers = _layers()
    assert len(layers) >= 7  # commands, front ends, app, exports, review/training, store, dialogue
    upward = []
    for path in sorted((ROOT / "ras_chat").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        here = _layer_of(module, layers)
        if here is None:
            continue
        for line, target in _imports_in_functions(path):
            there = _layer_of(target, layers)
            if there is not None and there < here:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert upward == []


def test_the_layer_reader_would_see_an_upward_import(tmp_path):
    """The check above can fail: a function in the store importing the UI is seen."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ras_chat.ui.app import run_app\n    return run_app\n")
    layers = _layers()
    [(line, target)] = _imports_in_functions(bad)
    assert (line, target) == (2, "ras_chat.ui.app")
    assert _layer_of(target, layers) < _layer_of("ras_chat.store.store", layers)

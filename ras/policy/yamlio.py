"""Strict YAML reading shared by policy and dialogue files.

- duplicate keys are an error (PyYAML silently keeps the last one);
- floats are read as `Decimal` from their written digits, so 4.60 stays exactly 4.60;
- the composed node tree is kept so an error can name the line of the key at fault;
- aliases (`*name`, and so `<<: *name` merges) are refused before anything is built: a
  few lines of anchors and aliases can stand for billions of values (an "alias bomb"), and
  data files have no need of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml


class DataFileError(Exception):
    """A data file (policy or dialogue) is wrong. The message names file, line and key."""

    def __init__(self, path: str | Path, message: str, line: int | None = None, key: str | None = None):
        self.path = str(path)
        self.line = line
        self.key = key
        self.detail = message
        where = self.path + (f", line {line}" if line else "")
        what = f" at {key}" if key else ""
        super().__init__(f"{where}{what}: {message}")


# libyaml's parser when PyYAML has it (its wheels do): about ten times faster, same marks.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:  # pragma: no cover - YAML complex keys
            raise yaml.constructor.ConstructorError(
                None, None, "a key that cannot be used as a name", key_node.start_mark
            ) from exc
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_decimal(loader: _StrictLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except ArithmeticError:  # .nan, .inf: YAML floats that are not amounts
        value = None
    if value is None or not value.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"not a number that can be used: {text!r}", node.start_mark)
    return value


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _refuse_aliases(root: yaml.Node | None) -> None:
    """Fail on the first node reached twice (an alias points at a node already in the tree).

    Walks each node once, so the check is linear in the file's size however the aliases nest."""
    if root is None:
        return
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, yaml.Mark]] = [(root, root.start_mark)]
    while stack:
        node, where = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias (*name) repeats a value written elsewhere; write the value out in full instead", where
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                stack.append((key_node, key_node.start_mark))
                stack.append((value_node, key_node.start_mark))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                stack.append((item, node.start_mark))


class YamlDoc:
    """The loaded data and its node tree, for finding the line of a key."""

    def __init__(self, path: Path, data: Any, node: yaml.Node | None):
        self.path = path
        self.data = data
        self.node = node

    def line_of(self, loc: Iterable[Any]) -> int | None:
        """The 1-based line of the deepest key of `loc` that exists in the file."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = None
                for key_node, value_node in node.value:
                    if str(key_node.value) == str(part):
                        found = (key_node, value_node)
                        break
                if found is None:
                    return line
                line = found[0].start_mark.line + 1
                node = found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def read_yaml(path: str | Path) -> YamlDoc:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot be read ({exc.__class__.__name__}: {exc})") from None
    loader = _StrictLoader(text)
    try:
        # parse once: keep the node tree (for line numbers) and build the data from it
        node = loader.get_single_node()
        _refuse_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "not valid YAML"
        raise DataFileError(path, problem, line=line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - other YAML errors carry no mark
        raise DataFileError(path, str(exc)) from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, node)


def loc_text(loc: Iterable[Any]) -> str:
    return ".".join(str(p) for p in loc)

"""Find, read and strictly check a policy file; give the tables in force on a date.

This is the only module of the engine that touches files.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ras.policy.model import (
    LAW_FIXED,
    BandsTable,
    CostedTable,
    GeneralTable,
    GridTable,
    Parameter,
    PointsTable,
    PolicyAt,
    PolicyFile,
    ValueSource,
    law_message,
)
from ras.policy.yamlio import DataFileError, YamlDoc, loc_text, read_yaml

_TABLES: dict[str, type[BaseModel]] = {
    "general": GeneralTable,
    "points": PointsTable,
    "bands": BandsTable,
    "grid": GridTable,
    "costed": CostedTable,
}


def builtin_policies() -> dict[str, Path]:
    """The policies that ship with ras, by name."""
    folder = resources.files("ras") / "policies"
    return {
        Path(str(entry)).stem: Path(str(entry))
        for entry in folder.iterdir()
        if str(entry).endswith((".yaml", ".yml"))
    }


def resolve_policy(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    shipped = builtin_policies()
    if text in shipped:
        return shipped[text]
    path = Path(text)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    raise DataFileError(
        text,
        f"no such policy: give a file path or one of: {', '.join(sorted(shipped))}",
    )


class Policy:
    """A loaded, checked policy file. `at(date)` gives the tables in force."""

    def __init__(self, doc: YamlDoc, file: PolicyFile):
        self.path = doc.path
        self.file = file
        self._doc = doc
        self.id = file.policy.id
        self.title = file.policy.title

    def dates(self) -> list[dt.date]:
        """Every date on which some value changes, earliest first."""
        found: set[dt.date] = set()
        for _section, _name, param in self._parameters():
            found.update(param.values)
        return sorted(found)

    def _parameters(self):
        params = self.file.parameters
        for section in _TABLES:
            group = getattr(params, section)
            for name in type(group).model_fields:
                yield section, name, getattr(group, name)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - a policy lives as long as the program
    def at(self, as_of: dt.date) -> PolicyAt:
        return self._build(as_of)

    def _error(self, loc: tuple, message: str) -> DataFileError:
        return DataFileError(self.path, message, line=self._doc.line_of(loc), key=loc_text(loc))

    def _build(self, as_of: dt.date) -> PolicyAt:
        tables: dict[str, Any] = {}
        sources: list[ValueSource] = []
        latest = dt.date.min
        for section, table_cls in _TABLES.items():
            raw: dict[str, Any] = {}
            dates: dict[str, dt.date] = {}
            params: Iterator[tuple[str, Parameter]] = iter(getattr(self.file.parameters, section))
            for name, param in params:
                found = param.in_force(as_of)
                loc: tuple[str | int | dt.date, ...] = ("parameters", section, name)
                if found is None:
                    first = min(param.values)
                    raise self._error(loc, f"no value in force on {as_of} (the first is from {first})")
                day, dated = found
                raw[name] = dated.value
                dates[name] = day
                latest = max(latest, day)
                sources.append(
                    ValueSource(
                        path=f"{section}.{name}",
                        label=param.label,
                        unit=param.unit,
                        effective_from=day,
                        value=dated.value,
                        references=tuple(self.file.references[r] for r in dated.references()),
                        status=dated.status,
                        basis=dated.basis,
                    )
                )
            try:
                tables[section] = table_cls.model_validate(raw)
            except ValidationError as exc:
                err = exc.errors()[0]
                bad = err["loc"][0] if err["loc"] else None
                if isinstance(bad, str) and bad in dates:
                    loc = ("parameters", section, bad, "values", dates[bad], "value", *err["loc"][1:])
                else:
                    loc = ("parameters", section)
                raise self._error(loc, _plain_pydantic(err)) from None
        return PolicyAt(
            id=self.file.policy.id,
            title=self.file.policy.title,
            council=self.file.policy.council,
            contact=self.file.policy.contact,
            as_of=as_of,
            effective_from=latest,
            areas={area: names for area, names in self.file.areas.items()},  # keyed by plain str in PolicyAt
            outcomes={outcome: info for outcome, info in self.file.outcomes.items()},
            scales=self.file.scales,
            client_groups={group: name for group, name in self.file.client_groups.items()},
            sources=tuple(sources),
            **tables,
        )

    def __repr__(self) -> str:
        return f"Policy({self.id!r}, {str(self.path)!r})"


def _bound_message(err: Mapping[str, Any]) -> str | None:
    """Plain words for a figure outside its bounds (a sign or a typing slip, like 1e30)."""
    ctx = err.get("ctx") or {}
    kind = err.get("type")
    got = err.get("input")
    if kind == "less_than_equal":
        return f"{got} is more than this figure can be (at most {ctx.get('le')}): a typing mistake?"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')}, not {got}"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more, not {got}"
    return None


def _plain_pydantic(err: Mapping[str, Any]) -> str:
    bound = _bound_message(err)
    if bound:
        return bound
    msg = err.get("msg", "not valid")
    if err.get("type") == "extra_forbidden":
        return "unknown key (misspelt, or in the wrong place?)"
    if err.get("type") == "missing":
        return "this key is required but missing"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg[0].lower() + msg[1:] if msg else "not valid"


def _check(doc: YamlDoc) -> PolicyFile:
    if not isinstance(doc.data, dict):
        raise DataFileError(doc.path, "a policy file must be a mapping of keys (policy, references, areas, ...)", line=1)
    try:
        file = PolicyFile.model_validate(doc.data)
    except ValidationError as exc:
        # a misplaced key explains a "missing" one better, so name it first
        err = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
        if err.get("type") == "extra_forbidden" and loc and str(loc[-1]) in LAW_FIXED:
            message = law_message(str(loc[-1]))
        elif err.get("type") == "extra_forbidden":
            message = "unknown key (misspelt, or in the wrong place?)"
        else:
            message = _plain_pydantic(err)
        raise DataFileError(doc.path, message, line=doc.line_of(loc), key=loc_text(loc) or None) from None
    # every value must name references that exist
    for section in _TABLES:
        for name, param in getattr(file.parameters, section):
            for day, dated in param.values.items():
                for ref in dated.references():
                    if ref not in file.references:
                        loc = ("parameters", section, name, "values", day, "reference")
                        raise DataFileError(
                            doc.path,
                            f"reference `{ref}` is not in the `references` list",
                            line=doc.line_of(loc),
                            key=loc_text(loc),
                        )
    return file


@functools.lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int) -> Policy:
    doc = read_yaml(path)
    policy = Policy(doc, _check(doc))
    # check the typed tables on every date a value changes, so a bad figure fails at load
    for day in policy.dates():
        if all(p.in_force(day) for _s, _n, p in policy._parameters()):
            policy.at(day)
    return policy


def load_policy(name_or_path: str | Path = "example") -> Policy:
    """Load a shipped policy by name or a council's file by path. Strict: raises DataFileError."""
    path = resolve_policy(name_or_path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise DataFileError(path, "file not found") from None
    return _load(str(path), mtime)

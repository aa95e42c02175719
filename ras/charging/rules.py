"""Charging rules as dated data: load strictly, give the figures in force on a date.

Same shape as the allocation policy (ras/policies/example.yaml): every parameter has a
label, a unit and values keyed by "effective from" date, each naming a reference. The
figures live in `ras/policies/charging/england.yaml`; a council may pass its own file.

A null value means "this figure was not found in a primary source": the estimate
reports it as missing and never invents one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ras.charging.rules_file import (
    MAX_ADAPTATION,
    MAX_CAPITAL,
    MAX_SMALL_FIGURE,
    MAX_WEEKLY_FIGURE,
    MAY_BE_MISSING,
    MIG_FIGURES,
    WEEKS_IN_A_YEAR,
    YEAR_STARTS,
    ChargingAt,
    ChargingFile,
    ChargingParameters,
    RulesMeta,
)
from ras.policy.model import Parameter, ValueSource
from ras.policy.yamlio import DataFileError, YamlDoc, loc_text, read_yaml

__all__ = [
    "MAX_ADAPTATION",
    "MAX_CAPITAL",
    "MAX_SMALL_FIGURE",
    "MAX_WEEKLY_FIGURE",
    "MAY_BE_MISSING",
    "MIG_FIGURES",
    "WEEKS_IN_A_YEAR",
    "YEAR_STARTS",
    "ChargingAt",
    "ChargingFile",
    "ChargingParameters",
    "ChargingRules",
    "RulesMeta",
    "charging_folder",
    "check_references",
    "check_report",
    "default_rules_path",
    "load_charging_rules",
    "validate_doc",
]


@functools.cache
def charging_folder() -> Path:
    """The folder of shipped charging data (rules, statement texts, questions). Found once
    a process: asking importlib.resources each time cost milliseconds a money question."""
    return Path(str(resources.files("ras") / "policies" / "charging"))


def default_rules_path() -> Path:
    return charging_folder() / "england.yaml"


class ChargingRules:
    """A loaded, checked rules file. `at(date)` gives the figures in force."""

    def __init__(self, doc: YamlDoc, file: ChargingFile):
        self.path = doc.path
        self.file = file
        self.id = file.rules.id
        self._doc = doc

    def _parameters(self) -> Iterator[tuple[str, Parameter]]:
        for name in ChargingParameters.model_fields:
            param = getattr(self.file.parameters, name)
            if param is not None:
                yield name, param

    def latest_year_start(self) -> dt.date | None:
        """The latest date on which a minimum income figure takes effect."""
        days = [d for n, p in self._parameters() if n in MIG_FIGURES or n == "mig" for d in p.values]
        return max(days) if days else None

    def years(self) -> list[str]:
        """The charging years with minimum income figures, e.g. ["2024-25", "2025-26", "2026-27"]."""
        days = sorted({d for n, p in self._parameters() if n in MIG_FIGURES or n == "mig" for d in p.values})
        return [y for y in dict.fromkeys(self.at(d).year for d in days) if y]

    def estimates(self) -> list[tuple[str, dt.date, str, str]]:
        """Every figure that is not confirmed: (name, from, status, basis)."""
        return [
            (n, day, v.status, v.basis or "")
            for n, p in self._parameters()
            for day, v in p.values.items()
            if v.status != "confirmed"
        ]

    def dates(self) -> list[dt.date]:
        found: set[dt.date] = set()
        for _name, param in self._parameters():
            found.update(param.values)
        return sorted(found)

    def _error(self, loc: tuple, message: str) -> DataFileError:
        return DataFileError(self.path, message, line=self._doc.line_of(loc), key=loc_text(loc))

    @functools.lru_cache(maxsize=64)  # noqa: B019 - rules live as long as the program
    def at(self, as_of: dt.date) -> ChargingAt:
        raw: dict[str, Any] = {}
        dates: dict[str, dt.date] = {}
        sources: list[ValueSource] = []
        for name, param in self._parameters():
            found = param.in_force(as_of)
            if found is None:
                if name in MAY_BE_MISSING:
                    raw[name] = None
                    continue
                raise self._error(
                    ("parameters", name),
                    f"no value in force on {as_of} (the first is from {min(param.values)})",
                )
            day, dated = found
            raw[name] = dated.value
            dates[name] = day
            sources.append(
                ValueSource(
                    path=name,
                    label=param.label,
                    unit=param.unit,
                    effective_from=day,
                    value=dated.value,
                    references=tuple(self.file.references[r] for r in dated.references()),
                    status=dated.status,
                    basis=dated.basis,
                )
            )
        meta = self.file.rules
        raw["latest_year_start"] = self.latest_year_start()
        try:
            return ChargingAt(
                id=meta.id, title=meta.title, council=meta.council, as_of=as_of, sources=tuple(sources), **raw
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            bad = err["loc"][0] if err["loc"] else None
            if isinstance(bad, str) and bad in dates:
                loc: tuple = ("parameters", bad, "values", dates[bad], "value", *err["loc"][1:])
            else:
                loc = ("parameters",)
            raise self._error(loc, _plain(err)) from None

    def __repr__(self) -> str:
        return f"ChargingRules({self.id!r}, {str(self.path)!r})"


def _plain(err: Mapping[str, Any]) -> str:
    from ras.policy.loader import _bound_message

    bound = _bound_message(err)
    if bound:
        return bound
    kind = err.get("type")
    if kind == "extra_forbidden":
        return "unknown key (misspelt, or in the wrong place?)"
    if kind == "missing":
        return "this key is required but missing"
    msg = err.get("msg", "not valid")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg[0].lower() + msg[1:] if msg else "not valid"


def validate_doc(doc: YamlDoc, model: type[BaseModel], what: str) -> Any:
    """Validate a YAML document against `model`; errors name file, line and key."""
    if not isinstance(doc.data, dict):
        raise DataFileError(doc.path, f"{what} must be a mapping of keys", line=1)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
        raise DataFileError(doc.path, _plain(err), line=doc.line_of(loc), key=loc_text(loc) or None) from None


def check_references(doc: YamlDoc, references: dict, params: dict[str, Parameter | None], prefix: tuple = ("parameters",)) -> None:
    for name, param in params.items():
        if param is None:
            continue
        for day, dated in param.values.items():
            for ref in dated.references():
                if ref not in references:
                    loc = (*prefix, name, "values", day, "reference")
                    raise DataFileError(
                        doc.path,
                        f"reference `{ref}` is not in the `references` list",
                        line=doc.line_of(loc),
                        key=loc_text(loc),
                    )


@functools.lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int) -> ChargingRules:
    doc = read_yaml(path)
    file: ChargingFile = validate_doc(doc, ChargingFile, "a charging rules file")
    check_references(doc, file.references, dict(file.parameters))
    rules = ChargingRules(doc, file)
    # check the typed figures on every date a value changes, so a bad figure fails at load
    for day in rules.dates():
        if all(p.in_force(day) or n in MAY_BE_MISSING for n, p in rules._parameters()):
            rules.at(day)
    return rules


def load_charging_rules(path: str | Path | None = None) -> ChargingRules:
    """Load the shipped England rules, or a council's file. Strict: raises DataFileError."""
    path = Path(path) if path is not None else default_rules_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise DataFileError(path, "file not found") from None
    return _load(str(path), mtime)


def check_report(rules: ChargingRules, today: dt.date) -> tuple[str, list[str]]:
    """For `ras policy check`: one OK line for the charging rules, and warnings: the figures
    are out of date on `today`, and how many figures are estimates or only reported.
    Raises DataFileError when a reference of the rules or of the statement words leads nowhere."""
    from ras.charging.statement import default_statement_path
    from ras.policy.references import check_file_references

    check_file_references(rules.path)
    check_file_references(default_statement_path())
    at = rules.at(today)
    years = rules.years()
    not_confirmed = rules.estimates()
    line = (
        f"{rules.path}: OK: charging rules {rules.id!r}, years {', '.join(years) or 'none'}; "
        f"{len(not_confirmed)} figures not confirmed (estimate or reported), each with its basis; "
        "every reference leads somewhere."
    )
    warnings: list[str] = []
    if at.out_of_date:
        warnings.append(
            f"{rules.path}: WARNING: on {today} the latest charging figures are for {at.year}; "
            f"new figures took effect on 6 April {today.year if (today.month, today.day) >= YEAR_STARTS else today.year - 1}. "
            "Every estimate now says the figures may be out of date. Add the new year's figures."
        )
    in_force = [s for s in at.sources if s.status != "confirmed"]
    if in_force:
        names = ", ".join(sorted({s.path for s in in_force}))
        warnings.append(f"{rules.path}: note: in force on {today}, not confirmed: {names} (see `basis` in the file).")
    return line, warnings

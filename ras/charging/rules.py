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
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ras.charging.models import AGE_GROUPS, HOUSEHOLDS, INCOME_KINDS, FreeService
from ras.policy.model import Parameter, Reference, ValueSource
from ras.policy.yamlio import DataFileError, YamlDoc, loc_text, read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def charging_folder() -> Path:
    """The folder of shipped charging data (rules, statement texts, questions)."""
    return Path(str(resources.files("ras") / "policies" / "charging"))


def default_rules_path() -> Path:
    return charging_folder() / "england.yaml"


# ----- the file ----------------------------------------------------------------------------


class RulesMeta(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    council: str


class ChargingParameters(_Strict):
    capital_upper_limit: Parameter
    capital_lower_limit: Parameter
    tariff_step: Parameter
    tariff_per_step: Parameter
    mig: Parameter
    disability_premium: Parameter
    enhanced_disability_premium: Parameter
    disregarded_income: Parameter
    disability_benefits: Parameter
    dre_default: Parameter
    reablement_free_weeks: Parameter
    minor_adaptations_free_limit: Parameter


MAY_BE_MISSING = frozenset({"mig", "disability_premium", "enhanced_disability_premium", "dre_default"})
"""Figures that may have no value in force on a date: reported as missing, never invented."""


class ChargingFile(_Strict):
    rules: RulesMeta
    references: dict[str, Reference] = Field(min_length=1)
    parameters: ChargingParameters


# ----- typed figures in force on one date --------------------------------------------------

MigByAge = dict[str, Decimal | None]


class ChargingAt(_Strict):
    """The charging figures in force on `as_of`. None: not in the data for that date."""

    id: str
    title: str
    council: str
    as_of: dt.date
    capital_upper_limit: Decimal = Field(gt=0)
    capital_lower_limit: Decimal = Field(ge=0)
    tariff_step: Decimal = Field(gt=0)
    tariff_per_step: Decimal = Field(ge=0)
    mig: dict[str, MigByAge] | None
    disability_premium: Decimal | None = Field(ge=0)
    enhanced_disability_premium: Decimal | None = Field(ge=0)
    disregarded_income: tuple[str, ...]
    disability_benefits: tuple[str, ...]
    dre_default: Decimal | None = Field(ge=0)
    reablement_free_weeks: int = Field(ge=0)
    minor_adaptations_free_limit: Decimal = Field(ge=0)
    sources: tuple[ValueSource, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> "ChargingAt":
        if self.capital_lower_limit > self.capital_upper_limit:
            raise ValueError("capital_lower_limit must not be above capital_upper_limit")
        for name in ("disregarded_income", "disability_benefits"):
            unknown = [k for k in getattr(self, name) if k not in INCOME_KINDS]
            if unknown:
                raise ValueError(f"{name} names unknown income kinds: {', '.join(unknown)}")
        if self.mig is not None:
            for key in self.mig:
                if key not in HOUSEHOLDS:
                    raise ValueError(f"mig has an unknown household `{key}` (use {', '.join(HOUSEHOLDS)})")
            for household in HOUSEHOLDS:
                if household not in self.mig:
                    raise ValueError(f"mig is missing household `{household}` (write null for a figure not found)")
                ages = self.mig[household]
                wrong = [a for a in ages if a not in AGE_GROUPS] + [a for a in AGE_GROUPS if a not in ages]
                if wrong:
                    raise ValueError(
                        f"mig.{household} must have exactly the age groups {', '.join(AGE_GROUPS)} "
                        f"(null for a figure not found)"
                    )
                for age, value in ages.items():
                    if value is not None and value < 0:
                        raise ValueError(f"mig.{household}.{age} must not be below 0")
        return self

    def mig_for(self, household: str, age_group: str) -> Decimal | None:
        if self.mig is None:
            return None
        return self.mig[household][age_group]

    def free_services(self) -> tuple[FreeService, ...]:
        return (
            FreeService(
                id="reablement",
                name="Reablement and intermediate care (short-term help to get back on your feet)",
                limit=f"free for up to {self.reablement_free_weeks} weeks",
            ),
            FreeService(
                id="equipment",
                name="Equipment, and small changes to your home (minor adaptations)",
                limit=f"free when each change costs £{self.minor_adaptations_free_limit:,.0f} or less",
            ),
        )


class ChargingRules:
    """A loaded, checked rules file. `at(date)` gives the figures in force."""

    def __init__(self, doc: YamlDoc, file: ChargingFile):
        self.path = doc.path
        self.file = file
        self.id = file.rules.id
        self._doc = doc

    def _parameters(self):
        for name in ChargingParameters.model_fields:
            yield name, getattr(self.file.parameters, name)

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
                )
            )
        meta = self.file.rules
        try:
            return ChargingAt(
                id=meta.id, title=meta.title, council=meta.council, as_of=as_of, sources=tuple(sources), **raw
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            name = err["loc"][0] if err["loc"] else None
            if name in dates:
                loc: tuple = ("parameters", name, "values", dates[name], "value", *err["loc"][1:])
            else:
                loc = ("parameters",)
            raise self._error(loc, _plain(err)) from None

    def __repr__(self) -> str:
        return f"ChargingRules({self.id!r}, {str(self.path)!r})"


def _plain(err: dict) -> str:
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


def check_references(doc: YamlDoc, references: dict, params: dict[str, Parameter], prefix: tuple = ("parameters",)) -> None:
    for name, param in params.items():
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

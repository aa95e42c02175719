"""The personal budget statement (Care Act 2014 s.26): the total, the person's part,
the council's part, and plain words on spending, other funding, direct payments,
top-ups and how to ask for a review. Pure: the words are data (`statement.yaml`).
"""

from __future__ import annotations

import functools
import string
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ras.charging.calc import estimate_charge
from ras.charging.models import ChargeResult, FinanceRecord, FreeService
from ras.charging.rules import ChargingAt, charging_folder, validate_doc
from ras.messages import say
from ras.models import Allocation
from ras.money import ZERO, pence, pounds
from ras.policy.model import Reference
from ras.policy.yamlio import DataFileError, loc_text, read_yaml

SECTION_IDS: tuple[str, ...] = ("spend", "other_funding", "direct_payments", "top_ups", "review")
PLACEHOLDERS = frozenset({"weekly", "yearly", "year"})


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StatementMeta(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    council: str


class Texts(_Strict):
    title: str
    total: str
    no_budget: str
    person_part: str
    council_part: str
    full_cost: str
    not_worked_out: str
    estimate: str
    can_change: str
    free_heading: str
    no_direct_payment: str = Field(default_factory=lambda: say("statement.no_direct_payment"))
    """Said instead of the direct payment lines when the council's part is £0 (s.31 needs one)."""
    figures_year: str = Field(default_factory=lambda: say("statement.figures_year", year="{year}"))
    """Which charging year the person's part was worked out with."""
    figures_may_be_old: str = Field(default_factory=lambda: say("statement.figures_may_be_old"))
    """Said when the date is on or after 6 April following the latest figures."""


class FundingItem(_Strict):
    id: str
    name: str
    text: str
    limit: str
    reference: str | tuple[str, ...]


class Section(_Strict):
    id: Literal["spend", "other_funding", "direct_payments", "top_ups", "review"]
    heading: str
    lines: tuple[str, ...] = Field(min_length=1)
    items: tuple[FundingItem, ...] = ()
    reference: str | tuple[str, ...]


class StatementTexts(_Strict):
    """`statement.yaml`: the council-replaceable words of the budget statement."""

    statement: StatementMeta
    references: dict[str, Reference] = Field(min_length=1)
    texts: Texts
    sections: tuple[Section, ...]

    @model_validator(mode="after")
    def _complete(self) -> StatementTexts:
        ids = [s.id for s in self.sections]
        missing = [i for i in SECTION_IDS if i not in ids]
        if missing:
            raise ValueError(f"sections is missing: {', '.join(missing)}")
        if len(set(ids)) != len(ids):
            raise ValueError("a section id is listed more than once")
        for name, text in self.texts:
            for _lit, field, _spec, _conv in string.Formatter().parse(text):
                if field is not None and (field not in PLACEHOLDERS or (field == "year") != (name == "figures_year")):
                    raise ValueError(
                        f"texts.{name} uses {{{field}}}: only {{weekly}} and {{yearly}} can be filled in"
                        " ({year} in figures_year alone)"
                    )
        return self


def default_statement_path() -> Path:
    return charging_folder() / "statement.yaml"


@functools.lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int) -> StatementTexts:
    doc = read_yaml(path)
    texts: StatementTexts = validate_doc(doc, StatementTexts, "a statement file")
    for n, section in enumerate(texts.sections):
        named: list[tuple[tuple[str | int, ...], str | tuple[str, ...]]] = [(("sections", n, "reference"), section.reference)]
        named += [(("sections", n, "items", m, "reference"), item.reference) for m, item in enumerate(section.items)]
        for loc, refs in named:
            for ref in (refs,) if isinstance(refs, str) else refs:
                if ref not in texts.references:
                    raise DataFileError(doc.path, f"reference `{ref}` is not in the `references` list",
                                        line=doc.line_of(loc), key=loc_text(loc))
    return texts


def load_statement_texts(path: str | Path | None = None) -> StatementTexts:
    """The shipped words, or a council's file. Strict: raises DataFileError."""
    path = Path(path) if path is not None else default_statement_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise DataFileError(path, "file not found") from None
    return _load(str(path), mtime)


# ----- the statement ---------------------------------------------------------------------


class StatementSection(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    heading: str
    lines: tuple[str, ...]
    items: tuple[FundingItem, ...] = ()
    references: tuple[Reference, ...] = ()


class BudgetStatement(BaseModel):
    """`ras-budget-statement/1`: what a person gets to read about their personal budget."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    schema_: Literal["ras-budget-statement/1"] = Field("ras-budget-statement/1", alias="schema")
    title: str
    weekly_total: Decimal
    yearly_total: Decimal
    parts_known: bool
    """True when the person's and the council's parts are worked out (from a charge estimate)."""
    person_weekly: Decimal | None
    person_yearly: Decimal | None
    council_weekly: Decimal | None
    council_yearly: Decimal | None
    full_cost: bool
    summary: tuple[str, ...]
    """The money lines in plain words, in order."""
    free_heading: str
    free_services: tuple[FreeService, ...]
    sections: tuple[StatementSection, ...]

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

    def text(self) -> str:
        """The whole statement as plain text, for print or a screen reader."""
        out = [self.title, "", *self.summary]
        if self.free_services:
            out += ["", self.free_heading]
            out += [f"- {f.name}: {f.limit}." for f in self.free_services]
        for section in self.sections:
            out += ["", section.heading, *section.lines]
            out += [f"- {i.name}: {i.text} {i.limit}" for i in section.items]
        return "\n".join(out)


def budget_statement(
    allocation: Allocation,
    charge: ChargeResult | None,
    texts: StatementTexts,
    *,
    rules: ChargingAt | None = None,
) -> BudgetStatement:
    """The s.26 statement for `allocation`, with the parts from `charge` when known.

    The person's part is never more than the weekly total. Free services come from the
    charge estimate, or from `rules` when there is no estimate yet.
    """
    t = texts.texts
    weekly = pence(allocation.weekly)
    yearly = pence(allocation.annual)
    weeks = (yearly / weekly) if weekly else ZERO
    summary: list[str] = []
    if weekly > 0:
        summary.append(t.total.format(weekly=pounds(weekly), yearly=pounds(yearly)))
        summary.append(t.can_change)
    else:
        summary.append(t.no_budget)

    person_w = person_y = council_w = council_y = None
    full_cost = False
    paid = charge.person_pays if charge is not None else None
    known = paid is not None
    if charge is not None and paid is not None:
        person_w = min(pence(paid), weekly)
        council_w = weekly - person_w
        person_y = pence(person_w * weeks)
        council_y = yearly - person_y
        full_cost = charge.full_cost
        if full_cost:
            summary.append(t.full_cost)
        summary.append(t.person_part.format(weekly=pounds(person_w), yearly=pounds(person_y)))
        summary.append(t.council_part.format(weekly=pounds(council_w), yearly=pounds(council_y)))
        summary.append(t.estimate)
        if charge.year:
            summary.append(t.figures_year.format(year=charge.year))
        if charge.out_of_date:
            summary.append(t.figures_may_be_old)
    elif weekly > 0:
        summary.append(t.not_worked_out)

    free = charge.free_services if charge is not None else (rules.free_services() if rules is not None else ())
    # Care Act s.31: a direct payment is the council's part paid to the person; none when that is £0
    no_council_money = weekly <= 0 or (known and council_w is not None and council_w <= 0)
    sections = tuple(
        StatementSection(
            id=s.id,
            heading=s.heading,
            lines=(t.no_direct_payment,) if (s.id == "direct_payments" and no_council_money) else s.lines,
            items=s.items,
            references=tuple(texts.references[r] for r in ((s.reference,) if isinstance(s.reference, str) else s.reference)),
        )
        for s in sorted(texts.sections, key=lambda s: SECTION_IDS.index(s.id))
    )
    return BudgetStatement(
        schema="ras-budget-statement/1",
        title=t.title,
        weekly_total=weekly,
        yearly_total=yearly,
        parts_known=known,
        person_weekly=person_w,
        person_yearly=person_y,
        council_weekly=council_w,
        council_yearly=council_y,
        full_cost=full_cost,
        summary=tuple(summary),
        free_heading=t.free_heading,
        free_services=free,
        sections=sections,
    )


def standing_statement(
    allocation: Allocation,
    texts: StatementTexts,
    *,
    rules: ChargingAt,
    weekly: Decimal | None = None,
    weeks_per_year: Decimal | None = None,
    finance: FinanceRecord | None = None,
    charge: ChargeResult | None = None,
) -> BudgetStatement:
    """The statement for the amount that stands: "who pays what" in one place.

    `allocation` is the result that stands (a worker's recalculated one, else the first);
    `weekly` an amount a worker set instead, with its year at `weeks_per_year`. The
    person's part is the stored `charge` when it was worked out on this weekly amount,
    else estimated again from `finance` (same rules) on this amount when it was not, since a charge is
    capped at the care cost (Care Act 2014 s.14(4)) and so depends on it.
    """
    if weekly is not None and pence(weekly) != pence(allocation.weekly):
        if weeks_per_year is None:
            raise ValueError("an amount set instead of the result needs the policy's weeks a year")
        amount = pence(weekly)
        allocation = allocation.model_copy(update={"weekly": amount, "annual": pence(amount * weeks_per_year)})
    if charge is not None and finance is not None and pence(finance.care_cost) != pence(allocation.weekly):
        charge = estimate_charge(finance.model_copy(update={"care_cost": pence(allocation.weekly)}), rules)
    return budget_statement(allocation, charge, texts, rules=rules)

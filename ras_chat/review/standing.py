"""The amount that stands for a session, and its budget statement: one place for "who pays what".

The amount that stands is the worker's agreed amount when it differs from the first
result (a recalculation after changes, or an amount set instead), else the first result.
Its personal budget statement (Care Act s.26) comes from the engine's
`ras.charging.standing_statement`, with the session's stored finance record and charge
estimate; everything that shows an amount (the hand-off, its Markdown, HTML and FHIR
forms, the review, a resumed conversation) formats what this gives and works out nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pydantic import ValidationError

from ras.charging import (
    BudgetStatement,
    ChargeResult,
    FinanceRecord,
    load_charging_rules,
    load_statement_texts,
    standing_statement,
)
from ras.models import Allocation
from ras.policy import DataFileError, load_policy
from ras_chat.review.changes import ReviewError
from ras_chat.review.reviewed import Reviewed, reviewed


@dataclass(frozen=True)
class Standing:
    """The amount that stands and where it comes from."""

    weekly: Decimal
    annual: Decimal | None
    """None when an amount set instead has no statement (its policy could not be read)."""
    first_weekly: Decimal
    """The engine's first figure, from the conversation."""
    agreed: bool
    """A worker signed the session off (at `weekly`)."""
    changed: bool
    """`weekly` differs from the first figure."""
    eligible: bool
    statement: BudgetStatement | None
    """Null when not eligible or the charging files cannot be read."""


def standing_allocation(first: Allocation, review: Reviewed | None) -> tuple[Allocation, Decimal | None]:
    """The allocation that stands (the recalculated one when the agreed amount differs from
    the first) and an amount a worker set instead of it (None when there is none)."""
    if review is None or not review.amount_changed or review.agreed_weekly is None:
        return first, None
    base = review.adjusted_result or first
    return base, (review.agreed_weekly if review.agreed_weekly != base.weekly else None)


def standing_statement_for(snap: dict, first: Allocation, review: Reviewed | None) -> BudgetStatement | None:
    """The s.26 statement for the amount that stands, or None (not eligible, or the policy
    or charging files cannot be read)."""
    alloc, weekly = standing_allocation(first, review)
    if not alloc.eligible:
        return None
    try:
        as_of = dt.date.fromisoformat(str(snap.get("as_of") or alloc.as_of)[:10])
        weeks = None
        if weekly is not None:  # an amount set outside the tables: a year at the policy's weeks
            weeks = load_policy(alloc.policy).at(dt.date.fromisoformat(alloc.as_of[:10])).general.weeks_per_year
        charge = ChargeResult.model_validate(snap["charge"]) if snap.get("charge") else None
        finance = FinanceRecord.model_validate(snap["finance"]) if snap.get("finance") else None
        return standing_statement(
            alloc, load_statement_texts(), rules=load_charging_rules().at(as_of),
            weekly=weekly, weeks_per_year=weeks, finance=finance, charge=charge,
        )
    except (DataFileError, ValidationError, ValueError, OSError):
        return None


def standing_of(details: dict, review: Reviewed | None = None) -> Standing | None:
    """The amount that stands for one session from `Store.details(id)`, or None before
    there is a result. `review`: the session's review when the caller has it already."""
    data = details.get("result")
    if not data:
        return None
    first = Allocation.model_validate(data)
    if review is None and details.get("record"):
        try:
            review = reviewed(details)
        except (ReviewError, DataFileError, ValidationError, ValueError, OSError):
            review = None
    statement = standing_statement_for(details["snapshot"], first, review)
    alloc, weekly = standing_allocation(first, review)
    amount = weekly if weekly is not None else alloc.weekly
    annual = statement.yearly_total if statement is not None else (alloc.annual if weekly is None else None)
    return Standing(
        weekly=amount,
        annual=annual,
        first_weekly=first.weekly,
        agreed=review is not None and review.signed_off is not None,
        changed=amount != first.weekly,
        eligible=alloc.eligible,
        statement=statement,
    )


__all__ = ["Standing", "standing_allocation", "standing_of", "standing_statement_for"]

"""Money: `Decimal`, rounded to pence half-up at the step where a figure is named."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def pence(value: Decimal) -> Decimal:
    """Round to pence, half up (2.345 -> 2.35)."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def pounds(value: Decimal) -> str:
    """£1,234.50 for people to read; a negative amount as -£85.81 (the sign before the
    pound sign, as people write it), and never "-£0.00"."""
    amount = pence(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def number(value: Decimal) -> str:
    """A figure without trailing zeros: 3.50 -> 3.5, 14 -> 14."""
    text = f"{value.normalize():f}"
    return text


def times(value: Decimal) -> str:
    """How many times a figure is counted, in words: once, twice, 3 times."""
    if value == 1:
        return "counted once"
    if value == 2:
        return "counted twice"
    return f"counted {number(value)} times"

"""Amounts of money as people say them: "8 grand", "about £20k", "1.2k", "forty quid a
week", "£300 a month", "two hundred and fifty", "nothing".

`read_amount(text)` gives the amount, the period the person named (if any), the weekly
figure when a period was named, and plain words to say back before the amount is used
("£300 a month is about £69.23 a week: £300 x 12 / 52"). It returns None when there is
no amount, or two different amounts ("between 100 and 200"): the question is asked again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Period = Literal["day", "week", "fortnight", "month", "year"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000, "k": 1000, "million": 1_000_000, "mill": 1_000_000, "m": 1_000_000}
_MONEY_WORDS = ("£", "pound", "pounds", "quid", "grand", "k", "gbp", "p", "pence", "thousand", "hundred", "million")
_PERIOD_WORDS: dict[Period, tuple[str, ...]] = {
    "day": ("a day", "per day", "each day", "every day", "daily", "a night"),
    "week": ("a week", "per week", "each week", "every week", "weekly", "pw", "p w", "a wk", "per wk", "wk"),
    "fortnight": ("a fortnight", "per fortnight", "every fortnight", "each fortnight", "fortnightly", "every two weeks", "every 2 weeks"),
    "month": ("a month", "per month", "each month", "every month", "monthly", "pcm", "a calendar month", "pm", "per calendar month", "a mth"),
    "year": ("a year", "per year", "each year", "every year", "yearly", "annually", "per annum", "pa", "annual", "a yr"),
}
_PER_WEEK = {"day": (Decimal(7), Decimal(1)), "week": (Decimal(1), Decimal(1)), "fortnight": (Decimal(1), Decimal(2)), "month": (Decimal(12), Decimal(52)), "year": (Decimal(1), Decimal(52))}
_ARITHMETIC = {"day": "x 7", "week": "", "fortnight": "/ 2", "month": "x 12 / 52", "year": "/ 52"}
_NOTHING = re.compile(
    r"^(?:i have |i got |ive got |there is |theres |its |it is |just )?(?:nothing|none|zero|nil|nowt|zilch|no money|no savings|"
    r"not a penny|not a bean|not any|none at all|nothing at all|nothing really|0)(?: at all| really| to speak of)?$"
)
_NUM = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")


MAX_AMOUNT = Decimal("1000000000")
"""Above a billion pounds a number is not read as an amount (and Decimal stays exact)."""


@dataclass(frozen=True)
class AmountReading:
    amount: Decimal
    """The amount as said, in pounds (two decimal places)."""
    period: Period | None
    """The period the person named, or None (then the question's own period applies)."""
    weekly: Decimal | None
    """The amount a week, when a period was named; None when none was."""
    said: str
    """Plain words to say back: "£8,000", "£300 a month"."""
    arithmetic: str | None = None
    """How the weekly figure was worked out, in plain words, when a period was named
    that is not a week: "£300 a month is £69.23 a week (£300 x 12 / 52)"."""
    about: bool = False
    """True when the person said "about", "around", "roughly" (the worker sees it)."""


def _pounds(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"£{int(value):,}"
    return f"£{value:,.2f}"


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("\u00a3", " £ ").replace("$", " ").replace("\u20ac", " ")
    t = re.sub(r"(\d),(\d{3})(?!\d)", r"\1\2", t)  # 8,000 -> 8000 (and 1,250,000)
    t = re.sub(r"(\d),(\d{3})(?!\d)", r"\1\2", t)
    t = re.sub(r"(\d)\s*(k|grand|m)\b", r"\1 \2", t)  # 20k -> 20 k
    t = re.sub(r"[^a-z0-9.£]+", " ", t)
    t = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", t)
    return " ".join(t.split())


def _words_number(tokens: list[str]) -> tuple[Decimal, int] | None:
    """A number written in words at the start of `tokens` ("two hundred and fifty",
    "a thousand", "forty"), with how many tokens it used."""
    total = Decimal(0)
    current = Decimal(0)
    used = 0
    seen = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _UNITS:
            current += _UNITS[tok]
            seen = True
        elif tok in ("hundred",) and (seen or current == 0):
            current = (current or Decimal(1)) * 100
            seen = True
        elif tok in ("thousand", "grand", "k", "million", "mill") and (seen or i > 0):
            current = (current or Decimal(1)) * _SCALES[tok]
            total += current
            current = Decimal(0)
            seen = True
        elif tok == "a" and i + 1 < len(tokens) and tokens[i + 1] in ("hundred", "thousand", "grand", "million", "couple"):
            if tokens[i + 1] == "couple":
                break
            current = Decimal(1)
            seen = True
        elif tok == "and" and seen and i + 1 < len(tokens) and tokens[i + 1] in _UNITS:
            pass
        else:
            break
        i += 1
        used = i
    if not seen:
        return None
    return total + current, used


def _amounts(tokens: list[str]) -> list[tuple[Decimal, bool, int, int]]:
    """Every amount in the tokens: (value, named as money, start, end)."""
    out: list[tuple[Decimal, bool, int, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        m = re.fullmatch(r"\d+(?:\.\d+)?", tok)
        start = i
        if m:
            value = Decimal(tok)
            j = i + 1
            money = i > 0 and tokens[i - 1] == "£"
            if j < len(tokens) and tokens[j] in ("k", "grand", "thousand", "million", "mill", "m", "hundred"):
                value *= _SCALES[tokens[j]]
                money = True
                j += 1
                if j < len(tokens) and tokens[j] in ("thousand",) and value < 1000:
                    value *= 1000
                    j += 1
            if j < len(tokens) and tokens[j] in ("pounds", "pound", "quid", "gbp", "£"):
                money = True
                j += 1
            elif j < len(tokens) and tokens[j] in ("p", "pence") and not money:
                value = value / 100
                money = True
                j += 1
            out.append((value, money, start, j))
            i = j
            continue
        if tok in _UNITS or (tok == "a" and i + 1 < len(tokens) and tokens[i + 1] in ("hundred", "thousand", "grand", "million")):
            got = _words_number(tokens[i:])
            if got is not None:
                value, used = got
                j = i + used
                money = (i > 0 and tokens[i - 1] == "£") or any(t in ("grand", "thousand", "hundred", "million") for t in tokens[i:j])
                if j < len(tokens) and tokens[j] in ("pounds", "pound", "quid", "gbp"):
                    money = True
                    j += 1
                out.append((value, money, start, j))
                i = j
                continue
        i += 1
    return out


def _period(norm: str) -> Period | None:
    padded = f" {norm} "
    found = [p for p, words in _PERIOD_WORDS.items() if any(f" {w} " in padded for w in words)]
    if len(found) == 1:
        return found[0]
    if "week" in found and "every day" in padded and len(found) == 2:
        return "week"
    return None


def read_amount(text: str) -> AmountReading | None:
    """The amount of money in what a person typed, or None when there is none or more
    than one. "nothing", "none", "no savings" -> £0."""
    if not isinstance(text, str):
        return None
    clean = _clean(text)
    norm = clean.replace("£", " ").strip()
    norm = " ".join(norm.split())
    about = bool(re.search(r"\b(about|around|roughly|approx|approximately|nearly|almost|just over|just under|under|over|maybe|probably|ish)\b", norm))
    bare = re.sub(r"\b(about|around|roughly|approx|approximately|maybe|probably|ish|um|er|erm|well|oh)\b", " ", norm)
    bare = " ".join(bare.split())
    if _NOTHING.match(bare) or bare in ("nothing", "no", "none", "zero"):
        return AmountReading(Decimal("0.00"), None, None, "£0", None, about)
    tokens = clean.split()
    found = _amounts(tokens)
    if not found:
        return None
    money = [f for f in found if f[1]]
    pick = money if money else found
    values = {f[0] for f in pick}
    if len(values) != 1:
        return None  # "between 100 and 200", or two different sums: ask again
    amount = next(iter(values))
    if amount > MAX_AMOUNT:
        return None  # not an amount a person has (a pasted number): ask again
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    period = _period(norm)
    said = _pounds(amount)
    weekly: Decimal | None = None
    arithmetic = None
    if period is not None:
        times, per = _PER_WEEK[period]
        weekly = (amount * times / per).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        said = f"{said} a {period}"
        if period != "week":
            arithmetic = f"{said} is {_pounds(weekly)} a week ({_pounds(amount)} {_ARITHMETIC[period]})"
    return AmountReading(amount, period, weekly, said, arithmetic, about)

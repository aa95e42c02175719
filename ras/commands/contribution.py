"""`ras contribution`: an estimate of what a person pays a week towards care at home.

    ras contribution FINANCE.json [--as-of DATE] [--json]
    ras contribution --capital 15750 --income 250 --age-group 25-pension --care-cost 300
    ras contribution --capital 0 --income esa=120 --benefit pip_daily_living_enhanced \
        --income pip_daily_living=110.40 --children 2 --housing rent=80 --care-cost 300

Options given with a file replace the file's fields. The figures are those of the
charging year in force on the date (6 April to 5 April), and the output says which year
and which figures are estimates. Bad input: one line, exit 2.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

from pydantic import ValidationError

from ras.charging import FinanceRecord, estimate_charge, load_charging_rules
from ras.charging.models import DISABILITY_BENEFITS, HOUSING_KINDS, INCOME_KINDS, MAX_CHILDREN
from ras.charging.questions import parse_money
from ras.cli import BadInput, json_default, parse_date, read_text, validation_message
from ras.money import pounds


def _money(option: str, text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_money(text)
    except ValueError as exc:
        raise BadInput(f"{option}: {exc}") from None


def _income(text: str) -> dict:
    """`250` (other income) or `KIND=250`."""
    kind, _, amount = text.rpartition("=")
    kind = kind or "other"
    if kind not in INCOME_KINDS:
        raise BadInput(f"--income: unknown income kind {kind!r} (use one of {', '.join(INCOME_KINDS)})")
    return {"kind": kind, "weekly": _money("--income", amount)}


def _housing(text: str) -> dict:
    """`80` (rent and council tax) or `KIND=80`."""
    kind, _, amount = text.rpartition("=")
    kind = kind or "rent_and_council_tax"
    if kind not in HOUSING_KINDS:
        raise BadInput(f"--housing: unknown housing cost {kind!r} (use one of {', '.join(HOUSING_KINDS)})")
    return {"kind": kind, "weekly": _money("--housing", amount)}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "contribution",
        help="estimate what a person pays a week towards care at home (a money check decides)",
        description="An estimate of the weekly charge for care at home under the Care Act charging rules. "
        "Not a decision: a financial assessment by the council decides.",
    )
    p.add_argument("record", nargs="?", help="a ras-finance/1 record (JSON); - for standard input")
    p.add_argument("--capital", help="savings that count, in pounds")
    p.add_argument("--income", action="append", metavar="[KIND=]AMOUNT",
                   help="weekly income; repeat for each item; KIND e.g. earnings, pip_mobility, state_pension (default other)")
    p.add_argument("--age-group", choices=["under-25", "25-pension", "pension"])
    p.add_argument("--household", choices=["single", "couple"])
    p.add_argument("--partner-pension-age", action="store_true", default=None,
                   help="a couple where the partner is over pension age (reg. 7(4)(b))")
    p.add_argument("--children", type=int, default=None, metavar="N",
                   help="children the person looks after and lives with (reg. 7(1)(b))")
    p.add_argument("--benefit", choices=DISABILITY_BENEFITS, default=None,
                   help="the disability benefit for daily living and its rate: the premiums follow from it")
    p.add_argument("--disability-premium", action="store_true", default=None,
                   help="the person is known to get the disability premium some other way")
    p.add_argument("--enhanced-disability-premium", action="store_true", default=None)
    p.add_argument("--care-cost", help="what the care costs a week")
    p.add_argument("--council-cost", help="what meeting the needs costs the council a week, if less (Care Act s.14(4))")
    p.add_argument("--housing", action="append", metavar="[KIND=]AMOUNT",
                   help="weekly housing cost the person pays; repeat for each; KIND e.g. rent, council_tax, "
                   "mortgage_interest, service_charges, ground_rent (default rent_and_council_tax)")
    p.add_argument("--dre", help="weekly disability-related spending (left out: the rules' default)")
    p.add_argument("--rules", default=None, help="a charging rules file (default: the shipped England rules)")
    p.add_argument("--as-of", type=parse_date, default=None, help="use the figures in force on this date (default: today)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_contribution)


def _record(args: argparse.Namespace) -> FinanceRecord:
    data: dict = {"schema": "ras-finance/1"}
    if args.record:
        try:
            loaded = json.loads(read_text(args.record), parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{args.record}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if not isinstance(loaded, dict):
            raise BadInput(f"{args.record}: a ras-finance/1 record must be a JSON object")
        data = loaded
    for field, value in (
        ("capital", _money("--capital", args.capital)),
        ("age_group", args.age_group),
        ("household", args.household),
        ("disability_premium", args.disability_premium),
        ("enhanced_disability_premium", args.enhanced_disability_premium),
        ("care_cost", _money("--care-cost", args.care_cost)),
        ("council_cost", _money("--council-cost", args.council_cost)),
        ("partner_pension_age", args.partner_pension_age),
        ("benefit", args.benefit),
    ):
        if value is not None:
            data[field] = value
    if args.children is not None:
        if not 0 <= args.children <= MAX_CHILDREN:
            raise BadInput(f"--children: give a number from 0 to {MAX_CHILDREN}")
        data["children"] = args.children
    if args.income:
        data["income"] = [_income(text) for text in args.income]
    if args.housing:
        data["housing"] = [_housing(text) for text in args.housing]
    if args.dre is not None:
        data["dre"] = [{"what": "disability-related spending", "weekly": _money("--dre", args.dre)}]
    try:
        return FinanceRecord.model_validate(data)
    except ValidationError as exc:
        raise BadInput(validation_message(exc)) from None


def cmd_contribution(args: argparse.Namespace) -> int:
    import datetime as dt

    record = _record(args)
    rules = load_charging_rules(args.rules)
    # the engine never reads the clock; the command line may, as the user's default
    as_of = args.as_of or dt.date.today()
    result = estimate_charge(record, rules.at(as_of))
    if args.json:
        print(json.dumps(result.dump(), indent=2, default=json_default))
        return 0
    year = f"the {result.year} figures, " if result.year else ""
    print(f"What you might pay towards your care ({year}in force on {as_of})\n")
    for n, s in enumerate(result.steps, 1):
        print(f"{n}. {s.text}")
    for note in result.missing:
        print(f"\nMissing: {note}")
    for note in result.notes:
        print(f"\nNote: {note}")
    if result.weekly_charge is not None and result.council_pays is not None:  # both known, or neither
        print(f"\nWeekly charge: {pounds(result.weekly_charge)}. Council pays: {pounds(result.council_pays)}."
              + (" Capped at the care cost." if result.capped_at_care_cost else "")
              + (" Full cost (savings over the limit)." if result.full_cost else ""))
    print("\nAlways free:")
    for free in result.free_services:
        print(f"- {free.name}: {free.limit}.")
    print(f"\n{result.note}")
    guessed = [f for f in result.figures if f.status != "confirmed"]
    if guessed:
        print("\nFigures that are not confirmed (for the finance officer):")
        for f in guessed:
            print(f"- {f.label}: {pounds(f.value)} from {f.effective_from}, {f.status}: {f.basis}")
    return 0

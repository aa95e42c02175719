"""The `ras` command: calculate, compare, policy, schema; more commands plug in from
`ras/commands/` (each module has `register(subparsers)`).

Bad input gives a one-line message naming the field or line and exit code 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import pkgutil
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ras.charging import finance_schema
from ras.engine import calculate, compare
from ras.errors import validation_message
from ras.models import METHODS, Allocation, AssessmentRecord, CarerRecord
from ras.money import pounds
from ras.policy import DataFileError, PolicyAt, load_policy
from ras.tables import compare_table

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A problem with what the user gave us: printed as one line, exit code 2."""


# ----- helpers shared by command modules ------------------------------------------------


def parse_record(text: str) -> AssessmentRecord:
    try:
        return AssessmentRecord.model_validate_json(text)
    except ValidationError as exc:
        raise BadInput(validation_message(exc)) from None


def read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot be read ({exc})") from None


def plot_folder(folder: str) -> Path:
    """The `--plot` folder, made if missing; a one-line error when it cannot be."""
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"--plot {folder}: cannot make the folder ({exc.strerror or exc})") from None
    return out


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (use YYYY-MM-DD): {text!r}") from None


def policy_at(name: str, as_of: dt.date | None) -> PolicyAt:
    policy = load_policy(name)
    if as_of is None:
        # the engine never reads the clock; the command line may, as the user's default
        as_of = dt.date.today()
        dates = policy.dates()
        if dates and as_of < dates[0]:  # before every figure: use the latest
            as_of = dates[-1]
    return policy.at(as_of)


def add_policy_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", default="example", help="a shipped policy name or a policy file (default: example)")
    p.add_argument("--as-of", type=parse_date, default=None, help="use the figures in force on this date (default: today)")


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


# ----- plain-words output ---------------------------------------------------------------


def explain(alloc: Allocation) -> str:
    lines = ["How we worked out your budget", ""]  # for the person: no method names (--json has the method)
    for n, s in enumerate(alloc.explanation, 1):
        lines.append(f"{n}. {s.text}")
    if alloc.eligible:
        lines += ["", "What each part is for:"]
        for e in alloc.elements:
            lines.append(f"- {e.name}: {pounds(e.amount)} a week. {e.why}")
        lines += [
            "",
            f"Weekly: {pounds(alloc.weekly)}. Yearly: {pounds(alloc.annual)}. "
            f"Range: {pounds(alloc.range.low)} to {pounds(alloc.range.high)} a week."
            + (f" Band: {alloc.band}." if alloc.band else ""),
        ]
    return "\n".join(lines)


# ----- commands -------------------------------------------------------------------------


def run_batch(args: argparse.Namespace, policy: PolicyAt, *, compare: bool) -> int:
    """`--batch`: every record of the file, one JSON line each (ras.batch); bad lines named on
    standard error by number, the rest carried on with; exit 2 when any line was bad."""
    from ras import batch

    errors = 0

    def problem(n: int, message: str) -> None:
        nonlocal errors
        errors += 1
        print(f"{args.batch}: line {n}: {message}", file=sys.stderr)

    try:
        stream = batch.open_input(args.batch)
    except FileNotFoundError:
        raise BadInput(f"{args.batch}: file not found") from None
    except OSError as exc:
        raise BadInput(f"{args.batch}: cannot be read ({exc.strerror or exc})") from None
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None) or batch.TextOut(sys.stdout)  # bytes out, even to a StringIO
    # the policy and its memo live for the whole run: keep the collector off them
    gc.freeze()
    try:
        batch.run(
            stream,
            out,
            policy,
            getattr(args, "method", None),
            compare=compare,
            explain=args.explain,
            problem=problem,
        )
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise BadInput(f"{args.batch}: cannot be read ({exc.strerror or exc})") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    out.flush()
    return EXIT_BAD_INPUT if errors else 0


def cmd_calculate(args: argparse.Namespace) -> int:
    if args.method is not None and args.method not in METHODS:
        raise BadInput(f"--method: unknown method {args.method!r} (choose {', '.join(METHODS)})")
    policy = policy_at(args.policy, args.as_of)
    if args.batch:
        return run_batch(args, policy, compare=False)
    if not args.record:
        raise BadInput("give a record file (RECORD.json), or --batch RECORDS.jsonl")
    record = parse_record(read_text(args.record))
    alloc = calculate(record, policy, args.method)
    if args.json:
        print(alloc.model_dump_json(by_alias=True, indent=2))
    else:
        print(explain(alloc))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    policy = policy_at(args.policy, args.as_of)
    if args.batch:
        return run_batch(args, policy, compare=True)
    if not args.record:
        raise BadInput("give a record file (RECORD.json), or --batch RECORDS.jsonl")
    record = parse_record(read_text(args.record))
    results = compare(record, policy)
    if args.json:
        print(json.dumps({m: a.dump() for m, a in results.items()}, indent=2))
    else:
        print(compare_table(results, policy))
    return 0


def cmd_policy(args: argparse.Namespace) -> int:
    policy = load_policy(args.name)
    if args.action == "check":
        from ras.policy.references import check_file_references

        check_file_references(policy.path)
        dates = policy.dates()
        print(f"{policy.path}: OK: policy {policy.id!r}, {len(list(policy._parameters()))} parameters, "
              f"values from {dates[0]} to {dates[-1]}, every value referenced.")
        from ras.charging.rules import check_report, load_charging_rules

        line, warnings = check_report(load_charging_rules(args.rules), args.as_of or dt.date.today())
        print(line, *warnings, sep="\n")
        return 0
    at = policy_at(args.name, args.as_of)
    if args.json:
        print(json.dumps([s.model_dump(mode="json") for s in at.sources], indent=2, default=json_default))
        return 0
    print(f"{at.title} ({at.id}), figures in force on {at.as_of}; default method: {at.general.default_method}")
    print(f"File: {policy.path}\n")
    print("Areas:")
    for area, names in at.areas.items():
        print(f"  {area}: {names.worker_name} / \"{names.person_name}\"")
    print()
    for src in at.sources:
        refs = "; ".join(f"{r.title} <{r.address}>" for r in src.references)
        print(f"{src.path} [{src.unit}] from {src.effective_from}: {json.dumps(src.value, default=json_default)}")
        print(f"    {src.label}")
        print(f"    source: {refs}")
    return 0


SCHEMAS: dict[str, Callable[[], dict]] = {
    "assessment": lambda: AssessmentRecord.model_json_schema(by_alias=True),
    "carer": lambda: CarerRecord.model_json_schema(by_alias=True),
    "allocation": lambda: Allocation.model_json_schema(by_alias=True, mode="serialization"),
    "finance": lambda: finance_schema(),
    "batch-result": lambda: _batch_schema("BatchResult"),
    "batch-compare": lambda: _batch_schema("BatchCompare"),
}


def _batch_schema(name: str) -> dict:
    """The lines `--batch` writes (ras.batch), imported only when asked for."""
    from ras import batch

    return getattr(batch, name).model_json_schema(by_alias=True, mode="serialization")


def cmd_schema(args: argparse.Namespace) -> int:
    schema = SCHEMAS[args.which]()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"ras-{args.which}/1"
    print(json.dumps(schema, indent=2))
    return 0


def package_version() -> str:
    """The installed ras-chat package's version (both commands come from it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ras-chat")
    except PackageNotFoundError:  # run from a source folder that was never installed
        return "(not installed)"


def quiet_broken_pipe() -> None:
    """The reader of our output went away (`ras ... | head`): send what is left to
    /dev/null, so that Python's last flush does not print an error on the way out."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ras",
        description="The ras-chat allocation engine: eligibility and an indicative personal budget, every pound explained.",
    )
    parser.add_argument("--version", action="version", version=f"ras {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("calculate", help="work out the budget for one record (or a batch)")
    p.add_argument("record", nargs="?", help="an assessment record (JSON); - for standard input")
    p.add_argument(
        "--batch", metavar="RECORDS.jsonl", help="one record a line; prints one JSON result a line (ras-batch-result/1)"
    )
    p.add_argument("--explain", action="store_true", help="with --batch: the full result with its words (slower)")
    p.add_argument("--method", default=None, help=f"one of {', '.join(METHODS)} (default: the policy's)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_policy_options(p)
    p.set_defaults(func=cmd_calculate)

    p = sub.add_parser("compare", help="the four methods side by side for one record (or a batch)")
    p.add_argument("record", nargs="?", help="an assessment record (JSON); - for standard input")
    p.add_argument(
        "--batch", metavar="RECORDS.jsonl", help="one record a line; prints one JSON line a record (ras-batch-compare/1)"
    )
    p.add_argument("--explain", action="store_true", help="with --batch: every method's full result with its words")
    p.add_argument("--json", action="store_true")
    add_policy_options(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("policy", help="show or check a policy")
    p.add_argument("action", choices=["show", "check"])
    p.add_argument("name", nargs="?", default="example", help="a shipped policy name or a file path")
    p.add_argument("--as-of", type=parse_date, default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--rules", default=None, help="check: also this charging rules file (default: the shipped England rules)")
    p.set_defaults(func=cmd_policy)

    p = sub.add_parser("schema", help="print a JSON Schema")
    p.add_argument("which", choices=sorted(SCHEMAS))
    p.set_defaults(func=cmd_schema)

    _register_plugins(sub)
    return parser


def _register_plugins(sub: argparse._SubParsersAction) -> None:
    """Command modules in `ras/commands/` (code in this package, never named by data)."""
    import ras.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"ras.commands.{info.name}")
        module.register(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BadInput as exc:
        print(f"ras: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DataFileError as exc:
        print(f"ras: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into head, which stopped reading: not an error
        quiet_broken_pipe()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

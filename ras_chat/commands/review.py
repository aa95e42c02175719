"""`ras-chat review ID|last`: a worker reviews a hand-off, changes what needs changing, signs off.

With no change options it opens the review screen (Textual). For scripts:

    ras-chat review ID --set areas.health.need=3 --reason "Seen at home: needs help to wash"
    ras-chat review ID --add-outcome nutrition:unsafe,takes_longer --reason "..."
    ras-chat review ID --remove-outcome toilet --reason "..."
    ras-chat review ID --amount 480.00 --reason "Night care, outside the tables"
    ras-chat review ID --sign-off --reason "Agreed with the person on 4 May"
    ras-chat review ID --show [--json]

Every change needs a reason. Changes are kept in the audit trail (who, when, what, why);
the person's answers are never overwritten. The worker's name comes from --who,
RAS_CHAT_WORKER, or the login name.
"""

from __future__ import annotations

import argparse
import json

from ras_chat.store.cli import BadInput, add_db_option, clean, guarded, open_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "review",
        help="review a hand-off: change needs, risks, support or the amount (with reasons) and sign off",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("session", nargs="?", metavar="ID|last", help="a session id, the start of one, or `last`")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="areas.AREA.need|risk|unpaid_support, client_group, fluctuating, impairment, wellbeing_impact")
    p.add_argument("--add-outcome", action="append", default=[], metavar="OUTCOME[:WAY,...]",
                   help="an outcome the person is unable to achieve, with the reg. 2(3) ways")
    p.add_argument("--remove-outcome", action="append", default=[], metavar="OUTCOME")
    p.add_argument("--amount", metavar="POUNDS", help="a different weekly amount (or `none` to clear it)")
    p.add_argument("--sign-off", action="store_true", help="agree the amount (after any changes above)")
    p.add_argument("--reason", metavar="TEXT", help="why: required with every change")
    p.add_argument("--who", metavar="NAME", help="the worker (default: RAS_CHAT_WORKER or your login name)")
    p.add_argument("--show", action="store_true", help="print the review as text and stop")
    p.add_argument("--json", action="store_true", help="with --show: the review part of the hand-off as JSON")
    add_db_option(p)
    p.set_defaults(func=run)


def _changes(args: argparse.Namespace) -> list:
    from ras_chat.review.model import add_outcome, parse_assignment, remove_outcome, set_amount, sign_off

    out = [parse_assignment(s) for s in args.set]
    for item in args.add_outcome:
        outcome, _, ways = item.partition(":")
        out.append(add_outcome(outcome, ways.split(",") if ways else ()))
    out += [remove_outcome(o) for o in args.remove_outcome]
    if args.amount is not None:
        out.append(set_amount(args.amount))
    if args.sign_off:
        out.append(sign_off())
    return out


@guarded
def run(args: argparse.Namespace) -> int:
    from ras_chat.review.model import ReviewError

    try:
        return _run(args)
    except ReviewError as exc:
        raise BadInput(str(exc)) from None


def _run(args: argparse.Namespace) -> int:
    from ras_chat.review.actions import load_review, make_change
    from ras_chat.review.model import ReviewError, check_reason, describe

    if not args.session:
        raise BadInput("give a session id, the start of one, or `last` (see `ras-chat sessions`)")
    changes = _changes(args)
    if changes:
        check_reason(args.reason)
    elif args.reason is not None:
        raise BadInput("--reason given but no change: use --set, --add-outcome, --remove-outcome, --amount or --sign-off")
    if not changes and not args.show:
        return _open_screen(args)
    with open_from_args(args) as store:
        sid = store.resolve(args.session)
        for n, change in enumerate(changes):
            try:
                entry = make_change(store, sid, change, why=args.reason, who=args.who)
            except ReviewError as exc:
                done = f" ({n} earlier change{'s' if n != 1 else ''} saved)" if n else ""
                raise BadInput(f"{exc}{done}") from None
            print(f"Saved #{entry.seq}: {clean(describe(entry.what))}")
        if args.show:
            details = store.details(sid)
            review = load_review(store, sid)
            if args.json:
                from ras_chat.exports.handoff import build_handoff

                h = build_handoff(details, audit_chain_intact=not store.verify_audit())
                print(json.dumps(h.dump()["review"], indent=2, ensure_ascii=False))
            else:
                from ras_chat.exports.handoff import build_handoff
                from ras_chat.review.text import review_lines

                h = build_handoff(details)
                for line in review_lines(review, who=h.session.who, flags=h.flags, what_matters=h.own_words.what_matters,
                                         carer=h.carer.record if h.carer else None, stopped=h.stopped):
                    print(clean(line))
        elif changes:
            review = load_review(store, sid)
            print(f"Agreed weekly amount now {review.agreed_weekly}; status {review.status}.")
    return 0


def _open_screen(args: argparse.Namespace) -> int:
    from ras_chat.store.store import open_store  # noqa: F401  (the screen opens its own store)
    from ras_chat.ui.review import run_review

    with open_from_args(args) as store:
        sid = store.resolve(args.session)
        target = store.target
    return run_review(target, sid, who=args.who)

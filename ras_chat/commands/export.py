"""`ras-chat export ID|last --format json|md|html|fhir [--redact] [--out FILE]`: the hand-off record.

json: `ras-handoff/2` (schema: `ras-chat export --schema`); md and html: a letter in plain
words for the person and a summary for the worker; fhir: a FHIR R4B QuestionnaireResponse.
`--redact` removes names and free text (for trainers and analysts).
"""

from __future__ import annotations

import argparse
import sys

from ras_chat.store.cli import BadInput, add_db_option, check_out, guarded, open_from_args, write_private

FORMATS = ("json", "md", "html", "fhir", "fhir-questionnaire")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export", help="export a session's hand-off record", description=__doc__)
    p.add_argument("session", nargs="?", metavar="ID|last", help="a session id, the start of one, or `last`")
    p.add_argument("--format", default="json",
                   help="json (default), md, html, fhir, or fhir-questionnaire (the Questionnaire the fhir export answers; no ID)")
    p.add_argument("--redact", action="store_true", help="remove names and free text")
    p.add_argument("--out", metavar="FILE", help="write to FILE (a new file, readable by you only) instead of the screen")
    p.add_argument("--force", action="store_true", help="with --out: replace FILE if it exists")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema of the json format and stop")
    add_db_option(p)
    p.set_defaults(func=run)


def render(handoff, fmt: str) -> str:
    if fmt == "json":
        return handoff.dump_json() + "\n"
    if fmt == "md":
        from ras_chat.exports.letter import letter_markdown

        return letter_markdown(handoff)
    if fmt == "html":
        from ras_chat.exports.letter import letter_html

        return letter_html(handoff)
    from ras_chat.exports.fhir import questionnaire_response

    return questionnaire_response(handoff).model_dump_json(exclude_none=True, indent=2) + "\n"


@guarded
def run(args: argparse.Namespace) -> int:
    from ras_chat.exports.handoff import build_handoff, handoff_schema_text, redact

    if args.out:  # before any work: a missing folder, a link or an existing file is said at once
        check_out(args.out, force=args.force)
    if args.schema:
        text = handoff_schema_text()
    elif args.format == "fhir-questionnaire":
        from ras_chat.exports.fhir import questionnaire

        text = questionnaire().model_dump_json(exclude_none=True, indent=2) + "\n"
    else:
        if args.format not in FORMATS:
            raise BadInput(f"--format: should be one of {', '.join(FORMATS)}, not {args.format!r}")
        if not args.session:
            raise BadInput("give a session id, the start of one, or `last` (see `ras-chat sessions`)")
        from pydantic import ValidationError

        with open_from_args(args) as store:
            sid = store.resolve(args.session)
            breaks = store.verify_audit(sid)
            try:
                handoff = build_handoff(store.details(sid), audit_chain_intact=not breaks)
            except (ValidationError, KeyError, TypeError, ValueError, AttributeError):  # would quote the stored data
                raise BadInput(
                    f"session {sid[:8]}: its stored record cannot be read; the database has been changed outside "
                    "ras-chat or damaged (see `ras-chat audit verify`)"
                ) from None
        if breaks:
            print(
                f"ras-chat: warning: session {sid[:8]}'s stored data or the audit trail does not match its record "
                f"({len(breaks)} problem{'s' if len(breaks) != 1 else ''}; see `ras-chat audit verify`); "
                "the export says audit_chain_intact: false",
                file=sys.stderr,
            )
        if args.redact:
            handoff = redact(handoff)
        text = render(handoff, args.format)
    if args.out:
        write_private(args.out, text, force=args.force)
    else:
        sys.stdout.write(text)
    return 0

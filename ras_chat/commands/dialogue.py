"""`ras-chat dialogue check|text|graph|understand`: look after the conversation files.

- `check` exits 1 when the dialogue breaks a rule (unreachable states, dead ends, unknown
  callbacks, missing help, jargon, long sentences), 2 when the file cannot be read; it
  also trains the understanding models and lists answers with too few examples and
  examples the model reads as another answer (notes: they do not fail the check);
- `text` prints every person-facing string, one a line (for plain-English review and
  translation): the dialogue's, its examples file's and the message catalogues'
  (`--where` says where each comes from: a key, or a catalogue file and key);
- `graph` prints a Mermaid diagram of the state machine;
- `understand --question Q "text"` prints what would be read from an answer (value or
  values, how sure, what would be done, the safety level, and why); `--batch FILE.jsonl
  --json` does it for many lines, one JSON object a line.
"""

from __future__ import annotations

import argparse
import json
import sys

EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2

_ACTIONS = {
    "accept": "accept (store it and say it back)",
    "confirm": "confirm (ask: is that right?)",
    "ask_again": "ask again (kindly, then offer numbers)",
}
_SAFETY = {
    "none": "none",
    "check": "check (ask the gentle question first)",
    "stop": "stop (the questions stop: 999, Samaritans, an urgent flag)",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dialogue", help="check, list, draw or try the conversation files")
    parser.add_argument(
        "action",
        choices=["check", "text", "graph", "understand"],
        help="check the rules, print every person-facing line, draw it, or show how an answer is read",
    )
    parser.add_argument(
        "file",
        nargs="?",
        default=None,
        metavar="FILE|TEXT",
        help="a shipped dialogue name or a YAML file (default: assessment); with `understand`: the answer to read",
    )
    parser.add_argument("--where", action="store_true", help="with `text`: say where each line comes from")
    parser.add_argument("--dialogue", default=None, metavar="FILE", help="with `understand`: the dialogue (default: assessment)")
    parser.add_argument("--examples", default=None, metavar="FILE", help="the examples file (default: the one beside the dialogue)")
    parser.add_argument(
        "--question",
        "-q",
        nargs="+",
        metavar="Q",
        help='with `understand`: a state id or the field it sets (areas.health.need, unable_outcomes, who, ...), then the answer: -q who "my wife is typing"',
    )
    parser.add_argument("--area", default=None, help="with `understand`: the part of life for a per-area question (health, choice, work, community)")
    parser.add_argument("--batch", metavar="FILE.jsonl", help='with `understand`: one {"question": Q, "text": ...} a line ("-" for stdin)')
    parser.add_argument("--json", action="store_true", help="with `understand`: one JSON object a line")
    parser.set_defaults(func=run)


def _sample_session(dialogue, policy: str):
    """A session used only to list the choices that come from the policy."""
    from ras_chat.dialogue.understand.fields import sample_session

    return sample_session(dialogue, policy)


def _examples_for(dialogue, explicit: str | None):
    from pathlib import Path

    from ras_chat.dialogue.understand import Understanding
    from ras_chat.dialogue.understand.data import default_examples_path, examples_path_for

    if explicit:
        return Understanding.load(explicit)
    beside = examples_path_for(dialogue.path)
    return Understanding.load(beside if Path(beside).is_file() else default_examples_path())


def run(args: argparse.Namespace) -> int:
    from ras_chat.dialogue.loader import load_dialogue

    if args.action == "understand":
        return _understand(args)
    dialogue = load_dialogue(args.file or "assessment")  # a DataFileError is reported by main() with exit 2
    policy = getattr(args, "policy", None) or "example"
    if args.action == "graph":
        from ras_chat.dialogue.graph import mermaid

        print(mermaid(dialogue))
        return 0
    session = _sample_session(dialogue, policy)
    if args.action == "text":
        from ras_chat.dialogue.text import catalogue_lines, person_lines

        for item in person_lines(dialogue, session):
            print(f"{item.where}\t{item.text}" if args.where else item.text)
        for where, text in _examples_for(dialogue, args.examples).person_lines():
            print(f"{where}\t{text}" if args.where else text)
        for item in catalogue_lines():
            print(f"{item.where}\t{item.text}" if args.where else item.text)
        return 0
    from ras_chat.dialogue.check import check, check_catalogues
    from ras_chat.dialogue.text import person_lines, reading_grade

    problems = [f"{dialogue.path}: {p}" for p in check(dialogue, session)]
    problems += _example_line_problems(dialogue, args.examples)
    problems += [f"{name}: {p}" for name, p in check_catalogues()]
    for p in problems:
        print(p, file=sys.stderr)
    grade = reading_grade([i.text for i in person_lines(dialogue, session)])
    notes = _example_notes(dialogue, session, args.examples)
    if problems:
        print(f"ras-chat dialogue check: {len(problems)} problem(s) in {dialogue.path} or the files beside it", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"{dialogue.path}: ok: {len(dialogue.states)} states, all reachable, every path ends; "
        f"reading grade {grade:.1f} (Flesch-Kincaid); the message catalogues: ok ({_catalogue_grades()})"
    )
    for n in notes:
        print(f"note: {n}")
    return 0


def _catalogue_grades() -> str:
    from ras_chat.dialogue.catalogue import catalogues
    from ras_chat.dialogue.text import catalogue_name, reading_grade

    return ", ".join(f"{catalogue_name(c)} grade {reading_grade([t for _k, t in c.items()]):.1f}" for c in catalogues())


def _example_line_problems(dialogue, examples: str | None) -> list[str]:
    """The examples file's person-facing lines follow the same rules as the dialogue's:
    no jargon, sentences of at most 25 words."""
    from ras_chat.dialogue.text import MAX_SENTENCE_WORDS, jargon_in, sentences, words

    u = _examples_for(dialogue, examples)
    out = []
    for where, text in u.person_lines():
        for j in jargon_in(text):
            out.append(f"{u.path}: {where}: a word people may not know: \u201c{j}\u201d")
        for sentence in sentences(text):
            if words(sentence) > MAX_SENTENCE_WORDS:
                out.append(f"{u.path}: {where}: a sentence of more than {MAX_SENTENCE_WORDS} words")
    return out


def _example_notes(dialogue, session, examples: str | None) -> list[str]:
    """What the examples file lacks (answers with too few examples, examples read as
    another answer): notes for the council, never a failed check."""
    from ras_chat.dialogue.understand import check_examples
    from ras_chat.dialogue.understand.fields import field_of, options_for

    u = _examples_for(dialogue, examples)
    pairs = []
    for name, spec in dialogue.states.items():
        if not spec.is_question or spec.kind in ("text",):
            continue
        field = field_of(dialogue, name)
        if field is None or "{money}" in field:
            continue
        _state, options, _multi = options_for(session, name)
        if options:
            pairs.append((field, options))
    notes = check_examples(u, pairs)
    where = u.path
    return [f"{where}: {n}" for n in notes]


def _understand(args: argparse.Namespace) -> int:
    from ras.policy import DataFileError
    from ras_chat.dialogue.loader import load_dialogue
    from ras_chat.dialogue.understand.fields import MULTI_FIELDS, TEXT_FIELDS, field_of, options_for

    question_arg = args.question[0] if args.question else None
    text_arg = " ".join(args.question[1:]) if args.question and len(args.question) > 1 else args.file
    dialogue = load_dialogue(args.dialogue or "assessment")
    u = _examples_for(dialogue, args.examples)
    session = _sample_session(dialogue, getattr(args, "policy", None) or "example")

    items: list[tuple[str, str, str | None]] = []
    if args.batch:
        try:
            stream = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")
        except OSError as exc:
            raise DataFileError(args.batch, f"cannot be read ({exc.__class__.__name__})") from None
        with stream:
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataFileError(args.batch, f"not a JSON object ({exc.msg})", line=n) from None
                if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("question", question_arg), str):
                    raise DataFileError(args.batch, 'each line needs "question" and "text" (text)', line=n)
                items.append((str(row.get("question", question_arg)), row["text"], row.get("area", args.area)))  # a str: checked above
    else:
        if not question_arg or text_arg is None:
            print('ras-chat dialogue understand: give --question Q and the answer, e.g. --question areas.health.need "a lot"', file=sys.stderr)
            return EXIT_BAD_INPUT
        items = [(question_arg, text_arg, args.area)]

    cache: dict[tuple, tuple] = {}
    for question, text, area in items:
        key = (question, area)
        if key not in cache:
            state, options, multi = options_for(session, question, area)
            field = question if question not in dialogue.states else (field_of(dialogue, question) or question)
            if "{area}" in field:
                field = field.replace("{area}", area or "health")
            if "{money}" in field:
                field = field.replace("{money}", session.state.cursor.get("money") or "")
            if state is None and not field.startswith("money."):
                print(f"ras-chat dialogue understand: no question sets `{question}` (a state id, or a field such as areas.health.need, unable_outcomes, who)", file=sys.stderr)
                return EXIT_BAD_INPUT
            cache[key] = (state, field, options, multi or field in MULTI_FIELDS)
        state, field, options, multi = cache[key]
        safety = u.safety(text, options)
        if field in TEXT_FIELDS:
            reading = None
        else:
            reading = u.read(field, text, options, multi)
        labels = {o.value: o.label for o in options}
        if args.json:
            value = None
            if reading is not None and reading.values:
                value = list(reading.values) if multi else reading.values[0]
            elif reading is None:
                value = text
            out = {
                "question": question,
                "text": text,
                "value": value,
                "confidence": round(reading.confidence, 3) if reading else 1.0,
                "action": reading.action if reading else "accept",
                "safety": safety.level,
                "kind": reading.kind if reading else "answer",
                "how": reading.how if reading else "text",
            }
            if safety.level != "none":
                out["safety_category"] = safety.category
                out["safety_evidence"] = safety.evidence
            if reading is not None and reading.reply:
                out["reply"] = reading.reply
            print(json.dumps(out, ensure_ascii=False))
            continue
        _print_reading(question, field, state, text, reading, safety, labels, u)
    return 0


def _print_reading(question, field, state, text, reading, safety, labels, u) -> None:
    print(f"question: {field}" + (f" (state {state})" if state and state != question else ""))
    print(f"answer:   {text}")
    if reading is None:
        print("read:     kept as the person's own words (a free-text question)")
    elif reading.kind != "answer":
        print(f"read:     {reading.kind.replace('_', ' ')}: not an answer; the question is asked again")
        print(f"reply:    {reading.reply}")
    elif reading.amount is not None:
        print(f"read:     {reading.amount.said}" + (" (about)" if reading.amount.about else ""))
    elif reading.values:
        shown = "; ".join(f"{v} = {labels.get(v, v)}" for v in reading.values)
        print(f"read:     {shown}")
    else:
        print("read:     nothing")
    if reading is not None:
        print(f"sure:     {reading.confidence:.2f} -> {_ACTIONS[reading.action]}")
        print(f"how:      {reading.how}" + (f" ({reading.why})" if reading.why else ""))
        if reading.fine:
            print(f"fine:     {', '.join(labels.get(v, v) for v in reading.fine)} (said to be fine, left out)")
        if reading.alternatives:
            print("or:       " + ", ".join(f"{v} ({s:.2f})" for v, s in reading.alternatives))
        if reading.amount is not None and reading.amount.arithmetic:
            print(f"sum:      {reading.amount.arithmetic}")
    level = _SAFETY[safety.level]
    print(f"safety:   {level}" + (f": {safety.category} ({safety.evidence})" if safety.level != "none" else ""))
    if safety.level == "check":
        print(f"          asks: {u.data.safety.gentle_check}")

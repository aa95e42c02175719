"""Reading the answer to a "pick several" question: clauses, their polarity ("eating is
ok, but the stairs are a nightmare"), and the things each part names. Functions of an
`Understanding` (reader.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ras_chat.dialogue.match import Option, stem
from ras_chat.dialogue.understand import one
from ras_chat.dialogue.understand.result import MENTION_STOP, Reading, action_for, field_pattern
from ras_chat.dialogue.understand.text import NEGATIONS, clauses, find, parts, phrase_stems, rewrite

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.understand.reader import Understanding

REASON_MIN = 0.7
"""How sure the reasons model must be that a part says why, not what."""
FINE_REACH = 6
"""How many words back a negation turns a fine marker round ("can't ... on my own")."""


def polarity(u: Understanding, clause: str, negated_mode: str) -> str:
    hard = fine = False
    for p in u._hard:
        found, neg = find(clause, p)
        hard = hard or found
        fine = fine or neg
    for p in u._fine:
        # "she cant cook a meal on her own": a fine marker well after a "cant" is turned round
        found, neg = find(clause, p, reach=FINE_REACH)
        fine = fine or found
        hard = hard or neg
    if hard and fine:
        return "mixed"
    if hard:
        return "hard"
    if fine:
        return "fine"
    if any(w in NEGATIONS for w in clause.split()):
        return "hard" if negated_mode == "hard" else "fine"
    return "neutral"


def read_many(u: Understanding, field: str, raw: str, norm: str, options: list[Option]) -> Reading:
    only = [o for o in options if o.only]
    rest = [o for o in options if not o.only]
    bare = " ".join(w for w in norm.split() if w not in u._fillers) or norm
    if bare in u._none and only:
        return Reading((only[0].value,), 0.95, "accept" if 0.95 >= u.accept else "confirm", how="none", why=f"'{bare}'")
    if len(norm.split()) == 1 and not one.short_known(u, field, norm, options):
        return Reading((), 0.0, "ask_again", how="clauses", why="a word or two that no example is")
    pattern = field_pattern(field)
    negated_mode = u.data.fields[pattern].negated if pattern in u.data.fields else "hard"
    breaks = u.data.clause_breaks
    cl = [u.speller.fix_text(c) for c in clauses(rewrite(raw, u._rewrites), breaks)] or [norm]
    picked: dict[str, float] = {}
    fine: dict[str, float] = {}
    found: list[tuple[str, str]] = []
    none_vote = 0.0
    all_first = False
    notes: list[str] = []
    for i, clause in enumerate(cl):
        cbare = " ".join(w for w in clause.split() if w not in u._fillers)
        if i == 0 and (cbare in u._all or clause in u._all):
            all_first = True
            for o in rest:
                picked[o.value] = 0.9
            notes.append("all")
            continue
        if cbare in u._none and only:
            none_vote = max(none_vote, 0.9)
            continue
        pol = polarity(u, clause, negated_mode)
        if all_first:
            pol = "fine"  # "all of them except cooking"
        # ("... to eat and drink": "drink" names the thing, not a way)
        found.extend((pol, part) for part in parts(clause, u.data.part_joins) if not only_topic(u, pattern, part))
        notes.append(f"'{clause}': {pol}")
    named = [(pol, part, mentions(u, field, part, raw, options)) for pol, part in found]
    reasons = u.data.fields[pattern].reasons if pattern in u.data.fields else None
    if reasons and len(named) > 1:
        why_parts = [i for i, (_p, part, _m) in enumerate(named) if not names_a_thing(u, reasons, part, options) and is_reason(u, pattern, reasons, part)]
        # only beside a thing named as hard: "the stairs are fine but i cant cook" names cooking
        if why_parts and any(pol != "fine" and said for i, (pol, _part, said) in enumerate(named) if i not in why_parts):
            notes += [f"'{named[i][1]}': why, not what" for i in why_parts]
            named = [n for i, n in enumerate(named) if i not in why_parts]
    for pol, _part, said in named:
        for value, conf in said:
            if only and value == only[0].value:
                if pol != "fine":
                    none_vote = max(none_vote, conf)
                continue
            if pol == "fine":
                fine[value] = max(fine.get(value, 0.0), conf)
            else:
                c = conf * (0.75 if pol == "mixed" else 1.0)
                picked[value] = max(picked.get(value, 0.0), c)
    for v in list(picked):
        if v in fine and not all_first:
            # named both hard and fine: keep it, but ask
            picked[v] = min(picked[v], 0.5)
        elif v in fine:
            del picked[v]
    order = {o.value: o.number for o in options}
    why = "; ".join(notes)
    fine_t = tuple(sorted(fine, key=lambda v: order.get(v, 99)))
    if picked:
        values = tuple(sorted(picked, key=lambda v: order.get(v, 99)))
        conf = min(picked.values())
        return Reading(values, round(conf, 3), action_for(conf, u.accept, u.confirm), how="all" if all_first else "clauses", why=why, fine=fine_t)
    if none_vote and only:
        return Reading((only[0].value,), round(none_vote, 3), action_for(none_vote, u.accept, u.confirm), how="none", why=why, fine=fine_t)
    if fine and only:
        conf = 0.55
        return Reading((only[0].value,), conf, action_for(conf, u.accept, u.confirm), how="clauses", why=why + "; only fine things named", fine=fine_t)
    return Reading((), 0.0, "ask_again", how="clauses", why=why or "nothing named", fine=fine_t)


def names_a_thing(u: Understanding, reasons: str, part: str, options: list[Option]) -> bool:
    """True when a part has an answer's own words that are not also words of the reasons
    ("the shops" names a thing; "falling" is a way a thing is hard as much as a thing)."""
    key = f"examples:{reasons}"
    said_why = u._vocabs.get(key)
    if said_why is None:
        f = u.data.fields.get(reasons)
        texts = [p for ps in f.examples.values() for p in ps] if f else []
        said_why = frozenset(stem(w) for t in texts for w in u.prepare(t).split())
        u._vocabs[key] = said_why
    for o in options:
        for phrase in (o.label, *o.words):
            ps = phrase_stems(phrase)
            if o.only or not ps or not any(find(part, ps)):
                continue
            if not all(s in said_why for s in ps):
                return True
    return False


def is_reason(u: Understanding, pattern: str, reasons: str, part: str) -> bool:
    """True when a part of a "pick several things" answer reads more surely as a reason
    (the `reasons` field's model: "I'm scared of falling") than as a thing (this field's
    model: "getting in the bath")."""
    things, why = u.model(f"field:{pattern}"), u.model(f"field:{reasons}")
    if things is None or why is None:
        return False
    text = u.features(u.mention_text(part))
    as_why = max((p for k, p in why.scores([text])[0].items() if k != "none"), default=0.0)
    as_thing = max(things.scores([text])[0].values(), default=0.0)
    return as_why >= REASON_MIN and as_why > as_thing


def mentions(u: Understanding, field: str, part: str, raw: str, options: list[Option]) -> list[tuple[str, float]]:
    """The things one part of an answer names: the model's first choice when it is
    sure enough, and any answer whose own words appear."""
    out: dict[str, float] = {}
    p, _ = one.scores(u, field, u.mention_text(part), raw, options)
    hits, _neg = hits_any(u, part, options)
    if p:
        ranked = sorted(p.items(), key=lambda kv: -kv[1])
        top, conf = ranked[0]
        if conf >= u.data.thresholds.part or (top in hits and conf >= 0.2):
            boost = conf + (1 - conf) * 0.5 if top in hits else conf
            out[top] = boost
        for v in hits:
            # the answers' own words count where the model does not disagree
            if v not in out and p.get(v, 0.0) >= 0.25:
                out[v] = p[v] + (1 - p[v]) * 0.4
    else:
        for v in hits:
            out[v] = 0.6
    return list(out.items())


def hits_any(u: Understanding, part: str, options: list[Option]) -> tuple[dict[str, int], set[str]]:
    """Like `_hits`, but a phrase after a negation counts too (polarity is the
    clause's business here)."""
    hits: dict[str, int] = {}
    for o in options:
        for phrase in (o.label, *o.words):
            ps = phrase_stems(phrase)
            if not ps or o.only:
                continue
            found, neg = find(part, ps)
            if found or neg:
                hits[o.value] = max(hits.get(o.value, 0), len(ps))
    return hits, set()


def only_topic(u: Understanding, pattern: str, part: str) -> bool:
    """True when every word of `part` (little words aside) is one of the field's topic
    words: it names what the question is about, not an answer."""
    f = u.data.fields.get(pattern)
    if f is None or not f.topic:
        return False

    topic = {stem(w) for t in f.topic for w in u.prepare(t).split()}
    words = [w for w in part.split() if w not in MENTION_STOP and w not in u._fillers]
    return bool(words) and all(stem(w) in topic for w in words)

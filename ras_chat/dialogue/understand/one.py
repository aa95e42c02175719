"""Reading the answer to a one-answer question: numbers, an answer's own words, the
model helped by those words, and a long answer read part by part ("a fair bit, my wife
does the cleaning and the meals now"). Functions of an `Understanding` (reader.py)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from ras_chat.dialogue.match import Option, stem
from ras_chat.dialogue.understand.amounts import read_amount
from ras_chat.dialogue.understand.result import MENTION_STOP, Reading, action_for, field_pattern
from ras_chat.dialogue.understand.text import basic, clauses, find, lone_number, numbers_in, numbers_only, phrase_stems, rewrite

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.understand.reader import Understanding


def amount(u: Understanding, raw: str) -> Reading:
    a = read_amount(raw)
    if a is None:
        return Reading((), 0.0, "ask_again", how="amount", why="no single amount")
    value = f"{a.amount:.2f}"
    conf = 0.9 if a.period is None or a.period == "week" else 0.8
    return Reading((value,), conf, action_for(conf, u.accept, u.confirm), how="amount", why=a.arithmetic or a.said, amount=a)


def numbers(u: Understanding, field: str, norm: str, options: list[Option], multi: bool) -> Reading | None:
    by_number = {o.number: o for o in options}
    bands = u.data.number_bands.get(field) or u.data.number_bands.get(field_pattern(field))
    if bands is not None:
        units = [phrase_stems(u) for u in bands.units]
        nums = numbers_in(norm)
        has_unit = any(find(norm, u)[0] for u in units)
        if len(nums) == 1 and (has_unit or nums[0] >= bands.min or nums[0] not in by_number):
            n = nums[0]
            for b in bands.bands:
                if b.below is None or n < b.below:
                    if any(o.value == b.value for o in options):
                        return Reading((b.value,), 0.9, action_for(0.9, u.accept, u.confirm), how="band", why=f"the number {n}")
                    break
        elif len(set(nums)) > 1 and has_unit:
            return Reading((), 0.2, "ask_again", how="band", why="more than one number")
    if multi:
        nums_m = numbers_only(norm, u._joiners | u._fillers)
        if nums_m is None:
            return None
        if any(n not in by_number for n in nums_m):
            return Reading((), 0.0, "ask_again", how="number", why="no answer has that number")
        picked = [by_number[n] for n in dict.fromkeys(nums_m)]
        if any(o.only for o in picked) and len(picked) > 1:
            return Reading((), 0.0, "ask_again", how="number", why="'none' and something else")
        values = tuple(o.value for o in sorted(picked, key=lambda o: o.number))
        return Reading(values, 0.98, action_for(0.98, u.accept, u.confirm), how="number", why="the numbers " + ", ".join(str(n) for n in nums_m))
    n1 = lone_number(norm, u._fillers)
    if n1 is None:
        return None
    if n1 in by_number:
        conf = 0.98 if norm.split() == [norm] else 0.95
        return Reading((by_number[n1].value,), conf, action_for(conf, u.accept, u.confirm), how="number", why=f"the number {n1}")
    return Reading((), 0.0, "ask_again", how="number", why=f"no answer has the number {n1}")


def exact(u: Understanding, norm: str, options: list[Option]) -> Reading | None:
    for o in options:
        if norm == basic(o.label) or norm == basic(o.value):
            return Reading((o.value,), 1.0, "accept", how="label", why="the answer's own words")
    best, ratio = None, 0.0
    for o in options:
        lab = basic(o.label)
        if len(lab) >= 8 and abs(len(lab) - len(norm)) <= max(2, len(lab) // 8):
            sm = difflib.SequenceMatcher(None, norm, lab)
            if sm.quick_ratio() < 0.92:
                continue
            r = sm.ratio()
            if r > ratio:
                best, ratio = o, r
    if best is not None and ratio >= 0.92:
        return Reading((best.value,), 0.95, action_for(0.95, u.accept, u.confirm), how="label", why="the answer's own words, nearly")
    return None


def option_hits(u: Understanding, norm: str, options: list[Option]) -> tuple[dict[str, int], set[str]]:
    """Each option's longest un-negated phrase (label or words) found, and the options
    whose phrases appear only after a negation."""
    hits: dict[str, int] = {}
    negated: set[str] = set()
    for o in options:
        best = 0
        neg = False
        for phrase in (o.label, *o.words):
            ps = phrase_stems(phrase)
            if not ps:
                continue
            found, n = find(norm, ps)
            if found:
                best = max(best, len(ps))
            neg = neg or n
        if best:
            hits[o.value] = best
        elif neg:
            negated.add(o.value)
    return hits, negated


def scores(u: Understanding, field: str, norm: str, raw: str, options: list[Option]) -> tuple[dict[str, float], str]:
    pattern = field_pattern(field)
    name = None
    if pattern in u.data.fields and u.data.fields[pattern].examples:
        name = f"field:{pattern}"
    elif {o.value for o in options} >= {"yes", "no"} and u.data.yes_no:
        name = "yes_no"
    m = u.model(name) if name else None
    values = [o.value for o in options]
    if m is None:
        return {}, ""
    s = m.scores([u.features(norm, raw.strip().endswith("?"))])[0]
    p = {v: s.get(v, 0.0) for v in values}
    total = sum(p.values())
    if total <= 0:
        return {}, name or ""
    return {v: x / total for v, x in p.items()}, name or ""


def read_one(u: Understanding, field: str, raw: str, norm: str, options: list[Option]) -> Reading:
    whole = one_clause(u, field, raw, norm, options)
    if whole.action == "accept" and whole.how == "model+words":
        return whole
    # a long answer often says how much first and then why ("a fair bit, my wife does
    # the cleaning and the meals now"): when the whole is unclear, read each part
    # between commas or full stops too ("but" is left alone: "yes but less" is one)
    cl = [u.speller.fix_text(c) for c in clauses(rewrite(raw, u._rewrites), ())]
    if len(cl) < 2:
        return whole
    reads = [r for r in (one_clause(u, field, c, c, options) for c in cl) if r.values and r.action != "ask_again"]
    if not reads:
        return whole
    best = max(reads, key=lambda r: r.confidence)
    sure_whole = bool(whole.values) and whole.action != "ask_again"
    if sure_whole and best.values != whole.values and not (best.confidence >= u.accept > whole.confidence):
        pick, conf = whole, whole.confidence
    elif sure_whole and best.values == whole.values:
        pick, conf = best, max(whole.confidence, best.confidence)
    else:
        pick, conf = best, best.confidence * (1.0 if sure_whole else 0.97)
    why = f"one part: {pick.why}" if pick is best else whole.why
    # parts that say different things ("some, I need somebody to push my wheelchair"
    # read as two amounts) are put to the person, never stored on their own
    # A part whose own words name the answer ("most days really") is not overruled by a
    # part with none of the answer's words that reads one step away on the scale ("she
    # needs someone with her to go out"). Further apart ("none, he needs someone with him
    # every minute"), or a part or whole read from an answer's own words, still disagrees.
    worded = pick.how == "model+words"

    def near(r: Reading) -> bool:
        return worded and r.how not in ("model+words", "words") and _scale_steps(r.values, pick.values) <= 1

    against = [r for r in reads if r.values != pick.values and r.confidence >= u.confirm and not near(r)]
    whole_against = sure_whole and whole.values != pick.values and not near(whole)
    if against or whole_against:
        conf = min(conf, (u.accept + u.confirm) / 2)
        why += "; another part says something else"
    how = "clause" if pick is best else whole.how
    return Reading(pick.values, round(conf, 3), action_for(conf, u.accept, u.confirm), how=how, why=why, alternatives=pick.alternatives)


def _scale_steps(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How far apart two readings of a 0-to-4 scale are (need, risk); any other answer
    (who helps, a list) counts as far apart."""
    if len(a) == 1 and len(b) == 1 and a[0].isdigit() and b[0].isdigit():
        return abs(int(a[0]) - int(b[0]))
    return 99


def short_known(u: Understanding, field: str, norm: str, options: list[Option]) -> bool:
    """An answer of one or two words (little words aside) is only read when it is like a
    short example (one word: the first word of one; two: inside one), a yes or no, or an
    answer's own words: "when", "feel" or "ok" alone answer nothing."""
    words = [w for w in norm.split() if w not in MENTION_STOP and w not in u._fillers]
    if len(words) > 2 or option_hits(u, norm, options)[0]:
        return True
    said = tuple(words or norm.split())
    examples = short_examples(u, field_pattern(field))
    if len(said) == 1:
        return any(ex[:1] == said for ex in examples)
    return any(set(said) <= set(ex) for ex in examples)


def short_examples(u: Understanding, pattern: str) -> frozenset[tuple[str, ...]]:
    """The words (little words aside, in order) of each example of three words or fewer."""
    got = u._shorts.get(pattern)
    if got is None:
        f = u.data.fields.get(pattern)
        texts = [p for ps in f.examples.values() for p in ps] if f else []
        if f is None or {"yes", "no"} <= set(f.examples):
            texts += [p for ps in u.data.yes_no.values() for p in ps]
        keep: set[tuple[str, ...]] = set()
        for t in texts:
            words = [w for w in u.prepare(t).split() if w not in MENTION_STOP and w not in u._fillers]
            if len(words) <= 3:
                keep.add(tuple(words or u.prepare(t).split()))
        got = frozenset(keep)
        u._shorts[pattern] = got
    return got


def one_clause(u: Understanding, field: str, raw: str, norm: str, options: list[Option]) -> Reading:
    if norm in u._yes or norm in u._no:
        want = "yes" if norm in u._yes else "no"
        for o in options:
            if o.value == want:
                if want == "yes" and norm in u._agree_only and field_pattern(field) not in u.data.agree_yes:
                    # "ok" agrees to an offer; to "does it change a lot?" it may mean "I'm ok"
                    conf = (u.accept + u.confirm) / 2
                    return Reading((o.value,), conf, action_for(conf, u.accept, u.confirm), how="words", why=f"only '{norm}'")
                return Reading((o.value,), 0.97, action_for(0.97, u.accept, u.confirm), how="words", why=f"'{norm}'")
        if want == "yes" and options and field_pattern(field) in u.data.yes_first:
            return Reading((options[0].value,), 0.95, action_for(0.95, u.accept, u.confirm), how="words", why="yes: the first answer offered")
    # "ok", "fine", "no" alone to a question that is not yes or no: maybe an answer, never a sure one
    # (unless an answer's own words are just that: "no thanks" is "No, skip this")
    bare_yes_no = (norm in u._yes or norm in u._no) and not {o.value for o in options} & {"yes", "no"} and not option_hits(u, norm, options)[0]
    p, _name = scores(u, field, norm, raw, options)
    hits, negated = option_hits(u, norm, options)
    how = "model"
    if not p:
        if not hits:
            return Reading((), 0.0, "ask_again", how="words", why="no words matched")
        top_len = max(hits.values())
        best = [v for v, n in hits.items() if n == top_len]
        if len(best) != 1:
            return Reading((), 0.3, "ask_again", how="words", why="words of more than one answer", alternatives=tuple((v, 0.3) for v in best))
        conf = 0.6
        return Reading((best[0],), conf, action_for(conf, u.accept, u.confirm), how="words", why="the answer's words")
    ranked = sorted(p.items(), key=lambda kv: -kv[1])
    top, conf = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    why = f"model {conf:.2f}"
    known = coverage(u, field, norm, options)
    if known < 0.5:
        # mostly words the examples never use: the model is guessing
        conf = min(conf, 0.6)
        why += f", few known words ({known:.0%})"
    if hits:
        top_len = max(hits.values())
        best = [v for v, n in hits.items() if n == top_len]
        if best == [top]:
            conf = conf + (1 - conf) * 0.4
            how, why = "model+words", why + ", and its words"
        elif top not in hits:
            conf *= 0.9 if conf >= 0.85 else 0.8
            why += f", but words of {', '.join(best)}"
    if top in negated:
        conf *= 0.6
        why += ", its words after a negation"
    # a close second means unsure
    if second > 0 and conf - second < 0.15:
        conf = min(conf, 0.6)
    if not short_known(u, field, norm, options):
        conf = min(conf, u.confirm * 0.9)
        why += ", a word or two that no example is"
    elif bare_yes_no:
        conf = min(conf, (u.accept + u.confirm) / 2)
        why += f", only '{norm}'"
    alts = tuple((v, round(x, 3)) for v, x in ranked[1:3] if x > 0.05)
    return Reading((top,), round(conf, 3), action_for(conf, u.accept, u.confirm), how=how, why=why, alternatives=alts)


def coverage(u: Understanding, field: str, norm: str, options: list[Option]) -> float:
    """The share of an answer's words (little words aside) that this question's
    examples, labels or words use."""
    words = [w for w in norm.split() if w not in MENTION_STOP and w not in u._fillers]
    if not words:
        return 1.0
    vocab = field_vocab(u, field_pattern(field))
    extra = {s for o in options for p in (o.label, *o.words) for s in phrase_stems(p)}

    return sum(1 for w in words if stem(w) in vocab or stem(w) in extra) / len(words)


def field_vocab(u: Understanding, pattern: str) -> frozenset[str]:
    got = u._vocabs.get(pattern)
    if got is None:
        f = u.data.fields.get(pattern)
        texts = [p for ps in f.examples.values() for p in ps] if f else []
        texts += list(f.topic) if f else []
        if f is None or {"yes", "no"} <= set(f.examples):
            texts += [p for ps in u.data.yes_no.values() for p in ps]
        got = frozenset(stem(w) for t in texts for w in u.prepare(t).split())
        u._vocabs[pattern] = got
    return got

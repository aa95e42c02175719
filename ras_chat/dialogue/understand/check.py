"""`check_examples`: what `ras-chat dialogue check` says about the examples file.

- an answer (option) with too few examples (the model cannot learn it well);
- an example the model, trained without it, reads as another answer (a sign that two
  answers' examples overlap, or that the example is under the wrong answer);
- a question in the dialogue whose options have no examples at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.understand.reader import Understanding

MIN_EXAMPLES = 5


def check_examples(
    understanding: Understanding,
    options: Iterable[tuple[str, list]] = (),
    *,
    min_examples: int = MIN_EXAMPLES,
    folds: int = 0,
) -> list[str]:
    """Problems in the examples file, one plain line each (empty when all is well).

    `options`: (field, [Option]) pairs from the dialogue, to find answers with no
    examples. `folds=0` reads each example with the model trained on all of them (an
    example it still reads as another answer is surely in conflict); `folds=k` reads
    each with a model trained without it (k-fold: slower, and finds the weak ones)."""
    from ras_chat.dialogue.understand.model import train
    from ras_chat.dialogue.understand.result import field_pattern
    from ras_chat.dialogue.understand.training import training_set

    u = understanding
    out: list[str] = []
    for field, opts in options:
        pattern = field_pattern(field)
        f = u.data.fields.get(pattern)
        have = set(f.examples) if f else set()
        yes_no = {o.value for o in opts} >= {"yes", "no"} and bool(u.data.yes_no)
        for o in opts:
            if o.value not in have and not (yes_no and o.value in ("yes", "no")) and not o.only:
                out.append(f"fields.{pattern}: the answer `{o.value}` ({o.label}) has no examples")
    for pattern, f in u.data.fields.items():
        for value, phrases in f.examples.items():
            if len(phrases) < min_examples:
                out.append(f"fields.{pattern}.examples.{value}: only {len(phrases)} example(s); give at least {min_examples}")
        name = f"field:{pattern}"
        texts, labels, _w = training_set(u, name)
        raw = [p for _value, phrases in f.examples.items() for p in phrases]
        n = len(raw)  # the field's own examples come first in the training set
        if len(set(labels)) < 2 or n < 4:
            continue
        if folds <= 0:
            m = u.model(name)
            if m is None:
                continue
            for i, s in enumerate(m.scores(texts[:n])):
                best = max(s, key=lambda label: s[label])
                if best != labels[i] and s[best] >= 0.5:
                    out.append(f"fields.{pattern}.examples.{labels[i]}: \u201c{raw[i]}\u201d reads as `{best}` ({s[best]:.2f}): move it, or add examples like it")
            continue
        k = min(folds, n)
        for fold in range(k):
            test = [i for i in range(n) if i % k == fold]
            keep = [i for i in range(len(texts)) if i >= n or i % k != fold]
            m = train([texts[i] for i in keep], [labels[i] for i in keep])
            if m is None:
                continue
            for i, s in zip(test, m.scores([texts[i] for i in test])):
                best = max(s, key=lambda label: s[label])
                if best != labels[i] and s[best] >= 0.5:
                    out.append(
                        f"fields.{pattern}.examples.{labels[i]}: \u201c{raw[i]}\u201d reads as `{best}` ({s[best]:.2f}) "
                        "when left out: move it, or add examples like it"
                    )
    return out

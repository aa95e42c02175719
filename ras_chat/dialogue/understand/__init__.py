"""Understanding people's own words (issue 14): options, numbers, amounts, safety.

    from ras_chat.dialogue.understand import Understanding, detect_safety, read_amount

    u = Understanding.load()            # the shipped examples file; cheap, no training
    r = u.read("areas.health.need", "she needs a fair bit of help", options)
    r.values, r.confidence, r.action    # ("3",), 0.9, "accept"
    detect_safety("he slapped me")      # SafetyReading(level="stop", ...)
    read_amount("about 8 grand")        # AmountReading(amount=Decimal("8000.00"), ...)

Headless: no UI, no network, no downloads. scikit-learn is imported only when a model is
first trained or read from the cache (see model.py), never by importing this package.
"""

from ras_chat.dialogue.understand.amounts import AmountReading, read_amount
from ras_chat.dialogue.understand.check import check_examples
from ras_chat.dialogue.understand.data import default_examples_path, examples_path_for
from ras_chat.dialogue.understand.reader import Reading, Understanding, field_pattern
from ras_chat.dialogue.understand.safety import SafetyReading, detect_safety

__all__ = [
    "AmountReading",
    "Reading",
    "SafetyReading",
    "Understanding",
    "check_examples",
    "default_examples_path",
    "detect_safety",
    "examples_path_for",
    "field_pattern",
    "read_amount",
]

"""A worker's review as pure logic: changes over the original answers, never in place of them.

Two parts: `changes` (a change as asked for, checked, replayed over a record, and described)
and `reviewed` (a session with its changes replayed and the amount agreed). This module
keeps the names importable from one place.
"""

from ras.models import UNABLE_WAYS
from ras_chat.review.changes import (
    KINDS,
    MAX_AMOUNT,
    MAX_REASON,
    SETTABLE,
    Change,
    ReviewError,
    add_outcome,
    apply,
    as_record_change,
    check_reason,
    current_value,
    describe,
    is_review_change,
    parse_amount,
    parse_assignment,
    parse_value,
    remove_outcome,
    set_amount,
    set_field,
    sign_off,
)
from ras_chat.review.reviewed import Reviewed, ReviewedChange, policy_for, policy_for_review, prepare, reviewed

__all__ = [
    "KINDS",
    "MAX_AMOUNT",
    "MAX_REASON",
    "SETTABLE",
    "UNABLE_WAYS",
    "Change",
    "ReviewError",
    "Reviewed",
    "ReviewedChange",
    "add_outcome",
    "apply",
    "as_record_change",
    "check_reason",
    "current_value",
    "describe",
    "is_review_change",
    "parse_amount",
    "parse_assignment",
    "parse_value",
    "policy_for",
    "policy_for_review",
    "prepare",
    "remove_outcome",
    "reviewed",
    "set_amount",
    "set_field",
    "sign_off",
]

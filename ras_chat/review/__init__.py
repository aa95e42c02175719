"""Worker review and sign-off: changes kept as an audit trail over the person's own answers.

Pure logic in `model` (no Textual, no database); `actions` writes through the store.
"""

from ras_chat.review.actions import current_worker, load_review, make_change
from ras_chat.review.model import (
    Change,
    Reviewed,
    ReviewError,
    add_outcome,
    describe,
    parse_assignment,
    remove_outcome,
    reviewed,
    set_amount,
    set_field,
    sign_off,
)

__all__ = [
    "Change",
    "ReviewError",
    "Reviewed",
    "add_outcome",
    "current_worker",
    "describe",
    "load_review",
    "make_change",
    "parse_assignment",
    "remove_outcome",
    "reviewed",
    "set_amount",
    "set_field",
    "sign_off",
]

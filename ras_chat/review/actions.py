"""Making review changes in the store: each one audit entry, committed before it returns.

    with open_store() as store:
        make_change(store, sid, set_field("areas.health.need", 3), why="Seen at home: ...")
        make_change(store, sid, set_amount("480.00"), why="Night care, outside the tables")
        make_change(store, sid, sign_off(), why="Agreed with Mrs Patel on 4 May")
        reviewed(store.details(sid))

The original answers and result are never written to: only the audit trail grows. A
sign-off also sets the session's status to "agreed", in the same transaction as its
audit entry (so a crash leaves either both or neither).
"""

from __future__ import annotations

import getpass

from ras_chat.review.model import Change, Reviewed, check_reason, prepare, reviewed
from ras_chat.store.audit import AuditEntry
from ras_chat.store.store import Store


def current_worker() -> str:
    """`RAS_CHAT_WORKER`, else the login name."""
    from ras_chat.environment import current

    name = (current().worker or "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "worker"
    except Exception:  # no login name (some containers)
        return "worker"


def load_review(store: Store, session_id: str, *, policy_at=None) -> Reviewed:
    return reviewed(store.details(session_id), policy_at=policy_at)


def make_change(store: Store, session_id: str, change: Change, *, why: str, who: str | None = None, policy_at=None) -> AuditEntry:
    """Check `change` against the session as reviewed so far, then append it (committed) to the audit trail.

    Raises ReviewError (one line) for a blank reason or a change that cannot be made.
    The check and the append are two steps: two workers changing the same session at
    the same moment each see their own change recorded in order, both kept.
    """
    reason = check_reason(why)
    who = (who or "").strip() or current_worker()
    review = load_review(store, session_id, policy_at=policy_at)
    what = prepare(review, change)
    status = "agreed" if change.kind == "sign_off" else None
    return store.append_audit(session_id, who=who, what=what, why=reason, status=status)

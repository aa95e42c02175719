"""The hand-off record `ras-handoff/1`: what a worker (or a council's case system) receives.

Built from what the store holds for one session (`Store.details`): the assessment record,
the engine's result with its explanation, the person's own words about what matters,
the transcript with times, flags, status, and the worker's audit trail. The JSON Schema
is generated from the model (`handoff_schema()`, `ras-chat export --schema`) and shipped
beside this file as `handoff.schema.json`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ras.models import Allocation, AssessmentRecord
from ras_chat.store.errors import InvalidData
from ras_chat.store.store import now, who_text

HANDOFF_SCHEMA_ID = "ras-handoff/1"
SCHEMA_FILE = Path(__file__).with_name("handoff.schema.json")
REMOVED = "[removed]"

Status = Literal["in_progress", "handed_off", "agreed"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SessionInfo(_Out):
    id: str
    policy: str | None = None
    created: str | None = None
    updated: str | None = None
    state: str | None = Field(None, description="Where the conversation is (or stopped).")
    who: str | None = Field(None, description="The person's name as they gave it; null when redacted.")


class TranscriptMessage(_Out):
    role: Literal["assistant", "person"]
    text: str
    at: str | None = None
    state: str | None = None
    kind: str | None = None
    choices: list[Any] = []


class OwnWords(_Out):
    """The person's own words, kept as they said them."""

    what_matters: str | None = None
    area_notes: dict[str, str] = {}
    notes: str | None = None


class WorkerChange(_Out):
    """One entry of the worker's audit trail (append-only, hash-chained)."""

    seq: int
    at: str
    who: str
    what: dict[str, Any]
    why: str
    prev_hash: str
    hash: str


class Review(_Out):
    """The worker's review: the record and result after the changes, and the amount agreed.

    The person's own answers stay in `assessment` and `result`; these are computed by
    replaying `changes` (review entries of the audit trail, in order) over them.
    """

    adjusted_record: AssessmentRecord | None = Field(None, description="`ras-assessment/1` after the worker's changes.")
    adjusted_result: Allocation | None = Field(None, description="The engine's result for the adjusted record (same policy, date and method).")
    override_weekly: Decimal | None = Field(None, description="A weekly amount the worker set instead of the calculated one.")
    agreed_weekly: Decimal | None = Field(None, description="The override if set, else the adjusted result's weekly amount.")
    amount_changed: bool = Field(False, description="True when the agreed amount differs from the first result's.")
    signed_off: bool = False
    changes: list[WorkerChange] = []


class Handoff(_Out):
    """`ras-handoff/1`."""

    schema_: Literal["ras-handoff/1"] = Field(HANDOFF_SCHEMA_ID, alias="schema")
    exported_at: str
    generator: str = "ras-chat"
    redacted: bool = False
    status: Status
    session: SessionInfo
    assessment: AssessmentRecord | None = Field(None, description="`ras-assessment/1`; null until the conversation has one.")
    result: Allocation | None = Field(None, description="`ras-allocation/1`, with the explanation step by step.")
    own_words: OwnWords = OwnWords()
    transcript: list[TranscriptMessage] = []
    flags: list[str] = []
    audit: list[WorkerChange] = []
    audit_chain_intact: bool = Field(True, description="False if `ras-chat audit verify` finds any break.")
    review: Review | None = Field(None, description="The worker's review; null before there is a record.")

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

    def dump_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)


def handoff_schema() -> dict:
    """The published JSON Schema of `ras-handoff/1` (the shape of `ras-chat export --format json`)."""
    schema = Handoff.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ras-chat.invalid/schemas/ras-handoff-1.json"
    return schema


def handoff_schema_text() -> str:
    return json.dumps(handoff_schema(), indent=2, ensure_ascii=False) + "\n"


# ----- building -------------------------------------------------------------------------------


def build_handoff(details: dict, *, audit_chain_intact: bool = True, exported_at: str | None = None) -> Handoff:
    """The hand-off for one session from `Store.details(id)` (snapshot, record, result, audit)."""
    snap = details["snapshot"]
    record = details.get("record")
    answers = snap.get("answers") if isinstance(snap.get("answers"), dict) else {}
    review = _review(details)
    own = OwnWords(
        what_matters=(record or {}).get("what_matters") or _text(answers.get("what_matters")),
        area_notes=dict((record or {}).get("area_notes") or {}),
        notes=(record or {}).get("notes"),
    )
    try:
        return Handoff(
            exported_at=exported_at or now(),
            status=snap.get("status") or "in_progress",
            session=SessionInfo(
                id=snap["id"],
                policy=_text(snap.get("policy")),
                created=_text(snap.get("created")),
                updated=_text(snap.get("updated")),
                state=_text(snap.get("state")),
                who=who_text(snap.get("who")),
            ),
            assessment=AssessmentRecord.model_validate(record) if record else None,
            result=Allocation.model_validate(details["result"]) if details.get("result") else None,
            own_words=own,
            transcript=[_message(m) for m in snap.get("transcript") or []],
            flags=_flags(snap.get("flags")) or list((record or {}).get("flags") or []),
            audit=[WorkerChange(**_entry(e)) for e in details.get("audit") or []],
            audit_chain_intact=audit_chain_intact,
            review=review,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidData(f"session {snap.get('id')!r} cannot be exported: {where}: {err['msg']}") from None


def _review(details: dict) -> Review | None:
    """The review part, or None when there is no record to review (or its policy cannot be read)."""
    from ras.policy import DataFileError
    from ras_chat.review.model import ReviewError, reviewed

    if not details.get("record"):
        return None
    try:
        r = reviewed(details)
    except (ReviewError, DataFileError, ValidationError, ValueError, OSError):
        return None
    seqs = {c.seq for c in r.changes}
    return Review(
        adjusted_record=r.adjusted_record,
        adjusted_result=r.adjusted_result,
        override_weekly=r.override,
        agreed_weekly=r.agreed_weekly,
        amount_changed=r.amount_changed,
        signed_off=r.signed_off is not None,
        changes=[WorkerChange(**_entry(e)) for e in details.get("audit") or [] if _entry(e)["seq"] in seqs],
    )


def _entry(e: Any) -> dict:
    data = e.as_dict() if hasattr(e, "as_dict") else dict(e)
    data.pop("session_id", None)
    return data


def _message(m: dict) -> TranscriptMessage:
    known = {k: m.get(k) for k in ("role", "text", "at", "state", "kind") if m.get(k) is not None}
    known["at"] = _text(known.get("at"))
    return TranscriptMessage(**known, choices=list(m.get("choices") or []))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("id") or value.get("name")
    return None if value is None else str(value)


def _flags(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, dict):
        return [str(k) for k, v in value.items() if v]
    out = []
    for f in value:
        if isinstance(f, dict) and "code" in f:  # the dialogue's Flag: level, code, text for the worker
            out.append(": ".join(str(f[k]) for k in ("level", "code", "text") if f.get(k)))
        else:
            out.append(f if isinstance(f, str) else json.dumps(f, sort_keys=True))
    return out


# ----- redaction ------------------------------------------------------------------------------

_ID_LIKE = re.compile(r"^[a-z0-9_.:-]{1,40}$")


def redact(h: Handoff) -> Handoff:
    """Names and free text removed, for trainers and analysts; answers chosen from a list stay.

    Removed: the person's name (also where the assistant said it), everything typed that
    was not one of the offered choices, what matters and notes, the worker's name and
    reasons. Kept: the structured answers, the figures and their explanation, times,
    flags and the audit chain's hashes (so it still verifies against the database).
    """
    names = _name_parts(h.session.who)
    # first pass: which person messages were typed rather than picked from the choices offered
    typed: list[str] = []
    offered: set[str] = set()
    keep: list[bool] = []
    for m in h.transcript:
        if m.role == "assistant":
            offered = {_choice_label(c) for c in m.choices}
            offered |= {str(c[k]) for c in m.choices if isinstance(c, dict) for k in ("number", "value") if k in c}
            keep.append(True)
        else:
            picked = m.text.strip() in offered
            keep.append(picked)
            if not picked and m.text.strip():
                typed.append(m.text.strip())
    words = h.own_words
    typed += [t for t in (words.what_matters, words.notes, *words.area_notes.values()) if t]
    # the assistant may quote what was typed (a summary to check): remove it there too
    typed.sort(key=len, reverse=True)
    transcript: list[TranscriptMessage] = []
    for m, kept in zip(h.transcript, keep):
        if m.role == "assistant":
            text = _scrub(_remove_quotes(m.text, typed), names)
        else:
            text = m.text if kept else REMOVED
        choices = [_scrub(_choice_label(c), names) if isinstance(c, str) else c for c in m.choices]
        transcript.append(m.model_copy(update={"text": text, "choices": choices}))
    assessment = h.assessment
    if assessment is not None:
        assessment = assessment.model_copy(
            update={
                "what_matters": None,
                "area_notes": None,
                "notes": None,
                "flags": tuple(": ".join(f.split(": ")[:2]) for f in assessment.flags) if assessment.flags else None,
            }
        )
    audit = [
        a.model_copy(update={"who": "worker", "why": REMOVED, "what": _redact_what(a.what)}) for a in h.audit
    ]
    flags = [": ".join(f.split(": ")[:2]) for f in h.flags]  # level and code; the text may quote the person
    review = h.review
    if review is not None:
        adjusted = review.adjusted_record
        if adjusted is not None:
            adjusted = adjusted.model_copy(
                update={"what_matters": None, "area_notes": None, "notes": None, "flags": assessment.flags if assessment else None}
            )
        review = review.model_copy(
            update={
                "adjusted_record": adjusted,
                "changes": [
                    c.model_copy(update={"who": "worker", "why": REMOVED, "what": _redact_what(c.what)}) for c in review.changes
                ],
            }
        )
    return h.model_copy(
        update={
            "redacted": True,
            "flags": flags,
            "session": h.session.model_copy(update={"who": None}),
            "assessment": assessment,
            "own_words": OwnWords(),
            "transcript": transcript,
            "audit": audit,
            "review": review,
        }
    )


def _redact_what(what: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in what.items():
        if isinstance(value, str) and not _ID_LIKE.match(value) and not _looks_like_amount(value):
            out[key] = REMOVED
        else:
            out[key] = value
    return out


def _looks_like_amount(text: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


def _choice_label(c: Any) -> str:
    if isinstance(c, dict):
        return str(c.get("label") or c.get("text") or c.get("id") or "")
    return str(c)


def _name_parts(who: str | None) -> list[str]:
    if not who:
        return []
    parts = [who, *re.split(r"[\s,]+", who)]
    return sorted({p for p in parts if len(p) >= 2}, key=len, reverse=True)


def _remove_quotes(text: str, typed: list[str]) -> str:
    for t in typed:
        if len(t) >= 3:
            text = text.replace(t, REMOVED)
    return text


def _scrub(text: str, names: list[str]) -> str:
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[name]", text, flags=re.IGNORECASE)
    return text

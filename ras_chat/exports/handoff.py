"""The hand-off record `ras-handoff/3`: what a worker (or a council's case system) receives.

Built from what the store holds for one session (`Store.details`): the assessment record,
the engine's result with its explanation, the person's own words about what matters,
the transcript with times, flags, status, the worker's audit trail, the optional money
part (finance record and charge estimate) and the personal budget statement (Care Act
s.26). The JSON Schema is generated from the model (`handoff_schema()`, `ras-chat export
--schema`) and shipped beside this file as `handoff.schema.json`.

Version 2 added `money` and `budget`; version 3 adds `stopped`, `session.name`, `carer`
(the carer's own talk and its reg. 3 result) and `readings` (how each answer was read,
beside what was said). Each version forbade unknown keys, so a strict reader of an older
one would refuse the new parts. `read_handoff` still reads versions 1 and 2: what they did
not carry is null or empty ("not in this record"). Saved sessions of any age export as
version 3: a snapshot without the money fields gives `money.status = "not_reached"`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ras.charging import BudgetStatement, ChargeResult, FinanceRecord
from ras.eligibility import carer_eligibility
from ras.models import Allocation, AssessmentRecord, CarerRecord
from ras.policy import DataFileError
from ras_chat.dialogue.loader import load_dialogue
from ras_chat.dialogue.machine import SAFETY_STATE
from ras_chat.dialogue.mapping import field_of_key, fields_of
from ras_chat.dialogue.session import Session
from ras_chat.store.errors import InvalidData
from ras_chat.store.store import now, who_text

HANDOFF_SCHEMA_ID = "ras-handoff/3"
OLDER_SCHEMA_IDS = ("ras-handoff/1", "ras-handoff/2")
"""/3 adds the name the person likes to be called, `stopped`, the carer's own part and how
each answer was read; the older ones are read as /3 with those empty."""
SCHEMA_FILE = Path(__file__).with_name("handoff.schema.json")
REMOVED = "[removed]"

Status = Literal["in_progress", "handed_off", "agreed"]
MoneyStatus = Literal["not_reached", "skipped", "answered"]
ESTIMATE_NOTE = (
    "An estimate only, from what the person said in the conversation. It is not a decision: "
    "the council's financial assessment (a finance officer's money check) decides what the person pays."
)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SessionInfo(_Out):
    id: str
    policy: str | None = None
    created: str | None = None
    updated: str | None = None
    state: str | None = Field(None, description="Where the conversation is (or stopped).")
    who: str | None = Field(None, description="Who answered (self, with_help, on_behalf) or a name; null when redacted.")
    name: str | None = Field(None, description="What the person likes to be called, as they gave it; null when not given or redacted.")


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


class AnswerReading(_Out):
    """How one answer was read: the person's words beside the value, for the worker."""

    field: str = Field(description="The record field the answer sets (`areas.health.need`).")
    value: Any = None
    said: str | None = Field(None, description="What the person typed; null when redacted.")
    how: str = Field(description="number, label, words, model (understood from free text), text, amount or implied.")
    confidence: float
    confirmed: bool = Field(False, description="The person said yes to \"It sounds like ... Is that right?\".")


class CarerPart(_Out):
    """The carer's own conversation (Care Act s.10) and its reg. 3 result, when they had one."""

    record: CarerRecord
    eligible: bool
    conditions: dict[str, bool] = {}
    reason: str = ""


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


class MoneyPart(_Out):
    """The optional money part of the conversation, asked after the result (an estimate only)."""

    status: MoneyStatus = Field(
        "not_reached",
        description="`answered`: the person chose to answer the money questions (an estimate may still be "
        "missing, see `missing`); `skipped`: they chose to skip them; `not_reached`: not asked (not eligible, "
        "not there yet, or a session saved before the money part existed).",
    )
    answers: int = Field(0, description="Answers the person gave in the money part, the answer to the offer included.")
    finance: FinanceRecord | None = Field(None, description="`ras-finance/1` built from the money answers; null when skipped or not enough was answered.")
    charge: ChargeResult | None = Field(None, description="`ras-charge/1`: the charge estimate, step by step; null when none could be made.")
    missing: list[str] = Field([], description="Why there is no charge figure: questions not answered, or a figure not in the charging rules.")
    note: str = ESTIMATE_NOTE


class Handoff(_Out):
    """`ras-handoff/3`."""

    schema_: Literal["ras-handoff/3"] = Field(HANDOFF_SCHEMA_ID, alias="schema")
    exported_at: str
    generator: str = "ras-chat"
    redacted: bool = False
    status: Status
    stopped: bool = Field(False, description="The questions stopped at a possible disclosure of harm (an urgent flag says what).")
    session: SessionInfo
    assessment: AssessmentRecord | None = Field(None, description="`ras-assessment/1`; null until the conversation has one.")
    result: Allocation | None = Field(None, description="`ras-allocation/1`, with the explanation step by step.")
    own_words: OwnWords = OwnWords()
    transcript: list[TranscriptMessage] = []
    flags: list[str] = []
    audit: list[WorkerChange] = []
    audit_chain_intact: bool = Field(True, description="False if `ras-chat audit verify` finds any break.")
    review: Review | None = Field(None, description="The worker's review; null before there is a record.")
    money: MoneyPart | None = Field(None, description="The optional money part; null only in a record read from `ras-handoff/1`.")
    carer: CarerPart | None = Field(None, description="The carer's own talk and its reg. 3 result; null when they had none.")
    readings: list[AnswerReading] = Field([], description="How each answer given in words was read, beside what was said.")
    budget: BudgetStatement | None = Field(
        None,
        description="`ras-budget-statement/1` (Care Act s.26) for the amount that stands (the worker's agreed amount "
        "when it differs from the first result, else the first result): weekly and yearly total, and the person's and "
        "council's parts only when the money part gave an estimate (`parts_known`), an estimate that the council's "
        "financial assessment decides. Null when there is no result, the person is not eligible, or the charging "
        "files cannot be read.",
    )

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

    def dump_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)


def handoff_schema() -> dict:
    """The published JSON Schema of `ras-handoff/3` (the shape of `ras-chat export --format json`)."""
    schema = Handoff.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ras-chat.invalid/schemas/ras-handoff-2.json"
    return schema


def handoff_schema_text() -> str:
    return json.dumps(handoff_schema(), indent=2, ensure_ascii=False) + "\n"


def read_handoff(data: dict | str | bytes) -> Handoff:
    """A hand-off record from its JSON, version 3 or the older 2 or 1 (read with what they
    did not carry null or empty). Raises InvalidData."""
    try:
        raw = json.loads(data) if isinstance(data, (str, bytes)) else dict(data)
    except ValueError as exc:
        raise InvalidData(f"not a hand-off record: {exc}") from None
    if not isinstance(raw, dict):
        raise InvalidData("not a hand-off record: expected a JSON object")
    if raw.get("schema") in OLDER_SCHEMA_IDS:
        raw = {**raw, "schema": HANDOFF_SCHEMA_ID}
    try:
        return Handoff.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidData(f"not a readable hand-off record: {where}: {err['msg']}") from None


# ----- building -------------------------------------------------------------------------------


def build_handoff(details: dict, *, audit_chain_intact: bool = True, exported_at: str | None = None) -> Handoff:
    """The hand-off for one session from `Store.details(id)` (snapshot, record, result, audit)."""
    snap = details["snapshot"]
    record = details.get("record")
    answers = snapshot_fields(snap)
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
                name=_text(answers.get("name")),
            ),
            stopped=_text(snap.get("state")) == SAFETY_STATE,
            assessment=AssessmentRecord.model_validate(record) if record else None,
            result=Allocation.model_validate(details["result"]) if details.get("result") else None,
            own_words=own,
            transcript=[_message(m) for m in snap.get("transcript") or []],
            flags=_flags(snap.get("flags")) or list((record or {}).get("flags") or []),
            audit=[WorkerChange(**_entry(e)) for e in details.get("audit") or []],
            audit_chain_intact=audit_chain_intact,
            review=review,
            money=_money(snap),
            budget=_budget(snap, details.get("result"), review),
            carer=_carer(snap),
            readings=_readings(snap),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidData(f"session {snap.get('id')!r} cannot be exported: {where}: {err['msg']}") from None


def _carer(snap: dict) -> CarerPart | None:
    """The carer's part, worked out by the session from its saved answers."""
    dialogue = _dialogue_of(snap)
    if dialogue is None:
        return None
    try:
        record = Session.restore(snap, dialogue=dialogue).carer_record()
    except (ValueError, ValidationError, DataFileError, OSError):
        return None
    if record is None:
        return None
    el = carer_eligibility(record)
    return CarerPart(record=record, eligible=el.eligible, conditions=dict(el.conditions), reason=el.reason)


def _readings(snap: dict) -> list[AnswerReading]:
    """How each answer was read, by field (the snapshot keeps them by answer key)."""
    dialogue = _dialogue_of(snap)
    readings = snap.get("readings") if isinstance(snap.get("readings"), dict) else {}
    answers = snap.get("answers") if isinstance(snap.get("answers"), dict) else {}
    out = []
    for key, r in readings.items():
        field = field_of_key(dialogue, key) if dialogue else None
        if field is None or not isinstance(r, dict):
            continue
        out.append(AnswerReading(field=field, value=answers.get(key), said=r.get("said"), how=str(r.get("how") or ""),
                                 confidence=float(r.get("confidence") or 0), confirmed=bool(r.get("confirmed"))))
    return out


def _dialogue_of(snap: dict):
    try:
        return load_dialogue(_text(snap.get("dialogue")) or "assessment")
    except (DataFileError, OSError):
        return None


def snapshot_fields(snap: dict) -> dict:
    """A saved session's answers by the record field each sets (the dialogue's `sets:`),
    so nothing here reads a state's name. Empty when the dialogue cannot be read."""
    answers = snap.get("answers") if isinstance(snap.get("answers"), dict) else {}
    dialogue = _dialogue_of(snap)
    return fields_of(dialogue, answers) if dialogue else {}


def _review(details: dict) -> Review | None:
    """The review part, or None when there is no record to review (or its policy cannot be read)."""
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


def _money(snap: dict) -> MoneyPart:
    """The money part from the session snapshot (`finance`, `charge`, `money_missing`, and
    the answer to the offer). Older snapshots have none of these: `not_reached`."""
    answers = snapshot_fields(snap)
    finance, charge = snap.get("finance"), snap.get("charge")
    count = snap.get("money_answer_count") or 0
    if finance or charge or answers.get("money.offer") == "ask":
        status = "answered"
    elif "money.offer" in answers:  # "skip", or not answered ("I don't know"): the dialogue skips
        status = "skipped"
    else:
        status = "not_reached"
    return MoneyPart(
        status=status,
        answers=count if isinstance(count, int) else 0,
        finance=FinanceRecord.model_validate(finance) if finance else None,
        charge=ChargeResult.model_validate(charge) if charge else None,
        missing=[str(m) for m in snap.get("money_missing") or []],
    )


def _budget(snap: dict, result: dict | None, review: Review | None) -> BudgetStatement | None:
    """The s.26 statement for the amount that stands: the worker's agreed amount when it
    differs from the first result, else the first result. The person's and council's parts
    come from the stored charge estimate, worked out again from the stored finance record
    (same rules, same date) when the amount differs from the care cost it used."""
    from ras.charging import budget_statement, estimate_charge, load_charging_rules, load_statement_texts
    from ras.money import pence
    from ras.policy import DataFileError, load_policy

    if not result:
        return None
    alloc = Allocation.model_validate(result)
    if not alloc.eligible:
        return None
    try:
        as_of = dt.date.fromisoformat(str(snap.get("as_of") or alloc.as_of)[:10])
        rules = load_charging_rules().at(as_of)
        texts = load_statement_texts()
        if review is not None and review.amount_changed and review.agreed_weekly is not None:
            base = review.adjusted_result or alloc
            weekly = pence(review.agreed_weekly)
            if weekly != base.weekly:  # an amount set outside the tables: a year at the policy's weeks
                weeks = load_policy(base.policy).at(dt.date.fromisoformat(base.as_of[:10])).general.weeks_per_year
                base = base.model_copy(update={"weekly": weekly, "annual": pence(weekly * weeks)})
            alloc = base
        charge = ChargeResult.model_validate(snap["charge"]) if snap.get("charge") else None
        finance = FinanceRecord.model_validate(snap["finance"]) if snap.get("finance") else None
        if charge is not None and finance is not None and finance.care_cost != alloc.weekly:
            charge = estimate_charge(finance.model_copy(update={"care_cost": pence(alloc.weekly)}), rules)
    except (DataFileError, ValidationError, ValueError, OSError):
        return None
    return budget_statement(alloc, charge, texts, rules=rules)


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
    reasons, and the free text of the finance record (its id and notes, and any income
    note or spending description that is not a plain identifier). Kept: the structured
    answers, the figures and their explanation (money amounts too: capital, income items,
    the charge estimate and the budget statement), times, flags and the audit chain's
    hashes (so it still verifies against the database).

    Typed words are also removed where the assistant quoted them, except in result
    messages (worked out from figures and data files, never from typed text) and except
    typed amounts: removing "250" would turn "£14,250.00" into "£14,[removed].00".
    """
    names = _name_parts(h.session.who) + _name_parts(h.session.name)
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
    typed = [t for t in typed if not _looks_like_money(t)]
    typed += [t for t in (words.what_matters, words.notes, *words.area_notes.values()) if t]
    money, money_words = _redact_money(h.money)
    typed += money_words
    # the assistant may quote what was typed (a summary to check): remove it there too
    typed.sort(key=len, reverse=True)
    money_words.sort(key=len, reverse=True)
    transcript: list[TranscriptMessage] = []
    for m, kept in zip(h.transcript, keep):
        if m.role == "assistant":
            quoted = money_words if m.kind == "result" else typed
            text = _scrub(_remove_quotes(m.text, quoted), names)
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
            "session": h.session.model_copy(update={"who": None, "name": None}),
            "readings": [_redact_reading(r) for r in h.readings],
            "carer": None if h.carer is None else h.carer.model_copy(
                update={"record": h.carer.record.model_copy(update={"cared_for_relationship": None})}
            ),
            "assessment": assessment,
            "own_words": OwnWords(),
            "transcript": transcript,
            "audit": audit,
            "review": review,
            "money": money,
        }
    )


def _redact_reading(r: AnswerReading) -> AnswerReading:
    """Typed words go; a value picked from a list stays (a free-text answer's value is its words)."""
    if r.how in ("number", "label"):
        return r
    return r.model_copy(update={"said": None, "value": REMOVED if r.how == "text" else r.value})


def _redact_money(money: MoneyPart | None) -> tuple[MoneyPart | None, list[str]]:
    """The money part without its free text, and the words removed (to remove them where
    the charge steps or the assistant repeat them). Amounts and kinds stay."""
    if money is None or money.finance is None:
        return money, []
    f = money.finance
    removed = [t for t in (f.id, f.notes) if t]
    income = []
    for item in f.income:
        if item.note and not _ID_LIKE.match(item.note):
            removed.append(item.note)
            item = item.model_copy(update={"note": REMOVED})
        income.append(item)
    dre = None
    if f.dre is not None:
        dre = []
        for item in f.dre:
            if not _ID_LIKE.match(item.what):
                removed.append(item.what)
                item = item.model_copy(update={"what": REMOVED})
            dre.append(item)
    finance = f.model_copy(update={"id": None, "notes": None, "income": tuple(income), "dre": None if dre is None else tuple(dre)})
    charge = money.charge
    words = sorted({w for w in removed if w}, key=len, reverse=True)
    if charge is not None and words:
        steps = tuple(st.model_copy(update={"text": _remove_quotes(st.text, words)}) for st in charge.steps)
        charge = charge.model_copy(update={"steps": steps})
    return money.model_copy(update={"finance": finance, "charge": charge}), words


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


def _looks_like_money(text: str) -> bool:
    """A typed amount ("250", "£15,750", "28.70"); not a long number such as a phone number."""
    bare = text.replace("£", "").replace(",", "").strip()
    return re.fullmatch(r"\d{1,7}(\.\d{1,2})?", bare) is not None


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
    """Each typed text (3 characters or more) removed where it stands as words of its own:
    a typed "skip" is removed from "you can skip this", not from "skipped"."""
    for t in typed:
        if len(t) >= 3:
            text = re.sub(rf"(?<!\w){re.escape(t)}(?!\w)", REMOVED, text)
    return text


def _scrub(text: str, names: list[str]) -> str:
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[name]", text, flags=re.IGNORECASE)
    return text

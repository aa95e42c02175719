"""The hand-off record `ras-handoff/4` as a model: its parts, its published JSON Schema,
and reading it back (versions 1, 2 and 3 too). Built by `handoff_build`, redacted by
`redact`; `ras_chat.exports.handoff` keeps every name importable from one place.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ras.charging import BudgetStatement, ChargeResult, FinanceRecord
from ras.models import Allocation, AssessmentRecord, CarerRecord
from ras_chat.store.errors import InvalidData

HANDOFF_SCHEMA_ID: Literal["ras-handoff/4"] = "ras-handoff/4"
OLDER_SCHEMA_IDS = ("ras-handoff/1", "ras-handoff/2", "ras-handoff/3")
"""/3 adds the name the person likes to be called, `stopped`, the carer's own part and how
each answer was read; /4 adds the carer's reg. 3 `result` (which may be not known yet, with
`not_known`) and a carer record that may be `ras-carer/2`. The older ones are read as /4
with what they did not carry empty (a /3 carer part's result from its `eligible`)."""
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
    conditions: dict[str, bool | None] = Field({}, description="Each reg. 3 condition: true, false, or null when not known yet.")
    reason: str = ""
    result: Literal["eligible", "not_eligible", "not_known"] = Field(
        "not_eligible",
        description="eligible, not_eligible, or not_known (not known yet: the answers in `not_known` could still meet reg. 3). "
        "A file written before this field was added is read from `eligible`.",
    )
    not_known: tuple[str, ...] = Field((), description="The carer's answers reg. 3 waits on when the result is not known yet.")

    @model_validator(mode="before")
    @classmethod
    def _result_of_older_files(cls, data: Any) -> Any:
        if isinstance(data, dict) and "result" not in data:
            data = {**data, "result": "eligible" if data.get("eligible") else "not_known" if data.get("not_known") else "not_eligible"}
        return data


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
    """`ras-handoff/4`."""

    schema_: Literal["ras-handoff/4"] = Field(default=HANDOFF_SCHEMA_ID, alias="schema")
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
    """The published JSON Schema of `ras-handoff/4` (the shape of `ras-chat export --format json`)."""
    schema = Handoff.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ras-chat.invalid/schemas/ras-handoff-4.json"
    return schema


def handoff_schema_text() -> str:
    return json.dumps(handoff_schema(), indent=2, ensure_ascii=False) + "\n"


def read_handoff(data: dict | str | bytes) -> Handoff:
    """A hand-off record from its JSON, version 4 or the older 3, 2 or 1 (read with what
    they did not carry null or empty). Raises InvalidData."""
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

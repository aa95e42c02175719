"""The hand-off record `ras-handoff/4`: what a worker (or a council's case system) receives.

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

The parts live in three files along their seams: `handoff_model` (the model, its schema,
reading), `handoff_build` (building from the store) and `redact`. This module keeps every
name importable from here.
"""

from ras_chat.exports.handoff_build import build_handoff, snapshot_fields
from ras_chat.exports.handoff_model import (
    ESTIMATE_NOTE,
    HANDOFF_SCHEMA_ID,
    OLDER_SCHEMA_IDS,
    REMOVED,
    SCHEMA_FILE,
    AnswerReading,
    CarerPart,
    Handoff,
    MoneyPart,
    MoneyStatus,
    OwnWords,
    Review,
    SessionInfo,
    Status,
    TranscriptMessage,
    WorkerChange,
    handoff_schema,
    handoff_schema_text,
    read_handoff,
)
from ras_chat.exports.redact import redact

__all__ = [
    "ESTIMATE_NOTE",
    "HANDOFF_SCHEMA_ID",
    "OLDER_SCHEMA_IDS",
    "REMOVED",
    "SCHEMA_FILE",
    "AnswerReading",
    "CarerPart",
    "Handoff",
    "MoneyPart",
    "MoneyStatus",
    "OwnWords",
    "Review",
    "SessionInfo",
    "Status",
    "TranscriptMessage",
    "WorkerChange",
    "build_handoff",
    "handoff_schema",
    "handoff_schema_text",
    "read_handoff",
    "redact",
    "snapshot_fields",
]

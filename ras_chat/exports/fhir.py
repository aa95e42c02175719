"""The hand-off as a FHIR R4B QuestionnaireResponse, and the Questionnaire it answers, both
built and validated with fhir.resources.

Items follow the assessment record (`ras-assessment/1`) field by field, then the engine's
result, the person's words (unless redacted), the optional money part (finance record and
charge estimate, `money.*`), the personal budget statement (`budget.*`), the carer's own
part with its reg. 3 result (`carer.*`), flags and worker
changes (each change as items: seq, at, who, what field by field, why, hash). Money is a
GBP Quantity (ISO 4217). `status` follows the session: `in-progress`, `completed`, or
`stopped` when the talk stopped at a safety disclosure; `subject` carries the person's
name when one is known. Codes use `urn:ras-chat:*` systems; `questionnaire()` gives the
Questionnaire (generated from the dialogue, the policy and the money questions) that
every linkId of the response is an item of (`ras-chat export --format fhir-questionnaire`).

The items are built in `fhir_items`, the Questionnaire in `fhir_questionnaire`; this module
puts the response together and keeps their names importable from here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

if TYPE_CHECKING:
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from ras_chat.dialogue.machine import SAFETY_STATE
from ras_chat.exports.fhir_items import (
    GBP,
    budget_item,
    carer_item,
    change_item,
    coding,
    gbp,
    item,
    items_of,
    money_item,
)
from ras_chat.exports.fhir_questionnaire import QUESTIONNAIRE, questionnaire, questionnaire_items
from ras_chat.exports.handoff_model import Handoff
from ras_chat.store.errors import InvalidData

FHIR_STATUS = {"in_progress": "in-progress", "handed_off": "completed", "agreed": "completed"}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def fhir_status(h: Handoff) -> str:
    """`stopped` after a safety stop (the session ended in the safety state, or holds a
    safety flag), else from the session status: `in-progress` or `completed`."""
    stopped = h.stopped or h.session.state == SAFETY_STATE or any(
        f.split(": ")[1:2] == ["safety"] or f.startswith("safety") for f in h.flags
    )
    if stopped:
        return "stopped"
    return FHIR_STATUS[h.status]


WHO_CODES = frozenset({"self", "with_help", "on_behalf"})
"""What the dialogue's `who` answer holds (who is answering), which is not a name."""


def person_name(h: Handoff, name: str | None = None) -> str | None:
    """The person's name when one is known: `name` if given (say a `name` answer of the
    session), else the name the person gave, else the session's `who` when it is a name and
    not who-is-answering."""
    for candidate in (name, h.session.name, h.session.who):
        if isinstance(candidate, str) and candidate.strip() and candidate.strip() not in WHO_CODES:
            return candidate.strip()
    return None


def questionnaire_response(h: Handoff, *, name: str | None = None) -> QuestionnaireResponse:
    """A validated QuestionnaireResponse. `name`: the person's name when the caller knows it
    (it becomes `subject.display`); otherwise the session's own, if it holds one."""
    items: list[dict] = []
    a = h.assessment
    if a is not None:
        areas = []
        for area in ("health", "choice", "work", "community"):
            ans = a.areas.get(area)
            areas.append(
                item(
                    f"areas.{area}",
                    area,
                    items=items_of(
                        item(f"areas.{area}.need", "Need (0-4)", [{"valueInteger": ans.need}]),
                        item(f"areas.{area}.risk", "Risk if unmet (0-4)", [{"valueInteger": ans.risk}]),
                        item(f"areas.{area}.unpaid_support", "Unpaid support", [coding("unpaid-support", ans.unpaid_support)]),
                    ),
                )
            )
        items += items_of(
            item("client_group", "Client group", [coding("client-group", a.client_group)]),
            item("impairment", "Needs arise from a physical or mental impairment or illness", [{"valueBoolean": a.impairment}]),
            item("unable_outcomes", "Outcomes the person is unable to achieve", [coding("outcome", o) for o in a.unable_outcomes]),
            item("wellbeing_impact", "Significant impact on wellbeing", [{"valueBoolean": a.wellbeing_impact}]),
            item("fluctuating", "Needs fluctuate", [{"valueBoolean": a.fluctuating}]),
            item("areas", "Areas of life", items=items_of(*areas)),
        )
    words = h.own_words
    items += items_of(
        item("what_matters", "What matters to the person (own words)", [{"valueString": words.what_matters}] if words.what_matters else None)
    )
    r = h.result
    if r is not None:
        items += items_of(
            item(
                "result",
                "Indicative allocation",
                items=items_of(
                    item("result.eligible", "Eligible (Care Act 2014, reg. 2)", [{"valueBoolean": r.eligible}]),
                    item("result.method", "Allocation method", [coding("method", r.method)]),
                    gbp("result.weekly", "Indicative weekly amount", r.weekly),
                    gbp("result.annual", "Annual amount", r.annual),
                    gbp("result.range_low", "Range low a week", r.range.low),
                    gbp("result.range_high", "Range high a week", r.range.high),
                    item("result.band", "Band", [{"valueString": r.band}] if r.band else None),
                    item("result.explanation", "Explanation, step by step", [{"valueString": s.text} for s in r.explanation]),
                ),
            )
        )
    items += items_of(money_item(h), budget_item(h), carer_item(h))
    items += items_of(
        item("flags", "Flags", [{"valueString": f} for f in h.flags]),
        item("worker_changes", "Worker changes (audit trail)", items=items_of(*(change_item(e) for e in h.audit))),
    )
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": "urn:ras-chat:session", "value": h.session.id},
        "questionnaire": QUESTIONNAIRE,
        "status": fhir_status(h),
        "item": items or None,
    }
    known = person_name(h, name) if not h.redacted else None
    if known:
        data["subject"] = {"display": known}
    if _FHIR_ID.match(h.session.id):
        data["id"] = h.session.id
    if h.session.updated:
        data["authored"] = h.session.updated
    data = {k: v for k, v in data.items() if v is not None}
    try:
        from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

        resource = QuestionnaireResponse.model_validate(data)
    except ValidationError as exc:
        raise InvalidData(f"the FHIR export did not validate: {exc.errors()[0]['msg']}") from None
    return resource


__all__ = [
    "FHIR_STATUS",
    "GBP",
    "QUESTIONNAIRE",
    "SAFETY_STATE",
    "WHO_CODES",
    "fhir_status",
    "person_name",
    "questionnaire",
    "questionnaire_items",
    "questionnaire_response",
]

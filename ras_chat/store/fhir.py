"""The hand-off as a FHIR R4B QuestionnaireResponse, built and validated with fhir.resources.

Items follow the assessment record (`ras-assessment/1`) field by field, then the engine's
result, the person's words (unless redacted), flags and worker changes. Codes use
`urn:ras-chat:*` systems; a council mapping them to its own Questionnaire can do so by
linkId.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ras_chat.store.errors import InvalidData
from ras_chat.store.handoff import Handoff

QUESTIONNAIRE = "urn:ras-chat:questionnaire:ras-assessment-1"
FHIR_STATUS = {"in_progress": "in-progress", "handed_off": "completed", "agreed": "completed"}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def _coding(system: str, code: str) -> dict:
    return {"valueCoding": {"system": f"urn:ras-chat:{system}", "code": code, "display": code.replace("_", " ")}}


def _item(link_id: str, text: str, answers: list[dict] | None = None, items: list[dict] | None = None) -> dict | None:
    if not answers and not items:
        return None
    out: dict[str, Any] = {"linkId": link_id, "text": text}
    if answers:
        out["answer"] = answers
    if items:
        out["item"] = items
    return out


def _items(*candidates: dict | None) -> list[dict]:
    return [c for c in candidates if c is not None]


def questionnaire_response(h: Handoff) -> dict:
    """A validated QuestionnaireResponse as JSON-ready data."""
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    items: list[dict] = []
    a = h.assessment
    if a is not None:
        areas = []
        for area in ("health", "choice", "work", "community"):
            ans = a.areas.get(area)
            areas.append(
                _item(
                    f"areas.{area}",
                    area,
                    items=_items(
                        _item(f"areas.{area}.need", "Need (0-4)", [{"valueInteger": ans.need}]),
                        _item(f"areas.{area}.risk", "Risk if unmet (0-4)", [{"valueInteger": ans.risk}]),
                        _item(f"areas.{area}.unpaid_support", "Unpaid support", [_coding("unpaid-support", ans.unpaid_support)]),
                    ),
                )
            )
        items += _items(
            _item("client_group", "Client group", [_coding("client-group", a.client_group)]),
            _item("impairment", "Needs arise from a physical or mental impairment or illness", [{"valueBoolean": a.impairment}]),
            _item("unable_outcomes", "Outcomes the person is unable to achieve", [_coding("outcome", o) for o in a.unable_outcomes]),
            _item("wellbeing_impact", "Significant impact on wellbeing", [{"valueBoolean": a.wellbeing_impact}]),
            _item("fluctuating", "Needs fluctuate", [{"valueBoolean": a.fluctuating}]),
            _item("areas", "Areas of life", items=_items(*areas)),
        )
    words = h.own_words
    items += _items(
        _item("what_matters", "What matters to the person (own words)", [{"valueString": words.what_matters}] if words.what_matters else None)
    )
    r = h.result
    if r is not None:
        items += _items(
            _item(
                "result",
                "Indicative allocation",
                items=_items(
                    _item("result.eligible", "Eligible (Care Act 2014, reg. 2)", [{"valueBoolean": r.eligible}]),
                    _item("result.method", "Allocation method", [_coding("method", r.method)]),
                    _item("result.weekly", "Indicative weekly amount (GBP)", [{"valueDecimal": r.weekly}]),
                    _item("result.annual", "Annual amount (GBP)", [{"valueDecimal": r.annual}]),
                    _item("result.range_low", "Range low (GBP a week)", [{"valueDecimal": r.range.low}]),
                    _item("result.range_high", "Range high (GBP a week)", [{"valueDecimal": r.range.high}]),
                    _item("result.band", "Band", [{"valueString": r.band}] if r.band else None),
                    _item("result.explanation", "Explanation, step by step", [{"valueString": s.text} for s in r.explanation]),
                ),
            )
        )
    items += _items(
        _item("flags", "Flags", [{"valueString": f} for f in h.flags]),
        _item(
            "worker_changes",
            "Worker changes (audit trail)",
            [{"valueString": f"#{e.seq} {e.at} {e.who}: {e.what} - {e.why} (hash {e.hash})"} for e in h.audit],
        ),
    )
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": "urn:ras-chat:session", "value": h.session.id},
        "questionnaire": QUESTIONNAIRE,
        "status": FHIR_STATUS[h.status],
        "item": items or None,
    }
    if _FHIR_ID.match(h.session.id):
        data["id"] = h.session.id
    if h.session.updated:
        data["authored"] = h.session.updated
    data = {k: v for k, v in data.items() if v is not None}
    try:
        resource = QuestionnaireResponse.model_validate(data)
    except ValidationError as exc:
        raise InvalidData(f"the FHIR export did not validate: {exc.errors()[0]['msg']}") from None
    return resource

"""The conversation so far in a worker's terms: where the person is, and the worker's panel.

A mixin of `Session`; professional words are fine here (workers read them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ras.eligibility import CARER_OUTCOME_WORDS, carer_eligibility
from ras.engine import calculate
from ras.models import AREA_IDS, OUTCOME_IDS, UNABLE_WAYS
from ras_chat.dialogue import registry
from ras_chat.dialogue.catalogue import say
from ras_chat.dialogue.mapping import level, text, unknown
from ras_chat.dialogue.parts import SessionParts

if TYPE_CHECKING:  # pragma: no cover
    pass


class WorkerView(SessionParts):
    """A mixin of `Session`."""

    def progress(self) -> tuple[int, int, str]:
        """Where the person is: (part, of parts, "Part 2 of 6: Work, learning and money")."""
        total = 2 + len(AREA_IDS)
        spec = self.spec
        names = list(self.dialogue.states)
        first_area_state = next((i for i, n in enumerate(names) if self.dialogue.states[n].scope != "once" or self.dialogue.states[n].part == "area"), len(names))
        here = names.index(self.state.state)
        if spec.part == "money" or spec.kind == "money":
            return total, total, say("progress.part", n=total, total=total, label=say("progress.money"))
        if spec.scope != "once" or spec.part == "area":
            area = self.state.cursor.get("area")
            order = registry.area_order(self.whole)
            n = 2 + (order.index(area) if area in order else 0)
            label = self.policy_at.areas[area].person_name if area in self.policy_at.areas else ""
        elif here < first_area_state:
            n, label = 1, say("progress.getting_started")
        else:
            n, label = total, say("progress.about_you")
        return n, total, say("progress.part", n=n, total=total, label=label)

    def worker_view(self) -> dict:
        """The conversation so far in professional terms, for a worker's panel."""
        pa = self.policy_at
        areas = {}
        for area in registry.area_order(self.whole):
            need = self._area_need(area)
            risk = level(self.answer("areas.{area}.risk", area=area))
            support = self.answer("areas.{area}.unpaid_support", area=area)
            outcomes = []
            for o in OUTCOME_IDS:
                if pa.outcomes[o].area != area:
                    continue
                picked = o in self.picked(area)
                ways = self.answer("unable_reasons.{outcome}", area=area, outcome=o)
                outcomes.append(
                    {
                        "id": o,
                        "regulation": pa.outcomes[o].regulation,
                        "said_hard": picked,
                        "unable": bool(need) and picked and isinstance(ways, list) and any(w in UNABLE_WAYS for w in ways),
                        "ways": [w for w in UNABLE_WAYS if isinstance(ways, list) and w in ways],
                        "not_known": unknown(ways),
                        "asked": self.answered("unable_reasons.{outcome}", area=area, outcome=o),  # its reg. 2(3) question was answered
                    }
                )
            areas[area] = {
                "worker_name": pa.areas[area].worker_name,
                "person_name": pa.areas[area].person_name,
                "need": need,
                "need_not_known": unknown(self.answer("areas.{area}.need", area=area)),
                "risk": risk if need else (0 if need == 0 else None),
                "unpaid_support": support if isinstance(support, str) else None,
                "what_matters": text(self.answer("areas.{area}.what_matters", area=area)),
                "going_well": text(self.answer("areas.{area}.going_well", area=area)),
                "outcomes": outcomes,
            }
        record = self.record()
        view: dict[str, Any] = {
            "session": self.state.id,
            "status": self.state.status,
            "state": self.state.state,
            "progress": self.progress()[2],
            "answered_by": self.state.who,
            "what_matters_most": text(self.answer("what_matters")),
            "areas": areas,
            "client_group": text(self.answer("client_group")),
            "fluctuating": self.answer("fluctuating"),
            "flags": [f.model_dump(mode="json") for f in self.state.flags],
            "not_known": sorted(k for k, v in self.state.answers.items() if unknown(v)),
            "record": record.dump() if record else None,
            "eligibility": None,
            "allocation": None,
            "carer": None,
            "money": {
                "answers": self.finance_answers() if self.state.money_answer_count else None,
                "finance": self.state.finance,
                "charge": self.state.charge,
                "missing": list(self.state.money_missing),
            },
        }
        if record is not None:
            alloc = calculate(record, pa)
            view["eligibility"] = {
                "draft": not self.finished,
                "eligible": alloc.eligibility.eligible,
                "conditions": alloc.eligibility.conditions,
                "reason": alloc.eligibility.reason,
                "rule": alloc.eligibility.rule,
                "wellbeing_impact_from": f"risk of {self.dialogue.spec.settings.wellbeing_impact_min_risk} or more in an area with need",
            }
            view["allocation"] = {
                "method": alloc.method,
                "weekly": str(alloc.weekly),
                "annual": str(alloc.annual),
                "range": {"low": str(alloc.range.low), "high": str(alloc.range.high)},
                "band": alloc.band,
                "reference_cost": str(alloc.reference_cost),
                "shortfall": str(alloc.shortfall),
                "elements": [{"area": e.area, "name": e.name, "amount": str(e.amount), "why": e.why} for e in alloc.elements],
            }
        carer = self.carer_record()
        if carer is not None:
            el = carer_eligibility(carer)
            view["carer"] = {
                "record": carer.dump(),
                "eligible": el.eligible,
                "result": el.result,
                "not_known": list(el.not_known),
                "conditions": el.conditions,
                "reason": el.reason,
                "outcomes": {o: CARER_OUTCOME_WORDS[o] for o in carer.unable_outcomes},
            }
        elif self.answer("carer.present") == "yes":
            view["carer"] = {"coping": self.answer("carer.coping"), "offer": self.answer("carer.offer")}
        return view


__all__ = ["WorkerView"]

"""`bands`: Coventry's outcomes-based bands, basic / standard / enhanced (seed 000).

score = sum of (need + risk) over the four areas; the band gives the weekly amount;
each area's element is its share of that amount in proportion to its (need + risk).
Unpaid support does not change the band: Coventry assesses carers in a parallel system.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from ras.messages import say
from ras.methods.base import MethodResult, element, step
from ras.models import AREA_IDS, AreaAnswer, AssessmentRecord, Element, Step
from ras.money import ZERO, pence, pounds
from ras.policy.model import BandRule, PolicyAt


def band_for(score: int, policy: PolicyAt) -> tuple[BandRule, Decimal]:
    for rule in policy.bands.bands:
        if rule.from_ <= score <= rule.to:
            amount = rule.base + rule.step * (score - rule.from_)
            if rule.cap is not None:
                amount = min(rule.cap, amount)
            return rule, pence(amount)
    raise ValueError(f"no band covers score {score}")  # the policy loader prevents this


def _area_score(policy: PolicyAt, area: str, answer: AreaAnswer) -> Step:
    return step(
        "bands.area_score",
        say("bands.area_score", name=policy.areas[area].person_name, need=answer.need, risk=answer.risk, score=answer.need + answer.risk),
    )


def compute(record: AssessmentRecord, policy: PolicyAt, explain: bool = True) -> MethodResult:
    answers = [record.areas.get(a) for a in AREA_IDS]
    steps = [
        policy.memo(
            ("bands.area", area, answer.need, answer.risk),
            partial(_area_score, policy, area, answer),
        )
        for area, answer in zip(AREA_IDS, answers)
    ]
    # the rest depends only on the four area scores and whether anyone helps: remembered
    # by those (at most 9^4 x 2 x 2 keys), which keeps `--batch` fast
    parts = tuple(answer.need + answer.risk for answer in answers)
    helped = any(answer.unpaid_support != "none" for answer in answers)
    elements, band_steps, band = policy.memo(
        ("bands.share", parts, helped, explain), lambda: _shares(dict(zip(AREA_IDS, parts)), helped, policy, explain)
    )
    return MethodResult(list(elements), steps + band_steps, band=band)


def _shares(
    parts: dict[str, int], helped: bool, policy: PolicyAt, explain: bool
) -> tuple[tuple[Element, ...], list, str]:
    """The band, its steps, and each area's share of the band's amount."""
    score = sum(parts.values())
    rule, total = band_for(score, policy)
    band_words = policy.bands.band_names[rule.band]
    steps = []
    if rule.band == "none" or total == ZERO:
        steps.append(step("bands.band", say("bands.no_amount", score=score, band=band_words), ZERO))
    else:
        steps.append(step("bands.band", say("bands.band", score=score, band=band_words, amount=pounds(total)), total))
        steps.append(step("bands.share", say("bands.share")))
    # each area's share, rounded; the last non-zero area takes the rounding difference
    elements: list[Element] = []
    last_nonzero = max((i for i, a in enumerate(AREA_IDS) if parts[a]), default=None)
    running = ZERO
    for i, area in enumerate(AREA_IDS):
        if not parts[area] or total == ZERO:
            amount = ZERO
        elif i == last_nonzero:
            amount = total - running
        else:
            amount = pence(total * parts[area] / score)
        running += amount
        name = policy.areas[area].person_name
        if not explain:
            why = ""
        elif amount:
            why = say("bands.share_why", part=parts[area], score=score, band=band_words)
        else:
            why = say("bands.no_share_why", area=name.lower())
        elements.append(element(policy.areas, area, amount, why))
    if total and helped:
        steps.append(step("bands.carers_separate", say("bands.carers_separate")))
    return tuple(elements), steps, rule.band

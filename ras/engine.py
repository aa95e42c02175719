"""From an assessment record to an allocation: eligibility, the method, totals, range,
sufficiency, and the explanation a person can follow from answers to total.

Pure: no files, no clock. The policy tables in force are passed in.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

from ras.eligibility import adult_eligibility
from ras.messages import say
from ras.methods import bands, costed, grid, points
from ras.methods.base import MethodResult, built, element, step
from ras.models import AREA_IDS, Allocation, AssessmentRecord, Eligibility, MoneyRange, Step
from ras.money import ZERO, pence, pounds
from ras.policy.model import PolicyAt

METHOD_FUNCTIONS = MappingProxyType(
    {"points": points.compute, "bands": bands.compute, "grid": grid.compute, "costed": costed.compute}
)

METHOD_NAMES = MappingProxyType(
    {
        "points": "points (In Control / Hartlepool allocation tables)",
        "bands": "outcome bands (Coventry: basic, standard, enhanced)",
        "grid": "risk grid (Doncaster RAS Grid)",
        "costed": "costed hours (reference costs of services)",
    }
)


def _reference_cost(record: AssessmentRecord, policy: PolicyAt, method: str, result: MethodResult) -> Decimal:
    ref_method = policy.general.reference_method
    ref = result if ref_method == method else METHOD_FUNCTIONS[ref_method](record, policy, explain=False)
    return sum((e.amount for e in ref.elements), ZERO)


def _not_eligible(policy: PolicyAt) -> MethodResult:
    """Every element 0.00, and one step saying there is no amount (spec section 4)."""
    why = say("total.not_eligible_part")
    return MethodResult(
        elements=[element(policy.areas, a, ZERO, why) for a in AREA_IDS],
        steps=[step("total.not_eligible", say("total.not_eligible"), ZERO)],
    )


def _money_steps(weekly: Decimal, fluctuating: bool, policy: PolicyAt) -> tuple[Decimal, MoneyRange, list[Step]]:
    """Annual and range from the weekly amount, with their steps (remembered: few distinct amounts)."""
    general = policy.general
    annual = pence(weekly * general.weeks_per_year)
    low = pence(weekly * general.range_low)
    high = pence(weekly * (general.range_high_fluctuating if fluctuating else general.range_high))
    range_text = say("total.range_fluctuating" if fluctuating else "total.range", low=pounds(low), high=pounds(high))
    steps = [
        step("total.weekly", say("total.weekly", weekly=pounds(weekly)), weekly),
        step("total.annual", say("total.annual", weeks=general.weeks_per_year, annual=pounds(annual)), annual),
        step("total.range", range_text),
    ]
    return annual, built(MoneyRange, low=low, high=high), steps


def _totals(record: AssessmentRecord, policy: PolicyAt, method: str, result: MethodResult) -> tuple[dict, list[Step]]:
    """Weekly, annual, range, reference cost and shortfall, with the steps that explain them."""
    weekly = sum((e.amount for e in result.elements), ZERO)
    annual, money_range, money_steps = policy.memo(
        ("totals", weekly, record.fluctuating), lambda: _money_steps(weekly, record.fluctuating, policy)
    )
    reference_cost = _reference_cost(record, policy, method, result)
    shortfall = max(ZERO, reference_cost - weekly)
    steps = list(money_steps)
    cost_text = say("sufficiency.cost", cost=pounds(reference_cost))
    if shortfall > 0:
        steps.append(step("sufficiency.shortfall", say("sufficiency.shortfall", cost_text=cost_text, shortfall=pounds(shortfall)), shortfall))
    else:
        steps.append(step("sufficiency.ok", say("sufficiency.ok", cost_text=cost_text)))
    steps.append(policy.memo(("step", "total.starting_point"), lambda: step("total.starting_point", say("total.starting_point"))))
    totals = {
        "weekly": weekly,
        "annual": annual,
        "range": money_range,
        "reference_cost": reference_cost,
        "shortfall": shortfall,
    }
    return totals, steps


def _eligibility(record: AssessmentRecord, policy: PolicyAt) -> tuple[Eligibility, Step]:
    eligibility = adult_eligibility(record, policy)
    return eligibility, step("eligibility.adult", eligibility.reason)


def calculate(record: AssessmentRecord, policy: PolicyAt, method: str | None = None) -> Allocation:
    """The allocation for `record` under `policy` (tables in force on one date) and `method`."""
    method = policy.method_or_default(method)
    eligibility, first = policy.memo(
        ("eligibility", record.impairment, record.wellbeing_impact, frozenset(record.unable_outcomes)),
        lambda: _eligibility(record, policy),
    )
    steps: list[Step] = [first]
    if eligibility.eligible:
        result = METHOD_FUNCTIONS[method](record, policy)
        totals, total_steps = _totals(record, policy, method, result)
    else:
        result = policy.memo(("not_eligible",), lambda: _not_eligible(policy))
        nothing = {"weekly": ZERO, "annual": ZERO, "reference_cost": ZERO, "shortfall": ZERO}
        totals, total_steps = {**nothing, "range": built(MoneyRange, low=ZERO, high=ZERO)}, []
    return built(  # in the model's field order, so the JSON reads in that order
        Allocation,
        schema_="ras-allocation/1",
        policy=policy.id,
        policy_effective_from=policy.effective_from.isoformat(),
        as_of=policy.as_of.isoformat(),
        method=method,
        eligible=eligibility.eligible,
        eligibility=eligibility,
        weekly=totals["weekly"],
        annual=totals["annual"],
        range=totals["range"],
        band=result.band if eligibility.eligible else None,
        reference_cost=totals["reference_cost"],
        shortfall=totals["shortfall"],
        elements=tuple(result.elements),
        explanation=(*steps, *result.steps, *total_steps),
        needs=record.areas.__dict__.copy(),  # the four areas, in AREA_IDS order
    )


def compare(record: AssessmentRecord, policy: PolicyAt) -> dict[str, Allocation]:
    """The record under every method, side by side."""
    return {m: calculate(record, policy, m) for m in METHOD_FUNCTIONS}

"""The money figures each method is calibrated on, read from and put back into a `PolicyAt`.

| method | parameter | what is fitted |
|---|---|---|
| points | `points.price_per_point` | pounds a point, for each client group |
| bands | `bands.bands` | each band's base and step (and its cap, scaled with the band) |
| grid | `grid.amount_by_risk` | pounds a week for an area with need, by risk level |
| costed | `costed.hours_by_need` | every hour figure times one multiplier |

Everything else in the policy (need points, weights, carer adjustments, band edges,
rates) stays as it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ras.policy.model import BandRule, PolicyAt

PARAMETER: dict[str, tuple[str, str]] = {
    "points": ("points", "price_per_point"),
    "bands": ("bands", "bands"),
    "grid": ("grid", "amount_by_risk"),
    "costed": ("costed", "hours_by_need"),
}
"""Where each method's fitted figures live in a policy file: `parameters.<section>.<name>`."""

PENNY = Decimal("0.01")
HOUR = Decimal("0.01")


def replace(policy: PolicyAt, method: str, value: Any) -> PolicyAt:
    """A copy of `policy` with the method's figures replaced by `value` (checked by the table model)."""
    section, name = PARAMETER[method]
    table = getattr(policy, section)
    data = table.model_dump(by_alias=True)
    data[name] = value
    new_table = type(table).model_validate(data)
    # build a new PolicyAt (not model_copy): anything the old one remembered about its
    # own figures must not follow it into the new one
    fields = {name: getattr(policy, name) for name in type(policy).model_fields}
    fields[section] = new_table
    return type(policy)(**fields)


def scale(policy: PolicyAt, method: str, factor: Decimal | float | str) -> PolicyAt:
    """The policy with the method's figures all multiplied by `factor` (exact, no rounding)."""
    f = Decimal(str(factor))
    value: Any  # the shape of the method's figures: a mapping, a list of bands, a list, hours by area
    if method == "points":
        value = {g: p * f for g, p in policy.points.price_per_point.items()}
    elif method == "bands":
        value = [band_dict(rule, base=rule.base * f, step=rule.step * f,
                           cap=None if rule.cap is None else rule.cap * f) for rule in policy.bands.bands]
    elif method == "grid":
        value = [a * f for a in policy.grid.amount_by_risk]
    elif method == "costed":
        value = {area: [h * f for h in hours] for area, hours in policy.costed.hours_by_need.items()}
    else:
        raise ValueError(f"unknown method {method!r}")
    return replace(policy, method, value)


def band_dict(rule: BandRule, **changes: Any) -> dict:
    """A band as it is written in a policy file (`from`, and `cap` only when there is one)."""
    data = {"band": rule.band, "from": rule.from_, "to": rule.to, "base": rule.base, "step": rule.step}
    if rule.cap is not None:
        data["cap"] = rule.cap
    data.update(changes)
    if data.get("cap") is None:
        data.pop("cap", None)
    return data


def file_value(policy: PolicyAt, method: str) -> Any:
    """The method's figures as they would be written in a policy file (plain data, Decimals)."""
    if method == "points":
        return dict(policy.points.price_per_point)
    if method == "bands":
        return [band_dict(rule) for rule in policy.bands.bands]
    if method == "grid":
        return list(policy.grid.amount_by_risk)
    if method == "costed":
        return {area: list(hours) for area, hours in policy.costed.hours_by_need.items()}
    raise ValueError(f"unknown method {method!r}")

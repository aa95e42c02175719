"""The tables the engine fills in, and one method over a chunk in exact whole pence.

Each area's element under `points`, `grid` and `costed` depends only on (client group,
need, risk, unpaid support) of that area, `bands` only on the four area scores, and
eligibility only on (impairment, impact on wellbeing, how many outcomes): the engine is
run once for each possibility that turns up, and each case's figures are looked up."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from ras.batch.read import _A, _CODES, _G, _MAX_UNABLE, Cases
from ras.eligibility import adult_eligibility
from ras.engine import METHOD_FUNCTIONS
from ras.models import AREA_IDS, CLIENT_GROUPS, OUTCOME_IDS, SUPPORT_LEVELS, AssessmentRecord
from ras.policy.model import PolicyAt

# ----- exact money in whole pence -------------------------------------------------------


def _ratio(value: Decimal) -> tuple[int, int]:
    num, den = value.as_integer_ratio()
    return num, den


def times_rounded(pence: np.ndarray, factor: Decimal) -> np.ndarray:
    """round(pence x factor) to whole pence, half away from zero: `ras.money.pence` (ROUND_HALF_UP)
    on the exact product. Pence in, pence out, no floating point."""
    num, den = _ratio(factor)
    values = pence.astype(np.int64)
    if values.size and int(np.abs(values).max()) * abs(num) * 2 + den >= 2**62:
        values = values.astype(object)  # Python integers: exact whatever the size
    product = values * num
    magnitude = (abs(product) * 2 + den) // (2 * den)
    return np.where(product < 0, -magnitude, magnitude)


def money_text(pence: int) -> bytes:
    """Whole pence as the engine's Decimal prints them: 1234 -> b"12.34", 0 -> b"0.00"."""
    sign = b"-" if pence < 0 else b""
    whole, part = divmod(abs(pence), 100)
    return b"%s%d.%02d" % (sign, whole, part)


# ----- the tables the engine fills in ---------------------------------------------------


def _answer(code: int) -> dict[str, Any]:
    return {"need": code // 15, "risk": code % 15 // 3, "unpaid_support": SUPPORT_LEVELS[code % 3]}


def _record(group: str = CLIENT_GROUPS[0], answers: tuple[dict[str, Any], ...] | None = None, **fields: Any) -> AssessmentRecord:
    data = {
        "schema": "ras-assessment/1",
        "client_group": group,
        "impairment": True,
        "wellbeing_impact": True,
        "unable_outcomes": list(OUTCOME_IDS),
    }
    if answers is not None:
        data["areas"] = dict(zip(AREA_IDS, answers))
    data.update(fields)
    return AssessmentRecord.model_validate(data)


def _whole_pence(amount: Decimal) -> int:
    scaled = amount.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"the engine gave {amount}, which is not whole pence")  # pence() prevents this
    return int(scaled)


class Tables:
    """Everything the engine would work out, tabulated for one policy's tables in force."""

    def __init__(self, policy: PolicyAt):
        self.policy = policy
        self._elements: dict[str, np.ndarray] = {}
        # bands by the four area scores (each 0-8): code = sum(score x 9^k)
        self._band_known = np.zeros(9**_A, dtype=bool)
        self._band_pence = np.zeros((9**_A, _A), dtype=np.int64)
        self._band_rule = np.zeros(9**_A, dtype=np.int64)
        self.band_names: list[str] = [rule.band for rule in policy.bands.bands]
        self._eligibility()
        general = policy.general
        self.weeks = general.weeks_per_year
        self.range_low, self.range_high, self.range_fluctuating = (
            general.range_low,
            general.range_high,
            general.range_high_fluctuating,
        )
        self._known = np.zeros(0, dtype=np.int64)  # amounts formatted so far, sorted
        self._texts = np.zeros(0, dtype=object)  # their texts, in the same order

    def _eligibility(self) -> None:
        """adult_eligibility for every (impairment, wellbeing, how many outcomes)."""
        self.eligible_table = np.zeros((2, 2, _MAX_UNABLE + 1), dtype=bool)
        self.eligibility_json = np.empty((2, 2, _MAX_UNABLE + 1), dtype=object)
        for imp in (0, 1):
            for wb in (0, 1):
                for k in range(_MAX_UNABLE + 1):
                    record = _record(impairment=bool(imp), wellbeing_impact=bool(wb), unable_outcomes=list(OUTCOME_IDS[:k]))
                    result = adult_eligibility(record, self.policy)
                    self.eligible_table[imp, wb, k] = result.eligible
                    # the line's "eligible" and "eligibility" fields, ready to go in
                    self.eligibility_json[imp, wb, k] = json.dumps(
                        {
                            "eligible": result.eligible,
                            "eligibility": {"eligible": result.eligible, "conditions": result.conditions},
                        },
                        separators=(",", ":"),
                    )[1:-1].encode()

    def elements(self, method: str) -> np.ndarray:
        """Pence per (client group, answer code, area) for points, grid or costed: the method run on
        a record whose four areas all have that answer (each area's element depends on it alone)."""
        table = self._elements.get(method)
        if table is None:
            compute = METHOD_FUNCTIONS[method]
            table = np.zeros((_G, _CODES, _A), dtype=np.int64)
            for g, group in enumerate(CLIENT_GROUPS):
                for code in range(_CODES):
                    result = compute(_record(group, (_answer(code),) * _A), self.policy, explain=False)
                    table[g, code] = [_whole_pence(e.amount) for e in result.elements]
            table.setflags(write=False)
            self._elements[method] = table
        return table

    def bands(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pence per area (n, 4) and the band's index for each row of area scores (n, 4)."""
        codes = scores @ (9 ** np.arange(_A - 1, -1, -1))
        missing = np.unique(codes[~self._band_known[codes]])
        compute = METHOD_FUNCTIONS["bands"]
        index = {rule.band: i for i, rule in enumerate(self.policy.bands.bands)}
        for code in missing.tolist():
            parts = [code // 9 ** (_A - 1 - k) % 9 for k in range(_A)]
            answers = tuple({"need": min(p, 4), "risk": p - min(p, 4)} for p in parts)
            result = compute(_record(answers=answers), self.policy, explain=False)
            self._band_pence[code] = [_whole_pence(e.amount) for e in result.elements]
            assert result.band is not None  # the bands method always names its band
            self._band_rule[code] = index[result.band]
            self._band_known[code] = True
        return self._band_pence[codes], self._band_rule[codes]

    def texts(self, values: np.ndarray) -> np.ndarray:
        """Money texts (bytes, object array) for whole pence; each distinct amount is formatted
        once per run and found again by binary search (sorted arrays, no per-value Python)."""
        unique, inverse = np.unique(values, return_inverse=True)
        known, texts = self._known, self._texts
        where = np.searchsorted(known, unique)
        found = where < len(known)
        found[found] = known[where[found]] == unique[found]
        if not found.all():
            new = unique[~found]
            known = np.concatenate((known, new))
            texts = np.concatenate((texts, np.array([money_text(v) for v in new.tolist()] + [None], dtype=object)[:-1]))
            order = np.argsort(known, kind="stable")
            self._known, self._texts = known[order], texts[order]
            known, texts = self._known, self._texts
            where = np.searchsorted(known, unique)
        return texts[where][inverse.reshape(values.shape)]


@dataclass(slots=True)
class Figures:
    """One method over one chunk, whole pence."""

    eligible: np.ndarray  # (n,) bool
    elements: np.ndarray  # (n, 4)
    weekly: np.ndarray
    annual: np.ndarray
    low: np.ndarray
    high: np.ndarray
    band: np.ndarray  # (n,) index into Tables.band_names, -1 for none
    reference_cost: np.ndarray
    shortfall: np.ndarray


def eligibility_index(cases: Cases) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return cases.impairment.astype(np.int64), cases.wellbeing.astype(np.int64), np.minimum(cases.unable, _MAX_UNABLE)


def method_elements(cases: Cases, tables: Tables, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Pence per area (n, 4) before eligibility, and the band index (-1 when the method has none)."""
    if method == "bands":
        scores = cases.codes // 15 + cases.codes % 15 // 3
        return tables.bands(scores)
    table = tables.elements(method)
    return table[cases.group[:, None], cases.codes, np.arange(_A)], np.full(len(cases), -1, dtype=np.int64)


def figures(cases: Cases, tables: Tables, method: str, cache: dict | None = None) -> Figures:
    """`method` over the chunk, as `ras.engine.calculate` would give it, in whole pence."""
    cache = {} if cache is None else cache
    ok = tables.eligible_table[eligibility_index(cases)]

    def elements(m: str) -> tuple[np.ndarray, np.ndarray]:
        if m not in cache:
            cache[m] = method_elements(cases, tables, m)
        return cache[m]

    raw, band = elements(method)
    el = np.where(ok[:, None], raw, 0)
    weekly = el.sum(axis=1)
    ref_raw, _ = elements(tables.policy.general.reference_method)
    reference = np.where(ok, ref_raw.sum(axis=1), 0)
    high = np.where(
        cases.fluctuating, times_rounded(weekly, tables.range_fluctuating), times_rounded(weekly, tables.range_high)
    )
    return Figures(
        eligible=ok,
        elements=el,
        weekly=weekly,
        annual=times_rounded(weekly, tables.weeks),
        low=times_rounded(weekly, tables.range_low),
        high=high,
        band=np.where(ok, band, -1),
        reference_cost=reference,
        shortfall=np.maximum(0, reference - weekly),
    )

"""Who gains and who loses if the council moves from one set of tables to another.

Every case is worked out under the proposed policy (A) and the one it is compared
against (B), each with its own method and date; change = A - B. A winner gets more
under A, a loser less. Pure: no files, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ras.finance import stats
from ras.finance.history import History
from ras.finance.vectorised import annual_pence, weekly_pence
from ras.models import CLIENT_GROUPS
from ras.policy.model import PolicyAt


def _side(changes: np.ndarray) -> dict:
    if len(changes) == 0:
        return {"count": 0, "mean": 0.0, "median": 0.0, "largest": 0.0, "weekly_total": 0.0}
    size = np.abs(changes)
    return {
        "count": int(len(changes)),
        "mean": stats.money(size.mean()),
        "median": stats.money(np.median(size)),
        "largest": stats.money(size.max()),
        "weekly_total": stats.money(size.sum()),
    }


@dataclass
class Simulation:
    history: History
    policy: PolicyAt
    against: PolicyAt
    method: str
    against_method: str
    amount: np.ndarray  # pence under A
    against_amount: np.ndarray  # pence under B

    @property
    def change(self) -> np.ndarray:
        return self.amount - self.against_amount

    def report(self, top: int = 5) -> dict:
        h = self.history
        change = self.change
        n = len(h)
        yearly_a = int(annual_pence(self.amount, self.policy).sum())
        yearly_b = int(annual_pence(self.against_amount, self.against).sum())
        groups = {}
        for g, name in enumerate(CLIENT_GROUPS):
            m = h.group == g
            if not m.any():
                continue
            c = change[m]
            groups[name] = {
                "cases": int(m.sum()),
                "winners": int((c > 0).sum()),
                "losers": int((c < 0).sum()),
                "unchanged": int((c == 0).sum()),
                "mean_change": stats.money(c.mean()),
                "weekly_change": stats.money(c.sum()),
            }
        order = np.argsort(change, kind="stable")

        def case(i: int) -> dict:
            return {
                "id": h.ids[i],
                "line": int(h.lines[i]),
                "client_group": CLIENT_GROUPS[h.group[i]],
                "amount": stats.money(self.amount[i]),
                "against": stats.money(self.against_amount[i]),
                "change": stats.money(change[i]),
            }

        report = {
            "policy": self.policy.id,
            "policy_as_of": self.policy.as_of.isoformat(),
            "method": self.method,
            "against": self.against.id,
            "against_as_of": self.against.as_of.isoformat(),
            "against_method": self.against_method,
            "history": h.source,
            "synthetic_cases": h.synthetic,
            "bad_lines": len(h.problems),
            "problems": [{"line": p.line, "message": p.message} for p in h.problems[:100]],
            "cases": n,
            "winners": _side(change[change > 0]),
            "losers": _side(change[change < 0]),
            "unchanged": int((change == 0).sum()),
            "by_client_group": groups,
            "weekly": {
                "policy": stats.money(self.amount.sum()),
                "against": stats.money(self.against_amount.sum()),
                "change": stats.money(change.sum()),
            },
            "yearly": {
                "policy": stats.money(yearly_a),
                "against": stats.money(yearly_b),
                "change": stats.money(yearly_a - yearly_b),
            },
            "largest_gains": [case(i) for i in order[::-1][:top] if change[i] > 0],
            "largest_losses": [case(i) for i in order[:top] if change[i] < 0],
        }
        has_cost = ~np.isnan(h.cost)
        if has_cost.any():
            actual = np.round(h.cost[has_cost] * 100).astype(np.int64)
            report["share_below_actual"] = {
                "policy": stats.fit(actual, self.amount[has_cost])["share_below_actual"],
                "against": stats.fit(actual, self.against_amount[has_cost])["share_below_actual"],
                "cases_with_cost": int(has_cost.sum()),
            }
        return report


def simulate(history: History, policy: PolicyAt, against: PolicyAt, method: str, against_method: str | None = None) -> Simulation:
    against_method = against_method or method
    return Simulation(
        history=history,
        policy=policy,
        against=against,
        method=method,
        against_method=against_method,
        amount=weekly_pence(history, policy, method),
        against_amount=weekly_pence(history, against, against_method),
    )

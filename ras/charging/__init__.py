"""Charging: an estimate of what a person pays towards care at home, and the Care Act
s.26 personal budget statement. Pure functions over data; figures live in
`ras/policies/charging/`.
"""

from ras.charging.calc import estimate_charge, tariff_income
from ras.charging.models import ChargeResult, FinanceRecord, FreeService, IncomeItem, SpendingItem, finance_schema
from ras.charging.rules import ChargingAt, ChargingRules, load_charging_rules

__all__ = [
    "ChargeResult",
    "ChargingAt",
    "ChargingRules",
    "FinanceRecord",
    "FreeService",
    "IncomeItem",
    "SpendingItem",
    "estimate_charge",
    "finance_schema",
    "load_charging_rules",
    "tariff_income",
]

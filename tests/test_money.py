"""The one money formatter (`ras.money.pounds`), used by every step and letter."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ras.money import pounds


@pytest.mark.parametrize(
    "value, text",
    [
        (D("1234.5"), "£1,234.50"),
        (D("0"), "£0.00"),
        (D("-85.81"), "-£85.81"),
        (D("-1234.565"), "-£1,234.57"),  # pence half up, away from zero
        (D("-0.001"), "£0.00"),  # rounds to nothing: no minus sign on £0.00
        (D("-0.00"), "£0.00"),
    ],
)
def test_a_negative_amount_puts_the_minus_before_the_pound_sign(value, text):
    assert pounds(value) == text

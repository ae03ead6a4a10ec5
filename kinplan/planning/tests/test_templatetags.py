"""How a step's quantity reads on the page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinplan.planning.templatetags.planning_tags import quantity_with_unit


@pytest.mark.parametrize(
    ("quantity", "unit", "reads"),
    [
        (Decimal("8.00"), "session", "8 sessions"),
        (Decimal("1.00"), "session", "1 session"),
        (Decimal("2.50"), "hour", "2.5 hours"),
        (Decimal("3"), "nights", "3 nights"),
        (Decimal("1"), "fixed sum", "1 fixed sum"),
        (Decimal("12"), "", "12"),
        (Decimal("10.00"), "item", "10 items"),
    ],
)
def test_the_unit_agrees_with_the_number(quantity, unit, reads):
    assert quantity_with_unit(quantity, unit) == reads

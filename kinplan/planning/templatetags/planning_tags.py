"""Small template helpers for the plan pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping[key]`, or None: for dictionaries keyed by a variable (e.g. a step's good-test issues)."""
    return mapping.get(key) if mapping else None


@register.filter
def days_before(day: datetime.date | None, today: datetime.date) -> int | None:
    """How many days `day` lies before `today` (how long a step has been overdue)."""
    return (today - day).days if day else None


@register.filter
def is_overdue(step: Any, today: datetime.date) -> bool:
    return step.is_overdue(today)


@register.filter
def quantity_with_unit(quantity: Any, unit: str) -> str:
    """'8 sessions', '1 session', '2.5 hours', '$300 fixed sum': the unit agrees with the number."""
    number = f"{quantity:f}".rstrip("0").rstrip(".") if quantity is not None else ""
    if not unit:
        return number
    plural = quantity is not None and quantity != 1 and unit[-1:].isalpha() and not unit.endswith(("s", "sum"))
    return f"{number} {unit}{'s' if plural else ''}"


@register.filter
def humanise(name: str) -> str:
    """A field name as words: `due_on` → `due on`."""
    return str(name).replace("_", " ")


@register.filter
def shown(value: Any) -> Any:
    """A history value as a reader wants it: blanks as a dash."""
    return "—" if value in (None, "", []) else value

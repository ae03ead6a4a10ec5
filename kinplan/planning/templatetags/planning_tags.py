"""Small template helpers for the plan pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

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
    number = formats.number_format(f"{quantity:f}".rstrip("0").rstrip(".")) if quantity is not None else ""
    if not unit:
        return number
    # The unit is the worker's own word: only an English one takes an English plural.
    english = (translation.get_language() or "en").startswith("en")
    plural = quantity is not None and quantity != 1 and unit[-1:].isalpha() and not unit.endswith(("s", "sum"))
    return f"{number} {unit}{'s' if plural and english else ''}"


# A plan's, goal's or step's content fields as the "changed since agreement" list names them.
CHANGED_FIELD_NAMES = {
    "permanency_goal": _("permanency goal"),
    "permanency_goal_detail": _("permanency goal detail"),
    "alternative_goal": _("alternative goal"),
    "alternative_goal_detail": _("alternative goal detail"),
    "ends_on": _("ends on"),
    "next_review_on": _("next review on"),
    "title": _("title"),
    "description": _("description"),
    "target_date": _("target date"),
    "track": _("track"),
    "parent": _("parent"),
    "what": _("what"),
    "details": _("details"),
    "kind": _("kind"),
    "responsible": _("responsible"),
    "responsible_person": _("responsible person"),
    "responsible_user": _("responsible user"),
    "responsible_name": _("responsible name"),
    "provider": _("provider"),
    "provider_service": _("provider service"),
    "starts_on": _("starts on"),
    "due_on": _("due on"),
    "timeline": _("timeline"),
    "quantity": _("quantity"),
    "unit": _("unit"),
    "frequency": _("frequency"),
    "costs_money": _("costs money"),
    "cost": _("cost"),
    "funder": _("funder"),
    "client_instructions": _("client instructions"),
    "worker_helps": _("worker helps"),
    "worker_help": _("worker help"),
}


@register.filter
def humanise(name: str) -> str:
    """A field name as words in the reader's language: `due_on` → `due on`."""
    known = CHANGED_FIELD_NAMES.get(str(name))
    return str(known) if known is not None else str(name).replace("_", " ")


@register.filter
def shown(value: Any) -> Any:
    """A history value as a reader wants it: blanks as a dash."""
    return "—" if value in (None, "", []) else value

"""Template helpers for the caseload."""

from __future__ import annotations

from typing import Any

from django import template

from kinplan.cases.due_dates import next_due_label

register = template.Library()


@register.filter
def due_label(case: Any) -> str:
    """What the case's next due date is: 'a plan step', 'plan review', 'court hearing', 'case review'…"""
    return next_due_label(case)

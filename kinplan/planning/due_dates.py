"""The plan's dates on a case's "next due": its next open step and its next review."""

from __future__ import annotations

import datetime

from django.db.models import Expression, OuterRef, Subquery

from kinplan.planning.models import Plan, Step

OPEN = (Step.Status.PLANNED, Step.Status.IN_PROGRESS)


def next_step_due(today: datetime.date) -> Expression:
    """The earliest due date of an open step in the case's current plan (unless the plan is closed)."""
    steps = Step.objects.filter(
        goal__plan__case=OuterRef("pk"), goal__plan__is_current=True, status__in=OPEN, due_on__isnull=False
    ).exclude(goal__plan__status=Plan.Status.CLOSED)
    return Subquery(steps.order_by("due_on").values("due_on")[:1])


def next_plan_review(today: datetime.date) -> Expression:
    """The current plan's next review date (unless the plan is closed)."""
    plans = Plan.objects.filter(case=OuterRef("pk"), is_current=True).exclude(status=Plan.Status.CLOSED)
    return Subquery(plans.values("next_review_on")[:1])

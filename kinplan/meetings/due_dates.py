"""A case's next meeting, on its "next due"."""

from __future__ import annotations

import datetime

from django.db.models import Expression, OuterRef, Subquery
from django.db.models.functions import TruncDate

from kinplan.meetings.models import Meeting


def next_meeting(today: datetime.date) -> Expression:
    """The day of the case's earliest scheduled meeting; one whose day has passed is still due to be recorded."""
    meetings = Meeting.objects.filter(case=OuterRef("pk"), status=Meeting.Status.SCHEDULED).order_by("starts_at")
    return Subquery(meetings.annotate(day=TruncDate("starts_at")).values("day")[:1])

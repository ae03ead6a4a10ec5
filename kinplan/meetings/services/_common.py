"""Helpers shared by the meetings services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case
from kinplan.core.errors import ensure
from kinplan.meetings.models import Meeting


def ensure_can_meet(actor: User, case: Case) -> None:
    ensure(can_edit_case(actor, case), "You cannot change this case's meetings.")


def locked(meeting: Meeting) -> Meeting:
    """The meeting, re-read and locked, so two people recording it at once take turns."""
    return Meeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)


def ensure_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled, so it can no longer change; schedule a new meeting instead.")


def when(meeting: Meeting) -> str:
    """'3 Jun 2026 at 10:00', in the site's time zone."""
    return f"{timezone.localtime(meeting.starts_at):%-d %b %Y at %H:%M}"

"""Helpers shared by the meetings services."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case
from kinplan.core.errors import ensure
from kinplan.meetings.models import Meeting


def ensure_can_meet(actor: User, case: Case) -> None:
    ensure(can_edit_case(actor, case), _("You cannot change this case's meetings."))


def locked(meeting: Meeting) -> Meeting:
    """The meeting, re-read and locked, so two people recording it at once take turns."""
    return Meeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)


def ensure_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(
            _("This meeting was cancelled, so it can no longer change; schedule a new meeting instead.")
        )


def when(meeting: Meeting) -> str:
    """'3 Jun 2026 at 10:00', in the site's time zone and the reader's language."""
    moment = timezone.localtime(meeting.starts_at)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(moment, "DATE_FORMAT"),
        "time": formats.time_format(moment, "TIME_FORMAT"),
    }


def day(value: datetime.date) -> str:
    """A date as a sentence writes it, in the reader's language: 4 Mar 2026."""
    return formats.date_format(value, "DATE_FORMAT")

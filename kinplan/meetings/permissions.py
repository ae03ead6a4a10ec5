"""Who may see and change meetings: as with the rest of the case, readers read them and editors record them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.http import Http404
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.meetings.models import Meeting

if TYPE_CHECKING:
    from django.http import HttpRequest


@rules.predicate
def can_edit_meeting(user: User, meeting: Meeting) -> bool:
    """A meeting is scheduled, recorded and moved on by those who may change its case."""
    return meeting is not None and can_edit_case(user, meeting.case)


rules.add_perm("meetings.change_meeting", can_edit_meeting)


def meeting_get_for_user_or_404(
    user: User, pk: int, *, request: HttpRequest | None = None, channel: str = "web"
) -> Meeting:
    """The meeting if `user` may see its case (logging that they looked at the case), else 404."""
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("No such meeting."))
    meeting.case = case_get_for_user_or_404(user, meeting.case_id, request=request, channel=channel)
    return meeting

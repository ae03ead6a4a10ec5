"""Reads over meetings: a meeting in full in a fixed number of queries, a case's meetings, and outcomes owed."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.meetings.models import ABSENT, Meeting, MeetingAction, MeetingParticipant, MeetingTransition
from kinplan.planning.models import Plan

WHO = ("team_member__person", "team_member__user", "person", "user")
# A required participant who was not at a held meeting and has not been sent its outcome (seed 003).
OUTCOME_OWED = Q(
    meeting__status=Meeting.Status.HELD, is_required=True, participation__in=ABSENT, outcome_sent_on__isnull=True
)


def meetings_in_full() -> QuerySet[Meeting]:
    """Meetings with their participants, actions (and the plan steps they became) and status changes, loaded in
    four queries however many there are."""
    participants = MeetingParticipant.objects.select_related(*WHO, "outcome_sent_by")
    actions = MeetingAction.objects.select_related("who_person", "who_user", "step__goal__plan")
    return Meeting.objects.select_related("case", "plan", "created_by", "support_role_explained_by").prefetch_related(
        Prefetch("participants", queryset=participants),
        Prefetch("actions", queryset=actions),
        Prefetch("transitions", queryset=MeetingTransition.objects.select_related("actor")),
    )


def meeting_in_full(meeting_id: int) -> Meeting:
    return meetings_in_full().get(pk=meeting_id)


def outcome_owed(meeting: Meeting) -> list[MeetingParticipant]:
    """Who must still be sent the outcome of `meeting` (its participants loaded)."""
    return [p for p in meeting.participants.all() if p.outcome_owed(meeting.status)]


def meetings_for_case(*, case: Case) -> QuerySet[Meeting]:
    """The case's meetings, latest first, each with its number of participants and `owed`: whoever must still be
    sent its outcome. Two queries, however many meetings and participants."""
    owed = MeetingParticipant.objects.filter(OUTCOME_OWED).select_related(*WHO)
    return (
        Meeting.objects.filter(case=case)
        .annotate(participant_count=Count("participants"))
        .prefetch_related(Prefetch("participants", queryset=owed, to_attr="owed"))
        .order_by("-starts_at", "-id")
    )


def meetings_section(*, case: Case, user: User) -> dict[str, Any]:
    """The case page's Meetings section: upcoming meetings (soonest first, with any not yet recorded), past ones,
    and every outcome still to send."""
    meetings = list(meetings_for_case(case=case))
    scheduled = sorted((m for m in meetings if m.status == Meeting.Status.SCHEDULED), key=lambda m: m.starts_at)
    section = {
        "upcoming": scheduled,
        "past": [m for m in meetings if m.status != Meeting.Status.SCHEDULED],
        "owed": [(m, p) for m in meetings for p in m.owed],
        "now": timezone.now(),
    }
    return {"meetings_section": section}


def plans_of(case: Case) -> QuerySet[Plan]:
    """The case's plan versions a meeting may be about, the current one first."""
    return case.plans.order_by("-is_current", "-version")

"""What goes in a user's calendar: their meetings, the due dates of steps they own, reviews and hearings in their
cases, and the permanent care plans they review — a fixed number of queries, whatever the caseload.

Calendars sync to phones, so events name the case by its reference and say what is due, never a child's name;
each links back to Kinplan, where the usual permissions apply."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import cases_visible_to
from kinplan.court.models import Hearing
from kinplan.meetings.models import Meeting
from kinplan.permanent_care.models import SupportArrangement
from kinplan.planning.models import Plan, Step

PAST_DAYS, FUTURE_DAYS = 30, 365
MEETING_LENGTH = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    path: str
    location: str = ""
    end: datetime.datetime | None = None


def my_cases(user: User) -> QuerySet[Case]:
    """The cases whose work is the user's: theirs as social worker or as allocated support caseworker."""
    return cases_visible_to(user).filter(Q(worker=user) | Q(support_worker=user))


def _reference(case: Case) -> str:
    return case.reference or _("case %(number)s") % {"number": case.pk}


def _meetings(user: User, since: datetime.date, until: datetime.date) -> list[Event]:
    visible = cases_visible_to(user)
    meetings = (
        Meeting.objects.filter(case__in=visible, starts_at__date__range=(since, until))
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(Q(case__in=my_cases(user)) | Q(participants__user=user) | Q(participants__team_member__user=user))
        .select_related("case")
        .distinct()
    )
    return [
        Event(
            uid=f"meeting-{m.pk}@kinplan",
            summary=f"{m.get_kind_display()} ({_reference(m.case)})",
            start=m.starts_at,
            end=m.starts_at + MEETING_LENGTH,
            location=m.place,
            path=reverse("meetings:detail", args=[m.case_id, m.pk]),
        )
        for m in meetings
    ]


def _steps(user: User, since: datetime.date, until: datetime.date) -> list[Event]:
    steps = (
        Step.objects.filter(
            goal__plan__is_current=True,
            goal__plan__case__in=cases_visible_to(user),
            status__in=[Step.Status.PLANNED, Step.Status.IN_PROGRESS],
            due_on__range=(since, until),
        )
        .filter(Q(goal__plan__case__in=my_cases(user)) | Q(responsible_user=user))
        .select_related("goal__plan__case")
    )
    return [
        Event(
            uid=f"step-{s.lineage}@kinplan",
            summary=_("Plan step due (%(case)s)") % {"case": _reference(s.goal.plan.case)},
            start=s.due_on,  # type: ignore[arg-type]
            path=reverse("planning:plan", args=[s.goal.plan.case_id]),
        )
        for s in steps
    ]


def _plan_reviews(user: User, since: datetime.date, until: datetime.date) -> list[Event]:
    plans = (
        Plan.objects.filter(case__in=my_cases(user), is_current=True, next_review_on__range=(since, until))
        .exclude(status=Plan.Status.CLOSED)
        .select_related("case")
    )
    return [
        Event(
            uid=f"plan-review-{p.pk}@kinplan",
            summary=_("Service plan review (%(case)s)") % {"case": _reference(p.case)},
            start=p.next_review_on,  # type: ignore[arg-type]
            path=reverse("planning:plan", args=[p.case_id]),
        )
        for p in plans
    ]


def _hearings(user: User, since: datetime.date, until: datetime.date) -> list[Event]:
    hearings = Hearing.objects.filter(
        case__in=my_cases(user), date__range=(since, until), status=Hearing.Status.SCHEDULED
    ).select_related("case")
    events = []
    for h in hearings:
        start: datetime.date | datetime.datetime = h.date
        end = None
        if h.time is not None:
            start = timezone.make_aware(datetime.datetime.combine(h.date, h.time))
            end = start + MEETING_LENGTH
        events.append(
            Event(
                uid=f"hearing-{h.pk}@kinplan",
                summary=_("Court hearing (%(case)s)") % {"case": _reference(h.case)},
                start=start,
                end=end,
                location=h.court,
                path=reverse("court:case", args=[h.case_id]),
            )
        )
    return events


def _support_plan_reviews(user: User, since: datetime.date, until: datetime.date) -> list[Event]:
    arrangements = SupportArrangement.objects.filter(
        case__in=cases_visible_to(user),
        reviewer=user,
        review_on__range=(since, until),
        status=SupportArrangement.Status.IN_PLACE,
    ).select_related("case")
    return [
        Event(
            uid=f"support-plan-review-{a.pk}@kinplan",
            summary=_("Permanent care support plan review (%(case)s)") % {"case": _reference(a.case)},
            start=a.review_on,  # type: ignore[arg-type]
            path=reverse("permanent_care:arrangement", args=[a.case_id, a.pk]),
        )
        for a in arrangements
    ]


def calendar_events(user: User, today: datetime.date | None = None) -> list[Event]:
    """Everything dated in the user's work from a month ago to a year ahead, in date order."""
    today = today or timezone.localdate()
    since, until = today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)
    events = [
        *_meetings(user, since, until),
        *_steps(user, since, until),
        *_plan_reviews(user, since, until),
        *_hearings(user, since, until),
        *_support_plan_reviews(user, since, until),
    ]
    return sorted(events, key=lambda e: (_as_date(e.start), e.uid))


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value

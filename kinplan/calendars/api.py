"""API endpoints for one's own calendar, as on the calendar page (the events, issuing or stopping the feed), and a
meeting's invitation file."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from kinplan.accounts.models import User
from kinplan.calendars import ics, selectors, services
from kinplan.calendars import schemas as s
from kinplan.calendars.models import CalendarFeed
from kinplan.calendars.views import CALENDAR
from kinplan.cases.permissions import case_for_api
from kinplan.core.api import found_or_404
from kinplan.meetings.models import Meeting

router = Router(tags=["calendar"])


def _calendar(user: User) -> dict[str, Any]:
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return {"feed": feed, "events": selectors.calendar_events(user)}


@router.get("/me/calendar", response=s.CalendarOut, summary="Your calendar: whether your feed is on, and its events")
def get_calendar(request: HttpRequest):  # type: ignore[no-untyped-def]
    return _calendar(request.user)  # type: ignore[arg-type]


@router.post(
    "/me/calendar/feed",
    response={201: s.FeedIssuedOut},
    summary="Get a new private feed address (shown once); the old address stops working",
)
def issue_feed(request: HttpRequest):  # type: ignore[no-untyped-def]
    feed, secret = services.calendar_feed_issue(actor=request.user)  # type: ignore[arg-type]
    feed.address = request.build_absolute_uri(reverse("calendars:feed", args=[secret]))  # type: ignore[attr-defined]
    return 201, feed


@router.post("/me/calendar/feed/stop", response=s.CalendarOut, summary="Stop your feed: its address no longer works")
def stop_feed(request: HttpRequest):  # type: ignore[no-untyped-def]
    services.calendar_feed_revoke(actor=request.user)  # type: ignore[arg-type]
    return _calendar(request.user)  # type: ignore[arg-type]


ICS: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The meeting as an iCalendar invitation (METHOD:REQUEST).",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/meetings/{meeting_id}/invitation.ics",
    summary="A meeting as an .ics invitation, to attach to an email to its participants",
    openapi_extra=ICS,
)
def meeting_invitation(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """As the meeting page's invitation: the participants with an email are its attendees, you its organiser."""
    meeting: Meeting = found_or_404(Meeting.objects.all(), meeting_id)
    case = case_for_api(request, meeting.case_id)
    meeting = Meeting.objects.prefetch_related(
        "participants__person",
        "participants__user",
        "participants__team_member__person",
        "participants__team_member__user",
    ).get(pk=meeting.pk)
    path = reverse("meetings:detail", args=[case.pk, meeting.pk])
    base_url = request.build_absolute_uri("/").rstrip("/")
    body = ics.meeting_invitation_ics(meeting, organiser_email=request.user.email, base_url=base_url, path=path)
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response

"""API endpoints for one's own calendar, as on the calendar page: the events, and issuing or stopping the feed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from kinplan.accounts.models import User
from kinplan.calendars import schemas as s
from kinplan.calendars import selectors, services
from kinplan.calendars.models import CalendarFeed

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

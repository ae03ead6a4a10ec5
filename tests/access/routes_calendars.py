"""The calendar routes in the access matrix (see routes.py for the tables and helpers).

The feed is read by calendar apps that cannot sign in: its secret address is the key, so everyone holding the
address — signed in as anyone or not at all — gets the same calendar, and nobody without it gets anything."""

from __future__ import annotations

import dataclasses

from tests.access.routes import CASE_READ, EVERYONE, OK, SIGNED_IN, Route, api, case_pk, web

WEB_ROUTES: list[Route] = [
    Route("calendars:settings", web("calendars:settings"), SIGNED_IN),
    Route("calendars:settings", web("calendars:settings"), SIGNED_IN, "POST", lambda w: {"action": "issue"}),
    Route(
        "calendars:feed",
        web("calendars:feed", lambda w: w.extra["calendar_secret"]),
        EVERYONE,
        anonymous=OK,
        writes=False,
    ),
    Route("calendars:meeting", web("calendars:meeting", case_pk, lambda w: w.extra["meeting"].pk), CASE_READ),
]

# One's own calendar: everyone signed in has one (a read-only token may read it, not issue or stop the feed).
API_ROUTES: list[Route] = [
    api("GET", "/me/calendar", SIGNED_IN),
    api("POST", "/me/calendar/feed", SIGNED_IN, ok=201),
    # Stopping a feed that is not on changes nothing, so only alice's (on in the world) is in history.
    dataclasses.replace(api("POST", "/me/calendar/feed/stop", SIGNED_IN), writes=False),
    api("GET", "/meetings/{meeting_id}/invitation.ics", CASE_READ, meeting_id=lambda w: w.extra["meeting"].pk),
]

ROUTES: list[Route] = WEB_ROUTES + API_ROUTES

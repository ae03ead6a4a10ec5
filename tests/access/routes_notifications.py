"""The notification and personal-settings routes in the access matrix (see routes.py for the tables and helpers).

Everyone signed in has their own list and settings; a reminder is its recipient's alone (anyone else: 404).
Marking one's own reminders read changes only one's own inbox, so it is not kept in the case history."""

from __future__ import annotations

from tests.access.routes import OWNER_ONLY, SIGNED_IN, Route, api, web


def notification_pk(w):
    return w.extra["notification"].pk


WEB_ROUTES: list[Route] = [
    Route("notifications:list", web("notifications:list"), SIGNED_IN),
    Route("notifications:badge", web("notifications:badge"), SIGNED_IN),
    Route("notifications:read_all", web("notifications:read_all"), SIGNED_IN, "POST", ok=302, writes=False),
    Route("notifications:open", web("notifications:open", notification_pk), OWNER_ONLY, "POST", ok=302, writes=False),
    Route("notifications:read", web("notifications:read", notification_pk), OWNER_ONLY, "POST", ok=302, writes=False),
    Route("notifications:settings", web("notifications:settings"), SIGNED_IN),
    Route(
        "notifications:settings",
        web("notifications:settings"),
        SIGNED_IN,
        "POST",
        lambda w: {"language": "nb", "step_overdue__in_app": "on"},
        ok=302,
    ),
]

API_ROUTES: list[Route] = [
    api("GET", "/notifications", SIGNED_IN),
    api("POST", "/notifications/read-all", SIGNED_IN),
    api("POST", "/notifications/{notification_id}/read", OWNER_ONLY, notification_id=notification_pk),
    api("GET", "/me/settings", SIGNED_IN),
    api("PUT", "/me/settings", SIGNED_IN, lambda w: {"language": "nb", "reminders": {}}),
]
for _route in API_ROUTES[1:3]:
    object.__setattr__(_route, "writes", False)

ROUTES: list[Route] = WEB_ROUTES + API_ROUTES

"""The signed-in user's own notifications and settings, over the API (each user sees only their own)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema

from kinplan.core.api import found_or_404, listed_after
from kinplan.notifications import selectors, services
from kinplan.notifications.models import ReminderKind
from kinplan.notifications.services import Choice

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    case_id: int | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    email_state: str


class NotificationPage(Schema):
    unread_count: int
    items: list[NotificationOut]
    next_after: int | None = Field(None, description="Pass as ?after= to get the next page; null on the last page.")


class ReadOut(Schema):
    marked_read: int


class ReminderChoice(Schema):
    in_app: bool = True
    by_email: bool = False


class SettingsIO(Schema):
    language: str = Field("", description="'' follows the browser; otherwise one of the shipped languages.")
    reminders: dict[str, ReminderChoice] = Field(
        default_factory=dict, description=f"Per kind of reminder: {', '.join(ReminderKind.values)}."
    )


@router.get("/notifications", response=NotificationPage)
def list_notifications(request: HttpRequest, unread: bool = False, after: int = 0, limit: int = 50) -> dict:
    """Your in-app reminders, newest first: at most `limit` (up to the page size), then the next page with
    `?after=next_after`."""
    limit = max(1, min(limit, settings.KINPLAN_PAGE_SIZE))
    notifications = selectors.notifications_for(request.user, unread_only=unread)
    if after:
        notifications = notifications.filter(listed_after(notifications, after, "created_at", newest_first=True))
    items = list(notifications[: limit + 1])
    return {
        "unread_count": selectors.unread_count(request.user),
        "items": items[:limit],
        "next_after": items[limit - 1].pk if len(items) > limit else None,
    }


@router.post("/notifications/read-all", response=ReadOut)
def read_all_notifications(request: HttpRequest) -> dict:
    return {"marked_read": services.mark_read(user=request.user)}


@router.post("/notifications/{notification_id}/read", response=ReadOut)
def read_notification(request: HttpRequest, notification_id: int) -> dict:
    notification = found_or_404(selectors.notifications_for(request.user), notification_id)
    return {"marked_read": services.mark_read(user=request.user, notification_ids=[notification.pk])}


def _settings_out(request: HttpRequest) -> dict:
    choices = selectors.reminder_choices(request.user)
    return {
        "language": request.user.language,
        "reminders": {kind: {"in_app": c.in_app, "by_email": c.by_email} for kind, c in choices.items()},
    }


@router.get("/me/settings", response=SettingsIO)
def get_settings(request: HttpRequest) -> dict:
    """Your language and how you get each kind of reminder."""
    return _settings_out(request)


@router.put("/me/settings", response=SettingsIO)
def put_settings(request: HttpRequest, payload: SettingsIO) -> dict:
    """Set your language and reminder choices; kinds left out keep the default (in Kinplan, not by e-mail)."""
    choices = {kind: Choice(c.in_app, c.by_email) for kind, c in payload.reminders.items()}
    services.save_settings(user=request.user, language=payload.language, choices=choices)
    return _settings_out(request)

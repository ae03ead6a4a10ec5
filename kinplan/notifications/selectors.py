"""What a person's notification list and settings page show."""

from __future__ import annotations

from django.db.models import QuerySet

from kinplan.accounts.models import User
from kinplan.notifications.models import Notification, ReminderKind
from kinplan.notifications.services import Choice, choice_for, preferences_of


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own in-app notifications, newest first."""
    notifications = Notification.objects.filter(recipient=user, in_app=True)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def unread_count(user: User) -> int:
    return notifications_for(user, unread_only=True).count()


def reminder_choices(user: User) -> dict[str, Choice]:
    """How the user wants each kind of reminder (defaults filled in)."""
    preferences = preferences_of([user.pk])
    return {kind: choice_for(preferences, user.pk, kind) for kind in ReminderKind.values}

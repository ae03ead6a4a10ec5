"""A private calendar feed per user: its address holds a secret; only the secret's SHA-256 digest is stored."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from kinplan.core.models import TimeStampedModel


class CalendarFeed(TimeStampedModel):
    """A user's private iCalendar feed. Revoking it (or issuing a new one) makes the old address stop working."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendars_calendarfeed_one_active_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}…"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

"""Issuing and revoking a user's private calendar feed."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record
from kinplan.calendars.models import CalendarFeed
from kinplan.core.errors import ensure


def _revoke_active(actor: User) -> None:
    for feed in CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True):
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            event="calendar.feed.revoked",
            target=feed,
            changes={"revoked_at": [None, str(feed.revoked_at)]},
        )


@transaction.atomic
def calendar_feed_issue(*, actor: User) -> tuple[CalendarFeed, str]:
    """Issue the user a new private feed address (the secret is returned once, never stored); any earlier
    address stops working at once."""
    ensure(actor.is_authenticated and actor.is_active, _("Sign in to have a calendar feed."))
    _revoke_active(actor)
    secret = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, prefix=secret[:8], digest=CalendarFeed.digest_of(secret))
    audit_record(actor=actor, event="calendar.feed.issued", target=feed, changes={"prefix": [None, feed.prefix]})
    return feed, secret


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> None:
    """Stop the user's feed address working (calendar apps subscribed to it get nothing more)."""
    _revoke_active(actor)


def calendar_feed_for(secret: str) -> CalendarFeed | None:
    """The active feed with this secret, and whose owner may still sign in; None otherwise."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(digest=CalendarFeed.digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())  # not history: a read
    return feed

"""Issuing reminders, sending their e-mail, reading them, and each person's choices. The only writers of this app.

Sent once, whoever runs it and however often: a reminder is a row unique on (recipient, key), inserted with
conflicts ignored, so two workers that find the same thing make one row. Its e-mail is claimed by the worker that
locks the row (`select_for_update(skip_locked=True)` on PostgreSQL; SQLite lets one writer in at a time), sent, and
marked SENT in the same transaction: a worker that dies before it commits leaves it PENDING for the next.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record
from kinplan.notifications.models import (
    DEFAULT_BY_EMAIL,
    DEFAULT_IN_APP,
    Notification,
    ReminderKind,
    ReminderPreference,
)
from kinplan.notifications.reminders import Candidate, candidates

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choice:
    in_app: bool
    by_email: bool


def preferences_of(users: Iterable[int]) -> dict[tuple[int, str], Choice]:
    """Each (user, kind) choice that differs from the default."""
    return {
        (p.user_id, p.kind): Choice(p.in_app, p.by_email)
        for p in ReminderPreference.objects.filter(user_id__in=list(users))
    }


DEFAULT_CHOICE = Choice(DEFAULT_IN_APP, DEFAULT_BY_EMAIL)


def choice_for(preferences: dict[tuple[int, str], Choice], user_id: int, kind: str) -> Choice:
    return preferences.get((user_id, kind), DEFAULT_CHOICE)


def _text(candidate: Candidate, language: str) -> str:
    with translation.override(language):
        params = {
            name: formats.date_format(value) if isinstance(value, datetime.date) else value
            for name, value in candidate.params.items()
        }
        return (gettext(candidate.title) % params)[:300]


def issue_reminders(today: datetime.date | None = None) -> int:
    """Issue every reminder due today that its recipient wants and has not had; returns how many are new."""
    today = today or timezone.localdate()
    found = list(candidates(today))
    if not found:
        return 0
    recipients = {
        user.pk: user
        for user in User.objects.filter(pk__in={c.recipient_id for c in found}, is_active=True).only(
            "pk", "language", "email"
        )
    }
    preferences = preferences_of(recipients)
    already = set(
        Notification.objects.filter(recipient_id__in=recipients, key__in={c.key for c in found}).values_list(
            "recipient_id", "key"
        )
    )
    new: dict[tuple[int, str], Notification] = {}
    for candidate in found:
        user = recipients.get(candidate.recipient_id)
        pair = (candidate.recipient_id, candidate.key)
        if user is None or pair in already or pair in new:
            continue
        choice = choice_for(preferences, user.pk, candidate.kind)
        emailed = choice.by_email and bool(user.email)
        if not (choice.in_app or emailed):
            continue
        new[pair] = Notification(
            recipient_id=user.pk,
            kind=candidate.kind,
            key=candidate.key,
            title=_text(candidate, user.language or settings.LANGUAGE_CODE),
            url=candidate.url,
            case_id=candidate.case_id,
            in_app=choice.in_app,
            email_state=Notification.EmailState.PENDING if emailed else Notification.EmailState.NOT_WANTED,
        )
    # Another worker may have inserted some of these since we looked: the unique key drops the duplicates.
    Notification.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=1000)
    return len(new)


def _email_body(notification: Notification, language: str) -> str:
    with translation.override(language):
        link = f"{settings.KINPLAN_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""
        lines = [
            notification.title,
            "",
            gettext("Open it in Kinplan: %(link)s") % {"link": link} if link else "",
            "",
            gettext("You get this because you chose e-mail for this kind of reminder in your Kinplan settings."),
        ]
    return "\n".join(lines)


def send_pending_emails() -> int:
    """Send every reminder e-mail still waiting; returns how many were sent.

    One message per transaction: it is marked SENT in the transaction that sent it, so a worker killed part-way
    leaves only the message it was sending PENDING, never the ones it had already sent."""
    sent = 0
    while True:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(email_state=Notification.EmailState.PENDING)
                .select_related("recipient")
                .order_by("pk")
                .first()
            )
            if notification is None:
                return sent
            language = notification.recipient.language or settings.LANGUAGE_CODE
            send_mail(
                subject=f"Kinplan: {notification.title}"[:200],
                message=_email_body(notification, language),
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
            Notification.objects.filter(pk=notification.pk).update(
                email_state=Notification.EmailState.SENT, emailed_at=timezone.now()
            )
            sent += 1


def run_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """The background job: issue today's reminders, then send the e-mail that waits."""
    issued = issue_reminders(today)
    emailed = send_pending_emails()
    logger.info("Reminders: %s issued, %s e-mailed", issued, emailed)
    return {"issued": issued, "emailed": emailed}


# --- the person's own list and choices -------------------------------------------------------------------


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when no ids are given); returns how many changed."""
    unread = Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def save_settings(*, user: User, language: str, choices: dict[str, Choice]) -> None:
    """Store the user's language and how they want each kind of reminder; the change is kept in history."""
    valid_languages = {code for code, _name in settings.LANGUAGES} | {""}
    if language not in valid_languages:
        raise ValidationError({"language": gettext("Choose one of the languages offered.")})
    unknown = sorted(set(choices) - set(ReminderKind.values))
    if unknown:
        raise ValidationError(
            {"reminders": gettext("Unknown kinds of reminder: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
        )
    with transaction.atomic():
        before: dict[str, Any] = {"language": user.language, **_choices_snapshot(user)}
        if user.language != language:
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language
        for kind in ReminderKind.values:
            choice = choices.get(kind, DEFAULT_CHOICE)
            ReminderPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"in_app": choice.in_app, "by_email": choice.by_email}
            )
        after = {"language": language, **_choices_snapshot(user)}
        changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
        if changes:
            audit_record(actor=user, event="user.settings.changed", target=user, changes=changes)


def _choices_snapshot(user: User) -> dict[str, str]:
    preferences = preferences_of([user.pk])
    snapshot = {}
    for kind in ReminderKind.values:
        choice = choice_for(preferences, user.pk, kind)
        snapshot[f"reminders.{kind}"] = (
            ",".join(name for name, wanted in (("in_app", choice.in_app), ("email", choice.by_email)) if wanted)
            or "none"
        )
    return snapshot

"""Reminders that keep the work moving, each a `Notification` to one person, and what each person wants sent.

A reminder is issued once: its `key` names what it is about and the state that prompted it (e.g. step 12 due on
1 Dec), and (recipient, key) is unique, so two workers that find the same thing at once make one row between them.
Its e-mail goes out from the row: `email_state` is PENDING until a worker sends it and marks it SENT in the same
transaction, so a worker that dies before it commits leaves the row PENDING for the next one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    STEP_DUE_SOON = "step_due_soon", _("A plan step is due soon")
    STEP_OVERDUE = "step_overdue", _("A plan step is overdue")
    REVIEW_COMING_UP = "review_coming_up", _("A review is coming up")
    APPROVAL_WAITING = "approval_waiting", _("An approval has waited too long")
    REFERRAL_WAITING = "referral_waiting", _("A referral has waited too long")
    PERMANENT_CARE_REVIEW = "permanent_care_review", _("A permanent care plan review is coming up")
    GLASS_BROKEN = "glass_broken", _("Someone opened a restricted case at your site (break the glass)")
    RETENTION_REVIEW_DUE = "retention_review_due", _("Closed cases at your site are due for a retention review")


class Notification(models.Model):
    class EmailState(models.TextChoices):
        NOT_WANTED = "not_wanted", _("Not wanted")
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=ReminderKind.choices)
    key = models.CharField(max_length=200, help_text="What the reminder is about and the state that prompted it.")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    in_app = models.BooleanField(default=True, help_text="Shown in the recipient's notification list.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=12, choices=EmailState.choices, default=EmailState.NOT_WANTED)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notifications_one_reminder_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "in_app", "read_at"], name="notifications_unread"),
            models.Index(
                fields=["email_state"],
                name="notifications_email_pending",
                condition=models.Q(email_state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReminderPreference(models.Model):
    """How one person wants one kind of reminder. Without a row: in the app, not by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences")
    kind = models.CharField(max_length=32, choices=ReminderKind.choices)
    in_app = models.BooleanField(_("in Kinplan"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


DEFAULT_IN_APP = True
DEFAULT_BY_EMAIL = False

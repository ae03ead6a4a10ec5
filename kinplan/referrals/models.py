"""Referrals: a family member referred to a provider for a service, with their consent, and the provider's answer.

A referral is drafted, sent (only with current consent and the information to send), then answered: accepted,
declined (with the reason) or waitlisted; an accepted referral starts and completes. It can be withdrawn, with
the reason, until it ends. Every move is kept, append-only, with who made it, when and on what date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import TimeStampedModel, TransitionLog

# How long a provider may take to answer, and how long a family may wait on a waitlist, before it is flagged.
DEFAULT_ANSWER_DAYS = 10
DEFAULT_WAITLIST_DAYS = 42


def answer_days() -> int:
    return int(getattr(settings, "KINPLAN_REFERRAL_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))


def waitlist_days() -> int:
    return int(getattr(settings, "KINPLAN_REFERRAL_WAITLIST_DAYS", DEFAULT_WAITLIST_DAYS))


class Referral(TimeStampedModel):
    """A person in a case referred to a provider (and one of its services) for a reason."""

    class Status(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WAITLISTED = "waitlisted", _("Waitlisted")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text=_("The family member referred."),
    )
    provider = models.ForeignKey(
        "providers.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="referrals"
    )
    provider_service = models.ForeignKey(
        "providers.ProviderService",
        verbose_name=_("provider service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    service_type = models.ForeignKey(
        "providers.ServiceType", verbose_name=_("service type"), on_delete=models.PROTECT, related_name="referrals"
    )
    step = models.ForeignKey(
        "planning.Step",
        verbose_name=_("step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text=_("The plan step this referral serves."),
    )
    reason = models.TextField(_("Why the referral is made"))
    information_sent = models.TextField(
        _("Information sent to the provider"),
        blank=True,
        help_text=_("What the provider is told; needed before sending."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFTED)
    status_on = models.DateField(_("status on"), help_text=_("The day the current status took effect."))
    status_changed_at = models.DateTimeField(
        _("status changed at"), help_text=_("When the current status was recorded.")
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    answered_on = models.DateField(
        _("answered on"), null=True, blank=True, help_text=_("The day of the provider's first answer.")
    )
    decline_reason = models.TextField(_("decline reason"), blank=True)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["drafted", "withdrawn"]) | Q(sent_on__isnull=False),
                name="referrals_referral_sent_has_date",
                violation_error_message=_("A referral that has been sent needs the date it was sent."),
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | ~Q(information_sent=""),
                name="referrals_referral_sent_has_information",
                violation_error_message=_("A referral that has been sent needs the information sent."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referrals_referral_declined_has_reason",
                violation_error_message=_("Record why the provider declined."),
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="referrals_referral_withdrawn_has_reason",
                violation_error_message=_("Record why the referral was withdrawn."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                name="referrals_referral_answered_after_sent",
                violation_error_message=_("A provider cannot answer before the referral was sent."),
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(status_on__gte=F("sent_on")),
                name="referrals_referral_status_after_sent",
                violation_error_message=_("A referral's status cannot change before it was sent."),
            ),
        ]
        indexes = [models.Index(fields=["status", "sent_on"], name="referrals_referral_status_sent")]

    def __str__(self) -> str:
        return gettext("Referral of %(person)s to %(provider)s") % {"person": self.person, "provider": self.provider}

    @property
    def is_final(self) -> bool:
        return not ALLOWED_TRANSITIONS[self.status]

    def waiting_since(self) -> datetime.date | None:
        """Since when the family has waited: for an answer once sent, or for a place once waitlisted."""
        if self.status in AWAITING_ANSWER:
            return self.sent_on
        if self.status == self.Status.WAITLISTED:
            return self.status_on
        return None

    def days_waiting(self, today: datetime.date) -> int | None:
        since = self.waiting_since()
        return (today - since).days if since else None

    def is_waiting_too_long(self, today: datetime.date) -> bool:
        waited = self.days_waiting(today)
        if waited is None:
            return False
        return waited > (waitlist_days() if self.status == self.Status.WAITLISTED else answer_days())


Status = Referral.Status

# Which status may follow which; declined, completed and withdrawn are final.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFTED: frozenset({Status.SENT, Status.WITHDRAWN}),
    Status.SENT: frozenset(
        {Status.ACKNOWLEDGED, Status.ACCEPTED, Status.DECLINED, Status.WAITLISTED, Status.WITHDRAWN}
    ),
    Status.ACKNOWLEDGED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WAITLISTED, Status.WITHDRAWN}),
    Status.WAITLISTED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.STARTED, Status.WITHDRAWN}),
    Status.STARTED: frozenset({Status.COMPLETED, Status.WITHDRAWN}),
    Status.DECLINED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}
# Sent, and the provider has not answered yet.
AWAITING_ANSWER = frozenset({Status.SENT, Status.ACKNOWLEDGED})
# The provider's answers: the first one ends the wait for an answer.
ANSWERS = frozenset({Status.ACCEPTED, Status.DECLINED, Status.WAITLISTED})
# Not yet ended: what the referrals list shows by default.
LIVE = frozenset(status for status, moves in ALLOWED_TRANSITIONS.items() if moves)


class ReferralTransition(TransitionLog):
    """Append-only log of a referral's status changes: from, to, the day it happened, who recorded it and when."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(_("from status"), max_length=16, choices=Referral.Status.choices)
    to_status = models.CharField(_("to status"), max_length=16, choices=Referral.Status.choices)
    on = models.DateField(_("on"), help_text=_("The day it happened (it may be recorded later)."))

    class Meta(TransitionLog.Meta):
        verbose_name = _("referral transition")
        verbose_name_plural = _("referral transitions")


class Consent(TimeStampedModel):
    """Consent to a referral: who gave it, to share what, from when until when, and how it was given.

    One consent is current per referral; replacing it (while the referral is drafted) keeps the earlier one.
    """

    class Method(models.TextChoices):
        VERBAL = "verbal", _("Verbally")
        IN_WRITING = "in_writing", _("In writing (signed)")
        ELECTRONIC = "electronic", _("Electronically (email, text or online form)")

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="consents"
    )
    given_by = models.ForeignKey(
        "cases.Person", verbose_name=_("given by"), on_delete=models.PROTECT, related_name="consents_given"
    )
    shares = models.TextField(_("What may be shared"), help_text=_("e.g. 'Name, date of birth, phone, the reason'."))
    given_on = models.DateField(_("Given on"))
    expires_on = models.DateField(_("Valid until"))
    method = models.CharField(_("How it was given"), max_length=12, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    is_current = models.BooleanField(_("is current"), default=True)

    class Meta:
        ordering = ["-is_current", "-created_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(is_current=True),
                name="referrals_consent_one_current_per_referral",
                violation_error_message=_("This referral already has a current consent."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("given_on")),
                name="referrals_consent_expires_after_given",
                violation_error_message=_("Consent must be valid until a day after it was given."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Consent by %(person)s until %(date)s") % {
            "person": self.given_by,
            "date": date_format(self.expires_on, "DATE_FORMAT"),
        }

    def covers(self, day: datetime.date) -> bool:
        return self.given_on <= day <= self.expires_on

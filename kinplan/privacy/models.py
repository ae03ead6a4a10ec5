"""Retention reviews of closed cases, and erasure requests with their two approvals.

A closed case is due for review once it has been closed longer than KINPLAN_RETENTION_YEARS (selectors.py). Its
site manager either keeps it for a further period (a `RetentionReview` with `keep_until`) or asks for it to be
erased (an `ErasureRequest`). An erasure request, of a case or of one person, needs the approval of two different
managers, neither of them the requester; a refusal by either ends it. The second approval carries it out in the
same transaction (erasure.py). The request, its decisions and its transitions stay: they hold no personal data
beyond the subject's id and the staff who acted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import TimeStampedModel, TransitionLog


class RetentionReview(models.Model):
    """One review decision on a closed case that was due: keep it until a date, or ask for its erasure."""

    class Outcome(models.TextChoices):
        KEEP = "keep", _("Keep")
        ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="retention_reviews"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    keep_until = models.DateField(_("keep until"), null=True, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("retention review")
        verbose_name_plural = _("retention reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="keep", keep_until__isnull=False)
                | Q(outcome="erasure_requested", keep_until__isnull=True),
                name="privacy_retentionreview_keep_has_date",
                violation_error_message=_("A decision to keep a case needs the date it is kept until."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="privacy_retentionreview_has_reason",
                violation_error_message=_("Give the reason for the decision."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Retention review %(id)s") % {"id": self.pk}


class ErasureRequest(TimeStampedModel):
    """A request to erase a closed case, or one person, from Kinplan; see the module docstring for the rule."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        CARRIED_OUT = "carried_out", _("Carried out")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(
        _("reason"),
        help_text=_("Why it should be erased, e.g. 'Closed for more than seven years; no further involvement'."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, person__isnull=True) | Q(case__isnull=True, person__isnull=False),
                name="privacy_erasurerequest_case_xor_person",
                violation_error_message=_("An erasure request is for one case or one person."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="privacy_erasurerequest_has_reason",
                violation_error_message=_("Give the reason for the erasure."),
            ),
            models.CheckConstraint(
                condition=Q(status="carried_out", carried_out_at__isnull=False)
                | (~Q(status="carried_out") & Q(carried_out_at__isnull=True)),
                name="privacy_erasurerequest_carried_out_when",
                violation_error_message=_("A carried-out erasure has the time it was carried out."),
            ),
            # One open request per subject: a second would only race the first.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["requested", "approved"], case__isnull=False),
                name="privacy_erasurerequest_one_open_per_case",
                violation_error_message=_("An erasure of this case is already waiting for approval."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["requested", "approved"], person__isnull=False),
                name="privacy_erasurerequest_one_open_per_person",
                violation_error_message=_("An erasure of this person is already waiting for approval."),
            ),
        ]

    def __str__(self) -> str:
        """History calls a request by its number only: never by the name of the person or case it erases."""
        return gettext("Erasure request %(id)s") % {"id": self.pk}

    @property
    def subject(self) -> models.Model:
        return self.case if self.case_id else self.person  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


Status = ErasureRequest.Status

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REQUESTED: frozenset({Status.APPROVED, Status.REFUSED}),
    Status.APPROVED: frozenset({Status.CARRIED_OUT}),
    Status.CARRIED_OUT: frozenset(),
    Status.REFUSED: frozenset(),
}
OPEN_STATUSES = frozenset({Status.REQUESTED, Status.APPROVED})
# How many approvals, by different people other than the requester, carry an erasure out.
APPROVALS_NEEDED = 2


class ErasureDecision(models.Model):
    """One approver's decision on an erasure request: approve or refuse, with a comment. One per approver."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REFUSE = "refuse", _("Refuse")

    request = models.ForeignKey(
        ErasureRequest, verbose_name=_("erasure request"), on_delete=models.PROTECT, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("erasure decision")
        verbose_name_plural = _("erasure decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "decided_by"],
                name="privacy_erasuredecision_once_per_person",
                violation_error_message=_("You have already decided on this request."),
            ),
            models.CheckConstraint(
                condition=Q(decision="approve") | ~Q(comment=""),
                name="privacy_erasuredecision_refusal_has_comment",
                violation_error_message=_("Say why you refuse the erasure."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.decided_by}"


class ErasureTransition(TransitionLog):
    """Append-only log of an erasure request's status changes."""

    request = models.ForeignKey(
        ErasureRequest, verbose_name=_("erasure request"), on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(_("from status"), max_length=16, choices=ErasureRequest.Status.choices)
    to_status = models.CharField(_("to status"), max_length=16, choices=ErasureRequest.Status.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("erasure transition")
        verbose_name_plural = _("erasure transitions")

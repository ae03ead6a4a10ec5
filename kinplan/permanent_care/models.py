"""The permanent care support plan (seed 003): the referral to the Permanent Caregiver Support Service, the plan's
objectives and items, agreement, approval, the escalation ladder, hand-over, purchases, deliveries and review.

One `SupportArrangement` carries the whole process for one child and caregiver; its status moves only through
`ALLOWED_TRANSITIONS`, and every move is kept in `ArrangementTransition`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kinplan.core.models import ArchivableModel, TimeStampedModel, TransitionLog


class SupportArrangement(TimeStampedModel):
    """The permanent care support plan process for one child and their permanent caregiver."""

    class Status(models.TextChoices):
        REFERRAL_DRAFT = "referral_draft", "Referral being prepared"
        REFERRED = "referred", "Referred — waiting for a caseworker"
        ALLOCATED = "allocated", "Caseworker allocated — discussion to record"
        PLANNING = "planning", "Planning"
        READY_FOR_COURT = "ready_for_court", "Agreed — ready for court"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        NOT_APPROVED = "not_approved", "Not approved — escalation"
        APPROVED = "approved", "Approved — waiting for discharge"
        SENT = "sent", "Sent to the support service"
        IN_PLACE = "in_place", "In place — administered by the support service"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class ParticipationLevel(models.TextChoices):
        ATTENDS_ALL = "attends_all", "Attends every planning meeting"
        ATTENDS_KEY = "attends_key", "Attends the key planning meetings"
        BY_PHONE = "by_phone", "Takes part by phone or conference call"
        OUTCOMES_ONLY = "outcomes_only", "Does not attend; is sent each meeting's outcome"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="support_arrangements")
    child = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    caregiver = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    support_service = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="support_arrangements"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRAL_DRAFT)
    intention_noted_on = models.DateField(
        help_text="When the caregiver said they intend to provide a permanent living arrangement."
    )
    referral_notes = models.TextField(blank=True, help_text="Anything else the support service should know.")
    referral_pack = models.JSONField(default=dict, blank=True, help_text="What was sent, as it was sent.")
    referred_at = models.DateTimeField(null=True, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    participation_level = models.CharField(max_length=16, choices=ParticipationLevel.choices, blank=True)
    # The plan itself: it runs from the discharge of the chief executive's orders, for at most 12 months.
    starts_on = models.DateField("Plan starts (discharge of the chief executive's orders)", null=True, blank=True)
    ends_on = models.DateField("Plan ends", null=True, blank=True)
    review_on = models.DateField("Review date", null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement_round = models.PositiveIntegerField(default=1, help_text="Bumped whenever the plan changes.")
    court_step = models.TextField(blank=True, help_text="What goes to court to finalise the living arrangement.")
    court_step_on = models.DateField(null=True, blank=True)
    approval_round = models.PositiveIntegerField(default=0)
    binding_determination_pending = models.BooleanField(
        default=False, help_text="The national manager approved with changes: once made, the plan is approved."
    )
    discharged_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    letter_sent_on = models.DateField(null=True, blank=True)
    letter_method = models.CharField(max_length=12, blank=True)
    closed_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "child"],
                condition=~Q(status__in=["closed", "withdrawn"]),
                name="permanent_care_arrangement_one_open_per_child",
                violation_error_message="This child already has a permanent care support plan under way.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="permanent_care_arrangement_ends_after_start",
                violation_error_message="The plan must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True)
                | (Q(review_on__gte=F("starts_on")) & Q(review_on__lte=F("ends_on"))),
                name="permanent_care_arrangement_review_inside_span",
                violation_error_message="The review date must fall inside the plan's span.",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="permanent_care_arr_status")]

    def __str__(self) -> str:
        return f"Permanent care support plan for {self.child}"

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.WITHDRAWN)

    def review_due(self, today: datetime.date) -> bool:
        return self.status == self.Status.IN_PLACE and self.review_on is not None and self.review_on <= today


S = SupportArrangement.Status

# Which status may follow which. The services add each move's conditions (agreement, approval, discharge).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.REFERRAL_DRAFT: frozenset({S.REFERRED, S.WITHDRAWN}),
    S.REFERRED: frozenset({S.ALLOCATED, S.WITHDRAWN}),
    S.ALLOCATED: frozenset({S.PLANNING, S.WITHDRAWN}),
    S.PLANNING: frozenset({S.READY_FOR_COURT, S.WITHDRAWN}),
    S.READY_FOR_COURT: frozenset({S.AWAITING_APPROVAL, S.APPROVED, S.PLANNING, S.WITHDRAWN}),
    S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.NOT_APPROVED, S.PLANNING, S.WITHDRAWN}),
    S.NOT_APPROVED: frozenset({S.AWAITING_APPROVAL, S.PLANNING, S.APPROVED, S.CLOSED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.SENT, S.PLANNING, S.WITHDRAWN}),
    S.SENT: frozenset({S.IN_PLACE}),
    S.IN_PLACE: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# While the plan's content (dates, objectives, items, universal services) may change.
CONTENT_EDITABLE = frozenset({S.REFERRAL_DRAFT, S.REFERRED, S.ALLOCATED, S.PLANNING})


class ArrangementTransition(TransitionLog):
    """Append-only log of an arrangement's status changes."""

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=SupportArrangement.Status.choices)
    to_status = models.CharField(max_length=20, choices=SupportArrangement.Status.choices)


class Discussion(TimeStampedModel):
    """The caseworker and the social worker discuss the case, possible supports, resources and costs."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        VIDEO = "video", "By video"
        EMAIL = "email", "By email"

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField()
    method = models.CharField(max_length=12, choices=Method.choices)
    supports_discussed = models.TextField(help_text="The supports and services talked about.")
    resources_and_costs = models.TextField(blank=True, help_text="Resources the service offered, and their costs.")
    participation_level = models.CharField(
        "The caseworker's agreed participation", max_length=16, choices=SupportArrangement.ParticipationLevel.choices
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Discussion on {self.held_on}"


class Objective(ArchivableModel):
    """What the support achieves for one identified need of the child."""

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="objectives")
    need = models.ForeignKey("assessments.Need", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class SupportItem(ArchivableModel):
    """One support or service: who provides it, when, how much, at what cost, who resources it."""

    class Kind(models.TextChoices):
        SERVICE = "service", "Service"
        INFORMAL = "informal", "Informal support"
        FINANCIAL = "financial", "Financial support"
        OTHER = "other", "Other support"

    class Funder(models.TextChoices):
        SITE = "site", "The site"
        SUPPORT_SERVICE = "support_service", "The support service"
        OTHER = "other", "Another funder"
        NO_COST = "no_cost", "No cost"

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SERVICE)
    what = models.CharField("What exactly", max_length=300)
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="support_items"
    )
    provider_service = models.ForeignKey(
        "providers.ProviderService", on_delete=models.PROTECT, null=True, blank=True, related_name="support_items"
    )
    provider_name = models.CharField("Who provides it (if not in the directory)", max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField("Ends or due", null=True, blank=True)
    timeline = models.CharField(max_length=200, blank=True, help_text="e.g. 'fortnightly for 6 months'.")
    quantity = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    costs_money = models.BooleanField(null=True, blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    funder = models.CharField("Who resources it", max_length=16, choices=Funder.choices, blank=True)
    started_before_discharge = models.BooleanField(
        default=False, help_text="Already under way; finishes after discharge (e.g. the last therapy sessions)."
    )
    caregiver_instructions = models.TextField("What the caregiver needs to know", blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="permanent_care_item_quantity_positive",
                violation_error_message="A quantity must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="permanent_care_item_cost_not_negative",
                violation_error_message="A cost cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def responsible_label(self) -> str:
        return str(self.provider or self.provider_name or "")


class UniversalService(ArchivableModel):
    """A universal service the caregiver can access (GP, school, benefits…), listed in the plan."""

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="universal_services")
    name = models.CharField(max_length=200)
    how_to_access = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SupportAgreement(TimeStampedModel):
    """A planning participant's position on the plan as it stands (one per agreement round)."""

    class Position(models.TextChoices):
        AGREES = "agrees", "Agrees"
        DISAGREES = "disagrees", "Disagrees"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        VIDEO = "video", "By video"
        IN_WRITING = "in_writing", "In writing"

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="agreements")
    round = models.PositiveIntegerField()
    member = models.ForeignKey("cases.TeamMember", on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=12, choices=Position.choices)
    method = models.CharField(max_length=12, choices=Method.choices)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "round", "member"], name="permanent_care_agreement_once_per_round"
            ),
            models.CheckConstraint(
                condition=~Q(position="disagrees") | ~Q(reason=""),
                name="permanent_care_agreement_disagreement_has_reason",
                violation_error_message="Record why they disagree.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_position_display()}"


class ApprovalDecision(models.Model):
    """Append-only: a site manager's sign-off or the support-service manager's approval, in one approval round."""

    class Kind(models.TextChoices):
        SITE_SIGN_OFF = "site_sign_off", "Site manager's sign-off"
        SUPPORT_SERVICE = "support_service", "Support-service manager's approval"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        NOT_APPROVED = "not_approved", "Not approved"

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="decisions")
    round = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    decision = models.CharField(max_length=12, choices=Decision.choices)
    comment = models.TextField(blank=True)
    site_items = models.JSONField(default=list, blank=True, help_text="The site-resourced items signed for.")
    costs_approved = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "round", "kind"],
                name="permanent_care_decision_once_per_round",
                violation_error_message="This approval has already been decided in this round.",
            ),
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""),
                name="permanent_care_decision_refusal_has_comment",
                violation_error_message="Say what is not approved and why.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_decision_display().lower()}"


class EscalationStep(models.Model):
    """Append-only: one rung of the escalation ladder after the support-service manager did not approve."""

    class Rung(models.IntegerChoices):
        CONSULT_CASEWORKER = 1, "Consult the allocated caseworker"
        RECONVENE_PLANNING = 2, "Reconvene planning with the caseworker involved"
        SUPERVISOR_CONSULT = 3, "Supervisor's case consult"
        RECONVENE_ON_CONSULT = 4, "Reconvene planning on the consult's outcome"
        MANAGERS_DISCUSS = 5, "Site manager discusses with the support-service manager"
        NATIONAL_DETERMINATION = 6, "National manager's final determination"

    class Outcome(models.TextChoices):
        RESOLVED_UNCHANGED = "resolved_unchanged", "Resolved — plan returns for approval unchanged"
        RESOLVED_WITH_CHANGES = "resolved_with_changes", "Resolved — the plan will be changed"
        UNRESOLVED = "unresolved", "Not resolved — go to the next step"
        DETERMINED_APPROVED = "determined_approved", "Determination: the plan is approved as it stands"
        DETERMINED_WITH_CHANGES = "determined_with_changes", "Determination: approved with the changes stated"
        DETERMINED_DECLINED = "determined_declined", "Determination: the plan is not approved"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        CONFERENCE_CALL = "conference_call", "Conference call"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"
        IN_WRITING = "in_writing", "In writing"

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="escalation_steps")
    dispute = models.PositiveIntegerField(help_text="The approval round that was not approved.")
    rung = models.PositiveSmallIntegerField(choices=Rung.choices)
    held_on = models.DateField()
    method = models.CharField(max_length=16, choices=Method.choices)
    caseworker_involved = models.BooleanField(default=False)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    summary = models.TextField(help_text="What was discussed and decided; the changes, if any.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dispute", "rung"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "dispute", "rung"],
                name="permanent_care_escalation_rung_once",
                violation_error_message="This step of the ladder is already recorded.",
            ),
            models.CheckConstraint(condition=Q(rung__gte=1, rung__lte=6), name="permanent_care_escalation_rung_range"),
        ]

    def __str__(self) -> str:
        return f"Step {self.rung}: {self.get_rung_display()}"


class FollowUp(TimeStampedModel):
    """A change from the escalation ladder to discuss again with a caregiver or planning participant."""

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="follow_ups")
    escalation_step = models.ForeignKey(EscalationStep, on_delete=models.PROTECT, related_name="follow_ups")
    member = models.ForeignKey("cases.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    who = models.CharField(max_length=200)
    discussed_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=12, choices=SupportAgreement.Method.choices, blank=True)
    note = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Discuss the changes with {self.who}"

    @property
    def is_done(self) -> bool:
        return self.discussed_on is not None


class Purchase(TimeStampedModel):
    """The support service buys a named NGO or Iwi service in the plan."""

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="purchases")
    item = models.ForeignKey(SupportItem, on_delete=models.PROTECT, related_name="purchases")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    provider_service = models.ForeignKey(
        "providers.ProviderService", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    unit = models.CharField(max_length=40, blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    period_start = models.DateField()
    period_end = models.DateField()
    reference = models.CharField("Purchase order or reference", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="permanent_care_purchase_quantity_positive",
                violation_error_message="A quantity must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="permanent_care_purchase_cost_not_negative",
                violation_error_message="A cost cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="permanent_care_purchase_period_in_order",
                violation_error_message="The period cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.item}"


class Delivery(TimeStampedModel):
    """What a provider delivered against a purchase, and what it cost."""

    purchase = models.ForeignKey(Purchase, on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField()
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["delivered_on", "id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="permanent_care_delivery_quantity_positive",
                violation_error_message="A quantity must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="permanent_care_delivery_cost_not_negative",
                violation_error_message="A cost cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} delivered on {self.delivered_on}"


class Review(TimeStampedModel):
    """The assigned reviewer's review of the plan at its review date."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Continue the plan to its end date"
        COMPLETE = "complete", "The plan is complete — close it"

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    findings = models.TextField(help_text="How the supports worked for the child and caregiver.")
    caregiver_views = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on}"


class FurtherSupport(TimeStampedModel):
    """Support beyond the plan's 12 months, negotiated by the caregiver and the support service: a new
    arrangement that starts after the plan ends, never an extension of it."""

    arrangement = models.ForeignKey(SupportArrangement, on_delete=models.PROTECT, related_name="further_support")
    agreed_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    supports = models.TextField(help_text="What will be provided, by whom, how often.")
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    negotiated_with = models.CharField(max_length=200, help_text="The caregiver(s) who negotiated it.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="permanent_care_further_support_in_order",
                violation_error_message="It cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="permanent_care_further_cost",
                violation_error_message="A cost cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"Further support from {self.starts_on}"

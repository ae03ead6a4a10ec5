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
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import ArchivableModel, TimeStampedModel, TransitionLog


class SupportArrangement(TimeStampedModel):
    """The permanent care support plan process for one child and their permanent caregiver."""

    class Status(models.TextChoices):
        REFERRAL_DRAFT = "referral_draft", _("Referral being prepared")
        REFERRED = "referred", _("Referred — waiting for a caseworker")
        ALLOCATED = "allocated", _("Caseworker allocated — discussion to record")
        PLANNING = "planning", _("Planning")
        READY_FOR_COURT = "ready_for_court", _("Agreed — ready for court")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        NOT_APPROVED = "not_approved", _("Not approved — escalation")
        APPROVED = "approved", _("Approved — waiting for discharge")
        SENT = "sent", _("Sent to the support service")
        IN_PLACE = "in_place", _("In place — administered by the support service")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ParticipationLevel(models.TextChoices):
        ATTENDS_ALL = "attends_all", _("Attends every planning meeting")
        ATTENDS_KEY = "attends_key", _("Attends the key planning meetings")
        BY_PHONE = "by_phone", _("Takes part by phone or conference call")
        OUTCOMES_ONLY = "outcomes_only", _("Does not attend; is sent each meeting's outcome")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="support_arrangements"
    )
    child = models.ForeignKey("cases.Person", verbose_name=_("child"), on_delete=models.PROTECT, related_name="+")
    caregiver = models.ForeignKey(
        "cases.Person", verbose_name=_("caregiver"), on_delete=models.PROTECT, related_name="+"
    )
    support_service = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("support service"),
        on_delete=models.PROTECT,
        related_name="support_arrangements",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REFERRAL_DRAFT)
    intention_noted_on = models.DateField(
        _("intention noted on"),
        help_text=_("When the caregiver said they intend to provide a permanent living arrangement."),
    )
    referral_notes = models.TextField(
        _("referral notes"), blank=True, help_text=_("Anything else the support service should know.")
    )
    referral_pack = models.JSONField(
        _("referral pack"), default=dict, blank=True, help_text=_("What was sent, as it was sent.")
    )
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    participation_level = models.CharField(
        _("participation level"), max_length=16, choices=ParticipationLevel.choices, blank=True
    )
    # The plan itself: it runs from the discharge of the chief executive's orders, for at most 12 months.
    starts_on = models.DateField(_("Plan starts (discharge of the chief executive's orders)"), null=True, blank=True)
    ends_on = models.DateField(_("Plan ends"), null=True, blank=True)
    review_on = models.DateField(_("Review date"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreement_round = models.PositiveIntegerField(
        _("agreement round"), default=1, help_text=_("Bumped whenever the plan changes.")
    )
    court_step = models.TextField(
        _("court step"), blank=True, help_text=_("What goes to court to finalise the living arrangement.")
    )
    court_step_on = models.DateField(_("court step on"), null=True, blank=True)
    approval_round = models.PositiveIntegerField(_("approval round"), default=0)
    binding_determination_pending = models.BooleanField(
        _("binding determination pending"),
        default=False,
        help_text=_("The national manager approved with changes: once made, the plan is approved."),
    )
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    letter_sent_on = models.DateField(_("letter sent on"), null=True, blank=True)
    letter_method = models.CharField(_("letter method"), max_length=12, blank=True)
    closed_reason = models.TextField(_("closed reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("support arrangement")
        verbose_name_plural = _("support arrangements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "child"],
                condition=~Q(status__in=["closed", "withdrawn"]),
                name="permanent_care_arrangement_one_open_per_child",
                violation_error_message=_("This child already has a permanent care support plan under way."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="permanent_care_arrangement_ends_after_start",
                violation_error_message=_("The plan must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True)
                | (Q(review_on__gte=F("starts_on")) & Q(review_on__lte=F("ends_on"))),
                name="permanent_care_arrangement_review_inside_span",
                violation_error_message=_("The review date must fall inside the plan's span."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="permanent_care_arr_status")]

    def __str__(self) -> str:
        return gettext("Permanent care support plan for %(child)s") % {"child": self.child}

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

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=SupportArrangement.Status.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=SupportArrangement.Status.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("arrangement transition")
        verbose_name_plural = _("arrangement transitions")


class Discussion(TimeStampedModel):
    """The caseworker and the social worker discuss the case, possible supports, resources and costs."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")
        EMAIL = "email", _("By email")

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="discussions"
    )
    held_on = models.DateField(_("held on"))
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    supports_discussed = models.TextField(
        _("supports discussed"), help_text=_("The supports and services talked about.")
    )
    resources_and_costs = models.TextField(
        _("resources and costs"), blank=True, help_text=_("Resources the service offered, and their costs.")
    )
    participation_level = models.CharField(
        _("The caseworker's agreed participation"),
        max_length=16,
        choices=SupportArrangement.ParticipationLevel.choices,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return gettext("Discussion on %(date)s") % {"date": self.held_on}


class Objective(ArchivableModel):
    """What the support achieves for one identified need of the child."""

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="objectives"
    )
    need = models.ForeignKey("assessments.Need", verbose_name=_("need"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class SupportItem(ArchivableModel):
    """One support or service: who provides it, when, how much, at what cost, who resources it."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service")
        INFORMAL = "informal", _("Informal support")
        FINANCIAL = "financial", _("Financial support")
        OTHER = "other", _("Other support")

    class Funder(models.TextChoices):
        SITE = "site", _("The site")
        SUPPORT_SERVICE = "support_service", _("The support service")
        OTHER = "other", _("Another funder")
        NO_COST = "no_cost", _("No cost")

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SERVICE)
    what = models.CharField(_("What exactly"), max_length=300)
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_items",
    )
    provider_service = models.ForeignKey(
        "providers.ProviderService",
        verbose_name=_("provider service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_items",
    )
    provider_name = models.CharField(_("Who provides it (if not in the directory)"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("Ends or due"), null=True, blank=True)
    timeline = models.CharField(
        _("timeline"), max_length=200, blank=True, help_text=_("e.g. 'fortnightly for 6 months'.")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    costs_money = models.BooleanField(_("costs money"), null=True, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2, null=True, blank=True)
    funder = models.CharField(_("Who resources it"), max_length=16, choices=Funder.choices, blank=True)
    started_before_discharge = models.BooleanField(
        _("started before discharge"),
        default=False,
        help_text=_("Already under way; finishes after discharge (e.g. the last therapy sessions)."),
    )
    caregiver_instructions = models.TextField(_("What the caregiver needs to know"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("support item")
        verbose_name_plural = _("support items")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="permanent_care_item_quantity_positive",
                violation_error_message=_("A quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="permanent_care_item_cost_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def responsible_label(self) -> str:
        return str(self.provider or self.provider_name or "")


class UniversalService(ArchivableModel):
    """A universal service the caregiver can access (GP, school, benefits…), listed in the plan."""

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="universal_services"
    )
    name = models.CharField(_("name"), max_length=200)
    how_to_access = models.TextField(_("how to access"), blank=True)

    class Meta:
        verbose_name = _("universal service")
        verbose_name_plural = _("universal services")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SupportAgreement(TimeStampedModel):
    """A planning participant's position on the plan as it stands (one per agreement round)."""

    class Position(models.TextChoices):
        AGREES = "agrees", _("Agrees")
        DISAGREES = "disagrees", _("Disagrees")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")
        IN_WRITING = "in_writing", _("In writing")

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="agreements"
    )
    round = models.PositiveIntegerField(_("round"))
    member = models.ForeignKey("cases.TeamMember", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("support agreement")
        verbose_name_plural = _("support agreements")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "round", "member"], name="permanent_care_agreement_once_per_round"
            ),
            models.CheckConstraint(
                condition=~Q(position="disagrees") | ~Q(reason=""),
                name="permanent_care_agreement_disagreement_has_reason",
                violation_error_message=_("Record why they disagree."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_position_display()}"


class ApprovalDecision(models.Model):
    """Append-only: a site manager's sign-off or the support-service manager's approval, in one approval round."""

    class Kind(models.TextChoices):
        SITE_SIGN_OFF = "site_sign_off", _("Site manager's sign-off")
        SUPPORT_SERVICE = "support_service", _("Support-service manager's approval")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        NOT_APPROVED = "not_approved", _("Not approved")

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="decisions"
    )
    round = models.PositiveIntegerField(_("round"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    site_items = models.JSONField(
        _("site items"), default=list, blank=True, help_text=_("The site-resourced items signed for.")
    )
    costs_approved = models.DecimalField(_("costs approved"), max_digits=12, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["round", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "round", "kind"],
                name="permanent_care_decision_once_per_round",
                violation_error_message=_("This approval has already been decided in this round."),
            ),
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""),
                name="permanent_care_decision_refusal_has_comment",
                violation_error_message=_("Say what is not approved and why."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_decision_display().lower()}"


class EscalationStep(models.Model):
    """Append-only: one rung of the escalation ladder after the support-service manager did not approve."""

    class Rung(models.IntegerChoices):
        CONSULT_CASEWORKER = 1, _("Consult the allocated caseworker")
        RECONVENE_PLANNING = 2, _("Reconvene planning with the caseworker involved")
        SUPERVISOR_CONSULT = 3, _("Supervisor's case consult")
        RECONVENE_ON_CONSULT = 4, _("Reconvene planning on the consult's outcome")
        MANAGERS_DISCUSS = 5, _("Site manager discusses with the support-service manager")
        NATIONAL_DETERMINATION = 6, _("National manager's final determination")

    class Outcome(models.TextChoices):
        RESOLVED_UNCHANGED = "resolved_unchanged", _("Resolved — plan returns for approval unchanged")
        RESOLVED_WITH_CHANGES = "resolved_with_changes", _("Resolved — the plan will be changed")
        UNRESOLVED = "unresolved", _("Not resolved — go to the next step")
        DETERMINED_APPROVED = "determined_approved", _("Determination: the plan is approved as it stands")
        DETERMINED_WITH_CHANGES = "determined_with_changes", _("Determination: approved with the changes stated")
        DETERMINED_DECLINED = "determined_declined", _("Determination: the plan is not approved")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        CONFERENCE_CALL = "conference_call", _("Conference call")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")
        IN_WRITING = "in_writing", _("In writing")

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="escalation_steps"
    )
    dispute = models.PositiveIntegerField(_("dispute"), help_text=_("The approval round that was not approved."))
    rung = models.PositiveSmallIntegerField(_("rung"), choices=Rung.choices)
    held_on = models.DateField(_("held on"))
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    caseworker_involved = models.BooleanField(_("caseworker involved"), default=False)
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    summary = models.TextField(_("summary"), help_text=_("What was discussed and decided; the changes, if any."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["dispute", "rung"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "dispute", "rung"],
                name="permanent_care_escalation_rung_once",
                violation_error_message=_("This step of the ladder is already recorded."),
            ),
            models.CheckConstraint(condition=Q(rung__gte=1, rung__lte=6), name="permanent_care_escalation_rung_range"),
        ]

    def __str__(self) -> str:
        return gettext("Step %(rung)s: %(label)s") % {"rung": self.rung, "label": self.get_rung_display()}


class FollowUp(TimeStampedModel):
    """A change from the escalation ladder to discuss again with a caregiver or planning participant."""

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    escalation_step = models.ForeignKey(
        EscalationStep, verbose_name=_("escalation step"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    member = models.ForeignKey(
        "cases.TeamMember", verbose_name=_("member"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "cases.Person", verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    who = models.CharField(_("who"), max_length=200)
    discussed_on = models.DateField(_("discussed on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=12, choices=SupportAgreement.Method.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow up")
        verbose_name_plural = _("follow ups")
        ordering = ["id"]

    def __str__(self) -> str:
        return gettext("Discuss the changes with %(who)s") % {"who": self.who}

    @property
    def is_done(self) -> bool:
        return self.discussed_on is not None


class Purchase(TimeStampedModel):
    """The support service buys a named NGO or Iwi service in the plan."""

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="purchases"
    )
    item = models.ForeignKey(
        SupportItem,
        verbose_name=pgettext_lazy("support in the plan", "item"),
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    provider = models.ForeignKey(
        "providers.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    provider_service = models.ForeignKey(
        "providers.ProviderService",
        verbose_name=_("provider service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    reference = models.CharField(_("Purchase order or reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="permanent_care_purchase_quantity_positive",
                violation_error_message=_("A quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="permanent_care_purchase_cost_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="permanent_care_purchase_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.item}"


class Delivery(TimeStampedModel):
    """What a provider delivered against a purchase, and what it cost."""

    purchase = models.ForeignKey(
        Purchase, verbose_name=_("purchase"), on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_on = models.DateField(_("delivered on"))
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2)
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["delivered_on", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="permanent_care_delivery_quantity_positive",
                violation_error_message=_("A quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="permanent_care_delivery_cost_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(quantity)s delivered on %(date)s") % {"quantity": self.quantity, "date": self.delivered_on}


class Review(TimeStampedModel):
    """The assigned reviewer's review of the plan at its review date."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue the plan to its end date")
        COMPLETE = "complete", _("The plan is complete — close it")

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    findings = models.TextField(_("findings"), help_text=_("How the supports worked for the child and caregiver."))
    caregiver_views = models.TextField(_("caregiver views"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return gettext("Review on %(date)s") % {"date": self.reviewed_on}


class FurtherSupport(TimeStampedModel):
    """Support beyond the plan's 12 months, negotiated by the caregiver and the support service: a new
    arrangement that starts after the plan ends, never an extension of it."""

    arrangement = models.ForeignKey(
        SupportArrangement, verbose_name=_("arrangement"), on_delete=models.PROTECT, related_name="further_support"
    )
    agreed_on = models.DateField(_("agreed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    supports = models.TextField(_("supports"), help_text=_("What will be provided, by whom, how often."))
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2, null=True, blank=True)
    negotiated_with = models.CharField(
        _("negotiated with"), max_length=200, help_text=_("The caregiver(s) who negotiated it.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("further support")
        verbose_name_plural = _("further supports")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="permanent_care_further_support_in_order",
                violation_error_message=_("It cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="permanent_care_further_cost",
                violation_error_message=_("A cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Further support from %(date)s") % {"date": self.starts_on}

"""The service plan: permanency goals, goals written backwards, steps, agreement and versions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import ArchivableModel, TimeStampedModel, TransitionLog


class PermanencyGoal(models.TextChoices):
    REUNIFICATION = "reunification", _("Reunification with parent(s)")
    REMAIN_HOME = "remain_home", _("Remain safely at home")
    KINSHIP_CARE = "kinship_care", _("Permanent care with whānau / kin")
    PERMANENT_CAREGIVER = "permanent_caregiver", _("Permanent care with another caregiver")
    ADOPTION = "adoption", _("Adoption")
    INDEPENDENCE = "independence", _("Transition to independence")
    OTHER = "other", _("Other")


class Plan(TimeStampedModel):
    """One version of a case's service plan. Revising an agreed plan makes a new version; one is current."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")
        ACTIVE = "active", _("Active")
        UNDER_REVIEW = "under_review", _("Under review")
        CLOSED = "closed", _("Closed")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1)
    is_current = models.BooleanField(verbose_name=_("is current"), default=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous"), on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text=_("The assessment this plan answers."),
    )
    permanency_goal = models.CharField(verbose_name=_("permanency goal"), max_length=24, choices=PermanencyGoal.choices)
    permanency_goal_detail = models.TextField(verbose_name=_("permanency goal detail"), blank=True)
    alternative_goal = models.CharField(
        _("Alternative permanency goal (concurrent planning)"),
        max_length=24,
        choices=PermanencyGoal.choices,
        blank=True,
    )
    alternative_goal_detail = models.TextField(verbose_name=_("alternative goal detail"), blank=True)
    starts_on = models.DateField(verbose_name=_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(verbose_name=_("ends on"), null=True, blank=True)
    next_review_on = models.DateField(verbose_name=_("next review on"), null=True, blank=True)
    agreed_at = models.DateTimeField(verbose_name=_("agreed at"), null=True, blank=True)
    agreed_content = models.JSONField(
        verbose_name=_("agreed content"),
        default=dict,
        blank=True,
        help_text=_("The plan's content when it was agreed, to show what changed since."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_current=True),
                name="planning_plan_one_current_per_case",
                violation_error_message=_("This case already has a current plan."),
            ),
            models.UniqueConstraint(
                fields=["case", "version"],
                name="planning_plan_unique_version",
                violation_error_message=_("This plan version already exists."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="planning_plan_ends_after_start",
                violation_error_message=_("The plan cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(alternative_goal=models.F("permanency_goal")),
                name="planning_plan_alternative_differs",
                violation_error_message=_("The alternative permanency goal must differ from the main one."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Plan v%(version)s (%(status)s)") % {
            "version": self.version,
            "status": self.get_status_display().lower(),
        }


# Which status may follow which. Revising (a new version) supersedes agreed, active or under-review plans.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Plan.Status.DRAFT: frozenset({Plan.Status.AGREED, Plan.Status.CLOSED}),
    Plan.Status.AGREED: frozenset({Plan.Status.ACTIVE, Plan.Status.SUPERSEDED, Plan.Status.CLOSED}),
    Plan.Status.ACTIVE: frozenset({Plan.Status.UNDER_REVIEW, Plan.Status.SUPERSEDED, Plan.Status.CLOSED}),
    Plan.Status.UNDER_REVIEW: frozenset({Plan.Status.ACTIVE, Plan.Status.SUPERSEDED, Plan.Status.CLOSED}),
    Plan.Status.CLOSED: frozenset(),
    Plan.Status.SUPERSEDED: frozenset(),
}


class PlanTransition(TransitionLog):
    """Append-only log of a plan's status changes."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(verbose_name=_("from status"), max_length=16, choices=Plan.Status.choices)
    to_status = models.CharField(verbose_name=_("to status"), max_length=16, choices=Plan.Status.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")


class Goal(TimeStampedModel):
    """A long-term goal (no parent) or an intermediate goal leading to one (parent set)."""

    class Track(models.TextChoices):
        MAIN = "main", _("Main permanency goal")
        ALTERNATIVE = "alternative", _("Alternative permanency goal")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        DISCONTINUED = "discontinued", _("Discontinued")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="intermediate_goals",
    )
    lineage = models.UUIDField(
        verbose_name=_("lineage"), default=uuid.uuid4, help_text=_("The same goal across plan versions.")
    )
    track = models.CharField(verbose_name=_("track"), max_length=12, choices=Track.choices, default=Track.MAIN)
    title = models.CharField(verbose_name=_("title"), max_length=200)
    description = models.TextField(
        verbose_name=_("description"), blank=True, help_text=_("What it will look like when it is reached.")
    )
    target_date = models.DateField(verbose_name=_("target date"), null=True, blank=True)
    status = models.CharField(
        verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    needs = models.ManyToManyField("assessments.Need", verbose_name=_("needs"), blank=True, related_name="goals")
    position = models.PositiveIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "lineage"], name="planning_goal_lineage_once_per_plan"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_long_term(self) -> bool:
        return self.parent_id is None


class NeedDeferral(ArchivableModel):
    """A need from the assessment that this plan deliberately does not address yet, and why."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="deferrals")
    need = models.ForeignKey(
        "assessments.Need", verbose_name=_("need"), on_delete=models.PROTECT, related_name="deferrals"
    )
    reason = models.TextField(verbose_name=_("reason"))

    class Meta:
        verbose_name = _("deferred need")
        verbose_name_plural = _("deferred needs")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "need"],
                condition=Q(archived_at__isnull=True),
                name="planning_needdeferral_once",
                violation_error_message=_("This need is already deferred in this plan."),
            )
        ]

    def __str__(self) -> str:
        return gettext("%(need)s (deferred)") % {"need": self.need}


class Step(TimeStampedModel):
    """A concrete step toward a goal: who does what, when, how much, at what cost, and the result."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        APPOINTMENT = "appointment", _("Appointment")
        FORM = "form", _("Form or application")
        SERVICE = "service", _("Service")

    class Responsible(models.TextChoices):
        FAMILY = "family", _("A family member")
        CAREGIVER = "caregiver", _("A caregiver")
        WORKER = "worker", _("The social worker")
        PROVIDER = "provider", _("A provider")
        OTHER = "other", _("Someone else")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")
        CANCELLED = "cancelled", _("Cancelled")

    class Funder(models.TextChoices):
        SITE = "site", _("The site")
        SUPPORT_SERVICE = "support_service", _("The support service")
        OTHER = "other", _("Another funder")
        NO_COST = "no_cost", _("No cost")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="steps")
    lineage = models.UUIDField(
        verbose_name=_("lineage"), default=uuid.uuid4, help_text=_("The same step across plan versions.")
    )
    position = models.PositiveIntegerField(verbose_name=_("position"), default=0)
    kind = models.CharField(verbose_name=_("kind"), max_length=12, choices=Kind.choices, default=Kind.TASK)
    what = models.CharField(_("What exactly"), max_length=300)
    details = models.TextField(verbose_name=_("details"), blank=True)
    responsible = models.CharField(_("Who does it"), max_length=12, choices=Responsible.choices)
    responsible_person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
    )
    responsible_name = models.CharField(
        verbose_name=_("responsible name"),
        max_length=200,
        blank=True,
        help_text=_("A provider or someone not recorded in the case, by name."),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
        help_text=_("A provider from the directory, or one of the case's informal supports."),
    )
    provider_service = models.ForeignKey(
        "providers.ProviderService",
        verbose_name=_("provider service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
        help_text=_("The provider's service: its unit and unit cost price the step."),
    )
    starts_on = models.DateField(verbose_name=_("starts on"), null=True, blank=True)
    due_on = models.DateField(verbose_name=_("due on"), null=True, blank=True)
    timeline = models.CharField(
        verbose_name=_("timeline"), max_length=200, blank=True, help_text=_("e.g. 'every Tuesday for 8 weeks'.")
    )
    quantity = models.DecimalField(verbose_name=_("quantity"), max_digits=9, decimal_places=2, null=True, blank=True)
    unit = models.CharField(
        verbose_name=_("unit"), max_length=40, blank=True, help_text=_("session, hour, night, item, fixed sum…")
    )
    frequency = models.CharField(verbose_name=_("frequency"), max_length=100, blank=True)
    costs_money = models.BooleanField(
        verbose_name=_("costs money"), null=True, blank=True, help_text=_("Does this step cost money?")
    )
    cost = models.DecimalField(verbose_name=_("cost"), max_digits=10, decimal_places=2, null=True, blank=True)
    funder = models.CharField(verbose_name=_("funder"), max_length=16, choices=Funder.choices, blank=True)
    client_instructions = models.TextField(_("Instructions for the family, in plain words"), blank=True)
    worker_helps = models.BooleanField(_("The worker helps with this"), default=False)
    worker_help = models.TextField(_("How the worker helps"), blank=True)
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    result = models.TextField(verbose_name=_("result"), blank=True)
    completed_on = models.DateField(verbose_name=_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "lineage"], name="planning_step_lineage_once_per_goal"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="planning_step_quantity_positive",
                violation_error_message=_("A quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="planning_step_cost_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(starts_on__isnull=True) | Q(due_on__gte=models.F("starts_on")),
                name="planning_step_due_after_start",
                violation_error_message=_("A step cannot be due before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(completed_on__isnull=False) & ~Q(result="")),
                name="planning_step_done_has_result",
                violation_error_message=_("A finished step needs its result and the date it was done."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="planning_step_status_due")]

    def __str__(self) -> str:
        return self.what

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    def is_overdue(self, today) -> bool:  # type: ignore[no-untyped-def]
        return self.is_open and self.due_on is not None and self.due_on < today

    @property
    def responsible_label(self) -> str:
        named = self.responsible_person or self.responsible_user or self.responsible_name or self.provider
        return f"{named}" if named else ""


class Agreement(TimeStampedModel):
    """A Child and Family Team member's position on one plan version, and how they gave it."""

    class Position(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not yet asked")
        AGREES = "agrees", _("Agrees")
        DISAGREES = "disagrees", _("Disagrees")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")
        IN_WRITING = "in_writing", _("In writing")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="agreements")
    member = models.ForeignKey(
        "cases.TeamMember", verbose_name=_("member"), on_delete=models.PROTECT, related_name="agreements"
    )
    position = models.CharField(
        verbose_name=_("position"), max_length=12, choices=Position.choices, default=Position.NOT_ASKED
    )
    method = models.CharField(verbose_name=_("method"), max_length=12, choices=Method.choices, blank=True)
    reason = models.TextField(verbose_name=_("reason"), blank=True, help_text=_("Why they disagree, in their words."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="planning_agreement_once_per_member"),
            models.CheckConstraint(
                condition=~Q(position="disagrees") | ~Q(reason=""),
                name="planning_agreement_disagreement_has_reason",
                violation_error_message=_("Record why they disagree."),
            ),
            models.CheckConstraint(
                condition=Q(position="not_asked") | ~Q(method=""),
                name="planning_agreement_position_has_method",
                violation_error_message=_("Record how they gave their view (in person, phone, video or in writing)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_position_display()}"

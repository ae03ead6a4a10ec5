"""The service plan: permanency goals, goals written backwards, steps, agreement and versions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kinplan.core.models import ArchivableModel, TimeStampedModel, TransitionLog


class PermanencyGoal(models.TextChoices):
    REUNIFICATION = "reunification", "Reunification with parent(s)"
    REMAIN_HOME = "remain_home", "Remain safely at home"
    KINSHIP_CARE = "kinship_care", "Permanent care with whānau / kin"
    PERMANENT_CAREGIVER = "permanent_caregiver", "Permanent care with another caregiver"
    ADOPTION = "adoption", "Adoption"
    INDEPENDENCE = "independence", "Transition to independence"
    OTHER = "other", "Other"


class Plan(TimeStampedModel):
    """One version of a case's service plan. Revising an agreed plan makes a new version; one is current."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        ACTIVE = "active", "Active"
        UNDER_REVIEW = "under_review", "Under review"
        CLOSED = "closed", "Closed"
        SUPERSEDED = "superseded", "Replaced by a later version"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text="The assessment this plan answers.",
    )
    permanency_goal = models.CharField(max_length=24, choices=PermanencyGoal.choices)
    permanency_goal_detail = models.TextField(blank=True)
    alternative_goal = models.CharField(
        "Alternative permanency goal (concurrent planning)",
        max_length=24,
        choices=PermanencyGoal.choices,
        blank=True,
    )
    alternative_goal_detail = models.TextField(blank=True)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_content = models.JSONField(
        default=dict, blank=True, help_text="The plan's content when it was agreed, to show what changed since."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_current=True),
                name="planning_plan_one_current_per_case",
                violation_error_message="This case already has a current plan.",
            ),
            models.UniqueConstraint(
                fields=["case", "version"],
                name="planning_plan_unique_version",
                violation_error_message="This plan version already exists.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="planning_plan_ends_after_start",
                violation_error_message="The plan cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(alternative_goal=models.F("permanency_goal")),
                name="planning_plan_alternative_differs",
                violation_error_message="The alternative permanency goal must differ from the main one.",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan v{self.version} ({self.get_status_display().lower()})"


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

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=Plan.Status.choices)
    to_status = models.CharField(max_length=16, choices=Plan.Status.choices)


class Goal(TimeStampedModel):
    """A long-term goal (no parent) or an intermediate goal leading to one (parent set)."""

    class Track(models.TextChoices):
        MAIN = "main", "Main permanency goal"
        ALTERNATIVE = "alternative", "Alternative permanency goal"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"
        DISCONTINUED = "discontinued", "Discontinued"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="intermediate_goals"
    )
    lineage = models.UUIDField(default=uuid.uuid4, help_text="The same goal across plan versions.")
    track = models.CharField(max_length=12, choices=Track.choices, default=Track.MAIN)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What it will look like when it is reached.")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    needs = models.ManyToManyField("assessments.Need", blank=True, related_name="goals")
    position = models.PositiveIntegerField(default=0)

    class Meta:
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

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deferrals")
    need = models.ForeignKey("assessments.Need", on_delete=models.PROTECT, related_name="deferrals")
    reason = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "need"],
                condition=Q(archived_at__isnull=True),
                name="planning_needdeferral_once",
                violation_error_message="This need is already deferred in this plan.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need} (deferred)"


class Step(TimeStampedModel):
    """A concrete step toward a goal: who does what, when, how much, at what cost, and the result."""

    class Kind(models.TextChoices):
        TASK = "task", "Task"
        APPOINTMENT = "appointment", "Appointment"
        FORM = "form", "Form or application"
        SERVICE = "service", "Service"

    class Responsible(models.TextChoices):
        FAMILY = "family", "A family member"
        CAREGIVER = "caregiver", "A caregiver"
        WORKER = "worker", "The social worker"
        PROVIDER = "provider", "A provider"
        OTHER = "other", "Someone else"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"
        CANCELLED = "cancelled", "Cancelled"

    class Funder(models.TextChoices):
        SITE = "site", "The site"
        SUPPORT_SERVICE = "support_service", "The support service"
        OTHER = "other", "Another funder"
        NO_COST = "no_cost", "No cost"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    lineage = models.UUIDField(default=uuid.uuid4, help_text="The same step across plan versions.")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TASK)
    what = models.CharField("What exactly", max_length=300)
    details = models.TextField(blank=True)
    responsible = models.CharField("Who does it", max_length=12, choices=Responsible.choices)
    responsible_person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="plan_steps"
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_steps"
    )
    responsible_name = models.CharField(
        max_length=200, blank=True, help_text="A provider or someone not recorded in the case, by name."
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
        help_text="A provider from the directory, or one of the case's informal supports.",
    )
    provider_service = models.ForeignKey(
        "providers.ProviderService",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
        help_text="The provider's service: its unit and unit cost price the step.",
    )
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    timeline = models.CharField(max_length=200, blank=True, help_text="e.g. 'every Tuesday for 8 weeks'.")
    quantity = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text="session, hour, night, item, fixed sum…")
    frequency = models.CharField(max_length=100, blank=True)
    costs_money = models.BooleanField(null=True, blank=True, help_text="Does this step cost money?")
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    funder = models.CharField(max_length=16, choices=Funder.choices, blank=True)
    client_instructions = models.TextField("Instructions for the family, in plain words", blank=True)
    worker_helps = models.BooleanField("The worker helps with this", default=False)
    worker_help = models.TextField("How the worker helps", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    result = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "lineage"], name="planning_step_lineage_once_per_goal"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="planning_step_quantity_positive",
                violation_error_message="A quantity must be more than zero.",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="planning_step_cost_not_negative",
                violation_error_message="A cost cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(starts_on__isnull=True) | Q(due_on__gte=models.F("starts_on")),
                name="planning_step_due_after_start",
                violation_error_message="A step cannot be due before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(completed_on__isnull=False) & ~Q(result="")),
                name="planning_step_done_has_result",
                violation_error_message="A finished step needs its result and the date it was done.",
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
        NOT_ASKED = "not_asked", "Not yet asked"
        AGREES = "agrees", "Agrees"
        DISAGREES = "disagrees", "Disagrees"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        VIDEO = "video", "By video"
        IN_WRITING = "in_writing", "In writing"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    member = models.ForeignKey("cases.TeamMember", on_delete=models.PROTECT, related_name="agreements")
    position = models.CharField(max_length=12, choices=Position.choices, default=Position.NOT_ASKED)
    method = models.CharField(max_length=12, choices=Method.choices, blank=True)
    reason = models.TextField(blank=True, help_text="Why they disagree, in their words.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="planning_agreement_once_per_member"),
            models.CheckConstraint(
                condition=~Q(position="disagrees") | ~Q(reason=""),
                name="planning_agreement_disagreement_has_reason",
                violation_error_message="Record why they disagree.",
            ),
            models.CheckConstraint(
                condition=Q(position="not_asked") | ~Q(method=""),
                name="planning_agreement_position_has_method",
                violation_error_message="Record how they gave their view (in person, phone, video or in writing).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_position_display()}"

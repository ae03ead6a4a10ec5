"""What the worker learns: strengths, needs, history, the current situation, and risk and safety."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kinplan.cases.models import validate_not_after_today
from kinplan.core.models import TimeStampedModel


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


RISK_ORDER = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.CRITICAL: 4}


class Assessment(TimeStampedModel):
    """One dated, authored assessment of a case. A reassessment is a new row; earlier ones stay readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"

    class SafetyDecision(models.TextChoices):
        SAFE = "safe", "Safe"
        SAFE_WITH_PLAN = "safe_with_plan", "Safe with a safety plan"
        UNSAFE = "unsafe", "Unsafe: protective action needed"

    # A completed assessment is read-only: a reassessment is a new assessment.
    ALLOWED_TRANSITIONS = {Status.DRAFT: {Status.COMPLETED}, Status.COMPLETED: set()}

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assessments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(default=timezone.localdate, validators=[validate_not_after_today])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    strengths = models.TextField(blank=True, help_text="What is going well; who and what the family can rely on.")
    needs_summary = models.TextField("Needs and difficulties", blank=True)
    history = models.TextField(blank=True, help_text="The family's history as it bears on today.")
    current_situation = models.TextField(blank=True)
    family_view = models.TextField("In the family's words", blank=True)
    worker_view = models.TextField("The worker's analysis", blank=True)
    overall_risk = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    risk_reasoning = models.TextField(blank=True)
    safety_decision = models.CharField(max_length=20, choices=SafetyDecision.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reassessments",
        help_text="The earlier assessment this reassessment started from.",
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "-assessed_on"], name="assessments_case_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="draft"),
                name="assessments_assessment_one_draft_per_case",
                violation_error_message="This case already has a draft assessment: continue that one.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", completed_at__isnull=True, completed_by__isnull=True)
                | (
                    Q(status="completed", completed_at__isnull=False, completed_by__isnull=False)
                    & ~Q(overall_risk="")
                    & ~Q(risk_reasoning="")
                    & ~Q(safety_decision="")
                ),
                name="assessments_assessment_completed_is_decided",
                violation_error_message=(
                    "A completed assessment needs who completed it and when, the overall risk level, "
                    "the reasoning and the safety decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.assessed_on:%d %b %Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class RiskFactor(TimeStampedModel):
    """A named risk factor, rated, with the evidence for the rating."""

    class Factor(models.TextChoices):
        SUBSTANCE_ABUSE = "substance_abuse", "Substance abuse"
        MENTAL_HEALTH = "mental_health", "Mental health"
        DOMESTIC_VIOLENCE = "domestic_violence", "Domestic violence"
        HOUSING = "housing", "Housing"
        INCOME = "income", "Income"
        CHILD_DEVELOPMENT = "child_development", "Child development concerns"
        PARENTING = "parenting", "Parenting capacity"
        PHYSICAL_HEALTH = "physical_health", "Physical health"
        SOCIAL_ISOLATION = "social_isolation", "Social isolation"
        OTHER = "other", "Other"

    class Rating(models.TextChoices):
        NONE = "none", "Not present"
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="risk_factors")
    factor = models.CharField(max_length=24, choices=Factor.choices)
    rating = models.CharField(max_length=8, choices=Rating.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["factor"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "factor"],
                name="assessments_riskfactor_once",
                violation_error_message="This risk factor is already rated in this assessment.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.get_rating_display()}"


class Need(TimeStampedModel):
    """A need found in the assessment. A plan addresses it with a goal or defers it with a reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    risk_factor = models.ForeignKey(
        RiskFactor,
        on_delete=models.RESTRICT,  # a factor goes only with its assessment; the service unlinks needs first
        null=True,
        blank=True,
        related_name="needs",
        help_text="The risk factor this need comes under, if any.",
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    needs_concurrent_attention = models.BooleanField(
        default=False,
        help_text="An underlying issue (e.g. addiction, mental health) to work on alongside the main goals.",
    )

    class Meta:
        ordering = ["-needs_concurrent_attention", "id"]

    def __str__(self) -> str:
        return self.title

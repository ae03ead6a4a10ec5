"""What the worker learns: strengths, needs, history, the current situation, and risk and safety."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.cases.models import validate_not_after_today
from kinplan.core.models import TimeStampedModel


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


RISK_ORDER = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.CRITICAL: 4}


class Assessment(TimeStampedModel):
    """One dated, authored assessment of a case. A reassessment is a new row; earlier ones stay readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    class SafetyDecision(models.TextChoices):
        SAFE = "safe", _("Safe")
        SAFE_WITH_PLAN = "safe_with_plan", _("Safe with a safety plan")
        UNSAFE = "unsafe", _("Unsafe: protective action needed")

    # A completed assessment is read-only: a reassessment is a new assessment.
    ALLOWED_TRANSITIONS = {Status.DRAFT: {Status.COMPLETED}, Status.COMPLETED: set()}

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="assessments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(
        verbose_name=_("assessed on"), default=timezone.localdate, validators=[validate_not_after_today]
    )
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    strengths = models.TextField(
        verbose_name=_("strengths"), blank=True, help_text=_("What is going well; who and what the family can rely on.")
    )
    needs_summary = models.TextField(_("Needs and difficulties"), blank=True)
    history = models.TextField(
        verbose_name=_("history"), blank=True, help_text=_("The family's history as it bears on today.")
    )
    current_situation = models.TextField(verbose_name=_("current situation"), blank=True)
    family_view = models.TextField(_("In the family's words"), blank=True)
    worker_view = models.TextField(_("The worker's analysis"), blank=True)
    overall_risk = models.CharField(
        verbose_name=_("overall risk"), max_length=16, choices=RiskLevel.choices, blank=True
    )
    risk_reasoning = models.TextField(verbose_name=_("risk reasoning"), blank=True)
    safety_decision = models.CharField(
        verbose_name=_("safety decision"), max_length=20, choices=SafetyDecision.choices, blank=True
    )
    completed_at = models.DateTimeField(verbose_name=_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reassessments",
        help_text=_("The earlier assessment this reassessment started from."),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "-assessed_on"], name="assessments_case_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="draft"),
                name="assessments_assessment_one_draft_per_case",
                violation_error_message=_("This case already has a draft assessment: continue that one."),
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
                violation_error_message=_(
                    "A completed assessment needs who completed it and when, the overall risk level, "
                    "the reasoning and the safety decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Assessment of %(date)s") % {"date": date_format(self.assessed_on, "DATE_FORMAT")}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class RiskFactor(TimeStampedModel):
    """A named risk factor, rated, with the evidence for the rating."""

    class Factor(models.TextChoices):
        SUBSTANCE_ABUSE = "substance_abuse", _("Substance abuse")
        MENTAL_HEALTH = "mental_health", _("Mental health")
        DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
        HOUSING = "housing", _("Housing")
        INCOME = "income", _("Income")
        CHILD_DEVELOPMENT = "child_development", _("Child development concerns")
        PARENTING = "parenting", _("Parenting capacity")
        PHYSICAL_HEALTH = "physical_health", _("Physical health")
        SOCIAL_ISOLATION = "social_isolation", _("Social isolation")
        OTHER = "other", _("Other")

    class Rating(models.TextChoices):
        NONE = "none", _("Not present")
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="risk_factors"
    )
    factor = models.CharField(verbose_name=_("factor"), max_length=24, choices=Factor.choices)
    rating = models.CharField(verbose_name=_("rating"), max_length=8, choices=Rating.choices)
    evidence = models.TextField(verbose_name=_("evidence"), blank=True)

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["factor"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "factor"],
                name="assessments_riskfactor_once",
                violation_error_message=_("This risk factor is already rated in this assessment."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.get_rating_display()}"


class Need(TimeStampedModel):
    """A need found in the assessment. A plan addresses it with a goal or defers it with a reason."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="needs"
    )
    risk_factor = models.ForeignKey(
        RiskFactor,
        verbose_name=_("risk factor"),
        on_delete=models.RESTRICT,  # a factor goes only with its assessment; the service unlinks needs first
        null=True,
        blank=True,
        related_name="needs",
        help_text=_("The risk factor this need comes under, if any."),
    )
    title = models.CharField(verbose_name=_("title"), max_length=200)
    detail = models.TextField(verbose_name=_("detail"), blank=True)
    needs_concurrent_attention = models.BooleanField(
        verbose_name=_("needs concurrent attention"),
        default=False,
        help_text=_("An underlying issue (e.g. addiction, mental health) to work on alongside the main goals."),
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-needs_concurrent_attention", "id"]

    def __str__(self) -> str:
        return self.title

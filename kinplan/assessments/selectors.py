"""Reads over a case's assessments: the list, the risk history, and goals a plan could take up.

Callers have already opened the case through `case_get_for_user_or_404`, which checks and logs it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from kinplan.assessments.models import Assessment, Need, RiskFactor
from kinplan.cases.models import Case


@dataclass(frozen=True)
class SuggestedGoal:
    """A goal a service plan could take up, and the need in the assessment it comes from."""

    title: str
    reason: str
    need: Need


class RiskPoint(NamedTuple):
    """One completed assessment's date and overall risk level."""

    assessed_on: datetime.date
    overall_risk: str


def assessments_for_case(*, case: Case) -> QuerySet[Assessment]:
    """The case's assessments, newest first, with risk factors and needs loaded in a fixed number of queries."""
    return case.assessments.select_related("author", "completed_by", "based_on").prefetch_related(
        "risk_factors", Prefetch("needs", queryset=Need.objects.select_related("risk_factor"))
    )


def latest_assessment(*, case: Case, completed_only: bool = True) -> Assessment | None:
    """The case's most recent (completed, by default) assessment, or None."""
    assessments = case.assessments.select_related("author")
    if completed_only:
        assessments = assessments.filter(status=Assessment.Status.COMPLETED)
    return assessments.order_by("-assessed_on", "-id").first()


def risk_levels(*, cases: QuerySet[Case]) -> dict[str, int]:
    """How many of `cases` stand at each overall risk level, by their latest completed assessment ("" for the cases
    with none). One query."""
    latest = (
        Assessment.objects.filter(case=OuterRef("pk"), status=Assessment.Status.COMPLETED)
        .order_by("-assessed_on", "-id")
        .values("overall_risk")[:1]
    )
    counted = cases.order_by().annotate(level=Subquery(latest)).values_list("level").annotate(n=Count("id"))
    return {level or "": n for level, n in counted}


def risk_history(*, case: Case) -> list[RiskPoint]:
    """How the overall risk level changed: each completed assessment's date and level, oldest first."""
    completed = case.assessments.filter(status=Assessment.Status.COMPLETED).order_by("assessed_on", "id")
    return [RiskPoint(*row) for row in completed.values_list("assessed_on", "overall_risk")]


def _reason(need: Need) -> str:
    high = need.risk_factor is not None and need.risk_factor.rating == RiskFactor.Rating.HIGH
    factor = need.risk_factor.get_factor_display().lower() if need.risk_factor is not None else ""
    if need.needs_concurrent_attention and high:
        return _("An underlying issue to work on alongside the main goals; %(factor)s was rated high.") % {
            "factor": factor
        }
    if need.needs_concurrent_attention:
        return _("An underlying issue to work on alongside the main goals.")
    return _("Comes under %(factor)s, which was rated high.") % {"factor": factor}


def suggested_goals(*, assessment: Assessment) -> list[SuggestedGoal]:
    """Goals to offer when planning: needs flagged for concurrent attention and needs under a high-rated factor."""
    needs = Need.objects.filter(assessment=assessment).select_related("risk_factor").order_by(*Need._meta.ordering)
    return [
        SuggestedGoal(title=need.title, reason=_reason(need), need=need)
        for need in needs
        if need.needs_concurrent_attention
        or (need.risk_factor is not None and need.risk_factor.rating == RiskFactor.Rating.HIGH)
    ]


def assessment_summary(*, case: Case) -> dict[str, Any]:
    """What the case page shows about assessments, in one query: the latest completed one, any draft,
    and the risk history."""
    assessments = list(case.assessments.select_related("author").order_by("-assessed_on", "-id"))
    completed = [a for a in assessments if a.status == Assessment.Status.COMPLETED]
    return {
        "latest_assessment": completed[0] if completed else None,
        "draft_assessment": next((a for a in assessments if a.is_draft), None),
        "risk_history": [RiskPoint(a.assessed_on, a.overall_risk) for a in reversed(completed)],
    }

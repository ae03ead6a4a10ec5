"""API input and output shapes for assessments, risk factors, needs and the risk history."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from kinplan.assessments.models import Assessment, Need, RiskFactor, RiskLevel
from kinplan.core.api import VersionedOut


class RiskFactorOut(VersionedOut):
    id: int
    factor: RiskFactor.Factor
    factor_label: str
    rating: RiskFactor.Rating
    evidence: str

    @staticmethod
    def resolve_factor_label(obj: RiskFactor) -> str:
        return obj.get_factor_display()


class RiskFactorIn(Schema):
    rating: RiskFactor.Rating
    evidence: str = Field("", description="What the rating is based on. Required for a high rating and for 'other'.")


class NeedOut(VersionedOut):
    id: int
    title: str
    detail: str
    needs_concurrent_attention: bool
    risk_factor: RiskFactor.Factor | None = Field(None, description="The risk factor this need comes under.")

    @staticmethod
    def resolve_risk_factor(obj: Need) -> str | None:
        return obj.risk_factor.factor if obj.risk_factor_id else None


class NeedIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    detail: str = ""
    needs_concurrent_attention: bool = False
    risk_factor: RiskFactor.Factor | None = Field(None, description="A risk factor already rated in this assessment.")


class NeedPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    detail: str | None = None
    needs_concurrent_attention: bool | None = None
    risk_factor: RiskFactor.Factor | None = Field(None, description="null takes the need out from under its factor.")


class AssessmentOut(VersionedOut):
    id: int
    case_id: int
    status: Assessment.Status
    assessed_on: datetime.date
    author_id: int
    author_name: str
    based_on_id: int | None = Field(None, description="The assessment this reassessment started from.")
    strengths: str
    needs_summary: str
    history: str
    current_situation: str
    family_view: str
    worker_view: str
    overall_risk: RiskLevel | None
    risk_reasoning: str
    safety_decision: Assessment.SafetyDecision | None
    completed_at: datetime.datetime | None
    completed_by_id: int | None
    completed_by_name: str | None
    risk_factors: list[RiskFactorOut]
    needs: list[NeedOut]

    @staticmethod
    def resolve_author_name(obj: Assessment) -> str:
        return str(obj.author)

    @staticmethod
    def resolve_completed_by_name(obj: Assessment) -> str | None:
        return str(obj.completed_by) if obj.completed_by_id else None

    @staticmethod
    def resolve_overall_risk(obj: Assessment) -> str | None:
        return obj.overall_risk or None

    @staticmethod
    def resolve_safety_decision(obj: Assessment) -> str | None:
        return obj.safety_decision or None

    @staticmethod
    def resolve_risk_factors(obj: Assessment) -> list[RiskFactor]:
        return list(obj.risk_factors.all())

    @staticmethod
    def resolve_needs(obj: Assessment) -> list[Need]:
        return list(obj.needs.all())


class AssessmentIn(Schema):
    start_from_latest: bool = Field(
        False,
        description="Start from the case's latest completed assessment, copying its texts, risk factors and needs.",
    )
    assessed_on: datetime.date | None = Field(None, description="Defaults to today.")
    strengths: str | None = None
    needs_summary: str | None = None
    history: str | None = None
    current_situation: str | None = None
    family_view: str | None = None
    worker_view: str | None = None
    overall_risk: RiskLevel | None = None
    risk_reasoning: str | None = None
    safety_decision: Assessment.SafetyDecision | None = None


class AssessmentPatch(Schema):
    assessed_on: datetime.date | None = None
    strengths: str | None = None
    needs_summary: str | None = None
    history: str | None = None
    current_situation: str | None = None
    family_view: str | None = None
    worker_view: str | None = None
    overall_risk: RiskLevel | None = Field(None, description="null clears it (a draft may leave it undecided).")
    risk_reasoning: str | None = None
    safety_decision: Assessment.SafetyDecision | None = Field(None, description="null clears it.")


class RiskPointOut(Schema):
    assessed_on: datetime.date
    overall_risk: RiskLevel


class SuggestedGoalOut(Schema):
    title: str
    reason: str
    need_id: int

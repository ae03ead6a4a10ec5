"""API endpoints for assessments: drafting, risk factors, needs, completing, the risk history and suggested goals.

The same services and permission rules as the pages: a case you may not see is a 404, a change you
may not make is a 403, and a broken rule is a 422 with a message per field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from kinplan.assessments import schemas as s
from kinplan.assessments import selectors, services
from kinplan.assessments.models import Assessment, Need, RiskFactor
from kinplan.cases.models import Case
from kinplan.cases.permissions import case_for_api

router = Router(tags=["assessments"])

CLEARABLE = {"overall_risk", "safety_decision"}  # a draft may take back its risk decision
ONE = "/cases/{case_id}/assessments/{assessment_id}"


def _assessment(case: Case, assessment_id: int) -> Assessment:
    return get_object_or_404(selectors.assessments_for_case(case=case), pk=assessment_id)


def _assessment_data(payload: s.AssessmentIn | s.AssessmentPatch) -> dict[str, Any]:
    """The fields sent, as the service takes them: null clears the risk decision and is refused elsewhere."""
    data = payload.dict(exclude_unset=True, exclude={"start_from_latest"})
    for name, value in list(data.items()):
        if value is None and name in CLEARABLE:
            data[name] = ""
        elif value is None:
            raise ValidationError({name: _("This field cannot be null.")})
    return data


def _factor_in(assessment: Assessment, factor: str | None) -> RiskFactor | None:
    if factor is None:
        return None
    found = assessment.risk_factors.filter(factor=factor).first()
    if found is None:
        raise ValidationError({"risk_factor": _("Rate this risk factor in the assessment first.")})
    return found


# --- assessments ---------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/assessments", response=list[s.AssessmentOut], summary="A case's assessments, newest first"
)
def list_assessments(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return list(selectors.assessments_for_case(case=case_for_api(request, case_id)))


@router.post(
    "/cases/{case_id}/assessments",
    response={201: s.AssessmentOut},
    summary="Start a draft assessment, afresh or from the latest completed one",
)
def create_assessment(request: HttpRequest, case_id: int, payload: s.AssessmentIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    data = _assessment_data(payload)
    start_from = selectors.latest_assessment(case=case) if payload.start_from_latest else None
    if payload.start_from_latest and start_from is None:
        raise ValidationError({"start_from_latest": _("This case has no completed assessment to start from.")})
    assessment = services.assessment_create(actor=request.user, case=case, data=data, start_from=start_from)
    return 201, _assessment(case, assessment.pk)


@router.get(ONE, response=s.AssessmentOut, summary="One assessment")
def get_assessment(request: HttpRequest, case_id: int, assessment_id: int):  # type: ignore[no-untyped-def]
    return _assessment(case_for_api(request, case_id), assessment_id)


@router.patch(ONE, response=s.AssessmentOut, summary="Change a draft assessment")
def update_assessment(request: HttpRequest, case_id: int, assessment_id: int, payload: s.AssessmentPatch):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    assessment = _assessment(case, assessment_id)
    services.assessment_update(actor=request.user, assessment=assessment, data=_assessment_data(payload))
    return _assessment(case, assessment_id)


@router.post(f"{ONE}/complete", response=s.AssessmentOut, summary="Complete a draft assessment (then read-only)")
def complete_assessment(request: HttpRequest, case_id: int, assessment_id: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    services.assessment_complete(actor=request.user, assessment=_assessment(case, assessment_id))
    return _assessment(case, assessment_id)


@router.get("/cases/{case_id}/risk-history", response=list[s.RiskPointOut], summary="Overall risk level over time")
def risk_history(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return [point._asdict() for point in selectors.risk_history(case=case_for_api(request, case_id))]


@router.get(
    f"{ONE}/suggested-goals",
    response=list[s.SuggestedGoalOut],
    summary="Goals a plan could take up: needs for concurrent attention and needs under a high-rated factor",
)
def suggested_goals(request: HttpRequest, case_id: int, assessment_id: int):  # type: ignore[no-untyped-def]
    assessment = _assessment(case_for_api(request, case_id), assessment_id)
    goals = selectors.suggested_goals(assessment=assessment)
    return [{"title": goal.title, "reason": goal.reason, "need_id": goal.need.pk} for goal in goals]


# --- risk factors --------------------------------------------------------------------------------


@router.put(
    f"{ONE}/risk-factors/{{factor}}",
    response=s.RiskFactorOut,
    summary="Rate a risk factor in a draft (or change its rating and evidence)",
)
def set_risk_factor(
    request: HttpRequest, case_id: int, assessment_id: int, factor: RiskFactor.Factor, payload: s.RiskFactorIn
):  # type: ignore[no-untyped-def]
    assessment = _assessment(case_for_api(request, case_id), assessment_id)
    return services.risk_factor_set(
        actor=request.user, assessment=assessment, factor=factor, rating=payload.rating, evidence=payload.evidence
    )


@router.delete(f"{ONE}/risk-factors/{{factor}}", response={204: None}, summary="Take a risk factor out of a draft")
def remove_risk_factor(request: HttpRequest, case_id: int, assessment_id: int, factor: RiskFactor.Factor):  # type: ignore[no-untyped-def]
    assessment = _assessment(case_for_api(request, case_id), assessment_id)
    risk_factor = get_object_or_404(RiskFactor, assessment=assessment, factor=factor)
    services.risk_factor_remove(actor=request.user, risk_factor=risk_factor)
    return 204, None


# --- needs ---------------------------------------------------------------------------------------


@router.post(f"{ONE}/needs", response={201: s.NeedOut}, summary="Record a need in a draft")
def add_need(request: HttpRequest, case_id: int, assessment_id: int, payload: s.NeedIn):  # type: ignore[no-untyped-def]
    assessment = _assessment(case_for_api(request, case_id), assessment_id)
    data = payload.dict()
    data["risk_factor"] = _factor_in(assessment, data["risk_factor"])
    return 201, services.need_add(actor=request.user, assessment=assessment, data=data)


@router.patch(f"{ONE}/needs/{{need_id}}", response=s.NeedOut, summary="Change a need in a draft")
def update_need(request: HttpRequest, case_id: int, assessment_id: int, need_id: int, payload: s.NeedPatch):  # type: ignore[no-untyped-def]
    assessment = _assessment(case_for_api(request, case_id), assessment_id)
    need = get_object_or_404(Need, pk=need_id, assessment=assessment)
    data = payload.dict(exclude_unset=True)
    if "risk_factor" in data:
        data["risk_factor"] = _factor_in(assessment, data["risk_factor"])
    for name, value in data.items():
        if value is None and name != "risk_factor":
            raise ValidationError({name: _("This field cannot be null.")})
    return services.need_update(actor=request.user, need=need, data=data)


@router.delete(f"{ONE}/needs/{{need_id}}", response={204: None}, summary="Take a need out of a draft")
def remove_need(request: HttpRequest, case_id: int, assessment_id: int, need_id: int):  # type: ignore[no-untyped-def]
    assessment = _assessment(case_for_api(request, case_id), assessment_id)
    services.need_remove(actor=request.user, need=get_object_or_404(Need, pk=need_id, assessment=assessment))
    return 204, None

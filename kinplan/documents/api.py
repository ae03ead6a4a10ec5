"""The documents as PDFs through the API: the same documents and the same rules as the pages.

Every record is reached through its case: a plan, support plan, referral or meeting of a case the user may not see
is a 404, and reading a document is logged as an API view of the child's record. `?language=en-nz` or `nb`
chooses the language; the family's plan is otherwise in the family's language where Kinplan ships it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from kinplan.cases.permissions import case_for_api
from kinplan.core.api import found_or_404
from kinplan.documents import responses
from kinplan.meetings.models import Meeting
from kinplan.permanent_care.models import SupportArrangement
from kinplan.planning.models import Plan
from kinplan.planning.selectors import plan_with_content
from kinplan.referrals.models import Referral

router = Router(tags=["documents"])

PDF: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The document, an A4 PDF.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _plan_for(request: HttpRequest, plan_id: int) -> Plan:
    plan: Plan = found_or_404(Plan.objects.all(), plan_id)
    case = case_for_api(request, plan.case_id)
    plan = plan_with_content(plan.pk)
    plan.case = case
    return plan


@router.get("/plans/{plan_id}/family-plan.pdf", summary="The service plan for the family, as a PDF", openapi_extra=PDF)
def family_plan_pdf(request: HttpRequest, plan_id: int, language: str | None = None) -> HttpResponse:
    """The plan in plain words for the family: their goals, what they will do, what we will help with, dates and
    contacts; no costs or professional notes. `language`: en-nz or nb, else the family's own where Kinplan ships
    it, else English."""
    plan = _plan_for(request, plan_id)
    return responses.family_plan(plan.case, plan, language=language)


@router.get("/plans/{plan_id}/plan.pdf", summary="The professional service plan, as a PDF", openapi_extra=PDF)
def service_plan_pdf(request: HttpRequest, plan_id: int, language: str | None = None) -> HttpResponse:
    """Goals, steps (who, what, when, how much, cost, funder, status, result), costs, the concurrent plan, needs,
    agreement and sign-offs. `language`: en-nz or nb, else the reader's."""
    plan = _plan_for(request, plan_id)
    return responses.service_plan(plan.case, plan, language=language)


@router.get(
    "/permanent-care/arrangements/{arrangement_id}/plan.pdf",
    summary="The permanent care support plan, as a PDF",
    openapi_extra=PDF,
)
def support_plan_pdf(request: HttpRequest, arrangement_id: int, language: str | None = None) -> HttpResponse:
    """Objectives and supports, universal services, costs, agreement, approvals and sign-offs, escalation and the
    review date. `language`: en-nz or nb, else the reader's."""
    related = ("child", "caregiver", "support_service", "caseworker", "reviewer")
    arrangement: SupportArrangement = found_or_404(SupportArrangement.objects.select_related(*related), arrangement_id)
    arrangement.case = case_for_api(request, arrangement.case_id)
    return responses.support_plan(arrangement.case, arrangement, language=language)


@router.get(
    "/referrals/{referral_id}/pack.pdf", summary="A referral's pack for the provider, as a PDF", openapi_extra=PDF
)
def referral_pack_pdf(request: HttpRequest, referral_id: int, language: str | None = None) -> HttpResponse:
    """Who is referred, to which provider and service, why, the information sent and the consent to share it."""
    referral: Referral = found_or_404(Referral.objects.all(), referral_id)
    case = case_for_api(request, referral.case_id)
    return responses.referral_pack(case, referral, language=language)


@router.get("/meetings/{meeting_id}/record.pdf", summary="A meeting's record, as a PDF", openapi_extra=PDF)
def meeting_record_pdf(request: HttpRequest, meeting_id: int, language: str | None = None) -> HttpResponse:
    """Who took part and how, their views, the decisions and the actions agreed."""
    meeting: Meeting = found_or_404(Meeting.objects.all(), meeting_id)
    case = case_for_api(request, meeting.case_id)
    return responses.meeting_record(case, meeting, language=language)

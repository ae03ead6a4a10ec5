"""The documents as PDFs from the pages: whoever may open a plan, support plan, referral or meeting may download
its document, and others get the same 404 as that page. Opening one is logged as a view of the child's record.

Every document takes `?language=en-nz` or `?language=nb`; the family's plan is otherwise in the family's language
(where Kinplan ships it), the others in the reader's.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from kinplan.cases.models import Case
from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.documents import responses
from kinplan.meetings.models import Meeting
from kinplan.permanent_care.models import SupportArrangement
from kinplan.planning.models import Plan
from kinplan.planning.selectors import plan_for_case
from kinplan.referrals.models import Referral

ARRANGEMENT_RELATED = ("case__site", "case__worker", "child", "caregiver", "support_service", "caseworker", "reviewer")


def _case(request: HttpRequest, pk: int) -> Case:
    return case_get_for_user_or_404(request.user, pk, request=request)  # type: ignore[arg-type]


def _plan(request: HttpRequest, case: Case) -> Plan:
    """The case's current plan, or ?version=N, as the plan page finds it."""
    raw = request.GET.get("version")
    try:
        version = int(raw) if raw else None
    except ValueError:
        raise Http404("No such version.") from None
    plan = plan_for_case(case=case, version=version)
    if plan is None:
        raise Http404("This case has no plan yet." if version is None else "No such version.")
    return plan


def _language(request: HttpRequest) -> str | None:
    return request.GET.get("language") or None


@login_required
@require_GET
def family_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The service plan for the family, in plain words and in their language."""
    case = _case(request, pk)
    return responses.family_plan(case, _plan(request, case), language=_language(request))


@login_required
@require_GET
def service_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The professional service plan, with its agreement and sign-offs."""
    case = _case(request, pk)
    return responses.service_plan(case, _plan(request, case), language=_language(request))


@login_required
@require_GET
def support_plan(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    """The permanent care support plan, with its approvals, sign-offs and escalation."""
    case = _case(request, pk)
    arrangement = get_object_or_404(
        SupportArrangement.objects.select_related(*ARRANGEMENT_RELATED), pk=arr_pk, case=case
    )
    return responses.support_plan(case, arrangement, language=_language(request))


@login_required
@require_GET
def referral_pack(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """What is sent to the provider with a referral."""
    case = _case(request, pk)
    referral = get_object_or_404(Referral, pk=referral_pk, case=case)
    return responses.referral_pack(case, referral, language=_language(request))


@login_required
@require_GET
def meeting_record(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    """The meeting's record: who took part and how, their views, the decisions and the actions."""
    case = _case(request, pk)
    meeting = get_object_or_404(Meeting, pk=mpk, case=case)
    return responses.meeting_record(case, meeting, language=_language(request))

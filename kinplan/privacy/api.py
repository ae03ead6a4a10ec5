"""API endpoints for privacy: subject access exports, the retention review and erasure requests.

The same rules as the pages: what the user may not reach is a 404, what they may see but not do a 403, bad input
a 422 with nothing saved. Exports and erasure decisions need a recent sign-in (a personal API token counts).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from kinplan.accounts.reauth import ensure_recent_sign_in
from kinplan.cases.models import Case, Person
from kinplan.cases.permissions import cases_in_role_scope, people_visible_to
from kinplan.core.errors import ensure
from kinplan.privacy import schemas as s
from kinplan.privacy import selectors, services
from kinplan.privacy.documents import subject_access_pdf
from kinplan.privacy.models import ErasureRequest
from kinplan.privacy.permissions import PRIVACY_ROLES, can_export_subject_access, can_review_retention

router = Router(tags=["privacy"])

PDF: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The export, an A4 PDF.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _exportable(request: HttpRequest, person_id: int) -> Person:
    person = people_visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404(_("No such person."))
    ensure(
        can_export_subject_access(request.user, person),
        _("Only a site manager or a national manager exports what Kinplan holds about a person."),
    )
    ensure_recent_sign_in(request)
    return person


def _export(request: HttpRequest, person_id: int, file_format: str) -> tuple[Person, dict[str, Any]]:
    person = _exportable(request, person_id)
    record = selectors.subject_access_record(person, for_user=request.user)
    services.subject_access_exported(
        actor=request.user, person=person, record=record, file_format=file_format, channel="api", path=request.path
    )
    return person, record


@router.get(
    "/privacy/people/{person_id}/subject-access",
    response=s.SubjectAccessOut,
    summary="Everything Kinplan holds about a person (subject access), as JSON; recorded in their history",
)
def subject_access(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    return _export(request, person_id, "json")[1]


@router.get(
    "/privacy/people/{person_id}/subject-access.pdf",
    summary="Everything Kinplan holds about a person (subject access), as a PDF; recorded in their history",
    openapi_extra=PDF,
)
def subject_access_pdf_download(request: HttpRequest, person_id: int) -> HttpResponse:
    person, record = _export(request, person_id, "pdf")
    return subject_access_pdf(record, person, request.user)  # type: ignore[arg-type]


@router.get(
    "/privacy/retention",
    response=list[s.RetentionCaseOut],
    summary="Closed cases at your site kept longer than the retention period (site managers)",
)
def retention_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    ensure(can_review_retention(request.user), _("Only a site manager reviews how long closed cases are kept."))
    cases = selectors.cases_due_for_retention_review(request.user, timezone.localdate())
    return list(cases[: settings.KINPLAN_PAGE_SIZE])


def _closed_case(request: HttpRequest, case_id: int) -> Case:
    case = selectors.retention_case_for(request.user, case_id)
    if case is None:
        raise Http404(_("No such closed case."))
    return case


@router.post(
    "/privacy/retention/{case_id}/keep",
    response={201: s.RetentionReviewOut},
    summary="Keep a closed case for a further number of years, with the reason",
)
def retention_keep(request: HttpRequest, case_id: int, payload: s.KeepIn):  # type: ignore[no-untyped-def]
    case = _closed_case(request, case_id)
    return 201, services.retention_keep(actor=request.user, case=case, years=payload.years, reason=payload.reason)


@router.get(
    "/privacy/erasure-requests",
    response=list[s.ErasureRequestOut],
    summary="The erasure requests in your reach (site and national managers), those waiting first",
)
def erasure_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    ensure(request.user.role in PRIVACY_ROLES, _("Only site managers and national managers decide on erasure."))
    return list(selectors.erasure_request_list(request.user)[: settings.KINPLAN_PAGE_SIZE])


def _subject(request: HttpRequest, payload: s.ErasureRequestIn) -> dict[str, Any]:
    if payload.case_id is not None and payload.person_id is None:
        return {"case": _closed_case(request, payload.case_id)}
    if payload.person_id is not None and payload.case_id is None:
        reach = Person.objects.filter(participations__case__in=cases_in_role_scope(request.user))
        person = reach.filter(pk=payload.person_id).first()
        if person is None:
            raise Http404(_("No such person."))
        return {"person": person}
    raise ValidationError({"case_id": [_("Give case_id or person_id, not both.")]})


@router.post(
    "/privacy/erasure-requests",
    response={201: s.ErasureRequestOut},
    summary="Ask for the erasure of a closed case or of a person whose cases are all closed",
)
def erasure_request(request: HttpRequest, payload: s.ErasureRequestIn):  # type: ignore[no-untyped-def]
    subject = _subject(request, payload)
    ensure_recent_sign_in(request)
    return 201, services.erasure_request_create(actor=request.user, reason=payload.reason, **subject)


def _visible_request(request: HttpRequest, request_id: int) -> ErasureRequest:
    found = selectors.erasure_request_for(request.user, request_id)
    if found is None:
        raise Http404(_("No such erasure request."))
    return found


@router.get(
    "/privacy/erasure-requests/{request_id}",
    response=s.ErasureRequestOut,
    summary="One erasure request, with its decisions",
)
def erasure_request_detail(request: HttpRequest, request_id: int):  # type: ignore[no-untyped-def]
    return _visible_request(request, request_id)


@router.post(
    "/privacy/erasure-requests/{request_id}/decisions",
    response=s.ErasureRequestOut,
    summary="Approve or refuse an erasure request; the second approval carries it out",
)
def erasure_decide(request: HttpRequest, request_id: int, payload: s.DecisionIn):  # type: ignore[no-untyped-def]
    erasure_request = _visible_request(request, request_id)
    ensure_recent_sign_in(request)
    services.erasure_decide(
        actor=request.user, request=erasure_request, decision=payload.decision, comment=payload.comment
    )
    return _visible_request(request, request_id)

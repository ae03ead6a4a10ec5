"""FHIR on the JSON API: a plan or a permanent care support plan as a Bundle, and a Bundle imported as a draft plan.

The same rules as the pages: a case the user may not see is a 404 (and each look is logged); an import needs the right
to change the case (403; a read-only token is refused before anything is read); a file with problems is a 422 listing
each, with nothing saved. Bundles are sent and answered as application/fhir+json (application/json is accepted).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from kinplan.cases.permissions import case_for_api
from kinplan.fhir.importer import plan_import
from kinplan.fhir.responses import fhir_response
from kinplan.fhir.selectors import service_plan_export, support_plan_export

router = Router(tags=["fhir"])

FHIR_CONTENT: dict[str, object] = {"application/fhir+json": {}}
BUNDLE = {"description": "A FHIR R4 Bundle (type collection)", "content": FHIR_CONTENT}


@router.get(
    "/cases/{case_id}/plan/fhir",
    summary="A case's current plan (or ?version=N) as a FHIR R4 Bundle",
    openapi_extra={"responses": {200: BUNDLE}},
)
def plan_bundle(request: HttpRequest, case_id: int, version: int | None = None) -> HttpResponse:
    return fhir_response(service_plan_export(case=case_for_api(request, case_id), version=version))


@router.get(
    "/cases/{case_id}/permanent-care/{arrangement_id}/fhir",
    summary="A permanent care support plan as a FHIR R4 Bundle",
    openapi_extra={"responses": {200: BUNDLE}},
)
def arrangement_bundle(request: HttpRequest, case_id: int, arrangement_id: int) -> HttpResponse:
    return fhir_response(support_plan_export(case=case_for_api(request, case_id), arrangement_id=arrangement_id))


@router.post(
    "/cases/{case_id}/plan/fhir",
    summary="Import a FHIR R4 Bundle with one CarePlan as the case's draft plan",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/fhir+json": {"schema": {"type": "object"}}}},
        "responses": {
            201: {"description": "The draft plan made, as a FHIR Bundle", "content": {"application/fhir+json": {}}}
        },
    },
)
def import_bundle(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_api(request, case_id)
    plan = plan_import(actor=request.user, case=case, raw=request.body)
    return fhir_response(service_plan_export(case=case, version=plan.version), status=201)

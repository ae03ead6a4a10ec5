"""A Bundle as a download: application/fhir+json, named after the case."""

from __future__ import annotations

import json

from django.http import HttpResponse

from kinplan.fhir.export import Resource

FHIR_JSON = "application/fhir+json; charset=utf-8"


def fhir_response(bundle: Resource, filename: str = "", status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=2), content_type=FHIR_JSON, status=status)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}.fhir.json"'
    return response

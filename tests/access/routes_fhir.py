"""The FHIR routes in the access matrix (see routes.py for the tables and helpers): downloads for whoever reads the
case, the import (into alice's third case, which has no plan) for whoever may change it."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kinplan.fhir.mapping import X
from tests.access.routes import CASE, CASE_READ, CASE_WRITE, Route, api, case_pk, page_and_form, web
from tests.access.world import World

CHILD = "urn:uuid:00000000-0000-4000-8000-000000000001"


def bundle(w: World | None = None) -> dict[str, Any]:
    """The smallest care plan Kinplan imports: a permanency goal and one goal."""
    goal = "urn:uuid:00000000-0000-4000-8000-000000000002"
    care_plan = {
        "resourceType": "CarePlan",
        "extension": [{"url": X["permanency-goal"], "valueCode": "remain_home"}],
        "status": "draft",
        "intent": "plan",
        "subject": {"reference": CHILD},
        "goal": [{"reference": goal}],
    }
    entries = [
        {"fullUrl": CHILD, "resource": {"resourceType": "Patient", "name": [{"text": "Aroha"}]}},
        {"fullUrl": "urn:uuid:00000000-0000-4000-8000-000000000003", "resource": care_plan},
        {
            "fullUrl": goal,
            "resource": {
                "resourceType": "Goal",
                "lifecycleStatus": "planned",
                "description": {"text": "Safe at home"},
                "subject": {"reference": CHILD},
            },
        },
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def upload(w: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("plan.fhir.json", json.dumps(bundle()).encode())}


def fresh_pk(w: World) -> int:
    return w.fresh_case.pk


def pc_ids(w: World) -> dict[str, int]:
    return w.extra["pc"]["planning"]


ROUTES: list[Route] = [
    Route("fhir:plan", web("fhir:plan", case_pk), CASE_READ),
    *page_and_form("fhir:import", web("fhir:import", fresh_pk), upload),
    Route(
        "fhir:arrangement",
        web("fhir:arrangement", lambda w: pc_ids(w).case_id, lambda w: pc_ids(w).pk),
        CASE_READ,
    ),
    api("GET", "/cases/{case_id}/plan/fhir", CASE_READ, **CASE),
    api("POST", "/cases/{case_id}/plan/fhir", CASE_WRITE, bundle, ok=201, case_id=fresh_pk),
    api(
        "GET",
        "/cases/{case_id}/permanent-care/{arrangement_id}/fhir",
        CASE_READ,
        case_id=lambda w: pc_ids(w).case_id,
        arrangement_id=lambda w: pc_ids(w).pk,
    ),
]

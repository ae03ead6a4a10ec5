"""The catalogue, the directory and informal supports in the access matrix."""

from __future__ import annotations

from tests.access.routes import CASE_READ, CASE_WRITE, ROLES, SIGNED_IN, Route, api, page_and_form, table, web

ADMINISTRATORS = table({"administrator"}, set(ROLES) - {"administrator"})  # everyone else signed in: 403


def provider(w):  # type: ignore[no-untyped-def]
    return w.extra["provider"].pk


def support(w):  # type: ignore[no-untyped-def]
    return w.extra["informal_support"].pk


ROUTES: list[Route] = [
    Route("providers:directory", lambda w: "/providers/?culture=maori", SIGNED_IN),
    Route("providers:directory", lambda w: f"/providers/?case={w.case.pk}&culture=maori", CASE_READ),
    Route("providers:detail", web("providers:detail", provider), SIGNED_IN),
    Route("providers:detail", web("providers:detail", support), CASE_READ),
    *page_and_form(
        "providers:informal_add",
        web("providers:informal_add", lambda w: w.case.pk),
        lambda w: {"name": "Aunty Rose", "relationship": "Aunt", "description": "Drives Mum to appointments"},
    ),
    *page_and_form(
        "providers:informal_edit",
        web("providers:informal_edit", lambda w: w.case.pk, support),
        lambda w: {"name": "Nan", "relationship": "Grandmother", "description": "After school", "is_active": "on"},
    ),
    api("GET", "/service-types", SIGNED_IN),
    api(
        "POST",
        "/service-types",
        ADMINISTRATORS,
        lambda w: {"code": "lunches", "name": "School lunches", "category": "universal"},
        ok=201,
    ),
    api(
        "PATCH",
        "/service-types/{service_type_id}",
        ADMINISTRATORS,
        lambda w: {"is_active": False},
        service_type_id=lambda w: w.extra["service_type"].pk,
    ),
    api("GET", "/providers", SIGNED_IN),
    api("GET", "/providers/{provider_id}", SIGNED_IN, provider_id=provider),
    api("GET", "/providers/{provider_id}", CASE_READ, provider_id=support),
    api("POST", "/providers", ADMINISTRATORS, lambda w: {"name": "Family Works", "kind": "ngo"}, ok=201),
    api("PATCH", "/providers/{provider_id}", ADMINISTRATORS, lambda w: {"phone": "04 237 0000"}, provider_id=provider),
    api("PATCH", "/providers/{provider_id}", CASE_WRITE, lambda w: {"phone": "021 555 0199"}, provider_id=support),
    api(
        "POST",
        "/providers/{provider_id}/services",
        ADMINISTRATORS,
        lambda w: {"service_type_id": w.extra["service_type"].pk, "name": "Weekend respite", "unit_cost": "90"},
        ok=201,
        provider_id=provider,
    ),
    api(
        "PATCH",
        "/provider-services/{offer_id}",
        ADMINISTRATORS,
        lambda w: {"capacity_note": "Waitlist 3 weeks"},
        offer_id=lambda w: w.extra["offer"].pk,
    ),
    api("GET", "/cases/{case_id}/informal-supports", CASE_READ, case_id=lambda w: w.case.pk),
    api(
        "POST",
        "/cases/{case_id}/informal-supports",
        CASE_WRITE,
        lambda w: {"person_id": w.mother.person_id, "relationship": "Mother", "description": "Cooks on Sundays"},
        ok=201,
        case_id=lambda w: w.case.pk,
    ),
]

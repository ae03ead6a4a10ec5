"""The court routes in the access matrix (see routes.py for the tables and helpers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.access.routes import CASE_READ, CASE_WRITE, SOON, TODAY, Route, api, case_pk, page_and_form, web
from tests.access.world import World


def extra(name: str) -> Callable[[World], int]:
    return lambda w: w.extra[name].pk


ORDER, CONDITION, HEARING = extra("court_order"), extra("court_condition"), extra("court_hearing")
COURT = "Family Court at Porirua"


def order_details(w: World) -> dict[str, Any]:
    return {"kind": "ce_custody", "child": w.child.pk, "court": COURT, "made_on": "2026-01-05", "reference": "FAM-1"}


def hearing_details(w: World) -> dict[str, Any]:
    return {"date": SOON, "court": COURT, "purpose": "Application to discharge the orders"}


WEB_ROUTES: list[Route] = [
    Route("court:case", web("court:case", case_pk), CASE_READ),
    Route("court:order", web("court:order", case_pk, ORDER), CASE_READ),
    *page_and_form(
        "court:order_new",
        web("court:order_new", case_pk),
        lambda w: {"kind": "services", "court": COURT, "made_on": TODAY.isoformat(), "conditions": "Counselling."},
    ),
    *page_and_form("court:order_edit", web("court:order_edit", case_pk, ORDER), order_details),
    *page_and_form(
        "court:order_end",
        web("court:order_end", case_pk, ORDER),
        lambda w: {"to": "discharged", "ended_on": TODAY.isoformat(), "note": "Tāmati is home for good."},
    ),
    *page_and_form(
        "court:condition_add", web("court:condition_add", case_pk, ORDER), lambda w: {"text": "No contact with Dad."}
    ),
    *page_and_form(
        "court:condition_edit",
        web("court:condition_edit", case_pk, CONDITION),
        lambda w: {"text": "Tāmati goes to school every school day."},
    ),
    *page_and_form(
        "court:condition_compliance",
        web("court:condition_compliance", case_pk, CONDITION),
        lambda w: {"compliance": "complying", "checked_on": TODAY.isoformat(), "note": "School reports 98%."},
    ),
    *page_and_form(
        "court:condition_steps", web("court:condition_steps", case_pk, CONDITION), lambda w: {"steps": [w.step.pk]}
    ),
    *page_and_form("court:hearing_new", web("court:hearing_new", case_pk), hearing_details),
    *page_and_form("court:hearing_edit", web("court:hearing_edit", case_pk, HEARING), hearing_details),
    *page_and_form(
        "court:hearing_outcome",
        web("court:hearing_outcome", case_pk, HEARING),
        lambda w: {"status": "held", "outcome": "The orders continue; review in six months."},
    ),
]

CASE = {"case_id": case_pk}

API_ROUTES: list[Route] = [
    api("GET", "/cases/{case_id}/court-orders", CASE_READ, **CASE),
    api(
        "POST",
        "/cases/{case_id}/court-orders",
        CASE_WRITE,
        lambda w: {"kind": "support", "court": COURT, "made_on": TODAY.isoformat(), "conditions": ["Counselling."]},
        ok=201,
        **CASE,
    ),
    api("GET", "/court-orders/{order_id}", CASE_READ, order_id=ORDER),
    api("PATCH", "/court-orders/{order_id}", CASE_WRITE, lambda w: {"reference": "FAM-2026-1"}, order_id=ORDER),
    api(
        "POST",
        "/court-orders/{order_id}/discharge",
        CASE_WRITE,
        lambda w: {"discharged_on": TODAY.isoformat()},
        order_id=ORDER,
    ),
    api(
        "POST",
        "/court-orders/{order_id}/end",
        CASE_WRITE,
        lambda w: {"to": "discharged", "ended_on": TODAY.isoformat()},
        order_id=ORDER,
    ),
    api(
        "POST",
        "/court-orders/{order_id}/conditions",
        CASE_WRITE,
        lambda w: {"text": "No contact with Dad."},
        ok=201,
        order_id=ORDER,
    ),
    api(
        "PATCH",
        "/order-conditions/{condition_id}",
        CASE_WRITE,
        lambda w: {"text": "Tāmati goes to school every school day."},
        condition_id=CONDITION,
    ),
    api(
        "POST",
        "/order-conditions/{condition_id}/compliance",
        CASE_WRITE,
        lambda w: {"compliance": "complying"},
        condition_id=CONDITION,
    ),
    api(
        "PUT",
        "/order-conditions/{condition_id}/steps",
        CASE_WRITE,
        lambda w: {"step_ids": [w.step.pk]},
        condition_id=CONDITION,
    ),
    api("GET", "/cases/{case_id}/hearings", CASE_READ, **CASE),
    api("POST", "/cases/{case_id}/hearings", CASE_WRITE, hearing_details, ok=201, **CASE),
    api("PATCH", "/hearings/{hearing_id}", CASE_WRITE, lambda w: {"date": SOON}, hearing_id=HEARING),
    api(
        "POST",
        "/hearings/{hearing_id}/outcome",
        CASE_WRITE,
        lambda w: {"status": "held", "outcome": "The orders continue."},
        hearing_id=HEARING,
    ),
]

ROUTES: list[Route] = WEB_ROUTES + API_ROUTES

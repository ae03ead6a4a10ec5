"""The permanent care routes in the access matrix (see routes.py for the tables and helpers).

Each route acts on one of alice's cases at the stage it needs (world_permanent_care.py). Besides the usual
case tables, steps of seed 003 belong to particular roles: the support service allocates, administers and
reviews; the site manager signs off; the team's supervisor and the national manager hold their rungs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from tests.access.routes import CASE_READ, CASE_WRITE, EDITORS, READERS, SIGNED_IN, TODAY, Route, api, table, web
from tests.access.world import World

PITA, RUTH = "allocated_support_caseworker", "allocated_support_manager"


def only(*roles: str) -> dict[str, Any]:
    """These roles may; everyone else who can see the case is refused (403), the rest get 404."""
    allowed = set(roles)
    return table(allowed, READERS - allowed)


DISCUSS = only(*EDITORS, PITA)
ALLOCATE = only(PITA, RUTH)
DECIDE = only("site_manager", RUTH)
SUPPORT = only(PITA, RUTH)
REVIEWER = only(PITA)
RUNG = {1: CASE_WRITE, 3: only("supervisor"), 5: only("site_manager"), 6: only("national_manager")}
RUNG_AT = {1: "rung1", 3: "rung3", 5: "rung5", 6: "rung6"}


def pc(stage: str) -> Callable[[World], int]:
    return lambda w: w.extra["pc"][stage].pk


def pc_case(stage: str) -> Callable[[World], int]:
    return lambda w: w.extra["pc"][stage].case_id


def extra(name: str) -> Callable[[World], int]:
    return lambda w: w.extra[name].pk


def at(name: str, stage: str, *more: Callable[[World], Any]) -> Callable[[World], str]:
    return web(f"permanent_care:{name}", pc_case(stage), pc(stage), *more)


def iso(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).isoformat()


def referral(w: World) -> dict[str, Any]:
    a = w.extra["pc"]["draft"]
    return {
        "child": a.child_id,
        "caregiver": a.caregiver_id,
        "support_service": a.support_service_id,
        "intention_noted_on": iso(-10),
        "referral_notes": "Nan has cared for Aroha for two years.",
    }


def start_details(w: World) -> dict[str, Any]:
    family = w.extra["pc_start"]
    return {
        "child": family.child.pk,
        "caregiver": family.caregiver.pk,
        "support_service": w.users[PITA].organisation_id,
        "intention_noted_on": iso(-3),
    }


def item(w: World) -> dict[str, Any]:
    family_provider = w.extra["pc_planning_item"].provider
    offer = w.extra["pc_planning_item"].provider_service
    return {
        "kind": "service",
        "what": "Play therapy for Aroha",
        "provider": family_provider.pk,
        "provider_service": offer.pk,
        "starts_on": iso(45),
        "due_on": iso(150),
        "quantity": "6",
        "costs_money": "true",
        "funder": "support_service",
    }


def rung_details(rung: int) -> Callable[[World], dict[str, Any]]:
    outcome = "determined_approved" if rung == 6 else "unresolved"
    return lambda w: {
        "held_on": TODAY.isoformat(),
        "method": "conference_call",
        "caseworker_involved": "on",
        "outcome": outcome,
        "summary": "The disputed counselling costs were discussed.",
    }


def purchase(w: World) -> dict[str, Any]:
    a, it = w.extra["pc"]["in_place"], w.extra["pc_item"]
    return {
        "provider": it.provider_id,
        "provider_service": it.provider_service_id,
        "quantity": "2",
        "unit": "session",
        "cost": "240",
        "period_start": a.discharged_on.isoformat(),
        "period_end": a.ends_on.isoformat(),
    }


def further(w: World) -> dict[str, Any]:
    a = w.extra["pc"]["in_place"]
    return {
        "agreed_on": TODAY.isoformat(),
        "starts_on": (a.ends_on + datetime.timedelta(days=1)).isoformat(),
        "supports": "Respite one weekend a month",
        "negotiated_with": "Mere Ngata",
    }


REVIEW = {"reviewed_on": TODAY.isoformat(), "findings": "Aroha is settled at school.", "outcome": "continue"}
ITEM_PK, OBJECTIVE_PK, UNIVERSAL_PK = extra("pc_planning_item"), extra("pc_objective"), extra("pc_universal")

WEB_ROUTES: list[Route] = [
    Route("permanent_care:waiting", web("permanent_care:waiting"), SIGNED_IN),
    Route("permanent_care:arrangement", at("arrangement", "planning"), CASE_READ),
    Route("permanent_care:letter", at("letter", "sent"), CASE_READ),
    Route("permanent_care:start", web("permanent_care:start", lambda w: w.extra["pc_start"].case.pk), CASE_WRITE),
    Route(
        "permanent_care:start",
        web("permanent_care:start", lambda w: w.extra["pc_start"].case.pk),
        CASE_WRITE,
        "POST",
        start_details,
        ok=302,
    ),
    Route("permanent_care:referral_change", at("referral_change", "draft"), CASE_WRITE, "POST", referral, ok=302),
    Route("permanent_care:referral_send", at("referral_send", "draft"), CASE_WRITE, "POST", lambda w: {}, ok=302),
    Route(
        "permanent_care:allocate",
        at("allocate", "referred"),
        ALLOCATE,
        "POST",
        lambda w: {"caseworker": w.users[PITA].pk},
        ok=302,
    ),
    Route(
        "permanent_care:discussion_add",
        at("discussion_add", "allocated"),
        DISCUSS,
        "POST",
        lambda w: {
            "held_on": TODAY.isoformat(),
            "method": "phone",
            "supports_discussed": "Counselling, respite.",
            "participation_level": "attends_key",
        },
        ok=302,
    ),
    Route(
        "permanent_care:dates_set",
        at("dates_set", "planning"),
        CASE_WRITE,
        "POST",
        lambda w: {"starts_on": iso(31), "ends_on": iso(300), "review_on": iso(120)},
        ok=302,
    ),
    Route(
        "permanent_care:objective_add",
        at("objective_add", "planning"),
        CASE_WRITE,
        "POST",
        lambda w: {"need": w.extra["pc_need"].pk, "title": "Aroha knows her whakapapa"},
        ok=302,
    ),
    Route(
        "permanent_care:objective_remove",
        at("objective_remove", "planning", OBJECTIVE_PK),
        CASE_WRITE,
        "POST",
        lambda w: {},
        ok=302,
    ),
    Route("permanent_care:objective_edit", at("objective_edit", "planning", OBJECTIVE_PK), CASE_WRITE),
    Route(
        "permanent_care:objective_edit",
        at("objective_edit", "planning", OBJECTIVE_PK),
        CASE_WRITE,
        "POST",
        lambda w: {"need": w.extra["pc_need"].pk, "title": "Aroha is settled"},
        ok=302,
    ),
    Route("permanent_care:item_add", at("item_add", "planning", OBJECTIVE_PK), CASE_WRITE, "POST", item, ok=302),
    Route("permanent_care:item_edit", at("item_edit", "planning", ITEM_PK), CASE_WRITE),
    Route(
        "permanent_care:item_edit",
        at("item_edit", "planning", ITEM_PK),
        CASE_WRITE,
        "POST",
        lambda w: item(w) | {"cost": "720"},  # the whole form is posted: a blank cost would clear it
        ok=302,
    ),
    Route(
        "permanent_care:item_remove", at("item_remove", "planning", ITEM_PK), CASE_WRITE, "POST", lambda w: {}, ok=302
    ),
    Route(
        "permanent_care:universal_add",
        at("universal_add", "planning"),
        CASE_WRITE,
        "POST",
        lambda w: {"name": "Kōhanga reo", "how_to_access": "Enrolled from February"},
        ok=302,
    ),
    Route(
        "permanent_care:universal_remove",
        at("universal_remove", "planning", UNIVERSAL_PK),
        CASE_WRITE,
        "POST",
        lambda w: {},
        ok=302,
    ),
    Route(
        "permanent_care:agreement_add",
        at("agreement_add", "planning"),
        CASE_WRITE,
        "POST",
        lambda w: {"member": w.extra["pc_caregiver_member"].pk, "position": "agrees", "method": "phone"},
        ok=302,
    ),
    Route(
        "permanent_care:ready_for_court",
        at("ready_for_court", "planning"),
        CASE_WRITE,
        "POST",
        lambda w: {"court_step": "Special guardianship order applied for", "court_step_on": TODAY.isoformat()},
        ok=302,
    ),
    Route("permanent_care:submit", at("submit", "ready"), CASE_WRITE, "POST", lambda w: {}, ok=302),
    Route(
        "permanent_care:reopen", at("reopen", "ready"), CASE_WRITE, "POST", lambda w: {"reason": "Add respite"}, ok=302
    ),
    Route(
        "permanent_care:withdraw",
        at("withdraw", "draft"),
        CASE_WRITE,
        "POST",
        lambda w: {"reason": "Nan has decided not to go ahead."},
        ok=302,
    ),
    Route(
        "permanent_care:decide", at("decide", "awaiting"), DECIDE, "POST", lambda w: {"decision": "approved"}, ok=302
    ),
    *[
        Route(
            "permanent_care:rung_record",
            at("rung_record", RUNG_AT[rung], lambda w, rung=rung: rung),
            RUNG[rung],
            "POST",
            rung_details(rung),
            ok=302,
        )
        for rung in RUNG_AT
    ],
    Route(
        "permanent_care:follow_up_record",
        at("follow_up_record", "changes", extra("pc_follow_up")),
        CASE_WRITE,
        "POST",
        lambda w: {"discussed_on": TODAY.isoformat(), "method": "phone", "note": "Mere is happy."},
        ok=302,
    ),
    Route("permanent_care:send", at("send", "approved"), CASE_WRITE, "POST", lambda w: {}, ok=302),
    Route(
        "permanent_care:letter_sent",
        at("letter_sent", "sent"),
        SUPPORT,
        "POST",
        lambda w: {"sent_on": TODAY.isoformat(), "method": "post"},
        ok=302,
    ),
    Route(
        "permanent_care:purchase_add",
        at("purchase_add", "in_place", extra("pc_item")),
        SUPPORT,
        "POST",
        purchase,
        ok=302,
    ),
    Route(
        "permanent_care:delivery_add",
        at("delivery_add", "in_place", extra("pc_purchase")),
        SUPPORT,
        "POST",
        lambda w: {"delivered_on": TODAY.isoformat(), "quantity": "1", "cost": "120"},
        ok=302,
    ),
    Route("permanent_care:review", at("review", "in_place"), REVIEWER, "POST", lambda w: REVIEW, ok=302),
    Route("permanent_care:further_support", at("further_support", "in_place"), SUPPORT, "POST", further, ok=302),
]

ARR = "/permanent-care/arrangements/{arrangement_id}"


def arr(stage: str) -> dict[str, Callable[[World], int]]:
    return {"arrangement_id": pc(stage)}


def api_item(w: World) -> dict[str, Any]:
    body = item(w)
    return {
        "kind": "service",
        "what": body["what"],
        "provider_id": body["provider"],
        "provider_service_id": body["provider_service"],
        "starts_on": body["starts_on"],
        "due_on": body["due_on"],
        "quantity": "6",
        "costs_money": True,
        "funder": "support_service",
    }


def api_purchase(w: World) -> dict[str, Any]:
    body = purchase(w)
    return {
        "item_id": w.extra["pc_item"].pk,
        "provider_id": body["provider"],
        "quantity": "2",
        "cost": "240",
        "period_start": body["period_start"],
        "period_end": body["period_end"],
    }


def api_start(w: World) -> dict[str, Any]:
    body = start_details(w)
    return {
        "child_id": body["child"],
        "caregiver_id": body["caregiver"],
        "support_service_id": body["support_service"],
        "intention_noted_on": body["intention_noted_on"],
    }


def api_rung(rung: int) -> Callable[[World], dict[str, Any]]:
    return lambda w: rung_details(rung)(w) | {"rung": rung, "caseworker_involved": True}


API_ROUTES: list[Route] = [
    api("GET", "/permanent-care/waiting", SIGNED_IN),
    api("GET", "/permanent-care/arrangements", SIGNED_IN),
    api("GET", "/cases/{case_id}/permanent-care", CASE_READ, case_id=pc_case("planning")),
    api(
        "POST",
        "/cases/{case_id}/permanent-care",
        CASE_WRITE,
        api_start,
        ok=201,
        case_id=lambda w: w.extra["pc_start"].case.pk,
    ),
    api("GET", ARR, CASE_READ, **arr("planning")),
    api("PATCH", f"{ARR}/referral", CASE_WRITE, lambda w: {"referral_notes": "Nan is 64."}, **arr("draft")),
    api("POST", f"{ARR}/referral/send", CASE_WRITE, **arr("draft")),
    api("POST", f"{ARR}/allocate", ALLOCATE, lambda w: {"caseworker_id": w.users[PITA].pk}, **arr("referred")),
    api(
        "POST",
        f"{ARR}/discussions",
        DISCUSS,
        lambda w: {
            "held_on": TODAY.isoformat(),
            "method": "phone",
            "supports_discussed": "Counselling.",
            "participation_level": "attends_key",
        },
        ok=201,
        **arr("allocated"),
    ),
    api("POST", f"{ARR}/withdraw", CASE_WRITE, lambda w: {"reason": "Nan changed her mind."}, **arr("draft")),
    api("PATCH", f"{ARR}/dates", CASE_WRITE, lambda w: {"review_on": iso(150)}, **arr("planning")),
    api(
        "POST",
        f"{ARR}/objectives",
        CASE_WRITE,
        lambda w: {"need_id": w.extra["pc_need"].pk, "title": "Aroha knows her whakapapa"},
        ok=201,
        **arr("planning"),
    ),
    api(
        "PATCH",
        "/permanent-care/objectives/{objective_id}",
        CASE_WRITE,
        lambda w: {"title": "Aroha is settled"},
        objective_id=OBJECTIVE_PK,
    ),
    api("POST", "/permanent-care/objectives/{objective_id}/remove", CASE_WRITE, objective_id=OBJECTIVE_PK),
    api(
        "POST",
        "/permanent-care/objectives/{objective_id}/items",
        CASE_WRITE,
        api_item,
        ok=201,
        objective_id=OBJECTIVE_PK,
    ),
    api("PATCH", "/permanent-care/items/{item_id}", CASE_WRITE, lambda w: {"quantity": "8"}, item_id=ITEM_PK),
    api("POST", "/permanent-care/items/{item_id}/remove", CASE_WRITE, item_id=ITEM_PK),
    api("POST", f"{ARR}/universal-services", CASE_WRITE, lambda w: {"name": "Kōhanga reo"}, ok=201, **arr("planning")),
    api("POST", "/permanent-care/universal-services/{service_id}/remove", CASE_WRITE, service_id=UNIVERSAL_PK),
    api(
        "POST",
        f"{ARR}/agreements",
        CASE_WRITE,
        lambda w: {"member_id": w.extra["pc_caregiver_member"].pk, "position": "agrees", "method": "phone"},
        ok=201,
        **arr("planning"),
    ),
    api(
        "POST",
        f"{ARR}/ready-for-court",
        CASE_WRITE,
        lambda w: {"court_step": "Special guardianship order applied for", "court_step_on": TODAY.isoformat()},
        **arr("planning"),
    ),
    api("POST", f"{ARR}/reopen", CASE_WRITE, lambda w: {"reason": "Add respite"}, **arr("ready")),
    api("POST", f"{ARR}/submit", CASE_WRITE, **arr("ready")),
    api("POST", f"{ARR}/decisions", DECIDE, lambda w: {"decision": "approved"}, ok=201, **arr("awaiting")),
    api("POST", f"{ARR}/escalation", RUNG[3], api_rung(3), ok=201, **arr("rung3")),
    api(
        "POST",
        "/permanent-care/follow-ups/{follow_up_id}",
        CASE_WRITE,
        lambda w: {"discussed_on": TODAY.isoformat(), "method": "phone"},
        follow_up_id=extra("pc_follow_up"),
    ),
    api("POST", f"{ARR}/send", CASE_WRITE, **arr("approved")),
    api("GET", f"{ARR}/letter.pdf", CASE_READ, **arr("sent")),
    api("POST", f"{ARR}/letter", SUPPORT, lambda w: {"sent_on": TODAY.isoformat(), "method": "email"}, **arr("sent")),
    api("POST", f"{ARR}/purchases", SUPPORT, api_purchase, ok=201, **arr("in_place")),
    api(
        "POST",
        "/permanent-care/purchases/{purchase_id}/deliveries",
        SUPPORT,
        lambda w: {"delivered_on": TODAY.isoformat(), "quantity": "1", "cost": "120"},
        ok=201,
        purchase_id=extra("pc_purchase"),
    ),
    api("POST", f"{ARR}/reviews", REVIEWER, lambda w: REVIEW, ok=201, **arr("in_place")),
    api("POST", f"{ARR}/further-support", SUPPORT, further, ok=201, **arr("in_place")),
]
ROUTES = WEB_ROUTES + API_ROUTES

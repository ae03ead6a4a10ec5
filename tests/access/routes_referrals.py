"""The referrals routes in the access matrix (see routes.py for the tables and helpers)."""

from __future__ import annotations

from typing import Any

from tests.access.routes import (
    CASE,
    CASE_READ,
    CASE_WRITE,
    SIGNED_IN,
    TODAY,
    Route,
    api,
    case_pk,
    page_and_form,
    web,
)
from tests.access.world import World


def referral_pk(w: World) -> int:
    return w.extra["referral"].pk


def referral_form(w: World) -> dict[str, Any]:
    return {
        "person": w.mother.person_id,
        "offer": f"service:{w.extra['referral_offer'].pk}",
        "reason": "Budgeting help before the rent review.",
        "information_sent": "Name and phone.",
    }


REFERRAL = {"referral_id": referral_pk}

ROUTES: list[Route] = [
    # pages
    Route("referrals:list", web("referrals:list"), SIGNED_IN),
    *page_and_form("referrals:new", web("referrals:new", case_pk), referral_form),
    Route("referrals:detail", web("referrals:detail", case_pk, referral_pk), CASE_READ),
    *page_and_form("referrals:change", web("referrals:change", case_pk, referral_pk), referral_form),
    Route(
        "referrals:consent",
        web("referrals:consent", case_pk, referral_pk),
        CASE_WRITE,
        "POST",
        lambda w: {
            "given_by": w.mother.person_id,
            "shares": "Name only.",
            "given_on": TODAY.isoformat(),
            "expires_on": TODAY.replace(year=TODAY.year + 1).isoformat(),
            "method": "in_writing",
        },
        ok=302,
    ),
    Route(
        "referrals:move",
        web("referrals:move", case_pk, referral_pk),
        CASE_WRITE,
        "POST",
        lambda w: {"to": "sent", "on": TODAY.isoformat()},
        ok=302,
    ),
    # the API
    api("GET", "/referrals", SIGNED_IN),
    api("GET", "/cases/{case_id}/referrals", CASE_READ, **CASE),
    api(
        "POST",
        "/cases/{case_id}/referrals",
        CASE_WRITE,
        lambda w: {
            "person_id": w.mother.person_id,
            "provider_id": w.extra["referral_provider"].pk,
            "provider_service_id": w.extra["referral_offer"].pk,
            "reason": "Budgeting help.",
        },
        ok=201,
        **CASE,
    ),
    api("GET", "/referrals/{referral_id}", CASE_READ, **REFERRAL),
    api("PATCH", "/referrals/{referral_id}", CASE_WRITE, lambda w: {"reason": "Budgeting and housing."}, **REFERRAL),
    api(
        "POST",
        "/referrals/{referral_id}/consent",
        CASE_WRITE,
        lambda w: {
            "given_by_id": w.mother.person_id,
            "shares": "Name only.",
            "given_on": TODAY.isoformat(),
            "expires_on": TODAY.replace(year=TODAY.year + 1).isoformat(),
            "method": "electronic",
        },
        ok=201,
        **REFERRAL,
    ),
    api("POST", "/referrals/{referral_id}/transition", CASE_WRITE, lambda w: {"to": "sent"}, **REFERRAL),
]

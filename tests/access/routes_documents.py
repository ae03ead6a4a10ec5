"""The printed documents in the access matrix (see routes.py for the tables and helpers).

Each document may be downloaded by whoever may open the page it prints — the plan, the permanent care support plan,
the referral, the meeting — so every route is CASE_READ, on records the world already holds.
"""

from __future__ import annotations

from tests.access.routes import CASE_READ, Route, api, case_pk, web

PLAN = {"plan_id": lambda w: w.plan.pk}
SUPPORT_PLAN = {"arrangement_id": lambda w: w.extra["pc"]["approved"].pk}

WEB_ROUTES: list[Route] = [
    Route("documents:family_plan", web("documents:family_plan", case_pk), CASE_READ),
    Route("documents:service_plan", web("documents:service_plan", case_pk), CASE_READ),
    Route(
        "documents:support_plan",
        web(
            "documents:support_plan",
            lambda w: w.extra["pc"]["approved"].case_id,
            lambda w: w.extra["pc"]["approved"].pk,
        ),
        CASE_READ,
    ),
    Route(
        "documents:referral_pack", web("documents:referral_pack", case_pk, lambda w: w.extra["referral"].pk), CASE_READ
    ),
    Route(
        "documents:meeting_record",
        web("documents:meeting_record", case_pk, lambda w: w.extra["held_meeting"].pk),
        CASE_READ,
    ),
]

API_ROUTES: list[Route] = [
    api("GET", "/plans/{plan_id}/family-plan.pdf", CASE_READ, **PLAN),
    api("GET", "/plans/{plan_id}/plan.pdf", CASE_READ, **PLAN),
    api("GET", "/permanent-care/arrangements/{arrangement_id}/plan.pdf", CASE_READ, **SUPPORT_PLAN),
    api("GET", "/referrals/{referral_id}/pack.pdf", CASE_READ, referral_id=lambda w: w.extra["referral"].pk),
    api("GET", "/meetings/{meeting_id}/record.pdf", CASE_READ, meeting_id=lambda w: w.extra["held_meeting"].pk),
]

ROUTES = WEB_ROUTES + API_ROUTES

"""Every route Kinplan serves, with how to reach it in the world, a valid request, and who may do what.

A route's `access` table says, for each role or relation to alice's case, what the route answers:
OK (the route's own success status), a status code, LOGIN (sent to the login page) or ADMIN_LOGIN.
test_matrix.py checks each (route, role) pair, and fails when the URL conf or the OpenAPI schema has a
route that is not listed here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.access.world import World

OK = "ok"
LOGIN = "login"  # a redirect to the login page (web, signed out)
ADMIN_LOGIN = "admin-login"  # a redirect to /manage/'s own login (anyone but an administrator)
Expect = str | int

ROLES = (
    "alice",  # owns the case
    "supervisor",  # alice's supervisor
    "site_manager",  # alice's site manager
    "national_manager",  # reads every case, changes none
    "allocated_support_caseworker",  # allocated to the case by the support service
    "allocated_support_manager",  # manages the support service on the case
    "bob",  # same team, not his case
    "other_team_supervisor",  # same site, another team
    "charlie",  # another site
    "other_site_manager",  # manages another site
    "support_caseworker",  # the support service, not allocated to this case
    "support_manager",  # another support service
    "administrator",  # runs the system, sees no case
    "anonymous",
)
READERS = {"alice", "supervisor", "site_manager", "national_manager"} | {
    "allocated_support_caseworker",
    "allocated_support_manager",
}
EDITORS = {"alice", "supervisor", "site_manager"}
CREATORS = {"alice", "bob", "supervisor", "other_team_supervisor", "site_manager", "charlie", "other_site_manager"}


def table(allowed: set[str], refused: set[str] = frozenset(), refused_with: Expect = 403, *, outsiders: Expect = 404):
    """Who gets OK, who gets `refused_with`, and everyone else `outsiders`."""
    return {
        role: OK if role in allowed else refused_with if role in refused else outsiders
        for role in ROLES
        if role != "anonymous"
    }


CASE_READ = table(READERS)
CASE_WRITE = table(EDITORS, READERS - EDITORS)
RESTRICTERS = table({"supervisor", "site_manager"}, READERS - {"supervisor", "site_manager"})
SIGNED_IN = table(set(ROLES))
CASE_CREATOR = table(CREATORS, set(ROLES) - CREATORS)
OWNER_ONLY = table({"alice"})
ADMINISTRATOR = table({"administrator"}, outsiders=ADMIN_LOGIN)
ADMINISTRATOR_NO_DELETE = table(set(), {"administrator"}, outsiders=ADMIN_LOGIN)
EVERYONE = table(set(ROLES))

TODAY = timezone.localdate()
SOON = (TODAY + datetime.timedelta(days=20)).isoformat()


@dataclass(frozen=True)
class Route:
    key: str  # the URL name (web), or "METHOD /api/v1/path" as in the OpenAPI schema
    url: Callable[[World], str]
    access: Mapping[str, Expect]
    method: str = "GET"
    body: Callable[[World], dict[str, Any]] | None = None
    ok: int = 200
    anonymous: Expect = LOGIN
    writes: bool | None = None  # None: a POST/PATCH/PUT/DELETE writes history, a GET does not
    looks: bool = True  # a case-scoped route logs a view of the child's record (False: it only sends one on)

    def __str__(self) -> str:
        return (
            self.key
            if self.key.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE "))
            else (f"{self.method} {self.key}")
        )

    @property
    def is_api(self) -> bool:
        return self.key.split(" ")[-1].startswith("/api/")

    @property
    def is_write(self) -> bool:
        return self.writes if self.writes is not None else self.method != "GET"

    @property
    def case_scoped(self) -> bool:
        return self.looks and self.access in (CASE_READ, CASE_WRITE)

    def expected(self, role: str) -> Expect:
        return self.anonymous if role == "anonymous" else self.access[role]


# --- web pages -------------------------------------------------------------------------------------


def web(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def case_pk(w: World) -> int:
    return w.case.pk


def draft_pk(w: World) -> int:
    return w.draft.pk


def page_and_form(
    name: str, url: Callable[[World], str], body: Callable[[World], dict[str, Any]], ok: int = 302
) -> list[Route]:
    """A form page: opening it needs the right to change the case, as does posting it."""
    return [
        Route(name, url, CASE_WRITE),
        Route(name, url, CASE_WRITE, "POST", body, ok=ok),
    ]


def person_details(prefix: str = "", **overrides: Any) -> dict[str, Any]:
    details = {"given_name": "Hemi", "family_name": "Parata", "date_of_birth": "1980-04-01", "gender": "male"}
    return {f"{prefix}{name}": value for name, value in (details | overrides).items()}


def case_details(w: World) -> dict[str, Any]:
    return {"name": "Ngata-Parata whānau", "team": w.case.team_id, "worker": w.case.worker_id, "status": "open"}


def assessment_details(**overrides: Any) -> dict[str, Any]:
    details = {
        "assessed_on": "2026-03-02",
        "strengths": "Nan lives nearby.",
        "overall_risk": "high",
        "risk_reasoning": "Mum's drinking has led to two missed school weeks.",
        "safety_decision": "safe_with_plan",
    }
    return details | overrides


def step_details(**overrides: Any) -> dict[str, Any]:
    details = {"kind": "task", "what": "Visit the budget advisor", "responsible": "family", "due_on": SOON}
    return details | overrides


WEB_ROUTES: list[Route] = [
    # signing in and out, the caseload, search, tokens
    # Everyone's dashboard; the administrator, who sees no case, is sent to /manage/.
    Route("home", web("home"), table(set(ROLES) - {"administrator"}, {"administrator"}, 302)),
    Route("accounts:login", web("accounts:login"), table(set(), set(ROLES), 302), anonymous=OK),
    Route("healthz", web("healthz"), EVERYONE, anonymous=OK),  # the load balancer's health check
    Route("accounts:logout", web("accounts:logout"), table(set(ROLES)), "POST", ok=302, anonymous=302, writes=False),
    Route("accounts:api_tokens", web("accounts:api_tokens"), SIGNED_IN),
    Route("accounts:api_tokens", web("accounts:api_tokens"), SIGNED_IN, "POST", lambda w: {"name": "cron"}),
    Route(
        "accounts:api_token_revoke", web("accounts:api_token_revoke", lambda w: w.token.pk), OWNER_ONLY, "POST", ok=302
    ),
    Route("cases:caseload", web("cases:caseload"), SIGNED_IN),
    Route("cases:person_search", lambda w: reverse("cases:person_search") + "?q=tamati", SIGNED_IN),
    Route("planning:overdue", web("planning:overdue"), SIGNED_IN),
    Route("cases:new", web("cases:new"), CASE_CREATOR),
    Route(
        "cases:new",
        web("cases:new"),
        CASE_CREATOR,
        "POST",
        lambda w: {"name": "Aroha Smith", **person_details("child-", given_name="Aroha", family_name="Smith")},
        ok=302,
    ),
    # the case and its people
    Route("cases:detail", web("cases:detail", case_pk), CASE_READ),
    *page_and_form("cases:edit", web("cases:edit", case_pk), case_details),
    # Restricting a case is for its supervisor and site manager; the others who read it are refused.
    Route("cases:restriction", web("cases:restriction", case_pk), RESTRICTERS),
    Route(
        "cases:restriction",
        web("cases:restriction", case_pk),
        RESTRICTERS,
        "POST",
        lambda w: {"is_restricted": "on", "restricted_reason": "A staff member's relative."},
        ok=302,
    ),
    # The world's case is not restricted: whoever may read it is sent straight to it (the case page logs the view).
    Route(
        "cases:break_glass",
        web("cases:break_glass", case_pk),
        CASE_READ,
        "POST",
        lambda w: {"reason": "The school rang about the child."},
        ok=302,
        writes=False,
        looks=False,
    ),
    Route("cases:restricted", web("cases:restricted"), SIGNED_IN),
    *page_and_form(
        "cases:participant_add",
        web("cases:participant_add", case_pk),
        lambda w: {"p-role": "whanau", **person_details("person-")},
    ),
    *page_and_form(
        "cases:object_add", web("cases:object_add", case_pk, lambda w: "household"), lambda w: {"name": "Koro's whare"}
    ),
    *page_and_form(
        "cases:object_edit",
        web("cases:object_edit", case_pk, lambda w: "relationship", lambda w: w.relationship.pk),
        lambda w: {"kind": "parent"},
    ),
    *page_and_form(
        "cases:object_archive",
        web("cases:object_archive", case_pk, lambda w: "household", lambda w: w.household.pk),
        lambda w: {},
    ),
    Route("cases:person", web("cases:person", lambda w: w.mother.person_id), CASE_READ),
    *page_and_form(
        "cases:person_edit",
        web("cases:person_edit", lambda w: w.mother.person_id),
        lambda w: person_details(given_name="Hinewai", family_name="Ngata"),
    ),
    # assessments
    Route("assessments:list", web("assessments:list", case_pk), CASE_READ),
    Route("assessments:detail", web("assessments:detail", case_pk, draft_pk), CASE_READ),
    *page_and_form(
        "assessments:new",
        web("assessments:new", lambda w: w.fresh_case.pk),
        lambda w: {"assessed_on": TODAY.isoformat()},
    ),
    *page_and_form(
        "assessments:edit",
        web("assessments:edit", case_pk, draft_pk),
        lambda w: assessment_details(overall_risk="critical"),
    ),
    *page_and_form("assessments:complete", web("assessments:complete", case_pk, draft_pk), lambda w: {}),
    *page_and_form(
        "assessments:risk_factor_add",
        web("assessments:risk_factor_add", case_pk, draft_pk),
        lambda w: {"factor": "income", "rating": "medium", "evidence": ""},
    ),
    *page_and_form(
        "assessments:risk_factor_edit",
        web("assessments:risk_factor_edit", case_pk, draft_pk, lambda w: w.draft_factor.pk),
        lambda w: {"rating": "low", "evidence": "Sober for six weeks."},
    ),
    *page_and_form(
        "assessments:risk_factor_remove",
        web("assessments:risk_factor_remove", case_pk, draft_pk, lambda w: w.draft_factor.pk),
        lambda w: {},
    ),
    *page_and_form(
        "assessments:need_add", web("assessments:need_add", case_pk, draft_pk), lambda w: {"title": "Budgeting help"}
    ),
    *page_and_form(
        "assessments:need_edit",
        web("assessments:need_edit", case_pk, draft_pk, lambda w: w.draft_need.pk),
        lambda w: {"title": "Counselling for Mum and Dad"},
    ),
    *page_and_form(
        "assessments:need_remove",
        web("assessments:need_remove", case_pk, draft_pk, lambda w: w.draft_need.pk),
        lambda w: {},
    ),
    # the service plan
    Route("planning:plan", web("planning:plan", case_pk), CASE_READ),
    Route("planning:timeline", web("planning:timeline", case_pk), CASE_READ),
    Route("planning:step_row", web("planning:step_row", case_pk, lambda w: w.step.pk), CASE_READ, ok=302),
    *page_and_form(
        "planning:new",
        web("planning:new", lambda w: w.fresh_case.pk),
        lambda w: {"permanency_goal": "reunification", "starts_on": TODAY.isoformat()},
    ),
    *page_and_form(
        "planning:edit",
        web("planning:edit", case_pk),
        lambda w: {"permanency_goal": "remain_home", "starts_on": "2026-03-01"},
    ),
    Route("planning:move", web("planning:move", case_pk), CASE_WRITE, "POST", lambda w: {"to": "agreed"}, ok=302),
    *page_and_form(
        "planning:revise",
        web("planning:revise", lambda w: w.active_case.pk),
        lambda w: {"note": "Dad is back in touch."},
    ),
    *page_and_form(
        "planning:goal_new",
        web("planning:goal_new", case_pk),
        lambda w: {"title": "Tāmati is at school every day", "track": "main"},
    ),
    *page_and_form(
        "planning:intermediate_new",
        web("planning:intermediate_new", case_pk, lambda w: w.goal.pk),
        lambda w: {"title": "An income that covers the rent"},
    ),
    *page_and_form(
        "planning:goal_edit",
        web("planning:goal_edit", case_pk, lambda w: w.goal.pk),
        lambda w: {"title": "A warm, safe, stable home", "track": "main"},
    ),
    Route(
        "planning:goal_status",
        web("planning:goal_status", case_pk, lambda w: w.goal.pk),
        CASE_WRITE,
        "POST",
        lambda w: {"status": "in_progress"},
        ok=302,
    ),
    *page_and_form(
        "planning:step_new", web("planning:step_new", case_pk, lambda w: w.intermediate.pk), lambda w: step_details()
    ),
    *page_and_form(
        "planning:step_edit",
        web("planning:step_edit", case_pk, lambda w: w.step.pk),
        lambda w: step_details(what="Apply for emergency housing today", kind="form", responsible="worker"),
    ),
    Route("planning:step_start", web("planning:step_start", case_pk, lambda w: w.step.pk), CASE_WRITE, "POST", ok=302),
    *page_and_form(
        "planning:step_action",
        web("planning:step_action", case_pk, lambda w: w.step.pk, lambda w: "done"),
        lambda w: {"result": "Housing found in Naenae.", "completed_on": TODAY.isoformat()},
    ),
    *page_and_form(
        "planning:need_defer",
        web("planning:need_defer", case_pk, lambda w: w.home_need.pk),
        lambda w: {"reason": "Nan's offer of a room comes first."},
    ),
    Route(
        "planning:deferral_withdraw",
        web("planning:deferral_withdraw", case_pk, lambda w: w.deferral.pk),
        CASE_WRITE,
        "POST",
        ok=302,
    ),
    *page_and_form(
        "planning:agreement",
        web("planning:agreement", case_pk, lambda w: w.mother_member.pk),
        lambda w: {"position": "disagrees", "method": "phone", "reason": "Wants Nan to have them."},
    ),
]


# --- the JSON API ----------------------------------------------------------------------------------


def api(
    method: str,
    path: str,
    access: Mapping[str, Expect],
    body: Callable[[World], Any] | None = None,
    ok: int = 200,
    **ids: Callable[[World], Any],
) -> Route:
    """An API route: `path` as in the OpenAPI schema; `ids` fill its {placeholders} from the world."""

    def url(w: World) -> str:
        return "/api/v1" + path.format(**{name: get(w) for name, get in ids.items()})

    return Route(f"{method} /api/v1{path}", url, access, method, body, ok=ok, anonymous=401)


CASE = {"case_id": case_pk}
ASSESSMENT = {**CASE, "assessment_id": draft_pk}
PLAN = {"plan_id": lambda w: w.plan.pk}
GOAL = {"goal_id": lambda w: w.goal.pk}
STEP = {"step_id": lambda w: w.step.pk}

API_ROUTES: list[Route] = [
    # cases, people and the reference lists
    api("GET", "/cases", SIGNED_IN),
    api(
        "POST",
        "/cases",
        CASE_CREATOR,
        lambda w: {"name": "Aroha Smith", "child": {"given_name": "Aroha", "family_name": "Smith"}},
        ok=201,
    ),
    api("GET", "/cases/{case_id}", CASE_READ, **CASE),
    api("PATCH", "/cases/{case_id}", CASE_WRITE, lambda w: {"summary": "Tāmati lives with Nan now."}, **CASE),
    api("POST", "/cases/{case_id}/archive", CASE_WRITE, **CASE),
    api("GET", "/cases/{case_id}/history", CASE_READ, **CASE),
    api("GET", "/cases/{case_id}/restriction", CASE_READ, **CASE),
    api(
        "PUT",
        "/cases/{case_id}/restriction",
        RESTRICTERS,
        lambda w: {"restricted": True, "reason": "A staff member's relative."},
        **CASE,
    ),
    # Nobody has glass to break on a case they may already open; the others are not told it exists.
    api("POST", "/cases/{case_id}/break-glass", table(set(), READERS), lambda w: {"reason": "x" * 20}, **CASE),
    api("GET", "/restricted-cases", SIGNED_IN),
    api("GET", "/glass-breaks", SIGNED_IN),
    api("GET", "/cases/{case_id}/participants", CASE_READ, **CASE),
    api(
        "POST",
        "/cases/{case_id}/participants",
        CASE_WRITE,
        lambda w: {"role": "whanau", "person": {"given_name": "Aroha", "family_name": "Ngata"}},
        ok=201,
        **CASE,
    ),
    api(
        "PATCH",
        "/cases/{case_id}/participants/{participant_id}",
        CASE_WRITE,
        lambda w: {"notes": "Works nights."},
        **CASE,
        participant_id=lambda w: w.mother.pk,
    ),
    api(
        "POST",
        "/cases/{case_id}/participants/{participant_id}/archive",
        CASE_WRITE,
        **CASE,
        participant_id=lambda w: w.nan.pk,
    ),
    api("GET", "/people/search", SIGNED_IN),
    api("GET", "/people/{person_id}", CASE_READ, person_id=lambda w: w.mother.person_id),
    api(
        "PATCH",
        "/people/{person_id}",
        CASE_WRITE,
        lambda w: {"phone": "021 555 0101"},
        person_id=lambda w: w.mother.person_id,
    ),
    api("GET", "/iwi", SIGNED_IN),
    api("GET", "/cases/{case_id}/households", CASE_READ, **CASE),
    api("POST", "/cases/{case_id}/households", CASE_WRITE, lambda w: {"name": "Nan's house"}, ok=201, **CASE),
    api(
        "PATCH",
        "/cases/{case_id}/households/{household_id}",
        CASE_WRITE,
        lambda w: {"address": "12 Rata Street"},
        **CASE,
        household_id=lambda w: w.household.pk,
    ),
    api(
        "POST",
        "/cases/{case_id}/households/{household_id}/archive",
        CASE_WRITE,
        **CASE,
        household_id=lambda w: w.household.pk,
    ),
    api("GET", "/cases/{case_id}/relationships", CASE_READ, **CASE),
    api(
        "POST",
        "/cases/{case_id}/relationships",
        CASE_WRITE,
        lambda w: {"person_id": w.nan.person_id, "child_id": w.child.pk, "kind": "grandparent"},
        ok=201,
        **CASE,
    ),
    api(
        "PATCH",
        "/cases/{case_id}/relationships/{relationship_id}",
        CASE_WRITE,
        lambda w: {"notes": "Sundays."},
        **CASE,
        relationship_id=lambda w: w.relationship.pk,
    ),
    api(
        "POST",
        "/cases/{case_id}/relationships/{relationship_id}/archive",
        CASE_WRITE,
        **CASE,
        relationship_id=lambda w: w.relationship.pk,
    ),
    api("GET", "/cases/{case_id}/team", CASE_READ, **CASE),
    api(
        "POST",
        "/cases/{case_id}/team",
        CASE_WRITE,
        lambda w: {"role": "social_worker", "user_id": w.case.worker_id},
        ok=201,
        **CASE,
    ),
    api(
        "PATCH",
        "/cases/{case_id}/team/{member_id}",
        CASE_WRITE,
        lambda w: {"is_required": False},
        **CASE,
        member_id=lambda w: w.nan_member.pk,
    ),
    api("POST", "/cases/{case_id}/team/{member_id}/archive", CASE_WRITE, **CASE, member_id=lambda w: w.nan_member.pk),
    # assessments
    api("GET", "/cases/{case_id}/assessments", CASE_READ, **CASE),
    api("POST", "/cases/{case_id}/assessments", CASE_WRITE, lambda w: {}, ok=201, case_id=lambda w: w.fresh_case.pk),
    api("GET", "/cases/{case_id}/assessments/{assessment_id}", CASE_READ, **ASSESSMENT),
    api(
        "PATCH",
        "/cases/{case_id}/assessments/{assessment_id}",
        CASE_WRITE,
        lambda w: {"overall_risk": "high"},
        **ASSESSMENT,
    ),
    api(
        "POST",
        "/cases/{case_id}/assessments/{assessment_id}/complete",
        CASE_WRITE,
        **{**CASE, "assessment_id": draft_pk},
    ),
    api("GET", "/cases/{case_id}/risk-history", CASE_READ, **CASE),
    api("GET", "/cases/{case_id}/assessments/{assessment_id}/suggested-goals", CASE_READ, **ASSESSMENT),
    api(
        "PUT",
        "/cases/{case_id}/assessments/{assessment_id}/risk-factors/{factor}",
        CASE_WRITE,
        lambda w: {"rating": "low"},
        **ASSESSMENT,
        factor=lambda w: "income",
    ),
    api(
        "DELETE",
        "/cases/{case_id}/assessments/{assessment_id}/risk-factors/{factor}",
        CASE_WRITE,
        ok=204,
        **ASSESSMENT,
        factor=lambda w: "substance_abuse",
    ),
    api(
        "POST",
        "/cases/{case_id}/assessments/{assessment_id}/needs",
        CASE_WRITE,
        lambda w: {"title": "Budgeting"},
        ok=201,
        **ASSESSMENT,
    ),
    api(
        "PATCH",
        "/cases/{case_id}/assessments/{assessment_id}/needs/{need_id}",
        CASE_WRITE,
        lambda w: {"title": "Counselling"},
        **ASSESSMENT,
        need_id=lambda w: w.draft_need.pk,
    ),
    api(
        "DELETE",
        "/cases/{case_id}/assessments/{assessment_id}/needs/{need_id}",
        CASE_WRITE,
        ok=204,
        **ASSESSMENT,
        need_id=lambda w: w.draft_need.pk,
    ),
    # the service plan
    api("GET", "/cases/{case_id}/plan", CASE_READ, **CASE),
    api(
        "POST",
        "/cases/{case_id}/plan",
        CASE_WRITE,
        lambda w: {"permanency_goal": "remain_home"},
        ok=201,
        case_id=lambda w: w.fresh_case.pk,
    ),
    api("GET", "/cases/{case_id}/plan/versions", CASE_READ, **CASE),
    api("GET", "/cases/{case_id}/plan/versions/{version}", CASE_READ, **CASE, version=lambda w: 1),
    api(
        "PATCH", "/plans/{plan_id}", CASE_WRITE, lambda w: {"permanency_goal_detail": "Home with Mum by June."}, **PLAN
    ),
    api("POST", "/plans/{plan_id}/transition", CASE_WRITE, lambda w: {"to": "agreed"}, **PLAN),
    api(
        "POST",
        "/plans/{plan_id}/revise",
        CASE_WRITE,
        lambda w: {"note": "Dad is back."},
        ok=201,
        plan_id=lambda w: w.active_plan.pk,
    ),
    api("GET", "/plans/{plan_id}/transitions", CASE_READ, **PLAN),
    api("GET", "/plans/{plan_id}/timeline", CASE_READ, **PLAN),
    api("POST", "/plans/{plan_id}/goals", CASE_WRITE, lambda w: {"title": "At school every day"}, ok=201, **PLAN),
    api("PATCH", "/goals/{goal_id}", CASE_WRITE, lambda w: {"title": "A warm, safe home"}, **GOAL),
    api("POST", "/goals/{goal_id}/status", CASE_WRITE, lambda w: {"status": "in_progress"}, **GOAL),
    api(
        "POST",
        "/plans/{plan_id}/deferrals",
        CASE_WRITE,
        lambda w: {"need_id": w.home_need.pk, "reason": "Nan's room first."},
        ok=201,
        **PLAN,
    ),
    api("POST", "/deferrals/{deferral_id}/withdraw", CASE_WRITE, deferral_id=lambda w: w.deferral.pk),
    api("GET", "/steps/overdue", SIGNED_IN),
    api("GET", "/me/dashboard", SIGNED_IN),
    api("GET", "/steps/{step_id}", CASE_READ, **STEP),
    api("PATCH", "/steps/{step_id}", CASE_WRITE, lambda w: {"what": "Apply for housing today"}, **STEP),
    api(
        "POST",
        "/goals/{goal_id}/steps",
        CASE_WRITE,
        lambda w: {"what": "See the budget advisor", "responsible": "family", "due_on": SOON},
        ok=201,
        goal_id=lambda w: w.intermediate.pk,
    ),
    api("POST", "/steps/{step_id}/start", CASE_WRITE, **STEP),
    api("POST", "/steps/{step_id}/complete", CASE_WRITE, lambda w: {"result": "Housing found."}, **STEP),
    api("POST", "/steps/{step_id}/not-done", CASE_WRITE, lambda w: {"result": "The office was shut."}, **STEP),
    api("POST", "/steps/{step_id}/cancel", CASE_WRITE, lambda w: {"reason": "Nan has a room."}, **STEP),
    api(
        "POST",
        "/plans/{plan_id}/agreements",
        CASE_WRITE,
        lambda w: {
            "member_id": w.mother_member.pk,
            "position": "disagrees",
            "method": "phone",
            "reason": "Wants Nan to have them.",
        },
        **PLAN,
    ),
]

# The API's own pages: the schema and the interactive docs are public; the root lists nothing.
API_PAGES: list[Route] = [
    Route("api:openapi-json", web("api:openapi-json"), EVERYONE, anonymous=OK),
    Route("api:openapi-view", web("api:openapi-view"), EVERYONE, anonymous=OK),
]

# Each later app keeps its routes in routes_<app>.py, imported here last because they use the helpers above.
from tests.access import (  # noqa: E402
    routes_audit,
    routes_calendars,
    routes_court,
    routes_documents,
    routes_fhir,
    routes_meetings,
    routes_notes,
    routes_notifications,
    routes_permanent_care,
    routes_privacy,
    routes_providers,
    routes_referrals,
    routes_security,
    routes_spreadsheets,
)

APP_ROUTES = (
    routes_providers.ROUTES
    + routes_referrals.ROUTES
    + routes_meetings.ROUTES
    + routes_court.ROUTES
    + routes_permanent_care.ROUTES
    + routes_calendars.ROUTES
    + routes_documents.ROUTES
    + routes_notifications.ROUTES
    + routes_security.ROUTES
    + routes_audit.ROUTES
    + routes_privacy.ROUTES
    + routes_notes.ROUTES
    + routes_fhir.ROUTES
    + routes_spreadsheets.ROUTES
)
ROUTES: list[Route] = WEB_ROUTES + API_PAGES + API_ROUTES + APP_ROUTES

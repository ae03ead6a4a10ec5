"""The privacy routes in the access matrix (see routes.py for the tables and helpers).

Subject access exports are for site managers (of a site where the person has a case) and national managers; the
others who may open the person are refused (403), everyone else is not told the person exists (404). The
retention review is each site manager's own list; keeping a closed case is for its site's manager. Erasure is asked
for, and decided, by site and national managers within their reach; the world's request was made by the national
manager, so only alice's site manager may approve it. Downloading an export is recorded in history, but it is a
GET, so the matrix does not count it as a write."""

from __future__ import annotations

from tests.access.routes import READERS, ROLES, Route, api, table, web
from tests.access.world_privacy import privacy

MANAGERS = {"site_manager", "national_manager"}
EXPORTERS = table(MANAGERS, READERS - MANAGERS)
KEEPERS = table({"site_manager"}, READERS - {"site_manager"})
SITE_MANAGERS = table({"site_manager", "other_site_manager"}, set(ROLES) - {"site_manager", "other_site_manager"})
ALL_MANAGERS = table(MANAGERS | {"other_site_manager"}, set(ROLES) - MANAGERS - {"other_site_manager"})
SEES_REQUEST = table(MANAGERS)
APPROVER = table({"site_manager"}, {"national_manager"})
REASON = {"reason": "Closed nine years; no contact since."}


def child_pk(w):
    return w.child.pk


def closed_pk(w):
    return privacy(w)["closed_case"].pk


def closed_child_pk(w):
    return privacy(w)["closed_case"].participants.get(role="child").person_id


def request_pk(w):
    return privacy(w)["request"].pk


WEB_ROUTES: list[Route] = [
    Route("privacy:subject_access", web("privacy:subject_access", child_pk), EXPORTERS),
    Route("privacy:subject_access_json", web("privacy:subject_access_json", child_pk), EXPORTERS),
    Route("privacy:subject_access_pdf", web("privacy:subject_access_pdf", child_pk), EXPORTERS),
    Route("privacy:retention", web("privacy:retention"), SITE_MANAGERS),
    Route("privacy:retention_keep", web("privacy:retention_keep", closed_pk), KEEPERS),
    Route(
        "privacy:retention_keep",
        web("privacy:retention_keep", closed_pk),
        KEEPERS,
        "POST",
        lambda w: {"years": "2", **REASON},
        ok=302,
    ),
    Route("privacy:case_erasure_new", web("privacy:case_erasure_new", closed_pk), EXPORTERS),
    Route(
        "privacy:case_erasure_new",
        web("privacy:case_erasure_new", closed_pk),
        EXPORTERS,
        "POST",
        lambda w: REASON,
        ok=302,
    ),
    Route("privacy:person_erasure_new", web("privacy:person_erasure_new", closed_child_pk), EXPORTERS),
    Route(
        "privacy:person_erasure_new",
        web("privacy:person_erasure_new", closed_child_pk),
        EXPORTERS,
        "POST",
        lambda w: REASON,
        ok=302,
    ),
    Route("privacy:erasure_list", web("privacy:erasure_list"), ALL_MANAGERS),
    Route("privacy:erasure_detail", web("privacy:erasure_detail", request_pk), SEES_REQUEST),
    Route(
        "privacy:erasure_decide",
        web("privacy:erasure_decide", request_pk),
        APPROVER,
        "POST",
        lambda w: {"decision": "approve"},
        ok=302,
    ),
]

API_ROUTES: list[Route] = [
    api("GET", "/privacy/people/{person_id}/subject-access", EXPORTERS, person_id=child_pk),
    api("GET", "/privacy/people/{person_id}/subject-access.pdf", EXPORTERS, person_id=child_pk),
    api("GET", "/privacy/retention", SITE_MANAGERS),
    api(
        "POST",
        "/privacy/retention/{case_id}/keep",
        KEEPERS,
        lambda w: {"years": 2, **REASON},
        ok=201,
        case_id=closed_pk,
    ),
    api("GET", "/privacy/erasure-requests", ALL_MANAGERS),
    api("POST", "/privacy/erasure-requests", EXPORTERS, lambda w: {"case_id": closed_pk(w), **REASON}, ok=201),
    api("GET", "/privacy/erasure-requests/{request_id}", SEES_REQUEST, request_id=request_pk),
    api(
        "POST",
        "/privacy/erasure-requests/{request_id}/decisions",
        APPROVER,
        lambda w: {"decision": "approve"},
        request_id=request_pk,
    ),
]

ROUTES: list[Route] = WEB_ROUTES + API_ROUTES

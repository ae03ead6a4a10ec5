"""The spreadsheet routes in the access matrix (see routes.py for the tables and helpers).

Lists (caseload, referrals) download for everyone signed in, each their own list, and leave one history entry; a
plan or a spend sheet downloads for whoever reads the case, logged as a look at it. Only site managers import: the
page, the dry run (which writes nothing) and the confirmation (here naming no kept file: sent back to the page). The
API's import is refused (403) before its body is read; the matrix sends no multipart file, so a site manager is
told to attach one (422)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.routes import CASE, CASE_READ, ROLES, SIGNED_IN, Route, api, case_pk, table, web
from tests.access.world import World

IMPORTERS = {"site_manager", "other_site_manager"}
IMPORT = table(IMPORTERS, set(ROLES) - IMPORTERS)
HEADER = "case_reference,case_name,role,given_name,family_name,date_of_birth"


def upload(w: World) -> dict[str, Any]:
    rows = f"{HEADER}\nOLD-9,Quux whānau,child,Zebedee,Quux,2020-02-02\n"
    return {"file": SimpleUploadedFile("cases.csv", rows.encode())}


def pc_case(w: World) -> int:
    return w.extra["pc"]["planning"].case_id


def pc_pk(w: World) -> int:
    return w.extra["pc"]["planning"].pk


def logged(route: Route) -> Route:
    """A list download: one history entry for whoever takes it."""
    return dataclasses.replace(route, writes=True)


ROUTES: list[Route] = [
    logged(Route("spreadsheets:caseload", web("spreadsheets:caseload"), SIGNED_IN)),
    logged(Route("spreadsheets:referrals", web("spreadsheets:referrals"), SIGNED_IN)),
    Route("spreadsheets:plan", web("spreadsheets:plan", case_pk), CASE_READ),
    Route("spreadsheets:spend", web("spreadsheets:spend", pc_case, pc_pk), CASE_READ),
    Route("spreadsheets:import_cases", web("spreadsheets:import_cases"), IMPORT),
    Route("spreadsheets:import_cases", web("spreadsheets:import_cases"), IMPORT, "POST", upload, writes=False),
    Route(
        "spreadsheets:import_cases_confirm",
        web("spreadsheets:import_cases_confirm"),
        IMPORT,
        "POST",
        lambda w: {"upload": "0" * 64},
        ok=302,
        writes=False,
    ),
    logged(api("GET", "/exports/caseload", SIGNED_IN)),
    logged(api("GET", "/exports/referrals", SIGNED_IN)),
    api("GET", "/cases/{case_id}/plan/export", CASE_READ, **CASE),
    api(
        "GET",
        "/cases/{case_id}/permanent-care/{arrangement_id}/spend/export",
        CASE_READ,
        case_id=pc_case,
        arrangement_id=pc_pk,
    ),
    dataclasses.replace(api("POST", "/imports/cases", IMPORT, ok=422), writes=False),
]

"""The audit routes in the access matrix (see routes.py for the tables and helpers).

Administrators audit everything and site managers their own site (a manager of another site gets their own
site's entries: 200, with nothing of alice's case, as kinplan/audit/tests/test_scope.py proves); everyone else
is refused. Only administrators check the chains. An export and a check are themselves recorded in history."""

from __future__ import annotations

import dataclasses

from tests.access.routes import ROLES, Route, api, table, web

AUDITORS = {"site_manager", "other_site_manager", "administrator"}
AUDIT = table(AUDITORS, set(ROLES) - AUDITORS)
CHAIN_CHECK = table({"administrator"}, set(ROLES) - {"administrator"})

ROUTES: list[Route] = [
    Route("audit:log", web("audit:log"), AUDIT),
    Route("audit:export", web("audit:export"), AUDIT, writes=True),
    Route("audit:verify", web("audit:verify"), CHAIN_CHECK, "POST", ok=302),
    api("GET", "/audit/events", AUDIT),
    api("GET", "/audit/views", AUDIT),
    api("POST", "/audit/verify", CHAIN_CHECK),
    dataclasses.replace(api("GET", "/audit/events/export", AUDIT), writes=True),
    dataclasses.replace(api("GET", "/audit/views/export", AUDIT), writes=True),
]

"""The case notes routes in the access matrix (see routes.py for the tables and helpers).

Everyone who reads the case reads its plain notes; those who change it, and the support caseworker allocated to it,
write notes. A note is struck out, or marked confidential, by its author (alice) or the case's supervisor or site
manager. A confidential note is for the case's statutory staff (and its author): to every other reader of the case
it does not exist (404).
"""

from __future__ import annotations

from collections.abc import Callable

from tests.access.routes import CASE_READ, EDITORS, READERS, TODAY, Route, api, case_pk, table, web
from tests.access.world import World


def extra(name: str) -> Callable[[World], int]:
    return lambda w: w.extra[name].pk


NOTE, CONFIDENTIAL_NOTE = extra("note"), extra("confidential_note")
WRITERS = EDITORS | {"allocated_support_caseworker"}
NOTE_WRITE = table(WRITERS, READERS - WRITERS)
# Striking out alice's note, or changing who may read it: alice, her supervisor and her site manager.
NOTE_CHANGE = table(EDITORS, READERS - EDITORS)
# A confidential note: only the case's statutory staff read it; the other readers of the case get a 404.
CONFIDENTIAL_READ = table(EDITORS)


def new_note(w: World) -> dict[str, str]:
    return {"kind": "phone_call", "occurred_on": TODAY.isoformat(), "text": "Rang Nan: Tāmati settled well."}


WEB_ROUTES: list[Route] = [
    Route("notes:list", web("notes:list", case_pk), CASE_READ),
    Route("notes:detail", web("notes:detail", case_pk, NOTE), CASE_READ),
    Route("notes:detail", web("notes:detail", case_pk, CONFIDENTIAL_NOTE), CONFIDENTIAL_READ),
    Route("notes:new", web("notes:new", case_pk), NOTE_WRITE),
    Route("notes:new", web("notes:new", case_pk), NOTE_WRITE, "POST", new_note, ok=302),
    Route("notes:strike_out", web("notes:strike_out", case_pk, NOTE), NOTE_CHANGE),
    Route(
        "notes:strike_out",
        web("notes:strike_out", case_pk, NOTE),
        NOTE_CHANGE,
        "POST",
        lambda w: {"reason": "Written on the wrong case."},
        ok=302,
    ),
    Route("notes:confidentiality", web("notes:confidentiality", case_pk, NOTE), NOTE_CHANGE),
    Route(
        "notes:confidentiality",
        web("notes:confidentiality", case_pk, NOTE),
        NOTE_CHANGE,
        "POST",
        lambda w: {"confidential": "yes", "reason": "It names the school Nan's new address is near."},
        ok=302,
    ),
    # The confidential note cannot even be found by those who may not read it.
    Route("notes:strike_out", web("notes:strike_out", case_pk, CONFIDENTIAL_NOTE), table(EDITORS)),
    Route("notes:confidentiality", web("notes:confidentiality", case_pk, CONFIDENTIAL_NOTE), table(EDITORS)),
]

CASE = {"case_id": case_pk}
PLAIN = {**CASE, "note_id": NOTE}
SECRET = {**CASE, "note_id": CONFIDENTIAL_NOTE}
NOTES = "/cases/{case_id}/notes"
ONE_NOTE = NOTES + "/{note_id}"

API_ROUTES: list[Route] = [
    api("GET", NOTES, CASE_READ, **CASE),
    api("POST", NOTES, NOTE_WRITE, lambda w: {"kind": "home_visit", "text": "Visited Nan."}, ok=201, **CASE),
    api("GET", ONE_NOTE, CASE_READ, **PLAIN),
    api("GET", ONE_NOTE, CONFIDENTIAL_READ, **SECRET),
    api("POST", ONE_NOTE + "/strike-out", NOTE_CHANGE, lambda w: {"reason": "Wrong case."}, **PLAIN),
    api("POST", ONE_NOTE + "/strike-out", CONFIDENTIAL_READ, lambda w: {"reason": "Wrong case."}, **SECRET),
    api(
        "PUT",
        ONE_NOTE + "/confidentiality",
        NOTE_CHANGE,
        lambda w: {"confidential": True, "reason": "Names Nan's street."},
        **PLAIN,
    ),
    api(
        "PUT",
        ONE_NOTE + "/confidentiality",
        CONFIDENTIAL_READ,
        lambda w: {"confidential": False, "reason": "Dad has moved overseas."},
        **SECRET,
    ),
]

ROUTES: list[Route] = WEB_ROUTES + API_ROUTES

"""The notes API at /api/v1/: lists and one note as each reader may see them (a confidential note is a 404 to those
who may not read it), paging, writing with bad input refused (422, nothing saved), striking out, confidentiality,
and the case's history never holding a confidential note's words.

Who may call each endpoint is also in the access matrix (tests/access/routes_notes.py).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import PersonFactory
from kinplan.notes.models import CaseNote
from kinplan.notes.tests.conftest import PLAIN_TEXT, SECRET_REASON, SECRET_TEXT
from kinplan.notes.tests.factories import CaseNoteFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = timezone.localdate()


def call(client: Client, user: Any, method: str, path: str, payload: Any = None) -> Any:
    client.force_login(user)
    kwargs: dict[str, Any] = {} if method == "GET" else {"content_type": "application/json"}
    if payload is not None:
        kwargs["data"] = payload
    return getattr(client, method.lower())(f"{API}{path}", **kwargs)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def state() -> tuple[list[Any], int]:
    return sorted(CaseNote.objects.values_list("pk", "updated_at")), AuditEvent.objects.count()


def notes_path(case: Any, rest: str = "") -> str:
    return f"/cases/{case.pk}/notes{rest}"


# --- reading -------------------------------------------------------------------------------------------


def test_the_case_s_worker_gets_every_note_newest_first(client, alice, case, mother, plain_note, secret_note):
    body = ok(call(client, alice, "GET", notes_path(case)))
    assert [n["id"] for n in body["items"]] == [secret_note.pk, plain_note.pk]
    assert body["confidential_not_shown"] == 0 and body["next_after"] is None
    secret, plain = body["items"]
    assert (secret["text"], secret["is_confidential"], secret["confidential_reason"]) == (
        SECRET_TEXT,
        True,
        SECRET_REASON,
    )
    assert (plain["kind"], plain["about_id"], plain["about_name"]) == ("home_visit", mother.pk, mother.full_name)
    assert plain["written_by_id"] == alice.pk and plain["struck_out"] is False


@pytest.mark.parametrize("who", ["support_caseworker", "support_manager", "national_manager"])
def test_other_readers_get_plain_notes_a_count_and_a_404_for_the_confidential_one(
    client, request, case, plain_note, secret_note, who
):
    user = request.getfixturevalue(who)
    response = call(client, user, "GET", notes_path(case))
    body = ok(response)
    assert [n["id"] for n in body["items"]] == [plain_note.pk] and body["confidential_not_shown"] == 1
    assert SECRET_TEXT not in response.content.decode() and SECRET_REASON not in response.content.decode()
    assert ok(call(client, user, "GET", notes_path(case, f"/{plain_note.pk}")))["text"] == PLAIN_TEXT
    for method, rest, payload in (
        ("GET", "", None),
        ("POST", "/strike-out", {"reason": "x"}),
        ("PUT", "/confidentiality", {"confidential": False, "reason": "x"}),
    ):
        response = call(client, user, method, notes_path(case, f"/{secret_note.pk}{rest}"), payload)
        assert response.status_code == 404 and SECRET_TEXT not in response.content.decode()


def test_a_note_of_another_case_is_a_404(client, alice, case, charlie_case):
    other = CaseNoteFactory(case=charlie_case)
    assert call(client, alice, "GET", notes_path(case, f"/{other.pk}")).status_code == 404


def test_the_list_filters_and_pages(client, alice, case, mother, plain_note, secret_note):
    older = CaseNoteFactory(case=case, occurred_on=TODAY - datetime.timedelta(days=30))
    same_day = CaseNoteFactory(case=case, occurred_on=plain_note.occurred_on)
    assert [n["id"] for n in ok(call(client, alice, "GET", notes_path(case, "?kind=home_visit")))["items"]] == [
        plain_note.pk
    ]
    assert [n["id"] for n in ok(call(client, alice, "GET", notes_path(case, f"?about_id={mother.pk}")))["items"]] == [
        plain_note.pk
    ]
    # paged two at a time: newest first, same-day notes by id (latest first)
    seen, after = [], 0
    while True:
        body = ok(call(client, alice, "GET", notes_path(case, f"?limit=2&after={after}")))
        seen += [n["id"] for n in body["items"]]
        if body["next_after"] is None:
            break
        after = body["next_after"]
    assert seen == [secret_note.pk, same_day.pk, plain_note.pk, older.pk]
    # `after` must be a note the reader was given
    errors = ok(call(client, alice, "GET", notes_path(case, "?after=999999")), 422)["errors"]
    assert errors == {"after": ["Pass the next_after of the previous page."]}


def test_a_reader_cannot_page_from_a_confidential_note(client, national_manager, case, plain_note, secret_note):
    response = call(client, national_manager, "GET", notes_path(case, f"?after={secret_note.pk}"))
    assert response.status_code == 422


# --- writing -------------------------------------------------------------------------------------------


def test_a_note_is_written(client, alice, case, mother):
    payload = {"kind": "phone_call", "text": "Rang Mum.", "about_id": mother.pk}
    body = ok(call(client, alice, "POST", notes_path(case), payload), 201)
    note = CaseNote.objects.get(pk=body["id"])
    assert (note.kind, note.text, note.about, note.occurred_on) == ("phone_call", "Rang Mum.", mother, TODAY)
    assert AuditEvent.objects.filter(event="note.created", target_id=str(note.pk)).exists()


def test_the_allocated_support_caseworker_writes_a_confidential_note_and_reads_it_back(
    client, support_caseworker, support_manager, case
):
    payload = {"text": SECRET_TEXT, "is_confidential": True, "confidential_reason": SECRET_REASON}
    body = ok(call(client, support_caseworker, "POST", notes_path(case), payload), 201)
    assert body["text"] == SECRET_TEXT
    assert call(client, support_manager, "GET", notes_path(case, f"/{body['id']}")).status_code == 404


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"text": ""}, "text", "Write the note."),
        ({"text": "x" * 20_001}, "text", None),
        ({"occurred_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "occurred_on", None),
        ({"occurred_on": "1899-12-31"}, "occurred_on", "Enter a date after 1900."),
        ({"is_confidential": True}, "confidential_reason", "Say why the note is confidential."),
        ({"about_id": "stranger"}, "about_id", None),
    ],
    ids=["empty", "too-long", "future", "before-1900", "confidential-without-reason", "person-not-in-case"],
)
def test_bad_input_is_a_422_naming_the_field_and_saves_nothing(client, alice, case, payload, field, message):
    if payload.get("about_id") == "stranger":
        payload = {"about_id": PersonFactory().pk}
    before = state()
    response = call(client, alice, "POST", notes_path(case), {"text": "Rang Nan."} | payload)
    errors = ok(response, 422)["errors"]
    assert field in errors, errors
    if message:
        assert errors[field] == [message]
    assert state() == before


def test_an_unknown_kind_is_a_422(client, alice, case):
    assert call(client, alice, "POST", notes_path(case), {"text": "x", "kind": "gossip"}).status_code == 422
    assert not CaseNote.objects.exists()


def test_readers_who_may_not_write_are_refused(client, national_manager, case):
    assert call(client, national_manager, "POST", notes_path(case), {"text": "x"}).status_code == 403
    assert not CaseNote.objects.exists()


def test_striking_out_and_confidentiality(client, alice, supervisor, national_manager, case, plain_note):
    # strike-out needs a reason
    path = notes_path(case, f"/{plain_note.pk}")
    assert ok(call(client, alice, "POST", path + "/strike-out", {"reason": " "}), 422)["errors"] == {
        "reason": ["Say why the note is struck out."]
    }
    body = ok(call(client, alice, "POST", path + "/strike-out", {"reason": "Wrong case."}))
    assert body["struck_out"] and body["struck_out_reason"] == "Wrong case." and body["struck_out_at"]
    # a reader may not mark it confidential
    assert (
        call(
            client, national_manager, "PUT", path + "/confidentiality", {"confidential": True, "reason": "x"}
        ).status_code
        == 403
    )
    # the supervisor does
    body = ok(call(client, supervisor, "PUT", path + "/confidentiality", {"confidential": True, "reason": "DV"}))
    assert body["is_confidential"] and body["confidential_reason"] == "DV"
    assert call(client, national_manager, "GET", path).status_code == 404
    errors = ok(call(client, supervisor, "PUT", path + "/confidentiality", {"confidential": True, "reason": "DV"}), 422)
    assert errors["errors"] == {"confidential": ["The note is already confidential."]}


# --- the case's history ----------------------------------------------------------------------------------


def test_the_case_history_never_holds_a_confidential_note_s_words(
    client, alice, national_manager, case, mother, plain_note, secret_note
):
    # given alice's plain note is later made confidential, and the confidential one struck out
    path = notes_path(case, f"/{plain_note.pk}")
    ok(call(client, alice, "PUT", path + "/confidentiality", {"confidential": True, "reason": "Names Nan's street."}))
    ok(call(client, alice, "POST", notes_path(case, f"/{secret_note.pk}/strike-out"), {"reason": "Dad's name in it."}))
    # when the national manager reads the case's history
    response = call(client, national_manager, "GET", f"/cases/{case.pk}/history?limit=500")
    history = json.dumps(ok(response), ensure_ascii=False)
    # then it holds none of their words, reasons or whom they are about
    for secret in (SECRET_TEXT, SECRET_REASON, PLAIN_TEXT, "Nan's street", "Dad's name", mother.full_name):
        assert secret not in history
    assert "note.created" in history and "note.confidentiality_changed" in history and "note.struck_out" in history

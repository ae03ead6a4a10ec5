"""The notes pages: what each reader sees (and never sees), writing a note on a tablet-sized form, what a bad form
says and leaves alone, striking out and marking confidential.

Who may open each page is also in the access matrix (tests/access/routes_notes.py).
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import PersonFactory
from kinplan.notes import services
from kinplan.notes.models import CaseNote
from kinplan.notes.tests.conftest import PLAIN_TEXT, SECRET_REASON, SECRET_TEXT
from kinplan.notes.tests.factories import CaseNoteFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name: str, case: Any, *args: Any) -> str:
    return reverse(f"notes:{name}", args=[case.pk, *args])


def text(html: str) -> str:
    """What a reader sees: tags as spaces, entities read, whitespace squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]*>", " ", html))).strip()


def page(client: Client, user: Any, path: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == status
    return response.content.decode()


def state() -> tuple[list[Any], int]:
    return sorted(CaseNote.objects.values_list("pk", "updated_at")), AuditEvent.objects.count()


def leaks(html: str) -> list[str]:
    """The confidential note's words (escaped or not) found in a page's HTML."""
    found = [secret for secret in (SECRET_TEXT, SECRET_REASON) if secret in unescape(html)]
    return found + [word for word in ("Rata Street", "withheld from the father") if word in html]


# --- what each reader sees --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["support_caseworker", "support_manager", "national_manager"])
def test_readers_who_may_not_see_confidential_notes_never_get_a_word_of_one(
    client, request, case, plain_note, secret_note, who
):
    user = request.getfixturevalue(who)
    # the case page, the notes list (filtered too) and the plain note's page show the plain note only
    for path in (
        reverse("cases:detail", args=[case.pk]),
        url("list", case),
        url("list", case) + "?kind=phone_call",
        url("detail", case, plain_note.pk),
    ):
        html = page(client, user, path)
        assert leaks(html) == [], path
        assert "Confidential" not in text(html) or path == url("detail", case, plain_note.pk)
    # and say how many they are not shown
    for path in (reverse("cases:detail", args=[case.pk]), url("list", case)):
        assert "1 confidential note is not shown to your role." in text(page(client, user, path))
    assert PLAIN_TEXT in unescape(page(client, user, url("list", case)))
    # the confidential note's own pages do not exist for them
    for name in ("detail", "strike_out", "confidentiality"):
        assert leaks(page(client, user, url(name, case, secret_note.pk), status=404)) == []


@pytest.mark.parametrize("who", ["alice", "supervisor", "site_manager"])
def test_the_case_s_statutory_staff_read_confidential_notes_marked_as_such(
    client, request, case, plain_note, secret_note, who
):
    html = page(client, request.getfixturevalue(who), url("list", case))
    shown = text(html)
    assert SECRET_TEXT in shown and PLAIN_TEXT in shown
    assert f"Confidential Why it is confidential: {SECRET_REASON}" in shown
    assert "not shown to your role" not in shown
    assert shown.index(SECRET_TEXT) < shown.index(PLAIN_TEXT)  # newest first


def test_the_case_page_section_shows_the_latest_notes_and_the_links(client, alice, national_manager, case, plain_note):
    html = page(client, alice, reverse("cases:detail", args=[case.pk]))
    assert url("list", case) in html and url("new", case) in html and PLAIN_TEXT in unescape(html)
    html = page(client, national_manager, reverse("cases:detail", args=[case.pk]))
    assert url("list", case) in html and url("new", case) not in html


def test_the_allocated_support_caseworker_is_offered_to_write_a_note(client, support_caseworker, case):
    assert url("new", case) in page(client, support_caseworker, reverse("cases:detail", args=[case.pk]))


def test_the_case_history_on_the_case_page_never_holds_a_confidential_note_s_words(
    client, alice, national_manager, case, plain_note, secret_note
):
    services.note_set_confidential(actor=alice, note=plain_note, confidential=True, reason="Names Nan's street.")
    html = page(client, national_manager, reverse("cases:detail", args=[case.pk]))
    assert leaks(html) == [] and PLAIN_TEXT not in unescape(html) and "Nan's street" not in unescape(html)
    assert "2 confidential notes are not shown to your role." in text(html)


def test_the_list_filters_by_kind_and_person_and_pages(client, alice, case, mother, plain_note, secret_note, settings):
    shown = text(page(client, alice, url("list", case) + "?kind=home_visit"))
    assert PLAIN_TEXT in shown and SECRET_TEXT not in shown
    shown = text(page(client, alice, url("list", case) + f"?about={mother.pk}"))
    assert PLAIN_TEXT in shown and SECRET_TEXT not in shown
    assert "No notes match." in text(page(client, alice, url("list", case) + "?kind=email_or_letter"))
    # bad filters are ignored rather than failing
    assert SECRET_TEXT in text(page(client, alice, url("list", case) + "?kind=nonsense&about=x"))
    # paged
    settings.KINPLAN_PAGE_SIZE = 1
    first = page(client, alice, url("list", case) + "?kind=&page=1")
    assert SECRET_TEXT in unescape(first) and "Page 1 of 2" in text(first) and "kind=&amp;page=2" in first
    assert PLAIN_TEXT in unescape(page(client, alice, url("list", case) + "?page=2"))


def test_the_list_costs_the_same_for_3_notes_as_for_30(client, alice, case, settings, django_assert_num_queries):
    client.force_login(alice)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CaseNoteFactory.create_batch(3, case=case, about=case.participants.first().person)
    with CaptureQueriesContext(connection) as three:
        client.get(url("list", case))
    CaseNoteFactory.create_batch(27, case=case, is_confidential=True, confidential_reason="DV")
    with django_assert_num_queries(len(three.captured_queries)):
        response = client.get(url("list", case))
    assert len(response.context["notes"]) == 30


def test_a_struck_out_note_is_kept_crossed_out_with_the_reason(client, alice, case, plain_note):
    services.note_strike_out(actor=alice, note=plain_note, reason="Written on the wrong case.")
    html = page(client, alice, url("list", case))
    assert "<del>" in html and "Struck out by" in text(html) and "Written on the wrong case." in text(html)
    assert url("strike_out", case, plain_note.pk) not in html
    # the case page's section leaves it out (the case's history still says it was written and struck out)
    html = page(client, alice, reverse("cases:detail", args=[case.pk]))
    section = html[html.index('id="notes-h"') : html.index('id="history-h"')]
    assert PLAIN_TEXT not in unescape(section) and "No case notes yet." in text(section)


# --- writing a note ----------------------------------------------------------------------------------


class TestWriting:
    def test_the_form_has_a_big_text_box_and_the_people_in_the_case(self, client, alice, case, mother):
        html = page(client, alice, url("new", case))
        assert re.search(r'<textarea[^>]*class="note-text"', html)
        assert mother.full_name in html and "Confidential" in html

    def test_a_note_is_saved_and_shown(self, client, alice, case, mother):
        client.force_login(alice)
        body = {"kind": "home_visit", "occurred_on": TODAY.isoformat(), "about": mother.pk, "text": "Visited Mum."}
        response = client.post(url("new", case), body)
        assert response.status_code == 302 and response.url == url("list", case)
        note = CaseNote.objects.get()
        assert (note.kind, note.about, note.text, note.written_by) == ("home_visit", mother, "Visited Mum.", alice)

    def test_a_confidential_note_is_saved_with_its_reason(self, client, alice, case):
        client.force_login(alice)
        body = {"kind": "note", "occurred_on": TODAY.isoformat(), "text": SECRET_TEXT, "is_confidential": "on"}
        response = client.post(url("new", case), body | {"confidential_reason": SECRET_REASON})
        assert response.status_code == 302
        assert CaseNote.objects.get().is_confidential

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"text": ""}, "Write the note."),
            ({"occurred_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "This date cannot be in the future."),
            ({"occurred_on": "1850-01-01"}, "Enter a date after 1900."),
            ({"text": "x" * 20_001}, "A note can be at most 20000 characters long (this one has 20001)"),
            ({"is_confidential": "on"}, "Say why the note is confidential."),
            ({"about": "stranger"}, "Select a valid choice."),
        ],
        ids=["empty", "future", "before-1900", "too-long", "confidential-without-reason", "person-not-in-case"],
    )
    def test_bad_input_shows_the_form_again_with_the_message_and_saves_nothing(
        self, client, alice, case, body, message
    ):
        client.force_login(alice)
        if body.get("about") == "stranger":
            body = {"about": PersonFactory().pk}
        before = state()
        response = client.post(url("new", case), {"kind": "note", "occurred_on": TODAY.isoformat(), "text": "x"} | body)
        assert response.status_code == 400
        assert message in text(response.content.decode())
        assert state() == before

    def test_those_who_only_read_the_case_may_not_write(self, client, national_manager, case):
        client.force_login(national_manager)
        assert client.get(url("new", case)).status_code == 403
        assert client.post(url("new", case), {"kind": "note", "text": "x"}).status_code == 403
        assert not CaseNote.objects.exists()


# --- striking out and confidentiality -------------------------------------------------------------------


def test_striking_out_asks_for_the_reason(client, supervisor, case, plain_note):
    client.force_login(supervisor)
    assert PLAIN_TEXT in unescape(client.get(url("strike_out", case, plain_note.pk)).content.decode())
    before = state()
    response = client.post(url("strike_out", case, plain_note.pk), {"reason": ""})
    assert response.status_code == 400 and "Say why the note is struck out." in text(response.content.decode())
    assert state() == before
    response = client.post(url("strike_out", case, plain_note.pk), {"reason": "Wrong family."})
    assert response.status_code == 302
    plain_note.refresh_from_db()
    assert plain_note.is_struck_out and plain_note.archived_by == supervisor


def test_a_reader_may_not_strike_out_a_note(client, national_manager, case, plain_note):
    client.force_login(national_manager)
    assert client.get(url("strike_out", case, plain_note.pk)).status_code == 403
    assert client.post(url("strike_out", case, plain_note.pk), {"reason": "x"}).status_code == 403


def test_marking_a_note_confidential_and_readable_again(client, alice, supervisor, national_manager, case, plain_note):
    # when alice marks her note confidential
    client.force_login(alice)
    html = client.get(url("confidentiality", case, plain_note.pk)).content.decode()
    assert 'value="yes"' in html and "checked" in html
    response = client.post(url("confidentiality", case, plain_note.pk), {"confidential": "yes", "reason": "DV"})
    assert response.status_code == 302 and response.url == url("detail", case, plain_note.pk)
    # then the national manager no longer finds it
    assert PLAIN_TEXT not in unescape(page(client, national_manager, url("list", case)))
    page(client, national_manager, url("detail", case, plain_note.pk), status=404)
    # and when the supervisor makes it readable again, with the reason, it is back
    client.force_login(supervisor)
    assert (
        client.post(url("confidentiality", case, plain_note.pk), {"confidential": "no", "reason": ""}).status_code
        == 400
    )
    response = client.post(url("confidentiality", case, plain_note.pk), {"confidential": "no", "reason": "Dad left."})
    assert response.status_code == 302
    assert PLAIN_TEXT in unescape(page(client, national_manager, url("list", case)))


def test_a_note_s_page_shows_its_history_without_a_confidential_note_s_words(client, alice, case, secret_note):
    html = page(client, alice, url("detail", case, secret_note.pk))
    history = html[html.index('id="note-history-h"') :]
    assert "note.created" in history and "[confidential]" in history and leaks(history) == []


# --- in Norwegian Bokmål ---------------------------------------------------------------------------------


def test_a_reader_who_chose_norwegian_reads_the_notes_in_norwegian(
    client, national_manager, case, plain_note, secret_note
):
    national_manager.language = "nb"
    national_manager.save(update_fields=["language"])
    shown = text(page(client, national_manager, url("list", case)))
    assert "Journalnotater" in shown and "Hjemmebesøk" in shown
    assert "1 konfidensielt notat vises ikke for din rolle." in shown
    assert "Case notes" not in shown and SECRET_TEXT not in shown


def test_a_bad_note_is_explained_in_norwegian(client, alice, case):
    alice.language = "nb"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    response = client.post(url("new", case), {"kind": "note", "occurred_on": TODAY.isoformat(), "text": ""})
    assert response.status_code == 400 and "Skriv notatet." in text(response.content.decode())

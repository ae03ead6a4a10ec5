"""Who reads which notes: plain ones everyone who reads the case; confidential ones only the case's statutory staff
and their authors, the rest told only how many they do not see. And what the case page's section costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinplan.notes import selectors, services
from kinplan.notes.permissions import can_read_note, can_write_notes
from kinplan.notes.tests.factories import CaseNoteFactory

pytestmark = pytest.mark.django_db

SEE_CONFIDENTIAL = ["alice", "supervisor", "site_manager"]
SEE_PLAIN_ONLY = ["support_caseworker", "support_manager", "national_manager"]


@pytest.mark.parametrize("who", SEE_CONFIDENTIAL)
def test_the_case_s_statutory_staff_read_every_note(request, case, plain_note, secret_note, who):
    user = request.getfixturevalue(who)
    assert list(selectors.notes_for(user=user, case=case)) == [secret_note, plain_note]
    assert selectors.hidden_confidential_count(user=user, case=case) == 0
    assert can_read_note(user, secret_note)


@pytest.mark.parametrize("who", SEE_PLAIN_ONLY)
def test_support_services_and_national_managers_read_plain_notes_only_and_are_told_how_many_they_miss(
    request, case, plain_note, secret_note, who
):
    user = request.getfixturevalue(who)
    assert list(selectors.notes_for(user=user, case=case)) == [plain_note]
    assert selectors.hidden_confidential_count(user=user, case=case) == 1
    assert can_read_note(user, plain_note) and not can_read_note(user, secret_note)


def test_the_author_always_reads_their_own_confidential_note(case, support_caseworker, support_manager):
    # given the support caseworker's confidential note
    note = services.note_create(
        actor=support_caseworker, case=case, text="Caregiver disclosed…", is_confidential=True, confidential_reason="DV"
    )
    # then they read it, and their manager does not
    assert list(selectors.notes_for(user=support_caseworker, case=case)) == [note]
    assert selectors.hidden_confidential_count(user=support_caseworker, case=case) == 0
    assert list(selectors.notes_for(user=support_manager, case=case)) == []
    assert selectors.hidden_confidential_count(user=support_manager, case=case) == 1


def test_nobody_outside_the_case_reads_or_writes_its_notes(bob, charlie, administrator, plain_note):
    for user in (bob, charlie, administrator):
        assert not can_read_note(user, plain_note) and not can_write_notes(user, plain_note.case)


def test_the_list_filters_by_kind_and_person(alice, case, mother, plain_note, secret_note):
    Filters = selectors.NoteFilters
    assert list(selectors.note_list(user=alice, case=case, filters=Filters(kind="home_visit"))) == [plain_note]
    assert list(selectors.note_list(user=alice, case=case, filters=Filters(about=mother))) == [plain_note]
    assert list(selectors.note_list(user=alice, case=case, filters=Filters())) == [secret_note, plain_note]


class TestTheCaseSection:
    def test_it_shows_the_latest_notes_still_standing_and_counts_the_rest(
        self, alice, national_manager, case, plain_note, secret_note
    ):
        # given a struck-out note
        struck = CaseNoteFactory(case=case, written_by=alice)
        services.note_strike_out(actor=alice, note=struck, reason="Wrong case.")
        # then
        for_alice = selectors.notes_section(case=case, user=alice)
        assert (for_alice["notes_recent"], for_alice["notes_total"]) == ([secret_note, plain_note], 2)
        assert for_alice["notes_hidden"] == 0 and for_alice["notes_can_write"]
        for_helen = selectors.notes_section(case=case, user=national_manager)
        assert (for_helen["notes_recent"], for_helen["notes_total"], for_helen["notes_hidden"]) == ([plain_note], 1, 1)
        assert not for_helen["notes_can_write"]

    def test_it_shows_five(self, alice, case):
        CaseNoteFactory.create_batch(7, case=case)
        section = selectors.notes_section(case=case, user=alice)
        assert len(section["notes_recent"]) == 5 and section["notes_total"] == 7

    @pytest.mark.parametrize("who", ["alice", "national_manager"])
    def test_it_costs_two_queries_for_3_notes_as_for_30(self, request, case, django_assert_num_queries, who):
        user = request.getfixturevalue(who)
        CaseNoteFactory.create_batch(3, case=case, about=case.participants.first().person)
        with django_assert_num_queries(2):
            selectors.notes_section(case=case, user=user)
        CaseNoteFactory.create_batch(27, case=case, is_confidential=True, confidential_reason="DV")
        with django_assert_num_queries(2):
            selectors.notes_section(case=case, user=user)

    def test_the_case_page_costs_the_same_for_3_notes_as_for_30(self, client, alice, case, django_assert_num_queries):
        client.force_login(alice)
        CaseNoteFactory.create_batch(3, case=case)
        with CaptureQueriesContext(connection) as three:
            client.get(reverse("cases:detail", args=[case.pk]))
        CaseNoteFactory.create_batch(27, case=case, about=case.participants.first().person)
        with django_assert_num_queries(len(three.captured_queries)):
            response = client.get(reverse("cases:detail", args=[case.pk]))
        assert len(response.context["notes_recent"]) == 5

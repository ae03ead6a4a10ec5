"""The note services: what they check, who may act, and what history says (never a confidential note's words)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinplan.audit.chain import HISTORY, verify_chain
from kinplan.audit.models import AuditEvent
from kinplan.cases.selectors import case_history
from kinplan.cases.tests.factories import PersonFactory
from kinplan.notes import services
from kinplan.notes.models import TEXT_MAX_LENGTH, CaseNote
from kinplan.notes.services import CONFIDENTIAL
from kinplan.notes.tests.conftest import PLAIN_TEXT, SECRET_REASON, SECRET_TEXT

pytestmark = pytest.mark.django_db


def history_text(case: Any) -> str:
    """Everything the case's history says, as one string."""
    return json.dumps([[e.event, e.target_label, e.changes] for e in case_history(case=case)], ensure_ascii=False)


def events(note: CaseNote, event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="notes.casenote", target_id=str(note.pk), event=event))


def write(actor: Any, case: Any, **overrides: Any) -> CaseNote:
    return services.note_create(actor=actor, case=case, **({"text": "Rang Nan."} | overrides))


def refused(call: Any) -> dict[str, list[str]]:
    """The field errors of a ValidationError the call raises, after checking it saved nothing."""
    notes, history = CaseNote.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        call()
    assert (CaseNote.objects.count(), AuditEvent.objects.count()) == (notes, history)
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# --- writing a note --------------------------------------------------------------------------------


class TestWritingANote:
    def test_a_plain_note_is_saved_and_history_holds_what_it_says(self, alice, case, mother):
        # when
        note = write(alice, case, kind="home_visit", occurred_on=datetime.date(2026, 3, 3), about=mother)
        # then
        assert (note.written_by, note.kind, note.about, note.is_confidential) == (alice, "home_visit", mother, False)
        (created,) = events(note, "note.created")
        assert created.case_id == case.pk and created.actor == alice
        assert created.changes["text"] == [None, "Rang Nan."]
        assert created.changes["about"] == [None, mother.full_name]
        assert created.target_label == "Home visit note, 3 Mar 2026"

    def test_a_confidential_note_keeps_its_words_and_reason_out_of_history(self, alice, case, mother):
        # when
        note = write(alice, case, about=mother, text=SECRET_TEXT, is_confidential=True, confidential_reason="DV")
        # then the note holds them
        note.refresh_from_db()
        assert (note.text, note.confidential_reason) == (SECRET_TEXT, "DV")
        # and history says only that a confidential note was written
        (created,) = events(note, "note.created")
        assert created.changes["text"] == [None, CONFIDENTIAL]
        assert created.changes["about"] == [None, CONFIDENTIAL]
        assert created.changes["confidential_reason"] == [None, CONFIDENTIAL]
        assert created.changes["is_confidential"] == [None, True]
        assert "Rata" not in history_text(case) and mother.full_name not in history_text(case)

    def test_its_label_in_history_names_the_kind_and_date_never_the_text(self, alice, case):
        note = write(alice, case, occurred_on=datetime.date(2026, 1, 9), text="Something private")
        assert str(note) == "Case note, 9 Jan 2026"
        assert "private" not in AuditEvent.objects.get(event="note.created").target_label

    def test_the_date_is_today_unless_given(self, alice, case):
        assert write(alice, case).occurred_on == timezone.localdate()

    def test_text_is_trimmed_and_a_reason_given_without_confidentiality_is_dropped(self, alice, case):
        note = write(alice, case, text="  Rang Nan.  ", confidential_reason="not needed")
        assert (note.text, note.confidential_reason) == ("Rang Nan.", "")

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"text": ""}, "text", "Write the note."),
            ({"text": "   "}, "text", "Write the note."),
            (
                {"text": "x" * (TEXT_MAX_LENGTH + 1)},
                "text",
                "A note can be at most 20000 characters long (this one has 20001): split it into two notes.",
            ),
            ({"occurred_on": timezone.localdate() + datetime.timedelta(days=1)}, "occurred_on", None),
            ({"occurred_on": datetime.date(1899, 12, 31)}, "occurred_on", "Enter a date after 1900."),
            ({"kind": "gossip"}, "kind", None),
            ({"is_confidential": True}, "confidential_reason", "Say why the note is confidential."),
            ({"is_confidential": True, "confidential_reason": "x" * 301}, "confidential_reason", None),
        ],
        ids=["empty", "blank", "too-long", "future", "before-1900", "unknown-kind", "no-reason", "reason-too-long"],
    )
    def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(self, alice, case, overrides, field, message):
        errors = refused(lambda: write(alice, case, **overrides))
        assert field in errors
        if message:
            assert errors[field] == [message]

    def test_a_future_date_says_so(self, alice, case):
        errors = refused(lambda: write(alice, case, occurred_on=timezone.localdate() + datetime.timedelta(days=2)))
        assert errors["occurred_on"] == ["This date cannot be in the future."]

    def test_the_person_it_is_about_must_be_in_the_case(self, alice, case):
        stranger = PersonFactory()
        errors = refused(lambda: write(alice, case, about=stranger))
        assert errors == {"about": ["Choose someone in this case."]}

    def test_the_longest_note_allowed_is_saved(self, alice, case):
        assert len(write(alice, case, text="x" * TEXT_MAX_LENGTH).text) == TEXT_MAX_LENGTH

    @pytest.mark.parametrize("who", ["alice", "supervisor", "site_manager", "support_caseworker"])
    def test_those_who_change_the_case_and_its_allocated_support_caseworker_write_notes(self, request, case, who):
        user = request.getfixturevalue(who)
        assert write(user, case).written_by == user

    @pytest.mark.parametrize(
        "who", ["bob", "charlie", "other_team_supervisor", "national_manager", "support_manager", "administrator"]
    )
    def test_no_one_else_writes_notes(self, request, case, who):
        user = request.getfixturevalue(who)
        with pytest.raises(PermissionDenied):
            write(user, case)
        assert not CaseNote.objects.exists() and not AuditEvent.objects.filter(event="note.created").exists()


# --- striking a note out ---------------------------------------------------------------------------


class TestStrikingOut:
    @pytest.mark.parametrize("who", ["alice", "supervisor", "site_manager"])
    def test_the_author_supervisor_or_site_manager_strikes_a_note_out_and_it_is_kept(self, request, plain_note, who):
        user = request.getfixturevalue(who)
        # when
        note = services.note_strike_out(actor=user, note=plain_note, reason="Written on the wrong case.")
        # then
        note.refresh_from_db()
        assert note.is_struck_out and note.archived_by == user and note.text == PLAIN_TEXT
        (struck,) = events(note, "note.struck_out")
        assert struck.changes == {"struck_out": [False, True], "reason": [None, "Written on the wrong case."]}

    @pytest.mark.parametrize("who", ["bob", "national_manager", "support_caseworker", "support_manager", "charlie"])
    def test_no_one_else_strikes_a_note_out(self, request, plain_note, who):
        with pytest.raises(PermissionDenied):
            services.note_strike_out(actor=request.getfixturevalue(who), note=plain_note, reason="Wrong.")
        plain_note.refresh_from_db()
        assert not plain_note.is_struck_out

    def test_the_support_caseworker_strikes_out_their_own_note(self, support_caseworker, case):
        note = write(support_caseworker, case)
        assert services.note_strike_out(actor=support_caseworker, note=note, reason="Duplicate.").is_struck_out

    def test_it_needs_a_reason_and_happens_once(self, alice, plain_note):
        assert refused(lambda: services.note_strike_out(actor=alice, note=plain_note, reason=" ")) == {
            "reason": ["Say why the note is struck out."]
        }
        services.note_strike_out(actor=alice, note=plain_note, reason="Wrong case.")
        errors = refused(lambda: services.note_strike_out(actor=alice, note=plain_note, reason="Again."))
        assert errors == {"__all__": ["This note is already struck out."]}

    def test_a_confidential_note_s_reason_for_striking_out_stays_out_of_history(self, alice, secret_note):
        services.note_strike_out(actor=alice, note=secret_note, reason="Dad's new partner is named in it.")
        (struck,) = events(secret_note, "note.struck_out")
        assert struck.changes["reason"] == [None, CONFIDENTIAL]


# --- confidentiality ----------------------------------------------------------------------------------


class TestMarkingConfidential:
    def test_marking_a_note_confidential_later_redacts_what_history_said_of_it(self, alice, case, plain_note):
        # given history holds the note's words
        assert PLAIN_TEXT in history_text(case)
        # when
        services.note_set_confidential(actor=alice, note=plain_note, confidential=True, reason=SECRET_REASON)
        # then the note is confidential, with its reason
        plain_note.refresh_from_db()
        assert plain_note.is_confidential and plain_note.confidential_reason == SECRET_REASON
        # and history no longer holds its words, whom it is about, or the reason
        said = history_text(case)
        assert PLAIN_TEXT not in said and SECRET_REASON not in said and "Mum" not in said
        (created,) = events(plain_note, "note.created")
        assert created.redacted_at is not None and created.changes == {}
        (changed,) = events(plain_note, "note.confidentiality_changed")
        assert changed.changes == {"is_confidential": [False, True], "reason": [None, CONFIDENTIAL]}
        # and the redaction is itself recorded, and the chain still verifies
        assert AuditEvent.objects.filter(event="audit.redacted", actor=alice).exists()
        assert verify_chain(HISTORY).intact

    def test_a_struck_out_note_s_reason_is_redacted_too(self, alice, case, plain_note):
        services.note_strike_out(actor=alice, note=plain_note, reason="Names Nan's street, Rata Street.")
        services.note_set_confidential(actor=alice, note=plain_note, confidential=True, reason="Address.")
        assert "Rata" not in history_text(case)
        assert all(e.redacted_at for e in events(plain_note, "note.struck_out"))

    def test_a_note_written_confidential_has_nothing_to_redact(self, alice, supervisor, secret_note):
        services.note_set_confidential(actor=supervisor, note=secret_note, confidential=False, reason="Dad moved away.")
        services.note_set_confidential(actor=alice, note=secret_note, confidential=True, reason="Dad is back.")
        (created,) = events(secret_note, "note.created")
        assert created.redacted_at is None
        changes = [e.changes for e in events(secret_note, "note.confidentiality_changed")]
        assert {"is_confidential": [True, False], "reason": [None, "Dad moved away."]} not in changes  # redacted
        assert {"is_confidential": [False, True], "reason": [None, CONFIDENTIAL]} in changes

    def test_making_a_note_readable_again_records_why(self, supervisor, secret_note):
        note = services.note_set_confidential(
            actor=supervisor, note=secret_note, confidential=False, reason="The protection order ended."
        )
        assert not note.is_confidential and note.confidential_reason == ""
        (changed,) = events(secret_note, "note.confidentiality_changed")
        assert changed.changes == {"is_confidential": [True, False], "reason": [None, "The protection order ended."]}

    @pytest.mark.parametrize("who", ["alice", "supervisor", "site_manager"])
    def test_the_case_s_statutory_staff_mark_any_note_confidential(self, request, case, support_caseworker, who):
        note = write(support_caseworker, case)
        user = request.getfixturevalue(who)
        assert services.note_set_confidential(actor=user, note=note, confidential=True, reason="DV").is_confidential

    @pytest.mark.parametrize("who", ["national_manager", "support_caseworker", "support_manager", "bob"])
    def test_no_one_else_marks_someone_else_s_note_confidential(self, request, plain_note, who):
        with pytest.raises(PermissionDenied):
            services.note_set_confidential(
                actor=request.getfixturevalue(who), note=plain_note, confidential=True, reason="DV"
            )

    def test_only_the_author_supervisor_or_site_manager_make_it_readable_again(
        self, alice, bob, supervisor, site_manager, case
    ):
        # given the supervisor's confidential note, on alice's case
        note = write(supervisor, case, is_confidential=True, confidential_reason="DV")
        # then alice, the case's worker, reads it but may not lift it
        with pytest.raises(PermissionDenied):
            services.note_set_confidential(actor=alice, note=note, confidential=False, reason="No longer.")
        # the site manager may
        assert not services.note_set_confidential(
            actor=site_manager, note=note, confidential=False, reason="No longer."
        ).is_confidential

    def test_the_author_who_may_not_read_confidential_notes_still_controls_theirs(self, support_caseworker, case):
        note = write(support_caseworker, case)
        services.note_set_confidential(actor=support_caseworker, note=note, confidential=True, reason="DV")
        services.note_set_confidential(actor=support_caseworker, note=note, confidential=False, reason="Not DV")

    def test_it_needs_a_reason_and_a_change(self, alice, plain_note, secret_note):
        assert refused(
            lambda: services.note_set_confidential(actor=alice, note=plain_note, confidential=True, reason="")
        ) == {"reason": ["Say why the note is confidential."]}
        assert refused(
            lambda: services.note_set_confidential(actor=alice, note=secret_note, confidential=True, reason="DV")
        ) == {"confidential": ["The note is already confidential."]}
        assert refused(
            lambda: services.note_set_confidential(actor=alice, note=plain_note, confidential=False, reason="x")
        ) == {"confidential": ["The note is not confidential."]}
        assert "reason" in refused(
            lambda: services.note_set_confidential(actor=alice, note=plain_note, confidential=True, reason="x" * 301)
        )


def test_history_never_holds_a_confidential_note_s_words_whatever_happens_to_it(
    alice, supervisor, case, mother, secret_note, plain_note
):
    # given every act on both notes
    services.note_strike_out(actor=alice, note=secret_note, reason="Superseded by today's call.")
    services.note_set_confidential(actor=supervisor, note=plain_note, confidential=True, reason=SECRET_REASON)
    # then the case's history holds none of what they say, whom they are about, or why they are confidential
    said = history_text(case)
    for secret in (SECRET_TEXT, PLAIN_TEXT, SECRET_REASON, mother.full_name, "Superseded"):
        assert secret not in said

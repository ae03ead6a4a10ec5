"""Erasure requests: who may ask, two approvals by two other managers, a refusal ends it, every move locked,
logged and in history; the second approval carries the erasure out."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case
from kinplan.core.errors import InvalidTransition
from kinplan.privacy import services
from kinplan.privacy.models import ALLOWED_TRANSITIONS, ErasureRequest, ErasureTransition, RetentionReview

pytestmark = pytest.mark.django_db
Status = ErasureRequest.Status
REASON = "Closed for more than seven years; no further involvement."


@pytest.fixture
def requested(site_manager, old_case) -> ErasureRequest:
    return services.erasure_request_create(actor=site_manager, case=old_case, reason=REASON)


class TestAsking:
    def test_a_site_manager_asks_for_a_closed_case_and_the_due_review_is_recorded(self, requested, old_case):
        assert requested.status == Status.REQUESTED
        review = RetentionReview.objects.get(case=old_case)
        assert review.outcome == RetentionReview.Outcome.ERASURE_REQUESTED
        event = AuditEvent.objects.get(event="privacy.erasure.requested")
        assert event.target_label == f"Erasure request {requested.pk}"  # never the case's or a person's name

    def test_an_open_case_cannot_be_erased(self, site_manager, case):
        with pytest.raises(ValidationError, match="Only a closed case can be erased"):
            services.erasure_request_create(actor=site_manager, case=case, reason=REASON)

    def test_a_person_in_an_open_case_cannot_be_erased(self, site_manager, mother):
        with pytest.raises(ValidationError, match="every case they take part in is closed"):
            services.erasure_request_create(actor=site_manager, person=mother, reason=REASON)

    @pytest.mark.parametrize("who", ["alice", "supervisor", "other_site_manager", "administrator"])
    def test_only_managers_in_reach_may_ask(self, request, who, old_case):
        with pytest.raises(PermissionDenied):
            services.erasure_request_create(actor=request.getfixturevalue(who), case=old_case, reason=REASON)

    def test_one_request_at_a_time_per_case(self, national_manager, requested, old_case):
        with pytest.raises(ValidationError, match="already waiting"):
            services.erasure_request_create(actor=national_manager, case=old_case, reason=REASON)

    def test_a_reason_is_needed(self, site_manager, old_case):
        with pytest.raises(ValidationError):
            services.erasure_request_create(actor=site_manager, case=old_case, reason="  ")


class TestDeciding:
    def test_the_requester_may_not_approve_their_own_request(self, site_manager, requested):
        with pytest.raises(PermissionDenied):
            services.erasure_decide(actor=site_manager, request=requested, decision="approve")

    def test_one_approval_is_not_enough(self, national_manager, requested, old_case):
        # when
        decided = services.erasure_decide(actor=national_manager, request=requested, decision="approve")
        # then
        assert decided.status == Status.REQUESTED
        assert Case.objects.get(pk=old_case.pk).name == "Oldfield whānau"

    def test_the_same_person_cannot_approve_twice(self, national_manager, requested):
        services.erasure_decide(actor=national_manager, request=requested, decision="approve")
        with pytest.raises(PermissionDenied):
            services.erasure_decide(actor=national_manager, request=requested, decision="approve")

    def test_the_second_approval_carries_it_out(self, national_manager, second_site_manager, requested, old_case):
        # given
        services.erasure_decide(actor=national_manager, request=requested, decision="approve")
        # when
        done = services.erasure_decide(actor=second_site_manager, request=requested, decision="approve")
        # then
        assert done.status == Status.CARRIED_OUT and done.carried_out_at is not None
        moves = list(ErasureTransition.objects.filter(request=done).values_list("from_status", "to_status"))
        assert moves == [(Status.REQUESTED, Status.APPROVED), (Status.APPROVED, Status.CARRIED_OUT)]
        case = Case.objects.get(pk=old_case.pk)
        assert case.name == "[erased]" and case.reference == old_case.reference
        stub = AuditEvent.objects.get(event="privacy.erased")
        assert stub.changes["request"] == [None, done.pk]
        assert stub.changes["approved_by"] == [None, [str(national_manager), str(second_site_manager)]]

    def test_a_refusal_ends_it(self, national_manager, second_site_manager, requested, old_case):
        # given
        services.erasure_decide(actor=national_manager, request=requested, decision="refuse", comment="Court case.")
        # when / then
        with pytest.raises(InvalidTransition):
            services.erasure_decide(actor=second_site_manager, request=requested, decision="approve")
        assert ErasureRequest.objects.get(pk=requested.pk).status == Status.REFUSED
        assert Case.objects.get(pk=old_case.pk).name == "Oldfield whānau"

    def test_a_refusal_needs_a_comment(self, national_manager, requested):
        with pytest.raises(ValidationError, match="Say why"):
            services.erasure_decide(actor=national_manager, request=requested, decision="refuse")

    def test_a_decision_on_a_stale_copy_reads_the_locked_row(self, national_manager, second_site_manager, requested):
        # given another approver refused while this one had the page open
        stale = ErasureRequest.objects.get(pk=requested.pk)
        services.erasure_decide(actor=national_manager, request=requested, decision="refuse", comment="No.")
        # when / then: one outcome, not two
        with pytest.raises(InvalidTransition):
            services.erasure_decide(actor=second_site_manager, request=stale, decision="approve")
        assert ErasureTransition.objects.filter(request=requested).count() == 1

    def test_the_state_machine_ends_in_carried_out_or_refused(self):
        assert ALLOWED_TRANSITIONS[Status.CARRIED_OUT] == frozenset()
        assert ALLOWED_TRANSITIONS[Status.REFUSED] == frozenset()
        assert Status.CARRIED_OUT not in ALLOWED_TRANSITIONS[Status.REQUESTED]


class TestErasingACase:
    def test_people_also_in_another_case_keep_their_details(
        self, site_manager, national_manager, second_site_manager, old_case, case, alice
    ):
        # given the old case's child now also takes part in alice's open case
        from kinplan.cases.models import Participant
        from kinplan.cases.tests.factories import child_of

        sibling = child_of(old_case)
        Participant.objects.create(case=case, person=sibling, role=Participant.Role.CHILD)
        request = services.erasure_request_create(actor=site_manager, case=old_case, reason=REASON)
        # when
        for approver in (national_manager, second_site_manager):
            services.erasure_decide(actor=approver, request=request, decision="approve")
        # then
        sibling.refresh_from_db()
        assert sibling.full_name == "Rangi Oldfield"
        assert Case.objects.get(pk=old_case.pk).name == "[erased]"


class TestErasingAPerson:
    def test_a_person_is_anonymised_and_the_records_naming_them_blanked(
        self, site_manager, national_manager, second_site_manager, case, mother, mothers_step, mothers_notes
    ):
        # given every case of Mum's is closed
        Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_on=case.opened_on)
        request = services.erasure_request_create(actor=site_manager, person=mother, reason=REASON)
        # when
        services.erasure_decide(actor=national_manager, request=request, decision="approve")
        services.erasure_decide(actor=second_site_manager, request=request, decision="approve")
        # then
        mother.refresh_from_db()
        assert (mother.full_name, mother.date_of_birth, mother.email, mother.phone) == ("Erased person", None, "", "")
        assert case.participants.get(person=mother).notes == "[erased]"
        mothers_step.refresh_from_db()
        assert mothers_step.what == "[erased]"
        for note in mothers_notes:
            note.refresh_from_db()
            assert note.text == "[erased]"
        # her history says nothing of her any more, the stub says she was erased
        about_her = AuditEvent.objects.filter(target_type="cases.person", target_id=str(mother.pk))
        assert all(event.redacted_at for event in about_her.exclude(event="privacy.erased"))
        assert about_her.get(event="privacy.erased").target_label == "Erased person"
        # the child stays
        assert case.participants.get(role="child").person.family_name != "person"

"""The referral to the support service, the caseworker's allocation and their discussion with the social worker
(seed 003: referring, and engagement with the caseworker)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.accounts.tests.factories import OrganisationFactory, UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, Person
from kinplan.cases.permissions import cases_visible_to
from kinplan.cases.tests.factories import PersonFactory
from kinplan.permanent_care import services
from kinplan.permanent_care.models import ArrangementTransition, Discussion, SupportArrangement
from kinplan.permanent_care.selectors import referral_gaps, referral_pack
from kinplan.permanent_care.tests.factories import arrangement_at, days

S = SupportArrangement.Status
Role = User.Role


def referral_data(family, staff, **overrides):
    return {
        "child": family.child,
        "caregiver": family.caregiver,
        "support_service": staff.support_service,
        "intention_noted_on": days(-30),
    } | overrides


def start(family, staff, actor=None, **overrides):
    return services.arrangement_start(
        actor=actor or staff.worker, case=family.case, data=referral_data(family, staff, **overrides)
    )


def discussion_data(**overrides):
    return {
        "held_on": timezone.localdate(),
        "method": "phone",
        "supports_discussed": "Counselling; respite.",
        "participation_level": "attends_key",
    } | overrides


def another_caseworker(staff, **extra):
    return UserFactory(role=Role.SUPPORT_CASEWORKER, team=None, site=None, organisation=staff.support_service, **extra)


def other_service_staff(role):
    other = OrganisationFactory(name="Another support service", kind=Organisation.Kind.SUPPORT_SERVICE)
    return UserFactory(role=role, team=None, site=None, organisation=other)


# --- the referral pack ------------------------------------------------------------------------------------


def test_the_referral_pack_is_assembled_from_the_case(family, staff):
    # given
    arrangement = start(family, staff)
    # when
    pack = referral_pack(arrangement)
    # then the child, as recorded in the case
    child = pack["child"]
    assert child["name"] == "Aroha Ngata"
    assert child["date_of_birth"] == "2017-03-04"
    assert child["age"] >= 8
    assert child["gender"] == "Female"
    assert child["ethnicity"] == "Māori"
    assert child["iwi"] == ["Ngāti Porou"]
    # and the caregiver, with where and how to reach her
    caregiver = pack["caregiver"]
    assert caregiver["name"] == "Mere Ngata"
    assert caregiver["date_of_birth"] == "1962-05-01"
    assert caregiver["relationship_to_child"] == "Grandparent"
    assert caregiver["address"] == "12 Kōwhai Street, Porirua"
    assert caregiver["phone"] == "021 555 0101"
    assert caregiver["household"] == "Nan's home"
    # and every other household member, not the caregiver or the child
    assert [
        (m["name"], m["date_of_birth"], m["ethnicity"], m["relationship_to_child"]) for m in pack["household_members"]
    ] == [("Hone Ngata", "1960-01-09", "Māori", "Grandparent")]
    assert referral_gaps(pack) == []


def test_every_member_of_the_caregivers_household_is_in_the_pack(family, staff):
    # given a cousin also lives in Nan's home
    cousin = PersonFactory(given_name="Tama", family_name="Ngata", ethnicity="Māori")
    Participant.objects.create(
        case=family.case, person=cousin, role=Participant.Role.HOUSEHOLD_MEMBER, household=family.household
    )
    arrangement = start(family, staff)
    # when
    pack = referral_pack(arrangement)
    # then he is in the pack, and the missing relationship is a gap that names him
    assert {m["name"] for m in pack["household_members"]} == {"Hone Ngata", "Tama Ngata"}
    assert "Tama Ngata (household member): relationship to the child." in referral_gaps(pack)


def test_a_household_members_missing_date_of_birth_is_listed_by_name(family, staff):
    # given the partner's date of birth is not recorded
    Person.objects.filter(pk=family.partner.pk).update(date_of_birth=None)
    arrangement = start(family, staff)
    # when
    gaps = referral_gaps(referral_pack(arrangement))
    # then
    assert gaps == ["Hone Ngata (household member): date of birth."]


def test_a_maori_child_with_no_iwi_recorded_is_a_gap(family, staff):
    # given
    family.child.iwi.clear()
    arrangement = start(family, staff)
    # when
    gaps = referral_gaps(referral_pack(arrangement))
    # then
    assert len(gaps) == 1
    assert "Iwi" in gaps[0] and "Aroha Ngata" in gaps[0]


def test_a_caregiver_with_no_phone_or_email_is_a_gap(family, staff):
    # given
    Person.objects.filter(pk=family.caregiver.pk).update(phone="", email="")
    arrangement = SupportArrangement.objects.get(pk=start(family, staff).pk)
    # when
    gaps = referral_gaps(referral_pack(arrangement))
    # then
    assert gaps == ["A phone number or email for the caregiver (Mere Ngata)."]


def test_sending_a_referral_with_gaps_is_refused_and_changes_nothing(family, staff):
    # given
    Person.objects.filter(pk=family.partner.pk).update(date_of_birth=None)
    arrangement = start(family, staff)
    events = AuditEvent.objects.count()
    # when
    with pytest.raises(ValidationError) as refused:
        services.referral_send(actor=staff.worker, arrangement=arrangement)
    # then
    assert "Hone Ngata (household member): date of birth." in refused.value.messages
    arrangement.refresh_from_db()
    assert arrangement.status == S.REFERRAL_DRAFT
    assert arrangement.referral_pack == {}
    assert arrangement.referred_at is None
    assert not arrangement.transitions.exists()
    assert Case.objects.get(pk=family.case.pk).support_service is None
    assert AuditEvent.objects.count() == events


def test_sending_stores_the_pack_as_sent_and_refers_the_case_to_the_service(family, staff):
    # given
    arrangement = start(family, staff)
    # when
    services.referral_send(actor=staff.worker, arrangement=arrangement)
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.REFERRED
    assert arrangement.referred_at is not None
    assert arrangement.referral_pack["child"]["name"] == "Aroha Ngata"
    assert Case.objects.get(pk=family.case.pk).support_service == staff.support_service
    transition = arrangement.transitions.get()
    assert (transition.from_status, transition.to_status, transition.actor) == (
        S.REFERRAL_DRAFT,
        S.REFERRED,
        staff.worker,
    )
    assert AuditEvent.objects.filter(
        event="case.updated", case=family.case, changes__has_key="support_service"
    ).exists()


def test_the_sent_pack_is_a_snapshot_that_later_changes_to_the_case_do_not_alter(family, staff):
    # given a sent referral
    arrangement = arrangement_at(S.REFERRED, family, staff)
    # when the partner's date of birth is corrected afterwards
    Person.objects.filter(pk=family.partner.pk).update(date_of_birth=datetime.date(1961, 1, 9))
    # then the pack keeps what was sent
    arrangement.refresh_from_db()
    assert arrangement.referral_pack["household_members"][0]["date_of_birth"] == "1960-01-09"


def test_a_referral_cannot_be_sent_twice(family, staff):
    # given
    arrangement = arrangement_at(S.REFERRED, family, staff)
    # when / then
    with pytest.raises(ValidationError, match="cannot be referred again"):
        services.referral_send(actor=staff.worker, arrangement=arrangement)
    assert arrangement.transitions.count() == 1


# --- who may start and send, and what the referral may name -----------------------------------------------


def test_a_social_worker_who_is_not_the_cases_worker_cannot_start_a_plan(family, staff, bob, charlie):
    # when / then
    for outsider in (bob, charlie, staff.caseworker, staff.support_manager, staff.national_manager):
        with pytest.raises(PermissionDenied):
            start(family, staff, actor=outsider)
    assert not SupportArrangement.objects.exists()


def test_the_cases_supervisor_may_start_a_plan_for_the_worker(family, staff):
    # when
    arrangement = start(family, staff, actor=staff.supervisor)
    # then
    assert arrangement.status == S.REFERRAL_DRAFT
    assert AuditEvent.objects.filter(event="permanent_care.started", actor=staff.supervisor).exists()


def test_only_the_cases_editors_may_send_the_referral(family, staff, bob):
    # given
    arrangement = start(family, staff)
    # when / then
    for outsider in (bob, staff.support_manager, staff.national_manager):
        with pytest.raises(PermissionDenied):
            services.referral_send(actor=outsider, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert arrangement.status == S.REFERRAL_DRAFT


def test_only_one_plan_may_be_under_way_for_a_child(family, staff):
    # given
    start(family, staff)
    # when / then
    with pytest.raises(ValidationError) as refused:
        start(family, staff)
    assert "child" in refused.value.message_dict
    assert SupportArrangement.objects.count() == 1


def test_a_new_plan_may_start_once_the_last_one_was_withdrawn(family, staff):
    # given
    first = start(family, staff)
    services.arrangement_withdraw(actor=staff.worker, arrangement=first, reason="Nan changed her mind.")
    # when
    second = start(family, staff)
    # then
    assert second.pk != first.pk
    assert second.status == S.REFERRAL_DRAFT


def test_the_child_must_be_a_child_of_the_case(family, staff):
    # when / then the caregiver is not a child of the case
    with pytest.raises(ValidationError) as refused:
        start(family, staff, child=family.caregiver)
    assert "child" in refused.value.message_dict
    assert not SupportArrangement.objects.exists()


def test_the_caregiver_must_be_a_caregiver_of_the_case(family, staff):
    # when / then the partner is a household member, not the caregiver
    with pytest.raises(ValidationError) as refused:
        start(family, staff, caregiver=family.partner)
    assert "caregiver" in refused.value.message_dict
    assert not SupportArrangement.objects.exists()


def test_the_referral_goes_only_to_a_support_service(family, staff):
    # given
    agency = OrganisationFactory(name="Some agency", kind=Organisation.Kind.AGENCY)
    # when / then
    with pytest.raises(ValidationError) as refused:
        start(family, staff, support_service=agency)
    assert "support_service" in refused.value.message_dict


def test_the_intention_cannot_be_noted_in_the_future(family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        start(family, staff, intention_noted_on=days(1))
    assert "intention_noted_on" in refused.value.message_dict


def test_a_draft_referral_can_be_changed_but_a_sent_one_cannot(family, staff):
    # given
    arrangement = start(family, staff)
    # when
    services.referral_update(
        actor=staff.worker, arrangement=arrangement, data={"referral_notes": "Nan prefers mornings."}
    )
    # then
    arrangement.refresh_from_db()
    assert arrangement.referral_notes == "Nan prefers mornings."
    services.referral_send(actor=staff.worker, arrangement=arrangement)
    with pytest.raises(ValidationError):
        services.referral_update(actor=staff.worker, arrangement=arrangement, data={"referral_notes": "Changed."})
    arrangement.refresh_from_db()
    assert arrangement.referral_notes == "Nan prefers mornings."


# --- allocation ---------------------------------------------------------------------------------------------


def test_the_support_manager_allocates_a_caseworker_who_becomes_the_reviewer(family, staff):
    # given
    arrangement = arrangement_at(S.REFERRED, family, staff)
    # when
    services.caseworker_allocate(actor=staff.support_manager, arrangement=arrangement, caseworker=staff.caseworker)
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.ALLOCATED
    assert arrangement.caseworker == staff.caseworker
    assert arrangement.reviewer == staff.caseworker
    assert Case.objects.get(pk=family.case.pk).support_worker == staff.caseworker
    assert arrangement.transitions.last().to_status == S.ALLOCATED
    assert AuditEvent.objects.filter(event="permanent_care.allocated", actor=staff.support_manager).exists()
    assigned = AuditEvent.objects.get(event="permanent_care.caseworker.assigned", actor=staff.support_manager)
    assert assigned.changes["caseworker"] == [None, str(staff.caseworker)]


def test_a_caseworker_may_take_an_unallocated_referral_for_themselves(family, staff):
    # given
    arrangement = arrangement_at(S.REFERRED, family, staff)
    # when
    services.caseworker_allocate(actor=staff.caseworker, arrangement=arrangement, caseworker=staff.caseworker)
    # then
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.caseworker) == (S.ALLOCATED, staff.caseworker)


def test_a_caseworker_cannot_allocate_someone_else(family, staff):
    # given
    arrangement = arrangement_at(S.REFERRED, family, staff)
    colleague = another_caseworker(staff)
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.caseworker_allocate(actor=staff.caseworker, arrangement=arrangement, caseworker=colleague)
    assert "caseworker" in refused.value.message_dict
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.caseworker) == (S.REFERRED, None)


def test_a_caseworker_cannot_take_a_referral_already_allocated_to_a_colleague(family, staff):
    # given
    arrangement = arrangement_at(S.ALLOCATED, family, staff)
    colleague = another_caseworker(staff)
    # when / then
    with pytest.raises(PermissionDenied):
        services.caseworker_allocate(actor=colleague, arrangement=arrangement, caseworker=colleague)
    arrangement.refresh_from_db()
    assert arrangement.caseworker == staff.caseworker


@pytest.mark.parametrize("role", [Role.SUPPORT_MANAGER, Role.SUPPORT_CASEWORKER])
def test_another_services_staff_cannot_allocate(role, family, staff):
    # given
    arrangement = arrangement_at(S.REFERRED, family, staff)
    outsider = other_service_staff(role)
    # when / then
    with pytest.raises(PermissionDenied):
        services.caseworker_allocate(actor=outsider, arrangement=arrangement, caseworker=staff.caseworker)
    arrangement.refresh_from_db()
    assert arrangement.status == S.REFERRED


def test_only_an_active_caseworker_of_the_service_can_be_allocated(family, staff):
    # given
    arrangement = arrangement_at(S.REFERRED, family, staff)
    inactive = another_caseworker(staff, is_active=False)
    elsewhere = other_service_staff(Role.SUPPORT_CASEWORKER)
    # when / then
    for caseworker in (inactive, elsewhere, staff.support_manager, None):
        with pytest.raises(ValidationError) as refused:
            services.caseworker_allocate(actor=staff.support_manager, arrangement=arrangement, caseworker=caseworker)
        assert "caseworker" in refused.value.message_dict
    arrangement.refresh_from_db()
    assert arrangement.status == S.REFERRED


def test_the_manager_may_reallocate_and_the_review_moves_with_the_caseworker(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    colleague = another_caseworker(staff)
    # when
    services.caseworker_allocate(actor=staff.support_manager, arrangement=arrangement, caseworker=colleague)
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.PLANNING
    assert (arrangement.caseworker, arrangement.reviewer) == (colleague, colleague)
    assert Case.objects.get(pk=family.case.pk).support_worker == colleague


def test_an_unallocated_referral_is_visible_to_the_services_caseworkers_then_only_to_the_allocated_one(family, staff):
    # given
    colleague = another_caseworker(staff)
    assert not cases_visible_to(staff.caseworker).exists()
    # when referred
    arrangement = arrangement_at(S.REFERRED, family, staff)
    # then every caseworker of the service can see it, to take it
    assert list(cases_visible_to(staff.caseworker)) == [family.case]
    assert list(cases_visible_to(colleague)) == [family.case]
    assert list(cases_visible_to(staff.support_manager)) == [family.case]
    # when allocated
    services.caseworker_allocate(actor=staff.support_manager, arrangement=arrangement, caseworker=staff.caseworker)
    # then only the allocated caseworker (and the manager) see it
    assert list(cases_visible_to(staff.caseworker)) == [family.case]
    assert not cases_visible_to(colleague).exists()
    assert list(cases_visible_to(staff.support_manager)) == [family.case]


def test_another_services_caseworker_never_sees_the_referral(family, staff):
    # given
    outsider = other_service_staff(Role.SUPPORT_CASEWORKER)
    # when
    arrangement_at(S.REFERRED, family, staff)
    # then
    assert not cases_visible_to(outsider).exists()


# --- the discussion ---------------------------------------------------------------------------------------


def test_the_caseworkers_discussion_sets_participation_and_opens_planning(family, staff):
    # given
    arrangement = arrangement_at(S.ALLOCATED, family, staff)
    # when
    discussion = services.discussion_record(
        actor=staff.caseworker, arrangement=arrangement, data=discussion_data(participation_level="by_phone")
    )
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.PLANNING
    assert arrangement.participation_level == "by_phone"
    assert discussion.recorded_by == staff.caseworker
    assert arrangement.transitions.last().to_status == S.PLANNING
    assert AuditEvent.objects.filter(event="permanent_care.discussion.recorded", actor=staff.caseworker).exists()


def test_the_social_worker_may_record_the_discussion_and_a_later_one_changes_participation(family, staff):
    # given planning is open
    arrangement = arrangement_at(S.PLANNING, family, staff)
    transitions = arrangement.transitions.count()
    # when the social worker records a second discussion
    services.discussion_record(
        actor=staff.worker, arrangement=arrangement, data=discussion_data(participation_level="outcomes_only")
    )
    # then planning stays open, with the new level
    arrangement.refresh_from_db()
    assert arrangement.status == S.PLANNING
    assert arrangement.participation_level == "outcomes_only"
    assert arrangement.transitions.count() == transitions
    assert arrangement.discussions.count() == 2


def test_a_caseworker_not_allocated_cannot_record_the_discussion(family, staff):
    # given
    arrangement = arrangement_at(S.ALLOCATED, family, staff)
    colleague = another_caseworker(staff)
    # when / then
    with pytest.raises(PermissionDenied):
        services.discussion_record(actor=colleague, arrangement=arrangement, data=discussion_data())
    assert not Discussion.objects.exists()


def test_a_discussion_in_the_future_is_refused(family, staff):
    # given
    arrangement = arrangement_at(S.ALLOCATED, family, staff)
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.discussion_record(
            actor=staff.caseworker, arrangement=arrangement, data=discussion_data(held_on=days(1))
        )
    assert "held_on" in refused.value.message_dict
    arrangement.refresh_from_db()
    assert arrangement.status == S.ALLOCATED
    assert arrangement.participation_level == ""
    assert not Discussion.objects.exists()


def test_a_discussion_before_allocation_is_refused(family, staff):
    # given
    arrangement = arrangement_at(S.REFERRED, family, staff)
    # when / then
    with pytest.raises(ValidationError):
        services.discussion_record(actor=staff.worker, arrangement=arrangement, data=discussion_data())
    assert not ArrangementTransition.objects.filter(to_status=S.PLANNING).exists()

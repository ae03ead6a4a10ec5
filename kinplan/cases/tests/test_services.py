"""Domain rules for cases and the people in them, tested where they live."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinplan.accounts.tests.factories import TeamFactory, UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases import services
from kinplan.cases.models import Case, Iwi, Participant, Person, Relationship, TeamMember
from kinplan.cases.tests.factories import CaseFactory, HouseholdFactory, PersonFactory, child_of

CHILD = {"given_name": "Tāmati", "family_name": "Ngata", "date_of_birth": datetime.date(2018, 3, 1)}


def counts() -> tuple[int, ...]:
    return (Case.objects.count(), Person.objects.count(), Participant.objects.count(), AuditEvent.objects.count())


class TestOpeningACase:
    def test_a_worker_opens_a_case_around_a_new_child_and_it_is_in_history(self, alice):
        # when
        case = services.case_create(
            actor=alice, name="Tāmati Ngata", child_details=CHILD, child_iwi=[Iwi.objects.get(name="Ngāti Porou")]
        )
        # then
        assert case.reference == f"KP-{case.pk:06d}"
        assert (case.site, case.team, case.worker) == (alice.site, alice.team, alice)
        child = child_of(case)
        assert child.full_name == "Tāmati Ngata" and child.search_name == "tamati ngata"
        assert [i.name for i in child.iwi.all()] == ["Ngāti Porou"]
        events = list(AuditEvent.objects.filter(case=case).order_by("id").values_list("event", flat=True))
        assert events == ["case.created", "person.created", "case.participant.added"]
        created = AuditEvent.objects.get(case=case, event="case.created")
        assert created.actor == alice and created.changes["name"] == [None, "Tāmati Ngata"]

    def test_a_case_can_centre_on_a_child_already_known_to_the_worker(self, alice, case):
        child = child_of(case)
        sibling_case = services.case_create(actor=alice, name="Second case", child=child)
        assert child_of(sibling_case) == child

    def test_a_child_the_worker_cannot_see_cannot_be_used_and_nothing_is_saved(self, alice, charlie_case):
        before = counts()
        with pytest.raises(ValidationError):
            services.case_create(actor=alice, name="x", child=child_of(charlie_case))
        assert counts() == before

    def test_a_future_date_of_birth_is_refused_and_nothing_is_saved(self, alice):
        before = counts()
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            services.case_create(actor=alice, name="x", child_details={**CHILD, "date_of_birth": tomorrow})
        assert "date_of_birth" in error.value.message_dict
        assert counts() == before

    def test_the_allocated_worker_must_work_at_the_cases_site(self, alice, charlie):
        before = counts()
        with pytest.raises(ValidationError) as error:
            services.case_create(actor=alice, name="x", child_details=CHILD, worker=charlie)
        assert "worker" in error.value.message_dict
        assert counts() == before

    def test_the_team_must_be_at_the_cases_site(self, alice, other_site):
        with pytest.raises(ValidationError) as error:
            services.case_create(actor=alice, name="x", child_details=CHILD, team=TeamFactory(site=other_site))
        assert "team" in error.value.message_dict

    def test_roles_that_do_not_plan_cannot_open_cases(self, national_manager):
        with pytest.raises(PermissionDenied):
            services.case_create(actor=national_manager, name="x", child_details=CHILD)

    def test_a_new_or_existing_child_is_required_but_not_both(self, alice, case):
        with pytest.raises(ValidationError):
            services.case_create(actor=alice, name="x")
        with pytest.raises(ValidationError):
            services.case_create(actor=alice, name="x", child=child_of(case), child_details=CHILD)


class TestChangingACase:
    def test_each_changed_field_is_kept_with_its_before_and_after(self, alice, case):
        services.case_update(actor=alice, case=case, data={"name": "Ngata whānau (Porirua)", "summary": ""})
        event = AuditEvent.objects.get(event="case.updated", case=case)
        assert event.actor == alice
        assert event.changes == {"name": ["Ngata whānau", "Ngata whānau (Porirua)"]}

    def test_saving_without_a_change_writes_no_history(self, alice, case):
        services.case_update(actor=alice, case=case, data={"name": case.name})
        assert not AuditEvent.objects.filter(event="case.updated").exists()

    def test_closing_needs_a_date_and_reopening_clears_it(self, alice, case):
        with pytest.raises(ValidationError):
            services.case_update(actor=alice, case=case, data={"status": Case.Status.CLOSED})
        case.refresh_from_db()
        assert case.status == Case.Status.OPEN
        services.case_update(actor=alice, case=case, data={"status": "closed", "closed_on": datetime.date(2026, 6, 1)})
        case = services.case_update(actor=alice, case=case, data={"status": "open"})
        assert case.closed_on is None

    def test_a_case_cannot_close_before_it_opened(self, alice, case):
        with pytest.raises(ValidationError):
            services.case_update(
                actor=alice, case=case, data={"status": "closed", "closed_on": datetime.date(2020, 1, 1)}
            )

    def test_a_colleague_outside_the_case_cannot_change_it(self, bob, case):
        with pytest.raises(PermissionDenied):
            services.case_update(actor=bob, case=case, data={"name": "x"})

    def test_the_supervisor_can_reallocate_within_the_site_and_it_is_recorded(self, supervisor, bob, case):
        services.case_update(actor=supervisor, case=case, data={"worker": bob})
        assert AuditEvent.objects.get(event="case.updated").changes["worker"] == [str(case.worker), str(bob)]

    def test_unknown_fields_are_refused(self, alice, case):
        with pytest.raises(ValidationError):
            services.case_update(actor=alice, case=case, data={"site": None})

    def test_archiving_keeps_the_case_and_records_it(self, alice, case):
        services.case_archive(actor=alice, case=case)
        case.refresh_from_db()
        assert case.archived_at is not None
        assert AuditEvent.objects.filter(event="case.archived", case=case).exists()


class TestPeopleInACase:
    def test_adding_a_new_person_records_them_and_their_role(self, alice, case):
        participant = services.person_create(
            actor=alice, case=case, role=Participant.Role.WHANAU, details={"given_name": "Mere", "family_name": "Ngata"}
        )
        assert participant.person.search_name == "mere ngata"
        assert AuditEvent.objects.filter(case=case, event="person.created").exists()

    def test_the_same_person_cannot_be_added_twice(self, alice, case):
        with pytest.raises(ValidationError):
            services.participant_add(actor=alice, case=case, person=child_of(case), role="whanau")

    def test_a_person_from_a_case_the_worker_cannot_see_cannot_be_added(self, alice, case, charlie_case):
        with pytest.raises(ValidationError):
            services.participant_add(actor=alice, case=case, person=child_of(charlie_case), role="whanau")

    def test_a_household_from_another_case_is_refused(self, alice, case, charlie_case):
        with pytest.raises(ValidationError):
            services.person_create(
                actor=alice,
                case=case,
                role="parent",
                details={"given_name": "A", "family_name": "B"},
                household=HouseholdFactory(case=charlie_case),
            )

    def test_the_last_child_cannot_be_removed_or_turned_into_someone_else(self, alice, case):
        child = case.participants.get(role="child")
        with pytest.raises(ValidationError):
            services.participant_archive(actor=alice, participant=child)
        with pytest.raises(ValidationError):
            services.participant_update(actor=alice, participant=child, data={"role": "parent"})
        child.refresh_from_db()
        assert child.archived_at is None and child.role == "child"

    def test_a_person_change_shows_in_every_case_they_are_in(self, alice):
        child = PersonFactory(given_name="Tāmati", family_name="Ngata")
        case = CaseFactory(worker=alice, child=child)
        second = services.case_create(actor=alice, name="Second", child=child)
        services.person_update(
            actor=alice, person=child, data={"preferred_name": "Tam"}, iwi=[Iwi.objects.get(name="Ngāpuhi")]
        )
        events = AuditEvent.objects.filter(event="person.updated")
        assert {e.case_id for e in events} == {case.pk, second.pk}
        assert events.first().changes == {"preferred_name": ["", "Tam"], "iwi": [[], ["Ngāpuhi"]]}
        child.refresh_from_db()
        assert child.search_name == "tamati tam ngata"

    def test_an_invalid_email_is_refused_and_the_person_is_unchanged(self, alice, case):
        child = child_of(case)
        with pytest.raises(ValidationError) as error:
            services.person_update(actor=alice, person=child, data={"email": "not-an-email", "phone": "021"})
        assert "email" in error.value.message_dict
        child.refresh_from_db()
        assert child.email == "" and child.phone == ""


class TestHouseholdsRelationshipsAndTeam:
    def test_a_relationship_links_a_person_in_the_case_to_one_of_its_children(self, alice, case):
        mother = case.participants.get(role="parent").person
        relationship = services.relationship_create(
            actor=alice,
            case=case,
            data={"person": mother, "child": child_of(case), "kind": Relationship.Kind.MOTHER, "notes": ""},
        )
        assert str(relationship).endswith(f"mother of {child_of(case)}")
        # and its history names who is related to whom, leaving out blank fields
        created = AuditEvent.objects.get(event="case.relationship.created")
        assert created.changes == {
            "person": [None, str(mother)],
            "child": [None, str(child_of(case))],
            "kind": [None, "mother"],
        }

    def test_someone_leaving_a_case_takes_their_relationships_and_team_seat_with_them(self, alice, case):
        parent = case.participants.get(role="parent")
        services.relationship_create(
            actor=alice, case=case, data={"person": parent.person, "child": child_of(case), "kind": "mother"}
        )
        services.team_member_add(actor=alice, case=case, role="parent", person=parent.person)
        # when
        services.participant_archive(actor=alice, participant=parent)
        # then
        assert not case.relationships.filter(archived_at__isnull=True).exists()
        assert not case.team_members.filter(archived_at__isnull=True).exists()
        assert (
            AuditEvent.objects.filter(
                case=case,
                event__in=["case.relationship.archived", "case.team_member.archived", "case.participant.archived"],
            ).count()
            == 3
        )

    @pytest.mark.parametrize("problem", ["self", "not_a_child", "outsider", "twice"])
    def test_impossible_relationships_are_refused(self, alice, case, problem):
        mother = case.participants.get(role="parent").person
        data = {"person": mother, "child": child_of(case), "kind": "mother"}
        if problem == "self":
            data["person"] = child_of(case)
        elif problem == "not_a_child":
            data["child"] = mother
            data["person"] = child_of(case)
        elif problem == "outsider":
            data["person"] = PersonFactory()
        else:
            services.relationship_create(actor=alice, case=case, data=dict(data))
        before = Relationship.objects.count()
        with pytest.raises(ValidationError):
            services.relationship_create(actor=alice, case=case, data=data)
        assert Relationship.objects.count() == before

    def test_a_team_member_is_a_person_in_the_case_or_a_user_but_not_both(self, alice, case):
        mother = case.participants.get(role="parent").person
        with pytest.raises(ValidationError):
            services.team_member_add(actor=alice, case=case, role="parent", person=mother, user=alice)
        with pytest.raises(ValidationError):
            services.team_member_add(actor=alice, case=case, role="parent")
        with pytest.raises(ValidationError):
            services.team_member_add(actor=alice, case=case, role="parent", person=PersonFactory())
        member = services.team_member_add(actor=alice, case=case, role=TeamMember.Role.PARENT, person=mother)
        services.team_member_add(actor=alice, case=case, role=TeamMember.Role.SOCIAL_WORKER, user=alice)
        assert member.is_required
        with pytest.raises(ValidationError):
            services.team_member_add(actor=alice, case=case, role="whanau", person=mother)

    def test_archiving_a_household_keeps_its_members_in_the_case(self, alice, case):
        household = services.household_create(actor=alice, case=case, data={"name": "Nan's", "address": "1 Rata St"})
        parent = case.participants.get(role="parent")
        services.participant_update(actor=alice, participant=parent, data={"household": household})
        services.household_archive(actor=alice, household=household)
        parent.refresh_from_db()
        assert parent.household is None and parent.archived_at is None

    def test_archived_things_can_be_recorded_again(self, alice, case):
        mother = case.participants.get(role="parent").person
        member = services.team_member_add(actor=alice, case=case, role="parent", person=mother)
        services.team_member_archive(actor=alice, member=member)
        again = services.team_member_add(actor=alice, case=case, role="parent", person=mother)
        assert again.pk != member.pk

    def test_only_editors_of_the_case_may_change_its_team(self, bob, national_manager, case):
        mother = case.participants.get(role="parent").person
        for outsider in (bob, national_manager):
            with pytest.raises(PermissionDenied):
                services.team_member_add(actor=outsider, case=case, role="parent", person=mother)


def test_inactive_users_cannot_join_a_team(alice, case):
    gone = UserFactory(team=alice.team, is_active=False)
    with pytest.raises(ValidationError):
        services.team_member_add(actor=alice, case=case, role="social_worker", user=gone)


def test_a_case_cannot_open_in_the_future_or_be_reviewed_before_it_opened(alice):
    before = counts()
    future = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.case_create(actor=alice, name="x", child_details=CHILD, opened_on=future)
    assert "opened_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=alice,
            name="x",
            child_details=CHILD,
            opened_on=datetime.date(2026, 5, 1),
            next_review_on=datetime.date(2026, 4, 1),
        )
    assert "The next review cannot be before the case opened." in str(error.value)
    assert counts() == before

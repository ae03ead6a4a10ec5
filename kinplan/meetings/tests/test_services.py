"""The meetings rules, each enforced in the services: scheduling, who is invited and how each took part, the outcome
owed to those not there (seed 003), held and cancelled, the support service's role, and actions that become plan
steps — on a draft plan as they are, on an agreed one through a new version."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.due_dates import due_date_annotations, next_due_label
from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.cases.tests.factories import ParticipantFactory, TeamMemberFactory
from kinplan.core.errors import InvalidTransition
from kinplan.meetings import services
from kinplan.meetings.models import ALLOWED_TRANSITIONS, Meeting, MeetingAction, MeetingParticipant, MeetingTransition
from kinplan.meetings.selectors import outcome_owed
from kinplan.meetings.tests.factories import (
    HeldMeetingFactory,
    MeetingActionFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    hours_from_now,
)
from kinplan.planning import services as planning
from kinplan.planning.models import Goal, Plan, Step
from kinplan.planning.selectors import changes_since_agreement
from kinplan.planning.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
P = MeetingParticipant.Participation
WATCHED = (Meeting, MeetingParticipant, MeetingAction, MeetingTransition, Plan, Goal, Step, AuditEvent)


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row (and its last change) a meetings service could write, so a refusal that wrote anything shows."""
    rows = {}
    for model in WATCHED:
        stamped = any(f.name == "updated_at" for f in model._meta.fields)
        rows[model.__name__] = sorted(model.objects.values_list("pk", *(["updated_at"] if stamped else [])))
    return rows


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def refused(call: Any) -> dict[str, list[str]]:
    """Run `call`, which must be refused with a ValidationError and write nothing; its messages by field."""
    before = state()
    with pytest.raises(ValidationError) as caught:
        call()
    assert state() == before
    return messages_of(caught.value)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def details(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": Meeting.Kind.PLANNING,
        "starts_at": hours_from_now(48),
        "place": "Naenae office, whānau room",
        "purpose": "Agree the plan's first three months.",
    }
    return data | overrides


@pytest.fixture
def mother(case: Case) -> Participant:
    return case.participants.get(role=Participant.Role.PARENT)


@pytest.fixture
def cft(case: Case, mother: Participant) -> dict[str, TeamMember]:
    """Mum (required) and the lawyer for child (not required) on the Child and Family Team."""
    lawyer = ParticipantFactory(case=case, role=Participant.Role.PROFESSIONAL)
    return {
        "mother": TeamMemberFactory(case=case, person=mother.person, role=TeamMember.Role.PARENT),
        "lawyer": TeamMemberFactory(
            case=case, person=lawyer.person, role=TeamMember.Role.LAWYER_FOR_CHILD, is_required=False
        ),
    }


@pytest.fixture
def meeting(alice: User, case: Case) -> Meeting:
    """A planning meeting that started an hour ago, still to be recorded."""
    return services.meeting_schedule(actor=alice, case=case, data=details(starts_at=hours_from_now(-1)))


def invite_and_record(alice: User, meeting: Meeting, **ways: str) -> list[MeetingParticipant]:
    """Invite the team and record each one's participation (in person unless `ways` says otherwise by role)."""
    invited = services.participants_invite_team(actor=alice, meeting=meeting)
    for participant in invited:
        services.participation_record(
            actor=alice, participant=participant, participation=ways.get(participant.role, P.IN_PERSON)
        )
    return invited


def invite(alice: User, meeting: Meeting, cft: dict[str, TeamMember]) -> MeetingParticipant:
    """Invite the team; Mum's place at the meeting."""
    services.participants_invite_team(actor=alice, meeting=meeting)
    return meeting.participants.get(team_member=cft["mother"])


def hold(alice: User, meeting: Meeting, **ways: str) -> Meeting:
    invite_and_record(alice, meeting, **ways)
    return services.meeting_transition(actor=alice, meeting=meeting, to="held", decisions="Mum moves in with Nan.")


# --- scheduling -------------------------------------------------------------------------------------


class TestScheduling:
    def test_a_meeting_is_scheduled_with_its_details_and_in_history(self, alice, case):
        # when
        meeting = services.meeting_schedule(actor=alice, case=case, data=details())
        # then
        assert (meeting.status, meeting.created_by, meeting.place) == ("scheduled", alice, "Naenae office, whānau room")
        event = AuditEvent.objects.get(event="meeting.scheduled")
        assert event.case == case and event.actor == alice
        assert event.changes["status"] == [None, "scheduled"]
        assert event.changes["purpose"] == [None, "Agree the plan's first three months."]

    def test_a_meeting_already_held_may_be_scheduled_after_the_fact(self, alice, case):
        meeting = services.meeting_schedule(actor=alice, case=case, data=details(starts_at=hours_from_now(-72)))
        assert meeting.status == Meeting.Status.SCHEDULED

    def test_it_may_be_about_a_plan_of_the_case(self, alice, case):
        plan = PlanFactory(case=case)
        meeting = services.meeting_schedule(actor=alice, case=case, data=details(plan=plan))
        assert meeting.plan == plan

    def test_a_plan_of_another_case_is_refused(self, alice, case, charlie_case):
        elsewhere = PlanFactory(case=charlie_case)
        errors = refused(lambda: services.meeting_schedule(actor=alice, case=case, data=details(plan=elsewhere)))
        assert errors == {"plan": ["Choose a plan of this case."]}

    def test_a_meeting_before_the_case_opened_is_refused(self, alice, case):
        before = datetime.datetime(2025, 12, 1, 10, 0, tzinfo=timezone.get_current_timezone())
        errors = refused(lambda: services.meeting_schedule(actor=alice, case=case, data=details(starts_at=before)))
        assert errors == {"starts_at": ["A meeting cannot be before the case opened (5 Jan 2026)."]}

    def test_a_place_and_a_purpose_are_needed(self, alice, case):
        errors = refused(
            lambda: services.meeting_schedule(actor=alice, case=case, data=details(place="  ", purpose=""))
        )
        assert set(errors) == {"place", "purpose"}

    @pytest.mark.parametrize("who", ["bob", "charlie", "national_manager", "support_caseworker"])
    def test_only_those_who_may_change_the_case_schedule_its_meetings(self, request, case, who):
        user = request.getfixturevalue(who)
        with pytest.raises(PermissionDenied):
            services.meeting_schedule(actor=user, case=case, data=details())
        assert not Meeting.objects.exists()


class TestChangingDetails:
    def test_a_change_is_kept_with_its_before_and_after(self, alice, meeting):
        # when
        services.meeting_update(actor=alice, meeting=meeting, data={"place": "Nan's house", "decisions": "Draft notes"})
        # then
        event = AuditEvent.objects.get(event="meeting.updated")
        assert event.changes == {
            "place": ["Naenae office, whānau room", "Nan's house"],
            "decisions": ["", "Draft notes"],
        }

    def test_saving_without_a_change_writes_no_history(self, alice, meeting):
        services.meeting_update(actor=alice, meeting=meeting, data={"place": meeting.place})
        assert not AuditEvent.objects.filter(event="meeting.updated").exists()

    def test_a_cancelled_meeting_no_longer_changes(self, alice, meeting):
        services.meeting_transition(actor=alice, meeting=meeting, to="cancelled", note="Mum is unwell.")
        errors = refused(lambda: services.meeting_update(actor=alice, meeting=meeting, data={"place": "Online"}))
        assert errors == {
            "__all__": ["This meeting was cancelled, so it can no longer change; schedule a new meeting instead."]
        }

    def test_a_held_meeting_cannot_move_into_the_future_or_lose_its_decisions(self, alice, case, cft, meeting):
        hold(alice, meeting)
        errors = refused(
            lambda: services.meeting_update(
                actor=alice, meeting=meeting, data={"starts_at": hours_from_now(5), "decisions": " "}
            )
        )
        assert errors == {
            "starts_at": ["This meeting is recorded as held, so it has taken place: choose a time in the past."],
            "decisions": ["Record what the meeting decided."],
        }


# --- held and cancelled -------------------------------------------------------------------------------


class TestHoldingAndCancelling:
    def test_a_meeting_is_recorded_as_held_with_its_decisions_a_transition_and_history(self, alice, cft, meeting):
        # given
        invite_and_record(alice, meeting)
        # when
        held = services.meeting_transition(actor=alice, meeting=meeting, to="held", decisions=" Nan cares for Tāmati. ")
        # then
        assert (held.status, held.decisions) == ("held", "Nan cares for Tāmati.")
        transition = MeetingTransition.objects.get(meeting=meeting)
        assert (transition.from_status, transition.to_status, transition.actor) == ("scheduled", "held", alice)
        event = AuditEvent.objects.get(event="meeting.held")
        assert event.changes == {"status": ["scheduled", "held"], "decisions": ["", "Nan cares for Tāmati."]}

    def test_a_meeting_in_the_future_cannot_be_recorded_as_held(self, alice, case, cft):
        # given views in writing, recorded before the meeting
        meeting = services.meeting_schedule(actor=alice, case=case, data=details(starts_at=hours_from_now(30)))
        invite_and_record(alice, meeting, parent=P.IN_WRITING, lawyer_for_child=P.ABSENT)
        # when
        errors = refused(
            lambda: services.meeting_transition(actor=alice, meeting=meeting, to="held", decisions="Agreed.")
        )
        # then
        (message,) = errors["__all__"]
        assert message.startswith("This meeting is on ") and message.endswith(
            ": it can be recorded as held once it has taken place."
        )

    def test_everyone_s_participation_is_recorded_before_it_is_held(self, alice, cft, meeting):
        # given the lawyer's participation is not recorded
        services.participants_invite_team(actor=alice, meeting=meeting)
        mum = meeting.participants.get(team_member=cft["mother"])
        services.participation_record(actor=alice, participant=mum, participation=P.PHONE)
        # when
        errors = refused(lambda: services.meeting_transition(actor=alice, meeting=meeting, to="held", decisions="Ok"))
        # then
        lawyer = cft["lawyer"].member_name
        assert errors == {"__all__": [f"Record how each participant took part first: {lawyer}."]}

    def test_a_meeting_with_no_one_invited_and_no_decisions_is_not_held(self, alice, meeting):
        errors = refused(lambda: services.meeting_transition(actor=alice, meeting=meeting, to="held"))
        assert errors == {
            "__all__": ["Add who was invited, and how each took part, first."],
            "decisions": ["Record what the meeting decided."],
        }

    def test_decisions_written_earlier_are_enough_to_hold_it(self, alice, cft, meeting):
        invite_and_record(alice, meeting)
        services.meeting_update(actor=alice, meeting=meeting, data={"decisions": "Weekly visits continue."})
        assert services.meeting_transition(actor=alice, meeting=meeting, to="held").status == "held"

    def test_cancelling_needs_the_reason_which_is_logged(self, alice, meeting):
        assert refused(lambda: services.meeting_transition(actor=alice, meeting=meeting, to="cancelled")) == {
            "note": ["Say why the meeting was cancelled."]
        }
        services.meeting_transition(actor=alice, meeting=meeting, to="cancelled", note="Nan is in hospital.")
        assert MeetingTransition.objects.get(meeting=meeting).note == "Nan is in hospital."
        assert AuditEvent.objects.get(event="meeting.cancelled").changes["note"] == [None, "Nan is in hospital."]

    def test_a_cancelled_meeting_cannot_be_held_later(self, alice, cft, meeting):
        invite_and_record(alice, meeting)
        services.meeting_transition(actor=alice, meeting=meeting, to="cancelled", note="Storm.")
        errors = refused(lambda: services.meeting_transition(actor=alice, meeting=meeting, to="held", decisions="x"))
        assert errors == {
            "__all__": [
                "This meeting was cancelled, so it cannot be held or cancelled again; schedule a new meeting instead."
            ]
        }

    @pytest.mark.parametrize("start", list(Meeting.Status))
    @pytest.mark.parametrize("to", list(Meeting.Status))
    def test_only_the_moves_in_the_table_are_made(self, alice, case, cft, start, to):
        # given a meeting, ready to be held, in status `start`
        meeting = MeetingFactory(case=case, status=start, decisions="Agreed." if start == "held" else "")
        for member in cft.values():
            MeetingParticipantFactory(meeting=meeting, name="", team_member=member, participation=P.IN_PERSON)
        # when
        call = lambda: services.meeting_transition(  # noqa: E731
            actor=alice, meeting=meeting, to=to, note="Why", decisions="Agreed."
        )
        # then
        if to in ALLOWED_TRANSITIONS[start]:
            assert call().status == to
        else:
            with pytest.raises(InvalidTransition):
                call()
            meeting.refresh_from_db()
            assert meeting.status == start

    def test_a_colleague_who_may_only_read_the_case_cannot_hold_it(self, national_manager, meeting):
        with pytest.raises(PermissionDenied):
            services.meeting_transition(actor=national_manager, meeting=meeting, to="held", decisions="x")


# --- participants ------------------------------------------------------------------------------------


class TestInviting:
    def test_inviting_the_team_adds_each_current_member_with_their_role_and_required_flag(self, alice, case, cft):
        # given a member who has left the team
        gone = TeamMemberFactory(case=case, role=TeamMember.Role.WHANAU)
        gone.archived_at = timezone.now()
        gone.save()
        meeting = MeetingFactory(case=case)
        # when
        added = services.participants_invite_team(actor=alice, meeting=meeting)
        # then
        found = {(p.team_member, p.role, p.is_required, p.participation) for p in added}
        assert found == {
            (cft["mother"], "parent", True, "not_recorded"),
            (cft["lawyer"], "lawyer_for_child", False, "not_recorded"),
        }
        assert AuditEvent.objects.filter(event="meeting.participant.added").count() == 2

    def test_inviting_the_team_again_adds_only_who_is_new(self, alice, case, cft):
        meeting = MeetingFactory(case=case)
        services.participants_invite_team(actor=alice, meeting=meeting)
        nan = TeamMemberFactory(case=case, role=TeamMember.Role.WHANAU)
        added = services.participants_invite_team(actor=alice, meeting=meeting)
        assert [p.team_member for p in added] == [nan]
        assert meeting.participants.count() == 3

    def test_someone_invited_directly_is_not_invited_again_through_the_team(self, alice, case, cft, mother):
        meeting = MeetingFactory(case=case)
        MeetingParticipantFactory(meeting=meeting, name="", person=mother.person)
        added = services.participants_invite_team(actor=alice, meeting=meeting)
        assert [p.team_member for p in added] == [cft["lawyer"]]

    def test_a_case_without_a_team_cannot_invite_it(self, alice, meeting):
        errors = refused(lambda: services.participants_invite_team(actor=alice, meeting=meeting))
        assert errors == {
            "__all__": ["This case has no Child and Family Team yet: add its members on the case page first."]
        }

    def test_the_team_is_invited_before_the_meeting_is_held(self, alice, case, cft):
        meeting = HeldMeetingFactory(case=case)
        errors = refused(lambda: services.participants_invite_team(actor=alice, meeting=meeting))
        assert errors == {
            "__all__": ["This meeting is already held: add anyone missed one at a time, with how they took part."]
        }

    def test_a_person_on_the_team_is_invited_through_their_team_seat(self, alice, case, cft, mother):
        meeting = MeetingFactory(case=case)
        participant = services.participant_add(actor=alice, meeting=meeting, person=mother.person)
        assert (participant.team_member, participant.person, participant.is_required) == (cft["mother"], None, True)

    def test_the_case_s_support_caseworker_is_required_by_default(self, alice, case, support_caseworker):
        # given the support service is allocated to the case
        case.support_service, case.support_worker = support_caseworker.organisation, support_caseworker
        case.save()
        meeting = MeetingFactory(case=case)
        # when
        participant = services.participant_add(
            actor=alice, meeting=meeting, user=support_caseworker, role=TeamMember.Role.SUPPORT_CASEWORKER
        )
        # then
        assert (participant.user, participant.is_required, participant.role) == (
            support_caseworker,
            True,
            "support_caseworker",
        )

    def test_a_lawyer_not_recorded_in_the_case_is_invited_by_name(self, alice, meeting):
        participant = services.participant_add(
            actor=alice, meeting=meeting, name=" Rawiri Kereama ", role=TeamMember.Role.LAWYER_FOR_CHILD
        )
        assert (participant.display_name, participant.is_required) == ("Rawiri Kereama", False)
        event = AuditEvent.objects.get(event="meeting.participant.added")
        assert event.changes["name"] == [None, "Rawiri Kereama"]

    def test_a_user_from_another_site_is_refused(self, alice, meeting, charlie):
        errors = refused(lambda: services.participant_add(actor=alice, meeting=meeting, user=charlie))
        assert errors == {"user": ["Choose someone at this case's site or its support service."]}

    def test_a_person_not_in_the_case_is_refused(self, alice, meeting, charlie_case):
        stranger = charlie_case.participants.get().person
        errors = refused(lambda: services.participant_add(actor=alice, meeting=meeting, person=stranger))
        assert errors == {"person": ["Choose someone who is part of this case."]}

    def test_a_team_member_of_another_case_is_refused(self, alice, meeting, charlie_case):
        member = TeamMemberFactory(case=charlie_case)
        errors = refused(lambda: services.participant_add(actor=alice, meeting=meeting, team_member=member))
        assert errors == {"team_member": ["Choose a current member of this case's Child and Family Team."]}

    def test_exactly_one_way_of_naming_someone_is_given(self, alice, meeting, bob):
        choose = "Choose one: a member of the Child and Family Team, a person in the case, a Kinplan user, or a name."
        assert refused(lambda: services.participant_add(actor=alice, meeting=meeting)) == {"__all__": [choose]}
        assert refused(lambda: services.participant_add(actor=alice, meeting=meeting, user=bob, name="Bob")) == {
            "user": [choose],
            "name": [choose],
        }

    def test_the_same_person_is_not_invited_twice(self, alice, case, cft, mother):
        meeting = MeetingFactory(case=case)
        services.participant_add(actor=alice, meeting=meeting, team_member=cft["mother"])
        errors = refused(lambda: services.participant_add(actor=alice, meeting=meeting, person=mother.person))
        assert errors == {"person": [f"{mother.person} is already invited to this meeting."]}

    def test_someone_added_to_a_held_meeting_needs_their_participation(self, alice, case):
        meeting = HeldMeetingFactory(case=case)
        errors = refused(lambda: services.participant_add(actor=alice, meeting=meeting, name="Aunty Mere"))
        assert errors == {"participation": ["This meeting is recorded as held: say how they took part."]}
        added = services.participant_add(actor=alice, meeting=meeting, name="Aunty Mere", participation=P.PHONE)
        assert added.participation == P.PHONE

    def test_no_one_is_invited_to_a_cancelled_meeting(self, alice, case):
        meeting = MeetingFactory(case=case, status=Meeting.Status.CANCELLED)
        errors = refused(lambda: services.participant_add(actor=alice, meeting=meeting, name="Aunty Mere"))
        assert errors == {
            "__all__": ["This meeting was cancelled, so it can no longer change; schedule a new meeting instead."]
        }


class TestParticipation:
    def test_how_someone_took_part_and_their_views_are_kept_with_before_and_after(self, alice, cft, meeting):
        # given
        mum = invite(alice, meeting, cft)
        # when
        services.participation_record(
            actor=alice, participant=mum, participation=P.PHONE, views=" I want the kids home by Christmas. "
        )
        # then
        mum.refresh_from_db()
        assert (mum.participation, mum.views) == ("phone", "I want the kids home by Christmas.")
        event = AuditEvent.objects.get(event="meeting.participation.recorded")
        assert event.changes == {
            "participant": [None, mum.display_name],
            "participation": ["not_recorded", "phone"],
            "views": ["", "I want the kids home by Christmas."],
        }

    def test_leaving_the_views_out_keeps_them(self, alice, cft, meeting):
        mum = invite(alice, meeting, cft)
        services.participation_record(actor=alice, participant=mum, participation=P.PHONE, views="Home soon.")
        services.participation_record(actor=alice, participant=mum, participation=P.VIDEO)
        mum.refresh_from_db()
        assert (mum.participation, mum.views) == ("video", "Home soon.")

    @pytest.mark.parametrize("way", [P.IN_PERSON, P.PHONE, P.VIDEO])
    def test_before_the_meeting_no_one_has_taken_part_in_it_yet(self, alice, case, cft, way):
        meeting = services.meeting_schedule(actor=alice, case=case, data=details(starts_at=hours_from_now(3)))
        mum = invite(alice, meeting, cft)
        errors = refused(lambda: services.participation_record(actor=alice, participant=mum, participation=way))
        (message,) = errors["participation"]
        assert message.startswith("The meeting is on ")
        assert message.endswith(
            "until then, only views given in writing, or that they will not take part, can be recorded."
        )

    @pytest.mark.parametrize("way", [P.IN_WRITING, P.ABSENT])
    def test_before_the_meeting_views_in_writing_or_an_apology_are_recorded(self, alice, case, cft, way):
        meeting = services.meeting_schedule(actor=alice, case=case, data=details(starts_at=hours_from_now(3)))
        mum = invite(alice, meeting, cft)
        assert services.participation_record(actor=alice, participant=mum, participation=way).participation == way

    def test_once_held_participation_cannot_go_back_to_not_recorded(self, alice, cft, meeting):
        hold(alice, meeting)
        mum = meeting.participants.first()
        errors = refused(
            lambda: services.participation_record(actor=alice, participant=mum, participation=P.NOT_RECORDED)
        )
        assert errors == {"participation": ["This meeting is recorded as held: say how they took part."]}

    def test_an_unknown_way_of_taking_part_is_refused(self, alice, cft, meeting):
        mum = invite(alice, meeting, cft)
        errors = refused(
            lambda: services.participation_record(actor=alice, participant=mum, participation="carrier pigeon")
        )
        assert errors == {"participation": ["Choose how they took part."]}


# --- the outcome, for those not there (seed 003) -----------------------------------------------------


class TestOutcome:
    def test_a_required_participant_not_there_is_owed_the_outcome_until_it_is_sent(self, alice, cft, meeting):
        # given Mum (required) took part only in writing, the lawyer (not required) did not take part
        held = hold(alice, meeting, parent=P.IN_WRITING, lawyer_for_child=P.ABSENT)
        mum = held.participants.get(team_member=cft["mother"])
        # then
        assert [p.team_member for p in outcome_owed(held)] == [cft["mother"]]
        # when the outcome is sent
        services.outcome_record(actor=alice, participant=mum, method="letter")
        # then no one is owed it
        held.refresh_from_db()
        assert outcome_owed(held) == []

    @pytest.mark.parametrize("way", [P.IN_PERSON, P.PHONE, P.VIDEO])
    def test_someone_who_took_part_in_the_meeting_is_not_owed_it(self, alice, cft, meeting, way):
        held = hold(alice, meeting, parent=way, lawyer_for_child=P.ABSENT)
        assert outcome_owed(held) == []

    def test_the_outcome_is_recorded_with_when_who_and_how_and_in_history(self, alice, bob, cft, meeting):
        held = hold(alice, meeting, parent=P.ABSENT)
        mum = held.participants.get(team_member=cft["mother"])
        # when bob sent it yesterday, by email
        services.outcome_record(actor=alice, participant=mum, method="email", sent_on=days(0), sent_by=bob)
        # then
        mum.refresh_from_db()
        assert (mum.outcome_sent_on, mum.outcome_sent_by, mum.outcome_method) == (days(0), bob, "email")
        event = AuditEvent.objects.get(event="meeting.outcome.sent")
        assert event.changes["outcome_method"] == ["", "email"]
        assert event.changes["outcome_sent_by"] == [None, str(bob)]

    def test_whoever_records_it_sent_it_today_unless_told(self, alice, cft, meeting):
        held = hold(alice, meeting, parent=P.ABSENT)
        mum = services.outcome_record(
            actor=alice, participant=held.participants.get(team_member=cft["mother"]), method="phone"
        )
        assert (mum.outcome_sent_on, mum.outcome_sent_by) == (TODAY, alice)

    def test_the_outcome_is_sent_once_the_meeting_is_held(self, alice, cft, meeting):
        mum = invite(alice, meeting, cft)
        errors = refused(lambda: services.outcome_record(actor=alice, participant=mum, method="letter"))
        assert errors == {"__all__": ["The outcome is sent once the meeting is recorded as held."]}

    def test_a_date_in_the_future_no_method_and_a_stranger_are_refused(self, alice, charlie, cft, meeting):
        held = hold(alice, meeting, parent=P.ABSENT)
        mum = held.participants.get(team_member=cft["mother"])
        errors = refused(
            lambda: services.outcome_record(actor=alice, participant=mum, method="", sent_on=days(1), sent_by=charlie)
        )
        assert errors == {
            "sent_on": ["This date cannot be in the future."],
            "method": ["Say how the outcome was sent: letter, email, phone call or in person."],
            "sent_by": ["Choose someone at this case's site or its support service."],
        }

    def test_the_outcome_is_not_sent_before_the_meeting(self, alice, case, cft):
        meeting = services.meeting_schedule(actor=alice, case=case, data=details(starts_at=hours_from_now(-24 * 5)))
        held = hold(alice, meeting, parent=P.ABSENT)
        mum = held.participants.get(team_member=cft["mother"])
        errors = refused(
            lambda: services.outcome_record(actor=alice, participant=mum, method="email", sent_on=days(-7))
        )
        assert errors == {
            "sent_on": [f"The outcome is sent after the meeting: on {held.local_date:%-d %b %Y} or later."]
        }


# --- the support service's role (seed 003) ------------------------------------------------------------


class TestSupportRole:
    @pytest.fixture
    def supported(self, case: Case, support_caseworker: User) -> Case:
        case.support_service, case.support_worker = support_caseworker.organisation, support_caseworker
        case.save()
        return case

    def test_the_social_worker_explaining_it_is_recorded_with_when_and_in_history(self, alice, meeting):
        services.support_role_record(actor=alice, meeting=meeting, explained_by=alice, explained_on=TODAY)
        meeting.refresh_from_db()
        assert (meeting.support_role_explained_by, meeting.support_role_explained_on) == (alice, TODAY)
        event = AuditEvent.objects.get(event="meeting.support_role_explained")
        assert event.changes == {
            "support_role_explained_by": [None, str(alice)],
            "support_role_explained_on": [None, str(TODAY)],
        }

    def test_the_caseworker_explains_it_when_they_took_part(self, alice, supported, meeting, support_caseworker):
        services.participant_add(actor=alice, meeting=meeting, user=support_caseworker, participation=P.VIDEO)
        services.support_role_record(actor=alice, meeting=meeting, explained_by=support_caseworker, explained_on=TODAY)
        meeting.refresh_from_db()
        assert meeting.support_role_explained_by == support_caseworker

    @pytest.mark.parametrize("way", [None, P.ABSENT, P.IN_WRITING])
    def test_a_caseworker_not_at_the_meeting_did_not_explain_it(
        self, alice, supported, meeting, support_caseworker, way
    ):
        if way:
            services.participant_add(actor=alice, meeting=meeting, user=support_caseworker, participation=way)
        errors = refused(
            lambda: services.support_role_record(
                actor=alice, meeting=meeting, explained_by=support_caseworker, explained_on=TODAY
            )
        )
        assert errors == {
            "explained_by": [
                "The support-service caseworker explains it only when they are at the meeting; otherwise the "
                "social worker does. Record them as a participant who took part first."
            ]
        }

    def test_someone_who_is_not_the_social_worker_or_caseworker_is_refused(self, alice, meeting, national_manager):
        errors = refused(
            lambda: services.support_role_record(
                actor=alice, meeting=meeting, explained_by=national_manager, explained_on=days(1)
            )
        )
        assert errors == {
            "explained_by": ["Choose the social worker or the support-service caseworker who explained it."],
            "explained_on": ["This date cannot be in the future."],
        }


# --- actions --------------------------------------------------------------------------------------------


class TestActions:
    def test_an_action_is_recorded_with_who_and_when_and_in_history(self, alice, meeting, mother):
        action = services.action_add(
            actor=alice, meeting=meeting, data={"what": "Book the budgeting course", "who_person": mother.person}
        )
        assert (action.who, action.done) == (str(mother.person), False)
        event = AuditEvent.objects.get(event="meeting.action.added")
        assert event.changes["what"] == [None, "Book the budgeting course"]

    def test_an_action_names_exactly_one_who_from_the_case(self, alice, meeting, charlie, bob):
        assert refused(lambda: services.action_add(actor=alice, meeting=meeting, data={"what": "Call"})) == {
            "__all__": ["Say who does it: one person in the case, one Kinplan user, or a name."]
        }
        errors = refused(
            lambda: services.action_add(actor=alice, meeting=meeting, data={"what": "", "who_user": charlie})
        )
        assert errors == {
            "what": ["Say what is to be done."],
            "who_user": ["Choose someone at this case's site or its support service."],
        }
        errors = refused(
            lambda: services.action_add(
                actor=alice, meeting=meeting, data={"what": "x", "who_user": bob, "who_name": "B"}
            )
        )
        assert set(errors) == {"who_user", "who_name"}

    def test_an_action_is_not_due_before_the_meeting(self, alice, meeting):
        errors = refused(
            lambda: services.action_add(
                actor=alice, meeting=meeting, data={"what": "Call", "who_name": "Nan", "due_on": days(-30)}
            )
        )
        assert errors == {
            "due_on": [f"An action is due after the meeting: on {meeting.local_date:%-d %b %Y} or later."]
        }

    def test_an_action_is_marked_done_once(self, alice, case):
        action = MeetingActionFactory(meeting=HeldMeetingFactory(case=case))
        services.action_complete(actor=alice, action=action)
        assert AuditEvent.objects.get(event="meeting.action.done").changes == {"done_on": [None, str(TODAY)]}
        assert refused(lambda: services.action_complete(actor=alice, action=action)) == {
            "__all__": ["This action is already done."]
        }

    def test_an_action_is_not_done_in_the_future(self, alice, case):
        action = MeetingActionFactory(meeting=HeldMeetingFactory(case=case))
        assert refused(lambda: services.action_complete(actor=alice, action=action, on=days(2))) == {
            "done_on": ["This date cannot be in the future."]
        }


# --- an action becomes a plan step ---------------------------------------------------------------------


@pytest.fixture
def plan(alice: User, case: Case, cft: dict[str, TeamMember]) -> Plan:
    """A draft plan with a long-term goal on each track and an intermediate goal; Mum's agreement is required."""
    plan = planning.plan_create(
        actor=alice, case=case, data={"permanency_goal": "reunification", "alternative_goal": "kinship_care"}
    )
    alternative = planning.goal_add(actor=alice, plan=plan, data={"title": "Safe with Nan", "track": "alternative"})
    home = planning.goal_add(actor=alice, plan=plan, data={"title": "A safe home"})
    planning.goal_add(actor=alice, plan=plan, parent=home, data={"title": "A steady income"})
    assert alternative.position < home.position  # the default is the main track's goal, not the first added
    return plan


@pytest.fixture
def action(alice: User, cft: dict[str, TeamMember], meeting: Meeting, mother: Participant) -> MeetingAction:
    """An action of the held meeting: Mum books the budgeting course within a fortnight."""
    hold(alice, meeting)
    return services.action_add(
        actor=alice,
        meeting=meeting,
        data={"what": "Book the budgeting course", "who_person": mother.person, "due_on": days(14)},
    )


def activate(alice: User, plan: Plan, cft: dict[str, TeamMember]) -> Plan:
    planning.agreement_record(actor=alice, plan=plan, member=cft["mother"], position="agrees", method="in_person")
    plan = planning.plan_transition(actor=alice, plan=plan, to="agreed")
    return planning.plan_transition(actor=alice, plan=plan, to="active")


class TestMakingAPlanStep:
    def test_on_a_draft_plan_the_action_becomes_a_step_under_the_main_long_term_goal(self, alice, plan, action):
        # when
        made = services.action_make_step(actor=alice, action=action)
        # then
        step = made.step
        assert (made.revised, made.plan, step.goal.title) == (False, plan, "A safe home")
        assert (step.what, step.responsible, step.responsible_person, step.due_on) == (
            "Book the budgeting course",
            Step.Responsible.FAMILY,
            action.who_person,
            days(14),
        )
        assert step.details == f"Agreed at the {action.meeting}."
        action.refresh_from_db()
        assert action.step == step
        assert made.message == "“Book the budgeting course” is now a step towards “A safe home”."
        event = AuditEvent.objects.get(event="meeting.action.made_step")
        assert event.changes == {
            "step": [None, "Book the budgeting course"],
            "plan": [None, "version 1"],
            "goal": [None, "A safe home"],
        }

    def test_the_goal_chosen_takes_it(self, alice, plan, action):
        steady = plan.goals.get(title="A steady income")
        assert services.action_make_step(actor=alice, action=action, goal=steady).step.goal == steady

    def test_on_an_active_plan_a_new_version_takes_it_and_the_agreed_one_is_kept(self, alice, plan, action, cft):
        # given the team agreed the plan and it is active
        active = activate(alice, plan, cft)
        home = active.goals.get(title="A safe home")
        # when
        made = services.action_make_step(actor=alice, action=action, goal=home)
        # then version 2 is a draft holding the step, under the same goal
        assert made.revised
        assert (made.plan.version, made.plan.status, made.plan.is_current) == (2, "draft", True)
        assert made.step.goal.plan == made.plan and made.step.goal.lineage == home.lineage
        # and version 1 is kept as it was agreed, without the step
        active.refresh_from_db()
        assert (active.status, active.is_current) == ("superseded", False)
        assert not Step.objects.filter(goal__plan=active).exists()
        # and planning shows the change since agreement, and who to consult again
        changed = changes_since_agreement(plan=made.plan)
        assert [(c["change"], c["kind"], c["label"]) for c in changed["changes"]] == [
            ("added", "step", "Book the budgeting course")
        ]
        assert changed["consult_again"] == [cft["mother"].member_name]
        assert "started version 2, a draft: the team is consulted again" in made.message

    def test_a_case_without_a_plan_refuses_with_a_clear_message(self, alice, action):
        assert refused(lambda: services.action_make_step(actor=alice, action=action)) == {
            "__all__": ["This case has no service plan yet: start the plan, then make this action a step."]
        }

    def test_a_plan_without_goals_refuses_on_the_goal(self, alice, case, action):
        planning.plan_create(actor=alice, case=case, data={"permanency_goal": "remain_home"})
        assert refused(lambda: services.action_make_step(actor=alice, action=action)) == {
            "goal": ["The plan has no goals yet: add a goal, then make this action a step to it."]
        }

    def test_a_goal_of_another_plan_is_refused(self, alice, plan, action, charlie_case):
        other = PlanFactory(case=charlie_case, is_current=True).goals.create(title="Elsewhere")
        assert refused(lambda: services.action_make_step(actor=alice, action=action, goal=other)) == {
            "goal": ["Choose a goal of the case's current plan."]
        }

    def test_a_closed_plan_takes_no_step(self, alice, plan, action):
        planning.plan_transition(actor=alice, plan=plan, to="closed")
        assert refused(lambda: services.action_make_step(actor=alice, action=action)) == {
            "__all__": ["The case's service plan is closed, so no step can be added to it."]
        }

    def test_an_action_becomes_a_step_once(self, alice, plan, action):
        services.action_make_step(actor=alice, action=action)
        assert refused(lambda: services.action_make_step(actor=alice, action=action)) == {
            "__all__": ["This action is already a step in the service plan."]
        }
        assert refused(lambda: services.action_complete(actor=alice, action=action)) == {
            "__all__": ["This action is a step in the service plan now: record its progress there."]
        }

    def test_an_action_of_a_meeting_not_yet_held_is_not_planned(self, alice, case, plan):
        action = MeetingActionFactory(meeting=MeetingFactory(case=case))
        assert refused(lambda: services.action_make_step(actor=alice, action=action)) == {
            "__all__": ["An action becomes a plan step once the meeting is recorded as held."]
        }

    def test_when_the_step_is_refused_the_plan_is_not_revised_either(self, alice, plan, action, cft, mother):
        # given an active plan, and Mum has since left the case, so she cannot be named in a step
        activate(alice, plan, cft)
        mother.archived_at = timezone.now()
        mother.save()
        # when
        errors = refused(lambda: services.action_make_step(actor=alice, action=action))
        # then nothing was written: no version 2, the action is not linked
        assert errors == {"responsible_person": ["Choose someone who is part of this case."]}
        assert Plan.objects.filter(case=plan.case).count() == 1

    def test_a_reader_of_the_case_cannot_make_a_step(self, national_manager, plan, action):
        with pytest.raises(PermissionDenied):
            services.action_make_step(actor=national_manager, action=action)


# --- the case's next due date -------------------------------------------------------------------------


class TestNextDue:
    def annotated(self, case: Case) -> Case:
        return Case.objects.annotate(**due_date_annotations(TODAY)).get(pk=case.pk)

    def test_the_next_scheduled_meeting_is_the_case_s_next_due_date(self, alice, case):
        # given a held meeting, a cancelled one sooner and the next scheduled one in ten days
        HeldMeetingFactory(case=case, starts_at=hours_from_now(-48))
        MeetingFactory(case=case, starts_at=hours_from_now(24), status=Meeting.Status.CANCELLED)
        meeting = MeetingFactory(case=case, starts_at=hours_from_now(24 * 10))
        MeetingFactory(case=case, starts_at=hours_from_now(24 * 20))
        # when
        found = self.annotated(case)
        # then
        assert found.meeting_due == meeting.local_date
        assert (found.next_due, next_due_label(found)) == (meeting.local_date, "a meeting")

    def test_a_meeting_whose_time_passed_unrecorded_is_still_due(self, alice, case):
        meeting = MeetingFactory(case=case, starts_at=hours_from_now(-24 * 3))
        assert self.annotated(case).meeting_due == meeting.local_date

    def test_a_case_without_scheduled_meetings_has_no_meeting_due(self, alice, case):
        HeldMeetingFactory(case=case)
        assert self.annotated(case).meeting_due is None


def test_the_rule_for_changing_a_meeting_is_the_case_s(alice, bob, case):
    meeting = MeetingFactory(case=case)
    assert alice.has_perm("meetings.change_meeting", meeting)
    assert not bob.has_perm("meetings.change_meeting", meeting)
    assert not UserFactory(role=User.Role.NATIONAL_MANAGER, team=None).has_perm("meetings.change_meeting", meeting)

"""The meetings JSON API at /api/v1/: a meeting scheduled, attended, decided and read back whole; an action made a
plan step; rules refused with a 422 naming the field sent and nothing half-saved; history on every write.

Who may call each endpoint is the access matrix's job (tests/access); these tests sign in as alice.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.cases.tests.factories import ParticipantFactory, TeamMemberFactory
from kinplan.meetings.models import Meeting, MeetingAction, MeetingParticipant, MeetingTransition
from kinplan.meetings.tests.factories import HeldMeetingFactory, MeetingActionFactory, MeetingFactory
from kinplan.planning import services as planning
from kinplan.planning.models import Goal, Plan, Step

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = timezone.localdate()
WATCHED = (Meeting, MeetingParticipant, MeetingAction, MeetingTransition, Plan, Goal, Step, AuditEvent)


def state() -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    for model in WATCHED:
        stamped = any(f.name == "updated_at" for f in model._meta.fields)
        rows[model.__name__] = sorted(model.objects.values_list("pk", *(["updated_at"] if stamped else [])))
    return rows


def call(client: Client, method: str, path: str, payload: Any = None):
    kwargs: dict[str, Any] = {} if method == "GET" else {"content_type": "application/json"}
    if payload is not None:
        kwargs["data"] = payload
    return getattr(client, method.lower())(f"{API}{path}", **kwargs)


def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def field_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Please correct the errors below."
    return body["errors"]


def refused(client: Client, method: str, path: str, payload: Any = None) -> dict[str, list[str]]:
    """Send a request that must be refused with our 422; nothing may have been written."""
    before = state()
    errors = field_errors(call(client, method, path, payload))
    assert state() == before
    return errors


def events() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("event", flat=True))


@pytest.fixture
def api(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def cft(case: Case) -> dict[str, TeamMember]:
    mother = case.participants.get(role=Participant.Role.PARENT).person
    nan = ParticipantFactory(case=case, role=Participant.Role.WHANAU).person
    return {
        "mother": TeamMemberFactory(case=case, person=mother, role=TeamMember.Role.PARENT),
        "nan": TeamMemberFactory(case=case, person=nan, role=TeamMember.Role.WHANAU, is_required=False),
    }


@pytest.fixture
def plan(alice: User, case: Case, cft: dict[str, TeamMember]) -> Plan:
    plan = planning.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    planning.goal_add(actor=alice, plan=plan, data={"title": "A safe home"})
    return plan


def yesterday_at_ten() -> str:
    return f"{TODAY - datetime.timedelta(days=1)}T10:00:00"


def schedule(api: Client, case: Case, **overrides: Any) -> dict[str, Any]:
    body = {"kind": "planning", "starts_at": yesterday_at_ten(), "place": "Naenae office", "purpose": "Plan."}
    return ok(call(api, "POST", f"/cases/{case.pk}/meetings", body | overrides), 201)


# --- the round trip ---------------------------------------------------------------------------------


def test_a_meeting_is_scheduled_attended_decided_and_read_back_whole(api, alice, case, cft, plan):
    # given a meeting yesterday at ten, New Zealand time, about the plan
    meeting = schedule(api, case, plan_id=plan.pk)
    local = timezone.localtime(datetime.datetime.fromisoformat(meeting["starts_at"]))
    assert (local.date(), local.hour) == (TODAY - datetime.timedelta(days=1), 10)
    assert (meeting["status"], meeting["plan_id"], meeting["participants"]) == ("scheduled", plan.pk, [])
    mid = meeting["id"]
    # when the team is invited and a lawyer by name
    invited = ok(call(api, "POST", f"/meetings/{mid}/invite-team"))["participants"]
    lawyer = ok(
        call(api, "POST", f"/meetings/{mid}/participants", {"name": "Rawiri Kereama", "role": "lawyer_for_child"}),
        201,
    )
    # and each one's participation and views are recorded
    ways = {cft["mother"].pk: ("absent", ""), cft["nan"].pk: ("phone", "Kids first.")}
    for participant in invited:
        way, views = ways[participant["team_member_id"]]
        path = f"/meetings/{mid}/participants/{participant['id']}/participation"
        ok(call(api, "POST", path, {"participation": way, "views": views}))
    path = f"/meetings/{mid}/participants/{lawyer['id']}/participation"
    ok(call(api, "POST", path, {"participation": "in_writing", "views": "The children's wishes come first."}))
    # and it is recorded as held with its decisions
    done = ok(call(api, "POST", f"/meetings/{mid}/transition", {"to": "held", "decisions": "Nan cares for Tāmati."}))
    # then Mum, required and absent, is owed the outcome
    assert (done["status"], done["decisions"]) == ("held", "Nan cares for Tāmati.")
    assert done["outcome_still_to_send"] == [cft["mother"].member_name]
    mum = next(p for p in done["participants"] if p["team_member_id"] == cft["mother"].pk)
    assert (mum["is_required"], mum["participation"], mum["outcome_owed"]) == (True, "absent", True)
    # when it is sent, and an action is made a plan step
    path = f"/meetings/{mid}/participants/{mum['id']}/outcome"
    sent = ok(call(api, "POST", path, {"method": "letter"}))
    action = ok(call(api, "POST", f"/meetings/{mid}/actions", {"what": "Book the course", "who_name": "Nan"}), 201)
    made = ok(call(api, "POST", f"/meetings/{mid}/actions/{action['id']}/plan-step"), 201)
    # then
    assert (sent["outcome_sent_on"], sent["outcome_sent_by"], sent["outcome_owed"]) == (str(TODAY), str(alice), False)
    assert (made["revised"], made["plan_id"], made["step"]["what"]) == (False, plan.pk, "Book the course")
    assert made["step"]["responsible_name"] == "Nan"
    whole = ok(call(api, "GET", f"/meetings/{mid}"))
    assert whole["outcome_still_to_send"] == []
    assert [(a["what"], a["step_id"], a["plan_id"]) for a in whole["actions"]] == [
        ("Book the course", made["step"]["id"], plan.pk)
    ]
    assert [(t["from_status"], t["to_status"]) for t in whole["transitions"]] == [("scheduled", "held")]
    assert {p["name"] for p in whole["participants"]} == {
        cft["mother"].member_name,
        cft["nan"].member_name,
        "Rawiri Kereama",
    }


def test_a_case_s_meetings_are_listed_latest_first_with_outcomes_still_to_send(api, alice, case, cft):
    older = HeldMeetingFactory(case=case, starts_at=timezone.now() - datetime.timedelta(days=9))
    MeetingParticipant.objects.create(
        meeting=older, team_member=cft["mother"], is_required=True, participation="absent"
    )
    newer = MeetingFactory(case=case)
    listed = ok(call(api, "GET", f"/cases/{case.pk}/meetings"))
    assert [(m["id"], m["participant_count"], m["outcome_still_to_send"]) for m in listed] == [
        (newer.pk, 0, []),
        (older.pk, 1, [cft["mother"].member_name]),
    ]


def test_on_an_active_plan_the_step_goes_into_a_new_version(api, alice, case, cft, plan):
    # given
    planning.agreement_record(actor=alice, plan=plan, member=cft["mother"], position="agrees", method="phone")
    planning.plan_transition(actor=alice, plan=plan, to="agreed")
    planning.plan_transition(actor=alice, plan=plan, to="active")
    action = MeetingActionFactory(meeting=HeldMeetingFactory(case=case))
    goal = plan.goals.get()
    # when
    path = f"/meetings/{action.meeting_id}/actions/{action.pk}/plan-step"
    made = ok(call(api, "POST", path, {"goal_id": goal.pk}), 201)
    # then
    assert (made["revised"], made["plan_version"]) == (True, 2)
    assert made["plan_id"] != plan.pk and made["action"]["plan_id"] == made["plan_id"]
    assert "started version 2" in made["message"]
    plan.refresh_from_db()
    assert (plan.status, plan.is_current) == ("superseded", False)


def test_a_time_sent_with_its_offset_is_kept(api, case):
    meeting = schedule(api, case, starts_at="2026-11-20T21:00:00+00:00")
    stored = Meeting.objects.get(pk=meeting["id"]).starts_at
    assert stored == datetime.datetime(2026, 11, 20, 21, 0, tzinfo=datetime.UTC)


# --- 422s name the field sent; nothing is saved ------------------------------------------------------


class TestRefusals:
    def test_a_plan_of_another_case_is_named_as_sent(self, api, case, charlie_case, charlie):
        other = planning.plan_create(actor=charlie, case=charlie_case, data={"permanency_goal": "adoption"})
        body = {"kind": "planning", "starts_at": yesterday_at_ten(), "place": "x", "purpose": "y", "plan_id": other.pk}
        assert refused(api, "POST", f"/cases/{case.pk}/meetings", body) == {
            "plan_id": [f"No plan with id {other.pk} in this case."]
        }

    def test_a_date_before_the_case_opened_and_a_blank_place(self, api, case):
        body = {"kind": "planning", "starts_at": "2025-06-01T10:00:00", "place": "", "purpose": "Plan"}
        assert refused(api, "POST", f"/cases/{case.pk}/meetings", body) == {
            "starts_at": ["A meeting cannot be before the case opened (5 Jan 2026)."]
        }
        body |= {"starts_at": yesterday_at_ten()}
        assert refused(api, "POST", f"/cases/{case.pk}/meetings", body) == {"place": ["This field cannot be blank."]}

    def test_a_null_for_a_required_detail_is_refused(self, api, case):
        meeting = MeetingFactory(case=case)
        assert refused(api, "PATCH", f"/meetings/{meeting.pk}", {"kind": None}) == {
            "kind": ["This field cannot be null."]
        }

    def test_people_from_elsewhere_are_refused_under_the_field_sent(self, api, case, charlie, charlie_case):
        meeting = MeetingFactory(case=case)
        path = f"/meetings/{meeting.pk}/participants"
        stranger = charlie_case.participants.get().person
        member = TeamMemberFactory(case=charlie_case)
        assert refused(api, "POST", path, {"person_id": stranger.pk}) == {
            "person_id": [f"No person with id {stranger.pk} in this case."]
        }
        assert refused(api, "POST", path, {"team_member_id": member.pk}) == {
            "team_member_id": [f"No team member with id {member.pk} in this case."]
        }
        assert refused(api, "POST", path, {"user_id": charlie.pk}) == {
            "user_id": ["Choose someone at this case's site or its support service."]
        }
        assert refused(api, "POST", path, {"user_id": charlie.pk, "name": "Charlie"}) == {
            "user_id": [
                "Choose one: a member of the Child and Family Team, a person in the case, a Kinplan user, or a name."
            ],
            "name": [
                "Choose one: a member of the Child and Family Team, a person in the case, a Kinplan user, or a name."
            ],
        }

    def test_a_meeting_not_ready_to_hold_says_what_is_missing(self, api, case, cft):
        meeting = MeetingFactory(case=case)
        ok(call(api, "POST", f"/meetings/{meeting.pk}/invite-team"))
        errors = refused(api, "POST", f"/meetings/{meeting.pk}/transition", {"to": "held"})
        names = ", ".join(m.member_name for m in sorted(cft.values(), key=lambda m: (m.role, m.pk)))
        assert errors == {
            "__all__": [f"Record how each participant took part first: {names}."],
            "decisions": ["Record what the meeting decided."],
        }

    def test_a_cancellation_without_a_reason_names_the_note(self, api, case):
        meeting = MeetingFactory(case=case)
        assert refused(api, "POST", f"/meetings/{meeting.pk}/transition", {"to": "cancelled"}) == {
            "note": ["Say why the meeting was cancelled."]
        }

    def test_an_outcome_sent_by_a_stranger_in_the_future_is_refused(self, api, case, cft, charlie):
        meeting = HeldMeetingFactory(case=case)
        mum = MeetingParticipant.objects.create(meeting=meeting, team_member=cft["mother"], participation="absent")
        tomorrow = TODAY + datetime.timedelta(days=1)
        body = {"method": "email", "sent_on": str(tomorrow), "sent_by_id": charlie.pk}
        assert refused(api, "POST", f"/meetings/{meeting.pk}/participants/{mum.pk}/outcome", body) == {
            "sent_on": ["This date cannot be in the future."],
            "sent_by_id": ["Choose someone at this case's site or its support service."],
        }

    def test_an_unknown_way_of_taking_part_is_refused_by_the_schema(self, api, case, cft):
        meeting = MeetingFactory(case=case)
        mum = MeetingParticipant.objects.create(meeting=meeting, team_member=cft["mother"])
        before = state()
        path = f"/meetings/{meeting.pk}/participants/{mum.pk}/participation"
        response = call(api, "POST", path, {"participation": "carrier pigeon"})
        assert response.status_code == 422
        assert "participation" in {str(part) for error in response.json()["detail"] for part in error["loc"]}
        assert state() == before

    def test_an_action_for_someone_outside_the_case_is_refused(self, api, case, charlie_case):
        meeting = MeetingFactory(case=case)
        stranger = charlie_case.participants.get().person
        body = {"what": "Call", "who_person_id": stranger.pk}
        assert refused(api, "POST", f"/meetings/{meeting.pk}/actions", body) == {
            "who_person_id": [f"No person with id {stranger.pk} in this case."]
        }

    def test_a_goal_of_another_case_and_a_case_without_a_plan(self, api, case, charlie, charlie_case):
        action = MeetingActionFactory(meeting=HeldMeetingFactory(case=case))
        path = f"/meetings/{action.meeting_id}/actions/{action.pk}/plan-step"
        assert refused(api, "POST", path) == {
            "__all__": ["This case has no service plan yet: start the plan, then make this action a step."]
        }
        other = planning.plan_create(actor=charlie, case=charlie_case, data={"permanency_goal": "adoption"})
        goal = planning.goal_add(actor=charlie, plan=other, data={"title": "Elsewhere"})
        assert refused(api, "POST", path, {"goal_id": goal.pk}) == {
            "goal_id": [f"No goal with id {goal.pk} in this case."]
        }

    def test_the_support_service_role_explained_by_someone_else_is_refused(self, api, case, national_manager):
        meeting = MeetingFactory(case=case)
        body = {"explained_by_id": national_manager.pk, "explained_on": str(TODAY)}
        assert refused(api, "POST", f"/meetings/{meeting.pk}/support-role", body) == {
            "explained_by_id": ["Choose the social worker or the support-service caseworker who explained it."]
        }

    def test_a_participant_of_another_meeting_is_not_found(self, api, case, cft):
        meeting, other = MeetingFactory(case=case), MeetingFactory(case=case)
        mum = MeetingParticipant.objects.create(meeting=other, team_member=cft["mother"])
        path = f"/meetings/{meeting.pk}/participants/{mum.pk}/participation"
        assert call(api, "POST", path, {"participation": "phone"}).status_code == 404


# --- history on every write -------------------------------------------------------------------------


def test_every_write_is_in_history_with_its_before_and_after(api, alice, case, cft, plan):
    # when a meeting goes through its whole life through the API
    mid = schedule(api, case)["id"]
    ok(call(api, "PATCH", f"/meetings/{mid}", {"place": "Nan's house"}))
    ok(call(api, "POST", f"/meetings/{mid}/invite-team"))
    extra = ok(
        call(api, "POST", f"/meetings/{mid}/participants", {"name": "Rawiri", "participation": "in_writing"}), 201
    )
    for participant in MeetingParticipant.objects.filter(meeting_id=mid).exclude(pk=extra["id"]):
        path = f"/meetings/{mid}/participants/{participant.pk}/participation"
        ok(call(api, "POST", path, {"participation": "in_person"}))
    ok(call(api, "POST", f"/meetings/{mid}/support-role", {"explained_by_id": alice.pk, "explained_on": str(TODAY)}))
    ok(call(api, "POST", f"/meetings/{mid}/transition", {"to": "held", "decisions": "Agreed."}))
    ok(call(api, "POST", f"/meetings/{mid}/participants/{extra['id']}/outcome", {"method": "email"}))
    first = ok(call(api, "POST", f"/meetings/{mid}/actions", {"what": "Call", "who_name": "Nan"}), 201)
    second = ok(call(api, "POST", f"/meetings/{mid}/actions", {"what": "Visit", "who_user_id": alice.pk}), 201)
    ok(call(api, "POST", f"/meetings/{mid}/actions/{first['id']}/done"))
    ok(call(api, "POST", f"/meetings/{mid}/actions/{second['id']}/plan-step"), 201)
    # then each change is in history, in order
    assert [e for e in events() if e.startswith("meeting.")] == [
        "meeting.scheduled",
        "meeting.updated",
        "meeting.participant.added",
        "meeting.participant.added",
        "meeting.participant.added",
        "meeting.participation.recorded",
        "meeting.participation.recorded",
        "meeting.support_role_explained",
        "meeting.held",
        "meeting.outcome.sent",
        "meeting.action.added",
        "meeting.action.added",
        "meeting.action.done",
        "meeting.action.made_step",
    ]
    assert AuditEvent.objects.get(event="meeting.updated").changes == {"place": ["Naenae office", "Nan's house"]}
    assert "plan.step.added" in events()
    assert all(
        e.case_id == case.pk and e.actor == alice for e in AuditEvent.objects.filter(event__startswith="meeting.")
    )


# --- what reads cost ----------------------------------------------------------------------------------

LIST_QUERIES = 8  # session, user, the case, the view logged, the meetings, who is owed an outcome
# session, user, the meeting, its case, the view logged, the meeting in full, participants, actions, moves
MEETING_QUERIES = 11


def crowded_meeting(case: Case, cft: dict[str, TeamMember], people: int) -> Meeting:
    meeting = HeldMeetingFactory(case=case)
    for n in range(people):
        member = cft["mother"] if n == 0 else TeamMemberFactory(case=case, role=TeamMember.Role.WHANAU)
        MeetingParticipant.objects.create(meeting=meeting, team_member=member, is_required=True, participation="absent")
        MeetingActionFactory(meeting=meeting, who_name=f"Provider {n}")
    return meeting


def test_a_case_s_meetings_cost_the_same_queries_for_1_as_for_8(api, case, cft, django_assert_num_queries):
    crowded_meeting(case, cft, 3)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ok(call(api, "GET", f"/cases/{case.pk}/meetings"))) == 1
    for _ in range(7):
        crowded_meeting(case, cft, 3)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ok(call(api, "GET", f"/cases/{case.pk}/meetings"))) == 8


def test_a_meeting_costs_the_same_queries_for_3_participants_as_for_15(api, case, cft, django_assert_num_queries):
    small, large = crowded_meeting(case, cft, 3), crowded_meeting(case, cft, 15)
    with django_assert_num_queries(MEETING_QUERIES):
        assert len(ok(call(api, "GET", f"/meetings/{small.pk}"))["participants"]) == 3
    with django_assert_num_queries(MEETING_QUERIES):
        assert len(ok(call(api, "GET", f"/meetings/{large.pk}"))["outcome_still_to_send"]) == 15

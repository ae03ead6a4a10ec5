"""The meeting pages: what a worker sees, what a bad form says and leaves alone, the htmx rows, the case section,
the printable record, and what each costs in queries.

Who may open or change each page is the access matrix's job (tests/access); these tests sign in as alice, the
case's worker, or as the national manager, who may only read it.
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.cases.tests.factories import ParticipantFactory, TeamMemberFactory
from kinplan.meetings import services
from kinplan.meetings.models import Meeting, MeetingAction, MeetingParticipant, MeetingTransition
from kinplan.meetings.selectors import meetings_section
from kinplan.meetings.tests.factories import (
    HeldMeetingFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    hours_from_now,
)
from kinplan.planning import services as planning
from kinplan.planning.models import Goal, Plan, Step

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
P = MeetingParticipant.Participation
HTMX = {"HTTP_HX_REQUEST": "true"}
WATCHED = (Meeting, MeetingParticipant, MeetingAction, MeetingTransition, Plan, Goal, Step, AuditEvent)


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row (and its last change) a meetings page could write, so a refusal that wrote anything shows up."""
    rows = {}
    for model in WATCHED:
        stamped = any(f.name == "updated_at" for f in model._meta.fields)
        rows[model.__name__] = sorted(model.objects.values_list("pk", *(["updated_at"] if stamped else [])))
    return rows


def text(html: str) -> str:
    """What a reader sees: tags as spaces, entities read, whitespace squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]*>", " ", html))).strip()


def field_error(page: str, field_id: str) -> str:
    """The message shown beside the field with id `field_id`."""
    found = re.search(rf'<p class="field-error" id="{field_id}_error">(.*?)</p>', page, re.S)
    assert found, f"no error beside {field_id}"
    return unescape(found.group(1))


def url(name: str, meeting: Meeting, *args: Any) -> str:
    return reverse(f"meetings:{name}", args=[meeting.case_id, meeting.pk, *args])


@pytest.fixture
def signed_in(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def mother(case: Case) -> Participant:
    person = case.participants.get(role=Participant.Role.PARENT).person
    person.given_name, person.family_name = "Hine", "Ngata"
    person.save()
    return case.participants.get(role=Participant.Role.PARENT)


@pytest.fixture
def cft(case: Case, mother: Participant) -> dict[str, TeamMember]:
    """The Child and Family Team: Mum (required) and Nan (required)."""
    nan = ParticipantFactory(case=case, role=Participant.Role.WHANAU, person__given_name="Mere")
    return {
        "mother": TeamMemberFactory(case=case, person=mother.person, role=TeamMember.Role.PARENT),
        "nan": TeamMemberFactory(case=case, person=nan.person, role=TeamMember.Role.WHANAU),
    }


@pytest.fixture
def meeting(alice: User, case: Case, cft: dict[str, TeamMember]) -> Meeting:
    """A planning meeting that started an hour ago, the team invited, nothing recorded yet."""
    data = {"kind": "planning", "starts_at": hours_from_now(-1), "place": "Naenae office", "purpose": "Plan."}
    meeting = services.meeting_schedule(actor=alice, case=case, data=data)
    services.participants_invite_team(actor=alice, meeting=meeting)
    return meeting


def place_of(meeting: Meeting, member: TeamMember) -> MeetingParticipant:
    return meeting.participants.get(team_member=member)


def record_all(alice: User, meeting: Meeting, **ways: str) -> None:
    for participant in meeting.participants.select_related("team_member"):
        way = ways.get(participant.team_member.role if participant.team_member else "", P.IN_PERSON)
        services.participation_record(actor=alice, participant=participant, participation=way)


def held(alice: User, meeting: Meeting, **ways: str) -> Meeting:
    record_all(alice, meeting, **ways)
    return services.meeting_transition(actor=alice, meeting=meeting, to="held", decisions="Mum moves in with Nan.")


# --- scheduling ---------------------------------------------------------------------------------------


class TestScheduling:
    def test_the_form_offers_the_case_s_plans_with_the_current_one_chosen(self, signed_in, alice, case):
        plan = planning.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
        page = signed_in.get(reverse("meetings:new", args=[case.pk])).content.decode()
        assert f'<option value="{plan.pk}" selected>' in page
        assert 'type="datetime-local"' in page

    def test_scheduling_opens_the_new_meeting(self, signed_in, case):
        form = {"kind": "family_group_conference", "starts_at": "2026-12-03T10:00", "place": "Marae", "purpose": "Hui"}
        response = signed_in.post(reverse("meetings:new", args=[case.pk]), form)
        meeting = Meeting.objects.get(case=case)
        assert response.status_code == 302 and response.url == url("detail", meeting)
        local = timezone.localtime(meeting.starts_at)
        assert (local.date(), local.hour, meeting.kind) == (datetime.date(2026, 12, 3), 10, "family_group_conference")

    def test_bad_input_answers_400_with_each_message_by_its_field_and_saves_nothing(self, signed_in, case):
        # given
        before = state()
        form = {"kind": "planning", "starts_at": "2025-11-03T10:00", "place": "", "purpose": "Plan"}
        # when
        response = signed_in.post(reverse("meetings:new", args=[case.pk]), form)
        # then
        assert response.status_code == 400
        page = response.content.decode()
        assert field_error(page, "id_place") == "This field is required."
        assert state() == before
        # and once the place is given, the date is the problem, beside its field
        response = signed_in.post(reverse("meetings:new", args=[case.pk]), form | {"place": "Marae"})
        assert response.status_code == 400
        assert field_error(response.content.decode(), "id_starts_at") == (
            "A meeting cannot be before the case opened (5 Jan 2026)."
        )
        assert state() == before


# --- the meeting page --------------------------------------------------------------------------------


class TestMeetingPage:
    def test_it_shows_who_is_invited_and_what_is_still_to_record(self, signed_in, meeting, cft):
        page = signed_in.get(url("detail", meeting)).content.decode()
        shown = text(page)
        assert "This meeting's time has passed." in shown
        assert f"Still to record: {cft['mother'].member_name}, {cft['nan'].member_name}." in shown
        assert shown.count("Required") >= 2
        assert "Record how they took part" in shown

    def test_a_reader_sees_the_meeting_without_forms(self, client, national_manager, meeting):
        client.force_login(national_manager)
        page = client.get(url("detail", meeting)).content.decode()
        assert "Record how they took part" not in page
        assert "Invite the Child and Family Team" not in page
        assert "Printable record" in page

    def test_the_printable_record_has_what_was_decided_and_who_took_part_how(self, signed_in, alice, meeting, cft):
        # given
        services.participation_record(
            actor=alice, participant=place_of(meeting, cft["nan"]), participation=P.PHONE, views="Kids first."
        )
        services.participation_record(actor=alice, participant=place_of(meeting, cft["mother"]), participation=P.ABSENT)
        held_meeting = services.meeting_transition(actor=alice, meeting=meeting, to="held", decisions="Nan cares.")
        # when
        response = signed_in.get(url("record", held_meeting))
        # then
        page = response.content.decode()
        assert "meetings/meetings.css" in page
        shown = text(page)
        assert "Nan cares." in shown and "Kids first." in shown and "By phone" in shown
        assert "Still to send" in shown


class TestParticipationInPlace:
    def test_with_htmx_only_the_row_and_the_meeting_s_checks_change(self, signed_in, meeting, cft):
        # given
        nan = place_of(meeting, cft["nan"])
        # when
        response = signed_in.post(
            url("participation", meeting, nan.pk), {"participation": "phone", "views": "Kids first."}, **HTMX
        )
        # then
        assert response.status_code == 200
        page = response.content.decode()
        assert page.lstrip().startswith(f'<tr id="participant-{nan.pk}"')
        assert "Saved." in page and "Kids first." in page
        assert '<div id="meeting-checks" class="meeting-checks" hx-swap-oob="true">' in page
        assert cft["nan"].member_name not in text(page.split('id="meeting-checks"')[1])
        nan.refresh_from_db()
        assert (nan.participation, nan.views) == ("phone", "Kids first.")

    def test_without_javascript_the_form_posts_and_returns_to_the_row(self, signed_in, meeting, cft):
        nan = place_of(meeting, cft["nan"])
        response = signed_in.post(url("participation", meeting, nan.pk), {"participation": "video"}, follow=True)
        assert response.redirect_chain == [(url("detail", meeting) + f"#participant-{nan.pk}", 302)]
        assert f"{cft['nan'].member_name}: recorded." in text(response.content.decode())

    def test_a_refusal_shows_in_the_row_with_htmx_and_writes_nothing(self, signed_in, alice, case, cft):
        # given a meeting tomorrow
        data = {"kind": "planning", "starts_at": hours_from_now(24), "place": "Office", "purpose": "Plan."}
        meeting = services.meeting_schedule(actor=alice, case=case, data=data)
        services.participants_invite_team(actor=alice, meeting=meeting)
        nan = place_of(meeting, cft["nan"])
        before = state()
        # when
        response = signed_in.post(url("participation", meeting, nan.pk), {"participation": "in_person"}, **HTMX)
        # then
        assert response.status_code == 400
        message = field_error(response.content.decode(), f"p{nan.pk}_participation")
        assert message.endswith("only views given in writing, or that they will not take part, can be recorded.")
        assert state() == before
        # and without htmx, the same message on a page of its own
        response = signed_in.post(url("participation", meeting, nan.pk), {"participation": "in_person"})
        assert response.status_code == 400
        assert field_error(response.content.decode(), f"p{nan.pk}_participation") == message

    def test_the_row_closes_its_form_with_htmx_and_sends_others_to_the_page(self, signed_in, meeting, cft):
        nan = place_of(meeting, cft["nan"])
        response = signed_in.get(url("participant_row", meeting, nan.pk), **HTMX)
        assert response.content.decode().lstrip().startswith(f'<tr id="participant-{nan.pk}"')
        response = signed_in.get(url("participant_row", meeting, nan.pk))
        assert response.url == url("detail", meeting) + f"#participant-{nan.pk}"


class TestOutcome:
    def test_the_page_says_who_is_still_owed_the_outcome_until_it_is_recorded(self, signed_in, alice, meeting, cft):
        # given Mum did not take part
        done = held(alice, meeting, parent=P.ABSENT)
        mum = place_of(done, cft["mother"])
        owed = f"Outcome still to send to {cft['mother'].member_name}."
        assert owed in text(signed_in.get(url("detail", done)).content.decode())
        # when the outcome is recorded in place
        response = signed_in.post(url("outcome", done, mum.pk), {"method": "letter", "sent_on": TODAY}, **HTMX)
        # then the row says so and the checks no longer list her
        assert response.status_code == 200
        page = response.content.decode()
        assert f"Sent {TODAY:%-d %b %Y} by" in text(page) and "(letter)" in page
        assert "Outcome still to send" not in page
        assert owed not in text(signed_in.get(url("detail", done)).content.decode())

    def test_a_missing_method_is_shown_beside_its_field(self, signed_in, alice, meeting, cft):
        done = held(alice, meeting, parent=P.ABSENT)
        mum = place_of(done, cft["mother"])
        before = state()
        response = signed_in.post(url("outcome", done, mum.pk), {"method": ""}, **HTMX)
        assert response.status_code == 400
        assert field_error(response.content.decode(), f"o{mum.pk}_method") == (
            "Say how the outcome was sent: letter, email, phone call or in person."
        )
        assert state() == before

    def test_the_outcome_page_records_who_sent_it(self, signed_in, alice, bob, meeting, cft):
        done = held(alice, meeting, parent=P.ABSENT)
        mum = place_of(done, cft["mother"])
        assert f'<option value="{alice.pk}" selected>' in signed_in.get(url("outcome", done, mum.pk)).content.decode()
        signed_in.post(url("outcome", done, mum.pk), {"method": "email", "sent_on": TODAY, "sent_by": bob.pk})
        mum.refresh_from_db()
        assert mum.outcome_sent_by == bob


# --- held, cancelled, invited ------------------------------------------------------------------------


class TestStatus:
    def test_recording_it_as_held_saves_the_decisions(self, signed_in, alice, meeting):
        record_all(alice, meeting)
        response = signed_in.post(url("move", meeting, "held"), {"decisions": "Nan cares for Tāmati."})
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert (meeting.status, meeting.decisions) == ("held", "Nan cares for Tāmati.")

    def test_a_meeting_not_ready_to_hold_says_what_is_missing_and_stays_scheduled(self, signed_in, meeting, cft):
        before = state()
        response = signed_in.post(url("move", meeting, "held"), {"decisions": ""})
        assert response.status_code == 400
        page = response.content.decode()
        names = f"{cft['mother'].member_name}, {cft['nan'].member_name}"
        assert f"<li>{escape(f'Record how each participant took part first: {names}.')}</li>" in page
        assert field_error(page, "id_decisions") == "Record what the meeting decided."
        assert state() == before

    def test_cancelling_needs_a_reason(self, signed_in, meeting):
        response = signed_in.post(url("move", meeting, "cancelled"), {"note": ""})
        assert response.status_code == 400
        assert field_error(response.content.decode(), "id_note") == "Say why the meeting was cancelled."
        assert signed_in.post(url("move", meeting, "cancelled"), {"note": "Storm"}).status_code == 302

    def test_an_unknown_move_is_not_found(self, signed_in, meeting):
        assert signed_in.get(url("move", meeting, "postponed")).status_code == 404

    def test_inviting_the_team_adds_whoever_is_missing(self, signed_in, meeting, case):
        TeamMemberFactory(case=case, role=TeamMember.Role.CAREGIVER)
        response = signed_in.post(url("invite_team", meeting), follow=True)
        assert "1 team member invited." in text(response.content.decode())
        assert meeting.participants.count() == 3

    def test_a_case_without_a_team_says_so(self, signed_in, alice, case):
        meeting = MeetingFactory(case=case)
        response = signed_in.post(url("invite_team", meeting))
        assert response.status_code == 400
        assert "This case has no Child and Family Team yet" in text(response.content.decode())

    def test_inviting_one_person_by_name(self, signed_in, meeting):
        response = signed_in.post(
            url("participant_new", meeting),
            {"name": "Rawiri Kereama", "role": "lawyer_for_child", "is_required": "", "participation": "not_recorded"},
        )
        assert response.status_code == 302
        assert meeting.participants.filter(name="Rawiri Kereama", is_required=False).exists()

    def test_inviting_no_one_says_how_to_choose(self, signed_in, meeting):
        before = state()
        response = signed_in.post(url("participant_new", meeting), {"participation": "not_recorded"})
        assert response.status_code == 400
        assert "Choose one: a member of the Child and Family Team" in text(response.content.decode())
        assert state() == before

    def test_recording_who_explained_the_support_service_s_role(self, signed_in, alice, meeting):
        response = signed_in.post(url("support_role", meeting), {"explained_by": alice.pk, "explained_on": TODAY})
        assert response.status_code == 302
        page = text(signed_in.get(url("detail", meeting)).content.decode())
        assert f"explained to the participants by {alice} (social worker)" in page

    def test_a_future_explanation_date_is_refused_beside_its_field(self, signed_in, alice, meeting):
        tomorrow = TODAY + datetime.timedelta(days=1)
        response = signed_in.post(url("support_role", meeting), {"explained_by": alice.pk, "explained_on": tomorrow})
        assert response.status_code == 400
        assert field_error(response.content.decode(), "id_explained_on") == "This date cannot be in the future."


# --- actions and plan steps ---------------------------------------------------------------------------


@pytest.fixture
def action(alice: User, meeting: Meeting, mother: Participant) -> MeetingAction:
    done = held(alice, meeting)
    data = {"what": "Book the budgeting course", "who_person": mother.person}
    return services.action_add(actor=alice, meeting=done, data=data)


@pytest.fixture
def plan(alice: User, case: Case, cft: dict[str, TeamMember]) -> Plan:
    plan = planning.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    planning.goal_add(actor=alice, plan=plan, data={"title": "A safe home"})
    return plan


class TestActions:
    def test_an_action_is_added_and_shown(self, signed_in, meeting):
        response = signed_in.post(url("action_new", meeting), {"what": "Call the school", "who_name": "Nan"})
        action = MeetingAction.objects.get()
        assert response.url == url("detail", meeting) + f"#action-{action.pk}"
        assert "Call the school" in signed_in.get(url("detail", meeting)).content.decode()

    def test_an_action_due_before_the_meeting_is_refused_beside_its_date(self, signed_in, meeting):
        before = state()
        form = {"what": "Call the school", "who_name": "Nan", "due_on": "2026-01-10"}
        response = signed_in.post(url("action_new", meeting), form)
        assert response.status_code == 400
        assert field_error(response.content.decode(), "id_due_on").startswith("An action is due after the meeting")
        assert state() == before

    def test_one_click_makes_it_a_plan_step_in_place(self, signed_in, plan, action):
        # given the meeting page offers the plan's goal by default
        page = signed_in.get(url("detail", action.meeting)).content.decode()
        goal = plan.goals.get()
        assert f'<option value="{goal.pk}" selected>A safe home</option>' in page
        # when
        response = signed_in.post(url("action_step", action.meeting, action.pk), {"goal": goal.pk}, **HTMX)
        # then
        assert response.status_code == 200
        row = response.content.decode()
        assert row.lstrip().startswith(f'<tr id="action-{action.pk}"')
        assert "“Book the budgeting course” is now a step towards “A safe home”." in unescape(row)
        step = Step.objects.get(goal=goal)
        assert reverse("planning:plan", args=[plan.case_id]) + f"#step-{step.pk}" in row

    def test_on_an_active_plan_the_message_says_a_new_version_was_started(self, signed_in, alice, plan, action, cft):
        for member in cft.values():
            planning.agreement_record(actor=alice, plan=plan, member=member, position="agrees", method="phone")
        planning.plan_transition(actor=alice, plan=plan, to="agreed")
        goal = plan.goals.get()
        response = signed_in.post(url("action_step", action.meeting, action.pk), {"goal": goal.pk}, follow=True)
        assert "this started version 2, a draft: the team is consulted again" in text(response.content.decode())
        assert Plan.objects.get(case=plan.case, is_current=True).version == 2

    def test_without_a_plan_the_row_says_to_start_one_and_nothing_is_written(self, signed_in, action):
        before = state()
        response = signed_in.post(url("action_step", action.meeting, action.pk), {}, **HTMX)
        assert response.status_code == 400
        assert "This case has no service plan yet: start the plan, then make this action a step." in unescape(
            response.content.decode()
        )
        assert state() == before

    def test_marking_an_action_done_in_place(self, signed_in, action):
        response = signed_in.post(url("action_done", action.meeting, action.pk), {"done_on": TODAY}, **HTMX)
        assert "“Book the budgeting course” is done." in unescape(response.content.decode())
        action.refresh_from_db()
        assert action.done_on == TODAY


# --- the case page's section ---------------------------------------------------------------------------


class TestCaseSection:
    def test_it_lists_upcoming_and_past_meetings_and_outcomes_still_to_send(self, signed_in, alice, meeting, cft):
        # given a held meeting Mum missed, and one next week
        done = held(alice, meeting, parent=P.IN_WRITING)
        MeetingFactory(case=done.case, kind=Meeting.Kind.TEAM, starts_at=hours_from_now(24 * 7))
        # when
        page = signed_in.get(reverse("cases:detail", args=[done.case_id])).content.decode()
        # then
        section = text(page.split('id="meetings-h"')[1].split("</section>")[0])
        assert (
            f"Outcome still to send to required participants who were not at the meeting: {cft['mother'].member_name}"
            in section
        )
        assert "Child and Family Team meeting" in section and "Upcoming" in section
        assert "Schedule a meeting" in section

    def test_a_reader_is_not_offered_to_schedule(self, client, national_manager, meeting):
        client.force_login(national_manager)
        page = client.get(reverse("cases:detail", args=[meeting.case_id])).content.decode()
        assert "Planning meeting" in page and "Schedule a meeting" not in page


# --- query counts ---------------------------------------------------------------------------------------

# session, user, the case, the view logged, the meeting, participants, actions, moves, may-change check, the
# case's current plan (no goals to list without one), the site in the page header, staff for the support-role form
MEETING_PAGE_QUERIES = 14
SECTION_QUERIES = 2  # the meetings with their participant counts, and who is owed an outcome


def crowd(meeting: Meeting, how_many: int) -> None:
    """Add people to the meeting in every way: team members, people in the case, users and names."""
    case = meeting.case
    for n in range(how_many):
        kind = n % 4
        if kind == 0:
            member = TeamMemberFactory(case=case, role=TeamMember.Role.WHANAU)
            ParticipantFactory(case=case, person=member.person, role=Participant.Role.WHANAU)
            MeetingParticipantFactory(meeting=meeting, name="", team_member=member, participation=P.ABSENT)
        elif kind == 1:
            person = ParticipantFactory(case=case, role=Participant.Role.WHANAU).person
            MeetingParticipantFactory(meeting=meeting, name="", person=person, participation=P.PHONE, views="Ok")
        elif kind == 2:
            user = UserFactory(team=case.team)
            MeetingParticipantFactory(meeting=meeting, name="", user=user, participation=P.IN_WRITING)
        else:
            MeetingParticipantFactory(meeting=meeting, participation=P.IN_PERSON, is_required=True)


def test_the_meeting_page_costs_the_same_queries_for_3_participants_as_for_15(
    signed_in, alice, case, django_assert_num_queries
):
    # given a held meeting with 3 participants, one owed the outcome, and an action
    meeting = HeldMeetingFactory(case=case)
    crowd(meeting, 3)
    services.action_add(actor=alice, meeting=meeting, data={"what": "Call", "who_name": "Nan"})
    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        response = signed_in.get(url("detail", meeting))
    assert len(response.context["participants"]) == 3
    # when it has 15 and more actions
    crowd(meeting, 12)
    services.action_add(actor=alice, meeting=meeting, data={"what": "Visit", "who_user": alice})
    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        response = signed_in.get(url("detail", meeting))
    # then
    assert len(response.context["participants"]) == 15


def render_section(case: Case, user: User) -> str:
    context = meetings_section(case=case, user=user) | {"case": case, "can_edit": True}
    return render_to_string("meetings/partials/_case_section.html", context)


def test_the_case_section_costs_two_queries_for_1_meeting_as_for_10(alice, case, django_assert_num_queries):
    # given
    first = HeldMeetingFactory(case=case)
    crowd(first, 4)
    with django_assert_num_queries(SECTION_QUERIES):
        html = render_section(case, alice)
    assert html.count('<tr class="past">') == 1
    # when
    for n in range(9):
        meeting = (HeldMeetingFactory if n % 2 else MeetingFactory)(case=case, starts_at=hours_from_now(n * 24 - 100))
        crowd(meeting, 4)
    # then
    with django_assert_num_queries(SECTION_QUERIES):
        html = render_section(case, alice)
    assert html.count('<tr class="past">') + html.count('<tr class="upcoming">') == 10


def test_the_case_page_costs_the_same_for_1_meeting_as_for_10(signed_in, case):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            signed_in.get(reverse("cases:detail", args=[case.pk]))
        return len(queries)

    crowd(HeldMeetingFactory(case=case), 3)
    once = count()
    for _ in range(9):
        crowd(HeldMeetingFactory(case=case), 3)
    assert count() == once


# --- in Norwegian ---------------------------------------------------------------------------------------


@pytest.fixture
def in_norwegian(client: Client, alice: User) -> Client:
    alice.language = "nb"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    return client


class TestInNorwegian:
    def test_the_meeting_page_reads_in_norwegian_with_norwegian_dates(self, in_norwegian, meeting):
        # when
        page = text(in_norwegian.get(url("detail", meeting)).content.decode())
        # then
        with translation.override("nb"):
            when = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
        assert "Planleggingsmøte" in page and "Deltakere" in page and "Avlys møtet" in page
        assert when in page
        assert "Participants" not in page and "Cancel the meeting" not in page

    def test_the_printed_record_reads_in_norwegian_and_names_the_organisation_s_child(
        self, in_norwegian, alice, meeting
    ):
        # given
        held(alice, meeting)
        # when
        page = text(in_norwegian.get(url("record", meeting)).content.decode())
        # then
        assert "Skriv ut" in page and "Skrevet ut fra Kinplan" in page and " kl. " in page
        assert "personopplysninger om barn og familie" in page

    def test_a_refusal_is_said_in_norwegian(self, in_norwegian, meeting):
        # when the meeting is cancelled without a reason
        response = in_norwegian.post(url("move", meeting, "cancelled"), {"note": ""})
        # then
        assert response.status_code == 400
        assert "Oppgi hvorfor møtet ble avlyst." in text(response.content.decode())

"""The private calendar feed and a meeting's invitation: what is in them, who can read them, and revoking."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kinplan.audit.models import AuditEvent
from kinplan.calendars import selectors, services
from kinplan.cases.tests.factories import PersonFactory, child_of
from kinplan.court.tests.factories import HearingFactory
from kinplan.meetings.models import MeetingParticipant
from kinplan.meetings.tests.factories import MeetingFactory
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def soon(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


@pytest.fixture
def work(case, alice):
    """In alice's case: a meeting next week, a step due in 10 days, a plan review and a hearing."""
    plan = PlanFactory(case=case, next_review_on=soon(40))
    StepFactory(goal=GoalFactory(plan=plan), due_on=soon(10), what="Ring Tāmati's school")
    meeting = MeetingFactory(case=case, starts_at=timezone.now() + datetime.timedelta(days=7), place="Nan's home")
    HearingFactory(case=case, date=soon(20), court="Family Court at Porirua")
    return meeting


def feed_of(client, user) -> str:
    _feed, secret = services.calendar_feed_issue(actor=user)
    return reverse("calendars:feed", args=[secret])


def events_in(response) -> list:
    return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]


def test_the_feed_holds_the_users_meetings_steps_reviews_and_hearings(client, alice, case, work):
    # given
    url = feed_of(client, alice)
    # when a calendar app reads it, signed out
    response = client.get(url)
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    summaries = sorted(str(e["summary"]) for e in events_in(response))
    ref = case.reference
    assert summaries == sorted(
        [
            f"Court hearing ({ref})",
            f"Plan step due ({ref})",
            f"Planning meeting ({ref})",
            f"Service plan review ({ref})",
        ]
    )


def test_the_feed_is_in_the_language_its_owner_chose(client, alice, case, work):
    # given alice reads Kinplan in Norwegian; calendar apps send no session and no language
    alice.language = "nb"
    alice.save(update_fields=["language"])
    # when
    response = client.get(feed_of(client, alice), HTTP_ACCEPT_LANGUAGE="en")
    # then
    summaries = {str(e["summary"]) for e in events_in(response)}
    ref = case.reference
    expected = {f"Frist for tiltak i planen ({ref})", f"Rettsmøte ({ref})", f"Evaluering av tiltaksplan ({ref})"}
    assert expected <= summaries
    assert all(str(e["description"]).startswith("Åpne i Kinplan: http") for e in events_in(response))


def test_the_feed_names_no_child_and_no_step_details(client, alice, case, work):
    # when
    text = client.get(feed_of(client, alice)).content.decode()
    # then calendars on phones show references, not names
    assert child_of(case).given_name not in text
    assert "Tāmati" not in text and "Tamati" not in text


def test_a_colleagues_feed_does_not_hold_alices_cases(client, bob, work):
    # when
    response = client.get(feed_of(client, bob))
    # then
    assert response.status_code == 200
    assert events_in(response) == []


def test_a_new_address_stops_the_old_one_and_stopping_the_feed_stops_both(client, alice, work):
    # given
    old = feed_of(client, alice)
    new = feed_of(client, alice)
    # then
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # when
    services.calendar_feed_revoke(actor=alice)
    # then
    assert client.get(new).status_code == 404


def test_an_unknown_address_or_a_deactivated_user_gets_nothing(client, alice, work):
    # given
    url = feed_of(client, alice)
    assert client.get(reverse("calendars:feed", args=["not-a-secret"])).status_code == 404
    # when
    alice.is_active = False
    alice.save()
    # then
    assert client.get(url).status_code == 404


def test_the_calendar_page_shows_a_new_address_once(client, alice):
    # given
    client.force_login(alice)
    # when
    issued = client.post(reverse("calendars:settings"), {"action": "issue"})
    later = client.get(reverse("calendars:settings"))
    # then
    address = issued.context["address"]
    assert "/calendar/" in address and address.endswith(".ics")
    assert address in issued.content.decode()
    assert address not in later.content.decode()
    assert later.context["feed"] is not None


def test_stopping_the_feed_from_the_page(client, alice):
    # given
    client.force_login(alice)
    client.post(reverse("calendars:settings"), {"action": "issue"})
    # when
    response = client.post(reverse("calendars:settings"), {"action": "stop"})
    # then
    assert response.status_code == 302
    assert client.get(reverse("calendars:settings")).context["feed"] is None


def test_a_meeting_invitation_lists_the_participants_with_an_email(client, alice, case, work):
    # given
    nan = PersonFactory(given_name="Mere", family_name="Ngata", email="mere@example.org")
    MeetingParticipant.objects.create(meeting=work, person=nan, is_required=True)
    client.force_login(alice)
    # when
    response = client.get(reverse("calendars:meeting", args=[case.pk, work.pk]))
    # then
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:mere@example.org"]
    assert str(event["location"]) == "Nan's home"


def test_someone_who_cannot_see_the_case_gets_no_invitation(client, charlie, case, work):
    client.force_login(charlie)
    assert client.get(reverse("calendars:meeting", args=[case.pk, work.pk])).status_code == 404


def test_the_feed_costs_the_same_queries_for_one_step_or_many(alice, case, django_assert_max_num_queries):
    # given one step, counted
    plan = PlanFactory(case=case)
    goal = GoalFactory(plan=plan)
    StepFactory(goal=goal, due_on=soon(3))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert len(selectors.calendar_events(alice)) == 1
    # when there are ten
    for n in range(9):
        StepFactory(goal=goal, due_on=soon(4 + n))
    # then
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(selectors.calendar_events(alice)) == 10


# --- the calendar through the API ----------------------------------------------------------------------


def test_a_script_reads_its_calendar_and_gets_a_feed_address_once(client, alice, case, work):
    # given
    client.force_login(alice)
    # when
    before = client.get("/api/v1/me/calendar").json()
    issued = client.post("/api/v1/me/calendar/feed")
    after = client.get("/api/v1/me/calendar").json()
    # then
    assert before["feed"] is None
    assert "Ring Tāmati's school" not in str(before["events"])  # the feed names no step details, nor does this
    assert any(event["location"] == "Nan's home" for event in before["events"])
    assert issued.status_code == 201, issued.content
    address = issued.json()["address"]
    assert "/calendar/" in address and address.endswith(".ics")
    assert client.get(address.removeprefix("http://testserver")).status_code == 200
    assert after["feed"]["prefix"] == issued.json()["prefix"] and "address" not in after["feed"]


def test_stopping_the_feed_through_the_api_stops_its_address(client, alice, work):
    client.force_login(alice)
    address = client.post("/api/v1/me/calendar/feed").json()["address"].removeprefix("http://testserver")
    response = client.post("/api/v1/me/calendar/feed/stop")
    assert response.status_code == 200, response.content
    assert response.json()["feed"] is None
    assert client.get(address).status_code == 404
    assert AuditEvent.objects.filter(event="calendar.feed.revoked", actor=alice).count() == 1


def test_a_read_only_token_cannot_issue_or_stop_a_feed(client, alice):
    from kinplan.accounts.services import api_token_create
    from kinplan.calendars.models import CalendarFeed

    _token, raw = api_token_create(actor=alice, name="diary", read_only=True)
    services.calendar_feed_issue(actor=alice)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me/calendar", **headers).status_code == 200
    assert client.post("/api/v1/me/calendar/feed", **headers).status_code == 403
    assert client.post("/api/v1/me/calendar/feed/stop", **headers).status_code == 403
    assert CalendarFeed.objects.filter(user=alice, revoked_at__isnull=True).count() == 1


def test_signing_in_is_needed_for_the_calendar_api(client):
    assert client.get("/api/v1/me/calendar").status_code == 401
    assert client.post("/api/v1/me/calendar/feed").status_code == 401


def test_a_script_gets_a_meetings_invitation_as_the_page_does(client, alice, case, work):
    nan = PersonFactory(given_name="Mere", family_name="Ngata", email="mere@example.org")
    MeetingParticipant.objects.create(meeting=work, person=nan, is_required=True)
    client.force_login(alice)
    response = client.get(f"/api/v1/meetings/{work.pk}/invitation.ics")
    assert response.status_code == 200, response.content
    assert response.content == client.get(reverse("calendars:meeting", args=[case.pk, work.pk])).content


def test_someone_who_cannot_see_the_case_gets_no_invitation_through_the_api(client, charlie, case, work):
    client.force_login(charlie)
    assert client.get(f"/api/v1/meetings/{work.pk}/invitation.ics").status_code == 404
    assert client.get("/api/v1/meetings/abc/invitation.ics").status_code == 422

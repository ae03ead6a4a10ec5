"""The notification list, its badge, marking read, the settings page and the same over the API."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.notifications.models import Notification, ReminderKind, ReminderPreference


@pytest.fixture
def reminders(alice, bob, case):
    def make(user, n, **extra):
        return Notification.objects.create(
            recipient=user,
            kind=ReminderKind.STEP_OVERDUE,
            key=f"k{n}",
            title=f"Reminder {n}",
            url=f"/cases/{case.pk}/",
            case=case,
            **extra,
        )

    return [make(alice, 1), make(alice, 2), make(alice, 3, in_app=False), make(bob, 4)]


def test_the_list_shows_only_ones_own_in_app_reminders(client, alice, reminders):
    client.force_login(alice)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Reminder 1" in page and "Reminder 2" in page
    assert "Reminder 3" not in page and "Reminder 4" not in page
    assert "You have 2 unread reminders." in page


def test_the_badge_counts_unread(client, alice, reminders):
    client.force_login(alice)
    assert ">2</span>" in client.get(reverse("notifications:badge")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert client.get(reverse("notifications:badge")).content.decode().strip() == ""


def test_opening_a_reminder_marks_it_read_and_goes_to_it(client, alice, reminders, case):
    client.force_login(alice)
    response = client.post(reverse("notifications:open", args=[reminders[0].pk]))
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    reminders[0].refresh_from_db()
    assert reminders[0].read_at is not None


def test_nobody_reads_another_persons_reminder(client, alice, reminders):
    client.force_login(alice)
    assert client.post(reverse("notifications:read", args=[reminders[3].pk])).status_code == 404
    assert client.post(reverse("notifications:open", args=[reminders[3].pk])).status_code == 404
    reminders[3].refresh_from_db()
    assert reminders[3].read_at is None


def test_mark_read_with_htmx_returns_the_item(client, alice, reminders):
    client.force_login(alice)
    response = client.post(reverse("notifications:read", args=[reminders[0].pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'id="notification-{reminders[0].pk}"' in body and "unread" not in body.split(">")[0]


def test_an_empty_list_says_what_comes_here(client, alice):
    client.force_login(alice)
    assert "No reminders yet" in client.get(reverse("notifications:list")).content.decode()


def test_settings_save_language_and_choices_with_history(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("notifications:settings"),
        {"language": "nb", "step_overdue__in_app": "on", "step_overdue__by_email": "on"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "nb"
    overdue = ReminderPreference.objects.get(user=alice, kind=ReminderKind.STEP_OVERDUE)
    assert overdue.in_app and overdue.by_email
    due_soon = ReminderPreference.objects.get(user=alice, kind=ReminderKind.STEP_DUE_SOON)
    assert not due_soon.in_app and not due_soon.by_email
    event = AuditEvent.objects.get(event="user.settings.changed")
    assert event.changes["language"] == ["", "nb"]
    assert event.changes["reminders.step_overdue"] == ["in_app", "in_app,email"]
    # The next page is in Norwegian.
    assert 'lang="nb"' in client.get(reverse("notifications:settings")).content.decode()


def test_a_language_not_offered_is_refused_and_nothing_changes(client, alice):
    client.force_login(alice)
    response = client.post(reverse("notifications:settings"), {"language": "xx"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    alice.refresh_from_db()
    assert alice.language == "" and not ReminderPreference.objects.exists()


def test_the_api_lists_and_marks_read(client, alice, reminders):
    client.force_login(alice)
    data = client.get("/api/v1/notifications").json()
    assert data["unread_count"] == 2 and [i["title"] for i in data["items"]] == ["Reminder 2", "Reminder 1"]
    assert client.post(f"/api/v1/notifications/{reminders[3].pk}/read").status_code == 404
    assert client.post(f"/api/v1/notifications/{reminders[0].pk}/read").json() == {"marked_read": 1}
    assert client.get("/api/v1/notifications?unread=true").json()["unread_count"] == 1
    assert client.post("/api/v1/notifications/read-all").json() == {"marked_read": 1}


def test_the_api_reads_and_writes_settings(client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/me/settings").json()["reminders"]["step_overdue"] == {"in_app": True, "by_email": False}
    body = {"language": "nb", "reminders": {"step_overdue": {"in_app": False, "by_email": True}}}
    response = client.put("/api/v1/me/settings", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["reminders"]["step_overdue"] == {"in_app": False, "by_email": True}
    alice.refresh_from_db()
    assert alice.language == "nb"


@pytest.mark.parametrize(
    "body, field",
    [({"language": "xx"}, "language"), ({"reminders": {"no_such_kind": {"in_app": True}}}, "reminders")],
)
def test_the_api_refuses_bad_settings_and_keeps_the_old(client, alice, body, field):
    client.force_login(alice)
    response = client.put("/api/v1/me/settings", json.dumps(body), content_type="application/json")
    assert response.status_code == 422 and field in response.json()["errors"]
    alice.refresh_from_db()
    assert alice.language == "" and not ReminderPreference.objects.exists()


def test_the_api_pages_through_ones_notifications_by_key_newest_first(client, alice, case):
    # given 7 reminders, two of them made at the same moment
    same_moment = timezone.now()
    made = []
    for n in range(7):
        made.append(
            Notification.objects.create(
                recipient=alice, kind=ReminderKind.STEP_OVERDUE, key=f"p{n}", title=f"R{n}", url="/", case=case
            )
        )
    Notification.objects.filter(pk__in=[made[2].pk, made[3].pk]).update(created_at=same_moment)
    Notification.objects.exclude(pk__in=[made[2].pk, made[3].pk]).filter(pk__gt=made[3].pk).update(
        created_at=same_moment + datetime.timedelta(seconds=1)
    )
    client.force_login(alice)
    # when read three at a time
    seen, after = [], 0
    while True:
        page = client.get(f"/api/v1/notifications?limit=3&after={after}").json()
        seen += [item["title"] for item in page["items"]]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    # then each comes once, newest first, as the whole list reads
    assert seen == [item["title"] for item in client.get("/api/v1/notifications?limit=50").json()["items"]]
    assert sorted(seen) == [f"R{n}" for n in range(7)]


def test_the_api_refuses_a_page_key_that_is_not_ones_own(client, alice, bob, reminders):
    client.force_login(alice)
    response = client.get(f"/api/v1/notifications?after={reminders[3].pk}")  # bob's
    assert response.status_code == 422 and "after" in response.json()["errors"]

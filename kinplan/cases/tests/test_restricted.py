"""Restricted cases: only named users see them; anyone else whose role reaches the case must give a reason to
open it (break the glass), which is kept in history and reported to the site manager. Withheld addresses are
shown only to the case's statutory staff."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kinplan.accounts.services import api_token_create
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases import selectors, services
from kinplan.cases.models import Case, GlassBreak, Household, Person
from kinplan.cases.permissions import can_view_case, cases_visible_to
from kinplan.cases.tests.factories import HouseholdFactory, child_of
from kinplan.notifications.models import Notification
from kinplan.notifications.services import issue_reminders

pytestmark = pytest.mark.django_db

REASON = "The school rang: she has not arrived and mum is not answering."


@pytest.fixture
def restricted(case, supervisor):
    """Alice's case, restricted by her supervisor: named are the supervisor and alice (its worker)."""
    return services.case_restriction_set(
        actor=supervisor, case=case, restricted=True, reason="Mum works in our office."
    )


def bearer(user, read_only=False):
    _token, raw = api_token_create(actor=user, name="script", read_only=read_only)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- who sees a restricted case ------------------------------------------------------------------------


def test_restricting_names_the_actor_and_the_worker_and_hides_the_case_from_everyone_else(
    restricted, alice, supervisor, site_manager, national_manager
):
    assert set(restricted.named_users.values_list("user__username", flat=True)) == {"alice", "sam"}
    assert can_view_case(alice, restricted) and can_view_case(supervisor, restricted)
    assert not can_view_case(site_manager, restricted)
    assert not cases_visible_to(national_manager).filter(pk=restricted.pk).exists()


def test_a_named_user_sees_the_case_as_before(client, restricted, site_manager, supervisor):
    services.case_restriction_set(
        actor=supervisor, case=restricted, restricted=True, reason="Mum works here.", named_users=[site_manager]
    )
    client.force_login(site_manager)
    response = client.get(reverse("cases:detail", args=[restricted.pk]))
    assert response.status_code == 200
    assert "Restricted" in response.content.decode()


def test_restricting_needs_a_reason_and_changes_nothing_without_one(case, supervisor):
    with pytest.raises(ValidationError) as refused:
        services.case_restriction_set(actor=supervisor, case=case, restricted=True, reason="  ")
    assert "restricted_reason" in refused.value.error_dict
    case.refresh_from_db()
    assert not case.is_restricted and not case.named_users.exists()
    assert not AuditEvent.objects.filter(event="case.restricted").exists()


def test_only_someone_whose_role_reaches_the_case_can_be_named(case, supervisor, charlie):
    with pytest.raises(ValidationError) as refused:
        services.case_restriction_set(actor=supervisor, case=case, restricted=True, reason="VIP", named_users=[charlie])
    assert "cannot see this case in their role" in str(refused.value)
    case.refresh_from_db()
    assert not case.is_restricted


def test_a_social_worker_cannot_restrict_their_case(case, alice):
    with pytest.raises(PermissionDenied):
        services.case_restriction_set(actor=alice, case=case, restricted=True, reason="VIP")


def test_restricting_and_lifting_are_in_history_with_who_was_named(restricted, supervisor):
    event = AuditEvent.objects.get(event="case.restricted", case=restricted)
    assert event.actor == supervisor
    assert event.changes["is_restricted"] == [False, True]
    assert event.changes["named_users"][0] == []
    services.case_restriction_set(actor=supervisor, case=restricted, restricted=False)
    lifted = AuditEvent.objects.get(event="case.unrestricted", case=restricted)
    assert lifted.changes["is_restricted"] == [True, False]
    assert not restricted.named_users.exists()


def test_a_newly_allocated_worker_is_named_on_the_restricted_case(restricted, supervisor, bob):
    services.case_update(actor=supervisor, case=restricted, data={"worker": bob})
    assert can_view_case(bob, restricted)


# --- breaking the glass ------------------------------------------------------------------------------


def test_an_unnamed_user_whose_role_reaches_the_case_is_asked_for_a_reason_and_sees_nothing_of_it(
    client, restricted, site_manager
):
    client.force_login(site_manager)
    response = client.get(reverse("cases:detail", args=[restricted.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert restricted.reference in page and "break the glass" in page
    assert restricted.name not in page and child_of(restricted).given_name not in page
    assert not RecordView.objects.filter(user=site_manager).exists()


def test_someone_whose_role_does_not_reach_the_case_gets_not_found(client, restricted, charlie):
    client.force_login(charlie)
    assert client.get(reverse("cases:detail", args=[restricted.pk])).status_code == 404
    response = client.post(reverse("cases:break_glass", args=[restricted.pk]), {"reason": REASON})
    assert response.status_code == 404
    assert not GlassBreak.objects.exists()


def test_a_short_reason_is_refused_and_nothing_is_opened(client, restricted, site_manager):
    client.force_login(site_manager)
    response = client.post(reverse("cases:break_glass", args=[restricted.pk]), {"reason": "need it"})
    assert response.status_code == 400
    assert "at least 15 characters" in response.content.decode()
    assert not GlassBreak.objects.exists()
    assert not can_view_case(site_manager, restricted)


def test_breaking_the_glass_opens_the_case_logs_the_reason_and_goes_back_to_the_page(
    client, restricted, site_manager, settings
):
    client.force_login(site_manager)
    wanted = reverse("cases:edit", args=[restricted.pk])
    response = client.post(reverse("cases:break_glass", args=[restricted.pk]), {"reason": REASON, "next": wanted})
    assert response.status_code == 302 and response.url == wanted
    opening = GlassBreak.objects.get(case=restricted, user=site_manager)
    assert opening.reason == REASON
    hours = (opening.expires_at - opening.at).total_seconds() / 3600
    assert hours == pytest.approx(settings.KINPLAN_BREAK_GLASS_HOURS, abs=0.01)
    event = AuditEvent.objects.get(event="case.glass_broken", case=restricted)
    assert event.actor == site_manager and event.changes["reason"] == [None, REASON]
    assert client.get(reverse("cases:detail", args=[restricted.pk])).status_code == 200


def test_break_glass_never_sends_one_to_another_site(client, restricted, site_manager):
    client.force_login(site_manager)
    response = client.post(
        reverse("cases:break_glass", args=[restricted.pk]), {"reason": REASON, "next": "https://evil.example/x"}
    )
    assert response.url == reverse("cases:detail", args=[restricted.pk])


def test_emergency_access_runs_out(restricted, site_manager):
    opening = services.case_break_glass(actor=site_manager, case=restricted, reason=REASON)
    assert can_view_case(site_manager, restricted)
    GlassBreak.objects.filter(pk=opening.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not can_view_case(site_manager, restricted)


def test_one_who_may_already_open_the_case_has_no_glass_to_break(restricted, supervisor):
    with pytest.raises(PermissionDenied):
        services.case_break_glass(actor=supervisor, case=restricted, reason=REASON)


def test_the_site_managers_are_told_of_each_opening_and_the_opener_is_not(
    restricted, site_manager, other_site_manager, national_manager, site
):
    type(site_manager).objects.create(username="tama", role="site_manager", site=site, email="tama@example.org")
    services.case_break_glass(actor=national_manager, case=restricted, reason=REASON)
    services.case_break_glass(actor=site_manager, case=restricted, reason=REASON)
    issue_reminders()
    told = Notification.objects.filter(kind="glass_broken")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["mere", "tama", "tama"]
    assert not told.filter(recipient=other_site_manager).exists()
    text = told.filter(recipient=site_manager).get().title
    assert restricted.reference in text and restricted.name not in text
    issue_reminders()
    assert told.count() == 3  # each opening is told once


def test_the_site_manager_sees_the_openings_and_the_hidden_cases_by_reference_only(
    client, restricted, site_manager, national_manager
):
    services.case_break_glass(actor=national_manager, case=restricted, reason=REASON)
    client.force_login(site_manager)
    page = client.get(reverse("cases:restricted")).content.decode()
    assert REASON in page and str(national_manager) in page
    assert restricted.reference in page and restricted.name not in page


def test_the_caseload_says_how_many_restricted_cases_are_not_shown(client, restricted, site_manager):
    client.force_login(site_manager)
    page = client.get(reverse("cases:caseload") + "?scope=site").content.decode()
    assert "1 restricted case is not shown" in page
    assert restricted.name not in page


def test_the_glass_break_report_is_for_site_managers_of_the_site_only(restricted, national_manager, supervisor):
    services.case_break_glass(actor=national_manager, case=restricted, reason=REASON)
    assert not selectors.glass_breaks_reported_to(user=supervisor).exists()
    assert not selectors.glass_breaks_reported_to(user=national_manager).exists()


# --- the same through the API --------------------------------------------------------------------------


def test_the_api_refuses_a_restricted_case_with_the_way_to_open_it(client, restricted, site_manager):
    response = client.get(f"/api/v1/cases/{restricted.pk}", **bearer(site_manager))
    assert response.status_code == 403
    assert "restricted" in response.json()["detail"] and restricted.name not in response.content.decode()
    listed = client.get("/api/v1/restricted-cases", **bearer(site_manager)).json()
    assert [item["reference"] for item in listed] == [restricted.reference]


def test_breaking_the_glass_through_the_api(client, restricted, site_manager):
    auth = bearer(site_manager)
    short = client.post(
        f"/api/v1/cases/{restricted.pk}/break-glass", json.dumps({"reason": "x"}), "application/json", **auth
    )
    assert short.status_code == 422 and "reason" in short.json()["errors"]
    opened = client.post(
        f"/api/v1/cases/{restricted.pk}/break-glass", json.dumps({"reason": REASON}), "application/json", **auth
    )
    assert opened.status_code == 201 and opened.json()["reason"] == REASON
    assert client.get(f"/api/v1/cases/{restricted.pk}", **auth).status_code == 200
    report = client.get("/api/v1/glass-breaks", **auth).json()
    assert [item["user_name"] for item in report] == [str(site_manager)]


def test_restricting_through_the_api(client, case, supervisor, site_manager, alice):
    auth = bearer(supervisor)
    body = {"restricted": True, "reason": "High-profile case", "named_user_ids": [site_manager.pk]}
    response = client.put(f"/api/v1/cases/{case.pk}/restriction", json.dumps(body), "application/json", **auth)
    assert response.status_code == 200
    assert sorted(user["id"] for user in response.json()["named_users"]) == sorted(
        [supervisor.pk, site_manager.pk, alice.pk]
    )
    refused = client.put(
        f"/api/v1/cases/{case.pk}/restriction",
        json.dumps({"restricted": False}),
        "application/json",
        **bearer(alice),
    )
    assert refused.status_code == 403
    assert Case.objects.get(pk=case.pk).is_restricted


# --- withheld addresses ------------------------------------------------------------------------------


@pytest.fixture
def safe_house(case):
    return HouseholdFactory(case=case, name="Nan's", address="12 Secret Street", address_is_confidential=True)


def test_a_withheld_address_is_shown_to_the_worker_and_not_to_the_support_service(
    client, case, safe_house, alice, support_caseworker
):
    Case.objects.filter(pk=case.pk).update(
        support_service=support_caseworker.organisation, support_worker=support_caseworker
    )
    client.force_login(alice)
    assert "12 Secret Street" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.force_login(support_caseworker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "12 Secret Street" not in page and "Address withheld" in page


def test_a_withheld_person_address_is_empty_in_the_api_for_the_national_manager(client, case, national_manager, alice):
    mother = Person.objects.get(participations__case=case, participations__role="parent")
    Person.objects.filter(pk=mother.pk).update(address="3 Hidden Lane", address_is_confidential=True)
    seen = client.get(f"/api/v1/people/{mother.pk}", **bearer(national_manager)).json()
    assert seen["address"] == "" and seen["address_withheld"] is True
    assert client.get(f"/api/v1/people/{mother.pk}", **bearer(alice)).json()["address"] == "3 Hidden Lane"


def test_withholding_an_address_is_in_history(case, safe_house, alice):
    services.household_update(actor=alice, household=safe_house, data={"address_is_confidential": False})
    event = AuditEvent.objects.filter(event="case.household.updated").latest("id")
    assert event.changes["address_is_confidential"] == [True, False]
    assert not Household.objects.get(pk=safe_house.pk).address_is_confidential


def test_breaking_the_glass_asks_for_the_password_again_after_a_while(client, restricted, site_manager, settings):
    client.force_login(site_manager)
    session = client.session
    session["kinplan_proved_at"] = 0  # signed in long ago
    session.save()
    response = client.post(reverse("cases:break_glass", args=[restricted.pk]), {"reason": REASON})
    assert response.status_code == 302 and reverse("accounts:confirm") in response.url
    assert not GlassBreak.objects.exists()


# --- the forms and the API that set these -------------------------------------------------------------


def test_restricting_on_the_page_saves_the_named_users(client, case, supervisor, site_manager, alice):
    client.force_login(supervisor)
    url = reverse("cases:restriction", args=[case.pk])
    refused = client.post(url, {"is_restricted": "on", "restricted_reason": "", "named_users": [site_manager.pk]})
    assert refused.status_code == 400 and not Case.objects.get(pk=case.pk).is_restricted
    saved = client.post(
        url, {"is_restricted": "on", "restricted_reason": "In the news.", "named_users": [site_manager.pk]}
    )
    assert saved.status_code == 302
    named = Case.objects.get(pk=case.pk).named_users.values_list("user__username", flat=True)
    assert set(named) == {"sam", "alice", site_manager.username}


def test_the_api_tells_who_is_named_and_why(client, restricted, supervisor):
    body = client.get(f"/api/v1/cases/{restricted.pk}/restriction", **bearer(supervisor)).json()
    assert body["restricted"] is True and body["reason"] == "Mum works in our office."
    assert {user["name"] for user in body["named_users"]} >= {str(supervisor)}


def test_an_address_is_withheld_from_the_household_form(client, case, alice):
    client.force_login(alice)
    response = client.post(
        reverse("cases:object_add", args=[case.pk, "household"]),
        {"name": "Refuge", "address": "1 Quiet Road", "address_is_confidential": "on"},
    )
    assert response.status_code == 302
    assert Household.objects.get(case=case, name="Refuge").address_is_confidential


def test_an_address_is_withheld_through_the_api(client, case, alice, national_manager):
    created = client.post(
        f"/api/v1/cases/{case.pk}/households",
        json.dumps({"name": "Refuge", "address": "1 Quiet Road", "address_is_confidential": True}),
        "application/json",
        **bearer(alice),
    )
    assert created.status_code == 201 and created.json()["address"] == "1 Quiet Road"
    seen = client.get(f"/api/v1/cases/{case.pk}/households", **bearer(national_manager)).json()
    refuge = next(house for house in seen if house["name"] == "Refuge")
    assert refuge["address"] == "" and refuge["address_withheld"] is True

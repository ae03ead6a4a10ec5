"""Signing in and out, where each role lands, and the /manage/ site that only administrators may use."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kinplan.accounts.models import Site, Team, User
from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.audit.models import AuditEvent

EVERY_ROLE_BUT_ADMINISTRATOR = [
    "alice",
    "supervisor",
    "site_manager",
    "support_caseworker",
    "support_manager",
    "national_manager",
]


def login(client: Any, request: Any, who: str) -> User:
    user = request.getfixturevalue(who)
    client.force_login(user)
    return user


# --- signing in and out ------------------------------------------------------------------------------


def test_the_login_page_opens_for_anyone(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Log in to Kinplan" in response.content.decode()


def test_a_user_with_the_right_password_is_signed_in_and_sent_home(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_signing_in_returns_the_user_to_the_page_they_asked_for(client, alice, case):
    wanted = reverse("cases:detail", args=[case.pk])
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": TEST_PASSWORD, "next": wanted})
    assert response.url == wanted


def test_signing_in_never_redirects_to_another_site(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_a_wrong_password_is_refused_with_a_message_and_no_session(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "not-her-password"})
    assert response.status_code == 200
    assert "Your username and password did not match." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_cannot_sign_in(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_opening_the_login_page_is_sent_home(client, alice):
    client.force_login(alice)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_logging_out_ends_the_session_and_returns_to_the_login_page(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("cases:caseload")).url.startswith(reverse("accounts:login"))


def test_logging_out_needs_a_post_so_a_link_cannot_sign_someone_out(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("cases:caseload")).status_code == 200


# --- where each role lands ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERY_ROLE_BUT_ADMINISTRATOR)
def test_staff_land_on_their_dashboard(client, request, who):
    login(client, request, who)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "dashboards/home.html"


def test_an_administrator_lands_on_the_management_site(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/"


# --- the /manage/ site ---------------------------------------------------------------------------------

MANAGE_PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:accounts_site_changelist",
    "admin:accounts_team_changelist",
    "admin:accounts_organisation_changelist",
    "admin:cases_iwi_changelist",
    "admin:accounts_user_add",
    "admin:accounts_site_add",
    "admin:accounts_team_add",
]


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_an_administrator_can_open_the_management_pages(client, administrator, alice, page):
    client.force_login(administrator)
    response = client.get(reverse(page))
    assert response.status_code == 200


def test_the_user_list_shows_each_users_role_and_site(client, administrator, alice):
    client.force_login(administrator)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "alice" in page
    assert "Social worker" in page
    assert "Wellington" in page


def test_an_administrator_can_open_a_users_and_a_sites_change_page(client, administrator, alice, site):
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_user_change", args=[alice.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_site_change", args=[site.pk])).status_code == 200


@pytest.mark.parametrize("who", EVERY_ROLE_BUT_ADMINISTRATOR)
@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_other_roles_are_sent_to_the_management_login(client, request, who, page):
    user = login(client, request, who)
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    refused = client.get(response.url).content.decode()
    assert f"You are authenticated as {user.username}, but are not authorized to access this page." in refused


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_anonymous_visitors_are_sent_to_the_management_login(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_superuser_can_open_the_management_site_whatever_their_role(client, alice):
    # is_superuser is how `createsuperuser` bootstraps the first administrator
    alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    assert client.get(reverse("admin:index")).status_code == 200


def test_nothing_can_be_deleted_from_the_management_site(client, administrator, site):
    client.force_login(administrator)
    delete = reverse("admin:accounts_site_delete", args=[site.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Site.objects.filter(pk=site.pk).exists()


def test_the_management_login_signs_in_an_administrator_but_not_a_social_worker(client, administrator, alice):
    response = client.post(
        reverse("admin:login"), {"username": "alice", "password": TEST_PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account." in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    client.logout()
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": TEST_PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


# --- saves on the management site are in the history ----------------------------------------------


def site_data(site: Site, **overrides: Any) -> dict[str, Any]:
    data = {"organisation": site.organisation_id, "name": site.name, "region": site.region, "is_active": "on"}
    return {**data, **overrides}


def test_renaming_a_site_writes_an_audit_event_with_before_and_after(client, administrator, site):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_site_change", args=[site.pk]), site_data(site, name="Te Whanganui-a-Tara")
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.name == "Te Whanganui-a-Tara"
    event = AuditEvent.objects.get()
    assert (event.actor, event.event, event.target_type, event.target_id) == (
        administrator,
        "admin.site.updated",
        "accounts.site",
        str(site.pk),
    )
    assert event.changes == {"name": ["Wellington", "Te Whanganui-a-Tara"]}


def test_adding_a_team_writes_an_audit_event(client, administrator, site):
    client.force_login(administrator)
    response = client.post(reverse("admin:accounts_team_add"), {"site": site.pk, "name": "North", "is_active": "on"})
    assert response.status_code == 302
    team = Team.objects.get(name="North")
    event = AuditEvent.objects.get()
    assert (event.actor, event.event, event.target_id) == (administrator, "admin.team.created", str(team.pk))
    assert event.changes["name"] == [None, "North"]


def test_adding_a_user_writes_an_audit_event_without_the_password(client, administrator, site, team):
    client.force_login(administrator)
    password = "a-long-and-unusual-passphrase-42"
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "hemi",
            "password1": password,
            "password2": password,
            "usable_password": "true",
            "first_name": "Hemi",
            "last_name": "Parata",
            "email": "hemi@example.org",
            "role": "supervisor",
            "organisation": site.organisation_id,
            "site": site.pk,
            "team": team.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    hemi = User.objects.get(username="hemi")
    assert (hemi.role, hemi.site, hemi.team) == ("supervisor", site, team)
    assert hemi.check_password(password)
    event = AuditEvent.objects.get(event="admin.user.created")
    assert (event.actor, event.target_id) == (administrator, str(hemi.pk))
    assert event.changes["role"] == [None, "supervisor"]
    assert not any("password" in field for field in event.changes)
    assert password not in str(event.changes)


def test_changing_a_users_role_writes_an_audit_event(client, administrator, alice, site, team):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_change", args=[alice.pk]),
        {
            "username": "alice",
            "first_name": alice.first_name,
            "last_name": alice.last_name,
            "email": "",
            "role": "supervisor",
            "organisation": site.organisation_id,
            "site": site.pk,
            "team": team.pk,
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    alice.refresh_from_db()
    assert alice.role == "supervisor"
    event = AuditEvent.objects.get()
    assert (event.actor, event.event, event.target_id) == (administrator, "admin.user.updated", str(alice.pk))
    assert event.changes == {"role": ["social_worker", "supervisor"]}


def test_moving_a_user_to_another_team_records_the_teams_by_name(client, administrator, alice, site, team, other_team):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_change", args=[alice.pk]),
        {
            "username": "alice",
            "first_name": alice.first_name,
            "last_name": alice.last_name,
            "email": "",
            "role": "social_worker",
            "organisation": site.organisation_id,
            "site": site.pk,
            "team": other_team.pk,
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get().changes == {"team": ["East (Wellington)", "West (Wellington)"]}


def test_a_save_with_a_mistake_writes_nothing(client, administrator, site):
    client.force_login(administrator)
    response = client.post(reverse("admin:accounts_site_change", args=[site.pk]), site_data(site, name=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["alice", "site_manager", "national_manager"])
def test_other_roles_cannot_save_on_the_management_site(client, request, site, who):
    login(client, request, who)
    response = client.post(reverse("admin:accounts_site_change", args=[site.pk]), site_data(site, name="Taken"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    site.refresh_from_db()
    assert site.name == "Wellington"
    assert not AuditEvent.objects.exists()


def test_a_deactivated_administrator_is_shut_out(client, administrator):
    client.force_login(administrator)
    administrator.is_active = False
    administrator.save()
    assert client.get(reverse("admin:index")).status_code == 302

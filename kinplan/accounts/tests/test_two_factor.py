"""Two-factor authentication (TOTP): anyone may set it up, managers and administrators must. Once set up, signing
in asks for the code; the API refuses an unverified browser session but not a personal API token.

The test settings require two-factor of no role (thousands of tests sign managers in without one); the tests here
switch the production rule on (the `required` fixture)."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinplan.accounts.admin import admin_site
from kinplan.accounts.services import api_token_create
from kinplan.accounts.signin import PROVED_AT
from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.accounts.tests.helpers import age_session, code_for_key, code_now, device_for
from kinplan.accounts.two_factor import sign_key, unsign_key
from kinplan.audit.models import AuditEvent

PRODUCTION_ROLES = ["site_manager", "support_manager", "national_manager", "administrator"]
LOGIN = reverse("accounts:login")
PAGE = reverse("accounts:two_factor")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
REMOVE = reverse("accounts:two_factor_remove")
SECURITY = reverse("accounts:security")


def setup_secret(page: str) -> str:
    return re.search(r'name="secret" value="([^"]+)"', page).group(1)


def set_up(client) -> TOTPDevice:
    """Open the set-up page and answer it with the code an app holding its secret shows."""
    secret = setup_secret(client.get(SETUP).content.decode())
    response = client.post(SETUP, {"secret": secret, "code": code_for_key(unsign_key(secret))})
    assert response.status_code == 302, response.content.decode()[:2000]
    return TOTPDevice.objects.get()


def verify(client, device, next_url=""):
    return client.post(VERIFY, {"code": code_now(device), "next": next_url})


# --- the production setting -----------------------------------------------------------------------


def test_production_requires_two_factor_of_managers_and_administrators():
    from config.settings import base

    assert base.KINPLAN_TWO_FACTOR_ROLES == PRODUCTION_ROLES


def test_the_test_settings_require_it_of_no_one(settings):
    assert settings.KINPLAN_TWO_FACTOR_ROLES == []


# --- setting it up --------------------------------------------------------------------------------


class TestSettingUp:
    def test_the_page_shows_a_qr_code_as_a_data_uri_and_the_secret_with_nothing_inline(self, client, alice):
        client.force_login(alice)
        response = client.get(SETUP)
        assert response.status_code == 200
        page = response.content.decode()
        assert '<img src="data:image/svg+xml' in page
        secret = unsign_key(setup_secret(page))
        assert re.search(r"<code>([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>", page)
        assert secret and secret not in page  # the hex key itself is not shown, only its base32 form
        main = page.split("<main", 1)[1]
        assert "<script" not in main and "style=" not in main
        assert 'src="http' not in main and 'href="http' not in main

    def test_the_right_code_turns_it_on_in_history_and_verifies_the_session(self, client, alice):
        # given
        client.force_login(alice)
        # when
        device = set_up(client)
        # then
        assert (device.user, device.confirmed) == (alice, True)
        event = AuditEvent.objects.get()
        assert (event.actor, event.event, event.target_id) == (alice, "account.two_factor.enabled", str(alice.pk))
        assert device.key not in str(event.changes)
        assert client.get(SECURITY).status_code == 200  # not asked for a code again in this session
        assert "On since" in client.get(SECURITY).content.decode()

    def test_a_wrong_code_is_refused_and_nothing_is_saved(self, client, alice):
        client.force_login(alice)
        secret = setup_secret(client.get(SETUP).content.decode())
        response = client.post(SETUP, {"secret": secret, "code": "000000"})
        assert response.status_code == 400
        assert "That code is not right." in response.content.decode()
        assert setup_secret(response.content.decode()) != ""  # the same secret again, to try once more
        assert unsign_key(setup_secret(response.content.decode())) == unsign_key(secret)
        assert not TOTPDevice.objects.exists()
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize("code", ["12345", "abcdef", ""])
    def test_a_code_must_be_six_digits(self, client, alice, code):
        client.force_login(alice)
        secret = setup_secret(client.get(SETUP).content.decode())
        assert client.post(SETUP, {"secret": secret, "code": code}).status_code == 400
        assert not TOTPDevice.objects.exists()

    def test_a_secret_kinplan_did_not_make_is_refused(self, client, alice):
        client.force_login(alice)
        key = "00" * 20
        response = client.post(SETUP, {"secret": sign_key(key) + "x", "code": code_for_key(key)})
        assert response.status_code == 400
        assert "This set-up page is too old." in response.content.decode()
        assert not TOTPDevice.objects.exists()

    def test_setting_up_twice_is_not_possible(self, client, alice):
        client.force_login(alice)
        set_up(client)
        response = client.get(SETUP)
        assert response.url == PAGE
        assert TOTPDevice.objects.count() == 1

    def test_setting_up_needs_a_recent_sign_in(self, client, alice):
        client.force_login(alice)
        age_session(client, PROVED_AT, seconds=11 * 60)
        assert client.get(SETUP).url.startswith(reverse("accounts:confirm"))


class TestRemoving:
    def test_removing_turns_it_off_in_history(self, client, alice):
        # given
        client.force_login(alice)
        set_up(client)
        # when
        response = client.post(REMOVE)
        # then
        assert response.url == PAGE
        assert not TOTPDevice.objects.exists()
        assert AuditEvent.objects.filter(event="account.two_factor.removed", actor=alice).exists()
        assert "Two-factor authentication is off." in client.get(PAGE).content.decode()

    def test_removing_needs_a_recent_sign_in_and_code(self, client, alice):
        client.force_login(alice)
        set_up(client)
        age_session(client, PROVED_AT, seconds=11 * 60)
        response = client.post(REMOVE, HTTP_REFERER=f"http://testserver{PAGE}")
        assert response.url == f"{reverse('accounts:confirm')}?next=%2Faccounts%2Ftwo-factor%2F"
        assert TOTPDevice.objects.exists()

    def test_an_administrator_can_turn_it_off_for_someone_who_lost_their_phone(self, client, alice, administrator):
        # given
        device_for(alice)
        client.force_login(administrator)
        # when
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "turn_off_two_factor", "_selected_action": [alice.pk]},
        )
        # then
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=alice).exists()
        event = AuditEvent.objects.get(event="account.two_factor.removed")
        assert (event.actor, event.target_id) == (administrator, str(alice.pk))


# --- signing in with it ---------------------------------------------------------------------------


class TestSigningIn:
    def test_a_user_who_set_it_up_is_asked_for_the_code_after_the_password(self, client, alice, case):
        # given
        device = device_for(alice)
        # when: the password
        response = client.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD, "next": SECURITY})
        # then: signed in, but every page asks for the code first
        assert response.url == SECURITY
        response = client.get(SECURITY)
        assert response.url == f"{VERIFY}?next=%2Faccounts%2Fsecurity%2F"
        assert "Enter your code" in client.get(response.url).content.decode()
        assert client.get(reverse("cases:detail", args=[case.pk])).url.startswith(VERIFY)
        # when: the code
        response = verify(client, device, SECURITY)
        # then
        assert response.url == SECURITY
        assert client.get(SECURITY).status_code == 200

    def test_a_wrong_code_is_refused(self, client, alice):
        device_for(alice)
        client.force_login(alice)
        response = client.post(VERIFY, {"code": "000000"})
        assert response.status_code == 400
        assert "That code is not right" in response.content.decode()
        assert client.get(SECURITY).url.startswith(VERIFY)

    def test_a_code_cannot_be_used_twice(self, client, alice, settings):
        settings.OTP_TOTP_THROTTLE_FACTOR = 0
        device = device_for(alice)
        client.force_login(alice)
        code = code_now(device)
        assert client.post(VERIFY, {"code": code}).status_code == 302
        client.logout()
        client.force_login(alice)
        assert client.post(VERIFY, {"code": code}).status_code == 400

    def test_many_wrong_codes_make_the_user_wait(self, client, alice):
        device = device_for(alice)
        client.force_login(alice)
        client.post(VERIFY, {"code": "000000"})
        response = client.post(VERIFY, {"code": code_now(device)})
        assert response.status_code == 400
        assert "Too many wrong codes" in response.content.decode()

    def test_the_code_page_offers_to_log_out(self, client, alice):
        device_for(alice)
        client.force_login(alice)
        assert client.post(reverse("accounts:logout")).url == LOGIN
        assert "_auth_user_id" not in client.session

    def test_a_user_without_a_device_is_not_asked(self, client, alice):
        client.force_login(alice)
        assert client.get(SECURITY).status_code == 200
        assert client.get(VERIFY).url == reverse("home")

    def test_next_must_be_on_this_site(self, client, alice):
        device = device_for(alice)
        client.force_login(alice)
        assert verify(client, device, "https://evil.example/").url == reverse("home")


# --- required for managers and administrators -----------------------------------------------------


@pytest.fixture
def required(settings):
    settings.KINPLAN_TWO_FACTOR_ROLES = PRODUCTION_ROLES


@pytest.mark.usefixtures("required")
class TestRequiredForManagers:
    @pytest.mark.parametrize("who", ["site_manager", "national_manager", "support_manager", "administrator"])
    def test_a_manager_without_a_device_is_sent_to_set_it_up(self, client, request, who):
        client.force_login(request.getfixturevalue(who))
        response = client.get(SECURITY)
        assert response.url == f"{SETUP}?next=%2Faccounts%2Fsecurity%2F"
        page = client.get(response.url).content.decode()
        assert "Your role requires two-factor authentication: set it up to continue." in page

    def test_after_setting_it_up_the_manager_goes_on_to_the_page_they_wanted(self, client, site_manager):
        client.force_login(site_manager)
        secret = setup_secret(client.get(f"{SETUP}?next={SECURITY}").content.decode())
        response = client.post(SETUP, {"secret": secret, "code": code_for_key(unsign_key(secret)), "next": SECURITY})
        assert response.url == SECURITY
        assert client.get(reverse("cases:caseload")).status_code == 200

    def test_a_manager_with_a_device_must_enter_the_code(self, client, site_manager):
        # given
        device = device_for(site_manager)
        client.force_login(site_manager)
        # then
        assert client.get(reverse("cases:caseload")).url.startswith(VERIFY)
        verify(client, device)
        assert client.get(reverse("cases:caseload")).status_code == 200

    def test_removing_the_device_sends_the_manager_straight_back_to_set_up(self, client, site_manager):
        device = device_for(site_manager)
        client.force_login(site_manager)
        verify(client, device)
        client.post(REMOVE)
        assert client.get(PAGE).url.startswith(SETUP)

    def test_htmx_requests_get_an_hx_redirect(self, client, site_manager):
        client.force_login(site_manager)
        response = client.get(
            reverse("cases:caseload"),
            {"q": "x"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver/cases/",
        )
        assert response["HX-Redirect"] == f"{SETUP}?next=%2Fcases%2F"

    def test_the_badge_polled_by_the_code_page_does_not_reload_it(self, client, site_manager):
        """The code page's top bar polls the notification badge: an HX-Redirect would reload the page under the
        person typing their code, with ever longer `next` links."""
        device_for(site_manager)
        client.force_login(site_manager)
        response = client.get(
            reverse("notifications:badge"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{VERIFY}"
        )
        assert response.status_code == 204
        assert "HX-Redirect" not in response
        assert response.content == b""

    @pytest.mark.parametrize("page", ["accounts:logout", "accounts:confirm"])
    def test_logging_out_and_confirming_stay_open(self, client, site_manager, page):
        client.force_login(site_manager)
        response = client.post(reverse(page), {"password": TEST_PASSWORD})
        assert response.status_code == 302
        assert not response.url.startswith(SETUP)

    def test_an_api_token_does_not_open_web_pages_to_an_unverified_session(self, client, site_manager, alice):
        """Someone with a manager's password and any token of their own must still give the manager's code."""
        device_for(site_manager)
        _token, raw = api_token_create(actor=alice, name="script")
        client.force_login(site_manager)
        response = client.get(reverse("cases:caseload"), HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 302 and response.url.startswith(VERIFY)

    def test_a_social_worker_may_go_without(self, client, alice):
        client.force_login(alice)
        assert client.get(reverse("cases:caseload")).status_code == 200
        assert "Your role requires" not in client.get(PAGE).content.decode()

    def test_the_api_refuses_an_unverified_managers_session_with_403(self, client, site_manager):
        client.force_login(site_manager)
        response = client.get("/api/v1/cases")
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Your role needs two-factor authentication: set it up in the browser first."
        }
        device = device_for(site_manager)
        client.force_login(site_manager)
        assert client.get("/api/v1/cases").json()["detail"].startswith("Enter your two-factor code")
        verify(client, device)
        assert client.get("/api/v1/cases").status_code == 200

    def test_a_personal_api_token_is_not_affected(self, client, site_manager):
        """The token stands in for the second factor: scripts cannot type codes."""
        _, raw = api_token_create(actor=site_manager, name="report")
        assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
        client.force_login(site_manager)  # an unverified session beside the token changes nothing
        assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    def test_a_wrong_token_does_not_open_an_unverified_session(self, client, site_manager):
        client.force_login(site_manager)
        assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer kp_wrong").status_code == 403

    def test_the_management_site_needs_the_code_too(self, client, administrator):
        device = device_for(administrator)
        client.force_login(administrator)
        assert client.get(reverse("admin:index")).url.startswith(VERIFY)
        verify(client, device)
        assert client.get(reverse("admin:index")).status_code == 200

    def test_the_management_site_itself_refuses_an_unverified_administrator(self, administrator):
        """Even without the middleware (belt and braces): has_permission asks for the second factor."""
        from django.contrib.sessions.backends.db import SessionStore

        request = RequestFactory().get("/manage/")
        request.user, request.session = administrator, SessionStore()
        request.user.is_verified = lambda: False
        assert admin_site.has_permission(request) is False
        request.user.is_verified = lambda: True
        assert admin_site.has_permission(request) is True


def test_without_the_requirement_an_administrator_uses_the_management_site_with_a_password(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 200


# --- the pages ------------------------------------------------------------------------------------


class TestThePages:
    def test_the_security_page_links_to_password_and_two_factor(self, client, alice):
        client.force_login(alice)
        page = client.get(SECURITY).content.decode()
        assert reverse("accounts:password_change") in page
        assert PAGE in page
        assert "Off: your password alone signs you in." in page
        assert "Kinplan signs you out after 30 minutes without activity, and 9 hours after you signed in." in page

    def test_the_two_factor_page_offers_set_up_or_removal(self, client, alice):
        client.force_login(alice)
        assert SETUP in client.get(PAGE).content.decode()
        set_up(client)
        page = client.get(PAGE).content.decode()
        assert REMOVE in page and "Two-factor authentication is on" in page

    @pytest.mark.parametrize("name", ["security", "two_factor", "two_factor_setup", "two_factor_verify"])
    def test_signing_in_is_needed(self, client, db, name):
        assert client.get(reverse(f"accounts:{name}")).url.startswith(LOGIN)

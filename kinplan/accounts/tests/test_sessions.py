"""Sessions end after 30 minutes without a request and 9 hours after sign-in; the login page says why. htmx gets
an HX-Redirect; the notification badge's polling is not activity; API tokens are not affected."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from kinplan.accounts.services import api_token_create
from kinplan.accounts.signin import LAST_SEEN, PROVED_AT, SIGNED_IN_AT
from kinplan.accounts.tests.helpers import age_session

PAGE = reverse("accounts:security")
LOGIN = reverse("accounts:login")
MINUTE = 60


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


class TestIdleTimeout:
    def test_after_30_minutes_without_a_request_the_user_is_signed_out_and_told_why(self, client, alice):
        # given
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        # when
        response = client.get(PAGE)
        # then
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next=%2Faccounts%2Fsecurity%2F"
        assert not is_signed_in(client)
        login_page = client.get(response.url).content.decode()
        assert "You were signed out after 30 minutes without activity." in login_page

    def test_a_request_within_30_minutes_keeps_the_session_and_restarts_the_clock(self, client, alice):
        # given
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=29 * MINUTE)
        before = client.session[LAST_SEEN]
        # when
        response = client.get(PAGE)
        # then
        assert response.status_code == 200
        assert client.session[LAST_SEEN] > before + 28 * MINUTE
        age_session(client, LAST_SEEN, seconds=29 * MINUTE)
        assert client.get(PAGE).status_code == 200

    def test_an_api_token_does_not_keep_an_idle_session_open_on_web_pages(self, client, alice, bob):
        _token, raw = api_token_create(actor=bob, name="script")
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        response = client.get(PAGE, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        assert not is_signed_in(client)

    @override_settings(KINPLAN_SESSION_IDLE_MINUTES=5)
    def test_the_idle_time_is_a_setting(self, client, alice):
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=6 * MINUTE)
        response = client.get(PAGE, follow=True)
        assert "You were signed out after 5 minutes without activity." in response.content.decode()

    def test_htmx_requests_get_an_hx_redirect_to_the_login_page_for_the_page_they_came_from(self, client, alice):
        # given
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        # when
        response = client.get(
            reverse("notifications:badge"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/caseload/"
        )
        # then
        assert response.status_code == 200
        assert response["HX-Redirect"] == f"{LOGIN}?next=%2Fcaseload%2F"
        assert not is_signed_in(client)

    def test_the_notification_badge_polling_does_not_keep_the_session_alive(self, client, alice):
        # given: 20 minutes idle, with the badge polling meanwhile
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=20 * MINUTE)
        before = client.session[LAST_SEEN]
        assert client.get(reverse("notifications:badge"), HTTP_HX_REQUEST="true").status_code == 200
        assert client.session[LAST_SEEN] == before
        # when: 11 more minutes
        age_session(client, LAST_SEEN, seconds=11 * MINUTE)
        # then
        assert client.get(PAGE).url.startswith(LOGIN)

    def test_a_session_ends_9_hours_after_sign_in_however_busy(self, client, alice):
        # given: signed in 9 hours ago, last request a minute ago
        client.force_login(alice)
        age_session(client, SIGNED_IN_AT, PROVED_AT, seconds=9 * 60 * MINUTE + 1)
        # when
        response = client.get(PAGE, follow=True)
        # then
        assert not is_signed_in(client)
        assert "You were signed out because a session lasts at most 9 hours." in response.content.decode()

    def test_signing_in_again_starts_afresh(self, client, alice):
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        client.get(PAGE)
        client.force_login(alice)
        assert client.get(PAGE).status_code == 200

    def test_the_message_is_in_the_users_language(self, client, alice):
        alice.language = "nb"
        alice.save()
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        response = client.get(PAGE, follow=True, HTTP_ACCEPT_LANGUAGE="nb")
        assert "Du ble logget ut etter 30 minutter uten aktivitet." in response.content.decode()


class TestTheApi:
    def test_a_request_with_an_api_token_is_not_affected_by_an_idle_browser_session(self, client, alice, case):
        # given: alice's browser session has been idle, and a script uses her token from the same client
        _, raw = api_token_create(actor=alice, name="script")
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        # when
        response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}")
        # then
        assert response.status_code == 200
        assert is_signed_in(client)

    def test_an_idle_session_on_the_api_is_signed_out_and_answered_401(self, client, alice):
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        response = client.get("/api/v1/cases")
        assert response.status_code == 401
        assert not is_signed_in(client)

    def test_a_wrong_token_does_not_save_an_idle_session(self, client, alice):
        client.force_login(alice)
        age_session(client, LAST_SEEN, seconds=31 * MINUTE)
        assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer kp_wrong").status_code == 401
        assert not is_signed_in(client)

"""Re-authentication: sensitive actions ask for the password (and code) again after 10 minutes; the confirm page
returns the user where they were going; the API gets a 403 with what to do, unless it uses a token."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from kinplan.accounts.models import ApiToken
from kinplan.accounts.reauth import ensure_recent_sign_in, recent_sign_in_required, sign_in_is_recent
from kinplan.accounts.services import api_token_create
from kinplan.accounts.signin import PROVED_AT, now_seconds
from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.accounts.tests.helpers import age_session, code_now, device_for

CONFIRM = reverse("accounts:confirm")
TOKENS = reverse("accounts:api_tokens")
SETUP = reverse("accounts:two_factor_setup")
MINUTE = 60


def stale(client) -> None:
    age_session(client, PROVED_AT, seconds=11 * MINUTE)


class TestTheDecorator:
    def test_a_fresh_sign_in_is_recent_enough(self, client, alice):
        client.force_login(alice)
        assert client.get(SETUP).status_code == 200

    def test_after_10_minutes_a_get_is_sent_to_confirm_and_back_to_the_same_page(self, client, alice):
        # given
        client.force_login(alice)
        stale(client)
        # when
        response = client.get(SETUP)
        # then
        assert response.status_code == 302
        assert response.url == f"{CONFIRM}?next=%2Faccounts%2Ftwo-factor%2Fsetup%2F"

    @override_settings(KINPLAN_REAUTH_MINUTES=30)
    def test_the_time_is_a_setting(self, client, alice):
        client.force_login(alice)
        stale(client)
        assert client.get(SETUP).status_code == 200

    def test_a_post_is_sent_back_to_the_page_holding_the_form(self, client, alice):
        # given
        client.force_login(alice)
        stale(client)
        # when
        response = client.post(TOKENS, {"name": "cron"}, HTTP_REFERER=f"http://testserver{TOKENS}?tab=2")
        # then: nothing created; after confirming, the user is back on the tokens page
        assert response.url == f"{CONFIRM}?next=%2Faccounts%2Ftokens%2F%3Ftab%3D2"
        assert not ApiToken.objects.exists()

    def test_a_post_without_a_same_site_referer_returns_to_its_own_url(self, client, alice):
        client.force_login(alice)
        stale(client)
        response = client.post(TOKENS, {"name": "cron"}, HTTP_REFERER="https://evil.example/accounts/tokens/")
        assert response.url == f"{CONFIRM}?next=%2Faccounts%2Ftokens%2F"

    def test_htmx_gets_an_hx_redirect(self, client, alice):
        client.force_login(alice)
        stale(client)
        response = client.post(
            TOKENS, {"name": "cron"}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{TOKENS}"
        )
        assert response.status_code == 200
        assert response["HX-Redirect"] == f"{CONFIRM}?next=%2Faccounts%2Ftokens%2F"

    def test_listing_tokens_needs_no_confirmation_only_creating_one(self, client, alice):
        client.force_login(alice)
        stale(client)
        assert client.get(TOKENS).status_code == 200

    def test_anonymous_visitors_are_sent_to_log_in(self, rf, db):
        from django.contrib.auth.models import AnonymousUser

        request = rf.get("/somewhere/")
        request.user = AnonymousUser()
        response = recent_sign_in_required(lambda r: HttpResponse("secret"))(request)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_is_a_plain_decorator_that_keeps_the_views_name(self):
        @recent_sign_in_required
        def audit_export(request):
            """Export the audit log."""

        assert audit_export.__name__ == "audit_export"
        assert audit_export.__doc__ == "Export the audit log."


class TestTheConfirmPage:
    def test_the_right_password_returns_the_user_to_next_and_counts_as_recent(self, client, alice):
        # given
        client.force_login(alice)
        stale(client)
        # when
        response = client.post(CONFIRM, {"password": TEST_PASSWORD, "next": TOKENS})
        # then
        assert response.status_code == 302
        assert response.url == TOKENS
        assert client.post(TOKENS, {"name": "cron"}).status_code == 200
        assert ApiToken.objects.filter(user=alice, name="cron").exists()

    def test_a_wrong_password_is_refused(self, client, alice):
        client.force_login(alice)
        stale(client)
        response = client.post(CONFIRM, {"password": "not-mine", "next": TOKENS})
        assert response.status_code == 400
        assert "That is not your password." in response.content.decode()
        assert client.post(TOKENS, {"name": "cron"}).status_code == 302

    def test_next_must_be_on_this_site(self, client, alice):
        client.force_login(alice)
        response = client.post(CONFIRM, {"password": TEST_PASSWORD, "next": "https://evil.example/"})
        assert response.url == reverse("home")

    def test_the_page_says_why_it_asks(self, client, alice):
        client.force_login(alice)
        page = client.get(f"{CONFIRM}?next={TOKENS}").content.decode()
        assert "This action needs your password, because you last gave it more than 10 minutes ago." in page
        assert f'value="{TOKENS}"' in page
        assert 'name="code"' not in page

    def test_a_two_factor_user_must_also_give_a_code(self, client, alice, settings):
        # given
        settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code
        device = device_for(alice)
        client.force_login(alice)
        page = client.get(CONFIRM).content.decode()
        assert 'name="code"' in page
        # when / then: the password alone, or with a wrong code, is not enough
        assert client.post(CONFIRM, {"password": TEST_PASSWORD}).status_code == 400
        wrong = client.post(CONFIRM, {"password": TEST_PASSWORD, "code": "000000"})
        assert wrong.status_code == 400
        assert "That code is not right" in wrong.content.decode()
        # and: with the code it is
        response = client.post(CONFIRM, {"password": TEST_PASSWORD, "code": code_now(device), "next": TOKENS})
        assert response.url == TOKENS

    def test_signing_in_is_needed(self, client, db):
        assert client.get(CONFIRM).url.startswith(reverse("accounts:login"))


class TestForTheApi:
    def request_for(self, user, proved_seconds_ago: int | None, **headers):
        request = RequestFactory().post("/api/v1/something", **headers)
        request.user = user
        request.session = SessionStore()
        if proved_seconds_ago is not None:
            request.session[PROVED_AT] = now_seconds() - proved_seconds_ago
        return request

    def test_a_recent_session_may_go_ahead(self, alice):
        request = self.request_for(alice, 60)
        assert sign_in_is_recent(request)
        ensure_recent_sign_in(request)  # no exception

    @pytest.mark.parametrize("proved", [11 * MINUTE, None])
    def test_an_old_session_is_refused_with_what_to_do(self, alice, proved):
        with pytest.raises(PermissionDenied) as refused:
            ensure_recent_sign_in(self.request_for(alice, proved))
        assert str(refused.value) == (
            "Confirm your password in the browser first: open /accounts/confirm/, then try again."
        )

    def test_an_api_token_counts_as_recent(self, alice):
        _, raw = api_token_create(actor=alice, name="script")
        assert sign_in_is_recent(self.request_for(alice, None, HTTP_AUTHORIZATION=f"Bearer {raw}"))

    def test_someone_elses_or_a_wrong_token_does_not(self, alice, bob):
        _, bobs = api_token_create(actor=bob, name="script")
        assert not sign_in_is_recent(self.request_for(alice, None, HTTP_AUTHORIZATION=f"Bearer {bobs}"))
        assert not sign_in_is_recent(self.request_for(alice, None, HTTP_AUTHORIZATION="Bearer kp_wrong"))

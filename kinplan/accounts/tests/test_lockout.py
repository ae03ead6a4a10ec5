"""Sign-in throttling: five failures lock a username for 15 minutes (a friendly 429 page), on the login page and on
/manage/'s; administrators see lockouts in /manage/ and can unlock, in history."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.audit.models import AuditEvent

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
WRONG = "not-the-password"


def sign_in(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def fail(client, username, times, url=LOGIN):
    return [sign_in(client, username, WRONG, url).status_code for _ in range(times)]


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


class TestTheLockout:
    def test_four_failures_only_warn_and_say_what_the_fifth_will_do(self, client, alice):
        assert fail(client, "alice", 4) == [200] * 4
        page = sign_in(client, "alice", WRONG).content.decode()
        assert "Too many failed sign-ins" in page
        response = sign_in(client, "bob-who-does-not-exist", WRONG)
        assert "After 5 failed attempts in a row, the username is locked for 15 minutes." in response.content.decode()

    def test_five_failures_lock_the_username_even_against_the_right_password(self, client, alice):
        # when
        statuses = fail(client, "alice", 5)
        # then: the fifth failure already shows the lockout page
        assert statuses == [200, 200, 200, 200, 429]
        response = sign_in(client, "alice", TEST_PASSWORD)
        assert response.status_code == 429
        assert not is_signed_in(client)
        page = response.content.decode()
        assert "This account is locked for 15 minutes after 5 failed attempts to sign in." in page
        assert "ask a Kinplan administrator" in page

    def test_a_success_resets_the_count(self, client, alice):
        # given: four failures, then the right password
        fail(client, "alice", 4)
        assert sign_in(client, "alice", TEST_PASSWORD).status_code == 302
        client.logout()
        # when: four more failures
        statuses = fail(client, "alice", 4)
        # then: not locked, and the right password still works
        assert statuses == [200] * 4
        assert sign_in(client, "alice", TEST_PASSWORD).status_code == 302
        assert is_signed_in(client)

    def test_another_username_is_not_affected(self, client, alice, bob):
        fail(client, "alice", 5)
        assert sign_in(client, "bob", TEST_PASSWORD).status_code == 302
        assert is_signed_in(client)

    def test_the_lock_lifts_after_the_cool_off(self, client, alice):
        fail(client, "alice", 5)
        sixteen_minutes_ago = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=16)
        AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)
        assert sign_in(client, "alice", TEST_PASSWORD).status_code == 302

    def test_the_lockout_page_names_whom_to_ask_when_configured(self, client, alice, settings):
        settings.KINPLAN_SIGN_IN_HELP = "the IT service desk on 0800 123 456"
        fail(client, "alice", 5)
        page = sign_in(client, "alice", TEST_PASSWORD).content.decode()
        assert "You can also ask the IT service desk on 0800 123 456." in page

    def test_the_lockout_page_is_translated(self, client, alice):
        fail(client, "alice", 5)
        response = client.post(LOGIN, {"username": "alice", "password": WRONG}, HTTP_ACCEPT_LANGUAGE="nb")
        assert response.status_code == 429
        assert "For mange mislykkede innlogginger" in response.content.decode()

    def test_the_management_login_is_throttled_too(self, client, administrator):
        assert fail(client, "admin", 5, ADMIN_LOGIN)[-1] == 429
        response = sign_in(client, "admin", TEST_PASSWORD, ADMIN_LOGIN)
        assert response.status_code == 429
        assert not is_signed_in(client)

    def test_failures_on_either_login_page_count_together(self, client, administrator):
        fail(client, "admin", 3, ADMIN_LOGIN)
        assert fail(client, "admin", 2) == [200, 429]

    def test_guessing_a_password_on_the_confirm_page_locks_the_account(self, client, alice):
        client.force_login(alice)
        statuses = [client.post(reverse("accounts:confirm"), {"password": WRONG}).status_code for _ in range(5)]
        assert statuses == [400, 400, 400, 400, 429]

    def test_guessing_the_old_password_on_the_password_page_locks_the_account(self, client, alice):
        client.force_login(alice)
        new = "a long new passphrase 2026"
        body = {"old_password": WRONG, "new_password1": new, "new_password2": new}
        statuses = [client.post(reverse("accounts:password_change"), body).status_code for _ in range(5)]
        assert statuses == [400, 400, 400, 400, 429]


class TestAdministratorsSeeLockouts:
    def test_the_lockouts_page_lists_locked_usernames_and_failures(self, client, alice, administrator):
        # given
        fail(client, "alice", 5)
        fail(client, "nobody", 1)
        # when
        client.force_login(administrator)
        response = client.get(reverse("admin:sign_in_lockouts"))
        # then
        assert response.status_code == 200
        page = response.content.decode()
        assert "alice" in page and "nobody" in page
        assert page.count("Locked until") == 1
        assert "Not locked" in page
        assert AccessFailureLog.objects.filter(username="alice", locked_out=True).exists()

    def test_the_management_index_links_to_the_lockouts(self, client, administrator):
        client.force_login(administrator)
        page = client.get(reverse("admin:index")).content.decode()
        assert "Sign-in lockouts" in page
        assert reverse("admin:sign_in_lockouts") in page

    def test_an_administrator_can_unlock_and_it_is_in_history(self, client, alice, administrator):
        # given
        fail(client, "alice", 5)
        client.force_login(administrator)
        # when
        response = client.post(reverse("admin:sign_in_unlock"), {"username": "alice"})
        # then
        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username="alice").exists()
        event = AuditEvent.objects.get(event="account.sign_in.unlocked")
        assert (event.actor, event.target_id, event.changes) == (administrator, str(alice.pk), {"failures": [5, 0]})
        client.logout()
        assert sign_in(client, "alice", TEST_PASSWORD).status_code == 302

    def test_unlocking_an_unknown_username_changes_nothing(self, client, administrator):
        client.force_login(administrator)
        response = client.post(reverse("admin:sign_in_unlock"), {"username": "nobody"}, follow=True)
        assert "There is no user called nobody." in response.content.decode()
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize("who", ["alice", "site_manager"])
    def test_other_roles_cannot_see_or_unlock(self, client, request, who, administrator):
        fail(client, "admin", 5)
        client.force_login(request.getfixturevalue(who))
        assert client.get(reverse("admin:sign_in_lockouts")).url.startswith(ADMIN_LOGIN)
        assert client.post(reverse("admin:sign_in_unlock"), {"username": "admin"}).url.startswith(ADMIN_LOGIN)
        assert AccessAttempt.objects.filter(username="admin").exists()
        assert not AuditEvent.objects.exists()

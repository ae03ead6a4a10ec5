"""Changing one's own password: the policy in plain words, weak passwords refused, the change in history (never
the password)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.audit.models import AuditEvent

PAGE = reverse("accounts:password_change")
GOOD = "Tāmati-walks-to-kura-2026"


def change(client, new, old=TEST_PASSWORD, again=None):
    return client.post(PAGE, {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_signing_in_is_needed(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_page_explains_the_policy_in_plain_words(client, alice):
    client.force_login(alice)
    page = client.get(PAGE).content.decode()
    assert "at least 12 characters long" in page
    assert "not one of the 20,000 passwords most often found in stolen-password lists" in page
    assert "not only numbers" in page
    assert "not too like your name, username or e-mail address" in page


def test_the_policy_is_argon2_with_the_four_validators():
    """Production hashes with Argon2 (the test settings use a fast hasher); the validators are the same."""
    from config.settings import base

    assert settings.AUTH_PASSWORD_VALIDATORS == base.AUTH_PASSWORD_VALIDATORS
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    names = [v["NAME"].rsplit(".", 1)[1] for v in base.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("short-one", "This password is too short. It must contain at least 12 characters."),
        ("123456789012345", "This password is entirely numeric."),
        ("qwerty123456", "This password is too common."),
        ("mereana.whakatau@example", "The password is too similar to the email address."),
    ],
)
def test_a_weak_password_is_refused_with_a_clear_message(client, alice, weak, message):
    # given
    alice.email = "mereana.whakatau@example.org"
    alice.save()
    client.force_login(alice)
    # when
    response = change(client, weak)
    # then
    assert response.status_code == 400
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.exists()


def test_the_old_password_must_be_right(client, alice):
    client.force_login(alice)
    response = change(client, GOOD, old="not-my-password")
    assert response.status_code == 400
    assert "Your old password was entered incorrectly." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(TEST_PASSWORD)


def test_the_two_new_passwords_must_match(client, alice):
    client.force_login(alice)
    assert change(client, GOOD, again=GOOD + "x").status_code == 400


def test_a_good_password_is_set_the_session_goes_on_and_history_records_it_without_the_password(client, alice):
    # given
    client.force_login(alice)
    # when
    response = change(client, GOOD)
    # then
    assert response.status_code == 302
    assert response.url == reverse("accounts:security")
    alice.refresh_from_db()
    assert alice.check_password(GOOD)
    assert client.get(reverse("accounts:security")).status_code == 200  # still signed in
    event = AuditEvent.objects.get()
    assert (event.actor, event.event, event.target_id) == (alice, "account.password.changed", str(alice.pk))
    assert event.changes == {}
    assert GOOD not in str(event.__dict__) and TEST_PASSWORD not in str(event.__dict__)


def test_the_new_password_signs_in_and_the_old_one_does_not(client, alice):
    client.force_login(alice)
    change(client, GOOD)
    client.logout()
    login = reverse("accounts:login")
    assert client.post(login, {"username": "alice", "password": TEST_PASSWORD}).status_code == 200
    assert client.post(login, {"username": "alice", "password": GOOD}).status_code == 302

"""Personal API tokens: Bearer auth to the API, read-only tokens, revocation, and the tokens page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinplan.accounts.models import ApiToken, User
from kinplan.accounts.services import TOKEN_USE_RECORDED_EVERY, api_token_create, api_token_revoke
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Household, Participant, Person

API = "/api/v1"
TOKENS_PAGE = "/accounts/tokens/"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        Person.objects.count(),
        Participant.objects.count(),
        Household.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def alices_token(alice) -> str:
    _, raw = api_token_create(actor=alice, name="overdue report script")
    return raw


@pytest.fixture
def alices_read_only_token(alice) -> str:
    _, raw = api_token_create(actor=alice, name="dashboard", read_only=True)
    return raw


# --- Bearer auth ---------------------------------------------------------------------------------


class TestBearerTokens:
    def test_a_token_acts_as_its_user(self, client, alice, case, alices_token):
        # when
        response = client.get(f"{API}/cases", **bearer(alices_token))
        # then
        assert response.status_code == 200
        assert [item["id"] for item in response.json()["items"]] == [case.pk]

    def test_a_token_can_write_what_its_user_may_write_and_the_change_is_theirs(
        self, client, alice, case, alices_token
    ):
        # when
        response = client.patch(
            f"{API}/cases/{case.pk}",
            data={"summary": "From the script"},
            content_type="application/json",
            **bearer(alices_token),
        )
        # then
        assert response.status_code == 200, response.content
        event = AuditEvent.objects.get(case=case, event="case.updated")
        assert event.actor == alice
        assert event.changes == {"summary": ["", "From the script"]}

    def test_a_token_can_do_no_more_than_its_user(self, client, bob, case):
        # given: bob's token, and alice's case that bob may not see
        _, raw = api_token_create(actor=bob, name="bob's script")
        before = counts()
        # when
        read = client.get(f"{API}/cases/{case.pk}", **bearer(raw))
        write = client.patch(
            f"{API}/cases/{case.pk}", data={"summary": "x"}, content_type="application/json", **bearer(raw)
        )
        # then
        assert read.status_code == write.status_code == 404
        assert counts() == before

    def test_using_a_token_records_when_it_was_last_used(self, client, alice, alices_token):
        token = ApiToken.objects.get(user=alice)
        assert token.last_used_at is None
        client.get(f"{API}/iwi", **bearer(alices_token))
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_the_last_use_is_kept_to_the_minute_so_reads_do_not_write_each_time(
        self, client, alice, alices_token, django_assert_num_queries
    ):
        client.get(f"{API}/iwi", **bearer(alices_token))
        first = ApiToken.objects.get(user=alice).last_used_at
        with django_assert_num_queries(2):  # the token with its user, and the iwi: no write
            client.get(f"{API}/iwi", **bearer(alices_token))
        assert ApiToken.objects.get(user=alice).last_used_at == first
        # a minute later, the next use is written
        earlier = first - TOKEN_USE_RECORDED_EVERY
        ApiToken.objects.filter(user=alice).update(last_used_at=earlier)
        client.get(f"{API}/iwi", **bearer(alices_token))
        assert ApiToken.objects.get(user=alice).last_used_at > earlier

    def test_only_a_digest_of_the_token_is_stored(self, alice, alices_token):
        token = ApiToken.objects.get(user=alice)
        assert alices_token.startswith("kp_") and alices_token.startswith(token.prefix)
        assert token.digest == ApiToken.digest_of(alices_token)
        assert not ApiToken.objects.filter(digest=alices_token).exists()

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer kp_not-a-real-token",
            "Bearer ",
            "Token {raw}",
            "Bearer {raw}x",
            "Bearer {prefix}",
        ],
    )
    def test_a_wrong_token_is_a_401(self, client, alice, case, alices_token, header):
        # given
        prefix = ApiToken.objects.get(user=alice).prefix
        # when
        response = client.get(
            f"{API}/cases/{case.pk}", HTTP_AUTHORIZATION=header.format(raw=alices_token, prefix=prefix)
        )
        # then
        assert response.status_code == 401
        assert "Bearer" in response.json()["detail"]

    def test_a_revoked_token_is_a_401_at_once(self, client, alice, case, alices_token):
        # given
        assert client.get(f"{API}/cases", **bearer(alices_token)).status_code == 200
        # when
        api_token_revoke(actor=alice, token=ApiToken.objects.get(user=alice))
        # then
        assert client.get(f"{API}/cases", **bearer(alices_token)).status_code == 401
        before = counts()
        response = client.patch(
            f"{API}/cases/{case.pk}", data={"summary": "x"}, content_type="application/json", **bearer(alices_token)
        )
        assert response.status_code == 401
        assert counts() == before

    def test_a_token_of_a_user_who_has_left_is_a_401(self, client, alice, case, alices_token):
        # given
        User.objects.filter(pk=alice.pk).update(is_active=False)
        # when
        response = client.get(f"{API}/cases", **bearer(alices_token))
        # then
        assert response.status_code == 401

    def test_a_wrong_token_does_not_fall_back_to_someone_elses_session(self, client, alice, bob, case):
        """With a bad token and bob's session, the request is bob's (who cannot see the case), never alice's."""
        client.force_login(bob)
        response = client.get(f"{API}/cases/{case.pk}", **bearer("kp_wrong"))
        assert response.status_code == 404


class TestReadOnlyTokens:
    def test_a_read_only_token_can_read(self, client, alice, case, alices_read_only_token):
        response = client.get(f"{API}/cases/{case.pk}", **bearer(alices_read_only_token))
        assert response.status_code == 200
        assert response.json()["id"] == case.pk

    @pytest.mark.parametrize(
        ("method", "path", "payload"),
        [
            ("post", "/cases", {"name": "New", "child": {"given_name": "Aroha", "family_name": "Ngata"}}),
            ("patch", "/cases/{case}", {"summary": "Changed by a read-only token"}),
            ("post", "/cases/{case}/archive", None),
            ("post", "/cases/{case}/households", {"name": "Nan's house"}),
            ("patch", "/people/{person}", {"phone": "021 000 0000"}),
        ],
    )
    def test_a_read_only_token_cannot_write_and_nothing_changes(
        self, client, alice, case, alices_read_only_token, method, path, payload
    ):
        # given
        person = case.participants.get(role=Participant.Role.PARENT).person
        url = API + path.format(case=case.pk, person=person.pk)
        before = counts()
        # when
        kwargs = {"data": payload, "content_type": "application/json"} if payload is not None else {}
        response = getattr(client, method)(url, **kwargs, **bearer(alices_read_only_token))
        # then
        assert response.status_code == 403, response.content
        assert response.json() == {"detail": "This API token is read-only."}
        assert counts() == before
        case.refresh_from_db()
        assert (case.summary, case.archived_at) == ("", None)


# --- the tokens page -----------------------------------------------------------------------------


class TestTheTokensPage:
    def test_signing_in_is_needed(self, client):
        response = client.get(TOKENS_PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_a_new_token_is_shown_once_and_then_works(self, client, alice, case):
        # given
        client.force_login(alice)
        # when
        response = client.post(TOKENS_PAGE, {"name": "overdue report"})
        # then
        assert response.status_code == 200
        raw = response.context["new_token"]
        assert raw.startswith("kp_")
        assert raw in response.content.decode()
        token = ApiToken.objects.get(user=alice)
        assert (token.name, token.read_only, token.digest) == ("overdue report", False, ApiToken.digest_of(raw))
        # and: the next visit lists the token but never shows the raw value again
        again = client.get(TOKENS_PAGE).content.decode()
        assert "overdue report" in again and token.prefix in again
        assert raw not in again
        # and: the token works
        client.logout()
        assert client.get(f"{API}/cases/{case.pk}", **bearer(raw)).status_code == 200

    def test_a_read_only_token_can_be_made_from_the_page(self, client, alice, case):
        client.force_login(alice)
        response = client.post(TOKENS_PAGE, {"name": "dashboard", "read_only": "on"})
        raw = response.context["new_token"]
        assert ApiToken.objects.get(user=alice).read_only is True
        client.logout()
        write = client.patch(
            f"{API}/cases/{case.pk}", data={"summary": "x"}, content_type="application/json", **bearer(raw)
        )
        assert write.status_code == 403

    def test_a_token_needs_a_name(self, client, alice):
        client.force_login(alice)
        response = client.post(TOKENS_PAGE, {"name": "   "})
        assert response.status_code == 200
        assert response.context["new_token"] is None
        assert response.context["form"].errors
        assert not ApiToken.objects.exists()

    def test_the_page_lists_only_the_users_own_tokens(self, client, alice, bob):
        api_token_create(actor=bob, name="bob's secret script")
        api_token_create(actor=alice, name="alice's script")
        client.force_login(alice)
        page = client.get(TOKENS_PAGE).content.decode()
        assert "alice&#x27;s script" in page
        assert "bob&#x27;s secret script" not in page

    def test_revoking_a_token_stops_it_at_once(self, client, alice, case, alices_token):
        # given
        client.force_login(alice)
        token = ApiToken.objects.get(user=alice)
        # when
        response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
        # then
        assert response.status_code == 302
        assert response["Location"] == TOKENS_PAGE
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert AuditEvent.objects.filter(event="account.api_token.revoked", target_id=str(token.pk)).exists()
        client.logout()
        assert client.get(f"{API}/cases/{case.pk}", **bearer(alices_token)).status_code == 401

    def test_revoking_needs_a_post(self, client, alice, alices_token):
        client.force_login(alice)
        token = ApiToken.objects.get(user=alice)
        response = client.get(reverse("accounts:api_token_revoke", args=[token.pk]))
        assert response.status_code == 405
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_no_one_can_revoke_another_users_token(self, client, alice, bob, case, alices_token):
        # given
        client.force_login(bob)
        token = ApiToken.objects.get(user=alice)
        # when
        response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
        # then
        assert response.status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None
        client.logout()
        assert client.get(f"{API}/cases/{case.pk}", **bearer(alices_token)).status_code == 200

    def test_the_revoke_service_also_refuses_another_users_token(self, alice, bob, alices_token):
        from django.core.exceptions import PermissionDenied

        token = ApiToken.objects.get(user=alice)
        with pytest.raises(PermissionDenied):
            api_token_revoke(actor=bob, token=token)
        token.refresh_from_db()
        assert token.revoked_at is None


# --- one's own tokens through the API --------------------------------------------------------------


class TestTokensThroughTheApi:
    def test_a_user_lists_their_own_tokens_without_their_secrets(self, client, alice, bob, alices_token):
        # given
        api_token_create(actor=bob, name="bob's script")
        # when
        response = client.get(f"{API}/me/api-tokens", **bearer(alices_token))
        # then
        assert response.status_code == 200, response.content
        [listed] = response.json()
        assert listed["name"] == "overdue report script" and listed["prefix"] == alices_token[:10]
        assert alices_token not in response.content.decode() and "digest" not in listed

    def test_a_script_can_revoke_a_token_and_it_stops_at_once(self, client, alice, alices_token):
        # given
        spare = ApiToken.objects.get(user=alice)
        # when
        response = client.post(f"{API}/me/api-tokens/{spare.pk}/revoke", **bearer(alices_token))
        # then
        assert response.status_code == 200, response.content
        assert response.json()["revoked_at"] is not None
        assert client.get(f"{API}/me/api-tokens", **bearer(alices_token)).status_code == 401
        assert AuditEvent.objects.filter(event="account.api_token.revoked").count() == 1

    def test_another_users_token_is_not_found_and_stays_active(self, client, alice, bob, alices_token):
        client.force_login(bob)
        before = counts()
        response = client.post(f"{API}/me/api-tokens/{ApiToken.objects.get(user=alice).pk}/revoke")
        assert response.status_code == 404, response.content
        assert ApiToken.objects.get(user=alice).revoked_at is None and counts() == before

    def test_a_read_only_token_lists_but_cannot_revoke(self, client, alice, alices_read_only_token):
        token = ApiToken.objects.get(user=alice)
        assert client.get(f"{API}/me/api-tokens", **bearer(alices_read_only_token)).status_code == 200
        response = client.post(f"{API}/me/api-tokens/{token.pk}/revoke", **bearer(alices_read_only_token))
        assert response.status_code == 403, response.content
        token.refresh_from_db()
        assert token.revoked_at is None

    @pytest.mark.parametrize("token_id", ["abc", "1.5"])
    def test_a_token_id_that_is_not_a_whole_number_is_a_422_and_nothing_changes(self, client, alice, token_id):
        client.force_login(alice)
        before = counts()
        response = client.post(f"{API}/me/api-tokens/{token_id}/revoke")
        assert response.status_code == 422, response.content
        assert counts() == before

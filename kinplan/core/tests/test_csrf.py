"""CSRF everywhere: no page opts out, a form posted without the token is refused, and the API refuses a
cookie-session write without the token while a personal API token (not a cookie) needs none."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kinplan.accounts.services import api_token_create
from kinplan.api import api
from kinplan.cases.models import Household

pytestmark = pytest.mark.django_db


def url_patterns(patterns: list[Any] | None = None, prefix: str = "") -> list[tuple[str, Any]]:
    """(route, view) for every URL Kinplan serves."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_no_view_is_csrf_exempt_but_the_api_which_checks_csrf_itself():
    """django-ninja marks its views csrf_exempt and checks the token in its session auth instead (below)."""
    exempt = [(route, view) for route, view in url_patterns() if getattr(view, "csrf_exempt", False)]
    assert exempt, "expected django-ninja's API views"
    not_the_api = [
        route for route, view in exempt if not (route.startswith("api/v1/") and view.__module__ == "ninja.operation")
    ]
    assert not not_the_api


def test_no_api_operation_opts_out_of_the_csrf_check():
    exempt = [
        f"{sorted(operation.methods)} {path}"
        for _prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        if operation.csrf_exempt
    ]
    assert not exempt


def test_the_session_auth_checks_csrf():
    session_auth = [auth for auth in api.auth if type(auth).__name__ == "SessionAuth"]
    assert session_auth and all(auth.csrf for auth in session_auth)


@pytest.fixture
def browser(alice) -> Client:
    """A browser signed in as alice, which Django checks for the CSRF token like a real one."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("cases:caseload"))  # sets the CSRF cookie, as opening any page does
    return client


def csrf_token(client: Client) -> str:
    return client.cookies["csrftoken"].value


def add_household(client: Client, case, **headers: str):
    return client.post(
        f"/api/v1/cases/{case.pk}/households",
        data=json.dumps({"name": "Nan's house"}),
        content_type="application/json",
        headers=headers,
    )


def test_an_api_write_with_the_session_cookie_but_no_csrf_token_is_refused(browser, case):
    # when
    response = add_household(browser, case)
    # then
    assert response.status_code == 403
    assert not Household.objects.filter(case=case, name="Nan's house").exists()


def test_an_api_write_with_the_session_cookie_and_the_csrf_token_is_accepted(browser, case):
    response = add_household(browser, case, **{"X-CSRFToken": csrf_token(browser)})
    assert response.status_code == 201, response.content
    assert Household.objects.filter(case=case, name="Nan's house").exists()


def test_an_api_write_with_a_wrong_csrf_token_is_refused(browser, case):
    response = add_household(browser, case, **{"X-CSRFToken": "x" * 64})
    assert response.status_code == 403


def test_an_api_write_with_a_personal_token_needs_no_csrf_token(alice, case):
    # given a script with a token, and no cookie at all
    _token, raw = api_token_create(actor=alice, name="nightly export")
    script = Client(enforce_csrf_checks=True)
    # when
    response = add_household(script, case, Authorization=f"Bearer {raw}")
    # then
    assert response.status_code == 201, response.content


def test_an_api_read_with_the_session_cookie_needs_no_csrf_token(browser, case):
    assert browser.get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_a_form_posted_without_the_csrf_token_is_refused(browser, case):
    # when
    response = browser.post(reverse("cases:object_add", args=[case.pk, "household"]), {"name": "Koro's whare"})
    # then
    assert response.status_code == 403
    assert not Household.objects.filter(case=case, name="Koro's whare").exists()


def test_a_form_posted_with_the_csrf_token_is_accepted(browser, case):
    response = browser.post(
        reverse("cases:object_add", args=[case.pk, "household"]),
        {"name": "Koro's whare", "csrfmiddlewaretoken": csrf_token(browser)},
    )
    assert response.status_code == 302
    assert Household.objects.filter(case=case, name="Koro's whare").exists()


def test_the_csrf_cookie_is_out_of_reach_of_scripts(browser):
    assert browser.cookies["csrftoken"]["httponly"]

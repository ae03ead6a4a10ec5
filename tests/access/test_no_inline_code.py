"""Every page of the access matrix, opened by someone it answers 200, carries the strict Content Security Policy
and needs nothing the policy refuses: no inline script or style, no on…= handler, no javascript: URL, nothing
loaded from another host. A new page that breaks the policy fails here even if no browser test opens it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from kinplan.core.tests.csp_checks import assert_security_headers, inline_code_in
from tests.access.routes import OK, ROLES, Route
from tests.access.test_matrix import ALL_ROUTES, send, sign_in
from tests.access.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Any:
    """One world for the module, as in test_matrix.py; each test runs in a savepoint rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def readers(route: Route) -> list[str]:
    """The roles the route shows its page to (200), anonymous included when it is public."""
    return [who for who in ROLES if route.expected(who) == OK]


PAGES = [route for route in ALL_ROUTES if route.method == "GET" and not route.is_api and route.ok == 200]
# Pages that answer 200 to nobody would check nothing: they must not be here.
PAGES = [route for route in PAGES if readers(route)]


@pytest.mark.parametrize("route", PAGES, ids=str)
def test_each_page_has_the_policy_and_no_inline_code(client, world, route):
    for who in readers(route):
        # given
        client.logout()
        sign_in(client, world, who)
        # when
        response = send(client, route, world)
        # then
        assert response.status_code == 200, (who, response.content[:500])
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/pdf"):  # shown by the browser's PDF viewer: see middleware_security
            assert response["Content-Security-Policy"] == "frame-ancestors 'none'"
            break
        assert_security_headers(response)
        if not content_type.startswith("text/html"):
            break  # a calendar feed or JSON: the headers are what matters, and they are the same for everyone
        problems = inline_code_in(response.content.decode())
        assert problems == [], f"{route} as {who}: {problems}"


def test_the_sweep_covers_the_pages_people_use():
    keys = {route.key for route in PAGES}
    assert {"cases:caseload", "cases:detail", "planning:plan", "accounts:login", "admin:index"} <= keys
    assert len(PAGES) > 50

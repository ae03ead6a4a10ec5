"""Every case-scoped route of the matrix, on the world's cases once they are restricted to alice and her supervisor:
the site manager and the national manager (whose roles reach the case, but who are not named on it) are refused
every page and API operation, see nothing of the case, and change nothing."""

from __future__ import annotations

import pytest

from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, RestrictedCaseMember
from tests.access.routes import CASE_READ, CASE_WRITE
from tests.access.test_matrix import ALL_ROUTES, send, sign_in, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

CASE_ROUTES = [
    route for route in ALL_ROUTES if route.access in (CASE_READ, CASE_WRITE) and route.key != "cases:break_glass"
]
NOT_NAMED = ["site_manager", "national_manager", "allocated_support_caseworker"]


def restrict(world) -> list[str]:  # noqa: F811
    """Restrict every case of the world (routes open alice's other cases too); return the cases' names."""
    Case.objects.update(is_restricted=True, restricted_reason="A staff member's relative")
    RestrictedCaseMember.objects.bulk_create(
        RestrictedCaseMember(case=case, user=world.users[who], added_by=world.users["supervisor"])
        for case in Case.objects.all()
        for who in ("alice", "supervisor")
    )
    return list(Case.objects.values_list("name", flat=True))


def test_there_are_case_routes_to_sweep():
    assert len(CASE_ROUTES) > 150


@pytest.mark.parametrize("who", NOT_NAMED)
@pytest.mark.parametrize("route", CASE_ROUTES, ids=str)
def test_a_restricted_case_shows_nothing_to_those_not_named_on_it(client, world, route, who):  # noqa: F811
    # given
    names = restrict(world)
    sign_in(client, world, who)
    history_before = AuditEvent.objects.count()
    # when
    response = send(client, route, world)
    # then it is refused, with nothing of the case in the answer, and nothing changed
    assert response.status_code in (403, 404), response.content[:500]
    body = response.content.decode(errors="replace")
    assert not [name for name in names if name in body]
    assert world.child.given_name not in body
    assert AuditEvent.objects.count() == history_before


@pytest.mark.parametrize("route", [r for r in CASE_ROUTES if r.method == "GET"][:40], ids=str)
def test_a_named_user_still_opens_every_page(client, world, route):  # noqa: F811
    restrict(world)
    sign_in(client, world, "supervisor")
    assert send(client, route, world).status_code == route.ok

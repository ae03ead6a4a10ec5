"""Every route × every role: each answers as its access table says, refusals change nothing, and every
look at a child's record is logged. A route in the URL conf or the OpenAPI schema without an entry in
routes.py fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kinplan.accounts.admin import admin_site
from kinplan.api import api
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases.models import Iwi
from tests.access.routes import (
    ADMIN_LOGIN,
    ADMINISTRATOR,
    ADMINISTRATOR_NO_DELETE,
    LOGIN,
    OK,
    ROLES,
    ROUTES,
    Route,
    web,
)
from tests.access.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Any:
    """One world for the module; each test runs in a savepoint inside this transaction, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def first_of(model: Any) -> Any:
    """Any record of `model`, for an admin page that needs one (the world makes one of most things)."""
    return lambda w: model._default_manager.order_by("pk").values_list("pk", flat=True).first()


def admin_routes() -> list[Route]:
    """Every /manage/ page of every registered model: administrators only; nothing is ever deleted."""
    objects = {
        "user": lambda w: w.users["alice"].pk,
        "organisation": lambda w: w.users["alice"].organisation_id,
        "site": lambda w: w.users["alice"].site_id,
        "team": lambda w: w.users["alice"].team_id,
        "iwi": lambda w: Iwi.objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    routes = [
        Route("admin:index", web("admin:index"), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
        Route("admin:app_list", web("admin:app_list", lambda w: "accounts"), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
        Route("admin:password_change", web("admin:password_change"), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
        Route(
            "admin:auth_user_password_change",
            web("admin:auth_user_password_change", objects["user"]),
            ADMINISTRATOR,
            anonymous=ADMIN_LOGIN,
        ),
    ]
    objects |= {
        "servicetype": lambda w: w.extra["service_type"].pk,
        "provider": lambda w: w.extra["provider"].pk,
        "providerservice": lambda w: w.extra["offer"].pk,
    }
    for model in admin_site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = objects.get(model._meta.model_name, first_of(model))
        routes += [
            Route(f"{prefix}_changelist", web(f"{prefix}_changelist"), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
            Route(f"{prefix}_add", web(f"{prefix}_add"), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
            Route(f"{prefix}_change", web(f"{prefix}_change", obj), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
            Route(f"{prefix}_history", web(f"{prefix}_history", obj), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
            Route(f"{prefix}_delete", web(f"{prefix}_delete", obj), ADMINISTRATOR_NO_DELETE, anonymous=ADMIN_LOGIN),
        ]
    return routes


ALL_ROUTES = ROUTES + admin_routes()

# Routes served but not exercised here, each with the reason.
NOT_IN_MATRIX = {
    "admin:login": "the sign-in page for /manage/; tested in accounts",
    "admin:logout": "signs out of /manage/; tested in accounts",
    "admin:password_change_done": "a confirmation page after admin:password_change",
    "admin:autocomplete": "no admin uses autocomplete fields",
    "admin:jsi18n": "static JavaScript catalogue",
    "admin:view_on_site": "no registered model has a public page",
    "api:api-root": "django-ninja's root, which lists nothing",
}


def sign_in(client: Client, world: World, who: str) -> Any:
    if who == "anonymous":
        return None
    user = world.users[who]
    client.force_login(user)
    return user


def send(client: Client, route: Route, world: World) -> Any:
    url = route.url(world)
    body = route.body(world) if route.body else None
    if route.is_api:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        return client.generic(route.method, url, **kwargs)
    return client.post(url, body or {}) if route.method == "POST" else client.get(url)


def assert_answer(response: Any, route: Route, expected: Any) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    shown = body.decode(errors="replace")[:1500]
    if expected == OK:
        assert response.status_code == route.ok, shown
    elif expected == LOGIN:
        assert response.status_code == 302, shown
        assert response.url.startswith(reverse("accounts:login")), response.url
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, shown
        assert response.url.startswith(reverse("admin:login")), response.url
    else:
        assert response.status_code == expected, shown


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("route", ALL_ROUTES, ids=str)
def test_each_route_answers_each_role_as_its_access_table_says(client, world, route, who):
    # given
    user = sign_in(client, world, who)
    expected = route.expected(who)
    history_before = AuditEvent.objects.count()
    views_before = RecordView.objects.filter(user=user).count() if user else 0
    # when
    response = send(client, route, world)
    # then it answers as the table says
    assert_answer(response, route, expected)
    # a refusal changes nothing, and a permitted change is in history
    if expected != OK:
        assert AuditEvent.objects.count() == history_before
    elif route.is_write:
        assert AuditEvent.objects.count() > history_before
    # every look at a child's record is logged; a case one may not see is not even looked up
    if route.case_scoped and user is not None:
        looked = RecordView.objects.filter(user=user).count() > views_before
        assert looked is (expected in (OK, 403))


def served_web_routes() -> set[str]:
    """Every named URL outside the API, from the URL conf."""

    def walk(patterns: list[Any], namespace: str = "") -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                names |= walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        return names

    return {name for name in walk(get_resolver().url_patterns) if not name.startswith("api:") or "openapi" in name}


def served_api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} /api/v1{path.removeprefix('/api/v1')}"
        for path, ops in schema["paths"].items()
        for method in ops
    }


def test_every_route_is_in_the_matrix():
    """A new page or API operation fails here until routes.py says who may use it."""
    in_matrix = {route.key for route in ALL_ROUTES}
    served = served_web_routes() | served_api_operations()
    missing = served - in_matrix - set(NOT_IN_MATRIX)
    assert not missing, f"Add these routes to tests/access/routes.py: {sorted(missing)}"
    stale = in_matrix - served
    assert not stale, f"These routes in tests/access/routes.py are no longer served: {sorted(stale)}"

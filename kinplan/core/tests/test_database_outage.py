"""A database that cannot be reached answers 503 with a friendly page (JSON under /api/), never a 500."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import path

from kinplan.core.middleware_database import database_unavailable

FRIENDLY = "Kinplan can't reach its database just now. Nothing you saved is lost"


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


def connection_closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def something_else_broke(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("broken/", database_gone),
    path("closed/", connection_closed),
    path("bug/", something_else_broke),
    path("api/v1/broken", database_gone),
]


@pytest.fixture
def browser(client):
    """A client that gets the page a browser would, instead of the exception re-raised in the test."""
    client.raise_request_exception = False
    return client


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/broken/", "/closed/"])
def test_a_view_that_loses_the_database_answers_503_with_the_friendly_page(db, browser, url, caplog):
    # when
    with caplog.at_level(logging.ERROR, logger="kinplan.database"):
        response = browser.get(url)
    # then
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert FRIENDLY.replace("'", "&#x27;") in page
    assert "Traceback" not in page and "connection" not in page
    assert any("The database is unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.urls(__name__)
def test_the_api_gets_the_same_message_as_json(db, browser):
    response = browser.get("/api/v1/broken")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["detail"].startswith(FRIENDLY)


@pytest.mark.urls(__name__)
def test_the_page_speaks_the_browsers_language(db, browser):
    response = browser.get("/broken/", headers={"accept-language": "nb"})
    assert response.status_code == 503
    assert response["Content-Language"] == "nb"
    assert "databasen" in response.content.decode()


@pytest.mark.urls(__name__)
def test_any_other_error_is_still_a_500(db, browser):
    response = browser.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_database_failing_while_the_session_loads_answers_503_not_500(browser, alice, caplog):
    # given a signed-in social worker
    browser.force_login(alice)
    # when the database goes away as her session is read, before any view runs
    with (
        mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load",
            side_effect=OperationalError("could not connect to server: Connection refused"),
        ),
        caplog.at_level(logging.ERROR, logger="kinplan.database"),
    ):
        response = browser.get("/caseload/")
    # then
    assert response.status_code == 503
    assert FRIENDLY.replace("'", "&#x27;") in response.content.decode()
    assert any("Connection refused" in record.getMessage() for record in caplog.records)


def test_an_api_call_whose_session_cannot_load_answers_503_json(browser, alice):
    browser.force_login(alice)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("the database system is shutting down"),
    ):
        response = browser.get("/api/v1/cases")
    assert response.status_code == 503
    assert response.json()["detail"].startswith(FRIENDLY)


def test_the_page_is_made_without_touching_the_database():
    """No `db` fixture: pytest-django fails any query made here."""
    response = database_unavailable(RequestFactory().get("/caseload/"))
    assert response.status_code == 503
    assert b"Back to Kinplan" in response.content


def test_it_wraps_every_middleware_that_reads_the_database_but_not_static_files():
    middleware = settings.MIDDLEWARE
    ours = middleware.index("kinplan.core.middleware_database.DatabaseUnavailableMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == ours - 1
    assert ours < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert ours < middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")

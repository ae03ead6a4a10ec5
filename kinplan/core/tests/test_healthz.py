"""/healthz, the load balancer's health check: answers anyone, at once, without the database, and over plain HTTP
in production (where every other page redirects to HTTPS)."""

from __future__ import annotations

import runpy

import pytest


def test_it_answers_ok_as_plain_text_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n" and response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"


def test_it_answers_a_head_request_and_refuses_a_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_it_asks_nothing_of_the_database(client):
    # given no access to the database at all (this test has no `db` fixture: any query would fail the test)
    # when / then: a database outage leaves the app server in rotation, showing the friendly 503 page
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def production_redirects(settings, monkeypatch):
    """The production settings' HTTPS redirect and its exemptions, in force for this test."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    production = runpy.run_module("config.settings.production")
    settings.SECURE_SSL_REDIRECT = production["SECURE_SSL_REDIRECT"]
    settings.SECURE_REDIRECT_EXEMPT = production["SECURE_REDIRECT_EXEMPT"]


def test_in_production_it_answers_plain_http_where_every_page_redirects_to_https(client, production_redirects, db):
    assert client.get("/healthz").status_code == 200
    login = client.get("/accounts/login/")
    assert login.status_code == 301 and login.url.startswith("https://")

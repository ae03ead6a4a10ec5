"""The client's address behind load balancers: X-Forwarded-For counted from the right, never what a client wrote."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from kinplan.core.network import client_ip


def request(remote: str = "10.0.0.5", forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.5"),  # no proxy: the connection's address
        (0, "203.0.113.9", "10.0.0.5"),  # a header nobody trusted is ignored
        (1, "203.0.113.9", "203.0.113.9"),  # one load balancer, which appended the client's address
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client wrote its own header first: not taken
        (2, "203.0.113.9, 10.1.0.1", "203.0.113.9"),  # a proxy, then the load balancer
        (2, "203.0.113.9", "10.0.0.5"),  # not through both proxies: the connection's address
        (1, "", "10.0.0.5"),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(settings, proxies, forwarded, expected):
    settings.KINPLAN_TRUSTED_PROXIES = proxies
    assert client_ip(request(forwarded=forwarded)) == expected


def test_a_failed_sign_in_behind_the_load_balancer_records_the_clients_address(client, settings, alice):
    settings.KINPLAN_TRUSTED_PROXIES = 1
    client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": "not-the-password"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert AccessAttempt.objects.get(username="alice").ip_address == "203.0.113.9"

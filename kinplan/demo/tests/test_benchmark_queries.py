"""The pages the benchmark opens make as many queries on a data set five times the size: what a page costs in
queries depends on what it shows, never on how much the agency holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.pages import BENCHMARK_PAGES
from kinplan.accounts.models import User
from kinplan.accounts.services import api_token_create
from kinplan.demo.scale import ScaleSize, benchmark_visitors, generate

pytestmark = pytest.mark.django_db


def queries_per_page(visitors: dict[str, object], token: str) -> dict[str, int]:
    counts = {}
    for page in BENCHMARK_PAGES:
        if page.visitor == "token":
            client = Client(headers={"Authorization": f"Bearer {token}"})
        else:
            client = Client()
            if page.visitor:
                client.force_login(User.objects.get(username=visitors[page.visitor]))
        path = page.path.format(**visitors)
        client.get(path)  # once to warm what is loaded once a process (the organisation's terms, and so on)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (page.key, response.status_code)
        counts[page.key] = len(queries)
    return counts


def test_no_page_the_benchmark_opens_makes_more_queries_when_the_data_set_grows():
    generate(ScaleSize().scaled(250), seed=3)
    visitors = benchmark_visitors()
    _token, raw = api_token_create(actor=User.objects.get(username=visitors["worker"]), name="bench", read_only=True)
    small = queries_per_page(visitors, raw)

    generate(ScaleSize().scaled(1_000), seed=4)  # another agency four times the first beside it: five times the data

    assert queries_per_page(visitors, raw) == small  # the same people open the same pages

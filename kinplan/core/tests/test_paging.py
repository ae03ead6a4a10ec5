"""FoundOnce: a list paged from its ids gives the pages the queryset itself would."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from kinplan.cases.models import Case
from kinplan.cases.tests.factories import CaseFactory
from kinplan.core.paging import FoundOnce


@pytest.fixture
def cases(alice) -> None:
    for name in ["Kahu", "Aroha", "Mere", "Tama", "Hine", "Aroha", "Wiremu"]:
        CaseFactory(worker=alice, name=name)


@pytest.mark.parametrize("per_page", [1, 2, 3, 7, 10])
def test_each_page_holds_what_paging_the_queryset_gives(cases, per_page):
    queryset = Case.objects.order_by("name", "-id")
    expected, found = Paginator(queryset, per_page), Paginator(FoundOnce(queryset), per_page)
    assert found.count == expected.count == 7
    for number in expected.page_range:
        assert list(found.page(number)) == list(expected.page(number))


def test_the_matches_are_read_once_and_a_page_costs_one_query_more(cases, django_assert_num_queries):
    listed = FoundOnce(Case.objects.select_related("worker").order_by("name"))
    with django_assert_num_queries(2):
        page = Paginator(listed, 3).page(2)
        names = [(case.name, case.worker.username) for case in page]
    assert [name for name, _ in names] == ["Kahu", "Mere", "Tama"]
    with django_assert_num_queries(2):  # a row each
        assert (listed[0].name, listed[-1].name) == ("Aroha", "Wiremu")
    with pytest.raises(IndexError):
        listed[7]

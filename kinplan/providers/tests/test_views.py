"""The directory pages and a case's informal supports, as a worker uses them."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from kinplan.audit.models import AuditEvent, RecordView
from kinplan.providers.models import Provider, ProviderService
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory, service_type

pytestmark = pytest.mark.django_db


def test_the_directory_search_lists_providers_with_their_services_and_costs(client, alice):
    # given
    provider = ProviderFactory(name="Family Works", area_served="Porirua")
    ProviderServiceFactory(provider=provider, service_type=service_type("parenting_programme"), unit_cost=0)
    ProviderServiceFactory(provider=ProviderFactory(name="Elsewhere", area_served="Napier"))
    client.force_login(alice)
    # when
    response = client.get(reverse("providers:directory"), {"area": "porirua"})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Family Works" in page and "Parenting programme" in page and "no cost" in page
    assert "Elsewhere" not in page


def test_the_directory_shows_prices_with_the_currency_grouped_and_two_decimals(client, alice):
    provider = ProviderFactory(name="Family Works")
    ProviderServiceFactory(provider=provider, unit=ProviderService.Unit.NIGHT, unit_cost=Decimal("1200"))
    client.force_login(alice)
    page = client.get(reverse("providers:directory"), {"q": "family"}).content.decode()
    assert "$1,200.00 a night" in page


def test_the_directory_reads_in_norwegian_with_the_catalogue_and_prices_in_its_words(client, alice):
    # given alice reads Kinplan in Norwegian Bokmål
    provider = ProviderFactory(name="Family Works", area_served="Porirua")
    ProviderServiceFactory(provider=provider, service_type=service_type("parenting_programme"), unit_cost=0)
    ProviderServiceFactory(provider=provider, unit=ProviderService.Unit.NIGHT, unit_cost=Decimal("1200"))
    alice.language = "nb"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    # when
    page = unescape(client.get(reverse("providers:directory"), {"area": "porirua"}).content.decode())
    # then the page, the seeded service types, the units and the amounts are Norwegian
    assert "Tjenester og tilbydere" in page and "1 tilbyder." in page
    assert "Foreldreveiledningsprogram" in page and "gratis" in page
    assert "$1\N{NO-BREAK SPACE}200,00 per natt" in page
    assert "Parenting programme" not in page and "no cost" not in page


def test_with_htmx_the_search_answers_only_the_results(client, alice):
    ProviderFactory(name="Family Works")
    client.force_login(alice)
    response = client.get(reverse("providers:directory"), {"q": "family"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode() and "Family Works" in response.content.decode()


def test_searching_for_a_case_logs_the_view_and_shows_the_matches(client, alice, case):
    from kinplan.cases.models import Iwi

    porou = Iwi.objects.get(name="Ngāti Porou")
    case.participants.get(role="child").person.iwi.set([porou])
    ProviderFactory(name="Te Whare Tiaki", iwi=[porou])
    client.force_login(alice)
    page = client.get(reverse("providers:directory"), {"case": case.pk, "q": ""}).content.decode()
    assert "Match: Ngāti Porou" in page
    assert RecordView.objects.filter(user=alice, case=case).exists()


def test_an_informal_support_is_added_from_the_case_page_and_shown_there(client, alice, case):
    client.force_login(alice)
    response = client.post(
        reverse("providers:informal_add", args=[case.pk]),
        {"name": "Aunty Rose", "relationship": "Aunt", "description": "Drives Mum to appointments"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Aunty Rose" in page and "Drives Mum to appointments" in page


def test_an_informal_support_with_no_name_and_no_person_is_refused_and_nothing_saved(client, alice, case):
    client.force_login(alice)
    before = AuditEvent.objects.count()
    response = client.post(reverse("providers:informal_add", args=[case.pk]), {"relationship": "Aunt"})
    assert response.status_code == 400
    assert "This field cannot be blank." in response.content.decode()
    assert (Provider.objects.count(), AuditEvent.objects.count()) == (0, before)


def test_another_cases_informal_support_is_not_found_through_alices_case(client, alice, case, charlie_case):
    theirs = Provider.objects.create(name="Charlie's nan", kind="informal", case=charlie_case)
    client.force_login(alice)
    assert client.get(reverse("providers:informal_edit", args=[case.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("providers:detail", args=[theirs.pk])).status_code == 404


def test_the_directory_costs_the_same_queries_for_2_providers_as_for_20(client, alice, django_assert_num_queries):
    client.force_login(alice)
    for _ in range(2):
        ProviderServiceFactory()
    # session, user, providers, their iwi, their services, site (menu), service types (the form)
    with django_assert_num_queries(7):
        client.get(reverse("providers:directory"), {"q": ""})
    for _ in range(18):
        ProviderServiceFactory()
    with django_assert_num_queries(7):
        response = client.get(reverse("providers:directory"), {"q": ""})
    assert len(response.context["matches"]) == 20

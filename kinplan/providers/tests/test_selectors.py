"""Directory search: by service, area and words, macrons ignored; a family's cultural matches first."""

from __future__ import annotations

import pytest

from kinplan.cases.models import Iwi
from kinplan.providers.selectors import provider_search
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory, service_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    porou = Iwi.objects.get(name="Ngāti Porou")
    iwi_provider = ProviderFactory(
        name="Te Whare Tiaki", kind="iwi", area_served="Porirua", cultural_focus="Kaupapa Māori", iwi=[porou]
    )
    pasifika = ProviderFactory(name="Pasifika Family Services", area_served="Porirua", languages="Samoan, Tongan")
    city = ProviderFactory(name="Family Works", area_served="Wellington central", languages="English")
    ProviderServiceFactory(provider=iwi_provider, service_type=service_type("respite_care"))
    ProviderServiceFactory(provider=pasifika, service_type=service_type("parenting_programme"))
    ProviderServiceFactory(provider=city, service_type=service_type("parenting_programme"))
    return {"iwi": iwi_provider, "pasifika": pasifika, "city": city, "porou": porou}


def names(matches):
    return [m.provider.name for m in matches]


def test_search_by_service_and_area(alice, directory):
    found = provider_search(user=alice, service_type=service_type("parenting_programme"), area="porirua")
    assert names(found) == ["Pasifika Family Services"]
    assert [o.service_type.code for o in found[0].offers] == ["parenting_programme"]


@pytest.mark.parametrize(
    ("culture", "expected"),
    [
        ("maori", ["Te Whare Tiaki"]),
        ("Ngati Porou", ["Te Whare Tiaki"]),
        ("samoan", ["Pasifika Family Services"]),
        ("Søren", []),
    ],
)
def test_cultural_match_ignores_macrons_and_finds_iwi_by_name(alice, directory, culture, expected):
    assert names(provider_search(user=alice, culture=culture)) == expected


def test_for_a_family_the_cultural_matches_come_first_and_say_why(alice, case, directory):
    # given the child is Ngāti Porou and the mother speaks Samoan
    child = case.participants.get(role="child").person
    child.iwi.set([directory["porou"]])
    mother = case.participants.get(role="parent").person
    mother.preferred_language = "Samoan"
    mother.save()
    # when alice searches with the case
    found = provider_search(user=alice, case=case)
    # then the matches lead, each with its reason, and the rest follow alphabetically
    assert names(found) == ["Pasifika Family Services", "Te Whare Tiaki", "Family Works"]
    assert [m.cultural_match for m in found] == [["Samoan"], ["Ngāti Porou"], []]


def test_retired_providers_and_other_cases_informal_supports_are_not_found(alice, case, charlie_case, directory):
    from kinplan.providers.models import Provider

    directory["city"].is_active = False
    directory["city"].save()
    Provider.objects.create(name="Charlie's nan", kind="informal", case=charlie_case)
    mine = Provider.objects.create(name="Aroha's nan", kind="informal", case=case)
    assert "Family Works" not in names(provider_search(user=alice))
    assert "Charlie's nan" not in names(provider_search(user=alice, case=case))
    assert mine.name in names(provider_search(user=alice, case=case))
    assert mine.name not in names(provider_search(user=alice))  # informal supports only with their case

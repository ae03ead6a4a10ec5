"""Which language a person sees: their own choice, else their browser's, else English."""

from __future__ import annotations

from django.urls import reverse

from kinplan.core.terms import terms_for


def language_of(response):
    return response.headers["Content-Language"]


def test_english_without_a_choice(client, alice):
    client.force_login(alice)
    assert language_of(client.get(reverse("notifications:list"))) == "en-nz"


def test_the_browsers_language_when_kinplan_ships_it(client, alice):
    client.force_login(alice)
    response = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="nb-NO,nb;q=0.9,en;q=0.5")
    assert language_of(response) == "nb"
    assert "Varsler" in response.content.decode()
    response = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="fr-FR")
    assert language_of(response) == "en-nz"


def test_the_users_own_choice_beats_the_browser(client, alice):
    alice.language = "nb"
    alice.save()
    client.force_login(alice)
    response = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert language_of(response) == "nb"
    assert "Ingen påminnelser ennå" in response.content.decode()


def test_signing_in_loads_the_organisation_with_the_user(client, alice, django_assert_num_queries):
    """The terminology comes from the user's organisation at no extra query per page."""
    client.force_login(alice)
    request = client.get(reverse("notifications:badge")).wsgi_request
    assert request.user.organisation_id is not None
    with django_assert_num_queries(0):
        assert terms_for(request.user.organisation).child == "child"

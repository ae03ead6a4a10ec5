"""The case pages in Norwegian Bokmål, and in the organisation's own words for the child and the family."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinplan.cases.models import Participant
from kinplan.cases.tests.factories import CaseFactory, HouseholdFactory, ParticipantFactory, child_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_in_norwegian(alice):
    alice.language = "nb"
    alice.save(update_fields=["language"])
    return alice


def test_a_worker_who_chose_norwegian_reads_the_caseload_and_case_page_in_norwegian(client, worker_in_norwegian):
    # given
    case = CaseFactory(worker=worker_in_norwegian)
    ParticipantFactory(case=case, household=HouseholdFactory(case=case, is_childs_home=True))
    client.force_login(worker_in_norwegian)
    # when
    caseload = client.get(reverse("cases:caseload")).content.decode()
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # then
    assert '<html lang="nb">' in caseload
    assert "Mine saker" in caseload and "Logg ut" in caseload and '<th scope="col">Barn</th>' in caseload
    assert "Personer i saken" in detail and "Barnets team" in detail and "Barn bor her" in detail
    assert "People in the case" not in detail
    # the people's names and the case's name stay as they were typed
    assert case.name in detail and child_of(case).full_name in detail


def test_a_service_message_is_in_the_readers_language(client, worker_in_norwegian):
    # given
    case = CaseFactory(worker=worker_in_norwegian)
    client.force_login(worker_in_norwegian)
    # when she takes the only child out of the case
    child = case.participants.get(role=Participant.Role.CHILD)
    response = client.post(reverse("cases:object_archive", args=[case.pk, "participant", child.pk]))
    # then the refusal is in Norwegian
    assert response.status_code == 400
    assert "En sak må ha minst ett barn" in response.content.decode()


@pytest.mark.parametrize(
    ("child_term", "family_term", "new_case_heading", "column", "children_heading"),
    [
        ("child", "family", "1. Is the child already known?", "Children", "Child"),
        ("young_person", "family", "1. Is the young person already known?", "Young people", "Young person"),
        ("mokopuna", "whanau", "1. Is the mokopuna already known?", "Mokopuna", "Mokopuna"),
    ],
)
def test_the_case_pages_name_the_child_in_the_organisations_words(
    client, alice, child_term, family_term, new_case_heading, column, children_heading
):
    # given
    organisation = alice.organisation
    organisation.child_term, organisation.family_term = child_term, family_term
    organisation.save()
    case = CaseFactory(worker=alice)
    client.force_login(alice)
    # when
    new_case = client.get(reverse("cases:new")).content.decode()
    caseload = client.get(reverse("cases:caseload")).content.decode()
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # then
    assert new_case_heading in new_case
    assert f'<th scope="col">{column}</th>' in caseload
    assert f'<h2 id="children-h">{children_heading}</h2>' in detail

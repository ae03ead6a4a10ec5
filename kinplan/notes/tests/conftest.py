"""Notes fixtures: alice's case, allocated to the support service's caseworker pita, with two notes by alice: a
plain home visit about Mum, and a confidential phone call."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.cases.models import Case, Participant, Person
from kinplan.notes import services
from kinplan.notes.models import CaseNote

SECRET_TEXT = "Nan has moved to 12 Rata Street; Dad must not learn where."
SECRET_REASON = "Family violence: the caregiver's address is withheld from the father."
PLAIN_TEXT = "Visited Mum's flat: warm, food in the cupboards, Tama at school."


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def case(case: Case, support_caseworker: User, support_service: Organisation) -> Case:
    """Alice's case (a child and a mother), allocated to pita of the support service."""
    case.support_service, case.support_worker = support_service, support_caseworker
    case.save()
    return case


@pytest.fixture
def mother(case: Case) -> Person:
    return case.participants.get(role=Participant.Role.PARENT).person


@pytest.fixture
def plain_note(alice: User, case: Case, mother: Person) -> CaseNote:
    return services.note_create(
        actor=alice, case=case, kind="home_visit", occurred_on=days_ago(3), about=mother, text=PLAIN_TEXT
    )


@pytest.fixture
def secret_note(alice: User, case: Case) -> CaseNote:
    return services.note_create(
        actor=alice,
        case=case,
        kind="phone_call",
        occurred_on=days_ago(1),
        text=SECRET_TEXT,
        is_confidential=True,
        confidential_reason=SECRET_REASON,
    )

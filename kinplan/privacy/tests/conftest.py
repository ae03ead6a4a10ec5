"""Privacy fixtures: alice's case with a family around it (mother with a withheld household address, a plan step
she is responsible for, notes about her, one confidential); a closed case long past the retention period; and a
second site manager at alice's site, so two managers other than the requester can approve an erasure."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.cases.models import Case, Household, Participant, Person, Relationship
from kinplan.cases.tests.factories import CaseFactory, PersonFactory, child_of
from kinplan.notes import services as notes
from kinplan.planning import services as planning

MOTHER_NOTES = "Works nights at the hospital."
HOUSEHOLD_ADDRESS = "12 Rata Street, Naenae"
SECRET_NOTE = "Dad must not learn that Mum moved to Rata Street."
PLAIN_NOTE = "Visited Mum: warm, food in the cupboards."
STEP_WHAT = "Mum books the budget advisor"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def second_site_manager(site) -> User:
    return UserFactory(username="wiremu", role=User.Role.SITE_MANAGER, team=None, site=site)


@pytest.fixture
def mother(case: Case) -> Person:
    """Mum in alice's case: notes on her participation, in a household whose address is withheld."""
    person = case.participants.get(role=Participant.Role.PARENT).person
    Person.objects.filter(pk=person.pk).update(
        given_name="Hinemoa", family_name="Tawhiri", phone="021 555 0101", email="hinemoa@example.org"
    )
    person.refresh_from_db()
    household = Household.objects.create(
        case=case, name="Mum's flat", address=HOUSEHOLD_ADDRESS, address_is_confidential=True
    )
    case.participants.filter(person=person).update(notes=MOTHER_NOTES, household=household)
    Relationship.objects.create(case=case, person=person, child=child_of(case), kind=Relationship.Kind.MOTHER)
    return person


@pytest.fixture
def mothers_step(alice, case: Case, mother: Person):
    plan = planning.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    goal = planning.goal_add(actor=alice, plan=plan, data={"title": "A safe home"})
    return planning.step_add(
        actor=alice,
        goal=goal,
        data={"what": STEP_WHAT, "kind": "task", "responsible": "family", "responsible_person": mother},
    )


@pytest.fixture
def mothers_notes(alice, case: Case, mother: Person):
    plain = notes.note_create(
        actor=alice, case=case, kind="home_visit", occurred_on=days_ago(3), about=mother, text=PLAIN_NOTE
    )
    secret = notes.note_create(
        actor=alice,
        case=case,
        kind="phone_call",
        occurred_on=days_ago(1),
        about=mother,
        text=SECRET_NOTE,
        is_confidential=True,
        confidential_reason="Family violence.",
    )
    return plain, secret


@pytest.fixture
def old_case(alice) -> Case:
    """Alice's case, closed nine years ago: due for its retention review."""
    closed = timezone.localdate() - datetime.timedelta(days=9 * 366)
    child = PersonFactory(given_name="Rangi", family_name="Oldfield")
    return CaseFactory(
        worker=alice,
        name="Oldfield whānau",
        child=child,
        status=Case.Status.CLOSED,
        opened_on=closed - datetime.timedelta(days=400),
        closed_on=closed,
    )


@pytest.fixture
def recent_closed_case(alice) -> Case:
    """Alice's case, closed two years ago: not due yet."""
    closed = timezone.localdate() - datetime.timedelta(days=2 * 365)
    return CaseFactory(
        worker=alice, status=Case.Status.CLOSED, opened_on=closed - datetime.timedelta(days=90), closed_on=closed
    )

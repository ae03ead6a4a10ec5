from __future__ import annotations

import datetime

import factory

from kinplan.accounts.tests.factories import UserFactory
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_between", start_date="-16y", end_date="-1y")
    gender = Person.Gender.NOT_STATED


class CaseFactory(factory.django.DjangoModelFactory):
    """A case owned by `worker`, at the worker's site and team, with one child."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    worker = factory.SubFactory(UserFactory)
    site = factory.LazyAttribute(lambda c: c.worker.site)
    team = factory.LazyAttribute(lambda c: c.worker.team)
    name = factory.Sequence(lambda n: f"Family {n}")
    reference = factory.Sequence(lambda n: f"KP-T{n:05d}")
    opened_on = datetime.date(2026, 1, 5)

    @factory.post_generation
    def child(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            person = extracted or PersonFactory()
            Participant.objects.create(case=obj, person=person, role=Participant.Role.CHILD)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    role = Participant.Role.PARENT


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    case = factory.SubFactory(CaseFactory)
    name = "Family home"


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    child = factory.SubFactory(PersonFactory)
    kind = Relationship.Kind.MOTHER


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    role = TeamMember.Role.PARENT


def child_of(case: Case) -> Person:
    return case.participants.get(role=Participant.Role.CHILD).person

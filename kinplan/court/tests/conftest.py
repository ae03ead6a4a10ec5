"""Court fixtures: alice's case (one child, a mother) with Nan as the caregiver, a plan with steps, an order."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant, Person
from kinplan.cases.tests.factories import ParticipantFactory, PersonFactory, child_of
from kinplan.court import services
from kinplan.court.models import CourtOrder
from kinplan.court.tests.factories import days
from kinplan.planning import services as planning
from kinplan.planning.models import Plan, Step


@pytest.fixture
def child(case: Case) -> Person:
    return child_of(case)


@pytest.fixture
def mother(case: Case) -> Person:
    return case.participants.get(role=Participant.Role.PARENT).person


@pytest.fixture
def nan(case: Case) -> Person:
    """The child's grandmother, who cares for him and hopes to for good."""
    person = PersonFactory(given_name="Mere", family_name="Ngata")
    ParticipantFactory(case=case, person=person, role=Participant.Role.CAREGIVER)
    return person


@dataclass
class Planned:
    plan: Plan
    school: Step  # due in 20 days
    course: Step  # due in 40 days


@pytest.fixture
def planned(alice: User, case: Case) -> Planned:
    """A draft plan for the case with two steps (no assessment needed for a draft)."""
    plan = planning.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    goal = planning.goal_add(actor=alice, plan=plan, data={"title": "Tama is safe at home with Mum"})
    school = planning.step_add(
        actor=alice,
        goal=goal,
        data={"what": "Enrol Tama at Rāwhiti School", "responsible": "worker", "due_on": days(20)},
    )
    course = planning.step_add(
        actor=alice,
        goal=goal,
        data={"what": "Mum starts the Incredible Years course", "responsible": "family", "due_on": days(40)},
    )
    return Planned(plan, school, course)


@pytest.fixture
def order(alice: User, case: Case, child: Person) -> CourtOrder:
    """Custody of the child to the chief executive, made 200 days ago, with two conditions."""
    return services.order_create(
        actor=alice,
        case=case,
        data={
            "kind": "ce_custody",
            "child": child,
            "court": "Family Court at Porirua",
            "reference": "FAM-2026-091-000123",
            "made_on": days(-200),
            "review_on": days(60),
        },
        conditions=["Tama goes to school every day.", "Mum completes a parenting course."],
    )

"""The world the access matrix runs in: a user for every role and relation to alice's case, and a case
holding one of everything Kinplan records, so every route has something real to open or change.

Built once per module inside a transaction that is rolled back at the end; each test runs in a savepoint
inside it, so a test's writes never reach the next test.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import ApiToken, Organisation, User
from kinplan.accounts.services import api_token_create
from kinplan.accounts.tests.factories import OrganisationFactory, SiteFactory, TeamFactory, UserFactory
from kinplan.assessments.models import Assessment, Need, RiskFactor
from kinplan.assessments.tests.factories import (
    AssessmentFactory,
    CompletedAssessmentFactory,
    NeedFactory,
    RiskFactorFactory,
)
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.cases.tests.factories import (
    CaseFactory,
    HouseholdFactory,
    ParticipantFactory,
    PersonFactory,
    RelationshipFactory,
    TeamMemberFactory,
)
from kinplan.planning import services as planning
from kinplan.planning.models import Goal, NeedDeferral, Plan, Step

Role = User.Role
SOON = timezone.localdate() + datetime.timedelta(days=30)


@dataclass
class World:
    users: dict[str, User]
    case: Case  # alice's case, with one of everything
    child: Person
    mother: Participant
    nan: Participant
    household: Household
    relationship: Relationship
    mother_member: TeamMember
    nan_member: TeamMember
    completed: Assessment  # the case's completed assessment
    completed_factor: RiskFactor
    home_need: Need
    alcohol_need: Need
    draft: Assessment  # its reassessment, in draft
    draft_factor: RiskFactor
    draft_need: Need
    plan: Plan  # a draft plan answering `completed`, agreed by everyone required (so it may be agreed)
    goal: Goal  # long-term, answering `home_need`
    intermediate: Goal
    step: Step
    deferral: NeedDeferral  # `alcohol_need`, left for later
    active_case: Case  # alice's second case: an active plan, and no draft assessment
    active_plan: Plan
    fresh_case: Case  # alice's third case: assessed once, no plan and no draft, so both can be started
    token: ApiToken  # one of alice's API tokens
    extra: dict[str, Any] = field(default_factory=dict)  # later apps add their objects here


def _users() -> dict[str, User]:
    wellington, christchurch = SiteFactory(name="Wellington"), SiteFactory(name="Christchurch")
    east, west = TeamFactory(site=wellington, name="East"), TeamFactory(site=wellington, name="West")
    south = TeamFactory(site=christchurch, name="South")
    service = OrganisationFactory(name="Permanent Caregiver Support Service", kind=Organisation.Kind.SUPPORT_SERVICE)
    other_service = OrganisationFactory(name="Another Support Service", kind=Organisation.Kind.SUPPORT_SERVICE)
    nowhere: dict[str, Any] = {"team": None, "site": None}
    return {
        "alice": UserFactory(username="alice", team=east),
        "bob": UserFactory(username="bob", team=east),
        "supervisor": UserFactory(username="sam", role=Role.SUPERVISOR, team=east),
        "other_team_supervisor": UserFactory(username="olga", role=Role.SUPERVISOR, team=west),
        "site_manager": UserFactory(username="mere", role=Role.SITE_MANAGER, team=None, site=wellington),
        "charlie": UserFactory(username="charlie", team=south),
        "other_site_manager": UserFactory(username="fiona", role=Role.SITE_MANAGER, team=None, site=christchurch),
        "national_manager": UserFactory(username="helen", role=Role.NATIONAL_MANAGER, **nowhere),
        "allocated_support_caseworker": UserFactory(
            username="pita", role=Role.SUPPORT_CASEWORKER, organisation=service, **nowhere
        ),
        "allocated_support_manager": UserFactory(
            username="ruth", role=Role.SUPPORT_MANAGER, organisation=service, **nowhere
        ),
        "support_caseworker": UserFactory(
            username="emma", role=Role.SUPPORT_CASEWORKER, organisation=service, **nowhere
        ),
        "support_manager": UserFactory(
            username="tane", role=Role.SUPPORT_MANAGER, organisation=other_service, **nowhere
        ),
        "administrator": UserFactory(username="admin", role=Role.ADMINISTRATOR, **nowhere),
    }


def build_world() -> World:
    users = _users()
    alice = users["alice"]
    child = PersonFactory(given_name="Tāmati", family_name="Ngata", date_of_birth=datetime.date(2018, 3, 1))
    support_worker = users["allocated_support_caseworker"]
    allocated = {"support_worker": support_worker, "support_service": support_worker.organisation}
    case = CaseFactory(worker=alice, name="Ngata whānau", child=child, **allocated)
    household = HouseholdFactory(case=case, name="Mum's flat")
    mother = ParticipantFactory(case=case, role=Participant.Role.PARENT, household=household)
    nan = ParticipantFactory(case=case, role=Participant.Role.WHANAU)
    relationship = RelationshipFactory(case=case, person=mother.person, child=child, kind=Relationship.Kind.MOTHER)
    mother_member = TeamMemberFactory(case=case, person=mother.person, role=TeamMember.Role.PARENT)
    nan_member = TeamMemberFactory(case=case, person=nan.person, role=TeamMember.Role.WHANAU)

    completed = CompletedAssessmentFactory(case=case, assessed_on=datetime.date(2026, 2, 2))
    completed_factor = RiskFactorFactory(assessment=completed, factor="housing", rating="high", evidence="Eviction")
    home_need = NeedFactory(assessment=completed, title="A warm, dry home", risk_factor=completed_factor)
    alcohol_need = NeedFactory(assessment=completed, title="Mum's alcohol use", needs_concurrent_attention=True)
    draft = AssessmentFactory(
        case=case,
        based_on=completed,
        assessed_on=datetime.date(2026, 3, 2),
        overall_risk="medium",
        risk_reasoning="Mum is sober for six weeks; Nan is close by.",
        safety_decision="safe_with_plan",
    )
    draft_factor = RiskFactorFactory(assessment=draft, factor="substance_abuse", rating="medium")
    draft_need = NeedFactory(assessment=draft, title="Counselling for Mum", risk_factor=draft_factor)

    plan = planning.plan_create(
        actor=alice, case=case, data={"permanency_goal": "reunification", "alternative_goal": "kinship_care"}
    )
    goal = planning.goal_add(actor=alice, plan=plan, data={"title": "A safe, stable home"}, needs=[home_need])
    intermediate = planning.goal_add(actor=alice, plan=plan, parent=goal, data={"title": "Emergency housing"})
    step = planning.step_add(
        actor=alice,
        goal=intermediate,
        data={"what": "Apply for emergency housing", "kind": "form", "responsible": "worker", "due_on": SOON},
    )
    deferral = planning.need_defer(actor=alice, plan=plan, need=alcohol_need, reason="Mum wants to start in May.")
    for member in (mother_member, nan_member):
        planning.agreement_record(actor=alice, plan=plan, member=member, position="agrees", method="in_person")

    active_case = CaseFactory(worker=alice, name="Parata whānau", **allocated)
    active_member = TeamMemberFactory(case=active_case, role=TeamMember.Role.PARENT)
    active_case.participants.create(person=active_member.person, role=Participant.Role.PARENT)
    active_plan = planning.plan_create(actor=alice, case=active_case, data={"permanency_goal": "remain_home"})
    planning.goal_add(actor=alice, plan=active_plan, data={"title": "Tama stays safely at home"})
    planning.agreement_record(
        actor=alice, plan=active_plan, member=active_member, position="agrees", method="in_writing"
    )
    for status in ("agreed", "active"):
        active_plan = planning.plan_transition(actor=alice, plan=active_plan, to=status)

    fresh_case = CaseFactory(worker=alice, name="Horomona whānau", **allocated)
    CompletedAssessmentFactory(case=fresh_case, assessed_on=datetime.date(2026, 2, 2))

    token, _raw = api_token_create(actor=alice, name="scripts", read_only=False)
    world = World(
        users=users,
        case=case,
        child=child,
        mother=mother,
        nan=nan,
        household=household,
        relationship=relationship,
        mother_member=mother_member,
        nan_member=nan_member,
        completed=completed,
        completed_factor=completed_factor,
        home_need=home_need,
        alcohol_need=alcohol_need,
        draft=draft,
        draft_factor=draft_factor,
        draft_need=draft_need,
        plan=plan,
        goal=goal,
        intermediate=intermediate,
        step=step,
        deferral=deferral,
        active_case=active_case,
        active_plan=active_plan,
        fresh_case=fresh_case,
        token=token,
    )
    # Each later app adds its records in world_<app>.py (imported here: they import World from this module).
    from tests.access import (
        world_calendars,
        world_court,
        world_meetings,
        world_notes,
        world_notifications,
        world_permanent_care,
        world_privacy,
        world_providers,
        world_referrals,
    )

    for extension in (
        world_providers,
        world_referrals,
        world_meetings,
        world_court,
        world_permanent_care,
        world_calendars,
        world_notifications,
        world_notes,
        world_privacy,
    ):
        extension.extend(world)
    return world

"""A service plan with every field the FHIR mapping covers, made through the planning services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant, Person, TeamMember
from kinplan.cases.tests.factories import PersonFactory, child_of
from kinplan.planning import services
from kinplan.planning.models import Goal, Plan, Step
from kinplan.providers.models import Provider, ProviderService
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory
from kinplan.referrals.tests.factories import ConsentFactory, ReferralFactory

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@dataclass
class Family:
    case: Case
    child: Person
    mother: Person
    nan: Person
    provider: Provider
    offer: ProviderService


def family(case: Case, worker: User) -> Family:
    """The case's child, a mother (her address withheld), Nan, and a provider offering counselling."""
    mother = PersonFactory(
        given_name="Hine", family_name="Ngata", address="4 Secret Lane, Porirua", address_is_confidential=True
    )
    nan = PersonFactory(given_name="Mere", family_name="Ngata", address="12 Kōwhai Street, Porirua")
    Participant.objects.create(case=case, person=mother, role=Participant.Role.PARENT)
    Participant.objects.create(case=case, person=nan, role=Participant.Role.CAREGIVER)
    TeamMember.objects.create(case=case, person=mother, role=TeamMember.Role.PARENT)
    TeamMember.objects.create(case=case, person=nan, role=TeamMember.Role.CAREGIVER)
    TeamMember.objects.create(case=case, user=worker, role=TeamMember.Role.SOCIAL_WORKER)
    provider = ProviderFactory(name="Te Whare Ora")
    offer = ProviderServiceFactory(provider=provider, unit=ProviderService.Unit.SESSION, unit_cost=Decimal("120"))
    return Family(case, child_of(case), mother, nan, provider, offer)


def full_plan(f: Family, worker: User, *, steps: int = 1) -> Plan:
    """A draft plan: a long-term goal and an intermediate one on each track, steps of every kind and status."""
    plan = services.plan_create(
        actor=worker,
        case=f.case,
        data={
            "permanency_goal": "reunification",
            "permanency_goal_detail": "Home with Mum by summer.",
            "alternative_goal": "kinship_care",
            "alternative_goal_detail": "With Nan if Mum cannot.",
            "starts_on": days(-10),
            "ends_on": days(300),
            "next_review_on": days(90),
        },
    )
    home = services.goal_add(
        actor=worker,
        plan=plan,
        data={"title": "Aroha lives safely with Mum", "description": "Mum sober 6 months.", "target_date": days(280)},
    )
    sober = services.goal_add(
        actor=worker, plan=plan, parent=home, data={"title": "Mum completes treatment", "target_date": days(120)}
    )
    nan_goal = services.goal_add(
        actor=worker, plan=plan, data={"title": "Aroha settled with Nan", "track": Goal.Track.ALTERNATIVE}
    )
    services.step_add(
        actor=worker,
        goal=sober,
        data={
            "kind": Step.Kind.SERVICE,
            "what": "Alcohol counselling",
            "details": "At the Porirua clinic.",
            "responsible": Step.Responsible.PROVIDER,
            "provider": f.provider,
            "provider_service": f.offer,
            "starts_on": days(5),
            "due_on": days(100),
            "timeline": "Weekly on Tuesdays",
            "quantity": Decimal("8"),
            "unit": "session",
            "frequency": "weekly",
            "costs_money": True,
            "cost": Decimal("960.50"),
            "funder": Step.Funder.SITE,
            "client_instructions": "Bring your referral letter.",
            "worker_helps": True,
            "worker_help": "Drives Mum to the first session.",
        },
    )
    for n in range(steps):
        services.step_add(
            actor=worker,
            goal=home,
            data={
                "kind": Step.Kind.APPOINTMENT,
                "what": f"Family meeting {n + 1}",
                "responsible": Step.Responsible.FAMILY,
                "responsible_person": f.mother,
                "due_on": days(20 + n),
                "costs_money": False,
            },
        )
    services.step_add(
        actor=worker,
        goal=nan_goal,
        data={
            "kind": Step.Kind.TASK,
            "what": "Visit Nan's home",
            "responsible": Step.Responsible.WORKER,
            "responsible_user": worker,
            "due_on": days(-1),
            "costs_money": False,
        },
    )
    services.step_add(
        actor=worker,
        goal=nan_goal,
        data={"kind": "form", "what": "Respite form", "responsible": "other", "responsible_name": "Aunty Rawiri"},
    )
    _progress(plan, worker)
    return plan


def _progress(plan: Plan, worker: User) -> None:
    steps = list(Step.objects.filter(goal__plan=plan))
    services.step_start(actor=worker, step=next(s for s in steps if s.what == "Alcohol counselling"))
    visit = next(s for s in steps if s.what == "Visit Nan's home")
    services.step_complete(actor=worker, step=visit, result="Home is warm and safe.", on=days(-1))
    form = next(s for s in steps if s.what == "Respite form")
    services.step_cancel(actor=worker, step=form, reason="Nan said no need.")
    services.goal_set_status(actor=worker, goal=plan.goals.get(title="Mum completes treatment"), status="in_progress")


def referral_with_consent(f: Family, plan: Plan) -> Any:
    step = Step.objects.get(goal__plan=plan, what="Alcohol counselling")
    referral = ReferralFactory(
        case=f.case,
        person=f.mother,
        provider=f.provider,
        provider_service=f.offer,
        step=step,
        created_by=plan.created_by,
    )
    return ConsentFactory(referral=referral, given_by=f.mother, shares="Name and phone only.")

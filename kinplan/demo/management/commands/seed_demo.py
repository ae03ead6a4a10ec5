"""Load the realistic demo data set (idempotent: does nothing if the demo agency exists)."""

from __future__ import annotations

import datetime
import itertools
import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from kinplan.accounts.models import Organisation, Site, Team, User
from kinplan.audit.services import audit_record
from kinplan.cases import services
from kinplan.cases.models import Case, Household, Iwi, Participant, Person, Relationship, TeamMember
from kinplan.demo import data as d
from kinplan.demo.directory import build_directory
from kinplan.demo.extensions import extend_case, extend_demo
from kinplan.demo.plans import PracticeBuilder
from kinplan.demo.two_factor import demo_two_factor_devices
from kinplan.planning import services as planning
from kinplan.planning.models import Plan


def refresh_planner_statistics() -> None:
    """On PostgreSQL, let the planner see the rows this (single, long) transaction has written so far.

    Without it the planner trusts statistics taken while the tables were empty — after a previous load was rolled
    back, say — and a one-row look-up by primary key becomes a nested loop over every plan, goal and step. ANALYZE
    inside a transaction counts the transaction's own rows; SQLite needs nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Load the demo data set: 3 sites, a support service, 32 users and 216 families, assessed and planned."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases-per-worker", type=int, default=12)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.filter(name=d.AGENCY).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                DemoBuilder(random.Random(options["seed"])).build(options["cases_per_worker"])
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {Case.objects.count()} cases."))
        # Also for a demo loaded before two-factor existed: managers need a device to sign in.
        with transaction.atomic():
            added = demo_two_factor_devices()
        if added:
            self.stdout.write(f"Two-factor authentication set up for {added} demo managers and administrators.")


class DemoBuilder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.today = timezone.localdate()
        self.iwi = list(Iwi.objects.all())
        self.practice = PracticeBuilder(rng, self.today)
        self.directory: dict[str, Any] = {}

    def build(self, cases_per_worker: int) -> None:
        agency = Organisation.objects.create(name=d.AGENCY, kind=Organisation.Kind.AGENCY)
        support = Organisation.objects.create(name=d.SUPPORT_SERVICE, kind=Organisation.Kind.SUPPORT_SERVICE)
        support_workers = [self.user(name, role, support) for name, role in d.SUPPORT_STAFF]
        support_workers = [u for u in support_workers if u.role == User.Role.SUPPORT_CASEWORKER]
        self.user(d.NATIONAL_MANAGER, User.Role.NATIONAL_MANAGER, agency)
        administrator = self.user(d.ADMINISTRATOR, User.Role.ADMINISTRATOR, agency, is_staff=True)
        self.directory = build_directory(actor=administrator)
        self.practice.directory = self.directory
        for site_name, region, manager, teams in d.SITES:
            site = Site.objects.create(organisation=agency, name=site_name, region=region)
            self.user(manager, User.Role.SITE_MANAGER, agency, site=site)
            for team_name, supervisor, workers in teams:
                team = Team.objects.create(site=site, name=team_name)
                self.user(supervisor, User.Role.SUPERVISOR, agency, site=site, team=team)
                for username in workers:
                    worker = self.user(username, User.Role.SOCIAL_WORKER, agency, site=site, team=team)
                    for _ in range(cases_per_worker):
                        self.family_case(worker, support, support_workers)
                    refresh_planner_statistics()
        extend_demo(self)

    def user(self, username: str, role: str, organisation: Organisation, **extra: Any) -> User:
        first = username.split(".")[0].capitalize()
        user = User(
            username=username,
            first_name=first,
            last_name=self.rng.choice(d.FAMILY_NAMES[:16]),
            role=role,
            organisation=organisation,
            email=f"{username}@demo.kinplan.invalid",
            **extra,
        )
        user.set_password(d.DEMO_PASSWORD)
        user.save()
        return user

    # --- people -----------------------------------------------------------------------------------

    def birth_date(self, min_age: int, max_age: int) -> datetime.date:
        days = self.rng.randint(min_age * 365 + 1, max_age * 365 + 300)
        return self.today - datetime.timedelta(days=days)

    def details(self, family_name: str, min_age: int, max_age: int, gender: str | None = None) -> dict[str, Any]:
        gender = gender or self.rng.choice(["female", "male"])
        ethnicity = self.rng.choice(d.ETHNICITIES)
        return {
            "given_name": self.rng.choice(d.FIRST_NAMES[gender]),
            "family_name": family_name,
            "preferred_name": "",
            "date_of_birth": self.birth_date(min_age, max_age),
            "gender": gender,
            "ethnicity": ethnicity,
            "preferred_language": self.rng.choice(d.LANGUAGES),
            "phone": f"02{self.rng.randint(1, 9)} {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}"
            if min_age >= 16
            else "",
            "email": "",
            "address": "",
            "contact_notes": "",
            "preferred_contact": self.rng.choice(["phone", "text", "in_person"])
            if min_age >= 16
            else "through_caregiver",
            "organisation_name": "",
        }

    def iwi_for(self, details: dict[str, Any]) -> list[Iwi]:
        if "Māori" not in details["ethnicity"] or not self.iwi:
            return []
        return self.rng.sample(self.iwi, self.rng.choice([1, 1, 2]))

    def add_person(
        self, worker: User, case: Case, role: str, details: dict[str, Any], household: Household | None = None
    ) -> Person:
        return services.person_create(
            actor=worker, case=case, role=role, details=details, iwi=self.iwi_for(details), household=household
        ).person

    def address(self) -> str:
        return f"{self.rng.randint(1, 240)} {self.rng.choice(d.STREETS)}"

    # --- one family -------------------------------------------------------------------------------

    def family_case(self, worker: User, support: Organisation, support_workers: list[User]) -> Case:
        rng = self.rng
        family = rng.choice(d.FAMILY_NAMES)
        first_child = self.details(family, 0, 16)
        case = services.case_create(
            actor=worker,
            name=f"{first_child['given_name']} {family}",
            child_details=first_child,
            child_iwi=self.iwi_for(first_child),
            summary=rng.choice(d.SUMMARIES),
            opened_on=self.today - datetime.timedelta(days=rng.randint(30, 900)),
            next_review_on=self.today + datetime.timedelta(days=rng.randint(-20, 120)),  # some overdue
        )
        children = [case.participants.get().person]
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            sibling = self.details(family, 0, 17)
            children.append(self.add_person(worker, case, Participant.Role.CHILD, sibling))
        home = services.household_create(
            actor=worker,
            case=case,
            data={"name": "Family home", "address": self.address(), "is_childs_home": True, "notes": ""},
        )
        adults = self.adults(worker, case, family, home, children)
        for child_participant in case.participants.filter(role=Participant.Role.CHILD):
            services.participant_update(actor=worker, participant=child_participant, data={"household": home})
        self.team(worker, case, children, adults)
        self.practice.assess_and_plan(case, worker)
        extend_case(self, case, worker)
        if rng.random() < 0.12:  # referred to the support service (the referral workflow comes later)
            case.support_service, case.support_worker = support, rng.choice(support_workers)
            case.save(update_fields=["support_service", "support_worker"])
            audit_record(
                actor=worker,
                event="case.support_allocated",
                target=case,
                case=case,
                changes={"support_worker": [None, str(case.support_worker)]},
            )
        if rng.random() < 0.1:
            services.case_update(
                actor=worker,
                case=case,
                data={
                    "status": Case.Status.CLOSED,
                    "closed_on": self.today - datetime.timedelta(days=rng.randint(1, 9)),
                },
            )
            plan = case.plans.filter(is_current=True).exclude(status=Plan.Status.CLOSED).first()
            if plan is not None:
                planning.plan_transition(actor=worker, plan=plan, to=Plan.Status.CLOSED, note="Case closed.")
        return case

    def adults(
        self, worker: User, case: Case, family: str, home: Household, children: list[Any]
    ) -> list[tuple[Any, str]]:
        rng = self.rng
        people: list[tuple[Any, str]] = []
        oldest = max(child.age or 0 for child in children)  # parents are older than their children
        mother = self.details(
            family if rng.random() < 0.6 else rng.choice(d.FAMILY_NAMES), oldest + 17, oldest + 30, "female"
        )
        mum = self.add_person(worker, case, Participant.Role.PARENT, mother, household=home)
        people.append((mum, Relationship.Kind.MOTHER))
        if rng.random() < 0.6:
            father = self.details(family, oldest + 18, oldest + 35, "male")
            dad = self.add_person(worker, case, Participant.Role.PARENT, father)
            people.append((dad, Relationship.Kind.FATHER))
        kin_home = services.household_create(
            actor=worker,
            case=case,
            data={"name": "Grandparents' home", "address": self.address(), "is_childs_home": False, "notes": ""},
        )
        nan = self.details(family, oldest + 38, oldest + 55, "female")
        grandmother = self.add_person(worker, case, Participant.Role.WHANAU, nan, household=kin_home)
        people.append((grandmother, Relationship.Kind.GRANDPARENT))
        if rng.random() < 0.5:
            aunt_details = self.details(family, oldest + 15, oldest + 40)
            aunt = self.add_person(worker, case, Participant.Role.CAREGIVER, aunt_details)
            people.append((aunt, Relationship.Kind.AUNT_UNCLE))
        for person, kind in people:
            for child in children:
                services.relationship_create(
                    actor=worker, case=case, data={"person": person, "child": child, "kind": kind, "notes": ""}
                )
        for older, younger in itertools.pairwise(children):
            services.relationship_create(
                actor=worker,
                case=case,
                data={"person": older, "child": younger, "kind": Relationship.Kind.SIBLING, "notes": ""},
            )
        return people

    def team(self, worker: User, case: Case, children: list[Any], adults: list[tuple[Any, str]]) -> None:
        services.team_member_add(
            actor=worker, case=case, role=TeamMember.Role.SOCIAL_WORKER, user=worker, notes="Allocated social worker"
        )
        for child in children:
            if child.age is not None and child.age >= 10:
                services.team_member_add(actor=worker, case=case, role=TeamMember.Role.CHILD, person=child)
        roles = {
            Relationship.Kind.MOTHER: TeamMember.Role.PARENT,
            Relationship.Kind.FATHER: TeamMember.Role.PARENT,
            Relationship.Kind.GRANDPARENT: TeamMember.Role.WHANAU,
            Relationship.Kind.AUNT_UNCLE: TeamMember.Role.CAREGIVER,
        }
        for person, kind in adults:
            services.team_member_add(actor=worker, case=case, role=roles[kind], person=person)
        if self.rng.random() < 0.4:
            lawyer = services.person_create(
                actor=worker,
                case=case,
                role=Participant.Role.PROFESSIONAL,
                details={
                    **self.details(self.rng.choice(d.FAMILY_NAMES), 30, 60),
                    "organisation_name": "Family Court lawyer",
                    "email": "lawyer@demo.kinplan.invalid",
                },
            ).person
            services.team_member_add(
                actor=worker, case=case, role=TeamMember.Role.LAWYER_FOR_CHILD, person=lawyer, is_required=False
            )

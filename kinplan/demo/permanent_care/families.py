"""Each story's family: choosing it, the Iwi providers' counselling, and Nan's home with the children and Koro."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.assessments.models import Assessment
from kinplan.cases import services as cases
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.court.models import CAREGIVER_KINDS, CHIEF_EXECUTIVE_KINDS, CourtOrder
from kinplan.demo.permanent_care.base import WalkBase
from kinplan.demo.permanent_care.content import IWI_PROVIDERS, PASIFIKA
from kinplan.demo.permanent_care.stories import DISCHARGED, Story
from kinplan.providers import services as directory
from kinplan.providers.models import Provider, ProviderService, ServiceType

Role = User.Role


def add_kaupapa_maori_counselling(providers: dict[str, Provider], admin: User) -> None:
    """The Iwi providers' counselling, which the support service buys for children in permanent care."""
    therapeutic = ServiceType.objects.get(code="therapeutic")
    for name in IWI_PROVIDERS.values():
        provider = providers.get(name) or Provider.objects.get(name=name, case__isnull=True)
        if not provider.services.filter(service_type=therapeutic).exists():
            directory.provider_service_add(
                actor=admin,
                provider=provider,
                data={
                    "service_type": therapeutic,
                    "name": "Kaupapa Māori counselling for tamariki",
                    "unit": ProviderService.Unit.SESSION,
                    "unit_cost": Decimal("110"),
                    "capacity_note": "First session within 3 weeks",
                },
            )


# --- choosing the families ------------------------------------------------------------------------------------


def eligible(worker: User, story: Story) -> Any:
    """The worker's open families with Nan's home recorded, not yet with the support service, whose court history
    allows the story: no caregiver order yet and no chief-executive order ended; none at all when the story runs
    past the discharge (the demo records it), and open long enough for the plan to have run."""
    school_age = timezone.localdate() - datetime.timedelta(days=5 * 366)  # the plan is for a child at school
    ended = CourtOrder.objects.filter(kind__in=CHIEF_EXECUTIVE_KINDS).exclude(status=CourtOrder.Status.IN_FORCE)
    found = (
        Case.objects.filter(worker=worker, status=Case.Status.OPEN, support_service__isnull=True)
        .filter(participants__role=Participant.Role.WHANAU, participants__household__isnull=False)
        .filter(participants__role=Participant.Role.CHILD, participants__person__date_of_birth__lte=school_age)
        .exclude(assessments__status=Assessment.Status.DRAFT)
        .exclude(court_orders__kind__in=CAREGIVER_KINDS)
        .exclude(pk__in=ended.values("case"))
    )
    if story.goal in DISCHARGED:
        today = timezone.localdate()
        opened_by = today - datetime.timedelta(days=DISCHARGED[story.goal][1] + 150)
        found = found.filter(opened_on__lte=opened_by).exclude(court_orders__isnull=False)
    return found.distinct().order_by("pk")


def choose_case(ctx: Any, story: Story, worker: User, support: Organisation, taken: set[int]) -> Case:
    """One of the worker's families that fits the story; a new family for them if none does (a small demo)."""
    rng: random.Random = ctx.rng
    choices = list(eligible(worker, story).exclude(pk__in=taken))
    if choices:
        return rng.choice(choices)
    support_workers = list(User.objects.filter(organisation=support, role=Role.SUPPORT_CASEWORKER))
    for _ in range(40):
        case = ctx.family_case(worker, support, support_workers)
        if eligible(worker, story).filter(pk=case.pk).exists():
            return case
    raise RuntimeError(f"No demo family fits the permanent care story {story}.")


# --- Nan's home -------------------------------------------------------------------------------------------------


class FamilySteps(WalkBase):
    """Nan becomes the caregiver and the children live with her; Koro joins some homes, a lodger one."""

    def household(self) -> None:
        """Nan becomes the case's caregiver, the children live with her (Koro too, in some homes)."""
        w, case = self.worker, self.case
        seat = (
            case.participants.filter(role=Participant.Role.WHANAU, household__isnull=False, archived_at__isnull=True)
            .select_related("person", "household")
            .first()
        )
        assert seat is not None and seat.household is not None
        self.nan, self.home = seat.person, seat.household
        cases.participant_update(actor=w, participant=seat, data={"role": Participant.Role.CAREGIVER})
        for member in case.team_members.filter(person=self.nan, archived_at__isnull=True):
            cases.team_member_update(actor=w, member=member, data={"role": TeamMember.Role.CAREGIVER})
        for other in Household.objects.filter(case=case, is_childs_home=True).exclude(pk=self.home.pk):
            cases.household_update(actor=w, household=other, data={"is_childs_home": False})
        cases.household_update(
            actor=w, household=self.home, data={"name": f"{self.nan.given_name}'s home", "is_childs_home": True}
        )
        children = list(
            case.participants.filter(role=Participant.Role.CHILD, archived_at__isnull=True)
            .select_related("person")
            .order_by("person__date_of_birth", "pk")
        )
        self.child = children[0].person  # the eldest: the plan is about them
        self.siblings = [place.person for place in children[1:]]
        ethnicity = self.child.ethnicity or ""
        self.culture = (
            "maori" if "Māori" in ethnicity else "pasifika" if any(p in ethnicity for p in PASIFIKA) else "other"
        )
        for place in children:
            cases.participant_update(actor=w, participant=place, data={"household": self.home})
            if place.person != self.child:
                self.relate(place.person, Relationship.Kind.SIBLING)
        if self.rng.random() < 0.6:
            self.koro()

    def relate(self, person: Person, kind: str) -> None:
        if not Relationship.objects.filter(case=self.case, person=person, child=self.child).exists():
            cases.relationship_create(
                actor=self.worker,
                case=self.case,
                data={"person": person, "child": self.child, "kind": kind, "notes": ""},
            )

    def koro(self) -> None:
        age = self.nan.age or 60
        details = self.ctx.details(self.nan.family_name, age - 2, age + 5, "male") | {"ethnicity": self.nan.ethnicity}
        koro = self.ctx.add_person(self.worker, self.case, Participant.Role.HOUSEHOLD_MEMBER, details, self.home)
        self.relate(koro, Relationship.Kind.GRANDPARENT)
        cases.team_member_add(actor=self.worker, case=self.case, role=TeamMember.Role.WHANAU, person=koro)
        self.koro_name = koro.given_name

    def lodger(self) -> None:
        """Someone in Nan's home whose details are not recorded yet: the referral lists what it lacks."""
        details = self.ctx.details(self.nan.family_name, 18, 30, "male") | {"date_of_birth": None, "ethnicity": ""}
        place = cases.person_create(
            actor=self.worker,
            case=self.case,
            role=Participant.Role.HOUSEHOLD_MEMBER,
            details=details,
            household=self.home,
        )
        cases.participant_update(
            actor=self.worker,
            participant=place,
            data={"notes": f"{self.nan.given_name}'s nephew; boarding while he finishes his apprenticeship."},
        )

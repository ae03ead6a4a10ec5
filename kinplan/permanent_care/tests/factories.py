"""A family ready for a permanent care support plan, and an arrangement walked through the real services to any
status — so every test starts from a state the product can really reach."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.assessments.models import Need
from kinplan.assessments.tests.factories import CompletedAssessmentFactory, NeedFactory
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.cases.tests.factories import CaseFactory, PersonFactory
from kinplan.court.models import CourtOrder, OrderKind
from kinplan.meetings.models import Meeting, MeetingParticipant
from kinplan.permanent_care import services
from kinplan.permanent_care.models import SupportArrangement, SupportItem
from kinplan.providers.models import Provider, ProviderService
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory

S = SupportArrangement.Status


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@dataclass
class Staff:
    worker: User
    supervisor: User
    site_manager: User
    caseworker: User
    support_manager: User
    national_manager: User
    support_service: Organisation


@dataclass
class Family:
    case: Case
    child: Person
    caregiver: Person
    partner: Person
    household: Household
    needs: list[Need]
    provider: Provider
    offer: ProviderService
    members: list[TeamMember] = field(default_factory=list)


def family_for_permanent_care(worker: User) -> Family:
    """Nan is taking Aroha permanently: every detail the referral pack needs is recorded."""
    child = PersonFactory(
        given_name="Aroha",
        family_name="Ngata",
        gender=Person.Gender.FEMALE,
        ethnicity="Māori",
        date_of_birth=datetime.date(2017, 3, 4),
    )
    case = CaseFactory(worker=worker, child=child, name="Ngata whānau", opened_on=days(-400))
    from kinplan.cases.models import Iwi

    child.iwi.add(Iwi.objects.get_or_create(name="Ngāti Porou")[0])
    home = Household.objects.create(case=case, name="Nan's home", address="12 Kōwhai Street, Porirua")
    caregiver = PersonFactory(
        given_name="Mere",
        family_name="Ngata",
        ethnicity="Māori",
        phone="021 555 0101",
        date_of_birth=datetime.date(1962, 5, 1),
        gender=Person.Gender.FEMALE,
    )
    partner = PersonFactory(
        given_name="Hone", family_name="Ngata", ethnicity="Māori", date_of_birth=datetime.date(1960, 1, 9)
    )
    Participant.objects.filter(case=case, person=child).update(household=home)
    Participant.objects.create(case=case, person=caregiver, role=Participant.Role.CAREGIVER, household=home)
    Participant.objects.create(case=case, person=partner, role=Participant.Role.HOUSEHOLD_MEMBER, household=home)
    Relationship.objects.create(case=case, person=caregiver, child=child, kind=Relationship.Kind.GRANDPARENT)
    Relationship.objects.create(case=case, person=partner, child=child, kind=Relationship.Kind.GRANDPARENT)
    assessment = CompletedAssessmentFactory(case=case, author=worker)
    needs = [
        NeedFactory(assessment=assessment, title="Aroha's grief and trauma after leaving Mum's care"),
        NeedFactory(assessment=assessment, title="Connection to her whānau and marae"),
    ]
    provider = ProviderFactory(name="Te Whare Awhina", kind=Provider.Kind.IWI)
    offer = ProviderServiceFactory(provider=provider, unit=ProviderService.Unit.SESSION, unit_cost=Decimal("120.00"))
    members = [
        TeamMember.objects.create(case=case, person=caregiver, role=TeamMember.Role.CAREGIVER),
        TeamMember.objects.create(case=case, user=worker, role=TeamMember.Role.SOCIAL_WORKER),
    ]
    return Family(case, child, caregiver, partner, home, needs, provider, offer, members)


def good_item(family: Family, **overrides: Any) -> dict[str, Any]:
    """A support that passes the good test: named, timed, quantified and costed."""
    return {
        "kind": SupportItem.Kind.SERVICE,
        "what": "Trauma counselling for Aroha",
        "provider": family.provider,
        "provider_service": family.offer,
        "starts_on": days(40),
        "due_on": days(200),
        "quantity": Decimal("10"),
        "costs_money": True,
        "funder": SupportItem.Funder.SUPPORT_SERVICE,
    } | overrides


def planning_meeting(family: Family, staff: Staff, *, caseworker_present: bool = True) -> Meeting:
    """A held permanent care planning meeting at which the support service's role was explained."""
    meeting = Meeting.objects.create(
        case=family.case,
        kind=Meeting.Kind.PERMANENT_CARE,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        place="Nan's home",
        decisions="Counselling with Te Whare Awhina; marae visits with Uncle Rawiri.",
        purpose="Plan Aroha's support after discharge.",
        status=Meeting.Status.HELD,
        created_by=staff.worker,
        support_role_explained_by=staff.worker,
        support_role_explained_on=days(-1),
    )
    MeetingParticipant.objects.create(
        meeting=meeting,
        user=staff.caseworker,
        role=TeamMember.Role.SUPPORT_CASEWORKER,
        is_required=True,
        participation=(
            MeetingParticipant.Participation.PHONE if caseworker_present else MeetingParticipant.Participation.ABSENT
        ),
    )
    return meeting


def discharge(family: Family, staff: Staff, on: datetime.date | None = None) -> CourtOrder:
    """The chief executive's custody order, discharged on `on` (today by default)."""
    return CourtOrder.objects.create(
        case=family.case,
        child=family.child,
        kind=OrderKind.CE_CUSTODY,
        court="Family Court at Porirua",
        made_on=days(-300),
        status=CourtOrder.Status.DISCHARGED,
        ended_on=on or timezone.localdate(),
        created_by=staff.worker,
    )


ORDER = [
    S.REFERRAL_DRAFT,
    S.REFERRED,
    S.ALLOCATED,
    S.PLANNING,
    S.READY_FOR_COURT,
    S.AWAITING_APPROVAL,
    S.NOT_APPROVED,
    S.APPROVED,
    S.SENT,
    S.IN_PLACE,
    S.CLOSED,
]


def arrangement_at(status: str, family: Family, staff: Staff) -> SupportArrangement:
    """An arrangement brought to `status` through the services, as the people who do each step.
    NOT_APPROVED is reached by the support-service manager refusing; APPROVED by both approving."""
    a = services.arrangement_start(
        actor=staff.worker,
        case=family.case,
        data={
            "child": family.child,
            "caregiver": family.caregiver,
            "support_service": staff.support_service,
            "intention_noted_on": days(-30),
        },
    )
    steps = ORDER[1 : ORDER.index(status) + 1]
    for step in steps:
        a = _advance(a, step, family, staff)
    a.refresh_from_db()
    return a


def build_plan(a: SupportArrangement, family: Family, staff: Staff) -> SupportArrangement:
    a = services.plan_set_dates(
        actor=staff.worker, arrangement=a, data={"starts_on": days(30), "ends_on": days(360), "review_on": days(200)}
    )
    objective = services.objective_add(
        actor=staff.worker, arrangement=a, data={"need": family.needs[0], "title": "Aroha feels safe and settled"}
    )
    services.item_add(actor=staff.worker, objective=objective, data=good_item(family))
    services.item_add(
        actor=staff.worker,
        objective=objective,
        data={
            "kind": SupportItem.Kind.INFORMAL,
            "what": "Weekend visits to the marae with Uncle Rawiri",
            "provider_name": "Rawiri Ngata (uncle)",
            "timeline": "Every second weekend",
            "quantity": Decimal(12),
            "unit": "visit",
            "costs_money": False,
        },
    )
    services.universal_service_add(
        actor=staff.worker, arrangement=a, data={"name": "Porirua Health GP", "how_to_access": "Enrolled"}
    )
    return a


def agree_all(a: SupportArrangement, family: Family, staff: Staff) -> None:
    a.refresh_from_db()
    for member in family.case.team_members.filter(archived_at__isnull=True, is_required=True):
        services.agreement_record(
            actor=staff.worker, arrangement=a, member=member, position="agrees", method="in_person"
        )


def _advance(a: SupportArrangement, to: str, family: Family, staff: Staff) -> SupportArrangement:
    w = staff.worker
    if to == S.REFERRED:
        return services.referral_send(actor=w, arrangement=a)
    if to == S.ALLOCATED:
        return services.caseworker_allocate(actor=staff.support_manager, arrangement=a, caseworker=staff.caseworker)
    if to == S.PLANNING:
        services.discussion_record(
            actor=staff.caseworker,
            arrangement=a,
            data={
                "held_on": timezone.localdate(),
                "method": "phone",
                "supports_discussed": "Counselling; respite.",
                "participation_level": "attends_key",
            },
        )
        a.refresh_from_db()
        return a
    if to == S.READY_FOR_COURT:
        a = build_plan(a, family, staff)
        planning_meeting(family, staff)
        agree_all(a, family, staff)
        return services.mark_ready_for_court(
            actor=w, arrangement=a, court_step="Special guardianship order applied for", court_step_on=days(-2)
        )
    if to == S.AWAITING_APPROVAL:
        return services.submit_for_approval(actor=w, arrangement=a)
    if to == S.NOT_APPROVED:
        services.approval_decide(
            actor=staff.support_manager, arrangement=a, decision="not_approved", comment="Counselling costs too high."
        )
    if to == S.APPROVED:
        if a.status == S.NOT_APPROVED:
            services.escalation_record(
                actor=w,
                arrangement=a,
                rung=1,
                data={
                    "held_on": timezone.localdate(),
                    "method": "phone",
                    "outcome": "resolved_unchanged",
                    "summary": "The caseworker explained the costs; the manager will look again.",
                },
            )
        a.refresh_from_db()
        services.approval_decide(actor=staff.site_manager, arrangement=a, decision="approved")
        a.refresh_from_db()
        if not a.decisions.filter(round=a.approval_round, kind="support_service").exists():
            services.approval_decide(actor=staff.support_manager, arrangement=a, decision="approved")
    if to == S.SENT:
        discharge(family, staff)
        return services.arrangement_send(actor=w, arrangement=a)
    if to == S.IN_PLACE:
        return services.letter_record_sent(
            actor=staff.caseworker, arrangement=a, sent_on=timezone.localdate(), method="post"
        )
    if to == S.CLOSED:
        raise ValueError("Close an arrangement in the test itself (review it as complete).")
    a.refresh_from_db()
    return a

"""Records worth printing, built as the product builds them, and a PDF read back as a reader sees it."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from pypdf import PdfReader

from kinplan.accounts.models import Site, User
from kinplan.accounts.tests.factories import OrganisationFactory, SiteFactory, TeamFactory, UserFactory
from kinplan.assessments.tests.factories import CompletedAssessmentFactory, NeedFactory
from kinplan.cases.models import Case, Participant, Person, TeamMember
from kinplan.cases.tests.factories import CaseFactory, PersonFactory
from kinplan.meetings import services as meetings
from kinplan.meetings.models import Meeting, MeetingParticipant
from kinplan.planning import services as planning
from kinplan.planning.models import Goal, Plan, Step
from kinplan.planning.tests.factories import GoalFactory, StepFactory
from kinplan.providers.models import Provider
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory
from kinplan.referrals import services as referring
from kinplan.referrals.models import Referral

TODAY = timezone.localdate()
A4 = (595.28, 841.89)  # points
ORGANISATION, SITE = "Te Kāhui Tiaki", "Porirua"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


# --- reading a PDF back ----------------------------------------------------------------------------------------


@dataclass
class ReadPdf:
    sizes: list[tuple[float, float]]  # each page's width and height, in points
    pages: list[str]  # each page's text, whitespace squeezed

    @property
    def text(self) -> str:
        return " ".join(self.pages)


def read_pdf(pdf: bytes) -> ReadPdf:
    reader = PdfReader(io.BytesIO(pdf))
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
    pages = [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
    return ReadPdf(sizes=sizes, pages=pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- people ----------------------------------------------------------------------------------------------------


def social_worker(**overrides: Any) -> User:
    """Aroha, a social worker at the Porirua site of Te Kāhui Tiaki, with a phone and an email."""
    organisation = OrganisationFactory(name=ORGANISATION)
    site = Site.objects.filter(organisation=organisation, name=SITE).first() or SiteFactory(
        organisation=organisation, name=SITE
    )
    details = {
        "username": "aroha",
        "first_name": "Aroha",
        "last_name": "Tane",
        "email": "aroha.tane@kahui.example",
        "phone": "04 555 0100",
        "team": TeamFactory(site=site),
    }
    return UserFactory(**(details | overrides))


def family_case(
    worker: User, *, reference: str = "KP-D00042", child_language: str = "", mother_language: str = ""
) -> Case:
    """Tāmati (7) and his mother Hine: the case of every plan document."""
    child = PersonFactory(
        given_name="Tāmati",
        family_name="Ngata",
        date_of_birth=datetime.date(2019, 3, 1),
        preferred_language=child_language,
    )
    case = CaseFactory(worker=worker, name="Ngata whānau", child=child, reference=reference)
    mother = PersonFactory(
        given_name="Hine", family_name="Ngata", phone="021 555 0101", preferred_language=mother_language
    )
    Participant.objects.create(case=case, person=mother, role=Participant.Role.PARENT)
    return case


def mother_of(case: Case) -> Person:
    return case.participants.get(role=Participant.Role.PARENT).person


# --- plans -----------------------------------------------------------------------------------------------------

# What the family's plan must never show (costs, risk, assessment needs, professional notes).
INTERNAL = {
    "cost": "960",
    "need": "Mum's drinking escalates at weekends",
    "deferred need": "Dad's gang connections",
    "deferral reason": "Police advise waiting for the court date",
    "details": "Landlord reported rent arrears twice",
    "disagreement": "Nan thinks Mum is not ready",
    "cancelled step": "Parenting course at the old venue",
}


def rich_plan(case: Case, worker: User) -> Plan:
    """A plan with a long-term goal and an intermediate one, steps for the family, the worker and a provider
    (with costs), a concurrent plan, needs (one deferred), agreement and sign-offs: agreed, then active."""
    mother = mother_of(case)
    assessment = CompletedAssessmentFactory(case=case, author=worker)
    need = NeedFactory(assessment=assessment, title=INTERNAL["need"])
    deferred = NeedFactory(assessment=assessment, title=INTERNAL["deferred need"])
    provider = ProviderFactory(name="Te Whare Ora", phone="04 555 0199", email="kiaora@tewhareora.example")
    offer = ProviderServiceFactory(provider=provider, name="Incredible Years", unit_cost=Decimal("120.00"))
    plan = planning.plan_create(
        actor=worker,
        case=case,
        data={
            "permanency_goal": "reunification",
            "alternative_goal": "kinship_care",
            "assessment": assessment,
            "starts_on": days(-10),
            "ends_on": days(170),
            "next_review_on": days(80),
        },
    )
    home = planning.goal_add(
        actor=worker,
        plan=plan,
        data={
            "title": "Tāmati lives safely at home with Mum",
            "description": "Mum and Tāmati are at home together, and Tāmati goes to school every day.",
            "target_date": days(160),
        },
        needs=[need],
    )
    housing = planning.goal_add(
        actor=worker, plan=plan, parent=home, data={"title": "Mum has a warm, dry home", "target_date": days(60)}
    )
    planning.need_defer(actor=worker, plan=plan, need=deferred, reason=INTERNAL["deferral reason"])
    step_add(
        worker,
        housing,
        what="Apply for social housing",
        kind="form",
        responsible="family",
        responsible_person=mother,
        due_on=days(14),
        client_instructions="Bring your ID and your last three payslips to the office.",
        worker_helps=True,
        worker_help="Aroha fills in the form with you.",
        details=INTERNAL["details"],
        costs_money=False,
    )
    step_add(
        worker,
        housing,
        what="Parenting programme at Te Whare Ora",
        kind="service",
        responsible="provider",
        provider=provider,
        provider_service=offer,
        starts_on=days(7),
        due_on=days(63),
        timeline="Every Tuesday for 8 weeks",
        quantity=Decimal(8),
        unit="session",
        costs_money=True,
        funder="site",
    )
    step_add(
        worker,
        home,
        what="Visit Tāmati and Mum at home",
        responsible="worker",
        due_on=days(30),
        frequency="fortnightly",
    )
    cancelled = step_add(worker, home, what=INTERNAL["cancelled step"], responsible="family", due_on=days(5))
    Step.objects.filter(pk=cancelled.pk).update(status=Step.Status.CANCELLED, result="The venue closed.")
    nan = planning.goal_add(
        actor=worker, plan=plan, data={"title": "Tāmati lives with Nan Mere", "track": "alternative"}
    )
    step_add(worker, nan, what="Nan Mere's kinship care assessment", responsible="worker", due_on=days(40))
    _agree_and_sign_off(case, plan, worker)
    return Plan.objects.get(pk=plan.pk)


def step_add(actor: User, goal: Goal, **data: Any) -> Step:
    return planning.step_add(actor=actor, goal=goal, data=data)


def _agree_and_sign_off(case: Case, plan: Plan, worker: User) -> None:
    mother_member = TeamMember.objects.create(case=case, person=mother_of(case), role=TeamMember.Role.PARENT)
    nan = PersonFactory(given_name="Mere", family_name="Ngata")
    Participant.objects.create(case=case, person=nan, role=Participant.Role.WHANAU)
    nan_member = TeamMember.objects.create(case=case, person=nan, role=TeamMember.Role.WHANAU, is_required=False)
    planning.agreement_record(actor=worker, plan=plan, member=mother_member, position="agrees", method="in_person")
    planning.agreement_record(
        actor=worker,
        plan=plan,
        member=nan_member,
        position="disagrees",
        method="phone",
        reason=INTERNAL["disagreement"],
    )
    planning.plan_transition(actor=worker, plan=plan, to="agreed", note="Agreed at the hui.")
    supervisor = User.objects.filter(username="sam.walker").first() or UserFactory(
        username="sam.walker", first_name="Sam", last_name="Walker", role=User.Role.SUPERVISOR, team=worker.team
    )
    planning.plan_transition(actor=supervisor, plan=plan, to="active", note="Signed off in supervision.")


def long_plan(case: Case, steps: int = 60) -> Plan:
    """A plan with `steps` steps, each with a long description: it fills many pages."""
    plan = planning.plan_create(actor=case.worker, case=case, data={"permanency_goal": "remain_home"})  # type: ignore[arg-type]
    goals = [
        GoalFactory(plan=plan, title=f"Long-term goal {n}", position=n, target_date=days(100 + n)) for n in range(1, 4)
    ]
    for n in range(1, steps + 1):
        StepFactory(
            goal=goals[n % 3],
            position=n,
            what=f"Numbered step {n:02d} of the long plan",
            details="The family and the worker talk this through at home, then write down what is agreed. " * 3,
            due_on=days(n),
        )
    return plan


# --- referrals and meetings -----------------------------------------------------------------------------------


def referral_to_provider(case: Case) -> Referral:
    """A sent referral of Hine to Te Whare Ora's parenting programme, with her consent and the information sent."""
    worker = case.worker
    mother = mother_of(case)
    Person.objects.filter(pk=mother.pk).update(
        preferred_contact=Person.ContactMethod.PHONE,
        preferred_language="Te reo Māori",
        date_of_birth=datetime.date(1990, 6, 2),
    )
    provider = ProviderFactory(
        name="Te Whare Ora", kind=Provider.Kind.IWI, phone="04 555 0199", address="3 Kenepuru Drive, Porirua"
    )
    offer = ProviderServiceFactory(provider=provider, name="Incredible Years")
    referral = referring.referral_create(
        actor=worker,  # type: ignore[arg-type]
        case=case,
        data={
            "person": mother,
            "provider": provider,
            "provider_service": offer,
            "reason": "Hine asked for help with Tāmati's bedtimes and tantrums.",
            "information_sent": "Name: Hine Ngata\nPhone: 021 555 0101\nReason: parenting support for her son, 7.",
        },
    )
    referring.consent_record(
        actor=worker,  # type: ignore[arg-type]
        referral=referral,
        data={
            "given_by": mother,
            "shares": "Name, phone and the reason for the referral.",
            "given_on": TODAY,
            "expires_on": days(180),
            "method": "in_writing",
        },
    )
    return referring.referral_transition(actor=worker, referral=referral, to="sent", on=TODAY)  # type: ignore[arg-type]


def held_meeting(case: Case) -> Meeting:
    """A held planning meeting: Hine in person with her views, Nan by phone, the lawyer for child absent and
    sent the outcome; the decisions; two actions."""
    worker = case.worker
    mother = mother_of(case)
    meeting = meetings.meeting_schedule(
        actor=worker,  # type: ignore[arg-type]
        case=case,
        data={
            "kind": "family_group_conference",
            "starts_at": timezone.now() - datetime.timedelta(days=2),
            "place": "Te Whare Ora whānau room",
            "purpose": "Agree who looks after Tāmati while Mum is in the programme.",
        },
    )
    hine = meetings.participant_add(actor=worker, meeting=meeting, person=mother, role="parent", is_required=True)
    nan = meetings.participant_add(actor=worker, meeting=meeting, name="Mere Ngata", role="whanau")
    lawyer = meetings.participant_add(
        actor=worker, meeting=meeting, name="Ana Lee", role="lawyer_for_child", is_required=True
    )
    Participation = MeetingParticipant.Participation
    meetings.participation_record(
        actor=worker, participant=hine, participation=Participation.IN_PERSON, views="I want Tāmati home by Christmas."
    )
    meetings.participation_record(
        actor=worker, participant=nan, participation=Participation.PHONE, views="I can have him after school."
    )
    meetings.participation_record(actor=worker, participant=lawyer, participation=Participation.ABSENT)
    meeting = meetings.meeting_transition(
        actor=worker,
        meeting=meeting,
        to="held",
        decisions="Tāmati stays with Nan on weekdays until the programme ends.",
    )
    meetings.outcome_record(actor=worker, participant=lawyer, sent_on=TODAY, method="email")
    meetings.action_add(
        actor=worker,
        meeting=meeting,
        data={"what": "Enrol Tāmati at Nan's local school", "who_name": "Mere Ngata", "due_on": days(10)},
    )
    meetings.action_add(
        actor=worker, meeting=meeting, data={"what": "Book the first programme session", "who_user": worker}
    )
    return meeting


def assert_printed_well(doc: ReadPdf, *on_every_page: str) -> None:
    """A4 pages, each with the running header (`on_every_page`: the organisation, the title…) and "Page i of N"."""
    count = len(doc.pages)
    assert count >= 1
    for number, ((width, height), text) in enumerate(zip(doc.sizes, doc.pages, strict=True), start=1):
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (number, width, height)
        for expected in on_every_page:
            assert expected in text, f"page {number} lacks {expected!r}"
        assert f"Page {number} of {count}" in text or f"Side {number} av {count}" in text, f"page {number}"

"""Demo permanent care support plans (seed 003), walked through the real services as each person who acts.

Fourteen families whose Nan intends to care for a child permanently, one at each stage (STORIES): a referral
still being prepared with the details it lacks, referred, allocated, planning with what still stands before court,
ready for court, awaiting approval, not approved at rungs 1, 3 and 6 of the escalation ladder, resolved with
changes still to discuss with the whānau, approved and waiting for the court, sent to the support service, in
place with purchases and deliveries, and closed after review with further support. Every demo login has
something waiting for it (`selectors.waiting_for`).

Nan becomes the case's caregiver, the children move into her home (with Koro in some), and a permanency
reassessment records the child's own needs that the plan's objectives meet. The services date some steps by the
clock (the referral, the approval decisions, hand-over), so the caseworker's discussion, the escalation steps and
the acknowledgement letter are dated today; the plan's own dates (the discharge of the chief executive's orders,
the supports, purchases, deliveries and the review) are spread around today.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.assessments import services as assessing
from kinplan.assessments.models import Assessment, Need
from kinplan.cases import services as cases
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.court import services as court
from kinplan.court.models import CAREGIVER_KINDS, CHIEF_EXECUTIVE_KINDS, CourtOrder
from kinplan.demo import data as d
from kinplan.demo.court import COURTS, sitting
from kinplan.meetings import services as meetings
from kinplan.meetings.models import Meeting, MeetingParticipant
from kinplan.permanent_care import services
from kinplan.permanent_care.models import EscalationStep, Objective, SupportArrangement, SupportItem
from kinplan.permanent_care.selectors import live_items, one_year_after
from kinplan.providers import services as directory
from kinplan.providers.models import Provider, ProviderService, ServiceType

Role = User.Role
Item = SupportItem
Participation = MeetingParticipant.Participation
Outcome = EscalationStep.Outcome


@dataclass(frozen=True)
class Story:
    worker: str
    goal: str  # a key of PATHS: how far the arrangement goes
    caseworker: str = "pita.pcw"


STORIES = (
    Story("aroha.sw", "referral_gaps"),
    Story("aroha.sw", "awaiting_approval"),  # mere.site signs off; ruth.psm approves
    Story("aroha.sw", "rung_3"),  # hemi.sup's case consult
    Story("aroha.sw", "in_place"),  # pita.pcw's review is due
    Story("james.sw", "referred"),  # ruth.psm allocates
    Story("sione.sw", "allocated"),  # pita.pcw records the discussion
    Story("tama.sw", "planning", "emma.pcw"),
    Story("lucy.sw", "changes", "emma.pcw"),
    Story("priya.sw", "ready_for_court"),
    Story("kiri.sw", "rung_6", "emma.pcw"),  # helen.national's determination
    Story("ngaire.sw", "approved", "emma.pcw"),
    Story("liam.sw", "closed", "emma.pcw"),
    Story("chen.sw", "rung_1"),
    Story("wiremu.sw", "sent"),  # pita.pcw sends the letter
)

_BASE = ["send", "allocate", "discuss"]
_PLANNED = [*_BASE, "plan", "meeting", "agree", "ready"]
_SUBMITTED = [*_PLANNED, "submit"]
_REFUSED = [*_SUBMITTED, "site_signs", "refuse"]
_APPROVED = [*_SUBMITTED, "site_signs", "approve"]
_SENT = [*_APPROVED, "discharge", "hand_over"]
PATHS: dict[str, list[str]] = {
    "referral_gaps": ["lodger"],
    "referred": ["send"],
    "allocated": ["send", "allocate"],
    "planning": [*_BASE, "plan_begun"],
    "ready_for_court": _PLANNED,
    "awaiting_approval": _SUBMITTED,
    "rung_1": _REFUSED,
    "rung_3": [*_REFUSED, "escalate:1", "escalate:2", "consult_booked"],
    "rung_6": [*_REFUSED, "escalate:1", "escalate:2", "escalate:3", "escalate:4", "escalate:5"],
    "changes": [*_REFUSED, "escalate:1", "changes_agreed", "change_plan", "follow_ups"],
    "approved": [*_APPROVED, "discharge_hearing"],
    "sent": _SENT,
    "in_place": [*_SENT, "letter", "purchases"],
    "closed": [*_SENT, "letter", "purchases", "review", "further"],
}
# Days from today to the discharge of the chief executive's orders (the plan's start), for the stories after it.
DISCHARGED = {"sent": (3, 10), "in_place": (150, 190), "closed": (330, 350)}
IWI_PROVIDERS = {
    "Wellington": "Te Whare Tiaki",
    "Canterbury": "Te Kāhui Whānau Ora Canterbury",
    "Auckland": "Waipareira Whānau Services",
}
GPS = {
    "Wellington": "Kōwhai Medical Centre, Porirua",
    "Canterbury": "Aranui Community Health, Christchurch",
    "Auckland": "Ōtara Family Health Centre",
}
PASIFIKA = ("Samoan", "Tongan", "Fijian", "Cook Islands")
# What keeps the child close to who they are, by their culture: the objective and its informal supports
# (what, who, when, how many, unit); "{kin}" is Koro, or an uncle where there is no Koro.
BELONGING = {
    "maori": (
        "{child} knows their whakapapa and stays close to their whānau",
        [
            (
                "Kapa haka with the school rōpū",
                "The school's kapa haka tutor",
                "Thursday evenings in term",
                30,
                "session",
            ),
            ("Visits to the marae with whānau", "{kin} and the cousins", "one weekend a month", 10, "visit"),
        ],
    ),
    "pasifika": (
        "{child} stays close to their aiga, church and culture",
        [
            ("Youth group at the family's church", "The church youth leader", "Friday evenings", 40, "session"),
            ("Sunday lunch with the extended family", "{kin} and the cousins", "every second Sunday", 24, "visit"),
        ],
    ),
    "other": (
        "{child} stays close to their family and friends",
        [
            (
                "Saturday football with the local club",
                "The club's junior coach (fees waived)",
                "winter season",
                18,
                "game",
            ),
            ("Visits with the cousins", "{kin} and the cousins", "every second weekend", 24, "visit"),
        ],
    ),
}
NEED_TITLES = {
    "maori": "{child}'s connection to whānau, hapū and marae",
    "pasifika": "{child}'s connection to aiga, church and culture",
    "other": "{child}'s connection to family and friends",
}
REFUSALS = (
    "{what}: {qty} {unit}s is more than the service funds in a first year (up to 12). Reduce it, or say why more "
    "is needed."
)
RUNGS = {
    1: (
        "phone",
        "Talked it through with {cw}, who supports the plan; the funding limit stands, so it goes to planning.",
    ),
    2: (
        "conference_call",
        "Planning reconvened by conference call with {carer}, the whānau and {cw}. {carer} works "
        "nights twice a week and the whānau want the respite as planned.",
    ),
    3: ("in_person", "Case consult with the social worker and {cw}: no agreement on the respite nights."),
    4: ("video", "Planning reconvened on the consult's outcome; the whānau hold to the plan as it stands."),
    5: (
        "phone",
        "The site manager and the support-service manager discussed the plan; each holds their position. "
        "Referred for the national manager's determination.",
    ),
}


def add_to_demo(ctx: Any) -> None:
    """Walk each story's family through the permanent care services (run once, after every family is built)."""
    support = Organisation.objects.get(name=d.SUPPORT_SERVICE)
    _add_kaupapa_maori_counselling(ctx.directory, User.objects.get(username=d.ADMINISTRATOR))
    taken: set[int] = set()
    for story in STORIES:
        worker = User.objects.get(username=story.worker)
        case = _choose_case(ctx, story, worker, support, taken)
        taken.add(case.pk)
        Walk(ctx, story, case, worker, support).run()


def _add_kaupapa_maori_counselling(providers: dict[str, Provider], admin: User) -> None:
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


def _eligible(worker: User, story: Story) -> Any:
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


def _choose_case(ctx: Any, story: Story, worker: User, support: Organisation, taken: set[int]) -> Case:
    """One of the worker's families that fits the story; a new family for them if none does (a small demo)."""
    rng: random.Random = ctx.rng
    choices = list(_eligible(worker, story).exclude(pk__in=taken))
    if choices:
        return rng.choice(choices)
    support_workers = list(User.objects.filter(organisation=support, role=Role.SUPPORT_CASEWORKER))
    for _ in range(40):
        case = ctx.family_case(worker, support, support_workers)
        if _eligible(worker, story).filter(pk=case.pk).exists():
            return case
    raise RuntimeError(f"No demo family fits the permanent care story {story}.")


# --- one family's story -----------------------------------------------------------------------------------------


class Walk:
    """One family's story: its steps (PATHS) run in order, each through a service as the person who does it."""

    def __init__(self, ctx: Any, story: Story, case: Case, worker: User, support: Organisation) -> None:
        self.rng: random.Random = ctx.rng
        self.ctx, self.story, self.case, self.worker, self.support = ctx, story, case, worker, support
        self.today: datetime.date = ctx.today
        self.caseworker = User.objects.get(username=story.caseworker)
        self.manager = User.objects.get(organisation=support, role=Role.SUPPORT_MANAGER)
        self.site_manager = User.objects.get(role=Role.SITE_MANAGER, site=case.site)
        self.region = case.site.region
        self.court = self.rng.choice(COURTS.get(self.region, COURTS["Wellington"]))
        self.caseworker_attends = self.rng.random() < 0.75
        self.koro_name = ""
        self.culture = "other"  # set with the child
        self.siblings: list[Person] = []
        self.dates()

    def days(self, n: int, start: datetime.date | None = None) -> datetime.date:
        return (start or self.today) + datetime.timedelta(days=n)

    def dates(self) -> None:
        """The plan runs from the discharge (a court sitting day) for up to a year, reviewed inside that span."""
        if self.story.goal in DISCHARGED:
            low, high = DISCHARGED[self.story.goal]
            self.starts = sitting(self.days(-self.rng.randint(low, high)), self.today)
        else:
            self.starts = sitting(self.days(self.rng.randint(21, 70)), self.today)
        self.ends = one_year_after(self.starts) - datetime.timedelta(days=1)
        self.review_on = {
            "in_place": self.days(self.rng.randint(5, 12)),  # due for the caseworker's review
            "closed": self.days(-self.rng.randint(10, 20)),
        }.get(self.story.goal, self.days(182, self.starts))
        before = self.starts if self.starts < self.today else self.today
        self.noticed = max(self.case.opened_on, self.days(-self.rng.randint(100, 140), before))
        self.met_on = max(self.case.opened_on, self.days(-self.rng.randint(30, 45), self.starts), self.noticed)
        if self.met_on >= self.today:
            self.met_on = max(self.case.opened_on, self.days(-self.rng.randint(1, 6)))
        self.filed_on = min(self.days(self.rng.randint(1, 5), self.met_on), self.today)

    def run(self) -> None:
        self.household()
        self.custody_order()  # the child is in the chief executive's custody until the court discharges it
        self.arrangement: SupportArrangement = services.arrangement_start(
            actor=self.worker,
            case=self.case,
            data={
                "child": self.child,
                "caregiver": self.nan,
                "support_service": self.support,
                "intention_noted_on": self.noticed,
                "referral_notes": f"{self.nan.given_name} has cared for {self.child.given_name} since the custody "
                "order and wants to give a permanent home. The whānau hui supports it.",
            },
        )
        for step in PATHS[self.story.goal]:
            name, _, rung = step.partition(":")
            getattr(self, name)(*([int(rung)] if rung else []))
            self.arrangement.refresh_from_db()

    # --- the family: Nan's home, Koro, the permanency reassessment ----------------------------------------------

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

    def reassess(self) -> list[Need]:
        """A permanency reassessment: the child's own needs in Nan's care, which the plan's objectives meet."""
        w, child, nan = self.worker, self.child.given_name, self.nan.given_name
        latest = (
            self.case.assessments.filter(status=Assessment.Status.COMPLETED).order_by("-assessed_on", "-id").first()
        )
        on = min(max(self.noticed, latest.assessed_on if latest else self.case.opened_on), self.today)
        data = {
            "assessed_on": on,
            "current_situation": f"{child} has lived with {nan} since the custody order; {nan} intends to give "
            "a permanent home.",
            "strengths": f"{nan} is steady and loving, and the wider whānau are close by.",
        }
        assessment = assessing.assessment_create(actor=w, case=self.case, data=data, start_from=latest)
        if latest is None:
            assessing.risk_factor_set(
                actor=w,
                assessment=assessment,
                factor="child_development",
                rating="medium",
                evidence=f"{child} is behind at school after two changes of home this year.",
            )
        titles = [
            (f"{child}'s grief and loss after leaving home", f"{child} wakes at night and is angry after contact."),
            (NEED_TITLES[self.culture].format(child=child), f"{nan} wants {child} to know where they come from."),
            (
                f"A stable home with {nan}, who needs regular breaks",
                f"{nan} works part time and cares alone most days.",
            ),
            (f"{child} settles at school", "New uniform, stationery and a school that knows the story."),
        ]
        needs = [
            assessing.need_add(actor=w, assessment=assessment, data={"title": title, "detail": detail})
            for title, detail in titles
        ]
        assessing.assessment_update(
            actor=w,
            assessment=assessment,
            data={
                "overall_risk": "low",
                "risk_reasoning": f"{child} is safe and well cared for with {nan}; the needs are about the move and "
                "the years ahead.",
                "safety_decision": "safe",
            },
        )
        assessing.assessment_complete(actor=w, assessment=assessment)
        return needs

    # --- referral, allocation, discussion -------------------------------------------------------------------------

    def send(self) -> None:
        services.referral_send(actor=self.worker, arrangement=self.arrangement)

    def allocate(self) -> None:
        services.caseworker_allocate(actor=self.manager, arrangement=self.arrangement, caseworker=self.caseworker)

    def discuss(self) -> None:
        level = "attends_key" if self.caseworker_attends else "outcomes_only"
        services.discussion_record(
            actor=self.caseworker,
            arrangement=self.arrangement,
            data={
                "held_on": self.today,
                "method": self.rng.choice(["in_person", "phone", "video"]),
                "supports_discussed": f"Counselling for {self.child.given_name} with {self.counsellor}; respite for "
                f"{self.nan.given_name} with {self.iwi_provider}; staying close to family and culture; school costs.",
                "resources_and_costs": f"{self.counsellor} counselling is about $100 a session. The service funds "
                "respite up to 12 nights in the first year; the site usually covers uniforms.",
                "participation_level": level,
            },
        )

    # --- the plan -------------------------------------------------------------------------------------------------

    @property
    def iwi_provider(self) -> Provider:
        return self.ctx.directory.get(IWI_PROVIDERS.get(self.region, "Te Whare Tiaki")) or Provider.objects.get(
            name=IWI_PROVIDERS.get(self.region, "Te Whare Tiaki"), case__isnull=True
        )

    @property
    def counsellor(self) -> Provider:
        """Kaupapa Māori counselling with the Iwi provider, unless a Pasifika or local service fits better."""
        name = None
        if self.culture == "pasifika" and self.region != "Canterbury":
            name = "Pasifika Family Services"
        elif self.culture == "other" and self.region == "Canterbury":
            name = "Canterbury Family Counselling"
        return self.ctx.directory.get(name) or self.iwi_provider

    def offer(self, provider: Provider, *codes: str) -> ProviderService | None:
        offers = {
            o.service_type.code: o for o in provider.services.filter(is_active=True).select_related("service_type")
        }
        return next((offers[c] for c in codes if c in offers), None)

    def objective(self, need: Need, title: str) -> Objective:
        return services.objective_add(
            actor=self.worker, arrangement=self.arrangement, data={"need": need, "title": title}
        )

    def item(self, objective: Objective, **data: Any) -> SupportItem:
        return services.item_add(actor=self.worker, objective=objective, data=data)

    def set_dates(self) -> None:
        services.plan_set_dates(
            actor=self.worker,
            arrangement=self.arrangement,
            data={"starts_on": self.starts, "ends_on": self.ends, "review_on": self.review_on},
        )

    def counselling(self, objective: Objective) -> None:
        provider = self.counsellor
        already = self.rng.random() < 0.3
        maori = provider.kind == Provider.Kind.IWI and self.culture == "maori"
        kind = "Kaupapa Māori counselling" if maori else "Counselling"
        self.item(
            objective,
            what=f"{kind} for {self.child.given_name}",
            provider=provider,
            provider_service=self.offer(provider, "therapeutic"),
            quantity=Decimal(10),
            starts_on=self.days(-28 if already else 14, self.starts),
            due_on=self.days(180, self.starts),
            timeline="fortnightly",
            funder=Item.Funder.SUPPORT_SERVICE,
            started_before_discharge=already,
            caregiver_instructions=f"Sessions are after school on Tuesdays at {provider}; {self.nan.given_name} can "
            "come to the first and last. Ring them the day before if you cannot make it.",
        )

    def plan(self) -> None:
        child, nan = self.child.given_name, self.nan.given_name
        grief, whanau, respite, school = self.reassess()
        self.set_dates()
        self.counselling(self.objective(grief, f"{child} feels safe and settled, and can talk about what happened"))
        title, supports = BELONGING[self.culture]
        belonging = self.objective(whanau, title.format(child=child))
        for what, who, when, quantity, unit in supports:
            self.item(
                belonging,
                kind=Item.Kind.INFORMAL,
                what=what,
                provider_name=who.format(kin=self.koro_name or "Uncle"),
                timeline=when,
                quantity=Decimal(quantity),
                unit=unit,
                costs_money=False,
            )
        self.respite(self.objective(respite, f"{nan} has regular breaks so {child}'s home stays stable"))
        ready = self.objective(school, f"{child} has what they need for school")
        self.item(
            ready,
            kind=Item.Kind.FINANCIAL,
            what="School uniform, shoes and stationery",
            provider_name="The school's uniform shop",
            due_on=self.days(30, self.starts),
            quantity=Decimal(1),
            unit="item",
            costs_money=True,
            cost=Decimal("350"),
            funder=Item.Funder.SITE,
        )
        self.universal_services()

    def respite(self, objective: Objective) -> None:
        iwi = self.iwi_provider
        offer = self.offer(iwi, "respite_care", "in_home")
        nights = 24 if self.story.goal.startswith(("rung", "changes")) else 12
        self.item(
            objective,
            what=f"Respite care with {iwi.name}",
            provider=iwi,
            provider_service=offer,
            quantity=Decimal(nights),
            starts_on=self.days(30, self.starts),
            due_on=self.days(330, self.starts),
            timeline="one weekend a month",
            funder=Item.Funder.SUPPORT_SERVICE,
            caregiver_instructions="Book each weekend a fortnight ahead with the respite coordinator.",
        )
        workshops = self.ctx.directory.get("Kinship Carers Support")
        if workshops is not None:
            self.item(
                objective,
                what=f"Caregiver workshops for {self.nan.given_name}",
                provider=workshops,
                provider_service=self.offer(workshops, "kinship_care"),
                quantity=Decimal(3),
                starts_on=self.days(20, self.starts),
                due_on=self.days(120, self.starts),
                caregiver_instructions="Three Saturday mornings at the community hall.",
            )

    def universal_services(self) -> None:
        maori = self.culture == "maori"
        listed = [
            (f"GP: {GPS.get(self.region, GPS['Wellington'])}", "Enrolled; free visits for under-14s."),
            (
                "Working for Families and the Unsupported Child's Benefit",
                f"{self.nan.given_name} applies through Work and Income (0800 559 009); the caseworker can help.",
            ),
            ("Kura" if maori else "School", "Enrolled; the learning support coordinator knows the plan."),
        ]
        little = next((p for p in self.siblings if p.age is not None and p.age < 5), None)
        if little is not None:
            early = "Kōhanga reo" if maori else "Early childhood education"
            listed.append((f"{early} for {little.given_name}", "20 Hours ECE from age three; enrolled for mornings."))
        for name, how in listed:
            services.universal_service_add(
                actor=self.worker, arrangement=self.arrangement, data={"name": name, "how_to_access": how}
            )

    def plan_begun(self) -> None:
        """Planning under way: what stands before court shows (a support still to name, no universal services, the
        meeting next week, nobody asked to agree yet)."""
        grief, _, respite, _ = self.reassess()
        self.set_dates()
        self.counselling(self.objective(grief, f"{self.child.given_name} feels safe and settled"))
        self.objective(respite, f"{self.nan.given_name} has regular breaks")
        day = self.days(self.rng.randint(4, 9))
        meeting = meetings.meeting_schedule(
            actor=self.worker, case=self.case, data=self.meeting_data(Meeting.Kind.PERMANENT_CARE, day, 10)
        )
        meetings.participants_invite_team(actor=self.worker, meeting=meeting)
        meetings.participant_add(actor=self.worker, meeting=meeting, user=self.caseworker)

    # --- the planning meeting, agreement, court ------------------------------------------------------------------

    def meeting_data(self, kind: str, day: datetime.date, hour: int) -> dict[str, Any]:
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())
        if day <= self.today:
            moment = min(moment, timezone.now() - datetime.timedelta(hours=2))
        return {
            "kind": kind,
            "starts_at": moment,
            "place": self.rng.choice([f"{self.nan.given_name}'s home", "The marae wharekai", "Whānau room"]),
            "purpose": f"Plan the support {self.nan.given_name} and {self.child.given_name} need in the first year "
            "after the chief executive's orders are discharged.",
        }

    def meeting(self) -> None:
        w = self.worker
        meeting = meetings.meeting_schedule(
            actor=w, case=self.case, data=self.meeting_data(Meeting.Kind.PERMANENT_CARE, self.met_on, 10)
        )
        meetings.participants_invite_team(actor=w, meeting=meeting)
        way = Participation.ABSENT
        if self.caseworker_attends:
            way = self.rng.choice([Participation.IN_PERSON, Participation.PHONE])
        caseworker = meetings.participant_add(actor=w, meeting=meeting, user=self.caseworker, participation=way)
        for place in meeting.participants.filter(participation=Participation.NOT_RECORDED):
            way = Participation.IN_PERSON if self.rng.random() < 0.75 else Participation.PHONE
            meetings.participation_record(actor=w, participant=place, participation=way)
        explainer = self.caseworker if self.caseworker_attends else w
        meetings.support_role_record(actor=w, meeting=meeting, explained_by=explainer, explained_on=self.met_on)
        supports = " and ".join(what.lower() for what, *_ in BELONGING[self.culture][1])
        decisions = (
            f"Counselling with {self.counsellor} for {self.child.given_name}; respite one weekend a month "
            f"for {self.nan.given_name}; {supports}; the site covers the uniform. "
            f"{explainer.get_full_name()} explained how the support service administers and reviews the plan."
        )
        meetings.meeting_transition(actor=w, meeting=meeting, to=Meeting.Status.HELD, decisions=decisions)
        if not self.caseworker_attends:
            meetings.outcome_record(
                actor=w, participant=caseworker, method="email", sent_on=min(self.days(1, self.met_on), self.today)
            )

    def agree(self) -> None:
        for member in self.case.team_members.filter(archived_at__isnull=True, is_required=True):
            personal = member.user_id or member.person_id == self.nan.pk
            method = "in_person" if personal else self.rng.choice(["in_person", "phone", "in_writing"])
            services.agreement_record(
                actor=self.worker, arrangement=self.arrangement, member=member, position="agrees", method=method
            )

    def ready(self) -> None:
        services.mark_ready_for_court(
            actor=self.worker,
            arrangement=self.arrangement,
            court_step=f"Application to discharge the custody order (s101) and for a parenting order for "
            f"{self.nan.full_name} (Care of Children Act s48), filed at the {self.court}.",
            court_step_on=self.filed_on,
        )

    # --- approval and the escalation ladder ----------------------------------------------------------------------

    def submit(self) -> None:
        services.submit_for_approval(actor=self.worker, arrangement=self.arrangement)

    def site_signs(self) -> None:
        services.approval_decide(
            actor=self.site_manager,
            arrangement=self.arrangement,
            decision="approved",
            comment="The uniform grant comes from the site's permanency budget.",
        )

    def approve(self) -> None:
        services.approval_decide(
            actor=self.manager, arrangement=self.arrangement, decision="approved", comment="Costs within our limits."
        )

    def respite_item(self) -> SupportItem:
        return live_items(self.arrangement).get(what__startswith="Respite care")

    def refuse(self) -> None:
        item = self.respite_item()
        comment = REFUSALS.format(what=item.what, qty=item.quantity.normalize(), unit=item.unit)
        services.approval_decide(
            actor=self.manager, arrangement=self.arrangement, decision="not_approved", comment=comment
        )

    def rung_actor(self, rung: int) -> User:
        if rung == 3:
            return User.objects.get(role=Role.SUPERVISOR, team_id=self.case.team_id)
        if rung == 5:
            return self.site_manager
        return self.worker

    def escalate(self, rung: int, outcome: str = Outcome.UNRESOLVED, summary: str = "") -> None:
        method, text = RUNGS[rung]
        services.escalation_record(
            actor=self.rung_actor(rung),
            arrangement=self.arrangement,
            rung=rung,
            data={
                "held_on": self.today,
                "method": method,
                "caseworker_involved": rung in (2, 3, 4),
                "outcome": outcome,
                "summary": summary or text.format(cw=self.caseworker.get_full_name(), carer=self.nan.given_name),
            },
        )

    def consult_booked(self) -> None:
        """The supervisor's case consult (rung 3) is in the diary."""
        day = self.days(self.rng.randint(2, 6))
        data = self.meeting_data(Meeting.Kind.CASE_CONSULT, day, 14) | {
            "place": "Supervisor's office and by phone",
            "purpose": "Escalation step 3: the supervisor's case consult on the respite nights the support service "
            "did not approve.",
        }
        meetings.meeting_schedule(actor=self.worker, case=self.case, data=data)

    def changes_agreed(self) -> None:
        summary = (
            f"Reconvened with {self.caseworker.get_full_name()} by conference call: respite reduced to 12 nights, "
            f"one weekend a month; {self.nan.given_name}'s sister covers the school holidays."
        )
        self.escalate(2, Outcome.RESOLVED_WITH_CHANGES, summary)

    def change_plan(self) -> None:
        item = self.respite_item()
        unit_cost = item.provider_service.unit_cost if item.provider_service else Decimal(120)
        services.item_update(
            actor=self.worker, item=item, data={"quantity": Decimal(12), "cost": Decimal(12) * unit_cost}
        )

    def follow_ups(self) -> None:
        """The changes are discussed with Nan first; the rest of the whānau are still to hear them."""
        for follow_up in self.arrangement.follow_ups.filter(person=self.nan)[:1]:
            services.follow_up_record(
                actor=self.worker,
                follow_up=follow_up,
                data={
                    "discussed_on": self.today,
                    "method": "in_person",
                    "note": f"{self.nan.given_name} is happy with 12 nights now her sister can help.",
                },
            )

    # --- the court, hand-over and the support service --------------------------------------------------------------

    def custody_order(self) -> list[CourtOrder]:
        orders = list(self.case.court_orders.filter(kind__in=CHIEF_EXECUTIVE_KINDS, status=CourtOrder.Status.IN_FORCE))
        if orders:
            return orders
        made = max(self.case.opened_on, self.days(-self.rng.randint(120, 200), min(self.starts, self.today)))
        data = {
            "kind": "ce_custody",
            "child": self.child,
            "court": self.court,
            "reference": f"FAM-{made.year}-085-{self.rng.randint(100, 999999):06d}",
            "made_on": sitting(made, self.today),
        }
        return [court.order_create(actor=self.worker, case=self.case, data=data)]

    def discharge_hearing(self) -> None:
        purpose = "Application to discharge the custody order and for a parenting order"
        data = {"order": self.custody_order()[0], "date": self.starts, "time": datetime.time(10), "court": self.court}
        court.hearing_schedule(actor=self.worker, case=self.case, data=data | {"purpose": purpose})

    def discharge(self) -> None:
        orders = self.custody_order()
        purpose = "Application to discharge the custody order and for a parenting order"
        name = self.nan.full_name
        hearing = court.hearing_schedule(
            actor=self.worker,
            case=self.case,
            data={"order": orders[0], "date": self.starts, "court": self.court, "purpose": purpose},
        )
        court.hearing_record_outcome(
            actor=self.worker,
            hearing=hearing,
            status="held",
            outcome=f"Custody order discharged; parenting order made for {name}.",
        )
        for order in orders:
            court.order_discharge(actor=self.worker, order=order, on=self.starts, note=f"Parenting order for {name}.")
        data = {
            "kind": "parenting",
            "child": self.child,
            "granted_to": self.nan,
            "court": self.court,
            "made_on": self.starts,
            "notes": "Day-to-day care; contact with the parents as the whānau agreed.",
        }
        court.order_create(actor=self.worker, case=self.case, data=data)

    def hand_over(self) -> None:
        services.arrangement_send(actor=self.worker, arrangement=self.arrangement)

    def letter(self) -> None:
        services.letter_record_sent(
            actor=self.caseworker,
            arrangement=self.arrangement,
            sent_on=self.today,
            method=self.rng.choice(["post", "email"]),
        )

    def purchases(self) -> None:
        """The service buys the supports it resources, and records what was delivered month by month."""
        for item in live_items(self.arrangement).filter(funder=Item.Funder.SUPPORT_SERVICE):
            start = max(item.starts_on or self.starts, self.starts)
            if start >= self.today:
                continue
            purchase = services.purchase_record(
                actor=self.caseworker,
                arrangement=self.arrangement,
                item=item,
                data={
                    "provider_service": item.provider_service,
                    "quantity": item.quantity,
                    "unit": item.unit,
                    "cost": item.cost,
                    "period_start": start,
                    "period_end": item.due_on,
                    "reference": f"PCSS-{self.rng.randint(10000, 99999)}",
                },
            )
            self.deliveries(purchase, start)

    def deliveries(self, purchase: Any, start: datetime.date) -> None:
        unit_cost = purchase.cost / purchase.quantity
        left, month = purchase.quantity, 1
        while left > 0 and month <= 6:
            on = self.days(30 * month, start)
            if on > self.today:
                break
            quantity = min(left, Decimal(self.rng.choice([1, 2, 2, 3])))
            services.delivery_record(
                actor=self.caseworker,
                purchase=purchase,
                data={
                    "delivered_on": on,
                    "quantity": quantity,
                    "cost": (quantity * unit_cost).quantize(Decimal("0.01")),
                    "note": self.rng.choice(["", "Invoice received.", "One session rebooked after a cancellation."]),
                },
            )
            left -= quantity
            month += 1

    def review(self) -> None:
        child, nan = self.child.given_name, self.nan.given_name
        services.review_record(
            actor=self.caseworker,
            arrangement=self.arrangement,
            data={
                "reviewed_on": self.review_on,
                "findings": f"{child} finished counselling and is settled at school; the respite weekends kept "
                f"{nan} going through winter. The plan has done what it set out to do.",
                "caregiver_views": f"{nan}: 'We're in a good place now. I know who to ring if I need help.'",
                "outcome": "complete",
            },
        )

    def further(self) -> None:
        starts = self.days(1, self.ends)
        services.further_support_record(
            actor=self.caseworker,
            arrangement=self.arrangement,
            data={
                "agreed_on": self.days(-self.rng.randint(2, 8)),
                "starts_on": starts,
                "ends_on": self.days(182, starts),
                "supports": f"Respite one weekend every two months with {self.iwi_provider.name}, six nights in all.",
                "cost": Decimal("720"),
                "negotiated_with": self.nan.full_name,
            },
        )

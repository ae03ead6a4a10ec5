"""A national agency's worth of data, for the benchmark (bench/) and for sizing: generated fast with bulk inserts.

`generate(size)` adds, beside whatever the database holds: sites with their teams and staff, a provider directory,
and cases with their people, households, relationships, Child and Family Team, one plan each (goals and steps),
referrals and history (chained, as every history entry is). The shape is realistic: most families are small and
a few large; most cases are closed; open cases have overdue steps and reviews; a few plans have 100 steps.

Records get their ids here, so every reference is known before anything is written (no read-back), and the
sequences are moved past them at the end. Everything is deterministic for a given seed.
"""

from __future__ import annotations

import datetime
import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kinplan.accounts.models import Organisation, Site, Team, User
from kinplan.audit.chain import HISTORY, append_many
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.core.text import normalise_name
from kinplan.demo import data as d
from kinplan.planning.models import Goal, PermanencyGoal, Plan, Step
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.referrals.models import Referral

SCALE_PASSWORD = "kinplan-scale-2026"
BIG_PLAN_EVERY = 1000  # every thousandth case's plan has BIG_PLAN_STEPS steps (the plan page the bench opens)
BIG_PLAN_STEPS = 100
CHUNK = 1000  # cases written per batch of inserts
BATCH = 5000  # rows per INSERT


@dataclass(frozen=True)
class ScaleSize:
    """How much to generate. The defaults are the national agency of the performance brief."""

    cases: int = 100_000
    people: int = 500_000
    steps: int = 1_000_000
    referrals: int = 200_000
    sites: int = 50
    users: int = 2_000
    providers: int = 2_000

    def scaled(self, cases: int) -> ScaleSize:
        """The same proportions for `cases` cases (at least one site, a few users and providers)."""
        ratio = cases / self.cases
        return ScaleSize(
            cases=cases,
            people=max(cases * 2, round(self.people * ratio)),
            steps=round(self.steps * ratio),
            referrals=round(self.referrals * ratio),
            sites=max(1, round(self.sites * ratio)),
            users=max(40, round(self.users * ratio)),
            providers=max(20, round(self.providers * ratio)),
        )


@dataclass
class Counts:
    """What was written, by model."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, model: type[models.Model], n: int) -> None:
        label = model._meta.label
        self.rows[label] = self.rows.get(label, 0) + n


class Ids:
    """The next free id of each table, read once: ids are given here, not by the database."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], Iterator[int]] = {}

    def __call__(self, model: type[models.Model]) -> int:
        if model not in self._next:
            last = model._base_manager.aggregate(last=models.Max("pk"))["last"] or 0
            self._next[model] = itertools.count(last + 1)
        return next(self._next[model])

    @property
    def models(self) -> list[type[models.Model]]:
        return list(self._next)


@dataclass
class Staff:
    site: Site
    manager: User
    teams: list[tuple[Team, list[User]]]  # each team with its social workers (the supervisor first)


class Generator:
    def __init__(self, size: ScaleSize, seed: int = 1, progress: Callable[[int], None] | None = None) -> None:
        self.size, self.random, self.progress = size, random.Random(seed), progress or (lambda n: None)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.ids = Ids()
        self.counts = Counts()
        # Names this run's organisations, sites and users apart; a second run with the same seed (a data set grown
        # in two steps) takes the next free name.
        run = uuid.UUID(int=self.random.getrandbits(128)).hex[:6]
        earlier = Organisation.objects.filter(name__startswith=f"National Agency {run}").count()
        self.run = f"{run}-{earlier + 1}" if earlier else run

    # --- writing ---------------------------------------------------------------------------------------

    def write(self, model: type[models.Model], rows: list[models.Model]) -> None:
        if rows:
            model._base_manager.bulk_create(rows, batch_size=BATCH)
            self.counts.add(model, len(rows))

    def new(self, model: type[models.Model], **values: Any) -> Any:
        stamp = values.pop("at", self.now)
        return model(pk=self.ids(model), created_at=stamp, updated_at=stamp, **values)

    # --- the organisation --------------------------------------------------------------------------------

    def organisation(self) -> tuple[list[Staff], list[User], Organisation]:
        password = make_password(SCALE_PASSWORD)
        agency = self.new(Organisation, name=f"National Agency {self.run}", child_term="mokopuna", family_term="whanau")
        support = self.new(Organisation, name=f"Support Service {self.run}", kind=Organisation.Kind.SUPPORT_SERVICE)
        self.write(Organisation, [agency, support])
        sites = [
            self.new(Site, organisation=agency, name=f"{d.SITES[i % len(d.SITES)][1]} {i + 1} ({self.run})")
            for i in range(self.size.sites)
        ]
        self.write(Site, sites)
        per_site = max(4, (self.size.users - 12) // self.size.sites)  # a manager, teams of a supervisor and workers
        teams_per_site = max(1, (per_site - 1) // 8)
        staff, users, team_rows = [], [], []
        for site in sites:
            manager = self.user(password, site, None, User.Role.SITE_MANAGER, "mgr")
            users.append(manager)
            teams = []
            for t in range(teams_per_site):
                team = self.new(Team, site=site, name=f"Team {t + 1}")
                team_rows.append(team)
                members = [self.user(password, site, team, User.Role.SUPERVISOR, "sup")]
                members += [self.user(password, site, team, User.Role.SOCIAL_WORKER, "sw") for _ in range(7)]
                users += members
                teams.append((team, members))
            staff.append(Staff(site=site, manager=manager, teams=teams))
        national = [self.user(password, None, None, User.Role.NATIONAL_MANAGER, "nat") for _ in range(10)]
        caseworkers = [
            self.user(password, None, None, User.Role.SUPPORT_CASEWORKER, "pcs", organisation=support)
            for _ in range(max(2, self.size.users - len(users) - len(national)))
        ]
        self.write(Team, team_rows)
        self.write(User, users + national + caseworkers)
        return staff, caseworkers, agency

    def user(
        self, password: str, site: Site | None, team: Team | None, role: str, kind: str, organisation: Any = None
    ) -> User:
        pk = self.ids(User)
        given = self.random.choice(d.FIRST_NAMES["female"] + d.FIRST_NAMES["male"])
        family = self.random.choice(d.FAMILY_NAMES)
        return User(
            pk=pk,
            username=f"{kind}{pk}.{self.run}",
            password=password,
            first_name=given,
            last_name=family,
            email=f"{kind}{pk}.{self.run}@example.org",
            role=role,
            site=site,
            team=team,
            organisation=organisation if organisation is not None else (site.organisation if site else None),
            date_joined=self.now,
        )

    # --- the provider directory -------------------------------------------------------------------------

    def directory(self) -> list[tuple[Provider, ProviderService | None, ServiceType]]:
        types = list(ServiceType.objects.filter(is_active=True))
        kinds = [Provider.Kind.NGO] * 5 + [Provider.Kind.IWI] * 3 + [Provider.Kind.COMMUNITY] * 2
        providers, services, offers = [], [], []
        for i in range(self.size.providers):
            area = self.random.choice(d.SITES)[1]
            name = f"{self.random.choice(PROVIDER_WORDS)} {self.random.choice(d.FAMILY_NAMES)} {area} {i + 1}"
            provider = self.new(Provider, name=name, kind=self.random.choice(kinds), area_served=area)
            provider.search_text = normalise_name(f"{name} {area}")
            providers.append(provider)
            for service_type in self.random.sample(types, k=min(len(types), self.random.randint(1, 3))):
                service = self.new(
                    ProviderService,
                    provider=provider,
                    service_type=service_type,
                    unit=ProviderService.Unit.SESSION,
                    unit_cost=Decimal(self.random.choice([0, 60, 90, 120, 150])),
                )
                services.append(service)
                offers.append((provider, service, service_type))
        self.write(Provider, providers)
        self.write(ProviderService, services)
        return offers

    # --- cases -----------------------------------------------------------------------------------------

    def cases(self, staff: list[Staff], offers: list[tuple[Provider, ProviderService | None, ServiceType]]) -> None:
        site_weights = [1 / (1 + (i % 10)) for i in range(len(staff))]  # a few big sites, many small ones
        sizes = self.family_sizes()
        steps = self.steps_per_plan()
        referrals = self.spread(self.size.referrals, self.size.cases)
        for start in range(0, self.size.cases, CHUNK):
            batch = range(start, min(start + CHUNK, self.size.cases))
            with transaction.atomic():
                self.chunk(
                    [self.random.choices(staff, site_weights)[0] for _ in batch],
                    [sizes[i] for i in batch],
                    [steps[i] for i in batch],
                    [referrals[i] for i in batch],
                    offers,
                )
            self.progress(len(batch))

    def family_sizes(self) -> list[int]:
        """People in each case: the child and mostly a few others; now and then a large whānau (up to 30)."""
        wanted = self.size.people / self.size.cases
        sizes = [min(30, 2 + round(self.random.expovariate(1 / max(0.1, wanted - 2)))) for _ in range(self.size.cases)]
        return sizes

    def steps_per_plan(self) -> list[int]:
        """Steps in each plan, about `steps` in all; every BIG_PLAN_EVERY-th plan has BIG_PLAN_STEPS."""
        mean = self.size.steps / self.size.cases
        counts = [max(1, round(self.random.lognormvariate(0, 0.6) * mean * 0.84)) for _ in range(self.size.cases)]
        for i in range(0, self.size.cases, BIG_PLAN_EVERY):
            counts[i] = BIG_PLAN_STEPS
        return counts

    def spread(self, total: int, over: int) -> list[int]:
        counts = [0] * over
        for _ in range(total):
            counts[self.random.randrange(over)] += 1
        return counts

    def chunk(self, sites: list[Staff], sizes: list[int], step_counts: list[int], referral_counts: list[int], offers):
        rows: dict[type[models.Model], list[models.Model]] = {m: [] for m in WRITE_ORDER}
        history: list[AuditEvent] = []
        for staff, size, n_steps, n_referrals in zip(sites, sizes, step_counts, referral_counts, strict=True):
            team, members = self.random.choice(staff.teams)
            worker = self.random.choice(members[1:] or members)
            self.case(rows, history, staff, team, worker, size, n_steps, n_referrals, offers)
        for model in WRITE_ORDER:
            self.write(model, rows[model])
        history.sort(key=lambda event: event.at)
        append_many(HISTORY, history)
        self.counts.add(AuditEvent, len(history))

    def case(self, rows, history, staff, team, worker, size, n_steps, n_referrals, offers) -> None:
        r = self.random
        opened = self.today - datetime.timedelta(days=r.randint(20, 5 * 365))
        closed = r.random() < 0.7 and (self.today - opened).days > 120
        closed_on = opened + datetime.timedelta(days=r.randint(90, (self.today - opened).days)) if closed else None
        review = opened + datetime.timedelta(days=r.randint(30, 400))
        family = r.choice(d.FAMILY_NAMES)
        at = timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9, r.randint(0, 59))))
        pk = self.ids(Case)
        case = Case(
            pk=pk,
            created_at=at,
            updated_at=at,
            reference=f"KP-{pk:06d}",
            name=f"{family} whānau",
            site=staff.site,
            team=team,
            worker=worker,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            opened_on=opened,
            closed_on=closed_on,
            summary=r.choice(d.SUMMARIES),
            next_review_on=None if closed else review,
        )
        rows[Case].append(case)
        history.append(self.event(worker, "case.created", case, case, at, {"name": [None, case.name]}))
        home = self.new(Household, case=case, name=f"{family} home", address=self.address(), is_childs_home=True, at=at)
        rows[Household].append(home)
        people = [self.person(family, child=True, at=at)] + [self.person(family, at=at) for _ in range(size - 1)]
        child = people[0]
        rows[Person] += people
        roles = [Participant.Role.CHILD] + [
            Participant.Role.PARENT if i < 2 else r.choice(ADULT_ROLES) for i in range(size - 1)
        ]
        for person, role in zip(people, roles, strict=True):
            rows[Participant].append(self.new(Participant, case=case, person=person, role=role, household=home, at=at))
        for i, person in enumerate(people[1:]):
            kind = (Relationship.Kind.MOTHER, Relationship.Kind.FATHER)[i] if i < 2 else r.choice(KIN)
            rows[Relationship].append(self.new(Relationship, case=case, person=person, child=child, kind=kind, at=at))
        rows[TeamMember].append(self.new(TeamMember, case=case, user=worker, role=TeamMember.Role.SOCIAL_WORKER, at=at))
        rows[TeamMember] += [
            self.new(TeamMember, case=case, person=person, role=TeamMember.Role.PARENT, at=at) for person in people[1:3]
        ]
        self.plan(rows, history, case, worker, people, n_steps, offers, at)
        for _ in range(n_referrals):
            rows[Referral].append(self.referral(case, worker, r.choice(people), r.choice(offers), at))

    def person(self, family: str, child: bool = False, at: datetime.datetime | None = None) -> Person:
        r = self.random
        gender = r.choice(["female", "male"])
        given = r.choice(d.FIRST_NAMES[gender])
        born = self.today - datetime.timedelta(days=r.randint(200, 17 * 365) if child else r.randint(20, 70) * 365)
        person = self.new(
            Person,
            given_name=given,
            family_name=family if child or r.random() < 0.6 else r.choice(d.FAMILY_NAMES),
            date_of_birth=born,
            gender=gender,
            ethnicity=r.choice(d.ETHNICITIES),
            preferred_language=r.choice(d.LANGUAGES),
            phone="" if child else f"021 {r.randint(100, 999)} {r.randint(1000, 9999)}",
            at=at,
        )
        person.search_name = person.folded_name()
        return person

    def address(self) -> str:
        return f"{self.random.randint(1, 300)} {self.random.choice(d.STREETS)}"

    def plan(self, rows, history, case: Case, worker: User, people, n_steps: int, offers, at) -> None:
        r = self.random
        status = Plan.Status.CLOSED if case.status == Case.Status.CLOSED else Plan.Status.ACTIVE
        plan = self.new(
            Plan,
            case=case,
            version=1,
            is_current=True,
            status=status,
            permanency_goal=r.choice([PermanencyGoal.REUNIFICATION, PermanencyGoal.REMAIN_HOME]),
            alternative_goal=PermanencyGoal.KINSHIP_CARE,
            starts_on=case.opened_on,
            next_review_on=case.next_review_on,
            agreed_at=at,
            created_by=worker,
            at=at,
        )
        rows[Plan].append(plan)
        history.append(self.event(worker, "plan.created", plan, case, at, {"status": [None, status]}))
        long_term = [
            self.new(Goal, plan=plan, title=title, position=i, at=at) for i, title in enumerate(r.sample(GOALS, k=2))
        ]
        intermediate = [
            self.new(Goal, plan=plan, parent=parent, title=r.choice(INTERMEDIATE), position=i, at=at)
            for parent in long_term
            for i in range(2)
        ]
        rows[Goal] += long_term + intermediate
        done_before = self.today - datetime.timedelta(days=30)
        for i in range(n_steps):
            due = case.opened_on + datetime.timedelta(days=r.randint(7, 400))
            step = self.new(
                Step,
                goal=intermediate[i % len(intermediate)],
                position=i,
                what=r.choice(STEPS),
                responsible=Step.Responsible.WORKER,
                responsible_user=worker,
                starts_on=case.opened_on,
                due_on=due,
                at=at,
            )
            if r.random() < 0.3:
                provider, service, _type = r.choice(offers)
                step.kind, step.responsible, step.provider, step.provider_service = (
                    "service",
                    "provider",
                    provider,
                    service,
                )
                step.responsible_user = None
            elif r.random() < 0.3:
                step.responsible, step.responsible_user = Step.Responsible.FAMILY, None
                step.responsible_person = r.choice(people)
            if case.status == Case.Status.CLOSED or (due < done_before and r.random() < 0.75):
                step.status, step.completed_on, step.result = Step.Status.DONE, min(due, self.today), "Done as agreed."
            rows[Step].append(step)

    def referral(self, case: Case, worker: User, person: Person, offer, at) -> Referral:
        r = self.random
        provider, service, service_type = offer
        status = r.choice(REFERRAL_STATUSES)
        sent = case.opened_on + datetime.timedelta(days=r.randint(1, 60))
        sent = min(sent, self.today)
        referral = self.new(
            Referral,
            case=case,
            person=person,
            provider=provider,
            provider_service=service,
            service_type=service_type,
            reason="Support the family to keep the child safe at home.",
            status=status,
            status_on=sent if status != Referral.Status.DRAFTED else case.opened_on,
            status_changed_at=at,
            created_by=worker,
            at=at,
        )
        if status != Referral.Status.DRAFTED:
            referral.sent_on, referral.information_sent = sent, f"{person.given_name}, the family's needs and consent."
        if status in (Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.STARTED):
            referral.answered_on = sent
        if status == Referral.Status.DECLINED:
            referral.decline_reason = "No capacity this term."
        return referral

    def event(self, actor: User, event: str, target, case: Case, at, changes) -> AuditEvent:
        return AuditEvent(
            at=at,
            actor=actor,
            event=event,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=str(target)[:300],
            case=case,
            changes=changes,
        )

    # --- after ---------------------------------------------------------------------------------------

    def refresh_planner_statistics(self) -> None:
        """PostgreSQL: let the planner see the rows just written. Without it, the statistics it took while the
        tables were nearly empty stand until autovacuum comes by, and a caseload's count becomes a nested loop
        over every case (minutes)."""
        if connection.vendor == "postgresql":
            tables = ", ".join(model._meta.db_table for model in [*self.ids.models, AuditEvent])
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {tables}")

    def move_sequences_on(self) -> None:
        """PostgreSQL: the next id each table gives is past those given here."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.ids.models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


WRITE_ORDER: list[type[models.Model]] = [Case, Household, Person, Participant, Relationship, TeamMember, Plan]
WRITE_ORDER += [Goal, Step, Referral]
ADULT_ROLES = [Participant.Role.WHANAU, Participant.Role.WHANAU, Participant.Role.CAREGIVER, Participant.Role.OTHER]
KIN = [Relationship.Kind.GRANDPARENT, Relationship.Kind.AUNT_UNCLE, Relationship.Kind.SIBLING, Relationship.Kind.COUSIN]
REFERRAL_STATUSES = [Referral.Status.DRAFTED] + [Referral.Status.SENT] * 3 + [Referral.Status.ACCEPTED] * 3
REFERRAL_STATUSES += [Referral.Status.STARTED, Referral.Status.DECLINED]
PROVIDER_WORDS = ["Te Whare", "Kāinga", "Whānau Ora", "Family Works", "Barnardos", "Pasifika Trust", "Community Hub"]
GOALS = [
    "Tamariki are safe and cared for at home",
    "The whānau has a stable, healthy home",
    "Mum is well and supported",
    "The children go to school every day",
    "The whānau is connected to its marae and culture",
]
INTERMEDIATE = [
    "A safety plan everyone knows",
    "Rent arrears are paid off",
    "Counselling is under way",
    "School attendance above 90%",
    "A whānau hui is held",
]
STEPS = [
    "Book the budget advisor",
    "Visit the school with Mum",
    "Apply for the housing grant",
    "Attend the parenting course",
    "GP check for the children",
    "Hold the whānau hui",
    "Counselling sessions",
    "Call the landlord about repairs",
]


def generate(size: ScaleSize, *, seed: int = 1, progress: Callable[[int], None] | None = None) -> Counts:
    """Write a data set of `size` (see the module's docstring); `progress` is told of each chunk of cases done."""
    generator = Generator(size, seed=seed, progress=progress)
    with transaction.atomic():
        staff, _caseworkers, _agency = generator.organisation()
        offers = generator.directory()
    generator.cases(staff, offers)
    generator.move_sequences_on()
    generator.refresh_planner_statistics()
    return generator.counts


def benchmark_visitors() -> dict[str, Any]:
    """Who opens which page in the benchmark (bench/run.py, bench/profile_pages.py): the generated worker with the
    most open cases and their first open case, the worker of a plan with BIG_PLAN_STEPS steps, and the first
    worker's supervisor. Usernames and case ids; None when nothing has been generated."""
    workers = User.objects.filter(role=User.Role.SOCIAL_WORKER, username__regex=r"^sw\d")
    worker = workers.annotate(open_cases=Count("cases", filter=Q(cases__status="open"))).order_by("-open_cases").first()
    big = (
        Plan.objects.filter(is_current=True)
        .annotate(steps=Count("goals__steps"))
        .filter(steps__gte=BIG_PLAN_STEPS)
        .select_related("case__worker")
        .order_by("pk")
        .first()
    )
    if worker is None or big is None:
        return {}
    case = worker.cases.filter(status="open").order_by("pk").first()
    supervisor = User.objects.filter(role=User.Role.SUPERVISOR, team_id=worker.team_id).order_by("pk").first()
    return {
        "worker": worker.username,
        "case": case.pk if case else None,
        "plan_case": big.case_id,
        "plan_worker": big.case.worker.username,
        "supervisor": supervisor.username if supervisor else None,
    }

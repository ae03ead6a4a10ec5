"""Demo court orders and hearings for a family (see extensions.py), made through the court services.

About a quarter of the open families are before the Family Court: most have the chief executive's custody of the
children with conditions (linked to the plan's steps where there is a plan), checked for compliance, a court
review coming up and the hearing where the order was made; some have a services or support order too; and a few
have had the chief executive's orders discharged and a parenting order made for their caregiver.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant, Person
from kinplan.court import services as court
from kinplan.court.models import CourtOrder, OrderCondition
from kinplan.planning.models import Step

COURTS = {
    "Wellington": ["Family Court at Wellington", "Family Court at Porirua", "Family Court at Lower Hutt"],
    "Canterbury": ["Family Court at Christchurch", "Family Court at Rangiora"],
    "Auckland": ["Family Court at Manukau", "Family Court at Papakura"],
}
CONDITIONS = [
    "{child} is to attend school every day; the caregiver tells the social worker of any absence.",
    "{parent} is to complete a parenting programme (Incredible Years or similar).",
    "{parent} is to complete an alcohol and drug assessment and follow its recommendations.",
    "Contact between {child} and {parent} is supervised, at least once a week.",
    "{child} is not to be moved from the caregiver's home without notice to the court.",
    "{parent} is to attend family violence programme sessions and provide attendance reports.",
]
SHORTFALLS = [
    "Missed three sessions in the last month; the provider has offered evening times.",
    "Assessment booked but not attended; rebooked with transport arranged.",
    "Attendance at 80%: two unexplained absences this term.",
]
CHECKS = [
    "Confirmed with the school: full attendance this term.",
    "Certificate of completion received.",
    "Provider reports regular attendance and good engagement.",
    "Contact visits are going well; the supervisor's notes are on file.",
]
SUPPORT_CONDITIONS = [
    "The family is to accept monthly visits from the social worker.",
    "{parent} is to work with the budgeting service named in the plan.",
]


def sitting(day: datetime.date, today: datetime.date) -> datetime.date:
    """The court sits on weekdays: a weekend day moves to the Friday before (one to come, to the Monday after)."""
    if day.weekday() < 5:
        return day
    if day <= today:
        return day - datetime.timedelta(days=day.weekday() - 4)
    return day + datetime.timedelta(days=7 - day.weekday())


def add_to_case(ctx: Any, case: Case, worker: User) -> None:
    """Add realistic court orders and hearings to about a quarter of the open families, as `worker`."""
    rng: random.Random = ctx.rng
    if case.status != Case.Status.OPEN or rng.random() >= 0.25:
        return
    Demo(rng, ctx.today, case, worker).build()


class Demo:
    def __init__(self, rng: random.Random, today: datetime.date, case: Case, worker: User) -> None:
        self.rng, self.today, self.case, self.worker = rng, today, case, worker
        self.court = rng.choice(COURTS.get(case.site.region, COURTS["Wellington"]))
        people = list(case.participants.filter(archived_at__isnull=True).select_related("person"))
        self.children = [p.person for p in people if p.role == Participant.Role.CHILD]
        self.parents = [p.person for p in people if p.role == Participant.Role.PARENT]
        caregivers = [p.person for p in people if p.role == Participant.Role.CAREGIVER]
        self.caregiver = (caregivers or [p.person for p in people if p.role == Participant.Role.WHANAU] or [None])[0]
        self.steps = list(
            Step.objects.filter(goal__plan__case=case, goal__plan__is_current=True).exclude(
                status=Step.Status.CANCELLED
            )
        )

    def days_ago(self, n: int) -> datetime.date:
        return sitting(self.today - datetime.timedelta(days=n), self.today)

    def reference(self, made: datetime.date) -> str:
        return f"FAM-{made.year}-{self.rng.choice(['085', '091', '032', '092'])}-{self.rng.randint(100, 999999):06d}"

    def build(self) -> None:
        opened_ago = (self.today - self.case.opened_on).days
        if self.caregiver is not None and opened_ago > 200 and self.rng.random() < 0.15:
            self.discharged_to_caregiver(opened_ago)
        else:
            self.in_care(opened_ago)
        if self.rng.random() < 0.25:
            self.support_order(opened_ago)

    # --- the chief executive's custody, in force ------------------------------------------------------

    def order(self, kind: str, made: datetime.date, **extra: Any) -> CourtOrder:
        child = self.children[0] if len(self.children) == 1 or self.rng.random() < 0.3 else None
        data = {"kind": kind, "child": child, "court": self.court, "reference": self.reference(made), "made_on": made}
        return court.order_create(actor=self.worker, case=self.case, data=data | extra)

    def words(self, template: str) -> str:
        child = self.children[0].given_name if self.children else "The child"
        parent = self.parents[0].given_name if self.parents else "The parent"
        return template.format(child=child, parent=parent)

    def in_care(self, opened_ago: int) -> None:
        made = self.days_ago(self.rng.randint(10, max(11, opened_ago - 7)))
        review = made + datetime.timedelta(days=182)
        while review <= self.today:
            review += datetime.timedelta(days=182)
        review = sitting(review, self.today)
        custody = self.order("ce_custody", made, review_on=review)
        for template in self.rng.sample(CONDITIONS, self.rng.choice([2, 2, 3])):
            condition = court.condition_add(actor=self.worker, order=custody, text=self.words(template))
            self.link_and_check(condition, made)
        self.held(made, "Application for a custody order (s101)", "Custody order made; plan to be reviewed.", custody)
        if self.rng.random() < 0.65:
            self.scheduled(review, "Review of the plan (s135)", custody)
        roll = self.rng.random()
        if roll < 0.25:
            soon = sitting(self.today + datetime.timedelta(days=self.rng.randint(2, 21)), self.today)
            self.scheduled(soon, "Directions conference", custody)
        elif roll < 0.45:
            self.adjourned(custody)
        elif roll < 0.55:  # held last week; the worker has not recorded the outcome yet
            self.scheduled(self.days_ago(self.rng.randint(1, 4)), "Judicial conference", custody)

    def link_and_check(self, condition: OrderCondition, made: datetime.date) -> None:
        if self.steps:
            chosen = self.rng.sample(self.steps, min(len(self.steps), self.rng.choice([1, 1, 2])))
            court.condition_set_steps(actor=self.worker, condition=condition, steps=chosen)
        if (self.today - made).days < 30 or self.rng.random() < 0.25:
            return  # not yet due
        compliance = self.rng.choice(
            ["complying", "complying", "complying", "partly_complying", "not_complying", "met"]
        )
        note = self.rng.choice(SHORTFALLS if compliance in ("partly_complying", "not_complying") else CHECKS)
        on = self.days_ago(self.rng.randint(0, min(60, (self.today - made).days)))
        court.condition_record_compliance(
            actor=self.worker, condition=condition, compliance=compliance, checked_on=on, note=note
        )

    # --- hearings -------------------------------------------------------------------------------------

    def held(self, on: datetime.date, purpose: str, outcome: str, order: CourtOrder | None = None) -> None:
        data = {"order": order, "date": on, "court": self.court, "purpose": purpose}
        hearing = court.hearing_schedule(actor=self.worker, case=self.case, data=data)
        court.hearing_record_outcome(actor=self.worker, hearing=hearing, status="held", outcome=outcome)

    def adjourned(self, order: CourtOrder) -> None:
        """A hearing last month adjourned to a date soon (the new hearing is scheduled)."""
        data = {"order": order, "date": self.days_ago(self.rng.randint(7, 30)), "court": self.court}
        hearing = court.hearing_schedule(
            actor=self.worker, case=self.case, data=data | {"purpose": "Judicial conference"}
        )
        court.hearing_record_outcome(
            actor=self.worker,
            hearing=hearing,
            status="adjourned",
            outcome="Lawyer for child unavailable; adjourned by consent.",
            adjourned_to=sitting(self.today + datetime.timedelta(days=self.rng.randint(5, 30)), self.today),
        )

    def scheduled(self, on: datetime.date, purpose: str, order: CourtOrder | None = None) -> None:
        data = {"order": order, "date": on, "time": datetime.time(self.rng.choice([9, 10, 11, 14]), 0)}
        court.hearing_schedule(actor=self.worker, case=self.case, data=data | {"court": self.court, "purpose": purpose})

    # --- discharged, with a parenting order for the caregiver ----------------------------------------------

    def discharged_to_caregiver(self, opened_ago: int) -> None:
        assert isinstance(self.caregiver, Person)
        made = self.days_ago(self.rng.randint(150, opened_ago - 7))
        custody = self.order("ce_custody", made)
        condition = court.condition_add(actor=self.worker, order=custody, text=self.words(CONDITIONS[4]))
        self.link_and_check(condition, made)
        self.held(made, "Application for a custody order (s101)", "Custody order made.", custody)
        discharged = self.days_ago(self.rng.randint(5, 90))
        purpose = "Application to discharge the custody order and for a parenting order"
        name = self.caregiver.full_name
        self.held(discharged, purpose, f"Custody order discharged; parenting order made for {name}.", custody)
        court.order_discharge(
            actor=self.worker, order=custody, on=discharged, note=f"Parenting order made for {name} the same day."
        )
        self.order("parenting", discharged, granted_to=self.caregiver, notes="Day-to-day care; contact as agreed.")

    # --- a services or support order ------------------------------------------------------------------

    def support_order(self, opened_ago: int) -> None:
        made = self.days_ago(self.rng.randint(10, max(11, min(300, opened_ago - 7))))
        kind = self.rng.choice(["support", "services"])
        order = self.order(kind, made, expires_on=made + datetime.timedelta(days=365))
        for template in self.rng.sample(SUPPORT_CONDITIONS, self.rng.choice([1, 2])):
            condition = court.condition_add(actor=self.worker, order=order, text=self.words(template))
            self.link_and_check(condition, made)

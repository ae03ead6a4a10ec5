"""Demo meetings for a family (see extensions.py), made through the meetings services as the family's worker.

Most families with a plan had a planning meeting or a family group conference around the plan's start: the
Child and Family Team invited, most there in person, some by phone or video, a few in writing, now and then
someone who did not come — sent the outcome, or (for some) still owed it. Each meeting recorded its decisions and
an action or two; on a draft plan an action sometimes became a plan step. Some families have a meeting coming up,
with views already given in writing.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.meetings import services as meetings
from kinplan.meetings.models import Meeting, MeetingParticipant
from kinplan.planning.models import Plan

Participation = MeetingParticipant.Participation
Kind = Meeting.Kind

PLACES = [
    "The family home",
    "Nan's house",
    "Whānau room, Oranga office",
    "The marae wharekai",
    "Community hall meeting room",
    "Video call (Teams)",
]
PURPOSES = {
    Kind.PLANNING: [
        "Agree the service plan with the whānau: the goals, who does what, and by when.",
        "Plan the supports the children and caregivers need over the next three months.",
    ],
    Kind.FAMILY_GROUP_CONFERENCE: [
        "A family-led hui to decide how the children will be kept safe and who will care for them.",
        "Family group conference: the whānau plan for the children's care and the supports they need.",
    ],
    Kind.TEAM: ["Child and Family Team meeting: review progress on the plan and what needs to change."],
}
DECISIONS = [
    "The children stay with Mum while she completes the parenting programme; Nan has them every second weekend.",
    "Nan cares for the children for the next three months; Mum and Dad have supervised contact twice a week.",
    "The whānau agreed the plan. Housing comes first; counselling starts once the family has moved.",
    "Mum will start the alcohol and drug programme this month; the social worker visits weekly until review.",
    "The children remain at home with a safety plan; the aunt is the first call if things get hard at night.",
]
VIEWS = {
    TeamMember.Role.CHILD: [
        "I want to stay near my cousins and keep going to the same school.",
        "I like it at Nan's. I want to see Mum more, not less.",
        "I don't want to change schools again.",
    ],
    TeamMember.Role.PARENT: [
        "I want my kids home. I'll do the course, but I need help getting there.",
        "I agree with the plan as long as Nan is part of it.",
        "Happy for the plan to go ahead. Please keep me posted about the housing.",
    ],
    TeamMember.Role.LAWYER_FOR_CHILD: [
        "The children's wishes need to be heard: they want to stay near their cousins.",
        "I support the plan; contact with Dad should be reviewed in three months.",
    ],
}
KIN_VIEWS = [
    "We can have the children on weekends, and after school on Wednesdays.",
    "The whānau will support Mum; we want the children kept close to their marae.",
    "I can do the school run on Mondays and Thursdays.",
]
ACTIONS = [
    ("Bring the children's school reports to the next visit", "parent"),
    ("Apply for the accommodation supplement", "worker"),
    ("Book the first counselling session", "worker"),
    ("Ask the school about after-school care on Wednesdays", "whanau"),
    ("Arrange a whānau hui at the marae before the review", "whanau"),
    ("Send the meeting's record to everyone invited", "worker"),
]
OUTCOME_METHODS = ["letter", "email", "phone", "in_person"]
# Ways of taking part for family members, weighted as a worker would find them.
WAYS = [Participation.IN_PERSON] * 12 + [Participation.PHONE] * 3 + [Participation.VIDEO] * 1
WAYS += [Participation.IN_WRITING] * 2 + [Participation.ABSENT] * 2


def add_to_case(ctx: Any, case: Case, worker: User) -> None:
    """Add realistic meetings to `case`, made through the meetings services as `worker`."""
    rng: random.Random = ctx.rng
    plan = case.plans.filter(is_current=True).first()
    if plan is None or rng.random() < 0.15:
        return
    Family(rng, ctx.today, case, worker, plan).build()


class Family:
    def __init__(self, rng: random.Random, today: datetime.date, case: Case, worker: User, plan: Plan) -> None:
        self.rng, self.today, self.case, self.worker, self.plan = rng, today, case, worker, plan
        self.first_plan = case.plans.order_by("version").first() or plan

    def build(self) -> None:
        kind = Kind.FAMILY_GROUP_CONFERENCE if self.rng.random() < 0.35 else Kind.PLANNING
        self.held(kind)
        if self.rng.random() < 0.3:
            self.upcoming()

    def at(self, day: datetime.date, hour: int) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone())
        return min(moment, timezone.now() - datetime.timedelta(hours=2)) if day <= self.today else moment

    def schedule(self, kind: str, starts_at: datetime.datetime, plan: Plan) -> Meeting:
        data = {
            "kind": kind,
            "starts_at": starts_at,
            "place": self.rng.choice(PLACES),
            "purpose": self.rng.choice(PURPOSES[kind]),
            "plan": plan,
        }
        meeting = meetings.meeting_schedule(actor=self.worker, case=self.case, data=data)
        meetings.participants_invite_team(actor=self.worker, meeting=meeting)
        return meeting

    # --- a meeting around the plan's start -------------------------------------------------------------

    def held(self, kind: str) -> None:
        day = max(self.first_plan.starts_on - datetime.timedelta(days=self.rng.randint(0, 6)), self.case.opened_on)
        meeting = self.schedule(kind, self.at(day, self.rng.choice([10, 13])), self.first_plan)
        participants = list(meeting.participants.select_related("team_member"))
        for participant in participants:
            self.attend(participant)
        if kind == Kind.PLANNING and self.rng.random() < 0.5:
            meetings.support_role_record(
                actor=self.worker, meeting=meeting, explained_by=self.worker, explained_on=meeting.local_date
            )
        meeting = meetings.meeting_transition(
            actor=self.worker, meeting=meeting, to=Meeting.Status.HELD, decisions=self.rng.choice(DECISIONS)
        )
        for participant in participants:
            self.send_outcome(meeting, participant)
        for _ in range(self.rng.choice([1, 1, 2])):
            self.action(meeting)

    def attend(self, participant: MeetingParticipant) -> None:
        member = participant.team_member
        if member is not None and member.user_id:  # the social worker runs the meeting
            way = Participation.IN_PERSON
        elif member is not None and member.role == TeamMember.Role.LAWYER_FOR_CHILD:
            way = self.rng.choice([Participation.IN_WRITING, Participation.PHONE, Participation.IN_PERSON])
        else:
            way = self.rng.choice(WAYS)
        views = ""
        if way != Participation.ABSENT and member is not None and not member.user_id:
            views = self.rng.choice(VIEWS.get(member.role, KIN_VIEWS))
        meetings.participation_record(actor=self.worker, participant=participant, participation=way, views=views)

    def send_outcome(self, meeting: Meeting, participant: MeetingParticipant) -> None:
        participant.refresh_from_db(fields=["participation"])
        if not (participant.is_required and participant.was_absent) or self.rng.random() < 0.2:
            return  # one in five is still owed the outcome: the case page says so
        sent_on = min(meeting.local_date + datetime.timedelta(days=self.rng.randint(1, 5)), self.today)
        meetings.outcome_record(
            actor=self.worker, participant=participant, method=self.rng.choice(OUTCOME_METHODS), sent_on=sent_on
        )

    def action(self, meeting: Meeting) -> None:
        what, who = self.rng.choice(ACTIONS)
        data: dict[str, Any] = {"what": what, "due_on": meeting.local_date + datetime.timedelta(days=14)}
        roles = {"parent": Participant.Role.PARENT, "whanau": Participant.Role.WHANAU}
        place = self.case.participants.filter(role=roles.get(who, ""), archived_at__isnull=True).first()
        if place is not None:
            data["who_person"] = place.person
        else:
            data["who_user"] = self.worker
        action = meetings.action_add(actor=self.worker, meeting=meeting, data=data)
        if self.plan.status == Plan.Status.DRAFT and self.plan.goals.exists() and self.rng.random() < 0.4:
            meetings.action_make_step(actor=self.worker, action=action)
        elif data["due_on"] < self.today and self.rng.random() < 0.6:
            meetings.action_complete(actor=self.worker, action=action, on=data["due_on"])

    # --- a meeting coming up ---------------------------------------------------------------------------

    def upcoming(self) -> None:
        kind = self.rng.choice([Kind.TEAM, Kind.PLANNING])
        day = self.today + datetime.timedelta(days=self.rng.randint(2, 30))
        meeting = self.schedule(kind, self.at(day, self.rng.choice([10, 11, 14])), self.plan)
        lawyer = meeting.participants.filter(team_member__role=TeamMember.Role.LAWYER_FOR_CHILD).first()
        if lawyer is not None:  # the lawyer for child sent their views ahead
            views = VIEWS[TeamMember.Role.LAWYER_FOR_CHILD][0]
            meetings.participation_record(
                actor=self.worker, participant=lawyer, participation=Participation.IN_WRITING, views=views
            )

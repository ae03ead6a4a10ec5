"""API input and output shapes for meetings: the meeting, its participants and their views, and its actions."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from kinplan.cases.models import TeamMember
from kinplan.core.api import VersionedOut
from kinplan.meetings.models import Meeting, MeetingAction, MeetingParticipant, MeetingTransition
from kinplan.meetings.selectors import outcome_owed
from kinplan.planning.schemas import StepOut

Participation = MeetingParticipant.Participation

# --- output --------------------------------------------------------------------------------------


class ParticipantOut(Schema):
    id: int
    meeting_id: int
    name: str = Field(..., description="Who they are, however they were invited.")
    team_member_id: int | None = Field(..., description="Set when invited through the Child and Family Team.")
    person_id: int | None
    user_id: int | None
    role: TeamMember.Role
    is_required: bool = Field(..., description="If they are not at the meeting, its outcome must be sent to them.")
    participation: Participation
    views: str = Field(..., description="Their views, in their words.")
    outcome_sent_on: datetime.date | None
    outcome_sent_by: str | None
    outcome_sent_by_id: int | None
    outcome_method: str = Field(..., description="letter, email, phone or in_person; empty until sent.")
    outcome_owed: bool = Field(..., description="Required, not at the held meeting, and not yet sent its outcome.")

    @staticmethod
    def resolve_name(obj: MeetingParticipant) -> str:
        return obj.display_name

    @staticmethod
    def resolve_outcome_sent_by(obj: MeetingParticipant) -> str | None:
        return str(obj.outcome_sent_by) if obj.outcome_sent_by_id else None

    @staticmethod
    def resolve_outcome_owed(obj: MeetingParticipant) -> bool:
        return obj.outcome_owed(obj.meeting.status)


class ActionOut(Schema):
    id: int
    meeting_id: int
    what: str
    who: str = Field(..., description="Who does it, by name.")
    who_person_id: int | None
    who_user_id: int | None
    who_name: str
    due_on: datetime.date | None
    done: bool
    done_on: datetime.date | None
    step_id: int | None = Field(..., description="The plan step it became, if it did.")
    plan_id: int | None = Field(..., description="The plan version holding that step.")

    @staticmethod
    def resolve_plan_id(obj: MeetingAction) -> int | None:
        return obj.step.goal.plan_id if obj.step_id else None


class TransitionOut(Schema):
    from_status: Meeting.Status
    to_status: Meeting.Status
    actor: str
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_actor(obj: MeetingTransition) -> str:
        return str(obj.actor)


class MeetingSummaryOut(Schema):
    """A meeting in a case's list: when, what, and who is still owed its outcome."""

    id: int
    case_id: int
    kind: Meeting.Kind
    starts_at: datetime.datetime
    place: str
    status: Meeting.Status
    plan_id: int | None
    participant_count: int
    outcome_still_to_send: list[str] = Field(..., description="Required participants not yet sent the outcome.")

    @staticmethod
    def resolve_outcome_still_to_send(obj: Meeting) -> list[str]:
        return [p.display_name for p in obj.owed]  # type: ignore[attr-defined]


class MeetingOut(VersionedOut):
    id: int
    case_id: int
    kind: Meeting.Kind
    starts_at: datetime.datetime
    place: str
    purpose: str
    status: Meeting.Status
    plan_id: int | None = Field(..., description="The plan version the meeting is about, if any.")
    decisions: str
    support_role_explained_by: str | None = Field(
        ..., description="Who explained the support service's role to the participants."
    )
    support_role_explained_by_id: int | None
    support_role_explained_on: datetime.date | None
    created_by: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    outcome_still_to_send: list[str] = Field(..., description="Required participants not yet sent the outcome.")
    participants: list[ParticipantOut]
    actions: list[ActionOut]
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_support_role_explained_by(obj: Meeting) -> str | None:
        return str(obj.support_role_explained_by) if obj.support_role_explained_by_id else None

    @staticmethod
    def resolve_created_by(obj: Meeting) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_outcome_still_to_send(obj: Meeting) -> list[str]:
        return [p.display_name for p in outcome_owed(obj)]


class StepMadeOut(Schema):
    action: ActionOut
    step: StepOut
    plan_id: int
    plan_version: int
    revised: bool = Field(..., description="True when the plan was agreed and a new draft version was started.")
    message: str

    @staticmethod
    def resolve_plan_id(obj: object) -> int:
        return obj.plan.pk  # type: ignore[attr-defined]

    @staticmethod
    def resolve_plan_version(obj: object) -> int:
        return obj.plan.version  # type: ignore[attr-defined]


# --- input ---------------------------------------------------------------------------------------


class MeetingIn(Schema):
    kind: Meeting.Kind
    starts_at: datetime.datetime = Field(..., description="ISO 8601; without an offset it is New Zealand time.")
    place: str = ""
    purpose: str = ""
    plan_id: int | None = Field(None, description="A plan (any version) of this case the meeting is about.")


class MeetingPatch(Schema):
    kind: Meeting.Kind | None = None
    starts_at: datetime.datetime | None = None
    place: str | None = None
    purpose: str | None = None
    plan_id: int | None = None
    decisions: str | None = None


class ParticipantIn(Schema):
    """Exactly one of team_member_id, person_id, user_id or name."""

    team_member_id: int | None = None
    person_id: int | None = Field(None, description="Someone in the case; their team seat is used if they have one.")
    user_id: int | None = Field(None, description="A Kinplan user, e.g. the support-service caseworker.")
    name: str = Field("", description="Someone not recorded in the case, e.g. a lawyer for child.")
    role: TeamMember.Role | None = Field(None, description="Ignored for team members, who keep their team role.")
    is_required: bool | None = Field(
        None, description="Left out: as on the team; the case's support-service caseworker is required; others not."
    )
    participation: Participation = Participation.NOT_RECORDED
    views: str = ""


class ParticipationIn(Schema):
    participation: Participation
    views: str | None = Field(None, description="Their views, in their words; left out, they stay as recorded.")


class OutcomeIn(Schema):
    method: MeetingParticipant.OutcomeMethod
    sent_on: datetime.date | None = Field(None, description="Today when left out.")
    sent_by_id: int | None = Field(None, description="You when left out.")


class ActionIn(Schema):
    """What, and exactly one of who_person_id, who_user_id or who_name."""

    what: str
    who_person_id: int | None = None
    who_user_id: int | None = None
    who_name: str = ""
    due_on: datetime.date | None = None


class ActionDoneIn(Schema):
    done_on: datetime.date | None = Field(None, description="Today when left out.")


class MakeStepIn(Schema):
    goal_id: int | None = Field(
        None, description="A goal of the case's current plan; left out, the main track's first long-term goal."
    )


class SupportRoleIn(Schema):
    explained_by_id: int = Field(..., description="The social worker, or the support-service caseworker present.")
    explained_on: datetime.date


class TransitionIn(Schema):
    to: Meeting.Status = Field(..., description="held or cancelled")
    note: str = Field("", description="Why, for a cancellation (required); optional otherwise.")
    decisions: str | None = Field(None, description="What the meeting decided, when recording it as held.")

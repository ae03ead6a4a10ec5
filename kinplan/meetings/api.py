"""API endpoints for meetings: a case's meetings, scheduling and changing one, its participants and their views,
the outcome sent to those not there, the actions it agreed (one becomes a plan step in one call), held/cancelled.

Every meeting is reached through its case: one in a case the user may not see is a 404 (and looking at one is
logged as a view of the child's record); the services refuse changes the user may see but not make (403) and
what the rules do not allow (422, naming the field sent; nothing is saved).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from kinplan.accounts.models import User
from kinplan.cases.models import Person, TeamMember
from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.core.api import referenced
from kinplan.meetings import schemas as s
from kinplan.meetings import selectors, services
from kinplan.meetings.models import Meeting, MeetingAction, MeetingParticipant
from kinplan.meetings.permissions import meeting_get_for_user_or_404
from kinplan.planning.models import Goal, Plan

router = Router(tags=["meetings"])


def _meeting_for(request: HttpRequest, meeting_id: int) -> Meeting:
    return meeting_get_for_user_or_404(request.user, meeting_id, request=request, channel="api")


def _participant_for(request: HttpRequest, meeting_id: int, participant_id: int) -> MeetingParticipant:
    meeting = _meeting_for(request, meeting_id)
    participant = MeetingParticipant.objects.filter(pk=participant_id, meeting=meeting).first()
    if participant is None:
        raise Http404(_("This meeting has no such participant."))
    participant.meeting = meeting
    return participant


def _action_for(request: HttpRequest, meeting_id: int, action_id: int) -> MeetingAction:
    meeting = _meeting_for(request, meeting_id)
    action = MeetingAction.objects.filter(pk=action_id, meeting=meeting).first()
    if action is None:
        raise Http404(_("This meeting has no such action."))
    action.meeting = meeting
    return action


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time without an offset is in the site's time zone, as the pages read it."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _meeting_data(payload: s.MeetingIn | s.MeetingPatch, meeting: Meeting) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    for name in ("kind", "starts_at", "place", "purpose", "decisions"):
        if name in data and data[name] is None:
            raise ValidationError({name: _("This field cannot be null.")})
    if "starts_at" in data:
        data["starts_at"] = _aware(data["starts_at"])
    if "plan_id" in data:
        data["plan"] = referenced(Plan, data.pop("plan_id"), "plan_id", case_id=meeting.case_id)
    return data


def _in_full(meeting_id: int) -> Meeting:
    return selectors.meeting_in_full(meeting_id)


# --- meetings --------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/meetings", response=list[s.MeetingSummaryOut], summary="A case's meetings, latest first")
def list_meetings(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    case = case_get_for_user_or_404(request.user, case_id, request=request, channel="api")
    return list(selectors.meetings_for_case(case=case))


@router.post(
    "/cases/{case_id}/meetings",
    response={201: s.MeetingOut},
    summary="Schedule a meeting (or record one already held, then mark it held)",
)
def schedule_meeting(request: HttpRequest, case_id: int, payload: s.MeetingIn):  # type: ignore[no-untyped-def]
    case = case_get_for_user_or_404(request.user, case_id, request=request, channel="api")
    data = _meeting_data(payload, Meeting(case=case))
    meeting = services.meeting_schedule(actor=request.user, case=case, data=data)
    return 201, _in_full(meeting.pk)


@router.get("/meetings/{meeting_id}", response=s.MeetingOut, summary="A meeting with its participants and actions")
def get_meeting(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    return _in_full(_meeting_for(request, meeting_id).pk)


@router.patch("/meetings/{meeting_id}", response=s.MeetingOut, summary="Change a meeting's details or decisions")
def update_meeting(request: HttpRequest, meeting_id: int, payload: s.MeetingPatch):  # type: ignore[no-untyped-def]
    meeting = _meeting_for(request, meeting_id)
    services.meeting_update(actor=request.user, meeting=meeting, data=_meeting_data(payload, meeting))
    return _in_full(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/transition",
    response=s.MeetingOut,
    summary="Record a scheduled meeting as held (with its decisions) or cancelled (with why)",
)
def transition_meeting(request: HttpRequest, meeting_id: int, payload: s.TransitionIn):  # type: ignore[no-untyped-def]
    meeting = _meeting_for(request, meeting_id)
    services.meeting_transition(
        actor=request.user, meeting=meeting, to=payload.to, note=payload.note, decisions=payload.decisions
    )
    return _in_full(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/support-role",
    response=s.MeetingOut,
    summary="Record who explained the support service's role to the participants, and when",
)
def record_support_role(request: HttpRequest, meeting_id: int, payload: s.SupportRoleIn):  # type: ignore[no-untyped-def]
    meeting = _meeting_for(request, meeting_id)
    services.support_role_record(
        actor=request.user,
        meeting=meeting,
        explained_by=referenced(User, payload.explained_by_id, "explained_by_id"),
        explained_on=payload.explained_on,
    )
    return _in_full(meeting.pk)


# --- participants ----------------------------------------------------------------------------------


@router.post(
    "/meetings/{meeting_id}/participants",
    response={201: s.ParticipantOut},
    summary="Invite someone: a team member, a person in the case, a Kinplan user or someone by name",
)
def add_participant(request: HttpRequest, meeting_id: int, payload: s.ParticipantIn):  # type: ignore[no-untyped-def]
    meeting = _meeting_for(request, meeting_id)
    participant = services.participant_add(
        actor=request.user,
        meeting=meeting,
        team_member=referenced(TeamMember, payload.team_member_id, "team_member_id", case_id=meeting.case_id),
        person=referenced(Person, payload.person_id, "person_id", participations__case_id=meeting.case_id),
        user=referenced(User, payload.user_id, "user_id"),
        name=payload.name,
        role=payload.role or "",
        is_required=payload.is_required,
        participation=payload.participation,
        views=payload.views,
    )
    return 201, participant


@router.post(
    "/meetings/{meeting_id}/invite-team",
    response=s.MeetingOut,
    summary="Invite every current Child and Family Team member not yet invited",
)
def invite_team(request: HttpRequest, meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = _meeting_for(request, meeting_id)
    services.participants_invite_team(actor=request.user, meeting=meeting)
    return _in_full(meeting.pk)


@router.post(
    "/meetings/{meeting_id}/participants/{participant_id}/participation",
    response=s.ParticipantOut,
    summary="Record how someone took part and their views",
)
def record_participation(request: HttpRequest, meeting_id: int, participant_id: int, payload: s.ParticipationIn):  # type: ignore[no-untyped-def]
    participant = _participant_for(request, meeting_id, participant_id)
    return services.participation_record(
        actor=request.user, participant=participant, participation=payload.participation, views=payload.views
    )


@router.post(
    "/meetings/{meeting_id}/participants/{participant_id}/outcome",
    response=s.ParticipantOut,
    summary="Record that the meeting's outcome was sent to someone: when, by whom and how",
)
def record_outcome(request: HttpRequest, meeting_id: int, participant_id: int, payload: s.OutcomeIn):  # type: ignore[no-untyped-def]
    participant = _participant_for(request, meeting_id, participant_id)
    return services.outcome_record(
        actor=request.user,
        participant=participant,
        method=payload.method,
        sent_on=payload.sent_on,
        sent_by=referenced(User, payload.sent_by_id, "sent_by_id"),
    )


# --- actions ---------------------------------------------------------------------------------------


@router.post(
    "/meetings/{meeting_id}/actions",
    response={201: s.ActionOut},
    summary="Record an action the meeting agreed: what, who and by when",
)
def add_action(request: HttpRequest, meeting_id: int, payload: s.ActionIn):  # type: ignore[no-untyped-def]
    meeting = _meeting_for(request, meeting_id)
    data = payload.dict(exclude={"who_person_id", "who_user_id"})
    data["who_person"] = referenced(
        Person, payload.who_person_id, "who_person_id", participations__case_id=meeting.case_id
    )
    data["who_user"] = referenced(User, payload.who_user_id, "who_user_id")
    return 201, services.action_add(actor=request.user, meeting=meeting, data=data)


@router.post("/meetings/{meeting_id}/actions/{action_id}/done", response=s.ActionOut, summary="Mark an action done")
def complete_action(request: HttpRequest, meeting_id: int, action_id: int, payload: s.ActionDoneIn | None = None):  # type: ignore[no-untyped-def]
    action = _action_for(request, meeting_id, action_id)
    return services.action_complete(actor=request.user, action=action, on=payload.done_on if payload else None)


@router.post(
    "/meetings/{meeting_id}/actions/{action_id}/plan-step",
    response={201: s.StepMadeOut},
    summary="Make an action a step of the case's current plan (an agreed plan is revised into a new draft first)",
)
def make_plan_step(request: HttpRequest, meeting_id: int, action_id: int, payload: s.MakeStepIn | None = None):  # type: ignore[no-untyped-def]
    action = _action_for(request, meeting_id, action_id)
    goal_id = payload.goal_id if payload else None
    goal = referenced(Goal, goal_id, "goal_id", plan__case_id=action.meeting.case_id)
    return 201, services.action_make_step(actor=request.user, action=action, goal=goal)

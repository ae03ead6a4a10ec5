"""Who is invited to a meeting, how each took part and their views, and the outcome sent to those not there."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record, created_changes, diff, snapshot
from kinplan.cases.models import Case, Person, TeamMember
from kinplan.cases.permissions import staff_for_case
from kinplan.core.text import normalise_name
from kinplan.meetings.models import PRESENT, Meeting, MeetingParticipant
from kinplan.meetings.services._common import day, ensure_can_meet, ensure_not_cancelled, locked, when

Participation = MeetingParticipant.Participation
PARTICIPANT_FIELDS = ("team_member", "person", "user", "name", "role", "is_required", "participation", "views")
OUTCOME_FIELDS = ("outcome_sent_on", "outcome_sent_by", "outcome_method")
CHOOSE_ONE = gettext_lazy(
    "Choose one: a member of the Child and Family Team, a person in the case, a Kinplan user, or a name."
)


def _identity(participant: MeetingParticipant) -> tuple[str, Any]:
    """Who a participant is, however they were invited: the same person through the team or directly is one."""
    member = participant.team_member
    if member is not None:
        return ("person", member.person_id) if member.person_id else ("user", member.user_id)
    if participant.person_id:
        return ("person", participant.person_id)
    if participant.user_id:
        return ("user", participant.user_id)
    return ("name", normalise_name(participant.name))


def _invited(meeting: Meeting) -> set[tuple[str, Any]]:
    return {_identity(p) for p in meeting.participants.select_related("team_member")}


def _team_member_for(case: Case, person: Person | None, user: User | None) -> TeamMember | None:
    """Their current place on the case's Child and Family Team, which carries whether they are required."""
    if person is None and user is None:
        return None
    seats = case.team_members.filter(archived_at__isnull=True)
    return seats.filter(person=person).first() if person is not None else seats.filter(user=user).first()


def _check_who(case: Case, who: dict[str, Any]) -> None:
    """Exactly one of the four ways of naming someone, and that one belongs to this case."""
    given = {name: value for name, value in who.items() if value}
    if not given:
        raise ValidationError(CHOOSE_ONE)
    if len(given) > 1:
        raise ValidationError({name: CHOOSE_ONE for name in given})
    member, person, user = who["team_member"], who["person"], who["user"]
    if member is not None and (member.case_id != case.pk or member.archived_at is not None):
        raise ValidationError({"team_member": _("Choose a current member of this case's Child and Family Team.")})
    if person is not None and not case.participants.filter(person=person, archived_at__isnull=True).exists():
        raise ValidationError({"person": _("Choose someone who is part of this case.")})
    if user is not None and not staff_for_case(case).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Choose someone at this case's site or its support service.")})


def _check_participation(meeting: Meeting, participation: str) -> None:
    """Before a meeting starts only views in writing, or that someone will not come, can be known; once it is held,
    everyone's participation is recorded."""
    if participation not in Participation.values:
        raise ValidationError({"participation": _("Choose how they took part.")})
    if participation in PRESENT and not meeting.has_started():
        raise ValidationError(
            {
                "participation": _(
                    "The meeting is on %(when)s: until then, only views given in writing, "
                    "or that they will not take part, can be recorded."
                )
                % {"when": when(meeting)}
            }
        )
    if participation == Participation.NOT_RECORDED and meeting.status == Meeting.Status.HELD:
        raise ValidationError({"participation": _("This meeting is recorded as held: say how they took part.")})


def _default_required(case: Case, member: TeamMember | None, user: User | None) -> bool:
    """As on the team; the case's support-service caseworker is sent the outcome when absent (seed 003)."""
    if member is not None:
        return member.is_required
    return user is not None and user.pk == case.support_worker_id


def _save_new(actor: User, participant: MeetingParticipant) -> MeetingParticipant:
    participant.full_clean()
    participant.save()
    audit_record(
        actor=actor,
        event="meeting.participant.added",
        target=participant,
        case=participant.meeting.case,
        changes={"meeting": [None, str(participant.meeting)]} | created_changes(participant, PARTICIPANT_FIELDS),
    )
    return participant


@transaction.atomic
def participant_add(
    *,
    actor: User,
    meeting: Meeting,
    team_member: TeamMember | None = None,
    person: Person | None = None,
    user: User | None = None,
    name: str = "",
    role: str = "",
    is_required: bool | None = None,
    participation: str = Participation.NOT_RECORDED,
    views: str = "",
) -> MeetingParticipant:
    """Invite someone: a team member (with their role and whether they are required), a person in the case or a
    Kinplan user (through their team seat if they have one), or someone by name. A meeting already held needs
    their participation at once."""
    ensure_can_meet(actor, meeting.case)
    meeting = locked(meeting)
    ensure_not_cancelled(meeting)
    case = meeting.case
    name = (name or "").strip()
    who = {"team_member": team_member, "person": person, "user": user, "name": name}
    _check_who(case, who)
    given = next(field for field, value in who.items() if value)
    team_member = team_member or _team_member_for(case, person, user)
    if team_member is not None:
        person = user = None
    _check_participation(meeting, participation)
    participant = MeetingParticipant(
        meeting=meeting,
        team_member=team_member,
        person=person,
        user=user,
        name=name,
        role=team_member.role if team_member else (role or TeamMember.Role.OTHER),
        is_required=_default_required(case, team_member, user) if is_required is None else is_required,
        participation=participation,
        views=(views or "").strip(),
    )
    if _identity(participant) in _invited(meeting):
        message = _("%(name)s is already invited to this meeting.") % {"name": participant.display_name}
        raise ValidationError({given: message})
    return _save_new(actor, participant)


@transaction.atomic
def participants_invite_team(*, actor: User, meeting: Meeting) -> list[MeetingParticipant]:
    """Invite every current Child and Family Team member not yet invited, each with their role and required flag."""
    ensure_can_meet(actor, meeting.case)
    meeting = locked(meeting)
    ensure_not_cancelled(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            _("This meeting is already held: add anyone missed one at a time, with how they took part.")
        )
    members = list(meeting.case.team_members.filter(archived_at__isnull=True).select_related("person", "user"))
    if not members:
        raise ValidationError(_("This case has no Child and Family Team yet: add its members on the case page first."))
    invited = _invited(meeting)
    added = []
    for member in members:
        participant = MeetingParticipant(
            meeting=meeting, team_member=member, role=member.role, is_required=member.is_required
        )
        if _identity(participant) not in invited:
            added.append(_save_new(actor, participant))
    return added


def _locked_participant(participant: MeetingParticipant) -> MeetingParticipant:
    meeting = locked(participant.meeting)
    participant = MeetingParticipant.objects.select_related("team_member__person", "team_member__user").get(
        pk=participant.pk
    )
    participant.meeting = meeting
    return participant


def _record(actor: User, participant: MeetingParticipant, event: str, fields: tuple[str, ...], before: dict) -> None:
    participant.full_clean()
    participant.save()
    changes = diff(before, snapshot(participant, fields))
    if changes:
        audit_record(
            actor=actor,
            event=event,
            target=participant,
            case=participant.meeting.case,
            changes={"participant": [None, participant.display_name]} | changes,
        )


@transaction.atomic
def participation_record(
    *, actor: User, participant: MeetingParticipant, participation: str, views: str | None = None
) -> MeetingParticipant:
    """Record how someone took part (in person, phone, video, in writing, or not) and their views in their words;
    `views=None` leaves the views as they are."""
    ensure_can_meet(actor, participant.meeting.case)
    participant = _locked_participant(participant)
    ensure_not_cancelled(participant.meeting)
    _check_participation(participant.meeting, participation)
    fields = ("participation", "views")
    before = snapshot(participant, fields)
    participant.participation = participation
    if views is not None:
        participant.views = views.strip()
    _record(actor, participant, "meeting.participation.recorded", fields, before)
    return participant


def _check_outcome(participant: MeetingParticipant, sent_on: datetime.date, method: str, sent_by: User | None) -> None:
    meeting = participant.meeting
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("The outcome is sent once the meeting is recorded as held."))
    errors: dict[str, str] = {}
    if sent_on > timezone.localdate():
        errors["sent_on"] = _("This date cannot be in the future.")
    elif sent_on < meeting.local_date:
        errors["sent_on"] = _("The outcome is sent after the meeting: on %(date)s or later.") % {
            "date": day(meeting.local_date)
        }
    if method not in MeetingParticipant.OutcomeMethod.values:
        errors["method"] = _("Say how the outcome was sent: letter, email, phone call or in person.")
    if sent_by is None or not staff_for_case(meeting.case).filter(pk=sent_by.pk).exists():
        errors["sent_by"] = _("Choose someone at this case's site or its support service.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def outcome_record(
    *,
    actor: User,
    participant: MeetingParticipant,
    method: str,
    sent_on: datetime.date | None = None,
    sent_by: User | None = None,
) -> MeetingParticipant:
    """Record that the meeting's outcome was sent to a participant — when, by whom (the actor unless said) and how.
    A required participant who was not there is owed it until this is recorded (seed 003)."""
    ensure_can_meet(actor, participant.meeting.case)
    participant = _locked_participant(participant)
    sent_on = sent_on or timezone.localdate()
    sent_by = sent_by or actor
    _check_outcome(participant, sent_on, method, sent_by)
    before = snapshot(participant, OUTCOME_FIELDS)
    participant.outcome_sent_on, participant.outcome_sent_by, participant.outcome_method = sent_on, sent_by, method
    _record(actor, participant, "meeting.outcome.sent", OUTCOME_FIELDS, before)
    return participant

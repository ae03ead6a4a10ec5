"""Scheduling a meeting, changing its details, recording it as held or cancelled, and the support service's role."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes, diff, snapshot
from kinplan.cases.models import Case
from kinplan.cases.permissions import staff_for_case
from kinplan.core.errors import InvalidTransition
from kinplan.meetings.models import ABSENT, ALLOWED_TRANSITIONS, Meeting, MeetingParticipant, MeetingTransition
from kinplan.meetings.services._common import day, ensure_can_meet, ensure_not_cancelled, locked, when

MEETING_FIELDS = ("kind", "starts_at", "place", "purpose", "plan")
UPDATE_FIELDS = (*MEETING_FIELDS, "decisions")
# Who explains the support service's role at a meeting: the social worker, unless its caseworker is there (seed 003).
EXPLAINER_ROLES = frozenset(
    {User.Role.SOCIAL_WORKER, User.Role.SUPERVISOR, User.Role.SITE_MANAGER, User.Role.SUPPORT_CASEWORKER}
)


def _check_meeting(meeting: Meeting) -> None:
    """The plan is the case's own; the meeting is not before the case opened; a held one is in the past, decided."""
    errors: dict[str, str] = {}
    if meeting.plan_id and meeting.plan.case_id != meeting.case_id:
        errors["plan"] = _("Choose a plan of this case.")
    if meeting.starts_at is not None:
        if meeting.local_date < meeting.case.opened_on:
            errors["starts_at"] = _("A meeting cannot be before the case opened (%(date)s).") % {
                "date": day(meeting.case.opened_on)
            }
        elif meeting.status == Meeting.Status.HELD and not meeting.has_started():
            errors["starts_at"] = _(
                "This meeting is recorded as held, so it has taken place: choose a time in the past."
            )
    if meeting.status == Meeting.Status.HELD and not meeting.decisions.strip():
        errors["decisions"] = _("Record what the meeting decided.")
    if errors:
        raise ValidationError(errors)


def _checked(meeting: Meeting, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Check `meeting` as it would be with `data`, without touching it, so each message lands on its field."""
    candidate = copy.copy(meeting)
    for name, value in data.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) else value)
    _check_meeting(candidate)
    return data


@transaction.atomic
def meeting_schedule(*, actor: User, case: Case, data: Mapping[str, Any]) -> Meeting:
    """Schedule a meeting of the case: its kind, date and time, place, purpose and (optionally) the plan it is about.

    A meeting already held may be scheduled after the fact, then recorded as held."""
    ensure_can_meet(actor, case)
    meeting = Meeting(case=case, created_by=actor)
    apply_changes(meeting, _checked(meeting, data), MEETING_FIELDS)
    audit_record(
        actor=actor,
        event="meeting.scheduled",
        target=meeting,
        case=case,
        changes=created_changes(meeting, ("status", *MEETING_FIELDS)),
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    """Change a meeting's details or its decisions; a cancelled meeting no longer changes."""
    ensure_can_meet(actor, meeting.case)
    meeting = locked(meeting)
    ensure_not_cancelled(meeting)
    changes = apply_changes(meeting, _checked(meeting, data), UPDATE_FIELDS)
    if changes:
        audit_record(actor=actor, event="meeting.updated", target=meeting, case=meeting.case, changes=changes)
    return meeting


def _refusal(meeting: Meeting, to: str) -> str:
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting was cancelled, so it cannot be held or cancelled again; schedule a new meeting instead.")
    if meeting.status == Meeting.Status.HELD:
        return _("This meeting is already recorded as held.")
    return _("A meeting cannot become %(status)s.") % {"status": to}


def _hold_problems(meeting: Meeting) -> dict[str, list[str]]:
    """What stops the meeting being recorded as held: it is in the future, no one is recorded, or not everyone."""
    problems: dict[str, list[str]] = {}
    if not meeting.has_started():
        problems[NON_FIELD_ERRORS] = [
            _("This meeting is on %(when)s: it can be recorded as held once it has taken place.")
            % {"when": when(meeting)}
        ]
    participants = list(meeting.participants.select_related("team_member__person", "team_member__user", "person"))
    waiting = [p.display_name for p in participants if p.participation == MeetingParticipant.Participation.NOT_RECORDED]
    if not participants:
        problems.setdefault(NON_FIELD_ERRORS, []).append(_("Add who was invited, and how each took part, first."))
    elif waiting:
        problems.setdefault(NON_FIELD_ERRORS, []).append(
            _("Record how each participant took part first: %(names)s.") % {"names": ", ".join(waiting)}
        )
    if not meeting.decisions.strip():
        problems["decisions"] = [_("Record what the meeting decided.")]
    return problems


def _record_transition(*, actor: User, meeting: Meeting, to: str, note: str, changes: dict[str, list[Any]]) -> None:
    from_status = meeting.status
    meeting.status = to
    meeting.full_clean()
    meeting.save()
    MeetingTransition.objects.create(meeting=meeting, from_status=from_status, to_status=to, actor=actor, note=note)
    changes = {"status": [from_status, to]} | changes | ({"note": [None, note]} if note else {})
    audit_record(actor=actor, event=f"meeting.{to}", target=meeting, case=meeting.case, changes=changes)


@transaction.atomic
def meeting_transition(
    *, actor: User, meeting: Meeting, to: str, note: str = "", decisions: str | None = None
) -> Meeting:
    """Record a scheduled meeting as held (it has taken place, everyone's participation is recorded and what it
    decided is written down) or as cancelled (with the reason). Neither is undone; the move is logged."""
    ensure_can_meet(actor, meeting.case)
    meeting = locked(meeting)
    note = (note or "").strip()
    if to not in ALLOWED_TRANSITIONS.get(meeting.status, frozenset()):
        raise InvalidTransition(_refusal(meeting, to))
    changes: dict[str, list[Any]] = {}
    if to == Meeting.Status.HELD:
        if decisions is not None and decisions.strip() != meeting.decisions:
            changes["decisions"] = [meeting.decisions, decisions.strip()]
            meeting.decisions = decisions.strip()
        problems = _hold_problems(meeting)
        if problems:
            raise InvalidTransition(problems)
    elif not note:
        raise ValidationError({"note": _("Say why the meeting was cancelled.")})
    _record_transition(actor=actor, meeting=meeting, to=to, note=note, changes=changes)
    return meeting


def _check_explanation(meeting: Meeting, by: User | None, on: datetime.date | None) -> None:
    errors: dict[str, str] = {}
    if by is None or by.role not in EXPLAINER_ROLES or not staff_for_case(meeting.case).filter(pk=by.pk).exists():
        errors["explained_by"] = _("Choose the social worker or the support-service caseworker who explained it.")
    elif by.role == User.Role.SUPPORT_CASEWORKER and not _took_part(meeting, by):
        errors["explained_by"] = _(
            "The support-service caseworker explains it only when they are at the meeting; "
            "otherwise the social worker does. Record them as a participant who took part first."
        )
    if on is None:
        errors["explained_on"] = _("Give the date it was explained.")
    elif on > timezone.localdate():
        errors["explained_on"] = _("This date cannot be in the future.")
    elif on < meeting.case.opened_on:
        errors["explained_on"] = _("This date cannot be before the case opened (%(date)s).") % {
            "date": day(meeting.case.opened_on)
        }
    if errors:
        raise ValidationError(errors)


def _took_part(meeting: Meeting, user: User) -> bool:
    """`user` is invited to the meeting (as a user or a team member) and is not recorded as absent."""
    places = meeting.participants.filter(user=user) | meeting.participants.filter(team_member__user=user)
    return places.exclude(participation__in=ABSENT).exists()


@transaction.atomic
def support_role_record(
    *, actor: User, meeting: Meeting, explained_by: User | None, explained_on: datetime.date | None
) -> Meeting:
    """Record that the support service's role in administering and reviewing the plan was explained to the
    participants, by whom and when (seed 003: the social worker, unless the caseworker is there to do it)."""
    ensure_can_meet(actor, meeting.case)
    meeting = locked(meeting)
    ensure_not_cancelled(meeting)
    _check_explanation(meeting, explained_by, explained_on)
    fields = ("support_role_explained_by", "support_role_explained_on")
    before = snapshot(meeting, fields)
    meeting.support_role_explained_by, meeting.support_role_explained_on = explained_by, explained_on
    meeting.full_clean()
    meeting.save()
    changes = diff(before, snapshot(meeting, fields))
    if changes:
        audit_record(
            actor=actor, event="meeting.support_role_explained", target=meeting, case=meeting.case, changes=changes
        )
    return meeting

"""The actions a meeting agreed: who does what by when, marked done — or made a step of the service plan."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Case, Participant
from kinplan.cases.permissions import CASE_EDITOR_ROLES, staff_for_case
from kinplan.meetings.models import Meeting, MeetingAction
from kinplan.meetings.services._common import day, ensure_can_meet, ensure_not_cancelled, locked
from kinplan.planning import services as planning
from kinplan.planning.models import Goal, Plan, Step

ACTION_FIELDS = ("what", "who_person", "who_user", "who_name", "due_on")
WHO_FIELDS = ("who_person", "who_user", "who_name")
SAY_WHO = gettext_lazy("Say who does it: one person in the case, one Kinplan user, or a name.")


def _check_action(action: MeetingAction) -> None:
    """Something to do, one person to do it who belongs to the case, due no earlier than the meeting."""
    case, meeting = action.meeting.case, action.meeting
    given = [name for name in WHO_FIELDS if getattr(action, name)]
    if not given:
        raise ValidationError(SAY_WHO)
    errors: dict[str, Any] = {name: SAY_WHO for name in given} if len(given) > 1 else {}
    if not (action.what or "").strip():
        errors["what"] = _("Say what is to be done.")
    if (
        action.who_person_id
        and not case.participants.filter(person_id=action.who_person_id, archived_at__isnull=True).exists()
    ):
        errors["who_person"] = _("Choose someone who is part of this case.")
    if action.who_user_id and not staff_for_case(case).filter(pk=action.who_user_id).exists():
        errors["who_user"] = _("Choose someone at this case's site or its support service.")
    if action.due_on and action.due_on < meeting.local_date:
        errors["due_on"] = _("An action is due after the meeting: on %(date)s or later.") % {
            "date": day(meeting.local_date)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_add(*, actor: User, meeting: Meeting, data: Mapping[str, Any]) -> MeetingAction:
    """Record an action the meeting agreed: what, who does it and by when."""
    ensure_can_meet(actor, meeting.case)
    meeting = locked(meeting)
    ensure_not_cancelled(meeting)
    action = MeetingAction(meeting=meeting)
    candidate = copy.copy(action)
    for name, value in data.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) else value)
    _check_action(candidate)
    apply_changes(action, data, ACTION_FIELDS)
    audit_record(
        actor=actor,
        event="meeting.action.added",
        target=action,
        case=meeting.case,
        changes={"meeting": [None, str(meeting)]} | created_changes(action, ACTION_FIELDS),
    )
    return action


def _locked_action(action: MeetingAction) -> MeetingAction:
    meeting = locked(action.meeting)
    action = MeetingAction.objects.select_for_update().get(pk=action.pk)
    action.meeting = meeting
    return action


@transaction.atomic
def action_complete(*, actor: User, action: MeetingAction, on: datetime.date | None = None) -> MeetingAction:
    """Mark an action done on a date. An action that became a plan step is followed in the plan instead."""
    ensure_can_meet(actor, action.meeting.case)
    action = _locked_action(action)
    on = on or timezone.localdate()
    if action.step_id:
        raise ValidationError(_("This action is a step in the service plan now: record its progress there."))
    if action.done_on:
        raise ValidationError(_("This action is already done."))
    if on > timezone.localdate():
        raise ValidationError({"done_on": _("This date cannot be in the future.")})
    if on < action.meeting.local_date:
        raise ValidationError({"done_on": _("An action is done after the meeting that agreed it.")})
    action.done_on = on
    action.save(update_fields=["done_on", "updated_at"])
    changes = {"done_on": [None, str(on)]}
    audit_record(actor=actor, event="meeting.action.done", target=action, case=action.meeting.case, changes=changes)
    return action


@dataclass(frozen=True)
class StepMade:
    """An action made a plan step: the step, the plan version it is in, and whether that version was started for it."""

    action: MeetingAction
    step: Step
    plan: Plan
    revised: bool

    @property
    def message(self) -> str:
        names = {"what": self.step.what, "goal": self.step.goal.title, "version": self.plan.version}
        if not self.revised:
            return _("“%(what)s” is now a step towards “%(goal)s”.") % names
        return (
            _(
                "“%(what)s” is now a step towards “%(goal)s”. The plan had been agreed, so this started version "
                "%(version)s, a draft: the team is consulted again on the change before it is agreed."
            )
            % names
        )


def goals_for_steps(plan: Plan) -> list[Goal]:
    """The plan's goals in the order the plan shows them; the first (the main track's first long-term goal) is the
    default for an action made a step."""
    goals = list(plan.goals.all())
    return sorted(goals, key=lambda g: (g.track != Goal.Track.MAIN, g.parent_id is not None, g.position, g.pk))


def _responsible(case: Case, action: MeetingAction) -> dict[str, Any]:
    """Who does the step, in the plan's words: the family or a caregiver, the worker, or someone else by name."""
    if action.who_person_id:
        role = (
            Participant.objects.filter(case=case, person_id=action.who_person_id, archived_at__isnull=True)
            .values_list("role", flat=True)
            .first()
        )
        responsible = Step.Responsible.CAREGIVER if role == Participant.Role.CAREGIVER else Step.Responsible.FAMILY
        if role == Participant.Role.PROFESSIONAL:
            responsible = Step.Responsible.OTHER
        return {"responsible": responsible, "responsible_person": action.who_person}
    if action.who_user_id:
        user = action.who_user
        worker = user is not None and user.role in CASE_EDITOR_ROLES
        return {"responsible": Step.Responsible.WORKER if worker else Step.Responsible.OTHER, "responsible_user": user}
    return {"responsible": Step.Responsible.OTHER, "responsible_name": action.who_name}


def _current_plan_for(case: Case) -> Plan:
    plan = Plan.objects.select_for_update().filter(case=case, is_current=True).first()
    if plan is None:
        raise ValidationError(_("This case has no service plan yet: start the plan, then make this action a step."))
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError(_("The case's service plan is closed, so no step can be added to it."))
    return plan


@transaction.atomic
def action_make_step(*, actor: User, action: MeetingAction, goal: Goal | None = None) -> StepMade:
    """Make an action of a held meeting a step of the case's current plan, under `goal` (by default the first
    long-term goal). A draft plan takes it as it is; an agreed or active plan is first revised into a new draft
    version, so the team is consulted on the change (seed 003), and the step goes there. All or nothing."""
    ensure_can_meet(actor, action.meeting.case)
    action = _locked_action(action)
    meeting = action.meeting
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("An action becomes a plan step once the meeting is recorded as held."))
    if action.step_id:
        raise ValidationError(_("This action is already a step in the service plan."))
    if action.done_on:
        raise ValidationError(_("This action is already done, so there is nothing left to plan."))
    plan = _current_plan_for(meeting.case)
    goal = goal or next(iter(goals_for_steps(plan)), None)
    if goal is None:
        raise ValidationError({"goal": _("The plan has no goals yet: add a goal, then make this action a step to it.")})
    if goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose a goal of the case's current plan.")})
    revised = plan.status != Plan.Status.DRAFT
    if revised:
        note = _("An action from the %(meeting)s: %(what)s") % {"meeting": meeting, "what": action.what}
        plan = planning.plan_revise(actor=actor, plan=plan, note=note)
        goal = Goal.objects.get(plan=plan, lineage=goal.lineage)
    data = {
        "kind": Step.Kind.TASK,
        "what": action.what,
        "details": _("Agreed at the %(meeting)s.") % {"meeting": meeting},
        "due_on": action.due_on,
        **_responsible(meeting.case, action),
    }
    step = planning.step_add(actor=actor, goal=goal, data=data)
    action.step = step
    action.save(update_fields=["step", "updated_at"])
    audit_record(
        actor=actor,
        event="meeting.action.made_step",
        target=action,
        case=meeting.case,
        changes={"step": [None, step.what], "plan": [None, f"version {plan.version}"], "goal": [None, goal.title]},
    )
    return StepMade(action=action, step=step, plan=plan, revised=revised)

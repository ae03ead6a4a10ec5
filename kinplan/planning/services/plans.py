"""Creating a plan, changing its headline content, moving it through its states, and revising it."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.assessments.models import Assessment
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Case
from kinplan.core.errors import InvalidTransition
from kinplan.planning.models import ALLOWED_TRANSITIONS, Agreement, Goal, NeedDeferral, Plan, PlanTransition, Step
from kinplan.planning.services._common import ensure_can_plan, ensure_editable
from kinplan.planning.services.content import plan_content

PLAN_FIELDS = (
    "permanency_goal",
    "permanency_goal_detail",
    "alternative_goal",
    "alternative_goal_detail",
    "assessment",
    "starts_on",
    "ends_on",
    "next_review_on",
)


def _check_plan(plan: Plan, data: Mapping[str, Any]) -> None:
    """The database's rules on the plan's dates and goals, checked first so each message shows beside its field."""
    values = {name: data.get(name, getattr(plan, name)) for name in ("starts_on", "ends_on", "alternative_goal")}
    errors: dict[str, str] = {}
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The plan cannot end before it starts.")
    if values["alternative_goal"] and values["alternative_goal"] == data.get("permanency_goal", plan.permanency_goal):
        errors["alternative_goal"] = _("The alternative permanency goal must differ from the main one.")
    if errors:
        raise ValidationError(errors)


def _check_assessment(plan: Plan) -> None:
    if plan.assessment_id and plan.assessment.case_id != plan.case_id:
        raise ValidationError({"assessment": _("Choose an assessment of this case.")})
    completed = Assessment.objects.filter(pk=plan.assessment_id, status=Assessment.Status.COMPLETED)
    if plan.assessment_id and not completed.exists():  # as stored: callers may hold a copy from before completion
        raise ValidationError({"assessment": _("Choose a completed assessment: the plan answers what it found.")})


@transaction.atomic
def plan_create(*, actor: User, case: Case, data: Mapping[str, Any]) -> Plan:
    """Start the case's service plan as a draft (version 1). A case has one current plan."""
    ensure_can_plan(actor, Plan(case=case))
    Case.objects.select_for_update().filter(pk=case.pk).first()  # serialise plan creation per case
    if case.plans.filter(is_current=True).exists():
        raise ValidationError(_("This case already has a plan: open it, or revise it to make a new version."))
    data = dict(data)
    if "assessment" not in data:
        data["assessment"] = (
            Assessment.objects.filter(case=case, status="completed").order_by("-assessed_on", "-id").first()
        )
    plan = Plan(case=case, created_by=actor)
    _check_plan(plan, data)
    apply_changes(plan, data, PLAN_FIELDS)
    _check_assessment(plan)
    audit_record(
        actor=actor,
        event="plan.created",
        target=plan,
        case=case,
        changes=created_changes(plan, ("version", "status", *PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: Plan, data: Mapping[str, Any]) -> Plan:
    """Change a draft plan's permanency goals, assessment, dates or review date."""
    ensure_can_plan(actor, plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    ensure_editable(plan)
    _check_plan(plan, data)
    changes = apply_changes(plan, data, PLAN_FIELDS)
    _check_assessment(plan)
    if changes:
        audit_record(actor=actor, event="plan.updated", target=plan, case=plan.case, changes=changes)
    return plan


def _record_transition(*, actor: User, plan: Plan, to: str, note: str) -> None:
    from_status = plan.status
    plan.status = to
    PlanTransition.objects.create(plan=plan, from_status=from_status, to_status=to, actor=actor, note=note)
    audit_record(
        actor=actor,
        event=f"plan.{to}",
        target=plan,
        case=plan.case,
        changes={"status": [from_status, to]} | ({"note": [None, note]} if note else {}),
    )


def missing_agreement(plan: Plan) -> list[str]:
    """Who still has to agree before `plan` can be agreed: each required team member not agreeing."""
    positions = {a.member_id: a for a in plan.agreements.all()}
    waiting = []
    for member in plan.case.team_members.filter(archived_at__isnull=True, is_required=True).select_related(
        "person", "user"
    ):
        agreement = positions.get(member.pk)
        if agreement is None or agreement.position != Agreement.Position.AGREES:
            label = agreement.get_position_display().lower() if agreement else _("not yet asked")
            waiting.append(_("%(member)s (%(position)s)") % {"member": member.member_name, "position": label})
    return waiting


def _check_agreement(plan: Plan) -> None:
    if not plan.case.team_members.filter(archived_at__isnull=True, is_required=True).exists():
        raise InvalidTransition(_("A plan is agreed by its Child and Family Team: add the team members first."))
    if not plan.goals.exists():
        raise InvalidTransition(_("Add at least one goal before the plan is agreed."))
    waiting = missing_agreement(plan)
    if waiting:
        raise InvalidTransition(
            _("Not everyone whose agreement is required has agreed yet: %(waiting)s.") % {"waiting": "; ".join(waiting)}
        )


@transaction.atomic
def plan_transition(*, actor: User, plan: Plan, to: str, note: str = "") -> Plan:
    """Move the plan along draft → agreed → active → under review → active/closed, as the table allows."""
    ensure_can_plan(actor, plan)
    plan = Plan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if not plan.is_current:
        raise InvalidTransition(_("This is an earlier version of the plan; it can no longer change."))
    if to == Plan.Status.SUPERSEDED or to not in ALLOWED_TRANSITIONS.get(plan.status, frozenset()):
        raise InvalidTransition(
            _("A plan that is %(status)s cannot become %(to)s.")
            % {
                "status": plan.get_status_display().lower(),
                "to": Plan.Status(to).label.lower() if to in Plan.Status.values else to,
            }
        )
    if to == Plan.Status.AGREED:
        _check_agreement(plan)
        plan.agreed_at = timezone.now()
        plan.agreed_content = plan_content(plan)
    _record_transition(actor=actor, plan=plan, to=to, note=note)
    plan.save()
    return plan


def _copy_goals_and_steps(old: Plan, new: Plan) -> None:
    goal_map: dict[int, Goal] = {}
    old_goals = sorted(old.goals.prefetch_related("needs"), key=lambda g: (g.parent_id is not None, g.position, g.pk))
    for goal in old_goals:
        needs = list(goal.needs.all())
        goal_map[goal.pk] = Goal.objects.create(
            plan=new,
            parent=goal_map.get(goal.parent_id),
            lineage=goal.lineage,
            track=goal.track,
            title=goal.title,
            description=goal.description,
            target_date=goal.target_date,
            status=goal.status,
            position=goal.position,
        )
        goal_map[goal.pk].needs.set(needs)
    for step in Step.objects.filter(goal__plan=old):
        step.pk, step.id, step.goal = None, None, goal_map[step.goal_id]
        step._state.adding = True
        step.save()
    for deferral in NeedDeferral.objects.filter(plan=old, archived_at__isnull=True):
        NeedDeferral.objects.create(plan=new, need=deferral.need, reason=deferral.reason)


@transaction.atomic
def plan_revise(*, actor: User, plan: Plan, note: str = "") -> Plan:
    """Start a new version of an agreed plan: a draft with the same goals, steps and progress.

    The earlier version is kept, read-only, as superseded; the team is consulted again on the new one.
    """
    ensure_can_plan(actor, plan)
    old = Plan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if not old.is_current or Plan.Status.SUPERSEDED not in ALLOWED_TRANSITIONS[old.status]:
        raise InvalidTransition(_("Only the current plan, once agreed, is revised; a draft can be changed as it is."))
    _record_transition(actor=actor, plan=old, to=Plan.Status.SUPERSEDED, note=note or _("Revised"))
    old.is_current = False
    old.save(update_fields=["status", "is_current", "updated_at"])
    new = Plan.objects.create(
        case=old.case,
        version=old.version + 1,
        previous=old,
        created_by=actor,
        status=Plan.Status.DRAFT,
        **{f: getattr(old, f) for f in PLAN_FIELDS},
    )
    _copy_goals_and_steps(old, new)
    audit_record(
        actor=actor,
        event="plan.revised",
        target=new,
        case=new.case,
        changes={"version": [old.version, new.version]} | ({"note": [None, note]} if note else {}),
    )
    return new


def last_agreed_version(plan: Plan) -> Plan | None:
    """The most recent version, this one or earlier, that the team agreed."""
    version: Plan | None = plan
    while version is not None:
        if version.agreed_at is not None:
            return version
        version = version.previous
    return None


def plan_due_for_review(plan: Plan, today: datetime.date) -> bool:
    return plan.next_review_on is not None and plan.next_review_on <= today

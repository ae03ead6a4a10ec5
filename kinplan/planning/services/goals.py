"""Goals written backwards (seed 001): long-term goals first, then the intermediate goals that lead there."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.assessments.models import Need
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.planning.models import Goal, NeedDeferral, Plan
from kinplan.planning.services._common import (
    ensure_can_plan,
    ensure_editable,
    ensure_in_force,
    locked,
)

GOAL_FIELDS = ("title", "description", "target_date", "track")


def _check_goal(goal: Goal, needs: Iterable[Need]) -> None:
    errors: dict[str, str] = {}
    parent = goal.parent
    if parent is not None:
        if parent.plan_id != goal.plan_id:
            errors["parent"] = _("Choose a long-term goal of this plan.")
        elif parent.parent_id is not None:
            errors["parent"] = _("Intermediate goals lead to a long-term goal, not to another intermediate goal.")
        elif goal.track != parent.track:
            errors["track"] = _("An intermediate goal is on the same track as the long-term goal it leads to.")
        elif parent.target_date and goal.target_date and goal.target_date > parent.target_date:
            errors["target_date"] = _(
                "An intermediate goal is reached on the way: set a date by %(date)s, the long-term goal's target."
            ) % {"date": date_format(parent.target_date, "DATE_FORMAT")}
    foreign = [n for n in needs if goal.plan.assessment_id is None or n.assessment_id != goal.plan.assessment_id]
    if foreign:
        errors["needs"] = _("Choose needs from the assessment this plan is based on.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_add(
    *, actor: User, plan: Plan, data: Mapping[str, Any], parent: Goal | None = None, needs: Iterable[Need] = ()
) -> Goal:
    """Add a long-term goal, or (with `parent`) an intermediate goal that leads to one."""
    ensure_can_plan(actor, plan)
    ensure_editable(locked(plan))
    needs = list(needs)
    position = (plan.goals.aggregate(n=Max("position"))["n"] or 0) + 1
    goal = Goal(plan=plan, parent=parent, position=position)
    if parent is not None:
        goal.track = parent.track
    track = data.get("track", goal.track)
    _check_goal(Goal(plan=plan, parent=parent, target_date=data.get("target_date"), track=track), needs)
    apply_changes(goal, data, GOAL_FIELDS)
    goal.needs.set(needs)
    changes = created_changes(goal, ("parent", *GOAL_FIELDS)) | (
        {"needs": [None, [str(n) for n in needs]]} if needs else {}
    )
    audit_record(actor=actor, event="plan.goal.added", target=goal, case=plan.case, changes=changes)
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal: Goal, data: Mapping[str, Any], needs: Iterable[Need] | None = None) -> Goal:
    """Change a goal's wording, target date or the needs it answers (draft plans only)."""
    plan = goal.plan
    ensure_can_plan(actor, plan)
    ensure_editable(locked(plan))
    candidate = Goal(
        plan=plan,
        parent=goal.parent,
        target_date=data.get("target_date", goal.target_date),
        track=data.get("track", goal.track),
    )
    _check_goal(candidate, needs or [])
    changes = apply_changes(goal, data, GOAL_FIELDS)
    if "track" in changes:  # a long-term goal's intermediate goals move with it to the other track
        goal.intermediate_goals.update(track=goal.track, updated_at=timezone.now())
    if needs is not None:
        before = sorted(str(n) for n in goal.needs.all())
        goal.needs.set(list(needs))
        after = sorted(str(n) for n in goal.needs.all())
        if before != after:
            changes["needs"] = [before, after]
    late_children = goal.intermediate_goals.filter(target_date__gt=goal.target_date) if goal.target_date else None
    if late_children is not None and late_children.exists():
        raise ValidationError({"target_date": _("Some intermediate goals are due after this date; move them first.")})
    if changes:
        audit_record(actor=actor, event="plan.goal.updated", target=goal, case=plan.case, changes=changes)
    return goal


@transaction.atomic
def goal_set_status(*, actor: User, goal: Goal, status: str) -> Goal:
    """Record progress on a goal (achieved, not achieved, discontinued…); allowed while the plan is open."""
    ensure_can_plan(actor, goal.plan)
    ensure_in_force(locked(goal.plan))
    changes = apply_changes(goal, {"status": status}, ("status",))
    if changes:
        audit_record(actor=actor, event="plan.goal.status", target=goal, case=goal.plan.case, changes=changes)
    return goal


@transaction.atomic
def need_defer(*, actor: User, plan: Plan, need: Need, reason: str) -> NeedDeferral:
    """Record that the plan deliberately leaves a need for later, and why (every need is addressed or deferred)."""
    ensure_can_plan(actor, plan)
    ensure_editable(locked(plan))
    if need.assessment_id != plan.assessment_id:
        raise ValidationError({"need": _("Choose a need from the assessment this plan is based on.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this need is left for later.")})
    deferral = NeedDeferral(plan=plan, need=need, reason=reason.strip())
    deferral.full_clean()
    deferral.save()
    audit_record(
        actor=actor,
        event="plan.need.deferred",
        target=deferral,
        case=plan.case,
        changes={"need": [None, str(need)], "reason": [None, deferral.reason]},
    )
    return deferral


@transaction.atomic
def need_deferral_withdraw(*, actor: User, deferral: NeedDeferral) -> NeedDeferral:
    """Take back a deferral, so the need must be addressed by a goal."""
    ensure_can_plan(actor, deferral.plan)
    ensure_editable(locked(deferral.plan))
    deferral = NeedDeferral.objects.select_for_update().select_related("plan__case").get(pk=deferral.pk)
    if deferral.archived_at is None:
        deferral.archived_at = timezone.now()
        deferral.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            event="plan.need.deferral_withdrawn",
            target=deferral,
            case=deferral.plan.case,
            changes={"archived_at": [None, str(deferral.archived_at)]},
        )
    return deferral

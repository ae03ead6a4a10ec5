"""Steps (tiltak, seed 001): who does what exactly, when, how much, at what cost — and the result."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Participant
from kinplan.cases.permissions import staff_for_case
from kinplan.planning.models import Goal, Step
from kinplan.planning.services._common import (
    ensure_can_plan,
    ensure_editable,
    ensure_in_force,
    locked,
)
from kinplan.planning.services.content import STEP_CONTENT_FIELDS


def _check_step(step: Step) -> None:
    """The person named must be in the case; a cost goes with a step that costs; the funder is known.

    The database's rules on quantity, cost and dates are checked here too, so each message shows beside its field.
    """
    errors: dict[str, str] = {}
    if step.quantity is not None and step.quantity <= 0:
        errors["quantity"] = _("A quantity must be more than zero.")
    if step.cost is not None and step.cost < 0:
        errors["cost"] = _("A cost cannot be negative.")
    if step.starts_on and step.due_on and step.due_on < step.starts_on:
        errors["due_on"] = _("A step cannot be due before it starts.")
    case = step.goal.plan.case
    if (
        step.responsible_person_id
        and not Participant.objects.filter(
            case=case, person_id=step.responsible_person_id, archived_at__isnull=True
        ).exists()
    ):
        errors["responsible_person"] = _("Choose someone who is part of this case.")
    if step.responsible_user_id and not step.responsible_user.is_active:
        errors["responsible_user"] = _("This user account is not active.")
    elif step.responsible_user_id and not staff_for_case(case).filter(pk=step.responsible_user_id).exists():
        errors["responsible_user"] = _("Choose someone at this case's site or its support service.")
    if step.costs_money is False and step.cost not in (None, 0):
        errors["cost"] = _("A step that costs nothing cannot have a cost; tick 'costs money' or clear the cost.")
    errors |= _provider_errors(step, case)
    if errors:
        raise ValidationError(errors)


def _provider_errors(step: Step, case: Any) -> dict[str, str]:
    """A provider from the directory or this case's informal supports; a service that provider offers."""
    errors: dict[str, str] = {}
    if step.provider_id and step.provider.case_id not in (None, case.pk):
        errors["provider"] = _("Choose a provider from the directory or one of this case's informal supports.")
    if step.provider_service_id and step.provider_service.provider_id != step.provider_id:
        errors["provider_service"] = _("Choose a service that this provider offers.")
    return errors


def _newly_chosen_inactive(step: Step, data: Mapping[str, Any]) -> dict[str, str]:
    """A provider or service no longer active stays on old steps, but cannot be chosen anew."""
    errors = {}
    provider, offer = data.get("provider"), data.get("provider_service")
    if provider is not None and provider.pk != step.provider_id and not provider.is_active:
        errors["provider"] = _("This provider is no longer active; choose another.")
    if offer is not None and offer.pk != step.provider_service_id and not offer.is_active:
        errors["provider_service"] = _("This service is no longer offered; choose another.")
    return errors


def priced_by_service(step: Any, data: dict[str, Any]) -> dict[str, Any]:
    """A service chosen from the directory names its provider, gives its unit and, with a quantity, prices the
    step at quantity × unit cost (a fixed sum is its cost) — unless a cost is given."""
    offer = data.get("provider_service")
    if offer is None or offer.pk == step.provider_service_id:
        return _repriced_for_quantity(step, data)
    data = dict(data)
    if data.get("provider") is None:
        data["provider"] = offer.provider
    if not data.get("unit", step.unit):
        data["unit"] = offer.get_unit_display()
    quantity = data.get("quantity", step.quantity)
    if data.get("cost", step.cost) is None and data.get("costs_money", step.costs_money) is not False:
        if offer.unit == offer.Unit.FIXED_SUM:
            data["cost"] = offer.unit_cost
        elif quantity is not None:
            data["cost"] = quantity * offer.unit_cost
    if data.get("costs_money", step.costs_money) is None and "cost" in data:
        data["costs_money"] = data["cost"] > 0
    return data


def _repriced_for_quantity(step: Any, data: dict[str, Any]) -> dict[str, Any]:
    """A new quantity re-prices an item whose cost was its service's price (quantity × unit cost), unless a new
    cost is given with it: 10 sessions at $120 becoming 6 costs $720, not the old $1,200. A cleared cost is the
    service's price again, as when the item was added."""
    quantity = data.get("quantity", step.quantity)
    offer = step.provider_service if step.provider_service_id else None
    if offer is None or quantity is None:
        return data
    fixed = offer.unit == offer.Unit.FIXED_SUM
    if "cost" in data and data["cost"] is None and data.get("costs_money", step.costs_money) is not False:
        return dict(data) | {"cost": offer.unit_cost if fixed else quantity * offer.unit_cost}  # cleared: as when added
    if quantity == step.quantity or fixed:
        return data
    priced = step.quantity is not None and step.cost is not None and step.cost == step.quantity * offer.unit_cost
    if not priced or data.get("cost", step.cost) != step.cost:
        return data
    return dict(data) | {"cost": quantity * offer.unit_cost}


CENT = Decimal("0.01")


def _as_stored(value: Any) -> Any:
    """An amount with the two places it is stored with, so 960 and 960.00 are one value in the history."""
    if not isinstance(value, Decimal):
        return value
    try:
        cents = value.quantize(CENT)
    except InvalidOperation:  # too large to store: the model's own check says so
        return value
    return cents if cents == value else value  # more places than are stored: likewise


def _checked(step: Step, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check `step` as it would be with `data`, without touching it; a step that costs nothing has no funder."""
    refused = _newly_chosen_inactive(step, data)
    if refused:
        raise ValidationError(refused)
    data = priced_by_service(step, dict(data))
    candidate = copy.copy(step)
    for name, value in data.items():
        setattr(candidate, name, value)
    _check_step(candidate)
    data = {name: _as_stored(value) if name in ("quantity", "cost") else value for name, value in data.items()}
    if candidate.costs_money is False and not candidate.funder:
        data["funder"] = Step.Funder.NO_COST
    return data


@transaction.atomic
def step_add(*, actor: User, goal: Goal, data: Mapping[str, Any]) -> Step:
    """Add a step under a goal of a draft plan. Gaps in the good test are flagged, not refused."""
    plan = goal.plan
    ensure_can_plan(actor, plan)
    ensure_editable(locked(plan))
    position = (goal.steps.aggregate(n=Max("position"))["n"] or 0) + 1
    step = Step(goal=goal, position=position)
    apply_changes(step, _checked(step, data), STEP_CONTENT_FIELDS)
    audit_record(
        actor=actor,
        event="plan.step.added",
        target=step,
        case=plan.case,
        changes=created_changes(step, ("goal", *STEP_CONTENT_FIELDS)),
    )
    return step


@transaction.atomic
def step_update(*, actor: User, step: Step, data: Mapping[str, Any]) -> Step:
    """Change what a step is, who does it, when, how much or its cost (draft plans only)."""
    plan = step.goal.plan
    ensure_can_plan(actor, plan)
    ensure_editable(locked(plan))
    step = Step.objects.select_for_update().select_related("goal__plan__case").get(pk=step.pk)
    changes = apply_changes(step, _checked(step, data), STEP_CONTENT_FIELDS)
    if changes:
        audit_record(actor=actor, event="plan.step.updated", target=step, case=plan.case, changes=changes)
    return step


# How a refused move reads in "it cannot be … now" (the event names stay as they are in the audit log).
EVENT_WORDS = {
    "started": pgettext_lazy("a step cannot be … now", "started"),
    "completed": pgettext_lazy("a step cannot be … now", "completed"),
    "not_done": pgettext_lazy("a step cannot be … now", "marked not done"),
    "cancelled": pgettext_lazy("a step cannot be … now", "cancelled"),
}


def _progress(*, actor: User, step: Step, event: str, data: dict[str, Any], allowed_from: set[str]) -> Step:
    plan = step.goal.plan
    ensure_can_plan(actor, plan)
    ensure_in_force(locked(plan))
    step = Step.objects.select_for_update().select_related("goal__plan__case").get(pk=step.pk)
    if step.status not in allowed_from:
        raise ValidationError(
            _("This step is %(status)s; it cannot be %(event)s now.")
            % {"status": step.get_status_display().lower(), "event": EVENT_WORDS.get(event, event)}
        )
    changes = apply_changes(step, data, ("status", "result", "completed_on"))
    audit_record(actor=actor, event=f"plan.step.{event}", target=step, case=plan.case, changes=changes)
    return step


OPEN = {Step.Status.PLANNED, Step.Status.IN_PROGRESS}


@transaction.atomic
def step_start(*, actor: User, step: Step) -> Step:
    """Mark a planned step as under way."""
    return _progress(
        actor=actor,
        step=step,
        event="started",
        data={"status": Step.Status.IN_PROGRESS},
        allowed_from={Step.Status.PLANNED},
    )


@transaction.atomic
def step_complete(*, actor: User, step: Step, result: str, on: datetime.date | None = None) -> Step:
    """Record a step as done with its result and date (seed 001: results recorded for each step)."""
    if not (result or "").strip():
        raise ValidationError({"result": _("Record the result: what happened, in a sentence or two.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"completed_on": _("A step cannot be done on a date in the future.")})
    return _progress(
        actor=actor,
        step=step,
        event="completed",
        data={"status": Step.Status.DONE, "result": result, "completed_on": on},
        allowed_from=OPEN,
    )


@transaction.atomic
def step_mark_not_done(*, actor: User, step: Step, result: str) -> Step:
    """Record that a step was not done, and what happened instead."""
    if not (result or "").strip():
        raise ValidationError({"result": _("Say what happened instead.")})
    return _progress(
        actor=actor,
        step=step,
        event="not_done",
        data={"status": Step.Status.NOT_DONE, "result": result},
        allowed_from=OPEN,
    )


@transaction.atomic
def step_cancel(*, actor: User, step: Step, reason: str) -> Step:
    """Cancel a step that is no longer needed (it stays in the plan's history)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the step is no longer needed.")})
    return _progress(
        actor=actor,
        step=step,
        event="cancelled",
        data={"status": Step.Status.CANCELLED, "result": reason},
        allowed_from=OPEN,
    )

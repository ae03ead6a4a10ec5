"""An order's conditions: their wording, their compliance as last checked, and the plan steps that satisfy them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record
from kinplan.core.concurrency import ensure_not_stale
from kinplan.court.models import CourtOrder, OrderCondition
from kinplan.court.services._common import day, order_open_for_change
from kinplan.planning.models import Step

Compliance = OrderCondition.Compliance
COMPLIANCE_FIELDS = ("compliance", "checked_on", "note")
# Compliance that falls short: the note says what is missing.
SHORT = frozenset({Compliance.PARTLY, Compliance.NOT_COMPLYING})


def _wording(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the condition as the order words it.")})
    return text


@transaction.atomic
def condition_add(*, actor: User, order: CourtOrder, text: str) -> OrderCondition:
    """Add a condition to an order in force; its compliance is not yet due until it is checked."""
    order = order_open_for_change(actor, order)
    text = _wording(text)
    position = (order.conditions.aggregate(n=Max("position"))["n"] or 0) + 1
    condition = OrderCondition(order=order, position=position)
    apply_changes(condition, {"text": text}, ("text",))
    audit_record(
        actor=actor,
        event="court.condition.added",
        target=condition,
        case=order.case,
        changes={"order": [None, str(order)], "text": [None, text]},
    )
    return condition


@transaction.atomic
def condition_update(*, actor: User, condition: OrderCondition, text: str) -> OrderCondition:
    """Change a condition's wording (the order was varied, or it was mistyped) while the order is in force."""
    order = order_open_for_change(actor, condition.order)
    changes = apply_changes(condition, {"text": _wording(text)}, ("text",))
    if changes:
        audit_record(actor=actor, event="court.condition.updated", target=condition, case=order.case, changes=changes)
    return condition


def _check_compliance(order: CourtOrder, compliance: str, checked_on: datetime.date, note: str) -> None:
    errors: dict[str, str] = {}
    if compliance not in Compliance.values:
        errors["compliance"] = _("Choose how far the condition is being complied with.")
    if checked_on > timezone.localdate():
        errors["checked_on"] = _("A check cannot be dated in the future.")
    elif checked_on < order.made_on:
        errors["checked_on"] = _("A check cannot be dated before the order was made (%(date)s).") % {
            "date": day(order.made_on)
        }
    if compliance in SHORT and not note:
        errors["note"] = _("Say what is not being complied with, and what is being done about it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def condition_record_compliance(
    *,
    actor: User,
    condition: OrderCondition,
    compliance: str,
    checked_on: datetime.date | None = None,
    note: str = "",
) -> OrderCondition:
    """Record how far a condition is complied with, as checked on a date (today by default), with what it rests
    on; falling short needs a note. Each check is kept in history with its before and after."""
    order = order_open_for_change(actor, condition.order)
    condition = OrderCondition.objects.select_for_update(of=("self",)).get(pk=condition.pk)
    checked_on, note = checked_on or timezone.localdate(), (note or "").strip()
    _check_compliance(order, compliance, checked_on, note)
    data = {"compliance": compliance, "checked_on": checked_on, "note": note}
    changes = apply_changes(condition, data, COMPLIANCE_FIELDS)
    if changes:
        audit_record(
            actor=actor, event="court.condition.compliance", target=condition, case=order.case, changes=changes
        )
    return condition


def linkable_steps(order: CourtOrder) -> QuerySet[Step]:
    """The steps a condition of `order` may be linked to: those of the case's current plan, not cancelled."""
    return Step.objects.filter(goal__plan__case_id=order.case_id, goal__plan__is_current=True).exclude(
        status=Step.Status.CANCELLED
    )


@transaction.atomic
def condition_set_steps(*, actor: User, condition: OrderCondition, steps: Iterable[Step]) -> OrderCondition:
    """Link the condition to exactly these steps of the case's current plan (the steps that satisfy it).

    Links to an earlier version's steps are replaced by the steps chosen, so the links follow the plan.
    """
    order = order_open_for_change(actor, condition.order)
    ensure_not_stale(condition)  # the links are the condition's: changing them moves its version on
    chosen = {step.pk: step for step in steps}
    allowed = set(linkable_steps(order).filter(pk__in=chosen).values_list("pk", flat=True))
    if set(chosen) - allowed:
        raise ValidationError({"steps": _("Choose steps of this case's current plan that are not cancelled.")})
    before = sorted(str(step) for step in condition.steps.all())
    condition.steps.set(chosen.values())
    after = sorted(str(step) for step in chosen.values())
    if before != after:
        condition.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            event="court.condition.steps",
            target=condition,
            case=order.case,
            changes={"steps": [before, after]},
        )
    return condition

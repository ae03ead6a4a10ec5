"""Court orders: recording an order (and its conditions), correcting it while in force, and how it ends."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Case, Participant
from kinplan.core.errors import InvalidTransition
from kinplan.court.models import (
    CAREGIVER_KINDS,
    CHIEF_EXECUTIVE_KINDS,
    ORDER_TRANSITIONS,
    CourtOrder,
    OrderTransition,
)
from kinplan.court.services._common import day, ensure_can_change, ensure_in_force, with_data
from kinplan.court.services.conditions import condition_add

ORDER_FIELDS = ("kind", "child", "granted_to", "court", "reference", "made_on", "expires_on", "review_on", "notes")
Status = CourtOrder.Status


def _check_people(order: CourtOrder) -> dict[str, str]:
    """The child is a child of the case; a caregiver order names its caregiver, someone else in the case."""
    errors: dict[str, str] = {}
    people = Participant.objects.filter(case_id=order.case_id, archived_at__isnull=True)
    children = people.filter(role=Participant.Role.CHILD)
    if order.child_id and not children.filter(person_id=order.child_id).exists():
        errors["child"] = _("Choose a child of this case.")
    if order.kind in CAREGIVER_KINDS and not order.granted_to_id:
        errors["granted_to"] = _("Name the caregiver this order is made for.")
    elif order.granted_to_id and order.kind in CHIEF_EXECUTIVE_KINDS:
        errors["granted_to"] = _("An order to the chief executive is not made for a person: leave this empty.")
    elif order.granted_to_id and not people.filter(person_id=order.granted_to_id).exists():
        errors["granted_to"] = _("Choose someone who is part of this case.")
    elif order.granted_to_id and children.filter(person_id=order.granted_to_id).exists():
        errors["granted_to"] = _("Name the caregiver the order is made for, not the child.")
    return errors


def _check_order(order: CourtOrder) -> None:
    """The people and the dates make sense; the database's date rules are checked here so each shows by its field."""
    errors = _check_people(order)
    made = order.made_on
    if isinstance(made, datetime.date):
        if made > timezone.localdate():
            errors["made_on"] = _("An order cannot be made on a date in the future.")
        if order.expires_on and order.expires_on <= made:
            errors["expires_on"] = _("An order expires after the date it was made.")
        if order.review_on and order.review_on <= made:
            errors["review_on"] = _("The court reviews an order after the date it was made.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def order_create(*, actor: User, case: Case, data: Mapping[str, Any], conditions: Iterable[str] = ()) -> CourtOrder:
    """Record an order made by the court, in force, with its conditions (all or nothing)."""
    ensure_can_change(actor, case)
    texts = [text.strip() for text in conditions]
    if any(not text for text in texts):
        raise ValidationError({"conditions": _("Write each condition as the order words it.")})
    order = CourtOrder(case=case, created_by=actor)
    _check_order(with_data(order, data))
    apply_changes(order, data, ORDER_FIELDS)
    audit_record(
        actor=actor,
        event="court.order.created",
        target=order,
        case=case,
        changes=created_changes(order, ("status", *ORDER_FIELDS)),
    )
    for text in texts:
        condition_add(actor=actor, order=order, text=text)
    return order


@transaction.atomic
def order_update(*, actor: User, order: CourtOrder, data: Mapping[str, Any]) -> CourtOrder:
    """Correct an order's details while it is in force; an order that has ended is kept as it was."""
    ensure_can_change(actor, order.case)
    order = CourtOrder.objects.select_for_update(of=("self",)).select_related("case").get(pk=order.pk)
    ensure_in_force(order)
    _check_order(with_data(order, data))
    changes = apply_changes(order, data, ORDER_FIELDS)
    if changes:
        audit_record(actor=actor, event="court.order.updated", target=order, case=order.case, changes=changes)
    return order


def _ended_on(
    order: CourtOrder, to: str, ended_on: datetime.date | None, replaced_by: CourtOrder | None
) -> datetime.date:
    """The date the order ends, by how it ends: the day it was discharged, its expiry date, or the day the order
    replacing it was made."""
    if to == Status.EXPIRED:
        if order.expires_on is None:
            raise ValidationError({"to": _("This order has no expiry date: record it as discharged or replaced.")})
        if order.expires_on > timezone.localdate():
            message = _("This order runs until %(date)s; it has not expired yet.") % {"date": day(order.expires_on)}
            raise ValidationError({"to": message})
        return order.expires_on
    if to == Status.REPLACED:
        if replaced_by is None:
            raise ValidationError({"replaced_by": _("Choose the order that replaced it.")})
        if replaced_by.pk == order.pk or replaced_by.case_id != order.case_id or replaced_by.replaced_by_id == order.pk:
            raise ValidationError({"replaced_by": _("Choose another order of this case, made to replace this one.")})
        if replaced_by.made_on < order.made_on:
            raise ValidationError({"replaced_by": _("That order was made before this one; choose the later order.")})
        return replaced_by.made_on
    if ended_on is None:
        raise ValidationError({"ended_on": _("Enter the date the court discharged the order.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The date of discharge cannot be in the future.")})
    if ended_on < order.made_on:
        message = _("An order cannot be discharged before it was made (%(date)s).") % {"date": day(order.made_on)}
        raise ValidationError({"ended_on": message})
    return ended_on


def _status_label(status: str) -> str:
    return Status(status).label.lower() if status in Status.values else status


@transaction.atomic
def order_end(
    *,
    actor: User,
    order: CourtOrder,
    to: str,
    ended_on: datetime.date | None = None,
    replaced_by: CourtOrder | None = None,
    note: str = "",
) -> CourtOrder:
    """End an order in force: discharged by the court, expired on its date, or replaced by a later order.

    The move is logged (from, to, the date it took effect, who, a note) and the order is kept as it was.
    """
    ensure_can_change(actor, order.case)
    order = CourtOrder.objects.select_for_update(of=("self",)).select_related("case").get(pk=order.pk)
    if to not in ORDER_TRANSITIONS.get(order.status, frozenset()):
        raise InvalidTransition(
            _("An order that is %(status)s cannot become %(to)s.")
            % {"status": _status_label(order.status), "to": _status_label(to)}
        )
    on = _ended_on(order, to, ended_on, replaced_by)
    from_status, note = order.status, note.strip()
    order.status, order.ended_on = to, on
    order.replaced_by = replaced_by if to == Status.REPLACED else None
    order.full_clean()
    order.save()
    OrderTransition.objects.create(order=order, from_status=from_status, to_status=to, on=on, actor=actor, note=note)
    changes: dict[str, list[Any]] = {"status": [from_status, to], "ended_on": [None, str(on)]}
    if order.replaced_by is not None:
        changes["replaced_by"] = [None, str(order.replaced_by)]
    if note:
        changes["note"] = [None, note]
    audit_record(actor=actor, event=f"court.order.{to}", target=order, case=order.case, changes=changes)
    return order


def order_discharge(*, actor: User, order: CourtOrder, on: datetime.date, note: str = "") -> CourtOrder:
    """Record that the court discharged the order on `on` (not before it was made, not in the future)."""
    return order_end(actor=actor, order=order, to=Status.DISCHARGED, ended_on=on, note=note)

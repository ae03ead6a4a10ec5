"""Helpers shared by the court services."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case
from kinplan.core.errors import ensure
from kinplan.court.models import CourtOrder

M = TypeVar("M", bound=models.Model)


def ensure_can_change(actor: User, case: Case) -> None:
    ensure(can_edit_case(actor, case), _("You cannot change this case's court orders and hearings."))


def ensure_in_force(order: CourtOrder) -> None:
    """An order that has ended is kept as it was when it ended, conditions and all."""
    if not order.is_in_force:
        raise ValidationError(
            _("This order is %(status)s: it is kept as it was when it ended.")
            % {"status": order.get_status_display().lower()}
        )


def order_open_for_change(actor: User, order: CourtOrder) -> CourtOrder:
    """The order as stored, locked for the change, if `actor` may change its case and it is still in force."""
    ensure_can_change(actor, order.case)
    order = CourtOrder.objects.select_for_update(of=("self",)).select_related("case").get(pk=order.pk)
    ensure_in_force(order)
    return order


def with_data(instance: M, data: Mapping[str, Any]) -> M:
    """A copy of `instance` with `data` set on it, to check the rules before anything is saved."""
    candidate = copy.copy(instance)
    for name, value in data.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) else value)
    return candidate


def day(value: datetime.date) -> str:
    """A date as a sentence writes it, in the reader's language: 4 Mar 2026."""
    return formats.date_format(value, "DATE_FORMAT")

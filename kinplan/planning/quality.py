"""The "good test" (seed 003), in one place: a plan item names who provides it, when, how much, and
the cost where there is one. What fails it is a contingency, not a plan item.

Service plans show the issues as warnings; the permanent care support plan refuses such items.
Anything with these attributes can be checked: a service-plan step, a support-plan item.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _


class PlanItem(Protocol):
    kind: str
    starts_on: datetime.date | None
    due_on: datetime.date | None
    timeline: str
    quantity: Decimal | None
    costs_money: bool | None
    cost: Decimal | None

    @property
    def responsible_label(self) -> str: ...


@dataclass(frozen=True)
class QualityIssue:
    code: str  # names_no_one | no_timing | no_quantity | no_cost
    field: str
    message: str


# Services are measured and may cost; a one-off task, form or appointment is one of itself.
MEASURED_KINDS = frozenset({"service"})


def item_issues(item: PlanItem, *, strict: bool = False) -> list[QualityIssue]:
    """Every way `item` fails the good test, each with what to add.

    `strict` (the permanent care support plan) measures every item, not only services: each support is
    quantified and says whether it costs money."""
    measured = strict or item.kind in MEASURED_KINDS
    issues = []
    if not item.responsible_label.strip():
        issues.append(QualityIssue("names_no_one", "responsible", _("It names no one: say who will do or provide it.")))
    if not (item.starts_on or item.due_on or (item.timeline or "").strip()):
        issues.append(
            QualityIssue("no_timing", "due_on", _("It has no timing: give a due date, start date or timeline."))
        )
    if measured and item.quantity is None:
        issues.append(QualityIssue("no_quantity", "quantity", _("It has no quantity: say how much (e.g. 6 sessions).")))
    if item.costs_money and item.cost is None:
        issues.append(QualityIssue("no_cost", "cost", _("It costs money but no cost is given.")))
    elif item.costs_money is None and measured:
        issues.append(QualityIssue("no_cost", "costs_money", _("Say whether it costs money, and if so how much.")))
    return issues


def passes_good_test(item: PlanItem) -> bool:
    return not item_issues(item)

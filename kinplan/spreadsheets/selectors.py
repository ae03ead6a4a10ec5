"""The exports' rows, each read through the same selectors (and so the same visibility rules) as its page.

None of them carries what the pages withhold from some readers (confidential notes, withheld addresses): those
fields are not among any export's columns. Each export reads a fixed number of queries per thousand rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinplan.accounts.models import User
from kinplan.cases.due_dates import next_due_label
from kinplan.cases.models import Case
from kinplan.cases.selectors import caseload, with_plan_progress
from kinplan.permanent_care.models import SupportArrangement, SupportItem
from kinplan.permanent_care.selectors.spend import spend
from kinplan.planning.models import Goal, Plan, Step
from kinplan.referrals.selectors import referral_list_page
from kinplan.spreadsheets.tables import Table

T = TypeVar("T")
CHUNK = 1000  # rows read (and their related rows prefetched) at a time

CASELOAD_COLUMNS = [
    _("Case reference"),
    _("Case name"),
    _("Children"),
    _("Worker"),
    _("Status"),
    _("Next due"),
    _("Next due is"),
    _("Plan status"),
    _("Steps"),
    _("Steps done"),
    _("Steps overdue"),
]
PLAN_COLUMNS = [
    _("Case reference"),
    _("Plan version"),
    _("Goal"),
    _("Intermediate goal"),
    _("Track"),
    _("Step"),
    _("Kind"),
    _("Who does it"),
    _("Starts on"),
    _("Due on"),
    _("Timeline"),
    _("How much"),
    _("Unit"),
    _("How often"),
    _("Costs money"),
    _("Cost"),
    _("Funder"),
    _("Instructions for the family"),
    _("Status"),
    _("Result"),
    _("Completed on"),
]
REFERRAL_COLUMNS = [
    _("Case reference"),
    _("Case name"),
    _("Person"),
    _("Provider"),
    _("Service"),
    _("Status"),
    _("Status since"),
    _("Sent on"),
    _("Days waiting"),
    _("Waiting too long"),
    _("Worker"),
]
SPEND_COLUMNS = [
    _("Case reference"),
    _("Objective"),
    _("Support"),
    _("Provider"),
    _("Funder"),
    _("Approved"),
    _("Committed"),
    _("Delivered"),
    _("Remaining"),
]


def _name(user: User | None) -> str:
    return str(user) if user else ""


def _chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def caseload_table(*, user: User, scope: str, status: str, search: str, today: datetime.date | None = None) -> Table:
    """The caseload tab as the page lists it (same scope, status and search), every page of it, read a thousand
    cases at a time (three queries each), so a national list neither fills the memory nor outgrows SQL's IN."""
    today = today or timezone.localdate()
    cases = caseload(user=user, scope=scope, status=status, search=search, today=today).iterator(chunk_size=CHUNK)
    table = Table(title=str(_("Caseload")), columns=CASELOAD_COLUMNS)
    for chunk in _chunks(cases):
        table.rows.extend(_caseload_row(case) for case in with_plan_progress(chunk, today))
    return table


def _caseload_row(case: Case) -> list[Any]:
    return [
        case.reference,
        case.name,
        "; ".join(p.person.full_name for p in case.child_participants),
        _name(case.worker),
        case.get_status_display(),
        case.next_due,
        str(next_due_label(case)) if case.next_due else "",
        Plan.Status(case.plan_status).label if case.plan_status else "",
        case.plan_steps,
        case.plan_steps_done,
        case.plan_steps_overdue,
    ]


def _goal_chain(goals: list[Goal]) -> list[tuple[Goal, Goal | None]]:
    """Each goal with the main goal above it: main goals in order, each followed by its intermediate goals."""
    by_parent: dict[int, list[Goal]] = {}
    ids = {g.pk for g in goals}
    for goal in goals:
        if goal.parent_id and goal.parent_id in ids:
            by_parent.setdefault(goal.parent_id, []).append(goal)
    chain: list[tuple[Goal, Goal | None]] = []
    for goal in goals:
        if not (goal.parent_id and goal.parent_id in ids):
            chain.append((goal, None))
            chain.extend((goal, child) for child in by_parent.get(goal.pk, []))
    return chain


def _step_cells(step: Step) -> list[Any]:
    return [
        step.what,
        step.get_kind_display(),
        step.responsible_label or step.get_responsible_display(),
        step.starts_on,
        step.due_on,
        step.timeline,
        step.quantity,
        step.unit,
        step.frequency,
        step.costs_money,
        step.cost,
        step.get_funder_display(),
        step.client_instructions,
        step.get_status_display(),
        step.result,
        step.completed_on,
    ]


def plan_table(*, plan: Plan) -> Table:
    """A plan loaded by `planning.selectors.plan_with_content`: one row per step, with its goal chain."""
    table = Table(title=str(_("Plan")), columns=PLAN_COLUMNS)
    for main, intermediate in _goal_chain(list(plan.goals.all())):
        goal = intermediate or main
        for step in goal.steps.all():
            table.rows.append(
                [
                    plan.case.reference,
                    plan.version,
                    main.title,
                    intermediate.title if intermediate else "",
                    goal.get_track_display(),
                    *_step_cells(step),
                ]
            )
    return table


def referrals_table(*, user: User, scope: str, show: str, today: datetime.date | None = None) -> Table:
    """The referrals list as the page shows it (same scope and filter), every page of it: two queries."""
    today = today or timezone.localdate()
    table = Table(title=str(_("Referrals")), columns=REFERRAL_COLUMNS)
    referrals = referral_list_page(user=user, today=today, scope=scope, show=show).iterator(chunk_size=CHUNK)
    for referral in referrals:
        case: Case = referral.case
        service = referral.provider_service.label if referral.provider_service else str(referral.service_type or "")
        table.rows.append(
            [
                case.reference,
                case.name,
                referral.person.full_name,
                referral.provider.name if referral.provider else "",
                service,
                referral.get_status_display(),
                referral.status_on,
                referral.sent_on,
                referral.days_waiting(today),
                bool(referral.too_long),
                _name(case.worker),
            ]
        )
    return table


def spend_table(*, arrangement: SupportArrangement) -> Table:
    """Spend against the approved costs, per support (the items the page lists): a fixed number of queries."""
    table = Table(title=str(_("Spend")), columns=SPEND_COLUMNS)
    result = spend(arrangement)
    for row in result.rows:
        item: SupportItem = row["item"]
        if item.funder != SupportItem.Funder.SUPPORT_SERVICE and not row["purchases"]:
            continue
        approved = item.cost if item.funder == SupportItem.Funder.SUPPORT_SERVICE else None
        table.rows.append(
            [
                arrangement.case.reference,
                item.objective.title,
                item.what,
                item.responsible_label,
                item.get_funder_display(),
                approved,
                row["committed"],
                row["delivered"],
                (approved or 0) - row["committed"],
            ]
        )
    label = str(_("Total"))
    table.rows.append(["", "", label, "", "", result.approved, result.committed, result.delivered, result.remaining])
    return table

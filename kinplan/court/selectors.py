"""Reads over court orders and hearings: what the permanent care support plan waits for, the case page's section,
the court page and an order's page, each in a fixed number of queries."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case
from kinplan.court.models import (
    CAREGIVER_KINDS,
    CHIEF_EXECUTIVE_KINDS,
    CourtOrder,
    Hearing,
    OrderCondition,
    OrderTransition,
)
from kinplan.planning.models import Step

Compliance = OrderCondition.Compliance
IN_FORCE = CourtOrder.Status.IN_FORCE


# --- what the permanent care support plan (seed 003) waits for ----------------------------------------


def chief_executive_orders_discharged_on(*, case: Case) -> datetime.date | None:
    """The date the last of the case's chief-executive orders ended (discharged, expired or replaced), or None if
    it never had one or one is still in force: the day the chief executive's orders were discharged."""
    ends = list(CourtOrder.objects.filter(case=case, kind__in=CHIEF_EXECUTIVE_KINDS).values_list("status", "ended_on"))
    if not ends or any(status == IN_FORCE for status, _ in ends):
        return None
    return max(ended_on for _, ended_on in ends)


def caregiver_order_granted_on(*, case: Case) -> datetime.date | None:
    """The date the first caregiver order now in force (parenting, guardianship, special guardianship) was made."""
    orders = CourtOrder.objects.filter(case=case, kind__in=CAREGIVER_KINDS, status=IN_FORCE)
    made_on: datetime.date | None = orders.order_by("made_on").values_list("made_on", flat=True).first()
    return made_on


# --- orders at a glance: in force first, with their conditions' compliance counted ---------------------


@dataclass(frozen=True)
class ComplianceCount:
    compliance: str
    label: str
    count: int


# Worst first, so what needs attention reads first.
COMPLIANCE_ORDER = (
    Compliance.NOT_COMPLYING,
    Compliance.PARTLY,
    Compliance.COMPLYING,
    Compliance.MET,
    Compliance.NOT_YET_DUE,
)


def _compliance_annotations() -> dict[str, Any]:
    return {
        f"n_{value}": Count("conditions", filter=Q(conditions__compliance=value), distinct=True)
        for value in Compliance.values
    }


def _counted(order: CourtOrder) -> CourtOrder:
    counts = [ComplianceCount(c, c.label.lower(), getattr(order, f"n_{c.value}")) for c in COMPLIANCE_ORDER]
    order.compliance_counts = [c for c in counts if c.count]  # type: ignore[attr-defined]
    order.conditions_total = sum(c.count for c in counts)  # type: ignore[attr-defined]
    return order


IN_FORCE_FIRST = models.Case(When(status=IN_FORCE, then=Value(0)), default=Value(1))


def orders_at_a_glance(*, case: Case) -> list[CourtOrder]:
    """The case's orders, in force first (then the latest made), each with its conditions counted by compliance:
    one query."""
    orders = (
        CourtOrder.objects.filter(case=case)
        .select_related("child", "granted_to")
        .annotate(**_compliance_annotations())
        .order_by(IN_FORCE_FIRST, "-made_on", "-id")
    )
    return [_counted(order) for order in orders]


def next_hearing(*, case: Case) -> Hearing | None:
    """The earliest scheduled hearing (one whose date has passed is still waiting for its outcome)."""
    return (
        Hearing.objects.filter(case=case, status=Hearing.Status.SCHEDULED)
        .select_related("order")
        .order_by("date", "time", "id")
        .first()
    )


def court_section(*, case: Case, today: datetime.date | None = None) -> dict[str, Any]:
    """The case page's section in two queries: the orders at a glance and the next hearing."""
    return {
        "court_orders": orders_at_a_glance(case=case),
        "court_next_hearing": next_hearing(case=case),
        "court_today": today or timezone.localdate(),
    }


def case_hearings(*, case: Case) -> list[Hearing]:
    """Every hearing of the case: those still to come (or awaiting an outcome) first, soonest first; then the
    rest, latest first."""
    hearings = list(Hearing.objects.filter(case=case).select_related("order", "adjourned_to").order_by("date", "id"))
    waiting = [h for h in hearings if h.is_scheduled]
    done = [h for h in reversed(hearings) if not h.is_scheduled]
    return waiting + done


def case_court(*, case: Case, today: datetime.date) -> dict[str, Any]:
    """The court page: every order at a glance and every hearing, in two queries."""
    return {"orders": orders_at_a_glance(case=case), "hearings": case_hearings(case=case), "today": today}


# --- one order: its conditions with the plan steps that satisfy them -----------------------------------


@dataclass(frozen=True)
class LinkedStep:
    """A step linked to a condition, as it stands in the current plan; `version` is set when the step is only in
    an earlier version of the plan (the link is kept, but the plan has moved on)."""

    step: Step
    version: int | None = None


def current_plan_steps(*, case: Case) -> list[Step]:
    """Every step of the case's current plan with its goal, in the plan's order."""
    steps = Step.objects.filter(goal__plan__case=case, goal__plan__is_current=True).select_related("goal__plan")
    return list(steps.order_by("goal__position", "goal_id", "position", "due_on", "id"))


def attach_linked_steps(conditions: list[OrderCondition], plan_steps: list[Step]) -> list[OrderCondition]:
    """Set `linked_steps` (LinkedStep, following each link to the current plan's version of the step) and
    `linked_lineages` on each condition, whose `steps` are prefetched with their goal and plan."""
    current = {step.lineage: step for step in plan_steps}
    for condition in conditions:
        linked: dict[uuid.UUID, LinkedStep] = {}
        for step in sorted(condition.steps.all(), key=lambda s: (s.goal.plan.version, s.pk)):
            now = current.get(step.lineage)
            linked[step.lineage] = LinkedStep(now) if now else LinkedStep(step, version=step.goal.plan.version)
        condition.linked_steps = list(linked.values())  # type: ignore[attr-defined]
        condition.linked_lineages = {str(lineage) for lineage in linked}  # type: ignore[attr-defined]
    return conditions


def _linked_steps() -> Prefetch:
    return Prefetch("steps", queryset=Step.objects.select_related("goal__plan"))


def _transitions() -> Prefetch:
    return Prefetch("transitions", queryset=OrderTransition.objects.select_related("actor"))


def _conditions() -> Prefetch:
    return Prefetch("conditions", queryset=OrderCondition.objects.prefetch_related(_linked_steps()))


def order_with_conditions(*, case: Case, order_pk: int) -> CourtOrder:
    """One order of `case` (else 404) with its conditions, their steps, its status changes, hearings and the orders
    it replaced, in a fixed number of queries."""
    orders = CourtOrder.objects.select_related("case", "child", "granted_to", "created_by", "replaced_by")
    orders = orders.prefetch_related(
        _conditions(),
        _transitions(),
        Prefetch("hearings", queryset=Hearing.objects.order_by("date", "id")),
        "replaces",
    )
    return get_object_or_404(orders, pk=order_pk, case=case)


def order_history(*, order: CourtOrder) -> QuerySet[AuditEvent]:
    """The history of the order and its conditions, latest first (conditions prefetched)."""
    conditions = [str(c.pk) for c in order.conditions.all()]
    mine = Q(target_type="court.courtorder", target_id=str(order.pk))
    theirs = Q(target_type="court.ordercondition", target_id__in=conditions)
    return AuditEvent.objects.filter(mine | theirs).select_related("actor").order_by("-at", "-id")


def order_page(*, order: CourtOrder) -> dict[str, Any]:
    """Everything an order's page shows: conditions with their linked steps, the steps that may be linked, status
    changes, hearings and history."""
    plan_steps = current_plan_steps(case=order.case)
    conditions = attach_linked_steps(list(order.conditions.all()), plan_steps)
    return {
        "order": order,
        "conditions": conditions,
        "linkable": _linkable(plan_steps),
        "transitions": list(order.transitions.all()),
        "hearings": list(order.hearings.all()),
        "history": list(order_history(order=order)),
    }


def orders_in_full(*, case: Case) -> list[CourtOrder]:
    """The case's orders for the API: in force first, each with conditions (linked steps followed to the current
    plan) and status changes."""
    orders = list(
        CourtOrder.objects.filter(case=case)
        .select_related("child", "granted_to", "replaced_by")
        .prefetch_related(_conditions(), _transitions())
        .order_by(IN_FORCE_FIRST, "-made_on", "-id")
    )
    plan_steps = current_plan_steps(case=case)
    for order in orders:
        attach_linked_steps(list(order.conditions.all()), plan_steps)
    return orders


def order_in_full(*, order: CourtOrder) -> CourtOrder:
    """One order for the API, as `orders_in_full` gives each."""
    found = (
        CourtOrder.objects.select_related("child", "granted_to", "replaced_by")
        .prefetch_related(_conditions(), _transitions())
        .get(pk=order.pk)
    )
    attach_linked_steps(list(found.conditions.all()), current_plan_steps(case=order.case))
    return found


def condition_piece(*, condition: OrderCondition) -> dict[str, Any]:
    """One condition with its linked steps followed to the current plan, and the steps it may be linked to."""
    found = OrderCondition.objects.select_related("order__case").prefetch_related(_linked_steps()).get(pk=condition.pk)
    plan_steps = current_plan_steps(case=found.order.case)
    attach_linked_steps([found], plan_steps)
    return {"condition": found, "linkable": _linkable(plan_steps)}


def _linkable(plan_steps: list[Step]) -> list[Step]:
    return [step for step in plan_steps if step.status != Step.Status.CANCELLED]

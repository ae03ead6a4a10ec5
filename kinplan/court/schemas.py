"""API input and output shapes for court orders, their conditions and hearings."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from kinplan.core.api import VersionedOut
from kinplan.court.models import (
    CAREGIVER_KINDS,
    CHIEF_EXECUTIVE_KINDS,
    SERVICE_KINDS,
    CourtOrder,
    Hearing,
    OrderCondition,
    OrderKind,
    OrderTransition,
)
from kinplan.court.selectors import LinkedStep
from kinplan.planning.models import Step

# --- output --------------------------------------------------------------------------------------


class LinkedStepOut(Schema):
    """A plan step that satisfies a condition, as it stands in the current plan."""

    id: int
    what: str
    status: Step.Status
    due_on: datetime.date | None
    goal_title: str
    plan_version: int = Field(..., description="The plan version the step is shown from.")
    in_current_plan: bool = Field(..., description="False when the step is only in an earlier version of the plan.")

    @staticmethod
    def resolve_id(obj: LinkedStep) -> int:
        return obj.step.pk

    @staticmethod
    def resolve_what(obj: LinkedStep) -> str:
        return obj.step.what

    @staticmethod
    def resolve_status(obj: LinkedStep) -> str:
        return obj.step.status

    @staticmethod
    def resolve_due_on(obj: LinkedStep) -> datetime.date | None:
        return obj.step.due_on

    @staticmethod
    def resolve_goal_title(obj: LinkedStep) -> str:
        return obj.step.goal.title

    @staticmethod
    def resolve_plan_version(obj: LinkedStep) -> int:
        return obj.step.goal.plan.version

    @staticmethod
    def resolve_in_current_plan(obj: LinkedStep) -> bool:
        return obj.version is None


class ConditionOut(VersionedOut):
    id: int
    order_id: int
    position: int
    text: str
    compliance: OrderCondition.Compliance
    checked_on: datetime.date | None
    note: str
    steps: list[LinkedStepOut] = Field(..., alias="linked_steps")


class OrderTransitionOut(Schema):
    from_status: CourtOrder.Status
    to_status: CourtOrder.Status
    on: datetime.date
    actor: str
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_actor(obj: OrderTransition) -> str:
        return str(obj.actor)


def _group(kind: str) -> str:
    if kind in CHIEF_EXECUTIVE_KINDS:
        return "chief_executive"
    if kind in CAREGIVER_KINDS:
        return "caregiver"
    return "services" if kind in SERVICE_KINDS else "other"


class OrderOut(VersionedOut):
    id: int
    case_id: int
    kind: OrderKind
    kind_label: str
    group: str = Field(..., description="chief_executive, caregiver, services or other.")
    child_id: int | None = Field(..., description="The child it is about; null when it concerns every child.")
    child_name: str | None
    granted_to_id: int | None = Field(..., description="For a caregiver order: the caregiver it is made for.")
    granted_to_name: str | None
    court: str
    reference: str
    made_on: datetime.date
    expires_on: datetime.date | None
    review_on: datetime.date | None
    status: CourtOrder.Status
    ended_on: datetime.date | None = Field(..., description="When it was discharged, expired or replaced.")
    replaced_by_id: int | None
    notes: str
    conditions: list[ConditionOut]
    transitions: list[OrderTransitionOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: CourtOrder) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_group(obj: CourtOrder) -> str:
        return _group(obj.kind)

    @staticmethod
    def resolve_child_name(obj: CourtOrder) -> str | None:
        return obj.child.full_name if obj.child else None

    @staticmethod
    def resolve_granted_to_name(obj: CourtOrder) -> str | None:
        return obj.granted_to.full_name if obj.granted_to else None

    @staticmethod
    def resolve_conditions(obj: CourtOrder) -> list[Any]:
        return list(obj.conditions.all())

    @staticmethod
    def resolve_transitions(obj: CourtOrder) -> list[Any]:
        return list(obj.transitions.all())


class HearingOut(VersionedOut):
    id: int
    case_id: int
    order_id: int | None
    date: datetime.date
    time: datetime.time | None
    court: str
    purpose: str
    notes: str
    status: Hearing.Status
    outcome: str
    adjourned_to_id: int | None = Field(..., description="The hearing an adjourned one resumes at.")
    created_at: datetime.datetime
    updated_at: datetime.datetime


# --- input ---------------------------------------------------------------------------------------


class OrderIn(Schema):
    kind: OrderKind
    court: str = Field(..., description="e.g. Family Court at Porirua.")
    made_on: datetime.date
    reference: str = Field("", description="The court file number.")
    child_id: int | None = Field(None, description="A child of the case; leave out when it concerns every child.")
    granted_to_id: int | None = Field(None, description="For a caregiver order: the caregiver, a person in the case.")
    expires_on: datetime.date | None = None
    review_on: datetime.date | None = Field(None, description="When the court reviews the order.")
    notes: str = ""
    conditions: list[str] = Field(default_factory=list, description="Its conditions, as the order words them.")


class OrderPatch(Schema):
    kind: OrderKind | None = None
    court: str | None = None
    made_on: datetime.date | None = None
    reference: str | None = None
    child_id: int | None = None
    granted_to_id: int | None = None
    expires_on: datetime.date | None = None
    review_on: datetime.date | None = None
    notes: str | None = None


class DischargeIn(Schema):
    discharged_on: datetime.date = Field(..., description="The date the court discharged the order.")
    note: str = ""


class OrderEndIn(Schema):
    to: Literal["discharged", "expired", "replaced"]
    ended_on: datetime.date | None = Field(None, description="For a discharge: the date the court discharged it.")
    replaced_by_id: int | None = Field(None, description="For a replacement: the order (of this case) replacing it.")
    note: str = ""


class ConditionIn(Schema):
    text: str = Field(..., description="The condition, as the order words it.")


class ComplianceIn(Schema):
    compliance: OrderCondition.Compliance
    checked_on: datetime.date | None = Field(None, description="Defaults to today.")
    note: str = Field("", description="What it rests on; needed when the condition is not (fully) complied with.")


class ConditionStepsIn(Schema):
    step_ids: list[int] = Field(..., description="Every step of the current plan that satisfies it; others unlink.")


def _local_time(value: datetime.time) -> datetime.time:
    """A hearing's time is the court's local time of day: an offset (`10:00Z`) would make it another day's hour."""
    if value.tzinfo is not None:
        raise ValueError(_("Give the time of day without a time zone: the court's local time."))
    return value


LocalTime = Annotated[datetime.time, AfterValidator(_local_time)]


class HearingIn(Schema):
    date: datetime.date
    court: str
    purpose: str = Field(..., description="e.g. review of the plan; application to discharge the orders.")
    time: LocalTime | None = None
    order_id: int | None = Field(None, description="The order (of this case) the hearing is about.")
    notes: str = ""


class HearingPatch(Schema):
    date: datetime.date | None = None
    court: str | None = None
    purpose: str | None = None
    time: LocalTime | None = None
    order_id: int | None = None
    notes: str | None = None


class HearingOutcomeIn(Schema):
    status: Literal["held", "adjourned", "cancelled"]
    outcome: str = Field("", description="What the court decided; for an adjournment or cancellation, why.")
    adjourned_to: datetime.date | None = Field(None, description="An adjourned hearing's new date (scheduled too).")

"""API input and output shapes for service plans: the plan, its goals written backwards, steps and agreement."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from kinplan.cases.models import TeamMember
from kinplan.core.api import VersionedOut
from kinplan.planning.models import Agreement, Goal, PermanencyGoal, Plan, PlanTransition, Step
from kinplan.planning.quality import item_issues


def _cents(value: Decimal | None) -> Decimal | None:
    """Amounts as stored (two places), also on a step just saved from input such as 8 or "8.5"."""
    return value.quantize(Decimal("0.01")) if value is not None else None


# --- output --------------------------------------------------------------------------------------


class IssueOut(Schema):
    code: str = Field(..., description="names_no_one, no_timing, no_quantity or no_cost")
    field: str
    message: str


class ProgressOut(Schema):
    done: int
    total: int
    percent: int


class NeedOut(Schema):
    id: int
    title: str


class StepOut(VersionedOut):
    id: int
    goal_id: int
    position: int
    kind: Step.Kind
    what: str
    details: str
    responsible: Step.Responsible
    responsible_person_id: int | None
    responsible_user_id: int | None
    responsible_name: str
    provider_id: int | None = Field(..., description="A directory provider or an informal support of the case.")
    provider_service_id: int | None = Field(..., description="The provider's service that prices the step.")
    responsible_label: str = Field(..., description="Who does it, by name.")
    starts_on: datetime.date | None
    due_on: datetime.date | None
    timeline: str
    quantity: Decimal | None
    unit: str
    frequency: str
    costs_money: bool | None
    cost: Decimal | None
    funder: str
    client_instructions: str
    worker_helps: bool
    worker_help: str
    status: Step.Status
    result: str
    completed_on: datetime.date | None
    overdue: bool
    issues: list[IssueOut] = Field(..., description="Each way the step fails the good test, and what to add.")

    @staticmethod
    def resolve_quantity(obj: Step) -> Decimal | None:
        return _cents(obj.quantity)

    @staticmethod
    def resolve_cost(obj: Step) -> Decimal | None:
        return _cents(obj.cost)

    @staticmethod
    def resolve_overdue(obj: Step) -> bool:
        return obj.is_overdue(timezone.localdate())

    @staticmethod
    def resolve_issues(obj: Step) -> list[dict[str, str]]:
        return [{"code": i.code, "field": i.field, "message": i.message} for i in item_issues(obj)]


class GoalOut(VersionedOut):
    id: int
    plan_id: int
    parent_id: int | None = Field(..., description="The long-term goal an intermediate goal leads to.")
    track: Goal.Track
    title: str
    description: str
    target_date: datetime.date | None
    status: Goal.Status
    position: int
    needs: list[NeedOut]


class GoalNodeOut(Schema):
    """A goal in the plan's tree: a long-term goal with its intermediate goals, each with its steps."""

    id: int = Field(..., alias="goal.id")
    parent_id: int | None = Field(..., alias="goal.parent_id")
    track: Goal.Track = Field(..., alias="goal.track")
    title: str = Field(..., alias="goal.title")
    description: str = Field(..., alias="goal.description")
    target_date: datetime.date | None = Field(..., alias="goal.target_date")
    status: Goal.Status = Field(..., alias="goal.status")
    needs: list[NeedOut] = Field(..., alias="goal.needs")
    progress: ProgressOut
    steps: list[StepOut]
    intermediate_goals: list[GoalNodeOut] = Field(..., alias="intermediate")


class PlanOut(VersionedOut):
    id: int
    case_id: int
    version: int
    is_current: bool
    status: Plan.Status
    headline: str = Field(..., description="The permanency goal and, when there is one, the alternative.")
    permanency_goal: PermanencyGoal
    permanency_goal_detail: str
    alternative_goal: str = Field(..., description="The concurrent-planning goal; empty when there is none.")
    alternative_goal_detail: str
    assessment_id: int | None
    previous_id: int | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    next_review_on: datetime.date | None
    agreed_at: datetime.datetime | None
    created_by: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_headline(obj: Plan) -> str:
        main = obj.get_permanency_goal_display()
        if not obj.alternative_goal:
            return main
        return _("%(goal)s; alternative: %(alternative)s") % {
            "goal": main,
            "alternative": obj.get_alternative_goal_display(),
        }

    @staticmethod
    def resolve_created_by(obj: Plan) -> str:
        return str(obj.created_by)


class DeferralOut(Schema):
    id: int
    plan_id: int
    need: NeedOut
    reason: str
    withdrawn: bool

    @staticmethod
    def resolve_withdrawn(obj: Any) -> bool:
        return obj.archived_at is not None


class CoverageOut(Schema):
    addressed: list[NeedOut]
    deferred: list[DeferralOut]
    unaddressed: list[NeedOut]


class AgreementRowOut(Schema):
    """A team member's position on this version; 'not_asked' until one is recorded."""

    member_id: int
    name: str
    role: TeamMember.Role
    is_required: bool
    position: Agreement.Position
    method: str
    reason: str
    recorded_by: str | None
    recorded_at: datetime.datetime | None

    @staticmethod
    def resolve_member_id(obj: dict[str, Any]) -> int:
        return obj["member"].pk

    @staticmethod
    def resolve_name(obj: dict[str, Any]) -> str:
        return obj["member"].member_name

    @staticmethod
    def resolve_role(obj: dict[str, Any]) -> str:
        return obj["member"].role

    @staticmethod
    def resolve_is_required(obj: dict[str, Any]) -> bool:
        return obj["member"].is_required

    @staticmethod
    def resolve_position(obj: dict[str, Any]) -> str:
        return obj["agreement"].position if obj["agreement"] else Agreement.Position.NOT_ASKED

    @staticmethod
    def resolve_method(obj: dict[str, Any]) -> str:
        return obj["agreement"].method if obj["agreement"] else ""

    @staticmethod
    def resolve_reason(obj: dict[str, Any]) -> str:
        return obj["agreement"].reason if obj["agreement"] else ""

    @staticmethod
    def resolve_recorded_by(obj: dict[str, Any]) -> str | None:
        return str(obj["agreement"].recorded_by) if obj["agreement"] else None

    @staticmethod
    def resolve_recorded_at(obj: dict[str, Any]) -> datetime.datetime | None:
        return obj["agreement"].updated_at if obj["agreement"] else None


class ContentChangeOut(Schema):
    kind: str = Field(..., description="plan, goal or step")
    change: str = Field(..., description="added, removed or changed")
    label: str
    fields: dict[str, list[Any]] = Field(..., description="Each changed field as [agreed, now].")


class ChangesSinceAgreementOut(Schema):
    last_agreed_version: int | None
    changes: list[ContentChangeOut]
    consult_again: list[str] = Field(..., description="Team members who agreed before and must be consulted again.")


class CostsOut(Schema):
    by_funder: dict[str, Decimal] = Field(..., description="Total cost of the plan's steps by who pays (NZ$).")
    total: Decimal
    unpriced: int = Field(..., description="Steps that cost money with no cost given yet.")
    no_cost: int = Field(..., description="Steps that cost nothing, such as most informal supports.")


class PlanFullOut(PlanOut):
    """The plan as its page shows it. Built from a plan with `page` (selectors.plan_page) attached."""

    progress: ProgressOut = Field(..., alias="page.progress")
    quality_warnings: int = Field(..., alias="page.quality_warnings", description="Steps failing the good test.")
    goals: list[GoalNodeOut] = Field(..., description="Long-term goals, main track first, then the alternative.")
    need_coverage: CoverageOut = Field(..., alias="page.coverage")
    agreement: list[AgreementRowOut] = Field(..., alias="page.agreement")
    changes_since_agreement: ChangesSinceAgreementOut
    overdue: list[StepOut] = Field(..., alias="page.overdue")
    upcoming: list[StepOut] = Field(..., alias="page.upcoming", description="Open steps due in the next 14 days.")
    costs: CostsOut = Field(..., alias="page.costs")

    @staticmethod
    def resolve_goals(obj: Any) -> list[Any]:
        return obj.page["main_goals"] + obj.page["alternative_goals"]

    @staticmethod
    def resolve_changes_since_agreement(obj: Any) -> dict[str, Any]:
        page = obj.page
        agreed = page["last_agreed"]
        return {
            "last_agreed_version": agreed.version if agreed else None,
            "changes": page["changes"],
            "consult_again": page["consult_again"],
        }


class PlanVersionOut(Schema):
    id: int
    version: int
    status: Plan.Status
    agreed_at: datetime.datetime | None
    created_at: datetime.datetime


class TransitionOut(Schema):
    id: int
    from_status: Plan.Status
    to_status: Plan.Status
    actor: str
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_actor(obj: PlanTransition) -> str:
        return str(obj.actor)


class TimelineRowOut(Schema):
    kind: str = Field(..., description="goal or step")
    label: str
    date: datetime.date | None
    x: int | None
    long_term: bool | None = None
    status: str | None = None
    x_start: int | None = None
    overdue: bool | None = None


class TimelineMonthOut(Schema):
    x: int
    label: str


class TimelineOut(Schema):
    """Goals and steps on a time axis; x is in pixels across `width`, for drawing the road map."""

    rows: list[TimelineRowOut]
    months: list[TimelineMonthOut]
    today_x: int
    width: int
    start: datetime.date
    end: datetime.date


class AgreementOut(Schema):
    id: int
    plan_id: int
    member_id: int
    position: Agreement.Position
    method: str
    reason: str
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(obj: Agreement) -> str:
        return str(obj.recorded_by)


class OverdueStepOut(Schema):
    id: int
    what: str
    due_on: datetime.date
    days_overdue: int
    status: Step.Status
    responsible_label: str
    goal_id: int
    goal_title: str = Field(..., alias="goal.title")
    plan_id: int = Field(..., alias="goal.plan_id")
    case_id: int = Field(..., alias="goal.plan.case_id")
    case_reference: str | None = Field(..., alias="goal.plan.case.reference")
    case_name: str = Field(..., alias="goal.plan.case.name")
    worker_name: str | None

    @staticmethod
    def resolve_days_overdue(obj: Step) -> int:
        return (timezone.localdate() - obj.due_on).days if obj.due_on else 0

    @staticmethod
    def resolve_worker_name(obj: Step) -> str | None:
        worker = obj.goal.plan.case.worker
        return str(worker) if worker else None


# --- input ---------------------------------------------------------------------------------------


class PlanIn(Schema):
    permanency_goal: PermanencyGoal
    permanency_goal_detail: str = ""
    alternative_goal: PermanencyGoal | None = Field(None, description="Concurrent planning: the alternative goal.")
    alternative_goal_detail: str = ""
    assessment_id: int | None = Field(None, description="Defaults to the case's latest completed assessment.")
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    next_review_on: datetime.date | None = None


class PlanPatch(Schema):
    permanency_goal: PermanencyGoal | None = None
    permanency_goal_detail: str | None = None
    alternative_goal: PermanencyGoal | None = Field(None, description="null clears the alternative goal.")
    alternative_goal_detail: str | None = None
    assessment_id: int | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    next_review_on: datetime.date | None = None


class TransitionIn(Schema):
    to: Plan.Status
    note: str = ""


class ReviseIn(Schema):
    note: str = Field("", description="Why the plan is revised, e.g. 'Dad is back in contact'.")


class GoalIn(Schema):
    title: str
    description: str = ""
    target_date: datetime.date | None = None
    track: Goal.Track | None = Field(None, description="main or alternative; an intermediate goal follows its parent.")
    parent_id: int | None = Field(None, description="For an intermediate goal: the long-term goal it leads to.")
    need_ids: list[int] = Field(default_factory=list, description="Needs from the plan's assessment it answers.")


class GoalPatch(Schema):
    title: str | None = None
    description: str | None = None
    target_date: datetime.date | None = None
    track: Goal.Track | None = None
    need_ids: list[int] | None = None


class GoalStatusIn(Schema):
    status: Goal.Status


class DeferralIn(Schema):
    need_id: int
    reason: str


class StepIn(Schema):
    what: str
    responsible: Step.Responsible
    kind: Step.Kind = Step.Kind.TASK
    details: str = ""
    responsible_person_id: int | None = Field(None, description="A person in this case who does it.")
    responsible_user_id: int | None = Field(None, description="A Kinplan user who does it.")
    responsible_name: str = Field("", description="A provider or someone not recorded in the case, by name.")
    provider_id: int | None = Field(None, description="A provider from /providers, or an informal support.")
    provider_service_id: int | None = Field(
        None, description="One of the provider's services: names the provider, gives the unit and prices the step."
    )
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    timeline: str = ""
    quantity: Decimal | None = Field(None, description='A number or a string, e.g. 8 or "8".')
    unit: str = ""
    frequency: str = ""
    costs_money: bool | None = None
    cost: Decimal | None = Field(None, description='NZD, a number or a string, e.g. "960.00".')
    funder: Step.Funder | None = None
    client_instructions: str = ""
    worker_helps: bool = False
    worker_help: str = ""


class StepPatch(Schema):
    what: str | None = None
    responsible: Step.Responsible | None = None
    kind: Step.Kind | None = None
    details: str | None = None
    responsible_person_id: int | None = None
    responsible_user_id: int | None = None
    responsible_name: str | None = None
    provider_id: int | None = None
    provider_service_id: int | None = None
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    timeline: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    frequency: str | None = None
    costs_money: bool | None = None
    cost: Decimal | None = None
    funder: Step.Funder | None = None
    client_instructions: str | None = None
    worker_helps: bool | None = None
    worker_help: str | None = None


class StepCompleteIn(Schema):
    result: str = ""
    completed_on: datetime.date | None = Field(None, description="Defaults to today.")


class StepResultIn(Schema):
    result: str = ""


class StepCancelIn(Schema):
    reason: str = ""


class AgreementIn(Schema):
    member_id: int = Field(..., description="A member of the case's Child and Family Team.")
    position: Agreement.Position
    method: Agreement.Method | None = None
    reason: str = Field("", description="Why they disagree, in their words.")

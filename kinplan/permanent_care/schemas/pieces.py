"""API output shapes for the pieces of a permanent care support plan."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from kinplan.core.api import VersionedOut
from kinplan.permanent_care import selectors
from kinplan.permanent_care.models import (
    ApprovalDecision,
    ArrangementTransition,
    Delivery,
    Discussion,
    EscalationStep,
    FollowUp,
    FurtherSupport,
    Objective,
    Purchase,
    Review,
    SupportAgreement,
    SupportArrangement,
    SupportItem,
)
from kinplan.permanent_care.schemas._common import Amount

# --- output: the pieces --------------------------------------------------------------------------------------


class WaitingOut(Schema):
    arrangement_id: int
    case_id: int
    child: str
    status: SupportArrangement.Status
    what: str = Field(..., description="What waits for you on this arrangement.")

    @staticmethod
    def resolve_arrangement_id(obj: selectors.Waiting) -> int:
        return obj.arrangement.pk

    @staticmethod
    def resolve_case_id(obj: selectors.Waiting) -> int:
        return obj.arrangement.case_id

    @staticmethod
    def resolve_child(obj: selectors.Waiting) -> str:
        return str(obj.arrangement.child)

    @staticmethod
    def resolve_status(obj: selectors.Waiting) -> str:
        return obj.arrangement.status


class ItemOut(VersionedOut):
    id: int
    objective_id: int
    position: int
    kind: SupportItem.Kind
    what: str
    provider_id: int | None = Field(..., description="A directory provider or an informal support of the case.")
    provider_service_id: int | None
    provider_name: str = Field(..., description="Who provides it, when not in the directory.")
    responsible: str = Field(..., description="Who provides it, by name.")
    starts_on: datetime.date | None
    due_on: datetime.date | None
    timeline: str
    quantity: Amount | None
    unit: str
    costs_money: bool | None
    cost: Amount | None
    funder: str = Field(..., description="site, support_service, other or no_cost.")
    started_before_discharge: bool = Field(..., description="Already under way; finishes after discharge.")
    caregiver_instructions: str

    @staticmethod
    def resolve_responsible(obj: SupportItem) -> str:
        return obj.responsible_label


class ObjectiveOut(VersionedOut):
    id: int
    need_id: int
    need_title: str
    title: str
    description: str
    position: int
    items: list[ItemOut] = Field(..., description="Its supports in the plan (removed ones left out).")

    @staticmethod
    def resolve_need_title(obj: Objective) -> str:
        return obj.need.title

    @staticmethod
    def resolve_items(obj: Objective) -> list[SupportItem]:
        live = getattr(obj, "live_items", None)
        return live if live is not None else list(obj.items.filter(archived_at__isnull=True))


class UniversalServiceOut(Schema):
    id: int
    name: str
    how_to_access: str


class DiscussionOut(Schema):
    id: int
    held_on: datetime.date
    method: Discussion.Method
    supports_discussed: str
    resources_and_costs: str
    participation_level: SupportArrangement.ParticipationLevel
    recorded_by: str
    arrangement_status: SupportArrangement.Status = Field(..., description="The plan's status after this write.")

    @staticmethod
    def resolve_recorded_by(obj: Discussion) -> str:
        return str(obj.recorded_by)

    @staticmethod
    def resolve_arrangement_status(obj: Discussion) -> str:
        return obj.arrangement.status


class AgreementOut(Schema):
    id: int
    round: int
    member_id: int
    member: str
    position: SupportAgreement.Position
    method: SupportAgreement.Method
    reason: str
    recorded_by: str

    @staticmethod
    def resolve_member(obj: SupportAgreement) -> str:
        return obj.member.member_name

    @staticmethod
    def resolve_recorded_by(obj: SupportAgreement) -> str:
        return str(obj.recorded_by)


class AgreementStateOut(Schema):
    """A member of the Child and Family Team and their position on the plan as it stands (this round)."""

    member_id: int
    member: str
    role: str
    is_required: bool = Field(..., description="Their agreement is needed before the plan goes to court.")
    position: SupportAgreement.Position | None = Field(..., description="Null: not yet asked in this round.")
    method: SupportAgreement.Method | None
    reason: str

    @staticmethod
    def resolve_member_id(row: dict[str, Any]) -> int:
        return row["member"].pk

    @staticmethod
    def resolve_member(row: dict[str, Any]) -> str:
        return row["member"].member_name

    @staticmethod
    def resolve_role(row: dict[str, Any]) -> str:
        return row["member"].role

    @staticmethod
    def resolve_is_required(row: dict[str, Any]) -> bool:
        return row["member"].is_required

    @staticmethod
    def resolve_position(row: dict[str, Any]) -> str | None:
        return row["agreement"].position if row["agreement"] else None

    @staticmethod
    def resolve_method(row: dict[str, Any]) -> str | None:
        return row["agreement"].method if row["agreement"] else None

    @staticmethod
    def resolve_reason(row: dict[str, Any]) -> str:
        return row["agreement"].reason if row["agreement"] else ""


class DecisionOut(Schema):
    id: int
    round: int
    kind: ApprovalDecision.Kind
    decision: ApprovalDecision.Decision
    comment: str
    site_items: list[str] = Field(..., description="For a site sign-off: the site-resourced items signed for.")
    costs_approved: Amount | None = Field(..., description="For the support service's approval: the plan's cost.")
    decided_by: str
    decided_at: datetime.datetime
    arrangement_status: SupportArrangement.Status = Field(..., description="The plan's status after this write.")

    @staticmethod
    def resolve_decided_by(obj: ApprovalDecision) -> str:
        return str(obj.decided_by)

    @staticmethod
    def resolve_arrangement_status(obj: ApprovalDecision) -> str:
        return obj.arrangement.status


class EscalationStepOut(Schema):
    id: int
    dispute: int = Field(..., description="The approval round that was not approved.")
    rung: int
    rung_label: str
    held_on: datetime.date
    method: EscalationStep.Method
    caseworker_involved: bool
    meeting_id: int | None
    outcome: EscalationStep.Outcome
    summary: str
    recorded_by: str
    recorded_at: datetime.datetime
    arrangement_status: SupportArrangement.Status = Field(..., description="The plan's status after this write.")

    @staticmethod
    def resolve_rung_label(obj: EscalationStep) -> str:
        return obj.get_rung_display()

    @staticmethod
    def resolve_recorded_by(obj: EscalationStep) -> str:
        return str(obj.recorded_by)

    @staticmethod
    def resolve_arrangement_status(obj: EscalationStep) -> str:
        return obj.arrangement.status


class FollowUpOut(Schema):
    id: int
    escalation_step_id: int
    who: str
    member_id: int | None
    person_id: int | None
    done: bool
    discussed_on: datetime.date | None
    method: str
    note: str

    @staticmethod
    def resolve_done(obj: FollowUp) -> bool:
        return obj.is_done


class DeliveryOut(Schema):
    id: int
    purchase_id: int
    delivered_on: datetime.date
    quantity: Amount
    cost: Amount
    note: str
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(obj: Delivery) -> str:
        return str(obj.recorded_by)


class PurchaseOut(Schema):
    id: int
    item_id: int
    item: str
    provider_id: int
    provider: str
    provider_service_id: int | None
    quantity: Amount
    unit: str
    cost: Amount
    period_start: datetime.date
    period_end: datetime.date
    reference: str
    delivered: Amount = Field(..., description="The quantity delivered so far.")
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_item(obj: Purchase) -> str:
        return str(obj.item)

    @staticmethod
    def resolve_provider(obj: Purchase) -> str:
        return str(obj.provider)

    @staticmethod
    def resolve_deliveries(obj: Purchase) -> list[Delivery]:
        return list(obj.deliveries.all())

    @staticmethod
    def resolve_delivered(obj: Purchase) -> Decimal:
        return sum((d.quantity for d in obj.deliveries.all()), Decimal(0))


class ReviewOut(Schema):
    id: int
    reviewed_on: datetime.date
    findings: str
    caregiver_views: str
    outcome: Review.Outcome
    next_review_on: datetime.date | None
    reviewed_by: str
    arrangement_status: SupportArrangement.Status = Field(..., description="The plan's status after this write.")

    @staticmethod
    def resolve_reviewed_by(obj: Review) -> str:
        return str(obj.reviewed_by)

    @staticmethod
    def resolve_arrangement_status(obj: Review) -> str:
        return obj.arrangement.status


class FurtherSupportOut(Schema):
    id: int
    agreed_on: datetime.date
    starts_on: datetime.date
    ends_on: datetime.date | None
    supports: str
    cost: Amount | None
    negotiated_with: str
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(obj: FurtherSupport) -> str:
        return str(obj.recorded_by)


class TransitionOut(Schema):
    from_status: SupportArrangement.Status
    to_status: SupportArrangement.Status
    actor: str
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_actor(obj: ArrangementTransition) -> str:
        return str(obj.actor)


class CostsOut(Schema):
    total: Amount
    by_funder: dict[str, Amount] = Field(..., description="What each funder resources: site, support_service…")
    site_item_ids: list[int] = Field(..., description="The supports the site resources (its manager signs).")

    @staticmethod
    def resolve_site_item_ids(obj: selectors.PlanCosts) -> list[int]:
        return [item.pk for item in obj.site_items]


class SpendOut(Schema):
    approved: Amount = Field(..., description="The approved cost of what the support service resources.")
    committed: Amount = Field(..., description="What it has bought.")
    delivered: Amount = Field(..., description="The cost of what was delivered.")
    remaining: Amount
    over_approved: bool

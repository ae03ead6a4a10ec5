"""API input and output shapes for the permanent care support plan: the arrangement in full, its pieces, and
what each step of the process sends."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from kinplan.permanent_care import selectors
from kinplan.permanent_care.models import (
    CONTENT_EDITABLE,
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

S = SupportArrangement.Status


def _cents(value: Decimal) -> Decimal:
    """Amounts as stored (two places), also on a record just saved from input such as 8 or "8.5"."""
    return value.quantize(Decimal("0.01"))


Amount = Annotated[Decimal, AfterValidator(_cents)]


def _name(obj: Any) -> str | None:
    return str(obj) if obj is not None else None


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


class ItemOut(Schema):
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


class ObjectiveOut(Schema):
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


# --- output: the arrangement ---------------------------------------------------------------------------------


class ArrangementSummaryOut(Schema):
    id: int
    case_id: int
    case_reference: str
    child_id: int
    child: str
    caregiver_id: int
    caregiver: str
    status: SupportArrangement.Status
    status_label: str
    caseworker_id: int | None
    caseworker: str | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    review_on: datetime.date | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_case_reference(obj: SupportArrangement) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_child(obj: SupportArrangement) -> str:
        return str(obj.child)

    @staticmethod
    def resolve_caregiver(obj: SupportArrangement) -> str:
        return str(obj.caregiver)

    @staticmethod
    def resolve_status_label(obj: SupportArrangement) -> str:
        return S(obj.status).label

    @staticmethod
    def resolve_caseworker(obj: SupportArrangement) -> str | None:
        return _name(obj.caseworker)


# Before "ready for court" the plan shows what still stands in its way; ready for court, that it still holds.
READINESS_SHOWN = CONTENT_EDITABLE | {S.READY_FOR_COURT}


class ArrangementOut(ArrangementSummaryOut):
    """The whole permanent care support plan process for one child, as it stands."""

    support_service_id: int
    support_service: str
    intention_noted_on: datetime.date
    referral_notes: str
    referral_pack: dict[str, Any] = Field(
        ..., description="The referral as it was sent; while a draft, as it would be sent (taken from the case)."
    )
    referral_gaps: list[str] = Field(..., description="Details to record in the case before the referral can go.")
    referred_at: datetime.datetime | None
    allocated_at: datetime.datetime | None
    reviewer_id: int | None
    reviewer: str | None
    participation_level: str = Field(..., description="The caseworker's agreed participation in planning.")
    readiness_problems: list[str] = Field(..., description="What stands between the plan and 'ready for court'.")
    court_step: str
    court_step_on: datetime.date | None
    agreement_round: int
    approval_round: int
    binding_determination_pending: bool
    discharged_on: datetime.date | None
    sent_at: datetime.datetime | None
    letter_sent_on: datetime.date | None
    letter_method: str
    closed_reason: str
    discussions: list[DiscussionOut]
    objectives: list[ObjectiveOut]
    universal_services: list[UniversalServiceOut]
    costs: CostsOut
    agreements: list[AgreementStateOut] = Field(..., description="Each team member's position in this round.")
    decisions: list[DecisionOut] = Field(..., description="Every approval decision, all rounds.")
    escalation_steps: list[EscalationStepOut]
    next_rung: int | None = Field(..., description="The next step of the escalation ladder, when in escalation.")
    follow_ups: list[FollowUpOut]
    purchases: list[PurchaseOut]
    spend: SpendOut
    reviews: list[ReviewOut]
    further_support: list[FurtherSupportOut]
    transitions: list[TransitionOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_support_service(obj: SupportArrangement) -> str:
        return str(obj.support_service)

    @staticmethod
    def resolve_referral_pack(obj: SupportArrangement) -> dict[str, Any]:
        return obj.referral_pack or selectors.referral_pack(obj)

    @staticmethod
    def resolve_referral_gaps(obj: SupportArrangement) -> list[str]:
        return [] if obj.referral_pack else selectors.referral_gaps(selectors.referral_pack(obj))

    @staticmethod
    def resolve_reviewer(obj: SupportArrangement) -> str | None:
        return _name(obj.reviewer)

    @staticmethod
    def resolve_readiness_problems(obj: SupportArrangement) -> list[str]:
        return selectors.readiness_problems(obj) if obj.status in READINESS_SHOWN else []

    @staticmethod
    def resolve_discussions(obj: SupportArrangement) -> list[Discussion]:
        return list(obj.discussions.select_related("recorded_by", "arrangement"))

    @staticmethod
    def resolve_objectives(obj: SupportArrangement) -> list[Objective]:
        return selectors.live_objectives(obj)

    @staticmethod
    def resolve_universal_services(obj: SupportArrangement) -> list[Any]:
        return list(obj.universal_services.filter(archived_at__isnull=True))

    @staticmethod
    def resolve_costs(obj: SupportArrangement) -> selectors.PlanCosts:
        return selectors.plan_costs(obj)

    @staticmethod
    def resolve_agreements(obj: SupportArrangement) -> list[dict[str, Any]]:
        return selectors.agreement_state(obj)

    @staticmethod
    def resolve_decisions(obj: SupportArrangement) -> list[ApprovalDecision]:
        return list(obj.decisions.select_related("decided_by", "arrangement"))

    @staticmethod
    def resolve_escalation_steps(obj: SupportArrangement) -> list[EscalationStep]:
        return list(obj.escalation_steps.select_related("recorded_by", "arrangement"))

    @staticmethod
    def resolve_next_rung(obj: SupportArrangement) -> int | None:
        return selectors.next_rung(obj)

    @staticmethod
    def resolve_follow_ups(obj: SupportArrangement) -> list[FollowUp]:
        return list(obj.follow_ups.all())

    @staticmethod
    def resolve_purchases(obj: SupportArrangement) -> list[Purchase]:
        return list(obj.purchases.select_related("item", "provider").prefetch_related("deliveries__recorded_by"))

    @staticmethod
    def resolve_spend(obj: SupportArrangement) -> selectors.Spend:
        return selectors.spend(obj)

    @staticmethod
    def resolve_reviews(obj: SupportArrangement) -> list[Review]:
        return list(obj.reviews.select_related("reviewed_by", "arrangement"))

    @staticmethod
    def resolve_further_support(obj: SupportArrangement) -> list[FurtherSupport]:
        return list(obj.further_support.select_related("recorded_by"))

    @staticmethod
    def resolve_transitions(obj: SupportArrangement) -> list[ArrangementTransition]:
        return list(obj.transitions.select_related("actor"))


# --- input ---------------------------------------------------------------------------------------------------


class ArrangementIn(Schema):
    child_id: int = Field(..., description="The child of the case the plan is for.")
    caregiver_id: int = Field(..., description="The caregiver (a caregiver in the case) taking the child for good.")
    support_service_id: int = Field(..., description="The Permanent Caregiver Support Service referred to.")
    intention_noted_on: datetime.date = Field(
        ..., description="When the caregiver said they intend to provide a permanent living arrangement."
    )
    referral_notes: str = ""


class ReferralPatch(Schema):
    child_id: int | None = None
    caregiver_id: int | None = None
    support_service_id: int | None = None
    intention_noted_on: datetime.date | None = None
    referral_notes: str | None = None


class AllocateIn(Schema):
    caseworker_id: int = Field(..., description="An active caseworker of the support service.")


class DiscussionIn(Schema):
    held_on: datetime.date
    method: Discussion.Method
    supports_discussed: str = Field(..., description="The supports and services talked about.")
    resources_and_costs: str = ""
    participation_level: SupportArrangement.ParticipationLevel = Field(
        ..., description="The caseworker's agreed participation in planning."
    )


class ReasonIn(Schema):
    reason: str = Field("", description="Why (kept in the plan's history).")


class DatesIn(Schema):
    starts_on: datetime.date | None = Field(None, description="The discharge of the chief executive's orders.")
    ends_on: datetime.date | None = Field(None, description="At most 12 months after it starts.")
    review_on: datetime.date | None = Field(None, description="Inside the plan's span.")


class ObjectiveIn(Schema):
    need_id: int = Field(..., description="An identified need of the child, from a completed assessment.")
    title: str
    description: str = ""


class ObjectivePatch(Schema):
    need_id: int | None = None
    title: str | None = None
    description: str | None = None


class ItemIn(Schema):
    what: str = Field(..., description="What exactly is provided.")
    kind: SupportItem.Kind = SupportItem.Kind.SERVICE
    provider_id: int | None = Field(None, description="A provider from /providers, or an informal support.")
    provider_service_id: int | None = Field(
        None, description="One of the provider's services: names the provider, gives the unit and prices it."
    )
    provider_name: str = Field("", description="Who provides it, when not in the directory.")
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    timeline: str = Field("", description="e.g. 'fortnightly for 6 months'.")
    quantity: Decimal | None = Field(None, description='A number or a string, e.g. 8 or "8".')
    unit: str = ""
    costs_money: bool | None = None
    cost: Decimal | None = Field(None, description='NZD, a number or a string, e.g. "960.00".')
    funder: SupportItem.Funder | None = Field(None, description="Who resources it.")
    started_before_discharge: bool = False
    caregiver_instructions: str = ""


class ItemPatch(Schema):
    what: str | None = None
    kind: SupportItem.Kind | None = None
    provider_id: int | None = None
    provider_service_id: int | None = None
    provider_name: str | None = None
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    timeline: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    costs_money: bool | None = None
    cost: Decimal | None = None
    funder: SupportItem.Funder | None = None
    started_before_discharge: bool | None = None
    caregiver_instructions: str | None = None


class UniversalServiceIn(Schema):
    name: str = Field(..., description="e.g. Porirua Health GP.")
    how_to_access: str = ""


class AgreementIn(Schema):
    member_id: int = Field(..., description="A current member of the case's Child and Family Team.")
    position: SupportAgreement.Position
    method: SupportAgreement.Method = Field(..., description="How they gave their view.")
    reason: str = Field("", description="Why they disagree (needed when they do).")


class ReadyForCourtIn(Schema):
    court_step: str = Field("", description="What goes to court to finalise the permanent living arrangement.")
    court_step_on: datetime.date | None = None


class DecisionIn(Schema):
    decision: ApprovalDecision.Decision
    comment: str = Field("", description="What is not approved and why (needed when not approved).")


class EscalationIn(Schema):
    rung: int = Field(..., description="The step of the ladder, 1 to 6, in order.")
    held_on: datetime.date | None = None
    method: EscalationStep.Method | None = None
    caseworker_involved: bool = False
    meeting_id: int | None = Field(None, description="The meeting of this case where it took place.")
    outcome: EscalationStep.Outcome | None = None
    summary: str = ""


class FollowUpIn(Schema):
    discussed_on: datetime.date | None = None
    method: SupportAgreement.Method | None = None
    note: str = ""


class LetterIn(Schema):
    sent_on: datetime.date | None = None
    method: Literal["post", "email", "in_person"] | None = None


class PurchaseIn(Schema):
    item_id: int = Field(..., description="A support in the plan that the support service resources.")
    provider_id: int | None = Field(None, description="Defaults to the support's provider.")
    provider_service_id: int | None = None
    quantity: Decimal
    unit: str = ""
    cost: Decimal
    period_start: datetime.date
    period_end: datetime.date
    reference: str = Field("", description="The purchase order or reference.")


class DeliveryIn(Schema):
    delivered_on: datetime.date
    quantity: Decimal
    cost: Decimal
    note: str = ""


class ReviewIn(Schema):
    reviewed_on: datetime.date
    findings: str = Field(..., description="How the supports worked for the child and caregiver.")
    caregiver_views: str = ""
    outcome: Review.Outcome
    next_review_on: datetime.date | None = Field(None, description="For a continuing plan; by its end.")


class FurtherSupportIn(Schema):
    agreed_on: datetime.date
    starts_on: datetime.date = Field(..., description="After the plan ends: a new arrangement, not an extension.")
    ends_on: datetime.date | None = None
    supports: str = Field(..., description="What will be provided, by whom, how often.")
    cost: Decimal | None = None
    negotiated_with: str = Field(..., description="The caregiver(s) who negotiated it.")

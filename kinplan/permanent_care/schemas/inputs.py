"""What each step of the permanent care process sends to the API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from kinplan.permanent_care.models import (
    ApprovalDecision,
    Discussion,
    EscalationStep,
    Review,
    SupportAgreement,
    SupportArrangement,
    SupportItem,
)

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

"""The API output shape of a permanent care support plan in full, and its summaries."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from kinplan.core.api import VersionedOut
from kinplan.permanent_care import selectors
from kinplan.permanent_care.models import (
    CONTENT_EDITABLE,
    ApprovalDecision,
    ArrangementTransition,
    Discussion,
    EscalationStep,
    FollowUp,
    FurtherSupport,
    Objective,
    Purchase,
    Review,
    SupportArrangement,
)
from kinplan.permanent_care.schemas._common import S, name_of
from kinplan.permanent_care.schemas.pieces import (
    AgreementStateOut,
    CostsOut,
    DecisionOut,
    DiscussionOut,
    EscalationStepOut,
    FollowUpOut,
    FurtherSupportOut,
    ObjectiveOut,
    PurchaseOut,
    ReviewOut,
    SpendOut,
    TransitionOut,
    UniversalServiceOut,
)

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
        return str(S(obj.status).label)

    @staticmethod
    def resolve_caseworker(obj: SupportArrangement) -> str | None:
        return name_of(obj.caseworker)


# Before "ready for court" the plan shows what still stands in its way; ready for court, that it still holds.
READINESS_SHOWN = CONTENT_EDITABLE | {S.READY_FOR_COURT}


class ArrangementOut(VersionedOut, ArrangementSummaryOut):
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
        return name_of(obj.reviewer)

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

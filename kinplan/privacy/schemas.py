"""API input and output shapes for privacy: subject access, retention and erasure."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from kinplan.privacy.models import ErasureDecision, ErasureRequest, RetentionReview


class ExportedBy(Schema):
    id: int
    name: str
    role: str


class SectionOut(Schema):
    key: str = Field(
        ...,
        description="Stable: 'cases', 'records:<app>.<model>' (records that point at the person), 'case_notes', "
        "'history', 'access_log'.",
    )
    title: str = Field(..., description="The heading, in the reader's language.")
    model: str | None = Field(None, description="The model the items are records of, for 'records:' sections.")
    items: list[dict[str, Any]]


class WithheldOut(Schema):
    confidential_case_notes: int
    withheld_addresses: int
    cases_outside_your_access: int
    total: int


class SubjectAccessOut(Schema):
    format: str = Field(..., description="'kinplan-subject-access-1'.")
    generated_at: datetime.datetime
    generated_by: ExportedBy
    person: dict[str, Any] = Field(..., description="The person's own details, their own address included.")
    sections: list[SectionOut]
    withheld: WithheldOut = Field(
        ..., description="How many items were left out because they concern other people or are confidential."
    )
    withheld_message: str


class RetentionCaseOut(Schema):
    id: int
    reference: str | None
    opened_on: datetime.date
    closed_on: datetime.date | None
    is_restricted: bool
    last_kept_until: datetime.date | None


class KeepIn(Schema):
    years: int = Field(..., ge=1, le=25, description="Keep the case for this many more years.")
    reason: str = Field(..., description="Why; do not name anyone (it is kept after any erasure).")


class RetentionReviewOut(Schema):
    id: int
    case_id: int
    outcome: RetentionReview.Outcome
    keep_until: datetime.date | None
    reason: str
    decided_by_id: int
    decided_at: datetime.datetime


class ErasureRequestIn(Schema):
    case_id: int | None = Field(None, description="A closed case to erase (give this or person_id).")
    person_id: int | None = Field(None, description="A person whose cases are all closed (give this or case_id).")
    reason: str = Field(..., description="Why; do not name anyone (it is kept after the erasure).")


class DecisionOut(Schema):
    decided_by_id: int
    decided_by_name: str
    decided_at: datetime.datetime
    decision: ErasureDecision.Decision
    comment: str

    @staticmethod
    def resolve_decided_by_name(obj: ErasureDecision) -> str:
        return str(obj.decided_by)


class ErasureRequestOut(Schema):
    id: int
    case_id: int | None
    case_reference: str | None
    person_id: int | None
    status: ErasureRequest.Status
    reason: str
    requested_by_id: int
    requested_by_name: str
    requested_at: datetime.datetime = Field(..., alias="created_at")
    carried_out_at: datetime.datetime | None
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_case_reference(obj: ErasureRequest) -> str | None:
        return obj.case.reference if obj.case_id else None

    @staticmethod
    def resolve_requested_by_name(obj: ErasureRequest) -> str:
        return str(obj.requested_by)

    @staticmethod
    def resolve_decisions(obj: ErasureRequest) -> list[ErasureDecision]:
        return list(obj.decisions.all())


class DecisionIn(Schema):
    decision: ErasureDecision.Decision
    comment: str = Field("", description="Needed when you refuse; do not name anyone.")

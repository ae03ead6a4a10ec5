"""API input and output shapes for referrals, their consent and their moves."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from kinplan.core.api import VersionedOut
from kinplan.referrals.models import Consent, Referral, ReferralTransition
from kinplan.referrals.selectors import current_consent, missing_before_sending

# --- output --------------------------------------------------------------------------------------


class ConsentOut(Schema):
    id: int
    referral_id: int
    given_by_id: int
    given_by_name: str
    shares: str
    given_on: datetime.date
    expires_on: datetime.date
    method: Consent.Method
    is_current: bool
    expired: bool

    @staticmethod
    def resolve_given_by_name(obj: Consent) -> str:
        return obj.given_by.full_name

    @staticmethod
    def resolve_expired(obj: Consent) -> bool:
        return obj.expires_on < timezone.localdate()


class ReferralOut(VersionedOut):
    id: int
    case_id: int
    person_id: int
    person_name: str
    provider_id: int
    provider_name: str
    provider_service_id: int | None
    service_label: str = Field(..., description="The provider's name for the service, or the kind of service.")
    service_type_id: int
    service_type_name: str
    step_id: int | None = Field(..., description="The plan step this referral serves.")
    reason: str
    information_sent: str
    status: Referral.Status
    status_on: datetime.date = Field(..., description="The day the current status took effect.")
    sent_on: datetime.date | None
    answered_on: datetime.date | None = Field(..., description="The day of the provider's first answer.")
    decline_reason: str
    withdrawal_reason: str
    days_waiting: int | None = Field(..., description="Days since sent (no answer yet) or since waitlisted.")
    waiting_too_long: bool
    consent: ConsentOut | None = Field(..., description="The current consent.")
    missing_before_sending: list[str] = Field(..., description="For a drafted referral: what sending still needs.")
    created_by: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_person_name(obj: Referral) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_provider_name(obj: Referral) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_service_label(obj: Referral) -> str:
        return obj.provider_service.label if obj.provider_service_id else obj.service_type.name

    @staticmethod
    def resolve_service_type_name(obj: Referral) -> str:
        return obj.service_type.name

    @staticmethod
    def resolve_days_waiting(obj: Referral) -> int | None:
        return obj.days_waiting(timezone.localdate())

    @staticmethod
    def resolve_waiting_too_long(obj: Referral) -> bool:
        return obj.is_waiting_too_long(timezone.localdate())

    @staticmethod
    def resolve_consent(obj: Referral) -> Consent | None:
        return current_consent(obj)

    @staticmethod
    def resolve_missing_before_sending(obj: Referral) -> list[str]:
        if obj.status != Referral.Status.DRAFTED:
            return []
        return missing_before_sending(obj, timezone.localdate())

    @staticmethod
    def resolve_created_by(obj: Referral) -> str:
        return str(obj.created_by)


class TransitionOut(Schema):
    id: int
    from_status: Referral.Status
    to_status: Referral.Status
    on: datetime.date
    actor: str
    at: datetime.datetime
    note: str

    @staticmethod
    def resolve_actor(obj: ReferralTransition) -> str:
        return str(obj.actor)


class ReferralDetailOut(ReferralOut):
    """A referral with every consent recorded (current first) and every move."""

    consents: list[ConsentOut]
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_consents(obj: Any) -> list[Consent]:
        return list(obj.consents.all())

    @staticmethod
    def resolve_transitions(obj: Any) -> list[ReferralTransition]:
        return list(obj.transitions.all())


class ReferralListOut(ReferralOut):
    case_reference: str | None = Field(..., alias="case.reference")
    case_name: str = Field(..., alias="case.name")
    worker_name: str | None

    @staticmethod
    def resolve_worker_name(obj: Referral) -> str | None:
        worker = obj.case.worker
        return str(worker) if worker else None


# --- input ---------------------------------------------------------------------------------------


class ReferralIn(Schema):
    person_id: int = Field(..., description="The family member referred: a person in this case.")
    provider_id: int = Field(..., description="A directory provider, or one of this case's informal supports.")
    provider_service_id: int | None = Field(None, description="One of the provider's services; sets the type.")
    service_type_id: int | None = Field(None, description="The kind of service, when no provider_service_id.")
    reason: str = ""
    information_sent: str | None = Field(
        None,
        description="What the provider is told. Left out: a draft built from the case (name, date of birth and age, "
        "contact preference, the reason), to check before sending.",
    )
    step_id: int | None = Field(None, description="A step of the case's current plan that the referral serves.")


class ReferralPatch(Schema):
    person_id: int | None = None
    provider_id: int | None = None
    provider_service_id: int | None = Field(None, description="null: no particular service (give service_type_id).")
    service_type_id: int | None = None
    reason: str | None = None
    information_sent: str | None = None
    step_id: int | None = Field(None, description="null: the referral serves no plan step.")


class ConsentIn(Schema):
    given_by_id: int = Field(..., description="The person referred or, for a child, their parent or caregiver.")
    shares: str = Field("", description="What may be shared with the provider.")
    given_on: datetime.date
    expires_on: datetime.date
    method: Consent.Method


class TransitionIn(Schema):
    to: Referral.Status
    note: str = Field("", description="Required to decline or withdraw: the reason.")
    on: datetime.date | None = Field(None, description="The day it happened; defaults to today.")

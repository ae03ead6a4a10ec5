"""A family ready to refer: alice's case (a child and their mother) and a provider with one service."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant, Person
from kinplan.cases.tests.factories import child_of
from kinplan.providers.models import ProviderService
from kinplan.referrals import services
from kinplan.referrals.models import Consent, Referral
from kinplan.referrals.tests.factories import ProviderServiceFactory

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    """The date `n` days from today (before it when negative)."""
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def mother(case: Case) -> Person:
    person = case.participants.get(role=Participant.Role.PARENT).person
    person.given_name, person.family_name = "Hine", "Ngata"
    person.save()
    return person


@pytest.fixture
def child(case: Case) -> Person:
    return child_of(case)


@pytest.fixture
def offer(db: Any) -> ProviderService:
    return ProviderServiceFactory(provider__name="Te Whare Ora", name="Incredible Years")


def draft(actor: User, case: Case, person: Person, offer: ProviderService, **data: Any) -> Referral:
    """A drafted referral of `person` to `offer`, made through the service."""
    details = {
        "person": person,
        "provider": offer.provider,
        "provider_service": offer,
        "reason": "Parenting support while Mum is sober.",
        "information_sent": "Name: Hine Ngata. Phone 021 555 0101. Reason: parenting support.",
    }
    return services.referral_create(actor=actor, case=case, data=details | data)


def consent(actor: User, referral: Referral, **data: Any) -> Consent:
    """The referred person's own verbal consent, given today for six months."""
    details = {
        "given_by": referral.person,
        "shares": "Name, phone and the reason.",
        "given_on": TODAY,
        "expires_on": days(180),
        "method": "verbal",
    }
    return services.consent_record(actor=actor, referral=referral, data=details | data)


@pytest.fixture
def referral(alice: User, case: Case, mother: Person, offer: ProviderService) -> Referral:
    """A drafted referral of the mother to Te Whare Ora's Incredible Years, with her consent: ready to send."""
    made = draft(alice, case, mother, offer)
    consent(alice, made)
    return made

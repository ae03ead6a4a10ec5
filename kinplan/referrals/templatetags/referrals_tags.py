"""Template helpers for the referral pages: how long a family has waited, and whether that is too long."""

from __future__ import annotations

import datetime

from django import template

from kinplan.providers.models import Provider, ProviderService
from kinplan.referrals.models import Referral

register = template.Library()


@register.filter
def days_waiting(referral: Referral, today: datetime.date) -> int | None:
    return referral.days_waiting(today)


@register.filter
def waiting_too_long(referral: Referral, today: datetime.date) -> bool:
    return referral.is_waiting_too_long(today)


@register.filter
def consent_covers(consent: object, today: datetime.date) -> bool:
    return bool(consent) and consent.covers(today)  # type: ignore[attr-defined]


@register.filter
def provider_offer(provider: Provider) -> str:
    """The `offer` value choosing a provider (the kind of service chosen separately)."""
    return f"provider:{provider.pk}"


@register.filter
def service_offer(offer: ProviderService) -> str:
    """The `offer` value choosing one of a provider's services."""
    return f"service:{offer.pk}"

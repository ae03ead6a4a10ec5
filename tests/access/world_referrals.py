"""The referrals objects in the access matrix's world: put them in `world.extra`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.referrals import services as referring
from tests.access.world import World


def extend(world: World) -> None:
    """A directory provider with one service, and on alice's case a drafted referral of the mother to it, with
    her consent and the information to send, so it can be sent."""
    alice, today = world.users["alice"], timezone.localdate()
    service_type = ServiceType.objects.filter(is_active=True).order_by("pk").first() or ServiceType.objects.create(
        code="parenting-support", name="Parenting support", category=ServiceType.Category.FAMILY_PRESERVATION
    )
    provider = Provider.objects.create(name="Te Whare Tiaki", kind=Provider.Kind.IWI, area_served="Wellington")
    offer = ProviderService.objects.create(provider=provider, service_type=service_type, name="Whānau ora navigator")
    referral = referring.referral_create(
        actor=alice,
        case=world.case,
        data={
            "person": world.mother.person,
            "provider": provider,
            "provider_service": offer,
            "reason": "Support for Mum while she finds a home.",
            "information_sent": "Name, phone and the reason.",
        },
    )
    referring.consent_record(
        actor=alice,
        referral=referral,
        data={
            "given_by": world.mother.person,
            "shares": "Name, phone and the reason.",
            "given_on": today,
            "expires_on": today + datetime.timedelta(days=180),
            "method": "verbal",
        },
    )
    world.extra |= {"referral_provider": provider, "referral_offer": offer, "referral": referral}

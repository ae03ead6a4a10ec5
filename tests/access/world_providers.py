"""The providers objects in the access matrix's world: a directory provider with a service, and an informal
support in alice's case."""

from __future__ import annotations

from decimal import Decimal

from kinplan.providers.models import Provider, ProviderService, ServiceType
from tests.access.world import World


def extend(world: World) -> None:
    respite = ServiceType.objects.get(code="respite_care")
    provider = Provider.objects.create(
        name="Te Whare Tiaki", kind=Provider.Kind.IWI, area_served="Porirua", cultural_focus="Kaupapa Māori"
    )
    offer = ProviderService.objects.create(
        provider=provider, service_type=respite, unit=ProviderService.Unit.NIGHT, unit_cost=Decimal("120")
    )
    nan = Provider.objects.create(
        name=world.nan.person.full_name,
        kind=Provider.Kind.INFORMAL,
        case=world.case,
        person=world.nan.person,
        relationship="Grandmother",
    )
    world.extra |= {"service_type": respite, "provider": provider, "offer": offer, "informal_support": nan}

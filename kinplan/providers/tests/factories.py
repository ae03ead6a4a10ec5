from __future__ import annotations

from decimal import Decimal

import factory

from kinplan.providers.models import Provider, ProviderService, ServiceType


def service_type(code: str) -> ServiceType:
    """A type from the seeded catalogue."""
    return ServiceType.objects.get(code=code)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Provider {n}")
    kind = Provider.Kind.NGO
    area_served = "Wellington"

    @factory.post_generation
    def iwi(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.iwi.set(extracted)


class ProviderServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderService

    provider = factory.SubFactory(ProviderFactory)
    service_type = factory.LazyFunction(lambda: service_type("in_home"))
    unit = ProviderService.Unit.SESSION
    unit_cost = Decimal("60.00")

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from kinplan.cases.models import Participant
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory
from kinplan.providers.models import ServiceType
from kinplan.providers.tests import factories as directory
from kinplan.referrals.models import Consent, Referral


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-service-{n}")
    name = factory.Sequence(lambda n: f"Test service {n}")
    category = ServiceType.Category.FAMILY_PRESERVATION


# The directory's own factories, with a service type of their own for each offer, so tests can name both.
ProviderFactory = directory.ProviderFactory


class ProviderServiceFactory(directory.ProviderServiceFactory):
    service_type = factory.SubFactory(ServiceTypeFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")


class ReferralFactory(factory.django.DjangoModelFactory):
    """A drafted referral of a parent in a new case to a provider's service, with the information to send."""

    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    person = factory.LazyAttribute(lambda r: ParticipantFactory(case=r.case, role=Participant.Role.PARENT).person)
    provider_service = factory.SubFactory(ProviderServiceFactory)
    provider = factory.LazyAttribute(lambda r: r.provider_service.provider)
    service_type = factory.LazyAttribute(lambda r: r.provider_service.service_type)
    reason = "Parenting support while the family settles."
    information_sent = "Name, phone and the reason."
    status_on = factory.LazyFunction(timezone.localdate)
    status_changed_at = factory.LazyFunction(timezone.now)
    created_by = factory.LazyAttribute(lambda r: r.case.worker)


class ConsentFactory(factory.django.DjangoModelFactory):
    """The referred person's own consent, given today for a year."""

    class Meta:
        model = Consent

    referral = factory.SubFactory(ReferralFactory)
    given_by = factory.LazyAttribute(lambda c: c.referral.person)
    shares = "Name, phone and the reason."
    given_on = factory.LazyFunction(timezone.localdate)
    expires_on = factory.LazyAttribute(lambda c: c.given_on + datetime.timedelta(days=365))
    method = Consent.Method.VERBAL
    recorded_by = factory.LazyAttribute(lambda c: c.referral.created_by)

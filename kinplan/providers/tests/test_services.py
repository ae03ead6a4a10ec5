"""The catalogue, the directory and informal supports: who may change them, and the rules they keep."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinplan.audit.models import AuditEvent
from kinplan.providers import services
from kinplan.providers.models import Provider
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory, service_type

pytestmark = pytest.mark.django_db


def test_the_catalogue_starts_with_the_family_preservation_services_of_seed_002():
    codes = {
        "in_home",
        "crisis_intervention",
        "respite_care",
        "parent_support_groups",
        "family_group_conferencing",
        "kinship_care",
        "wraparound",
        "therapeutic",
        "transitional",
        "financial_assistance",
        "housing_support",
        "education_support",
        "employment_support",
        "universal_services",
    }
    from kinplan.providers.models import ServiceType

    assert codes <= set(ServiceType.objects.values_list("code", flat=True))


class TestTheCatalogue:
    def test_an_administrator_adds_a_type_and_history_records_it(self, administrator):
        # when
        added = services.service_type_create(
            actor=administrator, data={"code": "lunches", "name": "School lunches", "category": "universal"}
        )
        # then
        assert added.is_active
        assert AuditEvent.objects.filter(event="catalogue.service_type.created", target_id=str(added.pk)).exists()

    def test_retiring_a_type_keeps_it_on_old_offers_but_not_on_new_ones(self, administrator):
        # given a provider offering respite
        respite = service_type("respite_care")
        offer = ProviderServiceFactory(service_type=respite)
        # when respite is retired
        services.service_type_update(actor=administrator, service_type=respite, data={"is_active": False})
        # then the old offer keeps it, a new one cannot choose it
        offer.refresh_from_db()
        assert offer.service_type == respite
        assert AuditEvent.objects.filter(event="catalogue.service_type.retired").exists()
        with pytest.raises(ValidationError) as refused:
            services.provider_service_add(
                actor=administrator, provider=ProviderFactory(), data={"service_type": respite, "unit_cost": 0}
            )
        assert refused.value.message_dict == {"service_type": ["This service type is retired; choose a current one."]}

    @pytest.mark.parametrize("who", ["alice", "site_manager", "national_manager"])
    def test_only_administrators_keep_the_catalogue(self, request, who):
        with pytest.raises(PermissionDenied):
            services.service_type_create(
                actor=request.getfixturevalue(who), data={"code": "x", "name": "X", "category": "universal"}
            )


class TestTheDirectory:
    def test_an_administrator_adds_an_iwi_provider_with_its_iwi(self, administrator):
        from kinplan.cases.models import Iwi

        toa = Iwi.objects.get(name="Ngāti Toa Rangatira")
        provider = services.provider_create(
            actor=administrator, data={"name": "Te Whare Tiaki", "kind": "iwi", "area_served": "Porirua"}, iwi=[toa]
        )
        assert list(provider.iwi.all()) == [toa]
        event = AuditEvent.objects.get(event="directory.provider.created")
        assert event.changes["iwi"] == [[], ["Ngāti Toa Rangatira"]]

    def test_an_informal_support_cannot_be_added_to_the_directory(self, administrator):
        with pytest.raises(ValidationError) as refused:
            services.provider_create(actor=administrator, data={"name": "Nan", "kind": "informal"})
        assert "kind" in refused.value.message_dict
        assert not Provider.objects.exists()

    def test_a_negative_unit_cost_is_refused_beside_the_field(self, administrator):
        with pytest.raises(ValidationError) as refused:
            services.provider_service_add(
                actor=administrator,
                provider=ProviderFactory(),
                data={"service_type": service_type("in_home"), "unit_cost": Decimal("-5")},
            )
        assert refused.value.message_dict == {"unit_cost": ["A unit cost cannot be negative."]}

    def test_a_social_worker_cannot_change_the_directory(self, alice):
        with pytest.raises(PermissionDenied):
            services.provider_update(actor=alice, provider=ProviderFactory(), data={"phone": "04 000 0000"})


class TestInformalSupports:
    def test_a_worker_records_nan_as_an_informal_support_of_the_case(self, alice, case):
        # given nan is in the case
        from kinplan.cases.tests.factories import ParticipantFactory

        nan = ParticipantFactory(case=case, role="whanau", person__given_name="Mere", person__family_name="Ngata")
        # when alice records her help
        support = services.informal_support_add(
            actor=alice,
            case=case,
            person=nan.person,
            data={"relationship": "Grandmother", "description": "After school"},
        )
        # then she is an informal support of this case only, named after the person, in the case's history
        assert (support.kind, support.case, support.name) == ("informal", case, "Mere Ngata")
        assert AuditEvent.objects.filter(event="case.informal_support.added", case=case).exists()

    def test_someone_outside_the_case_cannot_be_chosen(self, alice, case, charlie_case):
        stranger = charlie_case.participants.get().person
        with pytest.raises(ValidationError) as refused:
            services.informal_support_add(actor=alice, case=case, person=stranger, data={})
        assert refused.value.message_dict == {"person": ["Choose someone who is part of this case."]}

    def test_a_colleague_who_cannot_change_the_case_cannot_add_one(self, bob, case):
        with pytest.raises(PermissionDenied):
            services.informal_support_add(actor=bob, case=case, data={"name": "Aunty Rose"})

    def test_an_informal_support_is_changed_with_its_case_not_by_administrators(self, alice, administrator, case):
        support = services.informal_support_add(actor=alice, case=case, data={"name": "Aunty Rose"})
        services.provider_update(actor=alice, provider=support, data={"phone": "021 000 111"})
        with pytest.raises(PermissionDenied):
            services.provider_update(actor=administrator, provider=support, data={"phone": "x"})

"""The demo's referrals: about a third of the open, planned families refer a parent or caregiver, with consent,
through the services, in a spread of statuses; with no provider in the directory, nobody is referred."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kinplan.accounts.tests.factories import UserFactory
from kinplan.cases.models import Participant
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory
from kinplan.demo.referrals import add_to_case
from kinplan.planning.tests.factories import PlanFactory
from kinplan.referrals.models import ALLOWED_TRANSITIONS, Referral
from kinplan.referrals.tests.factories import ProviderServiceFactory

pytestmark = pytest.mark.django_db


def planned_families(how_many: int) -> list:
    worker = UserFactory()
    cases = []
    for _ in range(how_many):
        case = CaseFactory(worker=worker)
        ParticipantFactory(case=case, role=Participant.Role.PARENT)
        PlanFactory(case=case)
        cases.append(case)
    return cases


def test_about_a_third_of_planned_families_are_referred_with_consent_in_a_spread_of_statuses():
    # given
    ProviderServiceFactory(provider__area_served="Wellington")
    ctx = SimpleNamespace(rng=random.Random(7), today=timezone.localdate(), directory={})
    cases = planned_families(36)
    # when
    for case in cases:
        add_to_case(ctx, case, case.worker)
    # then
    referrals = list(Referral.objects.prefetch_related("transitions", "consents"))
    assert 5 <= len(referrals) <= 22
    assert len({r.status for r in referrals}) >= 3
    for referral in referrals:
        assert referral.person.participations.get(case=referral.case).role == Participant.Role.PARENT
        status = Referral.Status.DRAFTED
        for move in referral.transitions.all():
            assert move.to_status in ALLOWED_TRANSITIONS[status]
            status = move.to_status
        assert referral.sent_on is None or referral.consents.filter(is_current=True).exists()


def test_without_a_provider_nobody_is_referred():
    ctx = SimpleNamespace(rng=random.Random(1), today=timezone.localdate(), directory={})
    for case in planned_families(10):
        add_to_case(ctx, case, case.worker)
    assert not Referral.objects.exists()

"""The demo's permanent care support plans: every stage shown, something waiting for every role."""

from __future__ import annotations

import random

import pytest
from django.db import transaction

from kinplan.accounts.models import User
from kinplan.demo.management.commands.seed_demo import DemoBuilder
from kinplan.demo.permanent_care import STORIES
from kinplan.permanent_care.models import Delivery, FollowUp, FurtherSupport, Purchase, SupportArrangement
from kinplan.permanent_care.selectors import (
    readiness_problems,
    referral_gaps,
    referral_pack,
    spend,
    waiting_for,
)

S = SupportArrangement.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's people with no other families: the permanent care stories make the families they need. Built once
    for the module in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        DemoBuilder(random.Random(2026)).build(cases_per_worker=0)
        yield
        transaction.set_rollback(True)


def arrangement(status: str) -> SupportArrangement:
    return SupportArrangement.objects.filter(status=status).first()


def waiting(username: str) -> list[str]:
    return [w.what for w in waiting_for(User.objects.get(username=username))]


def test_every_stage_of_the_process_is_shown(demo):
    statuses = set(SupportArrangement.objects.values_list("status", flat=True))
    assert set(S.values) - {S.WITHDRAWN} <= statuses
    assert SupportArrangement.objects.count() == len(STORIES)


def test_every_role_has_something_waiting(demo):
    ruth = set(waiting("ruth.psm"))
    assert {"Allocate a caseworker to this referral", "Approve the plan's content and costs"} <= ruth
    pita = " ".join(waiting("pita.pcw"))
    assert "Record your discussion" in pita and "acknowledgement letter" in pita and "Review the plan" in pita
    assert "Sign off the items the site resources" in waiting("mere.site")
    assert any("Escalation step 3" in what for what in waiting("hemi.sup"))
    assert any("Escalation step 6" in what for what in waiting("helen.national"))


def test_the_first_social_worker_has_arrangements_at_several_stages(demo):
    aroha = User.objects.get(username="aroha.sw")
    assert SupportArrangement.objects.filter(case__worker=aroha).values("status").distinct().count() >= 3
    assert waiting("aroha.sw")


def test_a_draft_referral_lists_the_details_it_lacks_and_planning_lists_what_stands_before_court(demo):
    gaps = referral_gaps(referral_pack(arrangement(S.REFERRAL_DRAFT)))
    assert any("household member" in gap for gap in gaps)
    assert all(not referral_gaps(a.referral_pack) for a in SupportArrangement.objects.exclude(status=S.REFERRAL_DRAFT))
    planning = SupportArrangement.objects.filter(status=S.PLANNING)
    assert any(len(readiness_problems(a)) >= 3 for a in planning)


def test_escalation_reached_several_rungs_and_a_resolution_with_changes_awaits_its_follow_ups(demo):
    rungs = {a.escalation_steps.count() for a in SupportArrangement.objects.filter(status=S.NOT_APPROVED)}
    assert {0, 2, 5} <= rungs
    assert FollowUp.objects.filter(discussed_on__isnull=True, arrangement__status=S.PLANNING).exists()
    assert FollowUp.objects.filter(discussed_on__isnull=False).exists()


def test_plans_in_place_show_purchases_deliveries_and_spend_and_the_closed_one_further_support(demo):
    in_place = arrangement(S.IN_PLACE)
    money = spend(in_place)
    assert money.approved > 0 and 0 < money.delivered <= money.committed
    assert Purchase.objects.exists() and Delivery.objects.exists()
    closed = arrangement(S.CLOSED)
    assert closed.reviews.filter(outcome="complete").exists()
    assert FurtherSupport.objects.filter(arrangement=closed, starts_on__gt=closed.ends_on).exists()
    assert arrangement(S.APPROVED).discharged_on is None

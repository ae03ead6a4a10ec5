"""The whole path of seed 003, from referral to review, through the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kinplan.permanent_care import services
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import ORDER, arrangement_at, days

S = SupportArrangement.Status


@pytest.mark.parametrize("status", [s for s in ORDER if s != S.CLOSED])
def test_each_status_is_reachable_through_the_services(status, family, staff):
    # when
    arrangement = arrangement_at(status, family, staff)
    # then
    assert arrangement.status == status
    log = [t.to_status for t in arrangement.transitions.all()]
    assert log[-1:] == ([status] if status != S.REFERRAL_DRAFT else [])
    assert len(log) >= ORDER.index(status)


def test_a_plan_goes_from_referral_to_a_completed_review(family, staff):
    # given
    arrangement = arrangement_at(S.IN_PLACE, family, staff)
    # when
    services.review_record(
        actor=staff.caseworker,
        arrangement=arrangement,
        data={"reviewed_on": timezone.localdate(), "findings": "Aroha is settled.", "outcome": "complete"},
    )
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.CLOSED
    assert [t.to_status for t in arrangement.transitions.all()][-1] == S.CLOSED
    assert arrangement.case.support_worker == staff.caseworker
    assert days(0) == arrangement.discharged_on

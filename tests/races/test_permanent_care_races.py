"""Two managers (or one, twice) deciding on a permanent care support plan at the same moment: one decision of each
kind a round, one rung of the ladder at a time, one approval — never two rows, never a server error."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kinplan.permanent_care import services
from kinplan.permanent_care.models import ApprovalDecision, EscalationStep, SupportArrangement
from kinplan.permanent_care.services import _common as common
from kinplan.permanent_care.services import approval
from kinplan.permanent_care.tests.factories import Staff, arrangement_at, family_for_permanent_care
from tests.races.helpers import RACE, at_once

pytestmark = RACE
S = SupportArrangement.Status


@pytest.fixture
def staff(alice, supervisor, site_manager, support_caseworker, support_manager, national_manager, support_service):
    return Staff(
        alice, supervisor, site_manager, support_caseworker, support_manager, national_manager, support_service
    )


@pytest.fixture
def family(staff):
    return family_for_permanent_care(staff.worker)


def fresh(arrangement: SupportArrangement) -> SupportArrangement:
    return SupportArrangement.objects.get(pk=arrangement.pk)


def decide(who, arrangement, decision="approved", comment=""):
    return lambda: services.approval_decide(
        actor=who, arrangement=fresh(arrangement), decision=decision, comment=comment
    )


def test_the_site_manager_signing_off_twice_at_once_is_one_decision(family, staff, slow_history):
    # given
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    slow_history(approval, common)
    # when the site manager's sign-off is sent twice at the same moment (two tabs, a double click)
    outcome = at_once(decide(staff.site_manager, arrangement), decide(staff.site_manager, arrangement))
    # then one sign-off is recorded; the other is told it already is
    outcome.once()
    assert arrangement.decisions.filter(kind="site_sign_off").count() == 1
    assert "already been recorded" in str(outcome.refused[0])


def test_both_managers_approving_at_once_approve_the_plan_once(family, staff, slow_history):
    # given
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    slow_history(approval, common)
    # when the site manager and the support-service manager approve at the same moment
    outcome = at_once(decide(staff.site_manager, arrangement), decide(staff.support_manager, arrangement))
    # then both decisions count, and the plan is approved, once
    assert not outcome.failed and not outcome.refused and len(outcome.done) == 2
    assert set(arrangement.decisions.values_list("kind", "decision")) == {
        ("site_sign_off", "approved"),
        ("support_service", "approved"),
    }
    assert fresh(arrangement).status == S.APPROVED
    assert arrangement.transitions.filter(to_status=S.APPROVED).count() == 1


def test_approving_and_refusing_at_once_leaves_one_answer_from_each(family, staff, slow_history):
    # given
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    slow_history(approval, common)
    # when the support-service manager refuses while the site manager approves
    outcome = at_once(
        decide(staff.support_manager, arrangement, "not_approved", "Counselling costs too high."),
        decide(staff.site_manager, arrangement),
    )
    # then the plan is not approved, whichever came first; never approved
    assert not outcome.failed, outcome.failed
    assert fresh(arrangement).status == S.NOT_APPROVED
    assert not arrangement.transitions.filter(to_status=S.APPROVED).exists()
    assert ApprovalDecision.objects.filter(arrangement=arrangement, kind="support_service").count() == 1


def test_two_people_recording_the_same_rung_at_once_record_it_once(family, staff, slow_history):
    # given a plan not approved: rung 1 is the social worker's (her supervisor may record it for her)
    arrangement = arrangement_at(S.NOT_APPROVED, family, staff)
    slow_history(approval, common)
    data = {
        "held_on": timezone.localdate(),
        "method": "phone",
        "outcome": "unresolved",
        "summary": "Talked with the caseworker about the costs.",
    }
    # when
    outcome = at_once(
        lambda: services.escalation_record(actor=staff.worker, arrangement=fresh(arrangement), rung=1, data=data),
        lambda: services.escalation_record(actor=staff.supervisor, arrangement=fresh(arrangement), rung=1, data=data),
    )
    # then one rung 1; the other is told the ladder has moved on
    outcome.once()
    assert list(EscalationStep.objects.filter(arrangement=arrangement).values_list("rung", flat=True)) == [1]
    assert "next step is 2" in str(outcome.refused[0])


def test_submitting_twice_at_once_opens_one_approval_round(family, staff, slow_history):
    # given
    arrangement = arrangement_at(S.READY_FOR_COURT, family, staff)
    slow_history(common)
    # when
    outcome = at_once(
        lambda: services.submit_for_approval(actor=staff.worker, arrangement=fresh(arrangement)),
        lambda: services.submit_for_approval(actor=staff.supervisor, arrangement=fresh(arrangement)),
    )
    # then
    outcome.once()
    assert (fresh(arrangement).status, fresh(arrangement).approval_round) == (S.AWAITING_APPROVAL, 1)
    assert arrangement.transitions.filter(to_status=S.AWAITING_APPROVAL).count() == 1

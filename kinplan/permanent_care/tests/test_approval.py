"""Approval (seed 003): the site manager signs off what the site resources, the support-service manager approves
content and costs; decisions are append-only, one of each kind per round."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinplan.accounts.models import Organisation, User
from kinplan.accounts.tests.factories import OrganisationFactory, UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.core.errors import InvalidTransition
from kinplan.permanent_care import services
from kinplan.permanent_care.models import ApprovalDecision, SupportArrangement, SupportItem
from kinplan.permanent_care.tests.factories import (
    agree_all,
    arrangement_at,
    build_plan,
    days,
    good_item,
    planning_meeting,
)

S = SupportArrangement.Status
Kind = ApprovalDecision.Kind


def decide(actor, arrangement, decision="approved", comment=""):
    return services.approval_decide(actor=actor, arrangement=arrangement, decision=decision, comment=comment)


def ready_and_submit(arrangement, family, staff):
    """Everyone agrees again, the plan is marked ready for court and submitted: a new approval round."""
    agree_all(arrangement, family, staff)
    services.mark_ready_for_court(
        actor=staff.worker,
        arrangement=arrangement,
        court_step="Special guardianship applied for",
        court_step_on=days(-2),
    )
    services.submit_for_approval(actor=staff.worker, arrangement=arrangement)
    arrangement.refresh_from_db()
    return arrangement


@pytest.fixture
def awaiting(family, staff):
    return arrangement_at(S.AWAITING_APPROVAL, family, staff)


def test_approving_before_agreement_is_refused(family, staff):
    # given a plan still in planning, not agreed
    arrangement = arrangement_at(S.PLANNING, family, staff)
    # when / then
    with pytest.raises(InvalidTransition, match="only once everyone has agreed it"):
        decide(staff.support_manager, arrangement)
    assert not ApprovalDecision.objects.exists()


def test_approving_before_submission_is_refused(family, staff):
    # given an agreed plan, ready for court but not submitted
    arrangement = arrangement_at(S.READY_FOR_COURT, family, staff)
    # when / then
    for manager in (staff.site_manager, staff.support_manager):
        with pytest.raises(InvalidTransition):
            decide(manager, arrangement)
    arrangement.refresh_from_db()
    assert arrangement.status == S.READY_FOR_COURT
    assert not ApprovalDecision.objects.exists()


def test_a_plan_goes_for_approval_only_once_ready_for_court(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    # when / then
    with pytest.raises(InvalidTransition, match="marked ready for court"):
        services.submit_for_approval(actor=staff.worker, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.approval_round) == (S.PLANNING, 0)


def test_submitting_opens_an_approval_round(awaiting):
    # then
    assert awaiting.status == S.AWAITING_APPROVAL
    assert awaiting.approval_round == 1
    assert awaiting.transitions.last().note == "Approval round 1"


def test_only_the_cases_site_manager_signs_off(awaiting, other_site_manager):
    # when / then
    with pytest.raises(PermissionDenied):
        decide(other_site_manager, awaiting)
    assert not ApprovalDecision.objects.exists()


def test_only_the_services_own_manager_approves(awaiting):
    # given
    other = OrganisationFactory(name="Another support service", kind=Organisation.Kind.SUPPORT_SERVICE)
    other_manager = UserFactory(role=User.Role.SUPPORT_MANAGER, team=None, site=None, organisation=other)
    # when / then
    with pytest.raises(PermissionDenied):
        decide(other_manager, awaiting)
    assert not ApprovalDecision.objects.exists()


def test_nobody_else_decides_on_the_plan(awaiting, staff):
    # when / then
    for someone in (staff.worker, staff.supervisor, staff.caseworker, staff.national_manager):
        with pytest.raises(PermissionDenied):
            decide(someone, awaiting)
    assert not ApprovalDecision.objects.exists()


@pytest.mark.parametrize("manager", ["site_manager", "support_manager"])
def test_a_refusal_needs_a_comment(manager, awaiting, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        decide(getattr(staff, manager), awaiting, decision="not_approved", comment="  ")
    assert "comment" in refused.value.message_dict
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_APPROVAL
    assert not ApprovalDecision.objects.exists()


def test_an_unknown_decision_is_refused(awaiting, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        decide(staff.support_manager, awaiting, decision="maybe")
    assert "decision" in refused.value.message_dict


def test_a_second_decision_of_the_same_kind_in_a_round_is_refused(awaiting, staff):
    # given
    decide(staff.site_manager, awaiting)
    # when / then
    with pytest.raises(InvalidTransition, match="already been recorded"):
        decide(staff.site_manager, awaiting, decision="not_approved", comment="Changed my mind.")
    assert ApprovalDecision.objects.count() == 1
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_APPROVAL


def test_one_approval_leaves_the_plan_waiting_for_the_other(awaiting, staff):
    # when
    decide(staff.support_manager, awaiting)
    # then
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_APPROVAL


@pytest.mark.parametrize("first, second", [("site_manager", "support_manager"), ("support_manager", "site_manager")])
def test_both_approving_approves_the_plan_in_either_order(first, second, awaiting, staff):
    # when
    decide(getattr(staff, first), awaiting)
    decide(getattr(staff, second), awaiting)
    # then
    awaiting.refresh_from_db()
    assert awaiting.status == S.APPROVED
    assert awaiting.transitions.last().to_status == S.APPROVED
    assert set(awaiting.decisions.values_list("kind", "decision")) == {
        (Kind.SITE_SIGN_OFF, "approved"),
        (Kind.SUPPORT_SERVICE, "approved"),
    }


def test_the_support_manager_approves_the_plans_costs(awaiting, staff):
    # when
    record = decide(staff.support_manager, awaiting)
    # then the two-item plan costs 10 sessions at 120
    assert record.costs_approved == Decimal("1200.00")
    assert record.kind == Kind.SUPPORT_SERVICE
    event = AuditEvent.objects.get(event="permanent_care.decision.support_service")
    assert event.actor == staff.support_manager
    assert event.changes["decision"] == [None, "approved"]


def test_the_support_manager_refusing_opens_the_escalation_ladder(awaiting, staff):
    # when
    decide(staff.support_manager, awaiting, decision="not_approved", comment="Counselling costs too high.")
    # then
    awaiting.refresh_from_db()
    assert awaiting.status == S.NOT_APPROVED
    assert awaiting.transitions.last().note == "Counselling costs too high."


def test_the_site_manager_refusing_returns_the_plan_to_planning_with_a_new_agreement_round(awaiting, staff):
    # given
    round_before = awaiting.agreement_round
    # when
    decide(staff.site_manager, awaiting, decision="not_approved", comment="The site cannot fund respite.")
    # then
    awaiting.refresh_from_db()
    assert awaiting.status == S.PLANNING
    assert awaiting.agreement_round == round_before + 1
    with pytest.raises(InvalidTransition, match="still waiting for"):
        services.mark_ready_for_court(
            actor=staff.worker, arrangement=awaiting, court_step="Special guardianship", court_step_on=days(-2)
        )


def test_decisions_are_kept_round_after_round(awaiting, family, staff):
    # given the site manager refused in round 1
    decide(staff.site_manager, awaiting, decision="not_approved", comment="The site cannot fund respite.")
    awaiting.refresh_from_db()
    # when the plan is agreed again and submitted (round 2), and both approve
    ready_and_submit(awaiting, family, staff)
    decide(staff.site_manager, awaiting)
    decide(staff.support_manager, awaiting)
    # then round 1's refusal is kept beside round 2's approvals
    awaiting.refresh_from_db()
    assert awaiting.status == S.APPROVED
    assert awaiting.approval_round == 2
    assert list(awaiting.decisions.values_list("round", "kind", "decision")) == [
        (1, Kind.SITE_SIGN_OFF, "not_approved"),
        (2, Kind.SITE_SIGN_OFF, "approved"),
        (2, Kind.SUPPORT_SERVICE, "approved"),
    ]


def test_the_site_sign_off_records_the_items_the_site_resources(family, staff):
    # given a plan with one support the site pays for
    arrangement = arrangement_at(S.PLANNING, family, staff)
    build_plan(arrangement, family, staff)
    objective = arrangement.objectives.get()
    services.item_add(
        actor=staff.worker,
        objective=objective,
        data=good_item(
            family,
            what="Play therapy already under way",
            started_before_discharge=True,
            starts_on=days(-20),
            due_on=days(60),
            quantity=Decimal(4),
            funder=SupportItem.Funder.SITE,
        ),
    )
    planning_meeting(family, staff)
    ready_and_submit(arrangement, family, staff)
    # when
    record = decide(staff.site_manager, arrangement)
    # then
    assert record.kind == Kind.SITE_SIGN_OFF
    assert record.site_items == ["Play therapy already under way (480.00)"]
    assert record.costs_approved is None

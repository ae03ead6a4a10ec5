"""The escalation ladder (seed 003) after the support-service manager does not approve: six rungs, strictly in
order, each by its role; what each outcome does; the follow-ups a change brings; the national manager's
determination binds."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import CaseFactory
from kinplan.core.errors import InvalidTransition
from kinplan.meetings.models import Meeting
from kinplan.permanent_care import services
from kinplan.permanent_care.models import ApprovalDecision, EscalationStep, FollowUp, SupportArrangement, SupportItem
from kinplan.permanent_care.selectors import decisions_this_round, next_rung, open_follow_ups
from kinplan.permanent_care.tests.factories import agree_all, arrangement_at, days

S = SupportArrangement.Status
Outcome = EscalationStep.Outcome
# Who records each rung, as named in the `staff` fixture.
RUNG_ACTOR = {1: "worker", 2: "worker", 3: "supervisor", 4: "worker", 5: "site_manager", 6: "national_manager"}


def step_data(outcome=Outcome.UNRESOLVED, **overrides):
    return {
        "held_on": timezone.localdate(),
        "method": "conference_call",
        "caseworker_involved": True,
        "outcome": outcome,
        "summary": "The costs were talked through.",
    } | overrides


def record(staff, arrangement, rung, outcome=Outcome.UNRESOLVED, actor=None, **overrides):
    return services.escalation_record(
        actor=actor or getattr(staff, RUNG_ACTOR[rung]),
        arrangement=arrangement,
        rung=rung,
        data=step_data(outcome, **overrides),
    )


def climb_to(staff, arrangement, rung):
    """Record every rung below `rung` as not resolved."""
    for lower in range(1, rung):
        record(staff, arrangement, lower)


def record_follow_ups(arrangement, staff):
    for follow_up in open_follow_ups(arrangement):
        services.follow_up_record(
            actor=staff.worker,
            follow_up=follow_up,
            data={"discussed_on": timezone.localdate(), "method": "phone", "note": "Understands the change."},
        )


def ready_and_submit(arrangement, family, staff):
    agree_all(arrangement, family, staff)
    services.mark_ready_for_court(
        actor=staff.worker,
        arrangement=arrangement,
        court_step="Special guardianship applied for",
        court_step_on=days(-2),
    )
    return services.submit_for_approval(actor=staff.worker, arrangement=arrangement)


@pytest.fixture
def refused(family, staff):
    """The site manager signed off; the support-service manager did not approve (approval round 1)."""
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    services.approval_decide(actor=staff.site_manager, arrangement=arrangement, decision="approved")
    services.approval_decide(
        actor=staff.support_manager, arrangement=arrangement, decision="not_approved", comment="Costs too high."
    )
    arrangement.refresh_from_db()
    assert arrangement.status == S.NOT_APPROVED
    return arrangement


# --- in order, each by its role ----------------------------------------------------------------------------


@pytest.mark.parametrize("rung", [2, 3])
def test_a_rung_recorded_before_its_turn_is_refused_naming_the_next_step(rung, refused, staff):
    # when / then
    with pytest.raises(InvalidTransition) as error:
        record(staff, refused, rung)
    assert "the next step is 1 — Consult the allocated caseworker" in error.value.messages[0]
    assert not EscalationStep.objects.exists()


def test_a_rung_cannot_be_skipped(refused, staff):
    # given
    record(staff, refused, 1)
    # when / then
    with pytest.raises(InvalidTransition, match="the next step is 2"):
        record(staff, refused, 3)
    assert next_rung(refused) == 2


def test_a_rung_cannot_be_recorded_twice(refused, staff):
    # given
    record(staff, refused, 1)
    # when / then
    with pytest.raises(InvalidTransition, match="the next step is 2"):
        record(staff, refused, 1)
    assert EscalationStep.objects.count() == 1


WRONG_ACTORS = {
    1: ["caseworker", "support_manager", "national_manager"],
    2: ["caseworker", "national_manager"],
    3: ["worker", "site_manager", "other_team_supervisor"],
    4: ["caseworker", "national_manager"],
    5: ["worker", "supervisor", "support_manager", "other_site_manager"],
    6: ["worker", "site_manager", "support_manager"],
}


def test_each_rung_is_recorded_only_by_its_role(refused, staff, request):
    for rung, wrong in WRONG_ACTORS.items():
        # given the ladder has reached `rung`
        assert next_rung(refused) == rung
        # when / then everyone else is refused
        for who in wrong:
            actor = getattr(staff, who, None) or request.getfixturevalue(who)
            with pytest.raises(PermissionDenied):
                record(staff, refused, rung, actor=actor)
        assert EscalationStep.objects.count() == rung - 1
        # and its own role records it
        if rung < 6:
            record(staff, refused, rung)


def test_reconvening_planning_needs_the_caseworker_involved(refused, staff):
    # given
    record(staff, refused, 1)
    # when / then
    with pytest.raises(ValidationError) as error:
        record(staff, refused, 2, caseworker_involved=False)
    assert "caseworker_involved" in error.value.message_dict
    assert next_rung(refused) == 2


@pytest.mark.parametrize("held_on", [days(-1), days(1)], ids=["before the refusal", "in the future"])
def test_a_step_dated_before_the_refusal_or_in_the_future_is_refused(held_on, refused, staff):
    # when / then
    with pytest.raises(ValidationError) as error:
        record(staff, refused, 1, held_on=held_on)
    assert "held_on" in error.value.message_dict
    assert not EscalationStep.objects.exists()


def test_a_step_needs_a_method_and_a_summary(refused, staff):
    # when / then
    with pytest.raises(ValidationError) as error:
        record(staff, refused, 1, method="", summary=" ")
    assert {"method", "summary"} <= set(error.value.message_dict)


def test_a_lower_rung_cannot_make_a_determination(refused, staff):
    # when / then
    with pytest.raises(ValidationError) as error:
        record(staff, refused, 1, outcome=Outcome.DETERMINED_APPROVED)
    assert "outcome" in error.value.message_dict


def test_the_national_manager_cannot_leave_the_dispute_unresolved(refused, staff):
    # given
    climb_to(staff, refused, 6)
    # when / then
    with pytest.raises(ValidationError) as error:
        record(staff, refused, 6, outcome=Outcome.UNRESOLVED)
    assert "outcome" in error.value.message_dict
    refused.refresh_from_db()
    assert refused.status == S.NOT_APPROVED
    assert next_rung(refused) == 6


def test_an_unresolved_rung_makes_the_next_one_available(refused, staff):
    # when
    step = record(staff, refused, 1)
    # then
    assert next_rung(refused) == 2
    refused.refresh_from_db()
    assert refused.status == S.NOT_APPROVED
    assert step.dispute == 1
    event = AuditEvent.objects.get(event="permanent_care.escalation.recorded")
    assert event.actor == staff.worker
    assert event.changes["rung"] == [None, 1]


# --- resolved at rungs 1 to 5 --------------------------------------------------------------------------------


@pytest.mark.parametrize("rung", [1, 2, 3, 4, 5])
def test_resolved_unchanged_at_any_rung_goes_back_for_fresh_approval(rung, refused, staff):
    # given
    climb_to(staff, refused, rung)
    # when
    record(staff, refused, rung, outcome=Outcome.RESOLVED_UNCHANGED)
    # then
    refused.refresh_from_db()
    assert refused.status == S.AWAITING_APPROVAL
    assert refused.approval_round == 2
    assert decisions_this_round(refused) == {}
    assert next_rung(refused) is None
    # and both decide again: the site's round-1 sign-off does not carry over
    services.approval_decide(actor=staff.support_manager, arrangement=refused, decision="approved")
    refused.refresh_from_db()
    assert refused.status == S.AWAITING_APPROVAL
    services.approval_decide(actor=staff.site_manager, arrangement=refused, decision="approved")
    refused.refresh_from_db()
    assert refused.status == S.APPROVED


@pytest.mark.parametrize("rung", [1, 2, 3, 4, 5])
def test_resolved_with_changes_at_any_rung_returns_to_planning_with_follow_ups(rung, refused, family, staff):
    # given
    climb_to(staff, refused, rung)
    round_before = refused.agreement_round
    # when
    step = record(staff, refused, rung, outcome=Outcome.RESOLVED_WITH_CHANGES, summary="Six sessions, not ten.")
    # then
    refused.refresh_from_db()
    assert refused.status == S.PLANNING
    assert refused.agreement_round == round_before + 1
    assert not refused.binding_determination_pending
    follow_ups = list(FollowUp.objects.filter(escalation_step=step))
    assert sorted(f.who for f in follow_ups) == sorted(["Mere Ngata", str(staff.worker)])
    assert {f.member for f in follow_ups} == set(family.members)


def test_submitting_is_refused_until_every_change_is_discussed(refused, family, staff):
    # given the plan was changed at rung 1
    record(staff, refused, 1, outcome=Outcome.RESOLVED_WITH_CHANGES, summary="Six sessions, not ten.")
    refused.refresh_from_db()
    services.item_update(actor=staff.worker, item=SupportItem.objects.first(), data={"quantity": Decimal(6)})
    # when / then
    with pytest.raises(InvalidTransition, match=r"Discuss the changes with everyone first: .*Mere Ngata"):
        ready_and_submit(refused, family, staff)
    refused.refresh_from_db()
    assert refused.status == S.READY_FOR_COURT
    # when one is discussed, the other still waits
    first, second = open_follow_ups(refused)
    services.follow_up_record(
        actor=staff.worker, follow_up=first, data={"discussed_on": timezone.localdate(), "method": "phone"}
    )
    with pytest.raises(InvalidTransition, match=re.escape(second.who)):
        services.submit_for_approval(actor=staff.worker, arrangement=refused)
    # when both are discussed
    record_follow_ups(refused, staff)
    services.submit_for_approval(actor=staff.worker, arrangement=refused)
    # then it goes for approval again, in a new round
    refused.refresh_from_db()
    assert refused.status == S.AWAITING_APPROVAL
    assert refused.approval_round == 2


def test_a_follow_up_is_dated_after_the_change_and_not_in_the_future(refused, staff):
    # given
    record(staff, refused, 1, outcome=Outcome.RESOLVED_WITH_CHANGES)
    follow_up = FollowUp.objects.first()
    # when / then
    for on in (days(-1), days(1)):
        with pytest.raises(ValidationError) as error:
            services.follow_up_record(
                actor=staff.worker, follow_up=follow_up, data={"discussed_on": on, "method": "phone"}
            )
        assert "discussed_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.follow_up_record(
            actor=staff.worker, follow_up=follow_up, data={"discussed_on": timezone.localdate(), "method": "pigeon"}
        )
    assert "method" in error.value.message_dict
    follow_up.refresh_from_db()
    assert not follow_up.is_done


def test_a_follow_up_is_recorded_once_by_the_cases_editors(refused, staff):
    # given
    record(staff, refused, 1, outcome=Outcome.RESOLVED_WITH_CHANGES)
    follow_up = FollowUp.objects.first()
    data = {"discussed_on": timezone.localdate(), "method": "phone"}
    # when / then
    with pytest.raises(PermissionDenied):
        services.follow_up_record(actor=staff.caseworker, follow_up=follow_up, data=data)
    services.follow_up_record(actor=staff.worker, follow_up=follow_up, data=data)
    with pytest.raises(ValidationError, match="already recorded"):
        services.follow_up_record(actor=staff.worker, follow_up=follow_up, data=data)
    assert AuditEvent.objects.filter(event="permanent_care.follow_up.recorded").count() == 1


def test_a_second_refusal_starts_a_new_dispute_at_the_first_rung(refused, staff):
    # given rung 2 resolved the first dispute unchanged
    climb_to(staff, refused, 2)
    record(staff, refused, 2, outcome=Outcome.RESOLVED_UNCHANGED)
    refused.refresh_from_db()
    # when the support-service manager refuses again
    services.approval_decide(
        actor=staff.support_manager, arrangement=refused, decision="not_approved", comment="Still too high."
    )
    # then the ladder starts again, for dispute 2
    refused.refresh_from_db()
    assert next_rung(refused) == 1
    step = record(staff, refused, 1)
    assert step.dispute == 2
    assert EscalationStep.objects.filter(dispute=1).count() == 2


# --- the national manager's determination ------------------------------------------------------------------


def test_a_determination_to_approve_approves_the_plan(refused, staff):
    # given
    climb_to(staff, refused, 6)
    # when
    record(staff, refused, 6, outcome=Outcome.DETERMINED_APPROVED)
    # then
    refused.refresh_from_db()
    assert refused.status == S.APPROVED
    assert refused.transitions.last().actor == staff.national_manager


def test_a_determination_to_decline_closes_the_plan(refused, staff):
    # given
    climb_to(staff, refused, 6)
    # when
    record(staff, refused, 6, outcome=Outcome.DETERMINED_DECLINED, summary="The plan is not approved.")
    # then
    refused.refresh_from_db()
    assert refused.status == S.CLOSED
    assert refused.closed_reason == "The plan is not approved."


def test_a_determination_with_changes_binds_once_the_changes_are_made(refused, family, staff):
    # given
    climb_to(staff, refused, 6)
    decisions = ApprovalDecision.objects.count()
    # when the national manager approves with changes
    record(staff, refused, 6, outcome=Outcome.DETERMINED_WITH_CHANGES, summary="Approved with six sessions.")
    # then the plan returns to planning to make them
    refused.refresh_from_db()
    assert refused.status == S.PLANNING
    assert refused.binding_determination_pending
    assert len(open_follow_ups(refused)) == 2
    # when the changes are made, discussed, agreed and the plan is ready for court
    services.item_update(actor=staff.worker, item=SupportItem.objects.first(), data={"quantity": Decimal(6)})
    record_follow_ups(refused, staff)
    ready_and_submit(refused, family, staff)
    # then it is approved without another approval round
    refused.refresh_from_db()
    assert refused.status == S.APPROVED
    assert not refused.binding_determination_pending
    assert refused.approval_round == 1
    assert ApprovalDecision.objects.count() == decisions
    assert "binding determination" in refused.transitions.last().note


@pytest.mark.parametrize(
    "outcome", [Outcome.DETERMINED_APPROVED, Outcome.DETERMINED_WITH_CHANGES, Outcome.DETERMINED_DECLINED]
)
def test_no_rung_can_follow_the_determination(outcome, refused, staff):
    # given
    climb_to(staff, refused, 6)
    record(staff, refused, 6, outcome=outcome)
    steps = EscalationStep.objects.count()
    # when / then
    for rung in (1, 6):
        with pytest.raises(InvalidTransition):
            record(staff, refused, rung)
    assert EscalationStep.objects.count() == steps
    refused.refresh_from_db()
    assert next_rung(refused) is None


def test_a_resolved_ladder_takes_no_more_rungs(refused, staff):
    # given
    record(staff, refused, 1, outcome=Outcome.RESOLVED_UNCHANGED)
    # when / then
    with pytest.raises(InvalidTransition, match="escalation ladder is for a plan"):
        record(staff, refused, 2)
    assert EscalationStep.objects.count() == 1


def test_the_ladder_is_only_for_a_plan_not_approved(family, staff):
    # given
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    # when / then
    with pytest.raises(InvalidTransition):
        record(staff, arrangement, 1)
    assert not EscalationStep.objects.exists()


def test_a_step_names_only_a_meeting_of_this_case(refused, staff):
    # given a meeting of another of the worker's cases
    elsewhere = Meeting.objects.create(
        case=CaseFactory(worker=staff.worker),
        kind=Meeting.Kind.CASE_CONSULT,
        starts_at=timezone.now(),
        place="Site office",
        purpose="Another family's consult.",
        created_by=staff.worker,
    )
    # when / then
    with pytest.raises(ValidationError) as error:
        record(staff, refused, 1, meeting=elsewhere)
    assert "meeting" in error.value.message_dict
    assert not EscalationStep.objects.exists()

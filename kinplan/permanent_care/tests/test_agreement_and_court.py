"""Agreement and the court step (seed 003): everyone required agrees the plan as it stands before it is ready
for court; the caregiver is among them; every problem is listed at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.cases.models import TeamMember
from kinplan.cases.tests.factories import CaseFactory, PersonFactory
from kinplan.core.errors import InvalidTransition
from kinplan.permanent_care import services
from kinplan.permanent_care.models import SupportAgreement, SupportArrangement
from kinplan.permanent_care.selectors import agreement_state, readiness_problems
from kinplan.permanent_care.tests.factories import agree_all, arrangement_at, build_plan, days, planning_meeting

S = SupportArrangement.Status
COURT_STEP = "Special guardianship order applied for"


@pytest.fixture
def planned(family, staff):
    """A plan in planning that meets every rule except agreement."""
    arrangement = arrangement_at(S.PLANNING, family, staff)
    build_plan(arrangement, family, staff)
    planning_meeting(family, staff)
    arrangement.refresh_from_db()
    return arrangement


def caregiver_member(family):
    return family.members[0]


def worker_member(family):
    return family.members[1]


def agree(staff, arrangement, member, position="agrees", reason=""):
    return services.agreement_record(
        actor=staff.worker, arrangement=arrangement, member=member, position=position, method="in_person", reason=reason
    )


def mark_ready(staff, arrangement, court_step=COURT_STEP, court_step_on=None):
    return services.mark_ready_for_court(
        actor=staff.worker,
        arrangement=arrangement,
        court_step=court_step,
        court_step_on=court_step_on or days(-2),
    )


def test_a_plan_everyone_agrees_is_marked_ready_for_court_with_its_court_step(planned, family, staff):
    # given
    agree_all(planned, family, staff)
    # when
    mark_ready(staff, planned)
    # then
    planned.refresh_from_db()
    assert planned.status == S.READY_FOR_COURT
    assert (planned.court_step, planned.court_step_on) == (COURT_STEP, days(-2))
    assert planned.transitions.last().to_status == S.READY_FOR_COURT
    assert AuditEvent.objects.filter(event="permanent_care.court_step.recorded", actor=staff.worker).exists()


def test_one_disagreement_keeps_the_plan_from_court_and_names_them(planned, family, staff):
    # given
    agree(staff, planned, worker_member(family))
    agree(staff, planned, caregiver_member(family), position="disagrees", reason="Wants more respite.")
    # when / then
    with pytest.raises(InvalidTransition) as refused:
        mark_ready(staff, planned)
    assert any("Mere Ngata (disagrees)" in m for m in refused.value.messages)
    planned.refresh_from_db()
    assert planned.status == S.PLANNING
    assert planned.court_step == ""


def test_someone_not_yet_asked_keeps_the_plan_from_court_and_is_named(planned, family, staff):
    # given only the caregiver has agreed
    agree(staff, planned, caregiver_member(family))
    # when / then
    with pytest.raises(InvalidTransition) as refused:
        mark_ready(staff, planned)
    text = " ".join(refused.value.messages)
    assert f"{staff.worker} (not yet asked)" in text
    assert "Mere Ngata" not in text


def test_a_member_whose_agreement_is_not_required_is_not_waited_for(planned, family, staff):
    # given a lawyer on the team whose agreement is not required
    TeamMember.objects.create(
        case=family.case, person=PersonFactory(), role=TeamMember.Role.LAWYER_FOR_CHILD, is_required=False
    )
    agree_all(planned, family, staff)
    # when
    mark_ready(staff, planned)
    # then
    planned.refresh_from_db()
    assert planned.status == S.READY_FOR_COURT


def test_the_caregiver_must_be_on_the_team(planned, family, staff):
    # given the caregiver has left the team
    TeamMember.objects.filter(pk=caregiver_member(family).pk).update(archived_at=timezone.now())
    agree_all(planned, family, staff)
    # when / then
    with pytest.raises(InvalidTransition) as refused:
        mark_ready(staff, planned)
    assert any("Add the caregiver to the Child and Family Team" in m for m in refused.value.messages)


def test_a_disagreement_needs_a_reason(planned, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        agree(staff, planned, caregiver_member(family), position="disagrees", reason="  ")
    assert "reason" in refused.value.message_dict
    assert not SupportAgreement.objects.exists()


def test_a_member_of_another_cases_team_cannot_agree_this_plan(planned, staff):
    # given
    stranger = TeamMember.objects.create(
        case=CaseFactory(worker=staff.worker), person=PersonFactory(), role=TeamMember.Role.WHANAU
    )
    # when / then
    with pytest.raises(ValidationError) as refused:
        agree(staff, planned, stranger)
    assert "member" in refused.value.message_dict


def test_a_position_can_change_within_the_round_and_the_latest_counts(planned, family, staff):
    # given
    agree(staff, planned, caregiver_member(family), position="disagrees", reason="Wants more respite.")
    # when
    agree(staff, planned, caregiver_member(family))
    # then
    rows = {row["member"].pk: row["agreement"] for row in agreement_state(planned)}
    assert rows[caregiver_member(family).pk].position == "agrees"
    assert SupportAgreement.objects.count() == 1


def test_only_the_cases_editors_record_agreement(planned, family, staff, bob):
    # when / then
    for outsider in (bob, staff.caseworker, staff.support_manager):
        with pytest.raises(PermissionDenied):
            services.agreement_record(
                actor=outsider, arrangement=planned, member=caregiver_member(family), position="agrees", method="phone"
            )
    assert not SupportAgreement.objects.exists()


@pytest.mark.parametrize(
    "court_step, court_step_on, field",
    [("", days(-2), "court_step"), ("  ", days(-2), "court_step"), (COURT_STEP, None, "court_step_on")],
    ids=["no step", "blank step", "no date"],
)
def test_the_court_step_and_its_date_are_required(court_step, court_step_on, field, planned, family, staff):
    # given
    agree_all(planned, family, staff)
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.mark_ready_for_court(
            actor=staff.worker, arrangement=planned, court_step=court_step, court_step_on=court_step_on
        )
    assert field in refused.value.message_dict
    planned.refresh_from_db()
    assert planned.status == S.PLANNING


def test_the_court_step_cannot_predate_the_case(planned, family, staff):
    # given
    agree_all(planned, family, staff)
    # when / then
    with pytest.raises(ValidationError) as refused:
        mark_ready(staff, planned, court_step_on=days(-500))
    assert "court_step_on" in refused.value.message_dict


def test_every_readiness_problem_is_listed_at_once(family, staff):
    # given a plan in planning with nothing in it yet
    arrangement = arrangement_at(S.PLANNING, family, staff)
    # when / then
    with pytest.raises(InvalidTransition) as refused:
        mark_ready(staff, arrangement)
    messages = refused.value.messages
    for expected in (
        "Give the date the plan starts",
        "Give the date the plan ends",
        "Give the review date",
        "Add at least one objective",
        "List the universal services",
        "Hold a permanent care support planning meeting",
        "still waiting for",
    ):
        assert any(expected in m for m in messages), expected
    assert messages[0] == "The plan is not ready for court yet:"
    assert messages[1:] == readiness_problems(arrangement)


def test_an_objective_without_supports_is_listed(planned, family, staff):
    # given
    services.objective_add(actor=staff.worker, arrangement=planned, data={"need": family.needs[1], "title": "Marae"})
    # when
    problems = readiness_problems(planned)
    # then
    assert any("“Marae” names no support" in p for p in problems)


def test_agreement_is_only_recorded_while_planning(family, staff):
    # given
    arrangement = arrangement_at(S.READY_FOR_COURT, family, staff)
    # when / then
    with pytest.raises(InvalidTransition):
        agree(staff, arrangement, caregiver_member(family), position="disagrees", reason="Changed her mind.")
    assert not SupportAgreement.objects.filter(position="disagrees").exists()


def test_reopening_planning_asks_everyone_again(family, staff):
    # given
    arrangement = arrangement_at(S.READY_FOR_COURT, family, staff)
    round_before = arrangement.agreement_round
    # when
    services.planning_reopen(actor=staff.worker, arrangement=arrangement, reason="Add respite care.")
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.PLANNING
    assert arrangement.agreement_round == round_before + 1
    with pytest.raises(InvalidTransition, match="still waiting for"):
        mark_ready(staff, arrangement)

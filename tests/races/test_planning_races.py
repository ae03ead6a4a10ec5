"""Two people moving or changing the same service plan at the same moment: one decision, never two, and nothing
reaches an agreed plan that the team did not agree."""

from __future__ import annotations

import pytest

from kinplan.assessments.tests.factories import CompletedAssessmentFactory, NeedFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import TeamMemberFactory
from kinplan.core.errors import InvalidTransition
from kinplan.planning import services
from kinplan.planning.models import Agreement, Plan, PlanTransition, Step
from kinplan.planning.services import agreement as agreement_services
from kinplan.planning.services import goals as goal_services
from kinplan.planning.services import plans as plan_services
from kinplan.planning.services import steps as step_services
from kinplan.planning.services.content import plan_content
from tests.races.helpers import RACE, at_once

pytestmark = RACE


@pytest.fixture
def ready(alice, case) -> Plan:
    """A draft plan with a goal, a step and a need left for later, that everyone required has agreed to."""
    plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    goal = services.goal_add(actor=alice, plan=plan, data={"title": "A safe home"})
    services.step_add(
        actor=alice, goal=goal, data={"what": "Visit", "responsible": "worker", "responsible_user": alice}
    )
    member = TeamMemberFactory(case=case, person=case.participants.first().person)
    services.agreement_record(actor=alice, plan=plan, member=member, position="agrees", method="phone")
    return plan


def fresh(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def test_two_people_agreeing_the_plan_at_once_agree_it_once(alice, supervisor, ready, slow_history):
    # given
    slow_history(plan_services)
    # when alice and her supervisor both record the plan as agreed
    outcome = at_once(
        lambda: services.plan_transition(actor=alice, plan=fresh(ready), to="agreed"),
        lambda: services.plan_transition(actor=supervisor, plan=fresh(ready), to="agreed"),
    )
    # then it is agreed once; the other is told it already is
    outcome.once()
    assert PlanTransition.objects.filter(plan=ready, to_status="agreed").count() == 1
    assert isinstance(outcome.refused[0], InvalidTransition)
    assert fresh(ready).status == "agreed"


def test_two_revisions_at_once_make_one_new_version(alice, supervisor, ready, slow_history):
    # given an active plan
    for status in ("agreed", "active"):
        services.plan_transition(actor=alice, plan=fresh(ready), to=status)
    slow_history(plan_services)
    # when
    outcome = at_once(
        lambda: services.plan_revise(actor=alice, plan=fresh(ready), note="Dad is back"),
        lambda: services.plan_revise(actor=supervisor, plan=fresh(ready), note="Mum moved"),
    )
    # then
    revision = outcome.once()
    assert list(Plan.objects.filter(case=ready.case).order_by("version").values_list("version", flat=True)) == [1, 2]
    assert Plan.objects.get(case=ready.case, is_current=True) == revision


def test_a_step_added_as_the_plan_is_agreed_is_agreed_with_it_or_refused(alice, supervisor, ready, slow_history):
    # given the step's history is slow to write, so the agreement happens while the step is being added
    slow_history(step_services)
    goal = ready.goals.get()
    # when
    outcome = at_once(
        lambda: services.step_add(actor=alice, goal=goal, data={"what": "Call Nan", "responsible": "family"}),
        lambda: services.plan_transition(actor=supervisor, plan=fresh(ready), to="agreed"),
    )
    # then the plan is agreed, and what it holds is what was agreed
    assert not outcome.failed, outcome.failed
    plan = fresh(ready)
    assert plan.status == "agreed"
    added = Step.objects.filter(goal=goal, what="Call Nan").exists()
    assert added == (len(outcome.done) == 2)
    stored = plan.agreed_content["steps"]
    assert sorted(s["label"] for s in stored.values()) == sorted(s.what for s in Step.objects.filter(goal=goal))
    assert set(plan_content(plan)["steps"]) == set(stored)


def test_completing_a_step_twice_at_once_records_it_once(alice, supervisor, ready, slow_history):
    # given
    step = Step.objects.get(goal__plan=ready)
    slow_history(step_services)
    # when
    outcome = at_once(
        lambda: services.step_complete(actor=alice, step=Step.objects.get(pk=step.pk), result="Visited on Monday"),
        lambda: services.step_complete(actor=supervisor, step=Step.objects.get(pk=step.pk), result="Visited"),
    )
    # then
    done = outcome.once()
    step.refresh_from_db()
    assert (step.status, step.result) == ("done", done.result)
    assert AuditEvent.objects.filter(event="plan.step.completed", target_id=str(step.pk)).count() == 1


def test_withdrawing_a_deferral_twice_at_once_withdraws_it_once(alice, supervisor, case, slow_history):
    # given a need left for later in a plan based on the case's assessment
    assessment = CompletedAssessmentFactory(case=case, assessed_on=case.opened_on)
    need = NeedFactory(assessment=assessment)
    plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    deferral = services.need_defer(actor=alice, plan=plan, need=need, reason="Mum wants to start in May.")
    slow_history(goal_services)
    # when
    outcome = at_once(
        lambda: services.need_deferral_withdraw(actor=alice, deferral=type(deferral).objects.get(pk=deferral.pk)),
        lambda: services.need_deferral_withdraw(actor=supervisor, deferral=type(deferral).objects.get(pk=deferral.pk)),
    )
    # then both see it withdrawn, and its history says so once
    assert not outcome.failed and len(outcome.done) == 2
    assert AuditEvent.objects.filter(event="plan.need.deferral_withdrawn", target_id=str(deferral.pk)).count() == 1


def test_recording_a_members_view_twice_at_once_keeps_one_row(alice, supervisor, case, slow_history):
    # given a draft plan and a team member not yet asked
    plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    member = TeamMemberFactory(case=case, person=case.participants.first().person)
    slow_history(agreement_services)
    # when alice and her supervisor record Mum's view at the same moment
    outcome = at_once(
        lambda: services.agreement_record(
            actor=alice, plan=fresh(plan), member=member, position="agrees", method="phone"
        ),
        lambda: services.agreement_record(
            actor=supervisor, plan=fresh(plan), member=member, position="disagrees", method="phone", reason="Too fast"
        ),
    )
    # then both are kept in turn (the later one stands), in one row
    assert not outcome.failed and len(outcome.done) == 2
    assert Agreement.objects.filter(plan=plan, member=member).count() == 1

"""A plan's content over many random sequences of edits (hypothesis, stateful).

Whatever a worker adds, changes, agrees, moves on or revises, in whatever order: goals form the plan written
backwards — long-term goals, each with intermediate goals on its own track due no later than it, and steps under
them, none due before it starts; what the team agreed does not change afterwards (a change needs a new version,
which the team agrees afresh); and a refused edit changes nothing.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, TeamMember
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory, TeamMemberFactory
from kinplan.planning import services
from kinplan.planning.models import Agreement, Goal, Plan, PlanTransition, Step
from kinplan.planning.services.content import plan_content

START = datetime.date(2030, 1, 1)
DATES = st.sampled_from([None, 0, 30, 60, 90, 180, -10]).map(
    lambda days: None if days is None else START + datetime.timedelta(days=days)
)
PICK = st.integers(min_value=0, max_value=7)  # which goal or step, among the current plan's
USUAL = {"draft": "agreed", "agreed": "active", "active": "under_review", "under_review": "active"}


def as_stored(content: dict[str, Any]) -> Any:
    """Content as the agreed copy keeps it (JSON)."""
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def world_state(case: Case) -> tuple[int, ...]:
    return (
        Plan.objects.filter(case=case).count(),
        PlanTransition.objects.count(),
        Goal.objects.count(),
        Step.objects.count(),
        Agreement.objects.count(),
        AuditEvent.objects.count(),
    )


def check_content(case: Case) -> None:
    for plan in case.plans.all():
        goals = {g.pk: g for g in plan.goals.all()}
        for goal in goals.values():
            if goal.parent_id is None:
                continue
            parent = goals.get(goal.parent_id)
            assert parent is not None, "an intermediate goal leads to a goal of another plan"
            assert parent.parent_id is None, "an intermediate goal leads to another intermediate goal"
            assert goal.track == parent.track, "an intermediate goal is on another track than its long-term goal"
            if goal.target_date and parent.target_date:
                assert goal.target_date <= parent.target_date, "an intermediate goal is due after its long-term goal"
        for step in Step.objects.filter(goal__plan=plan):
            assert step.goal_id in goals
            assert not (step.starts_on and step.due_on and step.due_on < step.starts_on), "a step due before it starts"
        if plan.agreed_at is not None:
            # what the team agreed is what the plan holds: items may be finished, never added or changed
            agreed, now = plan.agreed_content, as_stored(plan_content(plan))
            assert now["plan"] == agreed["plan"], "an agreed plan's permanency goals changed"
            for kind in ("goals", "steps"):
                for key, item in now[kind].items():
                    assert agreed[kind].get(key) == item, f"an agreed plan's {kind[:-1]} changed or was added"
            required = plan.case.team_members.filter(is_required=True, archived_at__isnull=True)
            agreeing = plan.agreements.filter(position="agrees", member__in=required).count()
            assert agreeing == required.count(), "a plan agreed without everyone required"
    assert case.plans.filter(is_current=True).count() == 1


class ContentMachine(RuleBasedStateMachine):
    """Edits to one case's plan; the test binds `case`, `worker` and `members`."""

    case: Case
    worker: Any
    members: list[TeamMember]

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        services.plan_create(actor=self.worker, case=self.case, data={"permanency_goal": "reunification"})

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    @initialize(opening=st.sampled_from(["empty", "written", "agreed", "active", "revised", "revised twice"]))
    def open_at(self, opening: str) -> None:
        """Runs start from a plan at each stage of its life, so random edits meet written, agreed, active and
        revised plans: a long-term goal due in 90 days, an intermediate goal due in 60 and a step."""
        if opening == "empty":
            return
        due = {"title": "Home", "target_date": START + datetime.timedelta(days=90)}
        goal = services.goal_add(actor=self.worker, plan=self.plan, data=due)
        due = {"title": "House", "target_date": START + datetime.timedelta(days=60)}
        services.goal_add(actor=self.worker, plan=self.plan, parent=goal, data=due)
        data = {"what": "Visit", "responsible": "worker", "responsible_user": self.worker, "starts_on": START}
        services.step_add(actor=self.worker, goal=goal, data=data)
        agreements = {"written": 0, "agreed": 1, "active": 1, "revised": 1, "revised twice": 2}[opening]
        for _ in range(agreements):
            for member in self.members:
                kwargs = {"member": member, "position": "agrees", "method": "video"}
                services.agreement_record(actor=self.worker, plan=self.plan, **kwargs)
            services.plan_transition(actor=self.worker, plan=self.plan, to="agreed")
            if opening != "agreed":
                services.plan_transition(actor=self.worker, plan=self.plan, to="active")
            if opening.startswith("revised"):
                services.plan_revise(actor=self.worker, plan=self.plan)  # a draft again, to change and agree

    @property
    def plan(self) -> Plan:
        return self.case.plans.get(is_current=True)

    def goal(self, pick: int) -> Goal | None:
        goals = list(self.plan.goals.order_by("pk"))
        return goals[pick % len(goals)] if goals else None

    def step(self, pick: int) -> Step | None:
        steps = list(Step.objects.filter(goal__plan=self.plan).order_by("pk"))
        return steps[pick % len(steps)] if steps else None

    def attempt(self, name: str, action: Any, *args: Any, **kwargs: Any) -> None:
        before = world_state(self.case)
        try:
            with transaction.atomic():
                action(*args, **kwargs)
            event(f"{name}: done")
        except (ValidationError, PermissionDenied):
            assert world_state(self.case) == before, f"a refused {name} changed something"

    @rule(track=st.sampled_from(["main", "alternative"]), due_by=DATES)
    def add_long_term_goal(self, track: str, due_by: datetime.date | None) -> None:
        data = {"title": "Home safely", "track": track, "target_date": due_by}
        self.attempt("long-term goal", services.goal_add, actor=self.worker, plan=self.plan, data=data)

    @precondition(lambda self: self.plan.goals.exists())
    @rule(pick=PICK, due_by=DATES, track=st.sampled_from([None, "main", "alternative"]))
    def add_intermediate_goal(self, pick: int, due_by: datetime.date | None, track: str | None) -> None:
        parent = self.goal(pick)
        data = {"title": "Housing first", "target_date": due_by} | ({"track": track} if track else {})
        kwargs = {"actor": self.worker, "plan": self.plan, "data": data, "parent": parent}
        self.attempt("intermediate goal", services.goal_add, **kwargs)

    @precondition(lambda self: self.plan.goals.exists())
    @rule(pick=PICK, due_by=DATES, track=st.sampled_from([None, "main", "alternative"]))
    def change_goal(self, pick: int, due_by: datetime.date | None, track: str | None) -> None:
        goal = self.goal(pick)
        if goal is not None:
            data = {"target_date": due_by} | ({"track": track} if track else {})
            self.attempt("goal change", services.goal_update, actor=self.worker, goal=goal, data=data)

    @precondition(lambda self: self.plan.goals.exists())
    @rule(pick=PICK, starts=DATES, due=DATES)
    def add_step(self, pick: int, starts: datetime.date | None, due: datetime.date | None) -> None:
        goal = self.goal(pick)
        if goal is not None:
            data = {"what": "Visit", "responsible": "worker", "responsible_user": self.worker}
            data |= {"starts_on": starts, "due_on": due}
            self.attempt("step", services.step_add, actor=self.worker, goal=goal, data=data)

    @precondition(lambda self: Step.objects.filter(goal__plan=self.plan).exists())
    @rule(pick=PICK, starts=DATES, due=DATES)
    def change_step(self, pick: int, starts: datetime.date | None, due: datetime.date | None) -> None:
        step = self.step(pick)
        if step is not None:
            data = {"starts_on": starts, "due_on": due, "what": f"Visit on {due}"}
            self.attempt("step change", services.step_update, actor=self.worker, step=step, data=data)

    @precondition(lambda self: Step.objects.filter(goal__plan=self.plan).exists())
    @rule(pick=PICK, progress=st.sampled_from(["complete", "cancel", "discontinue"]))
    def record_progress(self, pick: int, progress: str) -> None:
        step, goal = self.step(pick), self.goal(pick)
        if progress == "complete" and step is not None:
            self.attempt("step done", services.step_complete, actor=self.worker, step=step, result="Went well")
        elif progress == "cancel" and step is not None:
            self.attempt("step cancelled", services.step_cancel, actor=self.worker, step=step, reason="Not needed")
        elif progress == "discontinue" and goal is not None:
            kwargs = {"actor": self.worker, "goal": goal, "status": "discontinued"}
            self.attempt("goal discontinued", services.goal_set_status, **kwargs)

    @rule(who=st.sampled_from([None, None, 0, 1]), position=st.sampled_from(["agrees", "agrees", "disagrees"]))
    def agree(self, who: int | None, position: str) -> None:
        members = self.members if who is None else [self.members[who]]
        for member in members:
            kwargs = {"actor": self.worker, "plan": self.plan, "member": member, "position": position}
            kwargs |= {"method": "phone", "reason": "Too fast" if position == "disagrees" else ""}
            self.attempt("agreement", services.agreement_record, **kwargs)

    @rule(to=st.sampled_from([None] * 8 + Plan.Status.values))
    def move(self, to: str | None) -> None:
        plan = self.plan
        to = to or USUAL.get(plan.status, "closed")
        self.attempt(f"move to {to}", services.plan_transition, actor=self.worker, plan=plan, to=to)

    @rule()
    def revise(self) -> None:
        before = self.plan
        self.attempt("revision", services.plan_revise, actor=self.worker, plan=before)
        if self.plan.pk != before.pk:
            assert not self.plan.agreements.exists(), "a new version starts agreed"
            assert self.plan.agreed_at is None

    @invariant()
    def content_rules_hold(self) -> None:
        check_content(self.case)


@pytest.fixture
def team_case(db) -> tuple[Any, Case, list[TeamMember]]:
    worker = UserFactory()
    case = CaseFactory(worker=worker)
    members = [TeamMemberFactory(case=case, person=ParticipantFactory(case=case).person) for _ in range(2)]
    return worker, case, members


def test_any_sequence_of_edits_keeps_the_plan_written_backwards_and_the_agreement_true(team_case):
    worker, case, members = team_case
    machine = type("Machine", (ContentMachine,), {"case": case, "worker": worker, "members": members})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )

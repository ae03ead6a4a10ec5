"""Invariants of the plan workflow over many random sequences of actions (hypothesis).

Whatever a team does, in whatever order: a case has at most one current plan; every status change
follows the table and is logged; nothing reaches "agreed" without every required member agreeing;
and a refused action changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import TeamMember
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory, TeamMemberFactory
from kinplan.planning import services
from kinplan.planning.models import ALLOWED_TRANSITIONS, Agreement, Goal, Plan, PlanTransition, Step

# Runs start from a plan at each stage of its life, so random tails explore agreed, active and revised plans.
OPENINGS = st.sampled_from(
    [
        [],
        [("goal", None), ("agree_all", None)],
        [("goal", None), ("agree_all", None), ("advance", None)],
        [("goal", None), ("agree_all", None), ("advance", None), ("advance", None)],
        [("goal", None), ("agree_all", None), ("advance", None), ("advance", None), ("revise", None)],
    ]
)
TAILS = st.lists(
    st.one_of(
        st.tuples(st.just("transition"), st.sampled_from(Plan.Status.values)),
        st.tuples(st.just("revise"), st.none()),
        st.tuples(st.just("agree"), st.tuples(st.integers(0, 2), st.sampled_from(Agreement.Position.values))),
        st.tuples(st.just("agree_all"), st.none()),
        st.tuples(st.just("advance"), st.none()),
        st.tuples(st.just("advance"), st.none()),
        st.tuples(st.just("goal"), st.none()),
        st.tuples(st.just("step"), st.none()),
        st.tuples(st.just("complete"), st.sampled_from(["", "Done: went well"])),
    ),
    max_size=16,
)
ACTIONS = st.tuples(OPENINGS, TAILS).map(lambda parts: parts[0] + parts[1])


def world_state() -> tuple[int, ...]:
    return (
        Plan.objects.count(),
        PlanTransition.objects.count(),
        Goal.objects.count(),
        Step.objects.filter(status="done").count(),
        Agreement.objects.count(),
        AuditEvent.objects.count(),
    )


class TestPlanWorkflowInvariants(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(actions=ACTIONS)
    def test_any_sequence_of_actions_keeps_the_plan_rules(self, actions):
        worker = UserFactory()
        case = CaseFactory(worker=worker)
        members = [TeamMemberFactory(case=case, person=ParticipantFactory(case=case).person) for _ in range(3)]
        services.plan_create(actor=worker, case=case, data={"permanency_goal": "reunification"})
        for name, arg in actions:
            plan = case.plans.get(is_current=True)
            before = world_state()
            try:
                self.act(worker, plan, members, name, arg)
            except ValidationError:
                assert world_state() == before, f"a refused {name} changed something"
            self.check_invariants(case)
        event(f"reached {sorted({p.status for p in case.plans.all()})}")

    @staticmethod
    def act(worker, plan: Plan, members: list[TeamMember], name: str, arg) -> None:
        if name == "transition":
            services.plan_transition(actor=worker, plan=plan, to=arg)
        elif name == "revise":
            services.plan_revise(actor=worker, plan=plan)
        elif name == "agree":
            index, position = arg
            method = "" if position == "not_asked" else "phone"
            reason = "Needs more time" if position == "disagrees" else ""
            services.agreement_record(
                actor=worker, plan=plan, member=members[index], position=position, method=method, reason=reason
            )
        elif name == "advance":  # the usual next move, so long runs reach agreed, active, review and revision
            usual = {"draft": "agreed", "agreed": "active", "active": "under_review", "under_review": "active"}
            services.plan_transition(actor=worker, plan=plan, to=usual.get(plan.status, "closed"))
        elif name == "agree_all":
            for member in members:
                services.agreement_record(actor=worker, plan=plan, member=member, position="agrees", method="video")
        elif name == "goal":
            services.goal_add(actor=worker, plan=plan, data={"title": "Children home safely"})
        elif name == "step":
            goal = plan.goals.first()
            if goal is None:
                raise ValidationError("no goal yet")
            services.step_add(
                actor=worker, goal=goal, data={"what": "Visit", "responsible": "worker", "responsible_user": worker}
            )
        elif name == "complete":
            step = Step.objects.filter(goal__plan=plan, status="planned").first()
            if step is None:
                raise ValidationError("no open step")
            services.step_complete(actor=worker, step=step, result=arg)

    @staticmethod
    def check_invariants(case) -> None:
        plans = list(case.plans.order_by("version"))
        assert sum(p.is_current for p in plans) == 1
        assert [p.version for p in plans] == list(range(1, len(plans) + 1))
        for plan in plans:
            status = Plan.Status.DRAFT
            for move in plan.transitions.order_by("at", "id"):
                assert move.from_status == status
                assert move.to_status in ALLOWED_TRANSITIONS[status]
                status = move.to_status
                if move.to_status == Plan.Status.AGREED:
                    assert plan.agreed_at is not None
            assert status == plan.status
            if plan.agreed_at is not None and plan.status != Plan.Status.DRAFT:
                required = plan.case.team_members.filter(is_required=True, archived_at__isnull=True)
                agreeing = plan.agreements.filter(position="agrees", member__in=required).count()
                assert agreeing == required.count(), "an agreed plan lacks someone's agreement"
        assert not Step.objects.filter(status="done", result="").exists()

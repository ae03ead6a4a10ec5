"""Each role's dashboard: what it counts, what it links to, what it never shows, and a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinplan.assessments.tests.factories import CompletedAssessmentFactory
from kinplan.cases.tests.factories import CaseFactory, TeamMemberFactory
from kinplan.dashboards import selectors
from kinplan.permanent_care import services as pc
from kinplan.permanent_care.models import SupportArrangement, SupportItem
from kinplan.permanent_care.tests.conftest import family, staff  # noqa: F401  (fixtures)
from kinplan.permanent_care.tests.factories import arrangement_at
from kinplan.permanent_care.tests.test_waiting import climb_to
from kinplan.planning.models import Agreement, Step
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

S = SupportArrangement.Status
TODAY = timezone.localdate()
HOME = reverse("home")


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def plan_with_steps(case, *due_in_days: int, status: str = Step.Status.PLANNED):
    plan = PlanFactory(case=case, starts_on=days(-60))
    goal = GoalFactory(plan=plan)
    for n in due_in_days:
        StepFactory(goal=goal, due_on=days(n), status=status, what=f"Step due in {n} days")
    return plan


class TestWorker:
    def test_counts_her_caseload_the_week_ahead_what_is_overdue_and_plans_awaiting_agreement(self, client, alice, bob):
        # given: alice's plan has steps due today, in six days (this week), in seven days (next week), one
        # overdue and one overdue but done; bob's overdue step is not hers
        case = CaseFactory(worker=alice)
        plan = plan_with_steps(case, 0, 6, 7, -3)
        StepFactory(
            goal=plan.goals.get(), due_on=days(-5), status=Step.Status.DONE, result="Done", completed_on=days(-5)
        )
        plan_with_steps(CaseFactory(worker=bob), -1)
        mum, nan = TeamMemberFactory(case=case, is_required=True), TeamMemberFactory(case=case, is_required=True)
        Agreement.objects.create(plan=plan, member=mum, position="agrees", method="in_person", recorded_by=alice)
        Agreement.objects.create(
            plan=plan, member=nan, position="disagrees", method="phone", reason="Too soon", recorded_by=alice
        )
        client.force_login(alice)
        # when
        response = client.get(HOME)
        # then
        work = response.context["my_work"]
        assert (work.open_cases, work.overdue) == (1, 1)
        assert [s.due_on for s in work.due_this_week] == [days(0), days(6)]
        assert [bar.bar.value for bar in work.due_by_day.bars] == [1, 0, 0, 0, 0, 0, 1]
        assert [(p.members_agreeing, p.members_required) for p in work.awaiting_agreement] == [(1, 2)]
        page = response.content.decode()
        assert "1 of 2 required members agree" in page
        assert "Step due in 6 days" in page and "Step due in 7 days" not in page
        assert '<svg class="bar-chart"' in page

    def test_an_empty_caseload_says_what_comes_next(self, client, alice):
        client.force_login(alice)
        page = client.get(HOME).content.decode()
        assert "Nothing is due in the next seven days." in page
        assert "No draft plans." in page

    def test_the_number_of_queries_does_not_grow_with_the_caseload(self, client, alice):
        def queries() -> int:
            client.get(HOME)  # warm the session and caches
            with CaptureQueriesContext(connection) as captured:
                assert client.get(HOME).status_code == 200
            return len(captured)

        client.force_login(alice)
        plan_with_steps(CaseFactory(worker=alice), 1, -2)
        few = queries()
        for _ in range(4):
            plan_with_steps(CaseFactory(worker=alice), 0, 2, -1, -4)
        assert queries() == few


class TestSupervisor:
    def test_sees_each_workers_load_overdue_work_and_the_teams_risk_levels(self, client, supervisor, alice, bob):
        # given
        alices = CaseFactory(worker=alice)
        plan_with_steps(alices, -2, -9, 3)
        CompletedAssessmentFactory(case=alices, overall_risk="high")
        plan_with_steps(CaseFactory(worker=bob), 5)
        CaseFactory(worker=bob)
        client.force_login(supervisor)
        # when
        team = client.get(HOME).context["team"]
        # then
        assert [(r.worker, r.open_cases, r.overdue) for r in team.rows] == [(alice, 1, 2), (bob, 2, 0)]
        assert dict((level, n) for level, _label, n in team.risk) == {
            "critical": 0,
            "high": 1,
            "medium": 0,
            "low": 0,
            "": 2,
        }

    def test_a_workers_overdue_link_lists_only_that_workers_steps(self, client, supervisor, alice, bob):
        plan_with_steps(CaseFactory(worker=alice), -2)
        plan_with_steps(CaseFactory(worker=bob), -3)
        client.force_login(supervisor)
        row = next(r for r in client.get(HOME).context["team"].rows if r.worker == alice)
        # when
        response = client.get(row.overdue_url)
        # then
        steps = list(response.context["page"].object_list)
        assert [s.goal.plan.case.worker for s in steps] == [alice]
        assert f"Showing {alice}'s cases only." in response.content.decode()

    def test_another_teams_workers_and_cases_are_not_counted(self, client, supervisor, alice, other_team_supervisor):
        plan_with_steps(CaseFactory(worker=alice), -2)
        client.force_login(other_team_supervisor)
        team = client.get(HOME).context["team"]
        assert team.rows == []
        assert "No social workers or open cases yet." in client.get(HOME).content.decode()

    def test_a_supervisor_who_carries_no_cases_sees_no_empty_my_work(self, client, supervisor):
        client.force_login(supervisor)
        assert client.get(HOME).context["panels"] == ["team"]


class TestManagers:
    def test_awaiting_approval_and_the_escalation_ladder_step(self, client, staff, family):  # noqa: F811
        # given: one plan awaiting approval, then not approved and taken to step 3 of the ladder
        arrangement = arrangement_at(S.NOT_APPROVED, family, staff)
        climb_to(staff, arrangement, 3)
        for manager in (staff.site_manager, staff.support_manager):
            client.force_login(manager)
            # when
            approvals = client.get(HOME).context["approvals"]
            # then
            assert approvals.awaiting == []
            [escalation] = approvals.escalations
            assert (escalation.arrangement, escalation.rung, escalation.held_by) == (arrangement, 3, "Supervisor")
            assert [d.bar.value for d in approvals.by_rung.bars] == [0, 0, 1, 0, 0, 0]

    def test_a_plan_awaiting_approval_is_listed_with_when_it_was_submitted(self, client, staff, family):  # noqa: F811
        arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
        client.force_login(staff.support_manager)
        [(listed, since)] = client.get(HOME).context["approvals"].awaiting
        assert listed == arrangement
        assert since is not None and since.date() == timezone.now().date()

    def test_spend_against_the_approved_costs(self, client, staff, family):  # noqa: F811
        # given: a plan in place whose support-service items were approved, with one purchase recorded
        arrangement = arrangement_at(S.IN_PLACE, family, staff)
        item = SupportItem.objects.filter(
            objective__arrangement=arrangement, funder=SupportItem.Funder.SUPPORT_SERVICE
        ).first()
        assert item is not None and item.cost
        pc.purchase_record(
            actor=staff.support_manager,
            arrangement=arrangement,
            item=item,
            data={
                "quantity": Decimal(2),
                "unit": "session",
                "cost": item.cost + Decimal(100),
                "period_start": TODAY,
                "period_end": days(200),
            },
        )
        client.force_login(staff.support_manager)
        # when
        response = client.get(HOME)
        # then
        approvals = response.context["approvals"]
        [row] = approvals.spend
        assert (row.approved, row.committed) == (item.cost, item.cost + Decimal(100))
        assert row.over_approved
        assert approvals.spend_chart.bars[0].bar.kind == "over"
        assert "over the approved cost" in response.content.decode()

    def test_a_site_manager_elsewhere_sees_none_of_it(self, client, staff, family, other_site_manager):  # noqa: F811
        arrangement_at(S.AWAITING_APPROVAL, family, staff)
        client.force_login(other_site_manager)
        approvals = client.get(HOME).context["approvals"]
        assert (approvals.awaiting, approvals.escalations, approvals.spend) == ([], [], [])


class TestNationalManager:
    def test_determinations_waiting_are_the_escalations_at_the_last_step(self, client, staff, family):  # noqa: F811
        arrangement = arrangement_at(S.NOT_APPROVED, family, staff)
        client.force_login(staff.national_manager)
        assert client.get(HOME).context["determinations"].waiting == []
        # when the managers could not resolve it at step 5
        climb_to(staff, arrangement, 6)
        determinations = client.get(HOME).context["determinations"]
        # then
        assert [e.arrangement for e in determinations.waiting] == [arrangement]
        assert determinations.waiting[0].held_by == "National manager"


def test_the_administrator_manages_the_system_and_sees_no_dashboard(client, administrator):
    client.force_login(administrator)
    assert client.get(HOME).url == reverse("admin:index")


def test_someone_not_signed_in_is_asked_to(client, db):
    assert client.get(HOME).url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "role, panels",
    [
        ("social_worker", ["my_work"]),
        ("site_manager", ["approvals", "team"]),
        ("support_manager", ["approvals"]),
        ("support_caseworker", ["my_work"]),
        ("national_manager", ["determinations"]),
    ],
)
def test_each_role_has_its_panels(role, panels):
    assert selectors.PANELS[role] == panels


@pytest.mark.parametrize("worker", ["abc", "-1", "999999", ""])
def test_a_tampered_worker_link_lists_the_whole_team(client, supervisor, alice, worker):
    plan_with_steps(CaseFactory(worker=alice), -2)
    client.force_login(supervisor)
    response = client.get(reverse("planning:overdue"), {"tab": "team", "worker": worker})
    assert response.status_code == 200
    assert response.context["worker"] is None
    assert len(response.context["page"].object_list) == 1

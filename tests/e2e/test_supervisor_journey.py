"""A supervisor finds her team's overdue work, in a real browser: her dashboard shows each worker's overdue steps and
leads to one worker's; the Overdue list from the main navigation has both workers' overdue steps oldest first and
how many days each is overdue; the plan of the oldest one has that step flagged."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import TEST_PASSWORD, SiteFactory, TeamFactory, UserFactory
from kinplan.cases.models import Case
from kinplan.cases.tests.factories import CaseFactory, PersonFactory
from kinplan.planning.models import Plan, Step
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@dataclass
class Team:
    supervisor: User
    tui: User
    ana: User
    oldest: Step  # Tui's, 21 days overdue


def plan_for(worker: User, name: str, child: str, *steps: tuple[str, int, Step.Status]) -> Case:
    """An open case of `worker`'s with an active plan: one goal and `steps` (what, due in days from today, status)."""
    given, family = child.split()
    case = CaseFactory(
        worker=worker, name=name, opened_on=ago(120), child=PersonFactory(given_name=given, family_name=family)
    )
    plan = PlanFactory(case=case, status=Plan.Status.ACTIVE, starts_on=ago(90), agreed_at=timezone.now())
    goal = GoalFactory(plan=plan, title=f"{family} family goal")
    for what, due_in, status in steps:
        due_on = TODAY + datetime.timedelta(days=due_in)
        done = {"result": "Done with the family.", "completed_on": due_on} if status == Step.Status.DONE else {}
        StepFactory(goal=goal, what=what, due_on=due_on, status=status, **done)
    return case


@pytest.fixture
def team(transactional_db) -> Team:
    """Sam supervises Tui and Ana: three overdue steps between them, and work that is not overdue or not theirs."""
    east = TeamFactory(site=SiteFactory(name="Wellington"), name="East")
    supervisor = UserFactory(
        username="sam.sup", first_name="Sam", last_name="Rangi", role=User.Role.SUPERVISOR, team=east
    )
    tui = UserFactory(username="tui.sw", first_name="Tui", last_name="Walker", team=east)
    ana = UserFactory(username="ana.sw", first_name="Ana", last_name="Lee", team=east)
    P, D = Step.Status.PLANNED, Step.Status.DONE
    plan_for(
        tui,
        "Ngata whānau",
        "Tāmati Ngata",
        ("Apply for emergency housing", -21, P),
        ("Start the budgeting course", -3, Step.Status.IN_PROGRESS),
        ("Enrol Tāmati at kōhanga", 5, P),  # due soon, not overdue
        ("Book the GP check", -30, D),  # done: never overdue
    )
    plan_for(ana, "Smith family", "Aroha Smith", ("Meet the school counsellor", -9, P), ("Visit the marae", 14, P))
    # Another team's overdue work: not Sam's to see here.
    west = TeamFactory(site=east.site, name="West")
    plan_for(UserFactory(team=west), "Brown family", "Liam Brown", ("Someone else's overdue step", -40, P))
    oldest = Step.objects.get(what="Apply for emergency housing")
    return Team(supervisor, tui, ana, oldest)


def test_a_supervisor_finds_her_teams_overdue_steps_and_opens_the_oldest(
    live_server, page: Page, screenshot, login, team: Team
):
    login(team.supervisor.username, TEST_PASSWORD)

    # Her dashboard: the team's workload by worker, the most overdue first, and a chart of it.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kia ora, Sam")
    workload = page.get_by_role("table", name="Open cases and overdue steps by worker")
    rows = workload.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Tui Walker")
    expect(rows.nth(0)).to_contain_text("2 overdue steps")
    expect(rows.nth(1)).to_contain_text("Ana Lee")
    expect(rows.nth(1)).to_contain_text("1 overdue step")
    chart = page.locator("figure.chart").filter(has_text="Overdue steps by worker")
    expect(chart.locator("svg.bar-chart rect.bar-overdue")).to_have_count(2)
    screenshot("dashboard")

    # Tui's overdue steps, from the dashboard: only hers.
    rows.nth(0).get_by_role("link", name="2 overdue steps").click()
    page.wait_for_url(re.compile(rf"/overdue/\?tab=team&worker={team.tui.pk}$"))
    expect(page.get_by_text("Showing Tui Walker's cases only.")).to_be_visible()
    expect(page.locator("table.overdue-list tbody tr")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("Meet the school counsellor")
    screenshot("tuis-overdue")

    # The Overdue list, from the main navigation: the team's, oldest first, with how overdue each is.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Overdue").click()
    page.wait_for_url(re.compile(r"/overdue/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My team's overdue steps")
    tabs = page.get_by_role("navigation", name="Whose steps")
    expect(tabs.get_by_role("link", name="My team")).to_have_attribute("aria-current", "page")
    rows = page.locator("table.overdue-list tbody tr")
    expect(rows).to_have_count(3)
    expected = [
        ("Apply for emergency housing", "Ngata whānau", "Tāmati Ngata", "21 days overdue", "Tui Walker"),
        ("Meet the school counsellor", "Smith family", "Aroha Smith", "9 days overdue", "Ana Lee"),
        ("Start the budgeting course", "Ngata whānau", "Tāmati Ngata", "3 days overdue", "Tui Walker"),
    ]
    for row, (what, case, child, overdue, worker) in zip(rows.all(), expected, strict=True):
        expect(row).to_contain_text(what)
        expect(row).to_contain_text(case)
        expect(row).to_contain_text(child)
        expect(row.locator(".overdue-text")).to_have_text(overdue)
        expect(row.get_by_role("cell").last).to_have_text(worker)
    main = page.locator("main")
    for never in ("Enrol Tāmati at kōhanga", "Book the GP check", "Visit the marae", "Someone else's overdue step"):
        expect(main).not_to_contain_text(never)
    screenshot("team-overdue")

    # Her own cases: she holds none, so nothing of hers is overdue.
    tabs.get_by_role("link", name="My cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My overdue steps")
    expect(page.locator("table.overdue-list")).to_have_count(0)
    expect(main).to_contain_text("No overdue steps.")
    tabs.get_by_role("link", name="My team").click()
    expect(rows).to_have_count(3)

    # The oldest overdue step opens on its plan, flagged overdue.
    rows.first.get_by_role("link", name="Ngata whānau").click()
    page.wait_for_url(re.compile(rf"/cases/{team.oldest.goal.plan.case_id}/plan/#step-{team.oldest.pk}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Service plan")
    step = page.locator(f"#step-{team.oldest.pk}")
    expect(step).to_have_class(re.compile(r"\bis-overdue\b"))
    expect(step).to_contain_text("Apply for emergency housing")
    expect(step.locator(".badge.overdue")).to_have_text("Overdue 21 days")
    glance = page.locator(".glance .stat.alert")
    expect(glance.get_by_role("link", name="Apply for emergency housing")).to_be_visible()
    expect(glance).to_contain_text("21 days overdue")
    expect(glance).to_contain_text("3 days overdue")
    not_overdue = page.locator("li.step").filter(has_text="Enrol Tāmati at kōhanga")
    expect(not_overdue).not_to_have_class(re.compile(r"\bis-overdue\b"))
    expect(not_overdue.locator(".badge.overdue")).to_have_count(0)
    screenshot("oldest-overdue-step")

"""The core paths with JavaScript turned off: htmx never runs, so every small edit is a plain form post that
reloads the page. Search before creating a case, add a step under a goal, record a team member's agreement and
mark a step done with its result."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.cases import services as cases
from kinplan.cases.models import Case, Participant
from kinplan.planning import services as planning
from kinplan.planning.models import Agreement, Goal, Plan, Step
from tests.e2e.conftest import open_page
from tests.e2e.support import PASSWORD, assessed_ngata_case, label

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """As the shared `page`, in a browser context with JavaScript disabled."""
    with open_page(browser, request, java_script_enabled=False) as page:
        yield page


def htmx_requests(page: Page) -> list[str]:
    """Collect the URLs of requests htmx makes on `page` (none, when JavaScript is really off)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if request.headers.get("hx-request") else None)
    return seen


@pytest.fixture
def draft_plan(worker) -> Plan:
    """Tāmati's draft plan: Mum in the team, a completed assessment, a long-term goal and no steps yet."""
    case, need = assessed_ngata_case(worker)
    plan = planning.plan_create(actor=worker, case=case, data={"permanency_goal": "reunification"})
    planning.goal_add(
        actor=worker,
        plan=plan,
        data={"title": "A safe, stable home", "target_date": TODAY + datetime.timedelta(days=90)},
        needs=[need],
    )
    return plan


def test_without_javascript_a_worker_opens_a_case_by_searching_first(
    live_server, page: Page, screenshot, login, worker
):
    cases.case_create(
        actor=worker, name="Parata whānau", child_details={"given_name": "Aroha", "family_name": "Parata"}
    )
    htmx = htmx_requests(page)
    login(worker.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/new/")
    search = page.get_by_role("search")

    # The search is a plain GET of the same page, with the results in it.
    search.get_by_label("Name").fill("aroha")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/cases/new/\?q=aroha"))
    results = page.locator("#search-results")
    expect(results.get_by_role("cell", name="Aroha Parata")).to_be_visible()
    expect(page.get_by_role("search").get_by_label("Name")).to_have_value("aroha")

    page.get_by_role("search").get_by_label("Name").fill("Wiremu Tane")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/cases/new/\?q=Wiremu"))
    expect(page.locator("#search-results")).to_contain_text("Nobody you can see matches.")
    screenshot("search-no-match")

    child = page.get_by_role("region", name=re.compile(r"^2\. The .+'s details$"))
    child.get_by_label(label("Given name")).fill("Wiremu")
    child.get_by_label(label("Family name")).fill("Tane")
    page.get_by_role("region", name="3. The case").get_by_label(label("Name")).fill("Tane whānau")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(name="Tane whānau")
    expect(page.locator(".messages")).to_contain_text(f"Case {case.reference} opened.")
    expect(
        page.get_by_role("region", name="Child", exact=True).get_by_role("heading", name="Wiremu Tane")
    ).to_be_visible()
    screenshot("case-opened")
    assert case.participants.get(role=Participant.Role.CHILD).person.full_name == "Wiremu Tane"
    assert htmx == [], "htmx ran: JavaScript was not off"


def test_without_javascript_a_worker_adds_a_step_records_agreement_and_marks_it_done(
    live_server, page: Page, screenshot, login, worker, draft_plan
):
    case = draft_plan.case
    plan_url = f"{live_server.url}/cases/{case.pk}/plan/"
    htmx = htmx_requests(page)
    login(worker.username, PASSWORD)
    page.goto(plan_url)
    goal = Goal.objects.get(plan=draft_plan)

    # "+ Add a step" opens the step form on a page of its own; saving it goes back to the plan.
    page.locator("article.goal.long-term").get_by_role("link", name="+ Add a step").click()
    page.wait_for_url(re.compile(rf"/plan/goals/{goal.pk}/steps/new/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add a step towards “A safe, stable home”")
    page.get_by_label(label("Kind of step")).select_option(label="Form or application")
    page.get_by_label(label("What exactly")).fill("Apply to Work and Income for emergency housing")
    page.get_by_label(label("Who is responsible")).select_option(label="A family member")
    page.get_by_label("A person in the case").select_option(label="Hine Ngata")
    page.get_by_label(label("Due")).fill((TODAY + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Does it cost money?").select_option(label="No")
    page.get_by_label("Instructions for the family, in plain words").fill("Bring your ID and the tenancy notice.")
    page.get_by_role("button", name="Save").click()
    step = Step.objects.get(goal=goal)
    page.wait_for_url(f"{plan_url}#step-{step.pk}")
    expect(page.locator(".messages")).to_contain_text("Step “Apply to Work and Income for emergency housing” added.")
    row = page.locator(f"#step-{step.pk}")
    expect(row).to_contain_text("Hine Ngata")
    expect(row).to_contain_text("Bring your ID and the tenancy notice.")
    screenshot("step-added")

    # Hine's view: the form in the <details> posts and the plan comes back with it recorded.
    hine = page.locator(".agreement-row").filter(has_text="Hine Ngata")
    hine.get_by_text("Record their view").click()
    hine.get_by_label(label("Their position")).select_option(label="Agrees")
    hine.get_by_label("How they gave it").select_option(label="In person")
    hine.get_by_role("button", name="Save their view").click()
    page.wait_for_url(f"{plan_url}#agreement")
    expect(page.locator(".messages")).to_contain_text("Hine Ngata's view is recorded.")
    expect(page.locator(".agreement-row").filter(has_text="Hine Ngata").locator(".agreement-position")).to_contain_text(
        "Agrees"
    )
    screenshot("agreement-recorded")
    page.get_by_role("button", name="Mark as agreed").click()
    expect(page.locator(".plan-meta .badge")).to_have_text("Agreed")
    page.get_by_role("button", name="Make active").click()
    expect(page.locator(".plan-meta .badge")).to_have_text("Active")

    # "Mark done" is a page with the result form; posting it goes back to the plan, showing the result.
    page.locator(f"#step-{step.pk}").get_by_role("link", name="Mark done").click()
    page.wait_for_url(re.compile(rf"/plan/steps/{step.pk}/done/$"))
    page.get_by_label("Result: what happened").fill("Emergency housing granted for 12 weeks.")
    page.get_by_role("button", name="Mark done").click()
    page.wait_for_url(f"{plan_url}#step-{step.pk}")
    expect(page.locator(".messages")).to_contain_text("Step done; its result is recorded.")
    done = page.locator(f"#step-{step.pk}")
    expect(done).to_have_class(re.compile(r"\bstep-done\b"))
    expect(done).to_contain_text("Emergency housing granted for 12 weeks.")
    expect(page.locator(".glance")).to_contain_text("1 of 1 step done")
    screenshot("step-done")

    step.refresh_from_db()
    assert (step.status, step.result, step.completed_on) == (
        Step.Status.DONE,
        "Emergency housing granted for 12 weeks.",
        TODAY,
    )
    assert draft_plan.agreements.get(member__person__given_name="Hine").position == Agreement.Position.AGREES
    assert htmx == [], "htmx ran: JavaScript was not off"

"""A worker writes a service plan backwards with the family, in a real browser: goal, intermediate goal,
a step added in place, the team's agreement, and the step's result recorded in place."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.cases.models import Case
from tests.e2e.support import PASSWORD, assessed_ngata_case, label

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()


@pytest.fixture
def assessed_case(worker) -> Case:
    """Tāmati's case: Mum in the team, and a completed assessment that found a housing need."""
    return assessed_ngata_case(worker)[0]


def test_a_worker_writes_a_plan_backwards_and_records_agreement_and_progress(
    live_server, page: Page, screenshot, login, worker, assessed_case
):
    login(worker.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/{assessed_case.pk}/")

    # She starts the plan: reunification, with kinship care as the concurrent alternative.
    page.get_by_role("link", name="Start the plan").click()
    page.get_by_label(label("Permanency goal")).select_option(label="Reunification with parent(s)")
    page.get_by_label("Alternative permanency goal").select_option(label="Permanent care with whānau / kin")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Service plan")
    expect(page.get_by_role("heading", name="Not yet addressed")).to_be_visible()
    screenshot("new-plan")

    # Backwards: the long-term goal first, answering the need the assessment found...
    page.get_by_role("link", name="Add a goal for it").click()
    expect(page.get_by_label(label("Goal"))).to_have_value("A safe, stable home")
    page.get_by_label("Target date").fill((TODAY + datetime.timedelta(days=180)).isoformat())
    page.get_by_role("button", name="Save").click()
    long_term = page.locator("article.goal.long-term")
    expect(long_term.get_by_role("heading", name="A safe, stable home")).to_be_visible()

    # ...then the intermediate goal on the way there...
    long_term.get_by_role("link", name="+ Add an intermediate goal").click()
    page.get_by_label(label("Goal")).fill("Emergency housing before the notice ends")
    page.get_by_label("Target date").fill((TODAY + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save").click()
    intermediate = page.locator("article.goal.intermediate")
    expect(intermediate.get_by_role("heading", name="Emergency housing before the notice ends")).to_be_visible()

    # ...then a step, added in place without leaving the page.
    page.evaluate("window.__samePage = true")
    intermediate.get_by_role("link", name="+ Add a step").click()
    form = intermediate.locator("form.step-form")
    form.get_by_label(label("Kind of step")).select_option(label="Form or application")
    form.get_by_label(label("What exactly")).fill("Apply to Work and Income for emergency housing")
    form.get_by_label(label("Who is responsible")).select_option(label="A family member")
    form.get_by_label("A person in the case").select_option(label="Hine Ngata")
    form.get_by_label(label("Due")).fill((TODAY + datetime.timedelta(days=7)).isoformat())
    form.get_by_label("Does it cost money?").select_option(label="No")
    form.get_by_label("Instructions for the family, in plain words").fill("Bring your ID and the tenancy notice.")
    form.get_by_role("button", name="Add the step").click()
    step = intermediate.locator("li.step").filter(has_text="Apply to Work and Income for emergency housing")
    expect(step).to_be_visible()
    expect(step).to_contain_text("Hine Ngata")
    expect(step).to_contain_text("Bring your ID and the tenancy notice.")
    expect(step.locator(".good-test")).to_have_count(0)
    assert page.evaluate("window.__samePage") is True, "adding the step reloaded the page"
    screenshot("goals-and-step")

    # The team agrees: Hine's view is recorded in place, then the plan is agreed and made active.
    row = page.locator(".agreement-row").filter(has_text="Hine Ngata")
    row.get_by_text("Record their view").click()
    row.get_by_label(label("Their position")).select_option(label="Agrees")
    row.get_by_label("How they gave it").select_option(label="In person")
    row.get_by_role("button", name="Save their view").click()
    expect(page.locator(".agreement-row").filter(has_text="Hine Ngata")).to_contain_text("Agrees")
    page.get_by_role("button", name="Mark as agreed").click()
    expect(page.locator(".plan-meta")).to_contain_text("Agreed")
    page.get_by_role("button", name="Make active").click()
    expect(page.locator(".plan-meta .badge")).to_have_text("Active")

    # Progress: the step's result is recorded in place.
    step = page.locator("li.step").filter(has_text="Apply to Work and Income for emergency housing")
    page.evaluate("window.__samePage = true")
    step.get_by_role("link", name="Mark done").click()
    step.get_by_label("Result: what happened").fill("Emergency housing granted for 12 weeks.")
    step.get_by_role("button", name="Mark done").click()
    done = page.locator("li.step.step-done")
    expect(done).to_contain_text("Emergency housing granted for 12 weeks.")
    assert page.evaluate("window.__samePage") is True, "recording the result reloaded the page"
    screenshot("step-done")

    # The caseload shows the plan's progress.
    page.get_by_role("link", name="Caseload").click()
    row = page.get_by_role("row").filter(has_text="Ngata whānau")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("1 of 1 steps done")
    screenshot("caseload")
    assert re.search(r"/caseload/$", page.url)

"""A social worker's whole journey with a new family, in a real browser: search before creating the case, the
family and its Child and Family Team, the assessment, the plan written backwards from its goal, the team's
agreement and a referral to a provider from the directory."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.assessments.models import Assessment
from kinplan.cases import services as cases
from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.planning.models import Agreement, Plan, Step
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory
from kinplan.referrals.models import Referral
from tests.e2e.support import PASSWORD, label

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()


def days(n: int) -> str:
    return (TODAY + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def known_child(worker) -> Case:
    """Another family Tui already works with: its child is the match the search must find."""
    return cases.case_create(
        actor=worker,
        name="Parata whānau",
        child_details={"given_name": "Aroha", "family_name": "Parata", "date_of_birth": datetime.date(2017, 8, 9)},
    )


@pytest.fixture
def provider(transactional_db) -> ProviderService:
    """A provider in the directory with one service: parenting support at home, six sessions at $60."""
    # Earlier browser tests flush the database, the catalogue a migration seeded included.
    ServiceType.objects.get_or_create(
        code="in_home", defaults={"name": "In-home services", "category": ServiceType.Category.FAMILY_PRESERVATION}
    )
    return ProviderServiceFactory(
        provider=ProviderFactory(name="Te Whare Tiaki", kind=Provider.Kind.IWI, area_served="Wellington"),
        name="Parenting support at home",
        unit=ProviderService.Unit.SESSION,
        unit_cost=Decimal("60.00"),
    )


def test_a_worker_opens_a_case_assesses_plans_backwards_gets_agreement_and_refers(
    live_server, page: Page, screenshot, login, worker, known_child, provider
):
    login(worker.username, PASSWORD)

    # --- New case: search before creating ---------------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a new case")
    search = page.get_by_role("search")
    results = page.locator("#search-results")

    # A child Tui already knows is found, whatever the case of the letters typed...
    search.get_by_label("Name").fill("aroha parata")
    search.get_by_role("button", name="Search").click()
    expect(results.get_by_role("cell", name="Aroha Parata")).to_be_visible()
    expect(results.get_by_role("link", name=re.compile(r"^Open a case for this"))).to_have_count(1)

    # ...but the child she came for is new to Kinplan.
    search.get_by_label("Name").fill("Wiremu Tane")
    search.get_by_role("button", name="Search").click()
    expect(results).to_contain_text("Nobody you can see matches.")
    expect(results.get_by_role("cell")).to_have_count(0)
    screenshot("search-before-create")

    child = page.get_by_role("region", name=re.compile(r"^2\. The .+'s details$"))
    child.get_by_label(label("Given name")).fill("Wiremu")
    child.get_by_label(label("Family name")).fill("Tane")
    child.get_by_label(label("Date of birth")).fill("2020-02-14")
    details = page.get_by_role("region", name="3. The case")
    details.get_by_label(label("Name")).fill("Tane whānau")
    details.get_by_label(label("Allocated social worker")).select_option(label="Tui Walker")
    details.get_by_label(label("Summary")).fill("The school is worried: Wiremu often arrives hungry.")
    page.get_by_role("button", name="Open the case").click()

    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(name="Tane whānau")
    case_url = f"{live_server.url}/cases/{case.pk}/"
    expect(page.locator(".messages")).to_contain_text(f"Case {case.reference} opened.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tane whānau")
    expect(
        page.get_by_role("region", name="Child", exact=True).get_by_role("heading", name="Wiremu Tane")
    ).to_be_visible()
    screenshot("new-case")

    # --- The family and the Child and Family Team -------------------------------------------------------------
    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("search").get_by_label("Name").fill("Mere Tane")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.locator("#search-results")).to_contain_text("Nobody you can see matches.")
    page.get_by_label(label("Role")).select_option(label="Parent")
    their = page.get_by_role("region", name="Their details")
    their.get_by_label(label("Given name")).fill("Mere")
    their.get_by_label(label("Family name")).fill("Tane")
    page.get_by_role("button", name="Add to the case").click()
    page.wait_for_url(case_url)
    people = page.get_by_role("region", name="People in the case")
    expect(people.get_by_role("row").filter(has_text="Mere Tane")).to_contain_text("Parent")

    page.get_by_role("link", name="Add a team member").click()
    page.get_by_label(label("Role")).select_option(label="Parent")
    page.get_by_label("A person in the case").select_option(label="Mere Tane")
    expect(page.get_by_label("Their agreement is required")).to_be_checked()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(case_url)
    team = page.get_by_role("region", name="Child and Family Team")
    expect(team.get_by_role("row").filter(has_text="Mere Tane")).to_contain_text("Yes")

    # --- The assessment ---------------------------------------------------------------------------------------
    page.get_by_role("link", name="Start an assessment").click()
    expect(page.get_by_label(label("Date of the assessment"))).to_have_value(TODAY.isoformat())
    page.get_by_role("button", name="Start the draft").click()
    # The draft opens on the interview: what Tui learned with the family.
    expect(page.locator(".messages")).to_contain_text("Draft assessment started.")
    page.get_by_label("Strengths").fill("Mere walks Wiremu to school every day; his nan lives nearby.")
    page.get_by_label("The current situation").fill("Mere and Wiremu rent a flat; Mere's benefit has stopped.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".page-head .badge")).to_have_text("Draft")

    page.get_by_role("link", name="Rate a risk factor").click()
    page.get_by_label(label("Risk factor")).select_option(label="Income")
    page.get_by_label(label("Rating")).select_option(label="High")
    page.get_by_label(label("Evidence for the rating")).fill("Mere's benefit stopped in March; the pantry is empty.")
    page.get_by_role("button", name="Save").click()
    factors = page.get_by_role("region", name="Risk factors")
    expect(factors.get_by_role("row").filter(has_text="Income")).to_contain_text("High")

    page.get_by_role("link", name="Add a need").click()
    page.get_by_label(label("Need")).fill("Enough food every day")
    page.get_by_label(label("Under risk factor")).select_option(label="Income: High")
    page.get_by_role("button", name="Save").click()
    needs = page.get_by_role("region", name="Needs", exact=True)
    expect(needs.get_by_role("row").filter(has_text="Enough food every day")).to_contain_text("Income")

    page.locator(".page-head").get_by_role("link", name="Edit").click()
    page.get_by_label(label("Overall risk level")).select_option(label="Medium")
    page.get_by_label(label("Safety decision")).select_option(label="Safe with a safety plan")
    page.get_by_label(label("Reasoning for the risk level and safety decision")).fill(
        "Mere is loving and willing; the risk is the empty pantry, which a plan can fix."
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Complete the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Complete the assessment of")
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.locator(".page-head .badge")).to_have_text("Completed")
    expect(page.get_by_text("This assessment is completed and read-only.")).to_be_visible()
    risk = page.get_by_role("region", name="Risk and safety")
    expect(risk).to_contain_text("Medium")
    expect(risk).to_contain_text("Safe with a safety plan")
    screenshot("assessment-completed")

    # --- The plan, written backwards from the goal -----------------------------------------------------------
    page.goto(case_url)
    page.get_by_role("link", name="Start the plan").click()
    page.get_by_label(label("Permanency goal")).select_option(label="Remain safely at home")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Service plan")
    unaddressed = page.locator(".coverage-col.unaddressed")
    expect(unaddressed).to_contain_text("Enough food every day")

    # The long-term goal first, answering the need the assessment found...
    unaddressed.get_by_role("link", name="Add a goal for it").click()
    expect(page.get_by_label(label("Goal"))).to_have_value("Enough food every day")
    page.get_by_label(label("Goal")).fill("Wiremu eats well every day")
    page.get_by_label("Target date").fill(days(180))
    page.get_by_role("button", name="Save").click()
    long_term = page.locator("article.goal.long-term")
    expect(long_term.get_by_role("heading", name="Wiremu eats well every day")).to_be_visible()
    expect(long_term).to_contain_text("Answers: Enough food every day")
    expect(page.locator(".coverage-col.addressed")).to_contain_text("Enough food every day")

    # ...then the intermediate goal on the way there...
    long_term.get_by_role("link", name="+ Add an intermediate goal").click()
    page.get_by_label(label("Goal")).fill("Mere's income restored")
    page.get_by_label("Target date").fill(days(45))
    page.get_by_role("button", name="Save").click()
    intermediate = page.locator("article.goal.intermediate")
    expect(intermediate.get_by_role("heading", name="Mere's income restored")).to_be_visible()

    # ...then a step under it, added in place: who, when, how much, the cost and what the family does.
    page.evaluate("window.__kinplanMarker = 1")
    intermediate.get_by_role("link", name="+ Add a step").click()
    form = intermediate.locator("form.step-form")
    form.get_by_label(label("Kind of step")).select_option(label="Appointment")
    form.get_by_label(label("What exactly")).fill("Meet a Work and Income case manager about the benefit")
    form.get_by_label(label("Who is responsible")).select_option(label="A family member")
    form.get_by_label("A person in the case").select_option(label="Mere Tane")
    form.get_by_label(label("Due")).fill(days(10))
    form.get_by_label("How many / how much").fill("1")
    form.get_by_label("Unit").fill("appointment")
    form.get_by_label("Does it cost money?").select_option(label="Yes")
    form.get_by_label("Cost (NZ$)").fill("25")
    form.get_by_label("Who pays").select_option(label="The site")
    form.get_by_label("Instructions for the family, in plain words").fill(
        "Bring your bank statements; we pay the taxi both ways."
    )
    form.get_by_role("button", name="Add the step").click()
    step = intermediate.locator("li.step").filter(has_text="Meet a Work and Income case manager about the benefit")
    expect(step).to_be_visible()
    expect(step).to_contain_text("Mere Tane")
    expect(step).to_contain_text("$25")
    expect(step).to_contain_text("paid by the site")
    expect(step).to_contain_text("Bring your bank statements; we pay the taxi both ways.")
    expect(step.locator(".good-test")).to_have_count(0)
    expect(intermediate.locator("form.step-form")).to_have_count(0)
    assert page.evaluate("window.__kinplanMarker") == 1, "adding the step reloaded the page"
    # The figures at a glance and the goals' progress count the new step without a reload.
    glance = page.get_by_role("region", name="At a glance")
    expect(glance).to_contain_text("0 of 1 step done")
    expect(glance).to_contain_text("$25")
    expect(intermediate.locator(".goal-progress").first).to_contain_text("0 of 1 step done")
    expect(intermediate.locator("li.no-steps")).to_be_hidden()
    screenshot("plan-written-backwards")

    # --- The team's agreement ---------------------------------------------------------------------------------
    agreement = page.get_by_role("region", name="Agreement of the Child and Family Team")
    rows = agreement.locator(".agreement-row")
    required = rows.filter(has_not_text="agreement not required")
    expect(required).to_have_count(1)
    page.evaluate("window.__kinplanMarker = 2")
    for index in range(required.count()):
        row = required.nth(index)
        name = row.locator(".agreement-who strong").inner_text()
        row.get_by_text("Record their view").click()
        row.get_by_label(label("Their position")).select_option(label="Agrees")
        row.get_by_label("How they gave it").select_option(label="In person")
        row.get_by_role("button", name="Save their view").click()
        saved = agreement.locator(".agreement-row").filter(has_text=name)
        expect(saved.locator(".agreement-position")).to_contain_text("Agrees")
        expect(saved.get_by_role("status")).to_have_text("Saved.")
    assert page.evaluate("window.__kinplanMarker") == 2, "recording agreement reloaded the page"
    screenshot("agreement-recorded")
    page.get_by_role("button", name="Mark as agreed").click()
    expect(page.locator(".plan-meta .badge")).to_have_text("Agreed")
    expect(page.locator(".plan-meta")).to_contain_text("Agreed")
    screenshot("plan-agreed")

    # --- A referral to a provider from the directory -----------------------------------------------------------
    page.goto(case_url)
    page.get_by_role("link", name="Refer someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer someone")
    page.get_by_label("Who are you referring?").select_option(label="Mere Tane")
    page.get_by_label("Parenting support at home").check()
    page.get_by_label("Why are you referring them?").fill("Help with budgeting and meals while the benefit is sorted.")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/referrals/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mere Tane")
    expect(page.locator("main")).to_contain_text("Te Whare Tiaki")
    screenshot("referral-drafted")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    row = page.get_by_role("row").filter(has_text="Mere Tane")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Tane whānau")
    expect(row).to_contain_text("Te Whare Tiaki")
    expect(row).to_contain_text("Parenting support at home")
    expect(row).to_contain_text("Drafted")
    screenshot("referrals-list")

    # --- What was recorded --------------------------------------------------------------------------------------
    case.refresh_from_db()
    assert case.worker == worker
    mere = case.participants.get(role=Participant.Role.PARENT).person
    assert mere.full_name == "Mere Tane"
    assert TeamMember.objects.filter(case=case, person=mere, is_required=True).exists()
    assessment = Assessment.objects.get(case=case)
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.overall_risk == "medium"
    plan = Plan.objects.get(case=case, is_current=True)
    assert plan.status == Plan.Status.AGREED
    step = Step.objects.get(goal__plan=plan)
    assert step.goal.parent.title == "Wiremu eats well every day"
    assert (step.responsible_person, step.cost, step.funder) == (mere, Decimal("25.00"), Step.Funder.SITE)
    assert plan.agreements.get(member__person=mere).position == Agreement.Position.AGREES
    referral = Referral.objects.get(case=case)
    assert (referral.person, referral.provider_service) == (mere, provider)
    assert referral.status == Referral.Status.DRAFTED

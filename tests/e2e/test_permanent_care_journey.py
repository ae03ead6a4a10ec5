"""A permanent care support plan in a real browser: the support-service manager does not approve it, the social
worker takes the first step of the escalation ladder, both managers approve, the orders are discharged, the plan
is sent to the support service and its caseworker opens the acknowledgement letter and records it sent."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import Staff, arrangement_at, discharge, family_for_permanent_care
from kinplan.providers.models import ServiceType
from tests.e2e.support import label

pytestmark = pytest.mark.e2e
S = SupportArrangement.Status


@pytest.fixture
def staff(
    transactional_db,
    alice,
    supervisor,
    site_manager,
    support_caseworker,
    support_manager,
    national_manager,
    support_service,
) -> Staff:
    return Staff(
        alice, supervisor, site_manager, support_caseworker, support_manager, national_manager, support_service
    )


def test_a_refused_plan_climbs_the_ladder_is_approved_and_handed_over(
    live_server, page: Page, screenshot, login, staff
):
    # Earlier browser tests flush the database, the catalogue a migration seeded included.
    ServiceType.objects.get_or_create(
        code="in_home", defaults={"name": "In-home services", "category": ServiceType.Category.FAMILY_PRESERVATION}
    )
    family = family_for_permanent_care(staff.worker)
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    plan_url = f"{live_server.url}/cases/{family.case.pk}/permanent-care/{arrangement.pk}/"

    def sign_in_as(user) -> None:  # type: ignore[no-untyped-def]
        if page.get_by_role("button", name="Log out").count():
            page.get_by_role("button", name="Log out").click()
        login(user.username, TEST_PASSWORD)

    # The support-service manager finds the plan waiting for her on her dashboard, and does not approve it.
    sign_in_as(staff.support_manager)
    expect(page.get_by_role("heading", name="Waiting for you in permanent care")).to_be_visible()
    expect(page.get_by_text("Approve the plan's content and costs")).to_be_visible()
    awaiting = page.get_by_role("region", name="Permanent care support plans")
    expect(awaiting.get_by_role("table").first).to_contain_text(family.child.full_name)  # under "Awaiting approval"
    screenshot("waiting-for-the-support-manager")
    awaiting.get_by_role("link", name=family.child.full_name).first.click()
    page.wait_for_url(plan_url)
    page.get_by_label("Not approved").check()
    page.get_by_label(label("Comment")).fill("Ten counselling sessions is more than the first year needs.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Not approved — escalation").first).to_be_visible()
    screenshot("not-approved")

    # The social worker consults the allocated caseworker: step 1 of the ladder resolves it unchanged.
    sign_in_as(staff.worker)
    page.goto(plan_url)
    step_one = page.locator("li.is-next")
    expect(step_one).to_contain_text("Consult the allocated caseworker")
    step_one.get_by_label(label("Held on")).fill(timezone.localdate().isoformat())
    step_one.get_by_label(label("How")).select_option(label="Phone")
    step_one.get_by_label("Resolved — plan returns for approval unchanged").check()
    step_one.get_by_label(label("Summary")).fill("The caseworker explained the sessions end with the school term.")
    step_one.get_by_role("button", name="Record this step").click()
    expect(page.get_by_text("Awaiting approval").first).to_be_visible()
    screenshot("ladder-step-one-resolved")

    # Both managers decide again: the site manager signs off, the support-service manager approves.
    for manager in (staff.site_manager, staff.support_manager):
        sign_in_as(manager)
        page.goto(plan_url)
        page.get_by_label("Approved", exact=True).check()
        page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Approved — waiting for discharge").first).to_be_visible()
    screenshot("approved")

    # The court discharges the chief executive's orders; the social worker sends the plan.
    discharge(family, staff)
    sign_in_as(staff.worker)
    page.goto(plan_url)
    page.get_by_role("button", name="Send to the support service").click()
    expect(page.get_by_text("Sent to the support service").first).to_be_visible()

    # The caseworker opens the acknowledgement letter and records that it went to the caregiver.
    sign_in_as(staff.caseworker)
    page.goto(plan_url)
    letter = page.get_by_role("link", name="The acknowledgement letter (PDF)")
    response = page.request.get(live_server.url + letter.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    page.get_by_label(label("Sent on")).fill(timezone.localdate().isoformat())
    page.get_by_label(label("How")).last.select_option(label="By post")
    page.get_by_role("button", name="Record it").last.click()
    expect(page.get_by_text("In place — administered by the support service").first).to_be_visible()
    screenshot("in-place")
    arrangement.refresh_from_db()
    assert arrangement.status == S.IN_PLACE

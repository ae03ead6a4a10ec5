"""A social worker's first minutes in Kinplan, in a real browser against the live server."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from kinplan.cases import services
from kinplan.cases.models import Case
from tests.e2e.support import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def ngata_case(worker) -> Case:
    """Tui's case for Tāmati Ngata, opened through the service so its history is recorded."""
    return services.case_create(
        actor=worker,
        name="Ngata whānau",
        child_details={"given_name": "Tāmati", "family_name": "Ngata", "date_of_birth": datetime.date(2019, 4, 2)},
        summary="Referred by the school about attendance.",
    )


def test_social_worker_logs_in_and_opens_a_case(live_server, page: Page, screenshot, worker, ngata_case):
    # The front door sends an anonymous visitor to the login form.
    page.goto(live_server.url + "/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Log in to Kinplan")).to_be_visible()
    shots = [screenshot("login")]

    page.get_by_label("Username").fill(worker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Logged in, she lands on her dashboard; her caseload lists the case with the child's name.
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kia ora, Tui")
    expect(page.get_by_role("link", name="1 open case")).to_be_visible()
    shots.append(screenshot("dashboard"))
    page.get_by_role("link", name="1 open case").click()
    page.wait_for_url(re.compile(r"/caseload/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    row = page.get_by_role("row").filter(has_text="Tāmati Ngata")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="Ngata whānau")).to_be_visible()
    expect(row).to_contain_text(ngata_case.reference)
    shots.append(screenshot("caseload"))

    # Opening the case shows the child and the history of what was recorded.
    row.get_by_role("link", name="Ngata whānau").click()
    page.wait_for_url(re.compile(rf"/cases/{ngata_case.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ngata whānau")
    children = page.get_by_role("region", name="Child", exact=True)
    expect(children.get_by_role("heading", name="Tāmati Ngata")).to_be_visible()
    expect(children).to_contain_text("2 Apr 2019")
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("heading", name="History")).to_be_visible()
    expect(history.get_by_role("row").filter(has_text="case.created")).to_have_count(1)
    expect(history).to_contain_text("Tui Walker")
    shots.append(screenshot("case"))

    for path in shots:
        assert path.is_file(), path
        assert path.stat().st_size > 0, path


def test_search_before_create_finds_name_without_macron(live_server, page: Page, screenshot, login, worker, ngata_case):
    services.case_create(
        actor=worker, name="Smith family", child_details={"given_name": "Aroha", "family_name": "Smith"}
    )
    login(worker.username, PASSWORD)
    page.goto(live_server.url + "/cases/new/")
    expect(page.get_by_role("heading", name="1. Is the child already known?")).to_be_visible()
    # A marker that survives only if the page is not reloaded.
    page.evaluate("window.__kinplanSamePage = true")

    search = page.get_by_role("search")
    search.get_by_label("Name").fill("tamati")
    with page.expect_response(lambda response: "/people/search/" in response.url) as searched:
        search.get_by_role("button", name="Search").click()
    assert searched.value.ok
    assert searched.value.request.headers.get("hx-request") == "true"

    results = page.locator("#search-results")
    expect(results.get_by_role("cell", name="Tāmati Ngata")).to_be_visible()
    expect(results).not_to_contain_text("Aroha Smith")
    expect(results.get_by_role("link", name="Open a case for this child")).to_have_count(1)
    assert page.evaluate("window.__kinplanSamePage") is True, "the search reloaded the page"
    assert page.url == live_server.url + "/cases/new/"
    path = screenshot("search-results")
    assert path.is_file() and path.stat().st_size > 0

    # Choosing the match carries the child into the new-case form.
    results.get_by_role("link", name="Open a case for this child").click()
    page.wait_for_url(re.compile(r"/cases/new/\?child=\d+$"))
    expect(page.get_by_text("The case will centre on")).to_contain_text("Tāmati Ngata")

"""The strict Content Security Policy in a real browser: the main pages, htmx's requests and swaps, the print
button and the API docs work, with no policy violation, no console error and no request to another host."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from kinplan.accounts.tests.factories import UserFactory
from kinplan.cases import services as cases
from kinplan.cases.models import Case
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory
from tests.e2e.support import PASSWORD

pytestmark = pytest.mark.e2e


# Added by the test, not the app: records every violation the browser reports, and stands in for the print
# dialog (which a headless browser cannot show) so the print button can be seen to work.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber);
});
window.__printed = 0;
window.print = function () { window.__printed += 1; };
"""


@dataclass
class Watcher:
    """What went wrong in the browser while the test ran."""

    origin: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_request(self, request) -> None:
        if not request.url.startswith((self.origin, "data:")):
            self.foreign.append(request.url)

    def check(self, page: Page) -> None:
        violations = page.evaluate("window.__violations || []")
        assert violations == [], f"{page.url}: {violations}"
        assert self.errors == [], f"{page.url}: {self.errors}"
        assert self.foreign == [], f"{page.url} asked another host: {self.foreign}"


@pytest.fixture
def watched(page: Page, live_server) -> Iterator[Watcher]:
    watcher = Watcher(origin=live_server.url)
    page.add_init_script(WATCH)
    page.on("console", watcher.on_console)
    page.on("pageerror", lambda error: watcher.errors.append(f"page error: {error}"))
    page.on("request", watcher.on_request)
    yield watcher


@pytest.fixture
def planned_case(worker) -> Case:
    """Tui's case with a service plan: a goal and a step."""
    case = cases.case_create(
        actor=worker,
        name="Ngata whānau",
        child_details={"given_name": "Tāmati", "family_name": "Ngata", "date_of_birth": datetime.date(2019, 4, 2)},
    )
    plan = PlanFactory(case=case, created_by=worker)
    StepFactory(goal=GoalFactory(plan=plan, title="A safe, stable home"), what="Visit the budget advisor")
    cases.case_create(
        actor=worker,
        name="Parata family",
        child_details={"given_name": "Aroha", "family_name": "Parata", "date_of_birth": datetime.date(2017, 8, 9)},
    )
    return case


def test_the_main_pages_and_htmx_work_under_the_policy(live_server, page: Page, watched, login, worker, planned_case):
    # The sign-in page, the dashboard with its SVG charts, then the caseload (each page also loads the
    # notifications badge through htmx).
    page.goto(f"{live_server.url}/accounts/login/")
    watched.check(page)
    login(worker.username, PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kia ora")
    page.wait_for_load_state("networkidle")
    watched.check(page)
    page.goto(f"{live_server.url}/caseload/")
    expect(page.get_by_role("row").filter(has_text="Tāmati Ngata")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    watched.check(page)

    # htmx: typing in the search swaps in the matching rows.
    with page.expect_response(lambda response: "/caseload/?" in response.url):
        page.get_by_label("Find a case").fill("Parata")
    expect(page.get_by_role("row").filter(has_text="Tāmati Ngata")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Aroha Parata")).to_have_count(1)
    watched.check(page)

    # The case, its plan and the plan's timeline, whose print button is wired up by kinplan.js.
    for path in (f"/cases/{planned_case.pk}/", f"/cases/{planned_case.pk}/plan/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
        watched.check(page)
    page.goto(f"{live_server.url}/cases/{planned_case.pk}/plan/timeline/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    watched.check(page)


def test_the_page_styles_apply_though_no_inline_style_is_allowed(live_server, page: Page, watched, login, worker):
    login(worker.username, PASSWORD)
    # kinplan.css (a file) styles the top bar: its background is the brand colour, not the browser's default.
    background = page.eval_on_selector(".topbar", "element => getComputedStyle(element).backgroundColor")
    assert background == "rgb(31, 95, 91)"
    watched.check(page)


def test_the_api_docs_render_from_kinplans_own_files(live_server, page: Page, watched, login, worker):
    # given
    login(worker.username, PASSWORD)
    # when
    page.goto(f"{live_server.url}/api/v1/docs")
    # then Swagger UI has read the schema (large: give it time) and lists the operations, loading nothing from
    # another host
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", level=1, name=re.compile("Kinplan API"))).to_be_visible()
    page.locator(".opblock-summary").first.click()
    page.wait_for_load_state("networkidle")
    watched.check(page)


@pytest.fixture
def administrator(transactional_db):
    user = UserFactory(username="admin.ana", role="administrator", team=None, site=None)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_admin_works_under_the_same_policy(live_server, page: Page, watched, login, administrator, worker):
    # Django's admin pages have no icon link, so the browser asks for /favicon.ico; that 404 is not the policy's.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    login(administrator.username, PASSWORD)
    page.goto(f"{live_server.url}/manage/")
    expect(page.get_by_role("link", name="Users", exact=True)).to_be_visible()
    watched.check(page)

    # The users list: actions.js counts the rows chosen with the select-all box.
    page.goto(f"{live_server.url}/manage/accounts/user/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("2 of 2 selected")
    watched.check(page)

    # A user's page, with the admin's scripts for its widgets.
    page.goto(f"{live_server.url}/manage/accounts/user/{worker.pk}/change/")
    expect(page.get_by_label("Username")).to_have_value(worker.username)
    page.wait_for_load_state("networkidle")
    watched.check(page)

"""Layout on a phone and a 10-inch tablet, and print (issue 9).

On each main page, at a phone's size (390×844) and a tablet's in both orientations (800×1280, 1280×800): nothing makes
the page scroll sideways, and a screenshot of each is kept under test-artifacts/ to look at. On a phone the top
bar's links fold behind "Menu", a <details> that opens without script and shows them. In print media the top bar
and the buttons are hidden and the plan's goals and steps are shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.cases.tests.factories import CaseFactory
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import arrangement_at, family_for_permanent_care
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory
from kinplan.providers.models import ServiceType
from kinplan.referrals.tests.factories import ConsentFactory, ReferralFactory
from tests.e2e.support import staff_at

pytestmark = pytest.mark.e2e
Role = User.Role

SIZES = {"phone": (390, 844), "tablet-portrait": (800, 1280), "tablet-landscape": (1280, 800)}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@dataclass
class World:
    worker: User
    pages: dict[str, str]


def make_world() -> World:
    """A worker's caseload with a case that has a plan (goals, steps, one overdue with a long name), a referral, an
    assessment and a permanent care arrangement in place."""
    # The service types a migration seeds are flushed by the transactional test before: the family needs this one.
    ServiceType.objects.get_or_create(
        code="in_home", defaults={"name": "In-home services", "category": ServiceType.Category.FAMILY_PRESERVATION}
    )
    staff = staff_at("Te Whanganui-a-Tara Wellington", "Whānau Care East")
    family = family_for_permanent_care(staff.worker)
    case = family.case
    for name in ["Parata whānau", "Wolfeschlegelsteinhausenbergerdorff family"]:
        CaseFactory(worker=staff.worker, name=name)
    today = timezone.localdate()
    plan = PlanFactory(case=case, created_by=staff.worker, starts_on=today)
    safe = GoalFactory(plan=plan, title="Aroha is safe and settled with Nan")
    later = GoalFactory(plan=plan, title="Aroha knows her whānau and marae", parent=safe)
    StepFactory(
        goal=safe,
        what="Visit the budget advisor at Ngā Kaitiaki o te Pūtea Whakawhanaungatanga",
        due_on=today - datetime.timedelta(days=5),
    )
    StepFactory(goal=later, what="Marae visit with Uncle Rawiri", due_on=today + datetime.timedelta(days=30))
    referral = ReferralFactory(case=case, person=family.caregiver)
    ConsentFactory(referral=referral)
    arrangement = arrangement_at(SupportArrangement.Status.IN_PLACE, family, staff)
    assessment = family.needs[0].assessment
    pk = case.pk
    pages = {
        "dashboard": "/",
        "caseload": "/caseload/",
        "case": f"/cases/{pk}/",
        "plan": f"/cases/{pk}/plan/",
        "timeline": f"/cases/{pk}/plan/timeline/",
        "overdue": "/overdue/",
        "referrals": "/referrals/",
        "directory": "/providers/?q=&service=&area=&culture=",
        "permanent-care": f"/cases/{pk}/permanent-care/{arrangement.pk}/",
        "assessment": f"/cases/{pk}/assessments/{assessment.pk}/",
    }
    return World(worker=staff.worker, pages=pages)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("size", list(SIZES))
def test_no_main_page_scrolls_sideways(page: Page, live_server, screenshot, size):
    # given
    world = make_world()
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, world.worker.username)
    wide = []
    for name, path in world.pages.items():
        # when
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("header.topbar")).to_be_attached()  # not the error page
        screenshot(f"{size}-{name}")
        # then
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            wide.append(f"{name} ({path}): {scroll}px wide in a {inner}px window")
    assert not wide, f"pages that scroll sideways at {size}:\n" + "\n".join(wide)


def test_on_a_phone_the_links_fold_behind_menu_which_opens_without_script(browser, live_server, request):
    world = make_world()
    # no script at all: the disclosure is a <details>, which the browser opens itself
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, world.worker.username)
        page.goto(live_server.url + "/caseload/")
        nav = page.get_by_role("navigation", name="Main")
        menu = page.locator("summary", has_text="Menu")
        # then: folded, the content comes first
        expect(menu).to_be_visible()
        expect(nav.get_by_role("link", name="Caseload")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
        # when: opened with the keyboard
        menu.focus()
        page.keyboard.press("Enter")
        # then
        for name in ["Caseload", "Overdue", "Referrals", "Permanent care", "Services", "New case"]:
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        path = artifact_path(request, "phone-menu-open.png")
        page.screenshot(path=str(path))
        # and a link in it works
        nav.get_by_role("link", name="Overdue").click()
        page.wait_for_url("**/overdue/")
    finally:
        context.close()


def test_on_a_wide_screen_the_links_show_without_menu(page: Page, live_server):
    world = make_world()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, world.worker.username)
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Overdue")).to_be_visible()


def test_a_printed_plan_shows_its_goals_and_steps_without_navigation_or_buttons(page: Page, live_server, request):
    world = make_world()
    sign_in(page, live_server.url, world.worker.username)
    page.goto(live_server.url + world.pages["plan"])
    expect(page.get_by_role("link", name="+ Add a step").first).to_be_visible()
    # when
    page.emulate_media(media="print")
    # then: the record, not the tools
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    visible_buttons = page.locator("main button:visible, main .button:visible, main form:visible, main select:visible")
    assert visible_buttons.count() == 0, visible_buttons.first.evaluate("el => el.outerHTML")
    expect(page.get_by_role("heading", name="Service plan")).to_be_visible()
    expect(page.get_by_role("heading", name="Aroha is safe and settled with Nan")).to_be_visible()
    expect(page.get_by_role("heading", name="Aroha knows her whānau and marae")).to_be_visible()
    expect(page.locator(".step", has_text="Marae visit with Uncle Rawiri")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.step')).breakInside") == "avoid"
    page.pdf(path=str(artifact_path(request, "plan.pdf")), format="A4")
    for name in ["case", "permanent-care"]:
        page.goto(live_server.url + world.pages[name])
        expect(page.locator("header.topbar")).to_be_hidden()
        page.pdf(path=str(artifact_path(request, f"{name}.pdf")), format="A4")


def artifact_path(request: pytest.FixtureRequest, filename: str):
    from tests.e2e.conftest import _artifact_dir

    folder = _artifact_dir(request)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / filename

"""WCAG 2.2 AA in a real browser: axe-core scans every main page, signed in as the role that uses it and with
realistic data on it, and finds nothing serious or critical; the keyboard reaches the content first; and a form's
error is tied to its field, so a screen reader reads it with the field.

axe-core comes from the npm registry (tests/e2e/package.json; scripts/test.sh installs it). It is evaluated in
the page through the DevTools protocol (page.evaluate) rather than added with page.add_script_tag: that adds an
inline <script>, which the site's Content Security Policy refuses ("script-src 'self'"). Evaluating it leaves the
policy on, so no context needs bypass_csp=True and axe sees the page exactly as a user does (bypassing the policy
would also let through inline styles it otherwise blocks, and change what is scanned).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.cases import services as cases
from kinplan.cases.models import Case
from kinplan.cases.tests.factories import CaseFactory
from kinplan.court.services.conditions import condition_add
from kinplan.court.tests.factories import CourtOrderFactory, HearingFactory
from kinplan.meetings.tests.factories import HeldMeetingFactory, MeetingActionFactory, MeetingParticipantFactory
from kinplan.notes.services import note_create
from kinplan.notifications.models import Notification
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import Family, Staff, arrangement_at, family_for_permanent_care
from kinplan.planning.models import Step
from kinplan.planning.services import agreement_record
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory
from kinplan.privacy import services as privacy
from kinplan.providers.models import ServiceType
from kinplan.referrals.tests.factories import ConsentFactory, ReferralFactory
from tests.e2e.support import staff_at

pytestmark = pytest.mark.e2e
Role = User.Role
S = SupportArrangement.Status

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


# --- the scan ----------------------------------------------------------------------------------------------


def axe_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.x A/AA rules on the page as it stands; returns its violations."""
    page.wait_for_load_state("networkidle")  # the htmx parts that load themselves (the notifications badge)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_AA
    )


def describe(violations: list[dict[str, Any]]) -> str:
    """Each violation with what to fix: the rule, its help, and every offending element."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:300]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(v["nodes"]) > 10:
            lines.append(f"    …and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


# axe leaves a reference to a missing element for a person to review ("needs review", not a violation); here it
# is plainly wrong: the field's help or error is not read with it.
DANGLING_REFERENCES = """() => {
  const found = [];
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) found.push(`${attr}="${id}" on ${el.outerHTML.slice(0, 200)}`);
      }
    }
  }
  return found;
}"""


def assert_accessible(page: Page, axe_source: str) -> None:
    violations = axe_violations(page, axe_source)
    dangling = page.evaluate(DANGLING_REFERENCES)
    assert not dangling, f"{page.url}: ARIA references to elements that are not on the page\n" + "\n".join(dangling)
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:  # reported, not failed: shown with -s, and with the failure when there is one
        print(f"\n{page.url}: moderate or minor\n{describe(others)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{page.url}: serious or critical accessibility violations\n{describe(blocking)}"


# --- the data: built on demand, so each page's test makes only what it shows ------------------------------


class World:
    """Staff at one site and the support service, and the Ngata whānau's case with everything a page can show.
    The browser tests run in transactional tests (the live server), which flush the database after each one, so
    the data cannot be shared across the module: each part is made the first time a page asks for it."""

    @cached_property
    def staff(self) -> Staff:
        return staff_at("Porirua", "Whānau East")

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self.staff, role)

    @cached_property
    def family(self) -> Family:
        # Earlier browser tests flush the database, the catalogue a migration seeded included.
        ServiceType.objects.get_or_create(
            code="in_home",
            defaults={"name": "In-home services", "category": ServiceType.Category.FAMILY_PRESERVATION},
        )
        family = family_for_permanent_care(self.staff.worker)
        # Other cases on the caseloads: one of Tui's, and one of a colleague's in her team.
        CaseFactory(worker=self.staff.worker, name="Parata family")
        CaseFactory(worker=UserFactory(team=self.staff.worker.team), name="Smith family")
        return family

    @property
    def case(self) -> Case:
        return self.family.case

    @cached_property
    def plan(self):  # type: ignore[no-untyped-def]
        """A draft plan: two goals, steps in every state the list shows, one overdue; the team's views asked."""
        plan = PlanFactory(case=self.case, created_by=self.staff.worker, starts_on=timezone.localdate())
        today = timezone.localdate()
        safe = GoalFactory(plan=plan, title="Aroha is safe and settled with Nan")
        whanau = GoalFactory(plan=plan, title="Aroha knows her whānau and marae")
        safe.needs.add(self.family.needs[0])
        whanau.needs.add(self.family.needs[1])
        StepFactory(goal=safe, what="Visit the budget advisor", due_on=today - datetime.timedelta(days=5))
        StepFactory(
            goal=safe, what="Counselling sessions", due_on=today + datetime.timedelta(days=30), status="in_progress"
        )
        StepFactory(
            goal=whanau,
            what="Marae visit with Uncle Rawiri",
            responsible=Step.Responsible.FAMILY,
            responsible_user=None,
            responsible_person=self.family.caregiver,
            due_on=today + datetime.timedelta(days=60),
        )
        member = self.family.members[0]
        agreement_record(actor=self.staff.worker, plan=plan, member=member, position="agrees", method="in_person")
        return plan

    @cached_property
    def referral(self):  # type: ignore[no-untyped-def]
        referral = ReferralFactory(case=self.case, person=self.family.caregiver)
        ConsentFactory(referral=referral)
        return referral

    @cached_property
    def meeting(self):  # type: ignore[no-untyped-def]
        meeting = HeldMeetingFactory(case=self.case, created_by=self.staff.worker)
        MeetingParticipantFactory(meeting=meeting, name="", person=self.family.caregiver, role="caregiver")
        MeetingParticipantFactory(meeting=meeting, name="", user=self.staff.worker, role="social_worker")
        MeetingActionFactory(meeting=meeting, what="Book the counselling", who_name="Te Whare Awhina")
        return meeting

    @cached_property
    def order(self):  # type: ignore[no-untyped-def]
        order = CourtOrderFactory(case=self.case, child=self.family.child, created_by=self.staff.worker)
        condition_add(actor=self.staff.worker, order=order, text="Aroha lives with her grandmother.")  # audited
        HearingFactory(case=self.case, created_by=self.staff.worker)
        return order

    @cached_property
    def note(self):  # type: ignore[no-untyped-def]
        """Notes written through the service, so each has its history."""
        worker = self.staff.worker
        note_create(actor=worker, case=self.case, text="Visited Nan; Aroha showed me her room.", kind="home_visit")
        return note_create(actor=worker, case=self.case, text="Phoned the school.", about=self.family.child)

    def arrangement(self, status: str) -> SupportArrangement:
        return arrangement_at(status, self.family, self.staff)

    @cached_property
    def notifications(self) -> None:
        for n, title in enumerate(["A step is overdue: Visit the budget advisor", "The plan's review is due"]):
            Notification.objects.create(
                recipient=self.staff.worker,
                kind="step_overdue",
                key=f"a11y-{n}",
                title=title,
                url=f"/cases/{self.case.pk}/plan/",
                case=self.case,
                read_at=timezone.now() if n else None,
            )

    @cached_property
    def restricted(self) -> Case:
        hidden = CaseFactory(worker=self.staff.worker, name="Hēnare whānau")
        cases.case_restriction_set(
            actor=self.staff.supervisor, case=hidden, restricted=True, reason="A staff member's relative."
        )
        return hidden

    @cached_property
    def erasure(self):  # type: ignore[no-untyped-def]
        closed = CaseFactory(
            worker=self.staff.worker,
            name="Old family",
            status=Case.Status.CLOSED,
            opened_on=datetime.date(2018, 1, 1),
            closed_on=datetime.date(2019, 1, 1),
        )
        return privacy.erasure_request_create(
            actor=self.staff.site_manager, case=closed, reason="Closed six years ago; nothing open."
        )


@pytest.fixture
def world(transactional_db) -> World:
    return World()


def sign_in(page: Page, live_server, user: User) -> None:
    """A session made on the server and handed to the browser: the login form has its own tests."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


# --- the pages ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    role: str
    path: Callable[[World], str]
    then: Callable[[Page, World], None] | None = None


def submit_empty(page: Page, _world: World) -> None:
    """Submit the page's main form as it stands, past the browser's own checks, so the server's errors show."""
    form = page.locator("main form[method=post]").last
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("button[type=submit], button:not([type])").last.click()


def failed_login(page: Page, _world: World) -> None:
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()


def person_edit_with_errors(page: Page, world: World) -> None:
    page.locator("input[name$=given_name]").fill("")
    submit_empty(page, world)


def _case(w: World, rest: str = "") -> str:
    return f"/cases/{w.case.pk}/{rest}"


SCREENS: dict[str, Screen] = {
    "login": Screen("anonymous", lambda w: "/accounts/login/"),
    "login-failed": Screen("anonymous", lambda w: "/accounts/login/", failed_login),
    "home-social-worker": Screen("worker", lambda w: w.plan and "/"),
    "home-supervisor": Screen("supervisor", lambda w: w.plan and "/"),
    "home-site-manager": Screen("site_manager", lambda w: w.plan and "/"),
    "home-support-manager": Screen("support_manager", lambda w: w.arrangement(S.AWAITING_APPROVAL) and "/"),
    "home-national-manager": Screen("national_manager", lambda w: w.plan and "/"),
    "caseload-mine": Screen("worker", lambda w: w.plan and "/caseload/?scope=mine"),
    "caseload-team": Screen("supervisor", lambda w: w.case and "/caseload/?scope=team"),
    "caseload-site": Screen("site_manager", lambda w: w.case and "/caseload/?scope=site"),
    "caseload-all": Screen("national_manager", lambda w: w.case and "/caseload/?scope=all"),
    "case-new": Screen("worker", lambda w: "/cases/new/"),
    "case-new-search": Screen("worker", lambda w: w.case and "/cases/new/?q=Ngata"),
    "case-new-errors": Screen("worker", lambda w: "/cases/new/", submit_empty),
    "case": Screen("worker", lambda w: w.plan and w.referral and w.meeting and w.order and _case(w)),
    "person-edit-errors": Screen(
        "worker", lambda w: f"/people/{w.family.caregiver.pk}/edit/?case={w.case.pk}", person_edit_with_errors
    ),
    "assessment": Screen("worker", lambda w: _case(w, f"assessments/{w.family.needs[0].assessment_id}/")),
    "plan": Screen("worker", lambda w: w.plan and _case(w, "plan/")),
    "plan-timeline": Screen("worker", lambda w: w.plan and _case(w, "plan/timeline/")),
    "overdue": Screen("worker", lambda w: w.plan and "/overdue/"),
    "referrals": Screen("worker", lambda w: w.referral and "/referrals/"),
    "referral": Screen("worker", lambda w: _case(w, f"referrals/{w.referral.pk}/")),
    "providers": Screen("worker", lambda w: w.family and "/providers/"),
    "permanent-care-waiting": Screen(
        "support_manager", lambda w: w.arrangement(S.AWAITING_APPROVAL) and "/permanent-care/"
    ),
    "arrangement-awaiting-approval": Screen(
        "support_manager", lambda w: _case(w, f"permanent-care/{w.arrangement(S.AWAITING_APPROVAL).pk}/")
    ),
    "arrangement-not-approved": Screen(
        "worker", lambda w: _case(w, f"permanent-care/{w.arrangement(S.NOT_APPROVED).pk}/")
    ),
    "meeting": Screen("worker", lambda w: _case(w, f"meetings/{w.meeting.pk}/")),
    "court": Screen("worker", lambda w: w.order and _case(w, "court/")),
    "court-order": Screen("worker", lambda w: _case(w, f"court/orders/{w.order.pk}/")),
    "notes": Screen("worker", lambda w: w.note and _case(w, "notes/")),
    "note": Screen("worker", lambda w: _case(w, f"notes/{w.note.pk}/")),
    "notifications": Screen("worker", lambda w: w.notifications or "/notifications/"),
    "notification-settings": Screen("worker", lambda w: "/settings/"),
    "calendar-settings": Screen("worker", lambda w: "/calendar/"),
    "security": Screen("worker", lambda w: "/accounts/security/"),
    "api-tokens": Screen("worker", lambda w: "/accounts/tokens/"),
    "audit-log": Screen("site_manager", lambda w: w.plan and "/audit/"),
    "erasure-list": Screen("site_manager", lambda w: w.erasure and "/privacy/erasure/"),
    "restricted-cases": Screen("site_manager", lambda w: w.restricted and "/cases/restricted/"),
    "not-found": Screen("worker", lambda w: "/cases/999999/"),
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_page_has_no_serious_accessibility_problem(name: str, live_server, page: Page, world: World, axe_source):
    screen = SCREENS[name]
    path = screen.path(world)
    user = world.user(screen.role)
    if user is not None:
        sign_in(page, live_server, user)
    page.goto(live_server.url + path)
    if screen.then:
        screen.then(page, world)
    if user is not None and name != "not-found":
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_accessible(page, axe_source)


# --- the keyboard and the errors ------------------------------------------------------------------------------


def test_the_first_tab_reaches_skip_to_content_which_moves_focus_to_the_main_content(live_server, page, world):
    sign_in(page, live_server, world.staff.worker)
    page.goto(f"{live_server.url}/caseload/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown when focused, though hidden until then
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none"), "the focused link shows no outline"

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # The next Tab goes on from the content, and whatever it focuses is outlined (:focus-visible).
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({inMain: !!document.activeElement.closest('main'), "
        "outline: getComputedStyle(document.activeElement).outlineStyle})"
    )
    assert focused["inMain"], "the Tab after the skip link left the main content"
    assert focused["outline"] not in ("", "none"), "the focused control shows no outline"


def error_wiring(page: Page, field) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The invalid field's aria-invalid and the text of the elements its aria-describedby names."""
    return field.evaluate(
        """el => ({
            invalid: el.getAttribute('aria-invalid'),
            described: (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
                .map(id => { const d = document.getElementById(id); return d ? d.textContent.trim() : null; }),
        })"""
    )


def test_the_new_case_forms_errors_are_tied_to_their_fields(live_server, page, world):
    sign_in(page, live_server, world.staff.worker)
    page.goto(f"{live_server.url}/cases/new/")
    submit_empty(page, world)
    given_name = page.locator("[name=child-given_name]")
    wiring = error_wiring(page, given_name)
    assert wiring["invalid"] == "true", json.dumps(wiring)
    assert None not in wiring["described"], f"aria-describedby names a missing element: {wiring}"
    error = page.locator(".has-error .field-error").first
    assert error.inner_text().strip() in wiring["described"], wiring
    # The error summary (role=alert) is announced; the field's own name still reads as its label.
    expect(page.get_by_label("Given name")).to_have_attribute("aria-invalid", "true")


def test_an_add_step_forms_errors_are_tied_to_their_fields(live_server, page, world):
    goal = world.plan.goals.first()
    sign_in(page, live_server, world.staff.worker)
    page.goto(f"{live_server.url}/cases/{world.case.pk}/plan/goals/{goal.pk}/steps/new/")
    submit_empty(page, world)
    invalid = page.locator("main [aria-invalid=true]")
    assert invalid.count() > 0, "no field is marked invalid"
    for n in range(invalid.count()):
        wiring = error_wiring(page, invalid.nth(n))
        assert wiring["described"], f"field {n} names no description: {wiring}"
        assert None not in wiring["described"], f"aria-describedby names a missing element: {wiring}"
    first = error_wiring(page, invalid.first)
    assert any(first["described"]), first

"""Two people change the same case at once, in a real browser: the worker's save does not overwrite the
supervisor's, the page shows both versions, and the worker chooses which to keep."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import TEST_PASSWORD, SiteFactory, TeamFactory, UserFactory
from kinplan.cases import services as cases
from kinplan.cases.models import Case

pytestmark = pytest.mark.e2e

SUPERVISORS_WORDS = "Nan has offered to have Tāmati every weekend."
WORKERS_WORDS = "Mum has found a flat in Naenae."


@pytest.fixture
def team(transactional_db):
    return TeamFactory(site=SiteFactory(name="Wellington"))


@pytest.fixture
def worker(team) -> User:
    return UserFactory(username="tui.sw", first_name="Tui", last_name="Walker", team=team)


@pytest.fixture
def supervisor(team) -> User:
    return UserFactory(username="mere.sup", first_name="Mere", last_name="Parata", team=team, role="supervisor")


@pytest.fixture
def case(worker) -> Case:
    return cases.case_create(
        actor=worker,
        name="Ngata whānau",
        child_details={"given_name": "Tāmati", "family_name": "Ngata", "date_of_birth": datetime.date(2019, 4, 2)},
        opened_on=timezone.localdate() - datetime.timedelta(days=30),
        summary="Referred by the school.",
    )


def test_a_save_over_the_supervisors_change_shows_both_and_keeps_the_choice(
    page: Page, live_server, login, worker, supervisor, case, screenshot
):
    login("tui.sw", TEST_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/edit/")
    summary = page.locator("textarea[name=summary]")
    summary.fill(WORKERS_WORDS)
    # meanwhile the supervisor saves her own summary
    cases.case_update(actor=supervisor, case=Case.objects.get(pk=case.pk), data={"summary": SUPERVISORS_WORDS})

    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Mere Parata saved this after you opened it")
    expect(page.locator(".conflict-saved")).to_have_text(SUPERVISORS_WORDS)
    expect(summary).to_have_value(WORKERS_WORDS)
    assert Case.objects.get(pk=case.pk).summary == SUPERVISORS_WORDS
    screenshot("the-merge")

    page.get_by_label("The saved version shown here").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Case saved.")).to_be_visible()
    assert Case.objects.get(pk=case.pk).summary == SUPERVISORS_WORDS

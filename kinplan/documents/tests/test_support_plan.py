"""The permanent care support plan: objectives and supports, universal services, agreement, every approval with
who decided and when, the escalation ladder and the review."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinplan.accounts.models import Organisation, User
from kinplan.accounts.tests.factories import OrganisationFactory, SiteFactory, TeamFactory, UserFactory
from kinplan.audit.models import RecordView
from kinplan.documents.tests import builders as b
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import Staff, arrangement_at, family_for_permanent_care

pytestmark = pytest.mark.django_db

Role = User.Role


def _staff() -> Staff:
    """The people of seed 003, as the shared fixtures make them (these are built once for the module)."""
    site = SiteFactory(name="Wellington")
    team = TeamFactory(site=site, name="East")
    service = OrganisationFactory(name="Permanent Caregiver Support Service", kind=Organisation.Kind.SUPPORT_SERVICE)
    nowhere: dict[str, Any] = {"team": None, "site": None}
    return Staff(
        worker=UserFactory(username="pc.worker", first_name="Kiri", last_name="Wood", team=team),
        supervisor=UserFactory(username="pc.supervisor", role=Role.SUPERVISOR, team=team),
        site_manager=UserFactory(
            username="pc.site", first_name="Mere", last_name="Harris", role=Role.SITE_MANAGER, team=None, site=site
        ),
        caseworker=UserFactory(
            username="pc.caseworker",
            first_name="Pita",
            last_name="Rua",
            role=Role.SUPPORT_CASEWORKER,
            organisation=service,
            **nowhere,
        ),
        support_manager=UserFactory(
            username="pc.manager",
            first_name="Ruth",
            last_name="Sione",
            role=Role.SUPPORT_MANAGER,
            organisation=service,
            **nowhere,
        ),
        national_manager=UserFactory(username="pc.national", role=Role.NATIONAL_MANAGER, **nowhere),
        support_service=service,
    )


@pytest.fixture(scope="module")
def support(module_db: Any) -> SimpleNamespace:
    """Aroha's plan, approved after the support-service manager first refused it and the social worker consulted the
    caseworker; downloaded by the social worker from its page."""
    staff = _staff()
    family = family_for_permanent_care(staff.worker)
    arrangement = arrangement_at(SupportArrangement.Status.APPROVED, family, staff)
    client = Client()
    client.force_login(staff.worker)
    url = reverse("documents:support_plan", args=[family.case.pk, arrangement.pk])
    response = client.get(url)
    return SimpleNamespace(
        staff=staff,
        a=arrangement,
        url=url,
        response=response,
        read=b.read_pdf(response.content),
        views=list(RecordView.objects.filter(user=staff.worker).values_list("channel", "path")),
    )


def test_it_is_an_inline_pdf_on_a4_pages_with_the_header_and_page_numbers(support):
    assert support.response["Content-Type"] == "application/pdf"
    assert support.response["Content-Disposition"].startswith('inline; filename="permanent-care-support-plan-')
    b.assert_printed_well(support.read, "Test Agency · Wellington", "Permanent care support plan: Aroha Ngata")


def test_it_shows_the_objectives_and_each_supports_provider_timing_quantity_cost_and_who_resources_it(support):
    seen = support.read.text
    assert "Aroha feels safe and settled" in seen
    assert "Trauma counselling for Aroha" in seen
    assert "Te Whare Awhina" in seen
    assert f"{b.days(40):%-d %b %Y}" in seen and f"{b.days(200):%-d %b %Y}" in seen
    assert "10 session" in seen
    assert "$1,200.00" in seen
    assert "The support service" in seen
    assert "Weekend visits to the marae with Uncle Rawiri" in seen
    assert "Rawiri Ngata (uncle)" in seen
    assert "Every second weekend" in seen
    assert "Porirua Health GP" in seen  # a universal service


def test_it_shows_the_agreement_the_approvals_and_who_signed_off_when(support):
    seen = support.read.text
    assert "Mere Ngata" in seen and "Agrees" in seen
    assert "Special guardianship order applied for" in seen
    assert "Site manager's sign-off Approved round 2 Mere Harris" in seen
    assert "Support-service manager's approval Approved round 2 Ruth Sione" in seen
    assert "Not approved" in seen and "Counselling costs too high." in seen  # round 1, with why
    decided = timezone.localtime(support.a.decisions.order_by("pk").first().decided_at)  # as the reader's day
    assert f"{decided:%-d %b %Y}" in seen


def test_it_shows_the_escalation_ladder_and_the_review(support):
    seen = support.read.text
    assert "Consult the allocated caseworker" in seen
    assert "The caseworker explained the costs; the manager will look again." in seen
    assert "National manager's final determination" in seen
    assert f"Review date {support.a.review_on:%-d %b %Y} · by Pita Rua" in seen


def test_the_download_is_logged_as_a_view_of_the_childs_record(support):
    assert support.views == [("web", support.url)]

"""Who may download a document: whoever may open the page it prints. Others get that page's 404 (and nothing is
logged), the signed-out are sent to sign in (401 from the API). No PDF is rendered here."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kinplan.audit.models import RecordView
from kinplan.cases.models import Participant
from kinplan.cases.tests.factories import CaseFactory, child_of
from kinplan.meetings.tests.factories import HeldMeetingFactory
from kinplan.permanent_care.models import SupportArrangement
from kinplan.planning.tests.factories import PlanFactory
from kinplan.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(case, alice, support_service) -> dict[str, Any]:
    """One of each printed record on alice's case."""
    mother = case.participants.get(role=Participant.Role.PARENT).person
    arrangement = SupportArrangement.objects.create(
        case=case,
        child=child_of(case),
        caregiver=mother,
        support_service=support_service,
        intention_noted_on=timezone.localdate(),
        created_by=alice,
    )
    return {
        "plan": PlanFactory(case=case),
        "arrangement": arrangement,
        "referral": ReferralFactory(case=case),
        "meeting": HeldMeetingFactory(case=case),
    }


def web_urls(case, r: dict[str, Any]) -> list[str]:
    return [
        reverse("documents:family_plan", args=[case.pk]),
        reverse("documents:service_plan", args=[case.pk]),
        reverse("documents:support_plan", args=[case.pk, r["arrangement"].pk]),
        reverse("documents:referral_pack", args=[case.pk, r["referral"].pk]),
        reverse("documents:meeting_record", args=[case.pk, r["meeting"].pk]),
    ]


def api_urls(r: dict[str, Any]) -> list[str]:
    return [
        f"/api/v1/plans/{r['plan'].pk}/family-plan.pdf",
        f"/api/v1/plans/{r['plan'].pk}/plan.pdf",
        f"/api/v1/permanent-care/arrangements/{r['arrangement'].pk}/plan.pdf",
        f"/api/v1/referrals/{r['referral'].pk}/pack.pdf",
        f"/api/v1/meetings/{r['meeting'].pk}/record.pdf",
    ]


def test_someone_at_another_site_gets_the_pages_404_and_nothing_is_logged(client, case, records, charlie):
    # given
    client.force_login(charlie)
    # when
    answers = [client.get(url).status_code for url in web_urls(case, records) + api_urls(records)]
    # then
    assert answers == [404] * 10
    assert not RecordView.objects.filter(user=charlie).exists()


def test_the_signed_out_are_sent_to_sign_in_and_the_api_answers_401(client, case, records):
    for url in web_urls(case, records):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert [client.get(url).status_code for url in api_urls(records)] == [401] * 5


def test_a_record_of_another_case_is_not_found_through_this_one(client, alice, case, records):
    # given alice's second case, with a referral and a meeting of its own
    other = CaseFactory(worker=alice)
    ReferralFactory(case=other)
    client.force_login(alice)
    # when she asks for the first case's records through the second
    urls = [url.replace(f"/cases/{case.pk}/", f"/cases/{other.pk}/") for url in web_urls(case, records)[2:]]
    # then
    assert [client.get(url).status_code for url in urls] == [404] * 3


@pytest.mark.parametrize("version", ["7", "two"])
def test_a_plan_version_that_does_not_exist_is_not_found(client, alice, case, records, version):
    client.force_login(alice)
    for name in ("documents:family_plan", "documents:service_plan"):
        assert client.get(reverse(name, args=[case.pk]), {"version": version}).status_code == 404


def test_a_case_without_a_plan_has_no_plan_document(client, alice):
    client.force_login(alice)
    planless = CaseFactory(worker=alice)
    for name in ("documents:family_plan", "documents:service_plan"):
        assert client.get(reverse(name, args=[planless.pk])).status_code == 404


def test_documents_are_only_read(client, alice, case, records):
    client.force_login(alice)
    assert client.post(reverse("documents:service_plan", args=[case.pk])).status_code == 405

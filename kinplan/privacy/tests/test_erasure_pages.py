"""The erasure pages and API: asking, the list for approvers, the request with its decisions, deciding."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinplan.accounts.signin import PROVED_AT
from kinplan.accounts.tests.helpers import age_session
from kinplan.cases.tests.factories import CaseFactory
from kinplan.privacy import services
from kinplan.privacy.models import ErasureDecision, ErasureRequest

pytestmark = pytest.mark.django_db
REASON = "Closed for more than seven years."


@pytest.fixture
def requested(site_manager, old_case) -> ErasureRequest:
    return services.erasure_request_create(actor=site_manager, case=old_case, reason=REASON)


def test_a_site_manager_asks_from_the_page(client, site_manager, old_case):
    client.force_login(site_manager)
    url = reverse("privacy:case_erasure_new", args=[old_case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": REASON})
    made = ErasureRequest.objects.get(case=old_case)
    assert response.status_code == 302 and response.url == reverse("privacy:erasure_detail", args=[made.pk])


def test_asking_without_a_reason_shows_the_form_again(client, site_manager, old_case):
    client.force_login(site_manager)
    response = client.post(reverse("privacy:case_erasure_new", args=[old_case.pk]), {"reason": ""})
    assert response.status_code == 400
    assert not ErasureRequest.objects.exists()


def test_the_list_shows_what_waits_for_the_approver(client, national_manager, requested):
    client.force_login(national_manager)
    response = client.get(reverse("privacy:erasure_list"))
    assert response.status_code == 200
    assert "1 request is waiting for your decision." in response.content.decode()


def test_the_list_asks_the_database_the_same_number_of_times_for_one_request_or_many(
    client, national_manager, site_manager, old_case, alice, django_assert_num_queries
):
    services.erasure_request_create(actor=site_manager, case=old_case, reason=REASON)
    client.force_login(national_manager)
    with CaptureQueriesContext(connection) as one_request:
        client.get(reverse("privacy:erasure_list"))
    for _ in range(3):
        closed = old_case.closed_on
        more = CaseFactory(worker=alice, status=old_case.status, opened_on=old_case.opened_on, closed_on=closed)
        services.erasure_request_create(actor=site_manager, case=more, reason=REASON)
    with django_assert_num_queries(len(one_request)):
        response = client.get(reverse("privacy:erasure_list"))
    assert "4 requests are waiting for your decision." in response.content.decode()


def test_the_request_page_names_no_one(client, national_manager, requested, old_case):
    client.force_login(national_manager)
    page = client.get(reverse("privacy:erasure_detail", args=[requested.pk])).content.decode()
    assert old_case.reference in page
    assert "Oldfield" not in page


def test_approving_needs_a_recent_sign_in(client, national_manager, requested):
    client.force_login(national_manager)
    age_session(client, PROVED_AT, seconds=60 * 60)
    response = client.post(reverse("privacy:erasure_decide", args=[requested.pk]), {"decision": "approve"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:confirm"))
    assert not ErasureDecision.objects.exists()


def test_approving_from_the_page(client, national_manager, requested):
    client.force_login(national_manager)
    response = client.post(reverse("privacy:erasure_decide", args=[requested.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert ErasureDecision.objects.get().decided_by == national_manager


def test_refusing_without_a_comment_shows_the_form_again(client, national_manager, requested):
    client.force_login(national_manager)
    response = client.post(reverse("privacy:erasure_decide", args=[requested.pk]), {"decision": "refuse"})
    assert response.status_code == 400
    assert "Say why you refuse the erasure." in response.content.decode()


def test_other_sites_managers_do_not_see_the_request(client, other_site_manager, requested):
    client.force_login(other_site_manager)
    assert client.get(reverse("privacy:erasure_detail", args=[requested.pk])).status_code == 404


def test_the_api_asks_lists_and_decides(client, national_manager, second_site_manager, old_case):
    # given
    client.force_login(national_manager)
    made = client.post(
        "/api/v1/privacy/erasure-requests", {"case_id": old_case.pk, "reason": REASON}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    request_id = made.json()["id"]
    assert [row["id"] for row in client.get("/api/v1/privacy/erasure-requests").json()] == [request_id]
    # when the requester tries to approve
    url = f"/api/v1/privacy/erasure-requests/{request_id}/decisions"
    assert client.post(url, {"decision": "approve"}, content_type="application/json").status_code == 403
    # then another manager may
    client.force_login(second_site_manager)
    response = client.post(url, {"decision": "approve"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["decisions"][0]["decision"] == "approve"


def test_the_api_refuses_a_request_for_both_a_case_and_a_person(client, national_manager, old_case):
    client.force_login(national_manager)
    person = old_case.participants.first().person
    body = {"case_id": old_case.pk, "person_id": person.pk, "reason": REASON}
    response = client.post("/api/v1/privacy/erasure-requests", body, content_type="application/json")
    assert response.status_code == 422

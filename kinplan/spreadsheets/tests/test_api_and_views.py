"""The exports and the import over the API (read-only tokens may export, never import) and the import pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinplan.accounts.services import api_token_create
from kinplan.audit.models import RecordView
from kinplan.cases.models import Case
from kinplan.planning.tests.factories import PlanFactory, StepFactory
from kinplan.spreadsheets.tests.helpers import csv_rows, xlsx_rows
from kinplan.spreadsheets.tests.test_imports import csv_file

API = "/api/v1"
GOOD = csv_file("OLD-1,Ngata whānau,child,Tāmati,Ngata,2019-03-28,male,,,", "OLD-1,Ngata whānau,parent,Mere,Ngata,,,,,")


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def token(user, read_only=False) -> dict[str, str]:
    return bearer(api_token_create(actor=user, name="script", read_only=read_only)[1])


# --- API ----------------------------------------------------------------------------------------------------


def test_a_read_only_token_exports_the_caseload(client, alice, case):
    response = client.get(f"{API}/exports/caseload", {"format": "xlsx"}, **token(alice, read_only=True))
    assert response.status_code == 200
    assert [row[1] for row in xlsx_rows(response.content)[1:]] == [case.name]


def test_the_plan_export_through_the_api_is_logged_as_an_api_view(client, alice, case):
    StepFactory(goal__plan=PlanFactory(case=case))
    response = client.get(f"{API}/cases/{case.pk}/plan/export", **token(alice, read_only=True))
    assert response.status_code == 200 and len(csv_rows(response.content)) == 2
    assert RecordView.objects.get(case=case).channel == "api"


def test_the_api_plan_export_is_a_404_for_a_case_the_user_may_not_see(client, charlie, case):
    assert client.get(f"{API}/cases/{case.pk}/plan/export", **token(charlie)).status_code == 404


def test_a_read_only_token_may_not_import(client, site_manager):
    upload = SimpleUploadedFile("cases.csv", GOOD, content_type="text/csv")
    response = client.post(f"{API}/imports/cases?dry_run=true", {"file": upload}, **token(site_manager, True))
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


def test_the_api_dry_run_reports_row_by_row_and_the_import_saves(client, site_manager):
    # given
    auth = token(site_manager)
    bad = csv_file("OLD-1,X,child,Ana,Smith,someday,,,,")
    # when
    dry = client.post(f"{API}/imports/cases?dry_run=true", {"file": SimpleUploadedFile("c.csv", bad)}, **auth)
    real = client.post(f"{API}/imports/cases?dry_run=false", {"file": SimpleUploadedFile("c.csv", GOOD)}, **auth)
    # then
    assert dry.status_code == 200 and dry.json()["problems"][0] | {"message": ""} == {
        "row": 2,
        "column": "date_of_birth",
        "message": "",
        "kind": "error",
        "matches": [],
    }
    assert real.status_code == 200 and real.json()["imported"] and Case.objects.count() == 1


def test_the_api_refuses_a_file_it_cannot_read_with_a_message(client, site_manager):
    upload = SimpleUploadedFile("c.xlsx", b"not a workbook")
    response = client.post(f"{API}/imports/cases", {"file": upload}, **token(site_manager))
    assert response.status_code == 422 and "Excel" in response.json()["detail"]


def test_a_social_worker_may_not_import_through_the_api(client, alice):
    response = client.post(f"{API}/imports/cases", {"file": SimpleUploadedFile("c.csv", GOOD)}, **token(alice))
    assert response.status_code == 403


# --- pages --------------------------------------------------------------------------------------------------


def test_the_import_page_checks_then_imports_the_kept_file(client, site_manager):
    # given
    client.force_login(site_manager)
    # when: the dry run
    page = client.post(reverse("spreadsheets:import_cases"), {"file": SimpleUploadedFile("cases.csv", GOOD)})
    # then
    assert page.status_code == 200 and not Case.objects.exists()
    assert "Import this 1 case" in page.content.decode()
    confirm = page.context["confirm"]
    # when: the import
    done = client.post(reverse("spreadsheets:import_cases_confirm"), confirm.initial)
    # then
    assert done.status_code == 302 and Case.objects.get().name == "Ngata whānau"
    again = client.post(reverse("spreadsheets:import_cases_confirm"), confirm.initial)
    assert again.status_code == 302 and Case.objects.count() == 1  # the kept file is gone


def test_the_import_page_lists_each_problem_and_offers_no_import(client, site_manager):
    client.force_login(site_manager)
    bad = csv_file("OLD-1,X,child,Ana,Smith,someday,,,,")
    page = client.post(reverse("spreadsheets:import_cases"), {"file": SimpleUploadedFile("cases.csv", bad)})
    assert page.status_code == 422 and page.context["confirm"] is None
    assert "YYYY-MM-DD" in page.content.decode()


def test_the_import_page_says_what_is_wrong_with_an_unreadable_file(client, site_manager):
    client.force_login(site_manager)
    page = client.post(reverse("spreadsheets:import_cases"), {"file": SimpleUploadedFile("cases.pdf", b"%PDF")})
    assert page.status_code == 200 and ".csv or .xlsx" in page.content.decode()


def test_a_tampered_confirmation_reaches_no_file(client, site_manager):
    client.force_login(site_manager)
    response = client.post(reverse("spreadsheets:import_cases_confirm"), {"upload": "../../etc/passwd"})
    assert response.status_code == 302 and not Case.objects.exists()


@pytest.mark.parametrize("who", ["alice", "administrator"])
def test_only_site_managers_reach_the_import_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("spreadsheets:import_cases")).status_code == 403


def test_the_pages_offer_the_downloads(client, alice, case):
    client.force_login(alice)
    PlanFactory(case=case)
    for url in (reverse("cases:caseload"), reverse("referrals:list"), reverse("planning:plan", args=[case.pk])):
        assert "format=xlsx" in client.get(url).content.decode(), url


def test_another_site_manager_cannot_import_a_file_someone_else_checked(client, site_manager, other_site_manager):
    # given
    client.force_login(site_manager)
    page = client.post(reverse("spreadsheets:import_cases"), {"file": SimpleUploadedFile("cases.csv", GOOD)})
    # when
    client.force_login(other_site_manager)
    response = client.post(reverse("spreadsheets:import_cases_confirm"), page.context["confirm"].initial)
    # then
    assert response.status_code == 302 and not Case.objects.exists()


def test_the_caseload_offers_the_import_to_site_managers_only(client, alice, site_manager):
    url = reverse("spreadsheets:import_cases")
    client.force_login(site_manager)
    assert url in client.get(reverse("cases:caseload")).content.decode()
    client.force_login(alice)
    assert url not in client.get(reverse("cases:caseload")).content.decode()


def test_the_api_refuses_before_reading_and_asks_for_the_file(client, alice, site_manager):
    assert client.post(f"{API}/imports/cases", **token(alice)).status_code == 403
    response = client.post(f"{API}/imports/cases", **token(site_manager))
    assert response.status_code == 422 and "file" in response.json()["detail"]

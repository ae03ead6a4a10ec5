"""The FHIR download links, the import page and the API: who may do what, the content type, every problem shown
with nothing changed, and a read-only token refused."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from kinplan.accounts.services import api_token_create
from kinplan.audit.models import RecordView
from kinplan.cases.tests.factories import CaseFactory
from kinplan.fhir.selectors import service_plan_export
from kinplan.fhir.tests.helpers import family, full_plan
from kinplan.fhir.tests.test_import import snapshot, twin_case
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import arrangement_at, build_plan, family_for_permanent_care
from kinplan.planning.models import Plan

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def planned(case, alice):
    f = family(case, alice)
    full_plan(f, alice)
    return f


def upload(bundle: object) -> SimpleUploadedFile:
    raw = bundle if isinstance(bundle, bytes) else json.dumps(bundle).encode()
    return SimpleUploadedFile("plan.fhir.json", raw, content_type="application/fhir+json")


# --- the pages ---------------------------------------------------------------------------------------------


def test_the_plan_page_offers_the_fhir_download(client, alice, planned):
    # given
    client.force_login(alice)
    # when
    page = client.get(reverse("planning:plan", args=[planned.case.pk]))
    # then
    assert reverse("fhir:plan", args=[planned.case.pk]).encode() in page.content
    assert b"Download as FHIR (JSON)" in page.content


def test_the_owner_downloads_the_plan_as_fhir_json_and_the_look_is_logged(client, alice, planned):
    # given
    client.force_login(alice)
    views = RecordView.objects.filter(user=alice).count()
    # when
    response = client.get(reverse("fhir:plan", args=[planned.case.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response["Content-Disposition"]
    Bundle.model_validate(json.loads(response.content))
    assert RecordView.objects.filter(user=alice).count() == views + 1


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_someone_who_cannot_see_the_case_gets_404(client, planned, who, request):
    # given
    client.force_login(request.getfixturevalue(who))
    # when / then
    assert client.get(reverse("fhir:plan", args=[planned.case.pk])).status_code == 404
    assert client.get(f"{API}/cases/{planned.case.pk}/plan/fhir").status_code == 404


def test_a_version_that_is_not_a_number_is_404(client, alice, planned):
    client.force_login(alice)
    assert client.get(reverse("fhir:plan", args=[planned.case.pk]) + "?version=x").status_code == 404


def test_the_permanent_care_page_offers_its_fhir_download(client, alice, supervisor, site_manager):
    # given
    from kinplan.fhir.tests.test_export import _staff

    staff = _staff(alice, supervisor, site_manager)
    fam = family_for_permanent_care(alice)
    a = build_plan(arrangement_at(SupportArrangement.Status.PLANNING, fam, staff), fam, staff)
    client.force_login(alice)
    # when
    page = client.get(reverse("permanent_care:arrangement", args=[fam.case.pk, a.pk]))
    download = client.get(reverse("fhir:arrangement", args=[fam.case.pk, a.pk]))
    api = client.get(f"{API}/cases/{fam.case.pk}/permanent-care/{a.pk}/fhir")
    # then
    assert reverse("fhir:arrangement", args=[fam.case.pk, a.pk]).encode() in page.content
    assert download.status_code == 200 and api.status_code == 200
    assert api["Content-Type"].startswith("application/fhir+json")
    assert json.loads(api.content) == json.loads(download.content)


def test_the_import_page_makes_a_draft_and_opens_it(client, alice, planned):
    # given
    twin = twin_case(planned)
    client.force_login(alice)
    bundle = service_plan_export(case=planned.case)
    # when
    response = client.post(reverse("fhir:import", args=[twin.pk]), {"file": upload(bundle)})
    # then
    assert response.status_code == 302 and response.url == reverse("planning:plan", args=[twin.pk])
    assert twin.plans.get().status == Plan.Status.DRAFT


def test_the_start_page_links_to_the_import(client, alice):
    # given
    empty = CaseFactory(worker=alice)
    client.force_login(alice)
    # when
    page = client.get(reverse("planning:plan", args=[empty.pk]))
    # then
    assert reverse("fhir:import", args=[empty.pk]).encode() in page.content


def test_a_bad_file_shows_every_problem_and_changes_nothing(client, alice, planned):
    # given
    twin = twin_case(planned)
    client.force_login(alice)
    before = snapshot()
    # when
    response = client.post(reverse("fhir:import", args=[twin.pk]), {"file": upload(b"{oops")})
    # then
    assert response.status_code == 400
    assert b"Nothing was imported" in response.content
    assert b"not valid JSON (line 1, column 2)" in response.content
    assert snapshot() == before


def test_a_reader_cannot_open_the_import(client, national_manager, planned):
    client.force_login(national_manager)
    assert client.get(reverse("fhir:import", args=[planned.case.pk])).status_code == 403


# --- the API -----------------------------------------------------------------------------------------------


def test_the_api_gives_the_bundle_as_fhir_json(client, alice, planned):
    # given
    client.force_login(alice)
    # when
    response = client.get(f"{API}/cases/{planned.case.pk}/plan/fhir?version=1")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert json.loads(response.content) == service_plan_export(case=planned.case)


def test_the_api_imports_a_bundle_as_a_draft(client, alice, planned):
    # given
    twin = twin_case(planned)
    _, token = api_token_create(actor=alice, name="sync")
    bundle = service_plan_export(case=planned.case)
    # when
    response = client.post(
        f"{API}/cases/{twin.pk}/plan/fhir",
        data=json.dumps(bundle),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    # then
    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    assert twin.plans.get().status == Plan.Status.DRAFT


def test_a_read_only_token_cannot_import(client, alice, planned):
    # given
    twin = twin_case(planned)
    _, token = api_token_create(actor=alice, name="dashboard", read_only=True)
    before = snapshot()
    # when
    response = client.post(
        f"{API}/cases/{twin.pk}/plan/fhir",
        data=json.dumps(service_plan_export(case=planned.case)),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    # then
    assert response.status_code == 403
    assert snapshot() == before


def test_a_bad_bundle_on_the_api_is_a_422_listing_the_problems(client, alice, planned):
    # given
    twin = twin_case(planned)
    client.force_login(alice)
    before = snapshot()
    # when
    response = client.post(f"{API}/cases/{twin.pk}/plan/fhir", data=b"[1]", content_type="application/fhir+json")
    # then
    assert response.status_code == 422
    assert "one FHIR Bundle" in response.json()["errors"]["__all__"][0]
    assert snapshot() == before


def test_a_case_without_a_child_is_told_what_to_add_not_an_error(client, alice):
    # given: a plan on a case whose child is not recorded
    from kinplan.planning import services

    childless = CaseFactory(worker=alice, child=False)
    services.plan_create(actor=alice, case=childless, data={"permanency_goal": "remain_home"})
    client.force_login(alice)
    # when
    page = client.get(reverse("fhir:plan", args=[childless.pk]), follow=True)
    api = client.get(f"{API}/cases/{childless.pk}/plan/fhir")
    # then
    assert b"Add the child to the case first" in page.content
    assert api.status_code == 422

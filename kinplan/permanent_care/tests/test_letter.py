"""The acknowledgement letter: a PDF made from the plan, once the plan is with the support service."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kinplan.permanent_care.letter import letter_pdf
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import arrangement_at

pytestmark = pytest.mark.django_db

S = SupportArrangement.Status


def read(pdf: bytes) -> tuple[int, str]:
    """The number of pages, and the text as a reader sees it (lines joined, whitespace squeezed)."""
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def letter_url(a: SupportArrangement) -> str:
    return reverse("permanent_care:letter", args=[a.case_id, a.pk])


def test_the_letter_names_the_caregiver_their_address_the_child_the_supports_and_the_review(staff, family):
    # given a plan sent to the support service
    a = arrangement_at(S.SENT, family, staff)
    # when
    pages, seen = read(letter_pdf(a))
    # then
    assert pages >= 1
    assert "Tēnā koe Mere Ngata" in seen
    assert "12 Kōwhai Street, Porirua" in seen  # the household's address: the caregiver has none of her own
    assert "a permanent home for Aroha Ngata" in seen
    assert "Trauma counselling for Aroha" in seen
    assert "Te Whare Awhina" in seen
    assert "Weekend visits to the marae" in seen
    assert f"It will be reviewed on {a.review_on:%-d %B %Y}" in seen
    assert str(staff.caseworker) in seen
    assert "Page 1 of" in seen


def test_the_letter_uses_the_caregivers_own_address_when_she_has_no_household(staff, family):
    family.caregiver.participations.filter(case=family.case).update(household=None)
    family.caregiver.address = "3 Rimu Road, Ōtaki"
    family.caregiver.save()
    a = arrangement_at(S.REFERRAL_DRAFT, family, staff)
    _, seen = read(letter_pdf(a))
    assert "3 Rimu Road, Ōtaki" in seen


def test_the_letter_is_served_as_a_pdf_once_the_plan_is_sent(client, staff, family):
    a = arrangement_at(S.SENT, family, staff)
    client.force_login(staff.caseworker)
    response = client.get(letter_url(a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # like every document: a named inline file, kept in no shared cache
    assert (
        response["Content-Disposition"] == f'inline; filename="acknowledgement-letter-{a.case.reference.lower()}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"


def test_before_the_plan_is_sent_there_is_no_letter_and_the_page_says_why(client, staff, family):
    a = arrangement_at(S.APPROVED, family, staff)
    client.force_login(staff.worker)
    response = client.get(letter_url(a))
    assert response.status_code == 404
    assert "The acknowledgement letter is not available yet" in response.content.decode()


# --- through the API ----------------------------------------------------------------------------------


def test_a_script_gets_the_letter_as_a_pdf_once_the_plan_is_sent(client, staff, family):
    a = arrangement_at(S.SENT, family, staff)
    client.force_login(staff.caseworker)
    response = client.get(f"/api/v1/permanent-care/arrangements/{a.pk}/letter.pdf")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


def test_before_the_plan_is_sent_the_api_says_there_is_no_letter_yet(client, staff, family):
    a = arrangement_at(S.APPROVED, family, staff)
    client.force_login(staff.worker)
    response = client.get(f"/api/v1/permanent-care/arrangements/{a.pk}/letter.pdf")
    assert response.status_code == 404
    assert response.json()["detail"] == "The acknowledgement letter is not available yet"


def test_someone_who_cannot_see_the_case_gets_no_letter(client, staff, family, charlie):
    a = arrangement_at(S.SENT, family, staff)
    client.force_login(charlie)
    assert client.get(f"/api/v1/permanent-care/arrangements/{a.pk}/letter.pdf").status_code == 404
    assert client.get("/api/v1/permanent-care/arrangements/abc/letter.pdf").status_code == 422

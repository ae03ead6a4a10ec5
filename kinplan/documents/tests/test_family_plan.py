"""The service plan for the family: plain words, their goals, what they do and what we help with, dates and
contacts, in their language — and nothing meant only for professionals."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinplan.audit.models import RecordView
from kinplan.documents.tests import builders as b
from kinplan.planning.selectors import plan_for_case

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def family(module_db: Any) -> SimpleNamespace:
    """Tāmati's plan, downloaded three times by his social worker: in English and in Norwegian from the page, and
    through the API with no language asked for (his mother's preferred language is Norsk)."""
    worker = b.social_worker()
    case = b.family_case(worker, mother_language="Norsk (bokmål)")
    b.rich_plan(case, worker)
    plan = plan_for_case(case=case)
    client = Client()
    client.force_login(worker)
    url = reverse("documents:family_plan", args=[case.pk])
    responses = {
        "english": client.get(url, {"language": "en-nz"}),
        "norwegian": client.get(url, {"language": "nb"}),
        "default": client.get(f"/api/v1/plans/{plan.pk}/family-plan.pdf"),
    }
    return SimpleNamespace(
        responses=responses,
        read={name: b.read_pdf(response.content) for name, response in responses.items()},
        views=list(RecordView.objects.filter(user=worker).order_by("pk").values_list("channel", "path")),
        plan=plan,
    )


def test_it_is_an_inline_pdf_named_after_the_case_the_version_and_the_language(family):
    response = family.responses["english"]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="family-plan-kp-d00042-v1-en-nz.pdf"'
    assert family.responses["norwegian"]["Content-Disposition"].endswith('-v1-nb.pdf"')


@pytest.mark.parametrize("language", ["english", "norwegian", "default"])
def test_every_page_is_a4_with_the_header_and_its_page_number(family, language):
    title = "Our plan together" if language == "english" else "Vår felles plan"
    b.assert_printed_well(family.read[language], f"{b.ORGANISATION} · {b.SITE}", title, "KP-D00042")


def test_it_gives_their_goals_what_they_do_and_what_we_help_with_in_plain_words(family):
    seen = family.read["english"].text
    # the goals, long-term and on the way, with when we hope to reach them
    assert "Tāmati lives safely at home with Mum" in seen
    assert "Mum and Tāmati are at home together, and Tāmati goes to school every day." in seen
    assert f"We hope to reach this by {b.days(160):%-d %b %Y}." in seen
    assert "On the way: Mum has a warm, dry home" in seen
    # what the family does, with the instructions written for them
    assert "What you will do Apply for social housing" in seen
    assert f"By {b.days(14):%-d %b %Y}" in seen
    assert "Who: Hine Ngata" in seen
    assert "Bring your ID and your last three payslips to the office." in seen
    # what the worker and the provider do
    assert "What we will help with" in seen
    assert "We help you with “Apply for social housing”: Aroha fills in the form with you." in seen
    assert "Parenting programme at Te Whare Ora Who: Te Whare Ora" in seen
    assert f"From {b.days(7):%-d %b %Y} to {b.days(63):%-d %b %Y} · Every Tuesday for 8 weeks" in seen
    assert "Visit Tāmati and Mum at home Who: Aroha Tane" in seen
    # the other plan, worked on at the same time
    assert "The other plan we are working on at the same time" in seen
    assert "Tāmati lives with Nan Mere" in seen


def test_it_gives_the_dates_and_whom_to_contact(family):
    seen = family.read["english"].text
    assert f"The plan starts {b.days(-10):%-d %b %Y}" in seen
    assert f"The plan ends {b.days(170):%-d %b %Y}" in seen
    assert f"We look at it together again {b.days(80):%-d %b %Y}" in seen
    assert f"Aroha Tane Your social worker, {b.SITE} 04 555 0100 aroha.tane@kahui.example" in seen
    assert "Te Whare Ora Helps with your plan 04 555 0199 kiaora@tewhareora.example" in seen


@pytest.mark.parametrize("language", ["english", "norwegian", "default"])
def test_it_shows_no_costs_risk_needs_or_professional_notes(family, language):
    seen = family.read[language].text
    for what, text in b.INTERNAL.items():
        assert text not in seen, what
    assert "$" not in seen
    for word in ("Cost", "Kostnad", "risk", "Risk", "Funder", "Planned", "good test"):
        assert word not in seen


def test_asked_for_in_norwegian_it_is_in_norwegian(family):
    seen = family.read["norwegian"].text
    assert "Vår felles plan" in seen
    assert "Dette skal dere gjøre Apply for social housing" in seen  # what people wrote stays as written
    assert "Dette hjelper vi til med" in seen
    assert "Vi hjelper dere med «Apply for social housing»" in seen
    assert "Viktige datoer" in seen
    assert "Hvem dere kan kontakte" in seen
    assert "What you will do" not in seen


def test_without_a_language_asked_for_it_is_in_the_familys_own(family):
    seen = family.read["default"].text
    assert "Dette skal dere gjøre" in seen
    assert family.responses["default"]["Content-Disposition"].endswith('-v1-nb.pdf"')


def test_each_download_is_logged_as_a_view_of_the_childs_record(family):
    web = reverse("documents:family_plan", args=[family.plan.case_id])
    api = f"/api/v1/plans/{family.plan.pk}/family-plan.pdf"
    assert family.views == [("web", web), ("web", web), ("api", api)]

"""The professional service plan: everything in the plan, with its agreement and sign-offs; a long plan runs over
as many pages as it needs and loses nothing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinplan.audit.models import RecordView
from kinplan.documents.tests import builders as b

pytestmark = pytest.mark.django_db

STEPS = 60


@pytest.fixture(scope="module")
def plans(module_db: Any) -> SimpleNamespace:
    """Tāmati's plan, read through the API; and a plan of 60 steps, downloaded from its page (?version=1)."""
    worker = b.social_worker()
    case = b.family_case(worker)
    plan = b.rich_plan(case, worker)
    long_case = b.family_case(worker, reference="KP-D00099")
    b.long_plan(long_case, steps=STEPS)
    client = Client()
    client.force_login(worker)
    rich = client.get(f"/api/v1/plans/{plan.pk}/plan.pdf")
    long = client.get(reverse("documents:service_plan", args=[long_case.pk]), {"version": 1})
    return SimpleNamespace(
        plan=plan,
        long_case=long_case,
        rich=rich,
        long=long,
        rich_read=b.read_pdf(rich.content),
        long_read=b.read_pdf(long.content),
        views=list(RecordView.objects.filter(user=worker).order_by("pk").values_list("channel", "path")),
    )


def test_it_is_an_inline_pdf_named_after_the_case_and_the_version(plans):
    assert plans.rich["Content-Type"] == "application/pdf"
    assert plans.rich["Content-Disposition"] == 'inline; filename="service-plan-kp-d00042-v1.pdf"'
    assert plans.long["Content-Disposition"] == 'inline; filename="service-plan-kp-d00099-v1.pdf"'


def test_every_page_is_a4_with_the_header_and_its_page_number(plans):
    b.assert_printed_well(plans.rich_read, f"{b.ORGANISATION} · {b.SITE}", "Service plan, version 1", "KP-D00042")
    b.assert_printed_well(plans.long_read, f"{b.ORGANISATION} · {b.SITE}", "Service plan, version 1", "KP-D00099")


def test_it_shows_the_goals_and_each_steps_who_what_when_how_much_cost_funder_status_and_result(plans):
    seen = plans.rich_read.text
    assert "Tāmati lives safely at home with Mum" in seen
    assert "Mum has a warm, dry home" in seen
    assert "Apply for social housing" in seen
    assert "Hine Ngata" in seen
    assert b.INTERNAL["details"] in seen  # the professional plan keeps the professionals' notes
    assert "Parenting programme at Te Whare Ora" in seen
    assert "Te Whare Ora — Incredible Years" in seen
    assert f"due {b.days(63):%-d %b %Y}" in seen
    assert "Every Tuesday for 8 weeks" in seen
    assert "8 sessions" in seen
    assert "$960.00" in seen
    assert "paid by the site" in seen
    assert "Planned" in seen
    assert "Cancelled" in seen and "The venue closed." in seen  # a step's result, here why it was cancelled


def test_it_shows_the_concurrent_plan_the_costs_and_the_needs(plans):
    seen = plans.rich_read.text
    assert "Reunification with parent(s)" in seen
    assert "Permanent care with whānau / kin" in seen
    assert "Goals and steps: the concurrent plan" in seen
    assert "Tāmati lives with Nan Mere" in seen
    assert "Nan Mere's kinship care assessment" in seen
    assert "The site $960.00 Total $960.00" in seen
    assert b.INTERNAL["need"] in seen
    assert b.INTERNAL["deferral reason"] in seen


def test_it_shows_the_agreement_and_who_signed_the_plan_off_and_when(plans):
    seen = plans.rich_read.text
    assert "Hine Ngata Parent Agrees In person" in seen
    assert "Mere Ngata" in seen and "Disagrees" in seen and b.INTERNAL["disagreement"] in seen
    assert "Draft → Agreed Aroha Tane" in seen
    assert "Agreed at the hui." in seen
    assert "Agreed → Active Sam Walker" in seen
    assert "Signed off in supervision." in seen
    assert f"Next review {b.days(80):%-d %b %Y}" in seen


def test_a_long_plan_runs_over_several_pages_and_loses_no_step(plans):
    doc = plans.long_read
    assert len(doc.pages) >= 3
    for n in range(1, STEPS + 1):
        assert doc.text.count(f"Numbered step {n:02d} of the long plan") == 1, n
    assert f"0 of {STEPS} steps done" in doc.text


def test_each_download_is_logged_with_its_channel(plans):
    assert plans.views == [
        ("api", f"/api/v1/plans/{plans.plan.pk}/plan.pdf"),
        ("web", reverse("documents:service_plan", args=[plans.long_case.pk])),
    ]

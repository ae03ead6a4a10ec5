"""The national-scale data set (kinplan.demo.scale), generated small: it has the shape the benchmark needs, keeps
every rule of the database, and leaves the history chain whole and the app working."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.audit.chain import HISTORY, verify_chain
from kinplan.cases import services as case_services
from kinplan.cases.models import Case, Person
from kinplan.demo.scale import BIG_PLAN_STEPS, ScaleSize, generate
from kinplan.planning.models import Plan, Step
from kinplan.referrals.models import Referral

pytestmark = pytest.mark.django_db

SIZE = ScaleSize().scaled(1_200)


@pytest.fixture
def generated():
    return generate(SIZE, seed=7)


def test_it_writes_the_sizes_asked_for_in_their_proportions(generated):
    assert Case.objects.count() == 1_200
    assert Plan.objects.count() == 1_200
    people = Person.objects.count()
    assert 5_000 <= people <= 7_000  # about five people a case
    assert 10_000 <= Step.objects.count() <= 14_000  # about ten steps a plan
    assert Referral.objects.count() == SIZE.referrals
    assert generated.rows["cases.Case"] == 1_200


def test_it_has_what_the_benchmark_opens(generated):
    steps_per_plan = Step.objects.values("goal__plan").order_by().annotate(n=Count("id"))
    assert max(row["n"] for row in steps_per_plan) == BIG_PLAN_STEPS
    today = timezone.localdate()
    overdue = Step.objects.filter(
        due_on__lt=today, status__in=["planned", "in_progress"], goal__plan__case__status="open"
    )
    assert overdue.exists()
    assert Case.objects.filter(status="open").count() < Case.objects.filter(status="closed").count()
    assert Person.objects.filter(search_name__contains="a").exists()


def test_the_history_chain_is_whole_and_the_app_goes_on_numbering(generated):
    report = verify_chain(HISTORY)
    assert report.intact and report.entries >= 2 * 1_200
    worker = User.objects.filter(role=User.Role.SOCIAL_WORKER, username__startswith="sw").first()
    case = case_services.case_create(
        actor=worker, name="After the load", child_details={"given_name": "Aroha", "family_name": "Ngata"}
    )
    assert case.pk > max(Case.objects.exclude(pk=case.pk).values_list("pk", flat=True))


def test_a_generated_worker_signs_in_and_sees_their_caseload(client, generated):
    worker = User.objects.filter(role=User.Role.SOCIAL_WORKER, username__startswith="sw", cases__status="open").first()
    signed_in = client.post("/accounts/login/", {"username": worker.username, "password": "kinplan-scale-2026"})
    assert signed_in.status_code == 302
    page = client.get(reverse("cases:caseload"))
    assert page.status_code == 200
    assert worker.cases.filter(status="open").first().reference in page.content.decode()


def test_the_command_reports_what_it_wrote(capsys):
    call_command("generate_scale_data", cases=50, no_progress=True)
    out = capsys.readouterr().out
    assert "cases.Case" in out and "50" in out and "kinplan-scale-2026" in out


def test_a_second_run_with_the_same_seed_adds_beside_the_first(generated):
    # given a data set generated with seed 7; when it is grown with the same seed
    generate(ScaleSize().scaled(100), seed=7)
    # then both agencies are there, their people apart
    assert Case.objects.count() == 1_300
    agencies = sorted(User.objects.filter(username__startswith="sw").values_list("organisation__name", flat=True))
    assert len(set(agencies)) == 2

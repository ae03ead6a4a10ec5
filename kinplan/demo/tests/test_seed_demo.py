"""The demo data set is realistic, complete across roles, and loads once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kinplan.accounts.models import Organisation, Site, User
from kinplan.assessments.models import Assessment
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, Relationship
from kinplan.demo.data import DEMO_PASSWORD
from kinplan.planning.models import Plan, Step
from kinplan.planning.quality import item_issues


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_demo_has_three_sites_and_a_support_service(demo):
    assert Site.objects.count() >= 3
    assert Organisation.objects.filter(kind=Organisation.Kind.SUPPORT_SERVICE).exists()
    assert Organisation.objects.count() >= 2


def test_every_role_has_demo_users_who_can_log_in(demo):
    users = User.objects.all()
    assert users.count() >= 25
    assert set(users.values_list("role", flat=True)) == set(User.Role.values)
    assert all(u.check_password(DEMO_PASSWORD) for u in users)


def test_there_are_over_200_families_with_the_whole_network(demo):
    assert Case.objects.count() >= 200
    roles = set(Participant.objects.values_list("role", flat=True))
    assert {"child", "parent", "whanau", "caregiver"} <= roles
    assert Participant.objects.filter(household__isnull=False).count() > Case.objects.count()
    assert Relationship.objects.count() > 2 * Case.objects.count()
    assert not Case.objects.annotate(n=Count("team_members")).filter(n=0).exists()
    assert not Case.objects.annotate(n=Count("participants")).filter(participants__role="child", n=0).exists()


def test_the_names_include_macrons_so_search_can_be_tried(demo):
    assert Participant.objects.filter(person__given_name__contains="ā").exists()


def test_every_demo_case_has_its_history(demo):
    assert not Case.objects.exclude(pk__in=AuditEvent.objects.filter(event="case.created").values("case")).exists()


def test_loading_twice_changes_nothing(demo):
    before = Case.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Case.objects.count() == before


def test_the_logins_are_printed_for_every_role(demo):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for _, label in User.Role.choices:
        assert str(label) in text


def test_the_login_page_explains_the_demo_and_its_logins(demo, client):
    page = client.get("/accounts/login/").content.decode()
    assert "Welcome to the Kinplan demo" in page
    assert DEMO_PASSWORD in page and "aroha.sw" in page and "helen.national" in page


def test_most_families_are_assessed_and_planned_with_every_stage_of_a_plan_shown(demo):
    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    assessed = open_cases.filter(assessments__status=Assessment.Status.COMPLETED).distinct()
    planned = open_cases.filter(plans__is_current=True).distinct()
    assert assessed.count() > 0.7 * open_cases.count()
    assert planned.count() > 0.6 * open_cases.count()
    statuses = set(Plan.objects.filter(is_current=True).values_list("status", flat=True))
    assert {"draft", "agreed", "active", "under_review", "closed"} <= statuses
    assert Plan.objects.filter(version__gt=1, is_current=True).exists()  # revised, to be agreed again
    assert Assessment.objects.filter(based_on__isnull=False).exists()  # reassessed
    assert Assessment.objects.filter(status=Assessment.Status.DRAFT).exists()


def test_plans_have_steps_done_overdue_and_coming_up_and_some_fail_the_good_test(demo):
    today = timezone.localdate()
    steps = Step.objects.filter(goal__plan__is_current=True)
    assert steps.filter(status=Step.Status.DONE).exclude(result="").exists()
    assert steps.filter(status__in=["planned", "in_progress"], due_on__lt=today).exists()
    assert steps.filter(status="planned", due_on__gte=today).exists()
    assert steps.filter(goal__track="alternative").exists()  # concurrent planning
    assert any(item_issues(step) for step in steps.filter(kind="service"))
    assert Step.objects.filter(responsible_person__isnull=False).exists()


def test_the_directory_has_iwi_ngo_and_government_providers_and_plans_use_them(demo):
    from kinplan.providers.models import Provider

    kinds = set(Provider.objects.filter(case__isnull=True).values_list("kind", flat=True))
    assert {"iwi", "ngo", "community", "government"} <= kinds
    assert Provider.objects.filter(kind="iwi", iwi__isnull=False).exists()  # for cultural matching
    priced = Step.objects.filter(provider_service__isnull=False, cost__isnull=False)
    assert priced.filter(cost__gt=0, funder="site").exists()


def test_the_demo_managers_and_administrator_have_two_factor_and_the_logins_say_so(demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    managers = User.objects.filter(role__in=["site_manager", "support_manager", "national_manager", "administrator"])
    assert managers.count() >= 5
    assert set(TOTPDevice.objects.filter(confirmed=True).values_list("user", flat=True)) == set(
        managers.values_list("pk", flat=True)
    )
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "two-factor code" in out.getvalue()

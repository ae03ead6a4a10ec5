"""Every empty list says what to do next, and offers the way to do it only to someone who may (issue 9)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from kinplan.planning.models import Plan
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as one line of text, tags kept (to find the links), entities undone."""
    assert response.status_code == 200
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def empty_message(page: str) -> str:
    """The first class="empty" element's inside."""
    match = re.search(r'<(p|div|li) class="empty[^"]*">(.*?)</\1>', page)
    assert match, "no empty-list message on the page"
    return match.group(2)


# --- the caseload ----------------------------------------------------------------------------------------------


def test_an_empty_caseload_tells_a_worker_who_allocates_cases_and_offers_a_new_one(client, alice):
    client.force_login(alice)
    message = empty_message(text(client.get(reverse("cases:caseload"))))
    assert "No cases here yet. Your supervisor allocates cases to you, or" in message
    assert f'<a href="{reverse("cases:new")}">open a new case</a>' in message


def test_someone_who_may_not_open_cases_is_not_offered_a_new_one(client, national_manager):
    client.force_login(national_manager)
    message = empty_message(text(client.get(reverse("cases:caseload"))))
    assert "Your supervisor or site manager allocates them" in message
    assert reverse("cases:new") not in message


# --- the plan: goals and steps ---------------------------------------------------------------------------------


def test_a_plan_with_no_goals_says_to_add_the_first_long_term_goal(client, alice, case):
    PlanFactory(case=case)
    client.force_login(alice)
    page = text(client.get(reverse("planning:plan", args=[case.pk])))
    assert "No goals for the main permanency goal yet. Add the first long-term goal" in page
    assert f'href="{reverse("planning:goal_new", args=[case.pk])}"' in page


def test_a_goal_with_no_steps_says_to_add_the_first_step_beside_the_button(client, alice, case):
    goal = GoalFactory(plan=PlanFactory(case=case))
    client.force_login(alice)
    page = text(client.get(reverse("planning:plan", args=[case.pk])))
    steps = re.search(rf'<ol class="steps" id="steps-{goal.pk}">(.*?)</ol>', page).group(1)
    assert "No steps yet — add the first step: what exactly, who does it and by when." in steps
    assert f'href="{reverse("planning:step_new", args=[case.pk, goal.pk])}"' in page


def test_a_goal_with_steps_has_no_empty_message(client, alice, case):
    StepFactory(goal=GoalFactory(plan=PlanFactory(case=case)))
    client.force_login(alice)
    assert "No steps yet" not in text(client.get(reverse("planning:plan", args=[case.pk])))


def test_a_reader_of_the_plan_is_not_asked_to_add_goals_or_steps(client, national_manager, case):
    goal = GoalFactory(plan=PlanFactory(case=case, status=Plan.Status.DRAFT))
    client.force_login(national_manager)
    page = text(client.get(reverse("planning:plan", args=[case.pk])))
    assert "No goals for the main permanency goal yet." not in page  # there is one
    assert "Add the first long-term goal" not in page
    assert "No steps yet" not in page
    assert reverse("planning:step_new", args=[case.pk, goal.pk]) not in page
    assert reverse("planning:goal_new", args=[case.pk]) not in page


# --- referrals -------------------------------------------------------------------------------------------------


def test_an_empty_referrals_list_points_a_worker_to_the_directory_and_the_case_page(client, alice):
    client.force_login(alice)
    message = empty_message(text(client.get(reverse("referrals:list"))))
    assert "No referrals yet. Find a service in the" in message
    assert f'<a href="{reverse("providers:directory")}">provider directory</a>' in message
    assert "refer the family from the case page with “Refer someone”" in message


def test_someone_who_may_not_refer_is_told_who_does(client, support_caseworker):
    client.force_login(support_caseworker)
    message = empty_message(text(client.get(reverse("referrals:list"))))
    assert "The social worker refers the family to a service from the case page" in message
    assert "<a " not in message


def test_a_case_without_referrals_offers_its_worker_the_referral(client, alice, case):
    client.force_login(alice)
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    section = re.search(r'<section aria-labelledby="referrals-h".*?</section>', page).group(0)
    assert "No referrals yet." in section
    assert f'<a href="{reverse("referrals:new", args=[case.pk])}">refer them to a provider</a>' in section


def test_a_reader_of_the_case_is_not_offered_the_referral(client, national_manager, case):
    client.force_login(national_manager)
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    section = re.search(r'<section aria-labelledby="referrals-h".*?</section>', page).group(0)
    assert "No referrals yet." in section
    assert reverse("referrals:new", args=[case.pk]) not in section


# --- the case page and assessments -----------------------------------------------------------------------------


def test_no_relationships_offers_the_worker_to_add_one_and_a_reader_nothing(client, alice, national_manager, case):
    add = reverse("cases:object_add", args=[case.pk, "relationship"])
    client.force_login(alice)
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    assert f'No relationships recorded yet. <a href="{add}">Add a relationship</a> for each person and the' in page
    client.force_login(national_manager)
    page = text(client.get(reverse("cases:detail", args=[case.pk])))
    assert "No relationships recorded yet." in page
    assert add not in page


def test_no_assessment_offers_the_worker_to_start_one_and_a_reader_nothing(client, alice, national_manager, case):
    start = reverse("assessments:new", args=[case.pk])
    client.force_login(alice)
    page = text(client.get(reverse("assessments:list", args=[case.pk])))
    assert f'No assessment yet. <a href="{start}">Start an assessment</a>: strengths, needs' in page
    client.force_login(national_manager)
    page = text(client.get(reverse("assessments:list", args=[case.pk])))
    assert "No assessment yet." in page
    assert start not in page

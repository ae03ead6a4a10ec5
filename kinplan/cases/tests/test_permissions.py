"""Who sees which case: one test per role, and the object check agrees with the list filter."""

from __future__ import annotations

import pytest
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import SiteFactory, TeamFactory, UserFactory
from kinplan.audit.models import RecordView
from kinplan.cases.models import Case
from kinplan.cases.permissions import (
    can_create_case,
    can_edit_case,
    can_edit_person,
    can_view_case,
    case_get_for_user_or_404,
    cases_visible_to,
    people_visible_to,
)
from kinplan.cases.tests.factories import CaseFactory, child_of


def test_a_social_worker_sees_only_their_own_caseload(alice, bob, case):
    assert list(cases_visible_to(alice)) == [case]
    assert list(cases_visible_to(bob)) == []


def test_a_supervisor_sees_their_teams_cases_and_not_another_teams(supervisor, other_team_supervisor, case):
    assert list(cases_visible_to(supervisor)) == [case]
    assert list(cases_visible_to(other_team_supervisor)) == []


def test_a_site_manager_sees_the_whole_site_and_nothing_elsewhere(site_manager, other_site_manager, case, charlie_case):
    assert list(cases_visible_to(site_manager)) == [case]
    assert list(cases_visible_to(other_site_manager)) == [charlie_case]


def test_support_service_staff_see_only_cases_referred_to_them(support_caseworker, support_manager, case, charlie_case):
    assert not cases_visible_to(support_caseworker).exists()
    assert not cases_visible_to(support_manager).exists()
    # given the support service is allocated to alice's case
    Case.objects.filter(pk=case.pk).update(
        support_service=support_manager.organisation, support_worker=support_caseworker
    )
    assert list(cases_visible_to(support_caseworker)) == [case]
    assert list(cases_visible_to(support_manager)) == [case]


def test_a_national_manager_sees_every_case_but_changes_none(national_manager, case, charlie_case):
    assert set(cases_visible_to(national_manager)) == {case, charlie_case}
    assert not can_edit_case(national_manager, case)


def test_an_administrator_sees_no_case_record(administrator, case):
    assert not cases_visible_to(administrator).exists()
    assert not can_view_case(administrator, case)


def test_inactive_users_see_nothing(alice, case):
    alice.is_active = False
    alice.save()
    assert not cases_visible_to(alice).exists()


def test_editing_follows_seeing_for_editor_roles(alice, bob, supervisor, site_manager, charlie, case):
    assert can_edit_case(alice, case)
    assert can_edit_case(supervisor, case)
    assert can_edit_case(site_manager, case)
    assert not can_edit_case(bob, case)
    assert not can_edit_case(charlie, case)


def test_only_site_staff_who_plan_can_open_cases(
    alice, supervisor, site_manager, national_manager, support_manager, administrator
):
    assert can_create_case(alice) and can_create_case(supervisor) and can_create_case(site_manager)
    assert not any(can_create_case(u) for u in (national_manager, support_manager, administrator))


def test_people_are_visible_through_the_cases_they_are_in(alice, charlie, case, charlie_case):
    assert child_of(case) in people_visible_to(alice)
    assert child_of(charlie_case) not in people_visible_to(alice)
    assert can_edit_person(alice, child_of(case))
    assert not can_edit_person(charlie, child_of(case))


def test_opening_a_case_logs_the_view_and_a_hidden_case_is_a_404(alice, charlie, case):
    # when alice opens her case
    assert case_get_for_user_or_404(alice, case.pk) == case
    # then the view is logged
    assert RecordView.objects.filter(user=alice, case=case).count() == 1
    # and charlie cannot tell the case exists
    with pytest.raises(Http404):
        case_get_for_user_or_404(charlie, case.pk)
    assert not RecordView.objects.filter(user=charlie).exists()


def test_rules_permissions_match_the_predicates(alice, bob, case):
    assert alice.has_perm("cases.view_case", case)
    assert alice.has_perm("cases.change_case", case)
    assert not bob.has_perm("cases.view_case", case)


def expected_visibility(user: User, case: Case) -> bool:
    """The rule of DESIGN.md, written plainly: own caseload / team / site / all, as the role allows."""
    return {
        User.Role.SOCIAL_WORKER: case.worker_id == user.pk,
        User.Role.SUPERVISOR: user.team_id is not None and case.team_id == user.team_id,
        User.Role.SITE_MANAGER: user.site_id is not None and case.site_id == user.site_id,
        User.Role.SUPPORT_CASEWORKER: case.support_worker_id == user.pk
        or (
            case.support_worker_id is None
            and user.organisation_id is not None
            and case.support_service_id == user.organisation_id
        ),
        User.Role.SUPPORT_MANAGER: case.support_service_id is not None
        and case.support_service_id == user.organisation_id,
        User.Role.NATIONAL_MANAGER: True,
        User.Role.ADMINISTRATOR: False,
    }[user.role]


class TestVisibilityFollowsTheRule(HypothesisTestCase):
    """For any role and placement, the queryset, the predicate and the plain rule agree."""

    @settings(max_examples=60, deadline=None)
    @given(
        role=st.sampled_from(User.Role.values),
        same_site=st.booleans(),
        same_team=st.booleans(),
        is_worker=st.booleans(),
        referred=st.booleans(),
    )
    def test_for_any_user_and_case(self, role, same_site, same_team, is_worker, referred):
        site, elsewhere = SiteFactory(), SiteFactory()
        team = TeamFactory(site=site)
        case = CaseFactory(worker=UserFactory(team=team))
        user_team = team if same_site and same_team else TeamFactory(site=site if same_site else elsewhere)
        user = UserFactory(role=role, team=user_team)
        if is_worker:
            Case.objects.filter(pk=case.pk).update(worker=user, support_worker=user)
        if referred:
            Case.objects.filter(pk=case.pk).update(support_service=user.organisation)
        case.refresh_from_db()
        assert can_view_case(user, case) == expected_visibility(user, case)
        assert (case in cases_visible_to(user)) == expected_visibility(user, case)
        assert can_edit_case(user, case) == (
            expected_visibility(user, case)
            and role in {User.Role.SOCIAL_WORKER, User.Role.SUPERVISOR, User.Role.SITE_MANAGER}
        )

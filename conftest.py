"""Shared fixtures: alice owns a case; bob works at her site; charlie works at another site."""

from __future__ import annotations

import pytest

from kinplan.accounts.models import Organisation, User
from kinplan.accounts.tests.factories import OrganisationFactory, SiteFactory, TeamFactory, UserFactory
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory

Role = User.Role


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks(settings):
    """A request in another language leaves it active in the thread: each test starts and ends in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_sessionstart(session):
    """Compile the translation catalogues that changed (the shipped languages are tested like everything else)."""
    from kinplan.core.i18n import compile_stale_catalogues

    compile_stale_catalogues()


@pytest.fixture
def site(db):
    return SiteFactory(name="Wellington")


@pytest.fixture
def team(site):
    return TeamFactory(site=site, name="East")


@pytest.fixture
def other_team(site):
    return TeamFactory(site=site, name="West")


@pytest.fixture
def other_site(db):
    return SiteFactory(name="Christchurch")


@pytest.fixture
def alice(team):
    """A social worker who owns `case`."""
    return UserFactory(username="alice", team=team)


@pytest.fixture
def bob(team):
    """A social worker in alice's team: not the case's worker."""
    return UserFactory(username="bob", team=team)


@pytest.fixture
def charlie(other_site):
    """A social worker at another site."""
    return UserFactory(username="charlie", team=TeamFactory(site=other_site))


@pytest.fixture
def supervisor(team):
    return UserFactory(username="sam", role=Role.SUPERVISOR, team=team)


@pytest.fixture
def other_team_supervisor(other_team):
    return UserFactory(username="olga", role=Role.SUPERVISOR, team=other_team)


@pytest.fixture
def site_manager(site):
    return UserFactory(username="mere", role=Role.SITE_MANAGER, team=None, site=site)


@pytest.fixture
def other_site_manager(other_site):
    return UserFactory(username="fiona", role=Role.SITE_MANAGER, team=None, site=other_site)


@pytest.fixture
def support_service(db):
    return OrganisationFactory(name="Permanent Caregiver Support Service", kind=Organisation.Kind.SUPPORT_SERVICE)


@pytest.fixture
def support_caseworker(support_service):
    return UserFactory(
        username="pita", role=Role.SUPPORT_CASEWORKER, team=None, site=None, organisation=support_service
    )


@pytest.fixture
def support_manager(support_service):
    return UserFactory(username="ruth", role=Role.SUPPORT_MANAGER, team=None, site=None, organisation=support_service)


@pytest.fixture
def national_manager(db):
    return UserFactory(username="helen", role=Role.NATIONAL_MANAGER, team=None, site=None)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, team=None, site=None)


@pytest.fixture
def case(alice):
    """Alice's case: one child and a mother."""
    case = CaseFactory(worker=alice, name="Ngata whānau")
    ParticipantFactory(case=case, role="parent")
    return case


@pytest.fixture
def charlie_case(charlie):
    return CaseFactory(worker=charlie, name="Smith family")

"""Fixtures for the permanent care tests: the people of seed 003 and a family ready for the process."""

from __future__ import annotations

import pytest

from kinplan.permanent_care.tests.factories import Family, Staff, family_for_permanent_care


@pytest.fixture
def staff(alice, supervisor, site_manager, support_caseworker, support_manager, national_manager, support_service):
    return Staff(
        alice, supervisor, site_manager, support_caseworker, support_manager, national_manager, support_service
    )


@pytest.fixture
def family(staff) -> Family:
    return family_for_permanent_care(staff.worker)

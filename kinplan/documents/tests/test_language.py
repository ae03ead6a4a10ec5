"""Which language the family's plan is in: the one asked for, else the family's own where Kinplan ships it."""

from __future__ import annotations

import pytest

from kinplan.cases.models import Participant
from kinplan.cases.tests.factories import CaseFactory, PersonFactory
from kinplan.documents.selectors import family_language, shipped_language


@pytest.mark.parametrize(
    ("written", "language"),
    [
        ("nb", "nb"),
        ("NO", "nb"),
        ("nb_NO", "nb"),
        ("Norsk", "nb"),
        ("norwegian", "nb"),
        ("Bokmål", "nb"),
        ("Norsk bokmal", "nb"),
        ("Norwegian (Bokmål)", "nb"),
        ("en", "en-nz"),
        ("en-NZ", "en-nz"),
        ("English", "en-nz"),
        ("Samoan and English", "en-nz"),
        ("Samoan", None),
        ("Te reo Māori", None),
        ("No preference", None),
        ("", None),
        (None, None),
    ],
)
def test_a_shipped_language_is_recognised_however_it_is_written(written, language):
    assert shipped_language(written) == language


def _family(child: str = "", caregiver: str = "", parent: str = "") -> object:
    case = CaseFactory(child=PersonFactory(preferred_language=child))
    Participant.objects.create(case=case, person=PersonFactory(preferred_language=caregiver), role="caregiver")
    Participant.objects.create(case=case, person=PersonFactory(preferred_language=parent), role="parent")
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("child", "caregiver", "parent", "language"),
    [
        ("Norsk", "English", "", "nb"),  # the child's own language first
        ("English", "Norsk", "Norsk", "en-nz"),
        ("", "Norsk", "English", "nb"),  # then a caregiver's
        ("Samoan", "", "norwegian", "nb"),  # a language Kinplan does not ship is passed over
        ("Samoan", "Tongan", "", "en-nz"),  # none shipped: English
        ("", "", "", "en-nz"),
    ],
)
def test_the_family_plan_is_in_the_familys_language_by_default(child, caregiver, parent, language):
    assert family_language(_family(child, caregiver, parent)) == language


@pytest.mark.django_db
def test_a_language_asked_for_wins_unless_kinplan_does_not_ship_it():
    case = _family(child="Norsk")
    assert family_language(case, "en-nz") == "en-nz"
    assert family_language(case, "fr") == "nb"


@pytest.mark.django_db
def test_someone_no_longer_in_the_case_does_not_choose():
    case = _family(child="", caregiver="Norsk")
    Participant.objects.filter(case=case, role="caregiver").update(archived_at="2026-01-01T00:00Z")
    assert family_language(case) == "en-nz"

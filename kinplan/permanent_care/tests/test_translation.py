"""The permanent care pages, messages and acknowledgement letter in Norwegian Bokmål: in the reader's language,
with their date and number formats; te reo Māori greetings stay as they are."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, translation

from kinplan.permanent_care import services
from kinplan.permanent_care.letter import letter_pdf
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.selectors import one_year_after, span_problems
from kinplan.permanent_care.tests.factories import arrangement_at, days
from kinplan.permanent_care.tests.test_letter import read
from kinplan.permanent_care.tests.test_views import page, text

pytestmark = pytest.mark.django_db

S = SupportArrangement.Status


def test_the_plan_page_shows_in_norwegian_for_a_user_who_chose_it(client, staff, family):
    a = arrangement_at(S.APPROVED, family, staff)
    staff.worker.language = "nb"
    staff.worker.save(update_fields=["language"])
    seen = text(page(client, staff.worker, a))
    assert "Støtteplan for varig omsorg: Aroha Ngata" in seen
    assert "Godkjent – venter på opphevelse av vedtak" in seen
    assert "Når planen ikke godkjennes: eskaleringstrappen" in seen
    assert "$1 200,00" in seen  # Norwegian grouping (a non-breaking space, squeezed here) and decimal comma
    with translation.override("nb"):
        assert f"Evalueringsdato {formats.date_format(a.review_on)}" in seen
    assert "Permanent care support plan:" not in seen


def test_the_letter_is_written_in_the_language_active_when_it_is_rendered(staff, family):
    a = arrangement_at(S.SENT, family, staff)
    with translation.override("nb"):
        _, seen = read(letter_pdf(a))
        review_on = formats.date_format(a.review_on, "j. F Y")
    assert "Tēnā koe Mere Ngata" in seen  # te reo Māori stays as it is
    assert "Takk for at du gir Aroha Ngata et varig hjem" in seen
    assert "Oranga Tamariki" in seen
    assert f"Den skal evalueres {review_on}" in seen
    assert "Side 1 av" in seen
    assert "Ngā mihi" in seen
    assert "Thank you" not in seen and "Page 1 of" not in seen


def test_a_refusal_is_said_in_the_readers_language_with_their_dates(staff, family):
    a = arrangement_at(S.PLANNING, family, staff)
    a.starts_on, a.ends_on = days(30), days(500)
    with translation.override("nb"):
        problem = span_problems(a)["ends_on"]
        assert "dekker høyst de første 12 månedene" in problem
        assert f"den må slutte senest {formats.date_format(one_year_after(days(30)), 'j. F Y')}." in problem
        with pytest.raises(ValidationError) as refused:
            services.planning_reopen(actor=staff.worker, arrangement=a, reason="Endre tiltak")
    assert "Planen har status «planlegging»" in refused.value.messages[0]

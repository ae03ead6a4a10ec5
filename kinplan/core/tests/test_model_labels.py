"""A stored choice's label (`get_<field>_display()`), translated only when shown, in the reader's language."""

from __future__ import annotations

from django.utils import translation

from kinplan.planning.models import Step


def test_a_choice_shows_its_label_in_the_readers_language():
    step = Step(status=Step.Status.IN_PROGRESS, kind=Step.Kind.TASK)
    with translation.override("en"):
        english = step.get_status_display()
    with translation.override("nb"):
        norwegian = step.get_status_display()
    assert english == str(Step.Status.IN_PROGRESS.label) != norwegian
    with translation.override("nb"):
        assert norwegian == str(Step.Status.IN_PROGRESS.label)


def test_a_value_with_no_choice_shows_as_stored_and_none_stays_none():
    assert Step(status="mislaid").get_status_display() == "mislaid"
    assert Step(funder=None).get_funder_display() is None


def test_only_the_label_shown_is_translated(monkeypatch):
    translated = []
    translation.gettext("")  # the translation machinery is set up on first use
    real = translation._trans.gettext

    def counting(message):
        translated.append(message)
        return real(message)

    monkeypatch.setattr(translation._trans, "gettext", counting)
    with translation.override("nb"):
        Step(status=Step.Status.DONE).get_status_display()
    assert len(translated) == 1

"""English and Norwegian Bokmål ship complete: a string left untranslated fails here, naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from kinplan.core.i18n import (
    SHIPPED_LANGUAGES,
    app_dirs,
    catalogue,
    missing_from_catalogue,
    templates_of,
    untranslated_entries,
    untranslated_template_text,
)
from kinplan.core.terms import Terms

TEMPLATES = [path for app in app_dirs() for path in templates_of(app)]


def _name(path: Path) -> str:
    return str(path.relative_to(path.parents[3]))


@pytest.mark.parametrize("template", TEMPLATES, ids=_name)
def test_template_text_is_marked_for_translation(template):
    assert untranslated_template_text(template) == [], (
        f"{_name(template)}: wrap this text in {{% translate %}} or {{% blocktranslate %}}"
    )


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
@pytest.mark.parametrize("app", app_dirs(), ids=lambda path: path.name)
def test_catalogue_holds_every_marked_string(app, language):
    missing = missing_from_catalogue(app, language)
    assert missing == [], (
        f"{app.name}/locale/{language} lacks {len(missing)} string(s); "
        f"run `cd kinplan/{app.name} && django-admin makemessages -l {language}` and translate them: {missing[:20]}"
    )


@pytest.mark.parametrize(
    "po_path",
    [
        catalogue(app, language)
        for app in app_dirs()
        for language in SHIPPED_LANGUAGES
        if catalogue(app, language).exists()
    ],
    ids=lambda path: f"{path.parents[3].name}-{path.parents[1].name}",
)
def test_catalogue_is_translated_in_full(po_path):
    assert untranslated_entries(po_path) == []


def test_the_checker_finds_text_outside_translation_tags(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<h1 title="Plain title">{% translate "Done" %} Left behind</h1>'
        "{% blocktranslate %}Inside {{ x }}{% endblocktranslate %}<style>p { content: 'x' }</style>"
        '<input placeholder="{% translate "Search" %}">{{ value }} Kinplan'
    )
    assert untranslated_template_text(template) == ["Plain", "title", "Left", "behind"]


def test_norwegian_is_served_when_chosen():
    with translation.override("nb"):
        rendered = Template('{% load i18n %}{% translate "Log out" %}').render(Context())
    assert rendered == "Logg ut"


@override_settings(KINPLAN_CHILD_TERM="mokopuna")
def test_terms_follow_the_organisations_choice_and_the_language():
    assert Terms("young_person", "whanau").Children == "Young people"
    assert Terms("mokopuna", "whanau").family == "whānau"
    with translation.override("nb"):
        assert Terms("child", "family").child == "barn"
        assert Terms("mokopuna", "family").child == "mokopuna"

"""An organisation's own words for the people Kinplan is about.

Agencies differ: one says "child", another "mokopuna", a youth service "young person"; one says "family",
another "whānau". The organisation chooses (Organisation.child_term and family_term, in /manage/); every
screen and document then uses its words, in the reader's language. Te reo Māori terms are not translated.

Templates read them from the `terms` context variable: `{{ terms.child }}`, `{{ terms.Children }}`,
`{{ terms.family }}`… Python code calls `terms_for(organisation)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import pgettext


def _child_words(choice: str) -> tuple[str, str]:
    if choice == "mokopuna":
        return "mokopuna", "mokopuna"  # te reo Māori: the same word for one and many
    if choice == "young_person":
        return pgettext("term", "young person"), pgettext("term", "young people")
    return pgettext("term", "child"), pgettext("term", "children")


def _family_words(choice: str) -> tuple[str, str]:
    if choice == "whanau":
        return "whānau", "whānau"
    return pgettext("term", "family"), pgettext("term", "families")


@dataclass(frozen=True)
class Terms:
    """The chosen words, looked up in the active language each time they are read."""

    child_term: str = "child"
    family_term: str = "family"

    @property
    def child(self) -> str:
        return _child_words(self.child_term)[0]

    @property
    def children(self) -> str:
        return _child_words(self.child_term)[1]

    @property
    def Child(self) -> str:
        return capfirst(self.child)

    @property
    def Children(self) -> str:
        return capfirst(self.children)

    @property
    def family(self) -> str:
        return _family_words(self.family_term)[0]

    @property
    def families(self) -> str:
        return _family_words(self.family_term)[1]

    @property
    def Family(self) -> str:
        return capfirst(self.family)

    @property
    def Families(self) -> str:
        return capfirst(self.families)


def default_terms() -> Terms:
    """The installation's words before anyone signs in (settings KINPLAN_CHILD_TERM, KINPLAN_FAMILY_TERM)."""
    return Terms(settings.KINPLAN_CHILD_TERM, settings.KINPLAN_FAMILY_TERM)


def terms_for(organisation: Any) -> Terms:
    if organisation is None:
        return default_terms()
    return Terms(organisation.child_term, organisation.family_term)


def terms(request: HttpRequest) -> dict[str, Terms]:
    """Context processor: the signed-in user's organisation's words (the user is loaded with it, no query)."""
    user = getattr(request, "user", None)
    organisation = getattr(user, "organisation", None) if user is not None and user.is_authenticated else None
    return {"terms": terms_for(organisation)}

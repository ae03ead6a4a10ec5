"""Sections that other apps add to the case page, so `cases` never imports the workflow apps.

An app registers its section in its AppConfig.ready(): the template to include and a function that
returns what the template needs (in a fixed number of queries). The case page shows them by `order`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kinplan.accounts.models import User
    from kinplan.cases.models import Case

SectionContext = Callable[["Case", "User"], dict[str, Any]]


@dataclass(frozen=True)
class CaseSection:
    name: str
    order: int
    template: str
    context: SectionContext


_sections: dict[str, CaseSection] = {}


def register_case_section(*, name: str, order: int, template: str, context: SectionContext) -> None:
    """Add (or replace) the case page section `name`; lower `order` shows first."""
    _sections[name] = CaseSection(name=name, order=order, template=template, context=context)


def case_sections(*, case: Case, user: User) -> tuple[list[str], dict[str, Any]]:
    """The section templates in order, and the context they need, merged."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.name))
    context: dict[str, Any] = {}
    for section in ordered:
        context.update(section.context(case, user))
    return [section.template for section in ordered], context

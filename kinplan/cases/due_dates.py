"""Dates other apps add to a case's "next due": a plan step, a plan review, a court hearing, a meeting…

An app registers, in its AppConfig.ready(), a name, a label and a function returning an expression (best a
Subquery over OuterRef("pk")) that gives a case's next such date, or NULL. The caseload shows the earliest of
them and the case's own review date, with what it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, Expression, F, Value
from django.db.models.functions import Coalesce, Least, NullIf
from django.utils.translation import gettext_lazy as _

# A date later than any real one: SQLite's LEAST is NULL if any argument is, so blanks become this first.
NEVER = datetime.date(9999, 12, 31)
CASE_REVIEW = _("case review")


@dataclass(frozen=True)
class DueDateSource:
    name: str  # the annotation's name, e.g. "step_due"
    label: str  # what it is, e.g. "a plan step" (marked for translation: gettext_lazy)
    expression: Callable[[datetime.date], Expression]  # given today, a case's next such date


_sources: dict[str, DueDateSource] = {}


def register_due_date(*, name: str, label: str, expression: Callable[[datetime.date], Expression]) -> None:
    _sources[name] = DueDateSource(name=name, label=label, expression=expression)


def due_date_sources() -> list[DueDateSource]:
    return sorted(_sources.values(), key=lambda source: source.name)


def due_date_annotations(today: datetime.date) -> dict[str, Any]:
    """Each registered date, then `next_due`: the earliest of them and the case's own review date."""
    dates = {source.name: source.expression(today) for source in due_date_sources()}
    never = Value(NEVER, output_field=DateField())
    earliest = Least(
        Coalesce(F("next_review_on"), never, output_field=DateField()),
        *(Coalesce(expression, never, output_field=DateField()) for expression in dates.values()),
    )
    return dates | {"next_due": NullIf(earliest, never, output_field=DateField())}


def next_due_label(case: Any) -> str:
    """What a case's `next_due` (annotated by `due_date_annotations`) is."""
    for source in due_date_sources():
        if getattr(case, source.name, None) == case.next_due:
            return source.label
    return CASE_REVIEW

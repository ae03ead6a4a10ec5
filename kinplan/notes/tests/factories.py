from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from kinplan.cases.tests.factories import CaseFactory
from kinplan.notes.models import CaseNote


class CaseNoteFactory(factory.django.DjangoModelFactory):
    """A plain note by the case's worker, written yesterday (straight to the table: no history)."""

    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    written_by = factory.LazyAttribute(lambda n: n.case.worker)
    kind = CaseNote.Kind.NOTE
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    text = factory.Sequence(lambda n: f"Note number {n}.")

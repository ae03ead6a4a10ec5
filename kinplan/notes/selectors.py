"""Reads over case notes, each starting from what the user may read (permissions.note_visibility): the case page's
section, the notes list and one note, in a fixed number of queries. Confidential notes a user may not read are
never loaded for them: only counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Person
from kinplan.notes.models import CaseNote
from kinplan.notes.permissions import (
    may_change_confidentiality_on_open_case,
    may_strike_out_on_open_case,
    may_write_on_open_case,
    note_visibility,
    sees_confidential_on_open_case,
)

SECTION_SIZE = 5


def notes_for(*, user: User, case: Case) -> QuerySet[CaseNote]:
    """The notes of `case` (which the caller let `user` open) that `user` may read, newest first: confidential ones
    only for the case's statutory staff and their authors."""
    return (
        CaseNote.objects.filter(case=case)
        .filter(note_visibility(user))
        .select_related("written_by", "about", "archived_by")
        .order_by("-occurred_on", "-id")
    )


def hidden_confidential_count(*, user: User, case: Case) -> int:
    """How many confidential notes of `case` are left out for `user` (never which)."""
    if sees_confidential_on_open_case(user):
        return 0
    return CaseNote.objects.filter(case=case, is_confidential=True).exclude(written_by_id=user.pk).count()


def with_actions(notes: list[CaseNote], *, user: User, case: Case) -> list[CaseNote]:
    """Set `can_strike_out` and `can_change_confidentiality` on each note (no query)."""
    for note in notes:
        note.case = case
        note.can_strike_out = not note.is_struck_out and may_strike_out_on_open_case(user, note)  # type: ignore[attr-defined]
        note.can_change_confidentiality = may_change_confidentiality_on_open_case(user, note)  # type: ignore[attr-defined]
    return notes


def notes_section(*, case: Case, user: User) -> dict[str, Any]:
    """The case page's section in two queries: the counts, and the latest notes still standing."""
    visible = note_visibility(user)
    counts: dict[str, Any] = {"notes_total": Count("pk", filter=visible & Q(archived_at__isnull=True))}
    if not sees_confidential_on_open_case(user):
        counts["notes_hidden"] = Count("pk", filter=Q(is_confidential=True) & ~Q(written_by_id=user.pk))
    found = CaseNote.objects.filter(case=case).aggregate(**counts)
    recent = list(notes_for(user=user, case=case).filter(archived_at__isnull=True)[:SECTION_SIZE])
    return {
        "notes_recent": recent,
        "notes_total": found["notes_total"],
        "notes_hidden": found.get("notes_hidden", 0),
        "notes_can_write": may_write_on_open_case(user, case),
    }


@dataclass(frozen=True)
class NoteFilters:
    kind: str = ""
    about: Person | None = None


def note_list(*, user: User, case: Case, filters: NoteFilters) -> QuerySet[CaseNote]:
    """The notes list: what `user` may read of `case`, filtered by kind and person, newest first."""
    notes = notes_for(user=user, case=case)
    if filters.kind:
        notes = notes.filter(kind=filters.kind)
    if filters.about is not None:
        notes = notes.filter(about=filters.about)
    return notes


def people_in_case(*, case: Case) -> QuerySet[Person]:
    """The people a note may be about: those taking part in the case now."""
    return Person.objects.filter(participations__case=case, participations__archived_at__isnull=True).distinct()


def note_for(*, user: User, case: Case, note_pk: int) -> CaseNote:
    """One note of `case` that `user` may read, else 404 (a confidential one they may not read included)."""
    note: CaseNote = get_object_or_404(notes_for(user=user, case=case), pk=note_pk)
    return with_actions([note], user=user, case=case)[0]


def note_history(*, note: CaseNote) -> list[AuditEvent]:
    """The note's history, latest first (a confidential note's text is never in it)."""
    entries = AuditEvent.objects.filter(target_type=CaseNote._meta.label_lower, target_id=str(note.pk))
    return list(entries.select_related("actor").order_by("-at", "-id"))

"""Writing case notes, striking one out, and marking one confidential (or readable again).

A note's text is never changed once saved. History records each act; for a confidential note it records what the
note says as "[confidential]" (the note row is the record of it), because history is read by everyone who reads
the case. When a note is marked confidential later, what history said of it before is redacted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.audit.services import Changes, audit_record, audit_redact, created_changes
from kinplan.cases.models import Case, Participant, Person
from kinplan.core.errors import ensure
from kinplan.notes.models import CaseNote
from kinplan.notes.permissions import (
    can_lift_note_confidential,
    can_mark_note_confidential,
    can_strike_out_note,
    can_write_notes,
)

CONFIDENTIAL = "[confidential]"
NOTE_FIELDS = ("kind", "occurred_on", "about", "text", "is_confidential", "confidential_reason")
# What history must not say of a confidential note: its text, whom it is about, and the reasons given.
SENSITIVE = frozenset({"text", "about", "confidential_reason", "reason"})
REASON_MAX_LENGTH = 300


def _withheld(changes: Changes) -> Changes:
    """`changes` with each sensitive value replaced by "[confidential]"."""
    return {
        name: [CONFIDENTIAL if name in SENSITIVE and value not in (None, "") else value for value in pair]
        for name, pair in changes.items()
    }


def _history(note: CaseNote, changes: Changes) -> Changes:
    return _withheld(changes) if note.is_confidential else changes


def _reveals(changes: dict[str, Any]) -> bool:
    """Whether a history entry says something sensitive about a note."""
    return any(
        name in SENSITIVE and any(value not in (None, "", CONFIDENTIAL) for value in pair)
        for name, pair in changes.items()
        if isinstance(pair, list)
    )


def _validate(note: CaseNote) -> None:
    """The note's fields (blank, too long, a date in the future or before 1900) and the case's rules, together."""
    errors: dict[str, Any] = {}
    if note.about_id and not Participant.objects.filter(case_id=note.case_id, person_id=note.about_id).exists():
        errors["about"] = [_("Choose someone in this case.")]
    if note.is_confidential and not note.confidential_reason:
        errors["confidential_reason"] = [_("Say why the note is confidential.")]
    try:
        note.full_clean(validate_constraints=not errors)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def note_create(
    *,
    actor: User,
    case: Case,
    text: str,
    kind: str = CaseNote.Kind.NOTE,
    occurred_on: datetime.date | None = None,
    about: Person | None = None,
    is_confidential: bool = False,
    confidential_reason: str = "",
) -> CaseNote:
    """Write a note on `case`; a confidential one keeps its text out of history."""
    ensure(can_write_notes(actor, case), _("You cannot write notes on this case."))
    note = CaseNote(
        case=case,
        written_by=actor,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        about=about,
        text=(text or "").strip(),
        is_confidential=bool(is_confidential),
        confidential_reason=(confidential_reason or "").strip() if is_confidential else "",
    )
    _validate(note)
    note.save()
    changes = created_changes(note, NOTE_FIELDS)
    audit_record(actor=actor, event="note.created", target=note, case=case, changes=_history(note, changes))
    return note


def _locked(note: CaseNote) -> CaseNote:
    return CaseNote.objects.select_for_update(of=("self",)).select_related("case").get(pk=note.pk)


def _reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [missing]})
    if len(reason) > REASON_MAX_LENGTH:
        message = _("Keep the reason to %(limit)d characters (it has %(length)d).")
        raise ValidationError({"reason": [message % {"limit": REASON_MAX_LENGTH, "length": len(reason)}]})
    return reason


@transaction.atomic
def note_strike_out(*, actor: User, note: CaseNote, reason: str) -> CaseNote:
    """Strike out a wrong note (its author, or the case's supervisor or site manager): it is kept, crossed out,
    with the reason; write a new note for what is right."""
    ensure(
        can_strike_out_note(actor, note),
        _("Only the note's author, or the case's supervisor or site manager, can strike it out."),
    )
    note = _locked(note)
    if note.is_struck_out:
        raise ValidationError(_("This note is already struck out."))
    reason = _reason(reason, _("Say why the note is struck out."))
    note.archived_at, note.archived_by, note.archived_reason = timezone.now(), actor, reason
    note.full_clean()
    note.save(update_fields=["archived_at", "archived_by", "archived_reason", "updated_at"])
    changes: Changes = {"struck_out": [False, True], "reason": [None, reason]}
    audit_record(actor=actor, event="note.struck_out", target=note, case=note.case, changes=_history(note, changes))
    return note


@transaction.atomic
def note_set_confidential(*, actor: User, note: CaseNote, confidential: bool, reason: str) -> CaseNote:
    """Mark a note confidential (with why), or make it readable to everyone on the case again (with why). Marking
    it redacts what history said of it before."""
    if confidential:
        ensure(can_mark_note_confidential(actor, note), _("You cannot mark this note confidential."))
    else:
        ensure(
            can_lift_note_confidential(actor, note),
            _("Only the note's author, or the case's supervisor or site manager, can make it readable again."),
        )
    note = _locked(note)
    if note.is_confidential == confidential:
        already = _("The note is already confidential.") if confidential else _("The note is not confidential.")
        raise ValidationError({"confidential": [already]})
    missing = _("Say why the note is confidential.") if confidential else _("Say why everyone may read it now.")
    reason = _reason(reason, missing)
    before = note.is_confidential
    note.is_confidential, note.confidential_reason = confidential, reason if confidential else ""
    note.full_clean()
    note.save(update_fields=["is_confidential", "confidential_reason", "updated_at"])
    if confidential:
        _redact_history_of(note, actor)
    changes: Changes = {"is_confidential": [before, confidential], "reason": [None, reason]}
    audit_record(
        actor=actor, event="note.confidentiality_changed", target=note, case=note.case, changes=_history(note, changes)
    )
    return note


def _redact_history_of(note: CaseNote, actor: User) -> None:
    """Redact the history entries that say what a note (now confidential) says, e.g. its "note.created" entry."""
    entries = AuditEvent.objects.filter(
        target_type=CaseNote._meta.label_lower, target_id=str(note.pk), redacted_at__isnull=True
    ).values_list("pk", "changes")
    revealing = [pk for pk, changes in entries if isinstance(changes, dict) and _reveals(changes)]
    if revealing:
        audit_redact(
            events=AuditEvent.objects.filter(pk__in=revealing),
            reason=_("The case note was marked confidential: what history said of it is withheld."),
            actor=actor,
        )

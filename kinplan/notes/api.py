"""API endpoints for case notes.

Every note is reached through its case. A confidential note the user may not read is a 404, as one that does not
exist, and lists leave it out (counting it in `confidential_not_shown`); the services refuse acts the user may see
but not do (403) and bad input (422, naming the field sent, with nothing saved).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from kinplan.accounts.models import User
from kinplan.cases.models import Person
from kinplan.cases.permissions import case_for_api
from kinplan.core.api import found_or_404, listed_after, referenced
from kinplan.notes import schemas as s
from kinplan.notes import selectors, services
from kinplan.notes.models import CaseNote

router = Router(tags=["notes"])


def _note_for(request: HttpRequest, case_id: int, note_id: int) -> CaseNote:
    case = case_for_api(request, case_id)
    note: CaseNote = found_or_404(selectors.notes_for(user=request.user, case=case), note_id)  # type: ignore[arg-type]
    note.case = case
    return note


@router.get(
    "/cases/{case_id}/notes",
    response=s.NotePage,
    summary="A case's notes you may read, newest first (confidential ones only for those who may read them)",
)
def list_notes(
    request: HttpRequest,
    case_id: int,
    kind: CaseNote.Kind | None = None,
    about_id: int | None = None,
    after: int = 0,
    limit: int = Query(50, ge=1, le=200),
):  # type: ignore[no-untyped-def]
    user: User = request.user  # type: ignore[assignment]
    case = case_for_api(request, case_id)
    notes = selectors.notes_for(user=user, case=case)
    if kind:
        notes = notes.filter(kind=kind)
    if about_id is not None:
        notes = notes.filter(about_id=about_id)
    if after:
        notes = notes.filter(listed_after(notes, after, "occurred_on", newest_first=True))
    items = list(notes[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return {
        "items": items,
        "next_after": items[-1].pk if more and items else None,
        "confidential_not_shown": selectors.hidden_confidential_count(user=user, case=case),
    }


@router.post("/cases/{case_id}/notes", response={201: s.NoteOut}, summary="Write a note on a case")
def create_note(request: HttpRequest, case_id: int, payload: s.NoteIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    about = referenced(Person, payload.about_id, "about_id", participations__case=case)
    note = services.note_create(
        actor=request.user,
        case=case,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        text=payload.text,
        about=about,
        is_confidential=payload.is_confidential,
        confidential_reason=payload.confidential_reason,
    )
    note.case = case
    return 201, _reread(request, note)


@router.get("/cases/{case_id}/notes/{note_id}", response=s.NoteOut, summary="One note of a case")
def get_note(request: HttpRequest, case_id: int, note_id: int):  # type: ignore[no-untyped-def]
    return _note_for(request, case_id, note_id)


@router.post(
    "/cases/{case_id}/notes/{note_id}/strike-out",
    response=s.NoteOut,
    summary="Strike out a wrong note, with the reason (its author, or the case's supervisor or site manager)",
)
def strike_out_note(request: HttpRequest, case_id: int, note_id: int, payload: s.StrikeOutIn):  # type: ignore[no-untyped-def]
    note = _note_for(request, case_id, note_id)
    services.note_strike_out(actor=request.user, note=note, reason=payload.reason)
    return _reread(request, note)


@router.put(
    "/cases/{case_id}/notes/{note_id}/confidentiality",
    response=s.NoteOut,
    summary="Mark a note confidential, or make it readable to everyone on the case again, with the reason",
)
def set_note_confidentiality(request: HttpRequest, case_id: int, note_id: int, payload: s.ConfidentialityIn):  # type: ignore[no-untyped-def]
    note = _note_for(request, case_id, note_id)
    services.note_set_confidential(
        actor=request.user, note=note, confidential=payload.confidential, reason=payload.reason
    )
    return _reread(request, note)


def _reread(request: HttpRequest, note: CaseNote) -> CaseNote:
    found: CaseNote = selectors.notes_for(user=request.user, case=note.case).get(pk=note.pk)
    return found

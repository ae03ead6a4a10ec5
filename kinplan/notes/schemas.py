"""API input and output shapes for case notes."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from kinplan.cases.schemas import Page
from kinplan.notes.models import TEXT_MAX_LENGTH, CaseNote


class NoteOut(Schema):
    id: int
    case_id: int
    kind: CaseNote.Kind
    occurred_on: datetime.date
    about_id: int | None = Field(..., description="The person in the case the note is mainly about, if one.")
    about_name: str | None
    text: str
    written_by_id: int
    written_by_name: str
    written_at: datetime.datetime = Field(..., alias="created_at")
    is_confidential: bool = Field(
        ...,
        description="Confidential notes are shown only to the case's social worker, supervisor and site manager "
        "and to their author; to everyone else they do not exist (404), and lists count them in "
        "confidential_not_shown.",
    )
    confidential_reason: str
    struck_out: bool = Field(..., alias="is_struck_out", description="A wrong note is kept, struck out.")
    struck_out_at: datetime.datetime | None = Field(..., alias="archived_at")
    struck_out_by_name: str | None
    struck_out_reason: str = Field(..., alias="archived_reason")

    @staticmethod
    def resolve_about_name(obj: CaseNote) -> str | None:
        return obj.about.full_name if obj.about else None

    @staticmethod
    def resolve_written_by_name(obj: CaseNote) -> str:
        return str(obj.written_by)

    @staticmethod
    def resolve_struck_out_by_name(obj: CaseNote) -> str | None:
        return str(obj.archived_by) if obj.archived_by else None


class NotePage(Page[NoteOut]):
    confidential_not_shown: int = Field(
        0, description="How many confidential notes of the case are not shown to you (never which)."
    )


class NoteIn(Schema):
    kind: CaseNote.Kind = CaseNote.Kind.NOTE
    occurred_on: datetime.date | None = Field(None, description="When it happened; today if not given.")
    text: str = Field(..., description=f"The note; at most {TEXT_MAX_LENGTH} characters. It cannot be changed later.")
    about_id: int | None = Field(None, description="A person in the case the note is mainly about.")
    is_confidential: bool = False
    confidential_reason: str = Field("", description="Required when is_confidential: why it is confidential.")


class StrikeOutIn(Schema):
    reason: str = Field(..., description="Why the note is struck out.")


class ConfidentialityIn(Schema):
    confidential: bool
    reason: str = Field(..., description="Why it is (or is no longer) confidential.")

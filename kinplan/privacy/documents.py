"""The subject access record as a PDF (kinplan.documents.pdf) and as a JSON download."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.rows import event_label
from kinplan.cases.models import Person
from kinplan.documents.pdf import pdf_response, render_document

EMPTY = "—"


def shown(value: Any, field: Any = None) -> str:
    """A value as a reader of the PDF sees it: a choice by its label, a date in their locale, yes or no."""
    if value in (None, "", []):
        return EMPTY
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, decimal.Decimal | float | int):
        return formats.localize(value)
    if isinstance(value, list):
        return "; ".join(shown(item) for item in value)
    return str(value)


def _field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _facts(model_label: str | None, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for each field that holds something, labelled as the model names it."""
    model = apps.get_model(model_label) if model_label else None
    facts = []
    for name, value in values.items():
        if value in (None, "", []) or name.endswith("_label") or name in ("id", "full_name"):
            continue
        field = _field(model, name) if model else None
        label = str(field.verbose_name) if field is not None else name.replace("_", " ")
        facts.append((label[:1].upper() + label[1:], shown(value, field)))
    return facts


def _changes(changes: Any) -> list[str]:
    if not isinstance(changes, dict):
        return []
    lines = []
    for name, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            before, after = change
            lines.append(f"{name}: {shown(before)} → {shown(after)}")
        else:
            lines.append(f"{name}: {shown(change)}")
    return lines


def _section_for_print(section: dict[str, Any]) -> dict[str, Any]:
    printed = dict(section)
    if section["key"].startswith("records:"):
        printed["items"] = [
            item
            | {
                "facts": _facts(section["model"], item["fields"]),
                "meeting_facts": _facts("meetings.meeting", item["meeting"]) if "meeting" in item else [],
            }
            for item in section["items"]
        ]
    elif section["key"] == "history":
        printed["items"] = [
            item | {"change_lines": _changes(item["changes"]), "event_label": event_label(item["event"])}
            for item in section["items"]
        ]
    return printed


def pdf_context(record: dict[str, Any], person: Person, user: User) -> dict[str, Any]:
    """What documents/base.html and privacy/subject_access_pdf.html need."""
    sections = [_section_for_print(section) for section in record["sections"]]
    return {
        "record": record,
        "person": person,
        "person_facts": _facts("cases.person", record["person"]),
        "cases": next(section for section in sections if section["key"] == "cases"),
        "sections": [section for section in sections if section["key"] != "cases"],
        "organisation": user.organisation,
        "site": user.site,
        "case": {"reference": "", "pk": ""},  # not a case document: base.html's case line is hidden
        "printed_at": record["generated_at"],
    }


def _filename(person: Person, extension: str) -> str:
    return f"subject-access-{person.pk}-{slugify(timezone.localdate().isoformat())}.{extension}"


def subject_access_pdf(record: dict[str, Any], person: Person, user: User) -> HttpResponse:
    pdf = render_document("privacy/subject_access_pdf.html", lambda: pdf_context(record, person, user))
    response = pdf_response(pdf, "subject-access", person.pk, timezone.localdate().isoformat())
    response["Content-Disposition"] = f'attachment; filename="{_filename(person, "pdf")}"'
    return response


def subject_access_json(record: dict[str, Any], person: Person) -> HttpResponse:
    body = json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(person, "json")}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""Subject access: everything Kinplan holds about one person, as one record for JSON and PDF.

The record (`subject_access_record`) is a plain dict, stable for scripts (see docs/security.md):

    {"format": "kinplan-subject-access-1", "generated_at": …, "generated_by": {"id", "name", "role"},
     "person": {their own fields},
     "sections": [{"key", "title", "model", "items": [...]}, …],
     "withheld": {"confidential_case_notes", "withheld_addresses", "cases_outside_your_access", "total"},
     "withheld_message": "3 items withheld because they concern other people or are confidential"}

How it is gathered:

- generically (walk.py): every record of every Kinplan model that points at the person, directly (a foreign key
  or many-to-many to cases.Person) or through their place in a case (a foreign key to their Participant or
  TeamMember row): a section per model, each item saying which field names them (`linked_as`);
- explicitly, where the walk is not enough: the cases they take part in, with their role, household,
  relationships and team memberships (a participation is the frame, not a record to list); the meetings they were
  invited to, with the meeting itself; the assessments (with risk factors and needs) of the cases where they are a
  child, since those are about them without naming them; assessments, needs, goals and steps whose text names
  them in full; case notes about them (`CaseNote.about`), confidential ones withheld and counted; their history
  (AuditEvent whose target is the person) and who looked at their person page (RecordView).

Only the cases the exporting manager may open are covered; the others are counted, so a national manager can
export them. Other people's confidential matters are withheld and counted: confidential case notes and withheld
household addresses. Snapshots (JSON copies of other records, such as a referral pack) are left out: what they
copy is in the records themselves.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.cases.permissions import cases_visible_to
from kinplan.privacy.walk import case_path, person_lookups, walked_models

FORMAT = "kinplan-subject-access-1"
# Fields never shown: derived search text and the bookkeeping of append-only chains.
HIDDEN_FIELDS = frozenset({"search_name", "search_text", "content_digest", "chain_hash"})
# Models gathered explicitly (see the module docstring), not by the generic walk.
EXPLICIT = frozenset({"cases.participant", "cases.relationship", "cases.teammember", "notes.casenote"})
MEETING_PARTICIPANT = "meetings.meetingparticipant"
# Records that are about the child(ren) of their case without naming them.
ABOUT_THE_CHILD = ("assessments.assessment", "assessments.riskfactor", "assessments.need")
# Records whose free text is searched for the person's full name.
NAMED_IN_TEXT = ("assessments.assessment", "assessments.need", "planning.goal", "planning.step")


# --- values ------------------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as the record keeps it: dates and times as they are (the JSON encoder writes ISO 8601), related
    records by their name, money as a decimal."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal | bool | int | float | str):
        return value
    if value is None:
        return None
    return str(value)


def shown_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in HIDDEN_FIELDS and not isinstance(field, models.JSONField)
    ]


def row_fields(row: models.Model) -> dict[str, Any]:
    """Every field of a record someone may read in an export: related records by name, choices by value."""
    values: dict[str, Any] = {}
    for field in shown_fields(type(row)):
        values[field.name] = plain(getattr(row, field.name))
    return values


def _case_of(row: models.Model) -> Case | None:
    path = case_path(type(row))
    if path is None or path == "pk":
        return row if isinstance(row, Case) else None
    target: Any = row
    for part in path.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


# --- gathering --------------------------------------------------------------------------------------------


class Gathered:
    """Records found so far, per model, each with why it is in the export."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], dict[int, tuple[models.Model, list[str]]]] = {}

    def add(self, rows: Iterable[models.Model], why: str) -> None:
        for row in rows:
            found = self.rows.setdefault(type(row), {}).setdefault(row.pk, (row, []))
            if why not in found[1]:
                found[1].append(why)


def person_link_lookups() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to a person) for every link the generic walk follows: all but the EXPLICIT models."""
    return [(model, lookup) for model, lookup in person_lookups() if model._meta.label_lower not in EXPLICIT]


def _in_cases(model: type[models.Model], queryset: QuerySet, cases: QuerySet[Case]) -> QuerySet:
    path = case_path(model)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": cases})


def _linked(gathered: Gathered, person: Person, cases: QuerySet[Case]) -> None:
    for model, lookup in person_link_lookups():
        rows = _in_cases(model, model._default_manager.filter(**{lookup: person}), cases)
        gathered.add(rows.distinct(), lookup.replace("__person", ""))


def _about_the_child(gathered: Gathered, person: Person, cases: QuerySet[Case]) -> None:
    child_cases = cases.filter(participants__person=person, participants__role=Participant.Role.CHILD)
    for label in ABOUT_THE_CHILD:
        model = apps.get_model(label)
        gathered.add(_in_cases(model, model._default_manager.all(), child_cases).distinct(), "about_the_child")


def _named_in_text(gathered: Gathered, person: Person, cases: QuerySet[Case]) -> None:
    """Records whose text names the person in full (given and family name, or preferred and family name)."""
    names = {f"{person.given_name} {person.family_name}"}
    if person.preferred_name:
        names.add(f"{person.preferred_name} {person.family_name}")
    for label in NAMED_IN_TEXT:
        model = apps.get_model(label)
        texts = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        mentions = Q()
        for name in names:
            for field in texts:
                mentions |= Q(**{f"{field}__icontains": name})
        gathered.add(_in_cases(model, model._default_manager.filter(mentions), cases).distinct(), "named")


# --- sections ---------------------------------------------------------------------------------------------


def _section(key: str, title: str, items: list[dict[str, Any]], model: str | None = None) -> dict[str, Any]:
    return {"key": key, "title": title, "model": model, "items": items}


def _household(household: Household | None, withheld: dict[str, int]) -> dict[str, Any] | None:
    if household is None:
        return None
    confidential = household.address_is_confidential and bool(household.address)
    if confidential:
        withheld["withheld_addresses"] += 1
    return {
        "name": household.name,
        "address": None if confidential else household.address,
        "address_withheld": confidential,
    }


def _cases_section(person: Person, cases: QuerySet[Case], withheld: dict[str, int]) -> dict[str, Any]:
    participations = (
        Participant.objects.filter(person=person, case__in=cases)
        .select_related("case__site", "household")
        .order_by("case__opened_on", "case__pk", "pk")
    )
    relationships = Relationship.objects.filter(Q(person=person) | Q(child=person), case__in=cases).select_related(
        "person", "child"
    )
    memberships = TeamMember.objects.filter(person=person, case__in=cases)
    items = []
    for p in participations:
        case = p.case
        items.append(
            {
                "case": case.reference or str(case.pk),
                "case_name": case.name,
                "site": str(case.site),
                "status": case.status,
                "opened_on": case.opened_on,
                "closed_on": case.closed_on,
                "role": p.role,
                "role_label": p.get_role_display(),
                "participation_notes": p.notes,
                "taking_part_since": p.created_at,
                "archived_at": p.archived_at,
                "household": _household(p.household, withheld),
                "relationships": [
                    {"person": str(r.person), "kind": r.kind, "kind_label": r.get_kind_display(), "child": str(r.child)}
                    | {"notes": r.notes, "archived_at": r.archived_at}
                    for r in relationships
                    if r.case_id == case.pk
                ],
                "team_memberships": [
                    {"role": m.role, "role_label": m.get_role_display(), "is_required": m.is_required}
                    | {"notes": m.notes, "archived_at": m.archived_at}
                    for m in memberships
                    if m.case_id == case.pk
                ],
            }
        )
    return _section("cases", _("Cases they take part in"), items)


def _meeting(participant: models.Model) -> dict[str, Any]:
    meeting = participant.meeting  # type: ignore[attr-defined]
    return {
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "purpose": meeting.purpose,
        "status": meeting.status,
        "decisions": meeting.decisions,
    }


ENRICH: dict[str, Callable[[models.Model], dict[str, Any]]] = {MEETING_PARTICIPANT: _meeting}


def _titles() -> dict[str, str]:
    """Headings for the sections people most often ask about; any other model is headed by its plural name."""
    return {
        "meetings.meetingparticipant": _("Meetings they were invited to, and their views"),
        "planning.step": _("Plan steps they are responsible for or named in"),
        "assessments.assessment": _("Assessments about them or naming them"),
        "assessments.need": _("Needs identified for them or naming them"),
        "assessments.riskfactor": _("Risk factors in assessments about them"),
        "referrals.referral": _("Referrals"),
        "referrals.consent": _("Consents they gave"),
        "court.courtorder": _("Court orders naming them"),
        "permanent_care.supportarrangement": _("Permanent care records"),
    }


def _record_sections(gathered: Gathered) -> list[dict[str, Any]]:
    titles = _titles()
    sections = []
    for model in walked_models():  # the registry's order: stable from one export to the next
        found = gathered.rows.get(model)
        if not found:
            continue
        label = model._meta.label_lower
        items = []
        for pk in sorted(found):
            row, why = found[pk]
            case = _case_of(row)
            item = {"id": pk, "case": (case.reference or str(case.pk)) if case else None, "why": why}
            item["fields"] = row_fields(row)
            if label in ENRICH:
                item |= {"meeting": ENRICH[label](row)}
            items.append(item)
        title = titles.get(label) or str(model._meta.verbose_name_plural).capitalize()
        sections.append(_section(f"records:{label}", title, items, model=label))
    return sections


def _notes_section(person: Person, cases: QuerySet[Case], withheld: dict[str, int]) -> dict[str, Any] | None:
    """Case notes about the person; confidential ones are withheld and counted. None if the notes app is absent."""
    if not apps.is_installed("kinplan.notes"):
        return None  # hook: case notes live in kinplan.notes (CaseNote.about)
    case_note = apps.get_model("notes", "CaseNote")
    notes = case_note.objects.filter(about=person, case__in=cases).select_related("case", "written_by")
    items = []
    for note in notes.order_by("occurred_on", "pk"):
        if note.is_confidential:
            withheld["confidential_case_notes"] += 1
            continue
        items.append(
            {
                "id": note.pk,
                "case": note.case.reference or str(note.case_id),
                "kind": note.kind,
                "kind_label": note.get_kind_display(),
                "occurred_on": note.occurred_on,
                "written_by": str(note.written_by),
                "text": note.text,
                "struck_out": note.is_struck_out,
                "struck_out_reason": note.archived_reason,
            }
        )
    return _section("case_notes", _("Case notes about them"), items, model="notes.casenote")


def _history_section(person: Person) -> dict[str, Any]:
    events = AuditEvent.objects.filter(target_type=Person._meta.label_lower, target_id=str(person.pk)).select_related(
        "actor"
    )
    items = [
        {
            "at": event.at,
            "event": event.event,
            "by": str(event.actor) if event.actor else None,
            "changes": event.changes,
            "redacted": event.redacted_at is not None,
        }
        for event in events.order_by("seq")
    ]
    return _section("history", _("Changes to their details (history)"), items)


def _access_section(person: Person) -> dict[str, Any]:
    views = RecordView.objects.filter(person=person).select_related("user").order_by("seq")
    items = [{"at": view.at, "by": str(view.user), "channel": view.channel} for view in views]
    return _section("access_log", _("Who looked at their person page"), items)


def person_fields(person: Person) -> dict[str, Any]:
    """The person's own details, their own address included (it is theirs, even when withheld from others)."""
    values = row_fields(person)
    values["id"] = person.pk
    values["iwi"] = [iwi.name for iwi in person.iwi.all()]
    values["full_name"] = person.full_name
    return values


def withheld_message(total: int) -> str:
    return ngettext(
        "%(count)d item withheld because it concerns other people or is confidential.",
        "%(count)d items withheld because they concern other people or are confidential.",
        total,
    ) % {"count": total}


def subject_access_record(person: Person, *, for_user: User) -> dict[str, Any]:
    """Everything Kinplan holds about `person` in the cases `for_user` may open (see the module docstring).
    The caller checks that `for_user` may export it (permissions.can_export_subject_access)."""
    cases = cases_visible_to(for_user)
    withheld = {"confidential_case_notes": 0, "withheld_addresses": 0, "cases_outside_your_access": 0}
    all_cases = Case.objects.filter(participants__person=person).distinct()
    withheld["cases_outside_your_access"] = all_cases.exclude(pk__in=cases.values("pk")).count()
    gathered = Gathered()
    _linked(gathered, person, cases)
    _about_the_child(gathered, person, cases)
    _named_in_text(gathered, person, cases)
    sections = [_cases_section(person, cases, withheld), *_record_sections(gathered)]
    notes = _notes_section(person, cases, withheld)
    sections += [section for section in (notes, _history_section(person), _access_section(person)) if section]
    total = sum(withheld.values())
    return {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "generated_by": {"id": for_user.pk, "name": str(for_user), "role": for_user.role},
        "person": person_fields(person),
        "sections": sections,
        "withheld": withheld | {"total": total},
        "withheld_message": withheld_message(total),
    }

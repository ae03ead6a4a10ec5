"""Carrying out an approved erasure: anonymise the subject, redact its history, leave a stub.

Called only by services.erasure_decide, inside the transaction of the second approval.

A case: the case's own text (name, summary, why it was restricted) and the free text of every record that belongs
to it (walk.case_owned_models: every model with a chain of foreign keys to the case) become "[erased]" (empty
text stays empty; e-mail and web addresses and JSON snapshots are emptied); choices, dates, amounts and the
case's reference stay, so the figures still add up. The people who take part in no other case are anonymised as a
person is (below). People who also take part in another case keep their details there.

A person: their own details are replaced ("Erased person", no date of birth, no contact details, no iwi), and the
free text of every record that points at them, directly or through their place in a case (participations'
notes, relationships, team memberships, agreements, meeting views, plan steps they are responsible for…), is erased.

Then the history entries about what was erased (entries of the case, entries whose target is an erased record or
person, and entries of the cases concerned whose label or changes hold an anonymised person's name or contact
details) are redacted through kinplan.audit.services.audit_redact, which keeps the hash chain verifiable, and
the access log entries of the case and the people through record_view_redact. The erasure workflow's own entries
(`privacy.erasure.*`) name the request by number only and are kept. Last, one stub entry, `privacy.erased`, says
which request, who asked, who approved and when, with no personal data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.audit.services import audit_record, audit_redact, record_view_redact
from kinplan.cases.models import Case, Participant, Person
from kinplan.privacy.models import ErasureRequest
from kinplan.privacy.walk import (
    case_owned_models,
    case_path,
    erase_free_text,
    free_text_fields,
    person_links,
    person_lookups,
)

ERASED_GIVEN_NAME, ERASED_FAMILY_NAME = "Erased", "person"
# The person fields set to a fixed value rather than emptied.
PERSON_RESETS = {
    "given_name": ERASED_GIVEN_NAME,
    "family_name": ERASED_FAMILY_NAME,
    "date_of_birth": None,
    "gender": Person.Gender.NOT_STATED,
    "preferred_contact": "",
    "address_is_confidential": False,
}
# Shorter details than this are not searched for in history (they would match unrelated words).
SHORTEST_SEARCHED = 5


@dataclass
class Erased:
    """What an erasure touched: the records by model label and id, the people anonymised (with the words that
    identified them, to find in history), and the cases concerned."""

    targets: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    people: set[int] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    cases: set[int] = field(default_factory=set)
    records: int = 0

    def note(self, queryset: models.QuerySet) -> None:
        self.targets[queryset.model._meta.label_lower].update(queryset.values_list("pk", flat=True))

    def target_filter(self) -> Q:
        found = Q(pk__in=[])
        for label, pks in self.targets.items():
            if pks:
                found |= Q(target_type=label, target_id__in=[str(pk) for pk in pks])
        return found

    def mentions_filter(self) -> Q:
        """History entries of the cases concerned whose label or changes hold one of the words, as written or as
        JSON escapes it (SQLite keeps "ā" as "\\u0101")."""
        found = Q(pk__in=[])
        for word in self.words:
            for form in {word, json.dumps(word)[1:-1]}:
                found |= Q(target_label__icontains=form) | Q(changes_text__icontains=form)
        return Q(case_id__in=self.cases) & found


def _identifying_words(person: Person) -> set[str]:
    words = {person.full_name, f"{person.given_name} {person.family_name}", person.email, person.phone}
    words |= {person.address.strip(), person.contact_notes.strip()}
    return {word for word in words if word and len(word) >= SHORTEST_SEARCHED}


def _anonymise_person(person: Person, erased: Erased) -> None:
    erased.words |= _identifying_words(person)
    erased.cases |= set(person.participations.values_list("case_id", flat=True))
    for text_field in free_text_fields(Person):
        setattr(person, text_field.attname, "")
    for name, value in PERSON_RESETS.items():
        setattr(person, name, value)
    person.save()  # its search name follows the new name
    person.iwi.clear()
    erased.people.add(person.pk)
    erased.targets[Person._meta.label_lower].add(person.pk)


def erase_person_data(person: Person, erased: Erased) -> None:
    """The free text of every record that points at the person, then the person's own details."""
    for model, lookup in person_lookups():
        pks = list(model._base_manager.filter(**{lookup: person}).values_list("pk", flat=True).distinct())
        rows = model._base_manager.filter(pk__in=pks)
        erased.note(rows)
        erased.records += erase_free_text(rows)
    _anonymise_person(person, erased)


def people_only_in(case: Case) -> list[Person]:
    """The people of `case` (taking part, or named by one of its records) whom no other case takes in or names."""
    links = [(model, name, path) for model, name in person_links() if (path := case_path(model)) is not None]
    named: set[int] = set(Participant.objects.filter(case=case).values_list("person_id", flat=True))
    for model, name, path in links:
        named |= set(model._base_manager.filter(**{path: case.pk}).values_list(name, flat=True)) - {None}
    elsewhere: set[int] = set()
    for model, name, path in links:
        others = model._base_manager.exclude(**{path: case.pk}).filter(**{f"{name}__in": named})
        elsewhere |= set(others.values_list(name, flat=True))
    return list(Person.objects.filter(pk__in=named - elsewhere))


def erase_case_data(case: Case, erased: Erased) -> None:
    """The free text of the case and of every record that belongs to it; then the people only in it."""
    people = people_only_in(case)  # before their records are erased: who they are is read from them
    erased.cases.add(case.pk)
    for model, path in case_owned_models():
        rows = model._base_manager.filter(**{path: case.pk})
        erased.note(rows)
        erased.records += erase_free_text(rows)
    for person in people:
        erase_person_data(person, erased)


def _redact(request: ErasureRequest, erased: Erased, actor: User) -> int:
    reason = f"Erasure request {request.pk}"
    about = erased.target_filter() | erased.mentions_filter()
    if request.case_id:
        about |= Q(case_id=request.case_id)
    events = (
        AuditEvent.objects.annotate(changes_text=Cast("changes", TextField()))
        .filter(about)
        .exclude(event__startswith="privacy.erasure")
    )
    count = audit_redact(events=events, reason=reason, actor=actor)
    views = Q(person_id__in=erased.people)
    if request.case_id:
        views |= Q(case_id=request.case_id)
    record_view_redact(views=RecordView.objects.filter(views), reason=reason, actor=actor)
    return count


def carry_out(request: ErasureRequest, *, actor: User, approvers: list[User]) -> AuditEvent:
    """Erase the request's subject, redact its history and record the stub (see the module docstring)."""
    erased = Erased()
    if request.case_id:
        erase_case_data(request.case, erased)
        request.case.refresh_from_db()
    else:
        erase_person_data(request.person, erased)
        request.person.refresh_from_db()
    redacted = _redact(request, erased, actor)
    subject = request.case if request.case_id else request.person
    changes = {
        "request": [None, request.pk],
        "subject": [None, "case" if request.case_id else "person"],
        "requested_by": [None, str(request.requested_by)],
        "approved_by": [None, [str(user) for user in approvers]],
        "records_erased": [None, erased.records],
        "people_anonymised": [None, len(erased.people)],
        "history_entries_redacted": [None, redacted],
    }
    return audit_record(actor=actor, event="privacy.erased", target=subject, case=request.case, changes=changes)

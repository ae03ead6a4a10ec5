"""The generic walk over Kinplan's models that subject access and erasure share.

Two questions are answered from the model registry (`apps.get_models()` and `_meta`), not from a hand-kept list,
so a model added later is covered without a change here:

- which records point at a person: every concrete FK, one-to-one or many-to-many to `cases.Person`
  (`person_links`), and every foreign key to one of the rows that stand for a person in a case (their
  Participant or TeamMember row: an agreement, a meeting place), `person_lookups`;
- which records belong to a case: every model with a chain of foreign keys that ends at `cases.Case`
  (`case_path`), preferring a chain of required keys (a plan step belongs to its goal's plan's case, not to the
  case of the provider it names).

Left out of the walk, and handled explicitly where they need it: the audit app (history and the access log are
append-only: they are redacted through `kinplan.audit.services`, never rewritten here) and this app's own records
(the erasure requests must outlive the erasure). Models outside `kinplan.` (Django's, the task queue's) hold no
case data.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

# Apps whose records the walk leaves alone (see the module docstring).
NOT_WALKED = frozenset({"audit", "privacy"})
# Free-text fields that are not personal: identifiers and keys other records or systems rely on.
KEPT_FIELD_NAMES = frozenset({"reference", "status", "kind", "key", "code", "url"})
MAX_DEPTH = 5
ERASED = "[erased]"


def walked_models() -> list[type[models.Model]]:
    """Kinplan's own concrete models, except the audit app's and this app's."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("kinplan.") and model._meta.app_label not in NOT_WALKED
    ]


def _person_model() -> type[models.Model]:
    return apps.get_model("cases", "Person")


def _case_model() -> type[models.Model]:
    return apps.get_model("cases", "Case")


@cache
def person_links() -> tuple[tuple[type[models.Model], str], ...]:
    """(model, field name) for every relation from a walked model to a person (FK, one-to-one or M2M)."""
    person = _person_model()
    links = []
    for model in walked_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is person and model is not person:
                links.append((model, field.name))
    return tuple(links)


# The rows that stand for a person in a case: a record pointing at one of them points at the person.
PERSON_PROXIES = ("cases.participant", "cases.teammember")


@cache
def person_lookups() -> tuple[tuple[type[models.Model], str], ...]:
    """(model, lookup to a person) for every walked model that points at a person: directly ("responsible_person")
    or through their place in a case ("member__person")."""
    lookups = list(person_links())
    for model in walked_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.label_lower in PERSON_PROXIES:
                lookups.append((model, f"{field.name}__person"))
    return tuple(lookups)


def _foreign_keys(model: type[models.Model]) -> Iterator[models.ForeignKey]:
    for field in model._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            yield field  # type: ignore[misc]


def _paths(model: type[models.Model], depth: int, seen: tuple[type[models.Model], ...]) -> Iterator[tuple[str, bool]]:
    """(lookup, required) for each chain of foreign keys from `model` to a case; `required` when every key in it
    is NOT NULL."""
    case = _case_model()
    walked = set(walked_models())
    for field in _foreign_keys(model):
        target = field.related_model
        if target is case:
            yield field.name, not field.null
        elif depth > 1 and target in walked and target not in seen and target is not model:
            for lookup, required in _paths(target, depth - 1, (*seen, model)):
                yield f"{field.name}__{lookup}", required and not field.null


@cache
def case_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to the case its records belong to (e.g. "goal__plan__case"), or None when its
    records belong to no case. The shortest chain of required keys wins; else the shortest chain."""
    if model is _case_model():
        return "pk"
    paths = sorted(_paths(model, MAX_DEPTH, ()), key=lambda path: (not path[1], path[0].count("__"), path[0]))
    return paths[0][0] if paths else None


def case_owned_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to its case) for every walked model whose records belong to a case, the case included."""
    owned = [(model, case_path(model)) for model in walked_models()]
    return [(model, path) for model, path in owned if path is not None]


def free_text_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields of `model` that hold what people wrote: text, names, addresses, e-mail addresses, JSON
    snapshots. Not choices (a status or kind is a fixed word) and not the identifiers in KEPT_FIELD_NAMES."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.choices or field.name in KEPT_FIELD_NAMES or field.primary_key or field.is_relation:
            continue
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            fields.append(field)
    return fields


def erased_value(field: models.Field, value: Any) -> Any:
    """What an erased field holds: nothing where it held nothing; "[erased]" for text (so that rules like "a
    struck-out note has a reason" still hold); nothing for e-mail and web addresses, derived search text and
    JSON snapshots."""
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else {}
    if value in (None, ""):
        return value
    if isinstance(field, models.EmailField | models.URLField | models.SlugField) or not field.editable:
        return ""
    return ERASED[: field.max_length] if field.max_length else ERASED


def erase_free_text(queryset: models.QuerySet) -> int:
    """Replace the free text of every record in `queryset` (see `erased_value`); returns how many records.
    Each row is updated on its own (no model's save() runs: nothing but the text changes, and a save() rule such
    as a derived search field is the caller's to redo, as erasure.py does for people)."""
    fields = free_text_fields(queryset.model)
    if not fields:
        return 0
    names = [field.name for field in fields]
    count = 0
    for row in queryset.only("pk", *names).iterator(chunk_size=500):
        changed = []
        for field in fields:
            value = getattr(row, field.attname)
            erased = erased_value(field, value)
            if erased != value:
                setattr(row, field.attname, erased)
                changed.append(field.name)
        if changed:
            queryset.model._base_manager.filter(pk=row.pk).update(**{name: getattr(row, name) for name in changed})
            count += 1
    return count

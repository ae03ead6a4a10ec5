"""Optimistic concurrency: a save never silently overwrites a change its author did not see.

Whoever edits a record says which version of it they saw, and the one place that saves edits
(kinplan.audit.services.apply_changes) compares that with the record as it stands, under a row lock:

* a page's edit form carries, signed, the values its fields showed (`seen_token`); if someone else has saved any
  of those fields since, the save is refused with an EditConflict naming each field and both versions, and the
  page offers the merge (kinplan.core.forms);
* an API client sends back the record's `etag` (every editable record's representation has one, also sent as
  the ETag header) in `If-Match`; if the record has changed since, the answer is 412 with the current version
  (kinplan.core.middleware_versions).

The version seen is request context, like the signed-in user: `editing(...)` holds it while the service runs, so no
service has to pass it along.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db import models

SIGNING_SALT = "kinplan.seen-version"


@dataclass
class Seen:
    """The version of one record an edit was based on: the edited fields' values as shown (a page) or the
    record's version string (the API)."""

    label: str  # app_label.model_name
    pk: str
    values: Mapping[str, Any] | None = None
    version: str | None = None
    checked: bool = field(default=False, compare=False)

    def names(self, instance: models.Model) -> bool:
        return self.label == instance._meta.label_lower and self.pk == str(instance.pk)


class EditConflict(Exception):
    """Someone else saved the record after the editor opened it. `current` is the record as saved now; `fields`
    are the edited fields that changed meanwhile (a page's edit), each with the value the editor saw."""

    def __init__(self, current: models.Model, fields: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{current._meta.verbose_name} {current.pk} was changed by someone else")
        self.current = current
        self.fields = dict(fields or {})


_seen: ContextVar[tuple[Seen, ...]] = ContextVar("kinplan_seen_versions", default=())


@contextmanager
def editing(*seen: Seen | None) -> Iterator[tuple[Seen, ...]]:
    """While the block runs, saves of the records in `seen` are checked against the versions seen."""
    added = tuple(item for item in seen if item is not None)
    token = _seen.set(_seen.get() + added)
    try:
        yield added
    finally:
        _seen.reset(token)


# --- comparing values -----------------------------------------------------------------------------------


def comparable(value: Any) -> Any:
    """A JSON-safe value that equals another exactly when the two stored values are the same."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:  # one instant, however it is zoned
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(comparable(item)) for item in value)
    if isinstance(value, str):
        return value.strip()
    return value


def stored_fields(instance: models.Model, names: list[str] | None = None) -> list[models.Field]:
    """The record's own stored fields (foreign keys as their id), or those of them named."""
    fields = [f for f in instance._meta.concrete_fields if not f.primary_key]
    if names is None:
        return fields
    wanted = set(names)
    return [f for f in fields if f.name in wanted]


def field_values(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The comparable values of the stored fields named (other names are left out)."""
    return {f.name: comparable(getattr(instance, f.attname)) for f in stored_fields(instance, names)}


def record_version(instance: models.Model) -> str:
    """The version of a record as stored: it changes whenever any stored field does. It names the record, so an
    API client's If-Match says which record it read."""
    values = {f.attname: comparable(getattr(instance, f.attname)) for f in stored_fields(instance)}
    digest = hashlib.blake2b(json.dumps(values, sort_keys=True, default=str).encode(), digest_size=8).hexdigest()
    return f"{instance._meta.label_lower}.{instance.pk}.{digest}"


def seen_from_version(version: str) -> Seen | None:
    """The Seen an If-Match version stands for, or None when it is not one of ours."""
    raw = version.strip()
    raw = (raw[2:] if raw.startswith("W/") else raw).strip('"')
    head, _, digest = raw.rpartition(".")
    model_label, _, pk = head.rpartition(".")
    if not (digest and pk and model_label.count(".") == 1):
        return None
    return Seen(label=model_label, pk=pk, version=raw)


# --- a page's token: the values its fields showed -------------------------------------------------------


def seen_token(instance: models.Model, names: list[str]) -> str:
    """Signed, for a hidden field: which record the page edits and the values its fields showed."""
    payload = {"r": instance._meta.label_lower, "pk": str(instance.pk), "v": field_values(instance, names)}
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def seen_from_token(token: str) -> Seen:
    """The Seen a page's token stands for; signing.BadSignature when it was not made here."""
    payload = signing.loads(token, salt=SIGNING_SALT)
    return Seen(label=payload["r"], pk=payload["pk"], values=payload["v"])


# --- the check ------------------------------------------------------------------------------------------


def ensure_not_stale(instance: models.Model) -> None:
    """Refuse to save `instance` over changes its editor did not see (EditConflict). Checked once per record and
    request, against the row as stored, locked until the transaction ends so no save slips in between."""
    if instance.pk is None:
        return
    for seen in _seen.get():
        if seen.checked or not seen.names(instance):
            continue
        seen.checked = True
        current = type(instance)._base_manager.select_for_update().filter(pk=instance.pk).first()
        if current is None:
            return
        if seen.version is not None and record_version(current) != seen.version:
            raise EditConflict(current)
        if seen.values is not None:
            now = field_values(current, list(seen.values))
            changed = {name: seen.values[name] for name in now if now[name] != seen.values[name]}
            if changed:
                raise EditConflict(current, changed)


def unchecked(seen: tuple[Seen, ...]) -> list[Seen]:
    """Those of `seen` that no save checked: the request did not edit the record they name."""
    return [item for item in seen if not item.checked]

"""The one way to write history: audit_record, called by services inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kinplan.audit.models import AuditEvent, RecordView

if TYPE_CHECKING:
    from kinplan.accounts.models import User
    from kinplan.cases.models import Case, Person

Changes = dict[str, list[Any]]
M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    """A JSON-safe picture of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.time):  # a time of day as people write it: 10:30
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    return value


def _value(instance: models.Model, name: str) -> Any:
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:  # a relation not set yet on a new record
        return None


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, JSON-safe, to diff against later."""
    return {name: _plain(_value(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """Each field that changed, as [before, after]."""
    return {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}


def apply_changes(
    instance: M, data: Mapping[str, Any], allowed: Iterable[str], check: Callable[[M], None] | None = None
) -> Changes:
    """Set `data` on `instance`, validate it (fields, then `check`) and save it; return each changed field's
    [before, after]. Fields outside `allowed` are refused; text is trimmed, as forms do."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    before = snapshot(instance, data.keys())
    for name, value in data.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    instance.full_clean()
    if check is not None:
        check(instance)
    instance.save()
    return diff(before, snapshot(instance, data.keys()))


def created_changes(instance: models.Model, fields: Iterable[str]) -> Changes:
    """A new record's history: every field that has a value, as set from nothing."""
    return {name: [None, value] for name, value in snapshot(instance, fields).items() if value not in (None, "", [])}


def audit_record(
    *,
    actor: User | None,
    event: str,
    target: models.Model,
    case: Case | None = None,
    changes: Changes | None = None,
) -> AuditEvent:
    """Append one history entry: who did `event` to `target`, with each field's before/after."""
    return AuditEvent.objects.create(
        actor=actor,
        event=event,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        case=case,
        changes=changes or {},
    )


def record_view_log(
    *, user: User, case: Case | None = None, person: Person | None = None, channel: str = "web", path: str = ""
) -> RecordView:
    """Log that `user` looked at a child's record."""
    return RecordView.objects.create(user=user, case=case, person=person, channel=channel, path=path[:300])

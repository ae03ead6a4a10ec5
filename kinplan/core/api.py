"""Look-ups every API module makes: what the user may not see is the same 404 as what does not exist, and a
referenced id that does not exist is a 422 naming the field the client sent."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, Model, Q, QuerySet, TextField
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema

from kinplan.core.concurrency import record_version


def found_or_404(queryset: QuerySet[Any], pk: int) -> Any:
    """The object with `pk` in `queryset`, or the same 404 as one in a case the user may not see."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def listed_after(rows: QuerySet[Any], after: int, key: str, *, newest_first: bool = False) -> Q:
    """Keyset paging over (`key`, id): the rows listed after row `after` (passed back as `next_after`), which must
    be one of `rows` (else a 422 under `after`). A page deep in a long list then costs what the first one does."""
    value = rows.filter(pk=after).values_list(key, flat=True).first()
    if value is None:
        raise ValidationError({"after": _("Pass the next_after of the previous page.")})
    later = "lt" if newest_first else "gt"
    return Q(**{f"{key}__{later}": value}) | Q(**{key: value, f"pk__{later}": after})


def referenced(model: type[Model], pk: int | None, field: str, **filters: Any) -> Any:
    """The `model` row a request refers to by id (None stays None); a missing one is refused under `field`."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, **filters).first()
    if found is None:
        values = {"thing": model._meta.verbose_name, "id": pk}
        if any("case" in name for name in filters):
            raise ValidationError({field: _("No %(thing)s with id %(id)s in this case.") % values})
        raise ValidationError({field: _("No %(thing)s with id %(id)s.") % values})
    return found


def blank_for_null(data: dict[str, Any], model: type[Model]) -> dict[str, Any]:
    """Text sent as null is empty text: `model`'s text columns hold '' for none (null would fail at the database)."""
    text = {f.name for f in model._meta.fields if isinstance(f, CharField | TextField) and not f.null}
    return {name: "" if value is None and name in text else value for name, value in data.items()}


# The largest whole number a database column holds (64 bits), on SQLite and PostgreSQL alike.
LARGEST_INTEGER = 2**63 - 1


def unstorable_fields(value: Any, field: str = "") -> dict[str, list[str]]:
    """Each field of parsed input (JSON or a query string) holding what no database stores: text with a NUL
    character (PostgreSQL refuses it), a whole number beyond 64 bits, or a number that is not finite."""
    errors: dict[str, list[str]] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if "\x00" in str(key):
                errors.setdefault(name.replace("\x00", "\\u0000"), []).append(_("A name cannot contain \\u0000."))
            for where, messages in unstorable_fields(item, name).items():
                errors.setdefault(where, []).extend(messages)
    elif isinstance(value, list):
        for item in value:
            for where, messages in unstorable_fields(item, field).items():
                errors.setdefault(where, []).extend(m for m in messages if m not in errors.get(where, []))
    elif isinstance(value, str) and "\x00" in value:
        errors[field or "__all__"] = [_("Text cannot contain the NUL character (\\u0000).")]
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > LARGEST_INTEGER:
        errors[field or "__all__"] = [_("This number is too large.")]
    elif isinstance(value, float) and not math.isfinite(value):
        errors[field or "__all__"] = [_("Send a number (NaN and Infinity are not numbers).")]
    return errors


class VersionedOut(Schema):
    """A record's representation, with the version of it (`etag`) that a change sends back in If-Match."""

    etag: str = Field(
        description=(
            "This version of the record, also sent as the ETag header. Send it as `If-Match` when you change the "
            "record: if someone else changed it since you read it, the answer is 412 and nothing is saved."
        )
    )

    @staticmethod
    def resolve_etag(obj: Model) -> str:
        return record_version(obj)

"""Form helpers: forms check the input; services check the domain and save."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import formats
from django.utils.choices import flatten_choices
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kinplan.audit.services import last_change
from kinplan.core.concurrency import (
    EditConflict,
    Seen,
    comparable,
    editing,
    ensure_not_stale,
    seen_from_token,
    seen_token,
)

T = TypeVar("T")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


SEEN_FIELD = "seen_version"
MERGE_SUFFIX = "__merge"
USE_SAVED = "saved"


@dataclass(frozen=True)
class FieldConflict:
    """One field someone else changed while the editor had the page open: their saved value, shown, and
    whether the editor changed it too (then they choose which to keep)."""

    saved: str
    both_changed: bool
    choice_name: str


@dataclass(frozen=True)
class EditConflictNote:
    """What the merge page says: who saved the record meanwhile, when, and each field that differs."""

    by: str
    at: datetime.datetime | None
    fields: dict[str, FieldConflict]


class VersionedForm(forms.BaseForm):
    """A form that edits a record carries the version of it the page showed (a hidden, signed field), so a save
    over someone else's newer change is refused and shown as a merge (kinplan.core.concurrency)."""

    edited_record: models.Model | None = None
    seen: Seen | None = None
    edit_conflict: EditConflictNote | None = None

    def track_version(self, record: models.Model | None) -> None:
        """Carry the version of `record`, which this form edits (nothing for a record not saved yet)."""
        if record is None or record.pk is None:
            return
        self.edited_record = record
        self.fields[SEEN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields[SEEN_FIELD].initial = lambda: seen_token(record, self.edited_names())

    @cached_property
    def changed_data(self) -> list[str]:
        """The fields the person changed: the version carried is not one of them."""
        return [name for name in super().changed_data if name != SEEN_FIELD]

    def edited_names(self) -> list[str]:
        """The record's fields this form shows (by default, its fields of the same names)."""
        return [name for name in self.fields if name != SEEN_FIELD]

    def full_clean(self) -> None:
        """Clean as usual; then take the version seen out of the data the service gets, and put the saved value
        in each field whose merge choice was the saved version."""
        super().full_clean()
        if not hasattr(self, "cleaned_data"):
            return
        token = self.cleaned_data.pop(SEEN_FIELD, None)
        if self.edited_record is None:
            return
        if token:
            self.seen = _seen_on(token, self.edited_record)
            if self.seen is None:
                self.add_error(None, _("This page is out of date. Open it again and make your changes there."))
        for name in self.edited_names():
            if self.data.get(self.add_prefix(name) + MERGE_SUFFIX) == USE_SAVED and name in self.cleaned_data:
                self.cleaned_data[name] = getattr(self.edited_record, name)

    def show_edit_conflict(self, conflict: EditConflict) -> None:
        """Turn the page into the merge: the box of each field only the other person changed now shows their
        version; a field both changed keeps the editor's words beside the saved ones, with a choice; the version
        carried is now the saved one, so saving again keeps what the editor chose."""
        current, data = conflict.current, self.data.copy()
        notes: dict[str, FieldConflict] = {}
        elsewhere: list[str] = []  # what the page decides through another field (a referral's provider)
        for name, seen_value in conflict.fields.items():
            if name not in self.fields or name not in self.cleaned_data:
                stored = current._meta.get_field(name)
                elsewhere.append(
                    f"{capfirst(stored.verbose_name)}: {shown(stored.formfield(), getattr(current, name))}"
                )
                continue
            mine, saved = self.cleaned_data[name], getattr(current, name)
            if comparable(mine) == comparable(saved):
                continue
            both_changed = _same_text(comparable(mine)) != _same_text(seen_value)
            if not both_changed:
                _put(data, self.add_prefix(name), self.fields[name], saved)
            notes[name] = FieldConflict(
                saved=shown(self.fields[name], saved),
                both_changed=both_changed,
                choice_name=self.add_prefix(name) + MERGE_SUFFIX,
            )
        data[self.add_prefix(SEEN_FIELD)] = seen_token(current, self.edited_names())
        self.data = data
        by, at = saved_by(current)
        self.edit_conflict = EditConflictNote(by=by, at=at, fields=notes)
        self.add_error(
            None,
            _(
                "%(who)s saved this after you opened it. Nothing you wrote is lost: compare the versions below, "
                "choose what to keep, then save again."
            )
            % {"who": by},
        )
        if elsewhere:
            self.add_error(None, _("Also changed meanwhile: %(changes)s.") % {"changes": "; ".join(elsewhere)})


class InputForm(VersionedForm, forms.ModelForm):
    """A ModelForm that leaves its instance alone: the service validates and saves the model. Editing a saved
    record, it carries the version the page showed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.track_version(self.instance)

    def _post_clean(self) -> None:  # no construct_instance / full_clean: that is the service's job
        return None


class StaleSaveRefused(forms.BaseForm):
    """For a ModelForm that saves its instance itself (Django's admin, at /manage/): the form carries the version
    of the record it showed, and a save over a change made meanwhile is refused with a message (the person opens
    the record again; the admin's pages have no room for the merge)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = self.instance
        names = [name for name in self.fields if "password" not in name]  # no hash of one goes into the page
        if record.pk is not None:
            self.fields[SEEN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.fields[SEEN_FIELD].initial = lambda: seen_token(record, names)

    @cached_property
    def changed_data(self) -> list[str]:
        """The fields the person changed: the version carried is not one of them."""
        return [name for name in super().changed_data if name != SEEN_FIELD]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        token = cleaned.pop(SEEN_FIELD, None)
        if not token:
            return cleaned
        seen = _seen_on(token, self.instance)
        if seen is None:
            raise ValidationError(_("This page is out of date. Open it again and make your changes there."))
        try:
            with editing(seen):
                ensure_not_stale(self.instance)  # locked until the admin's transaction ends
        except EditConflict as conflict:
            by, _at = saved_by(conflict.current)
            raise ValidationError(
                _("%(who)s saved this after you opened it. Open it again to see their changes, then make yours.")
                % {"who": by}
            ) from conflict
        return cleaned


def saved_by(record: models.Model) -> tuple[str, datetime.datetime | None]:
    """Who saved `record` last, as the merge names them, and when (from its history)."""
    change = last_change(record)
    if change is None:
        return _("someone else"), None
    return (str(change.actor) if change.actor is not None else _("someone else")), change.at


def _seen_on(token: str, record: models.Model) -> Seen | None:
    """The version a page's token says it showed of `record`; None for a token not made here for it."""
    try:
        seen = seen_from_token(token)
    except signing.BadSignature:
        return None
    return seen if seen.names(record) else None


def _same_text(value: Any) -> Any:
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _put(data: Any, key: str, field: forms.Field, value: Any) -> None:
    """Set a bound form's raw data for `field` to a stored value, as the browser would have sent it."""
    if isinstance(field, forms.BooleanField):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
        return
    if isinstance(value, models.Model):
        value = value.pk
    elif isinstance(value, datetime.date | datetime.time):
        value = value.isoformat()
    data[key] = "" if value is None else str(value)


def shown(field: forms.Field, value: Any) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in flatten_choices(field.choices)}
        return str(labels.get(str(value), value))
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, decimal.Decimal):
        return formats.number_format(value, use_l10n=True)
    return str(value)


def add_service_errors(form: forms.BaseForm, error: ValidationError, also: Sequence[forms.BaseForm] = ()) -> None:
    """Show a service's ValidationError next to the field it names, on whichever form has that field;
    errors no form has a field for go to the top of `form`."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.error_dict.items():
        owner = next((candidate for candidate in (form, *also) if field in candidate.fields), None)
        for message in (m for item in errors for m in item.messages):
            if owner is not None:
                owner.add_error(field, message)
            elif field == NON_FIELD_ERRORS:
                form.add_error(None, message)
            else:
                form.add_error(None, f"{field.replace('_', ' ').capitalize()}: {message}")


def save_or_show_errors(
    form: forms.BaseForm, call: Callable[[], T], *, also: Sequence[forms.BaseForm] = ()
) -> T | None:
    """Run the service `call` if the form is valid; show its ValidationError on `form` (or `also`), and an edit
    conflict (someone else saved the record meanwhile) as the merge."""
    if not form.is_valid():
        return None
    try:
        with editing(getattr(form, "seen", None)):
            return call()
    except EditConflict as conflict:
        if not isinstance(form, VersionedForm):
            raise
        form.show_edit_conflict(conflict)
        return None
    except ValidationError as error:
        add_service_errors(form, error, also)
        return None


def int_or_none(raw: str | None) -> int | None:
    """An id from the query string or a hidden field; anything else (a typo, a tampered link) is None."""
    try:
        return int(raw) if raw else None
    except ValueError:
        return None

"""Form helpers: forms check the input; services check the domain and save."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

T = TypeVar("T")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class InputForm(forms.ModelForm):
    """A ModelForm that leaves its instance alone: the service validates and saves the model."""

    def _post_clean(self) -> None:  # no construct_instance / full_clean: that is the service's job
        return None


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
    """Run the service `call` if the form is valid; show its ValidationError on `form` (or `also`)."""
    if not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error, also)
        return None

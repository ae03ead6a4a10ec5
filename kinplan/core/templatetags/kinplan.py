"""Template helpers any app's templates may use."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.apps import apps
from django.conf import settings
from django.utils import formats

register = template.Library()


@register.filter
def choice_label(value: Any, field_path: str) -> str:
    """The display label of a stored choice, e.g. `{{ status|choice_label:"planning.Plan.status" }}`.

    Looks the field up by name, so a template can label another app's values without that app being imported.
    """
    if value in (None, ""):
        return ""
    app_label, model_name, field_name = field_path.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    return str(dict(field.flatchoices).get(value, value))


@register.filter
def money(value: Any) -> str:
    """An amount with the currency symbol, grouped and with two decimals in the reader's locale ($1,200.00)."""
    if value in (None, ""):
        return ""
    amount = formats.number_format(Decimal(str(value)), 2, use_l10n=True, force_grouping=True)
    return f"{settings.KINPLAN_CURRENCY_SYMBOL}{amount}"


@register.filter
def edit_conflict_on(form: Any, name: str) -> Any:
    """The merge note for field `name` when someone else saved the record meanwhile (kinplan.core.forms)."""
    note = getattr(form, "edit_conflict", None)
    return note.fields.get(name) if note is not None else None

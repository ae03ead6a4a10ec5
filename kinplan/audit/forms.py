"""The audit screen's filters (also read by its export and its API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinplan.audit.selectors import CHANNELS, AuditFilters

BIGGEST_ID = 2**63 - 1  # a larger number would fail in the database, not in the form


class AuditFilterForm(forms.Form):
    who = forms.IntegerField(label=_("Who"), required=False, min_value=1, max_value=BIGGEST_ID)
    case = forms.CharField(label=_("Case reference"), required=False, max_length=20)
    event = forms.CharField(label=_("Event"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", "")] + [(c, c) for c in CHANNELS])
    before = forms.IntegerField(required=False, min_value=1, max_value=BIGGEST_ID)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filters(self) -> AuditFilters:
        """The valid filter (call after is_valid)."""
        data = self.cleaned_data
        return AuditFilters(
            who=data.get("who"),
            case=(data.get("case") or "").strip(),
            event=(data.get("event") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            channel=data.get("channel") or "",
        )

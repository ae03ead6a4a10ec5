from __future__ import annotations

from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. 'overdue report script'.")
    read_only = forms.BooleanField(required=False, help_text="The token can read but never change anything.")

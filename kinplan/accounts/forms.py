from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. 'overdue report script'.")
    )
    read_only = forms.BooleanField(
        label=_("Read only"), required=False, help_text=_("The token can read but never change anything.")
    )


def _code_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
        help_text=_("The 6-digit code your authenticator app shows now."),
    )


class CodeMixin:
    def clean_code(self) -> str:
        code = "".join(self.cleaned_data.get("code", "").split())  # type: ignore[attr-defined]
        if code and not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits your authenticator app shows."))
        return code


class TwoFactorCodeForm(CodeMixin, forms.Form):
    code = _code_field(_("Code"))


class TwoFactorSetupForm(CodeMixin, forms.Form):
    """The first code from the new app; the signed secret travels beside it in the page's own hidden field."""

    code = _code_field(_("Code from your app"))


class ConfirmIdentityForm(CodeMixin, forms.Form):
    """The password again, and the two-factor code when the user has a device."""

    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = _code_field(_("Code"))

    def __init__(self, *args: Any, with_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]


class KinplanPasswordChangeForm(PasswordChangeForm):
    """Django's form, with the old password checked through the sign-in throttle, so a borrowed session cannot be
    used to guess it."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(request.user, *args, **kwargs)
        self.fields["new_password1"].help_text = ""  # the page states the rules in plain words above the form

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150)

"""Sign-in and the user's own security: API tokens, password, two-factor, confirming who they are."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token

from kinplan.accounts import two_factor as totp
from kinplan.accounts.forms import (
    ApiTokenForm,
    ConfirmIdentityForm,
    KinplanPasswordChangeForm,
    TwoFactorCodeForm,
    TwoFactorSetupForm,
)
from kinplan.accounts.models import ApiToken
from kinplan.accounts.reauth import ask_to_confirm, recent_sign_in_required, sign_in_is_recent
from kinplan.accounts.services import (
    api_token_create,
    api_token_revoke,
    two_factor_device_add,
    two_factor_device_remove,
    user_password_change,
)
from kinplan.accounts.signin import (
    TWO_FACTOR_EXPECTED,
    confirmed_device,
    is_verified,
    lockout_minutes,
    mark_identity_proved,
    two_factor_required,
)
from kinplan.core.forms import add_service_errors, save_or_show_errors


def _next_or(request: HttpRequest, default: str) -> str:
    """The `next` the request carries, if it is a page of this site; else `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return default


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _code_refused(request: HttpRequest, device: Any, code: str) -> str | None:
    """Why the user's two-factor `code` is refused, or None when it is accepted."""
    if not device.verify_is_allowed()[0]:  # django-otp waits longer after each wrong code
        return _("Too many wrong codes: wait a minute, then enter the code your app shows.")
    if verify_token(request.user, device.persistent_id, code) is None:
        return _("That code is not right, or it has been used. Enter the code your app shows now.")
    return None


def password_min_length() -> int:
    lengths = [getattr(v, "min_length", 0) for v in get_default_password_validators()]
    return max(lengths, default=0)


# --- signing in ------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Django's sign-in, telling people about the lockout rule before they meet it."""

    redirect_authenticated_user = True

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        # The demo's first-run page puts its logins above the form: focusing the username box would scroll past them.
        from kinplan.demo.context_processors import demo_tour_for

        if demo_tour_for(self.request) is not None:
            form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        limit = settings.AXES_FAILURE_LIMIT
        return super().get_context_data(**kwargs) | {"failure_limit": limit, "lockout_minutes": lockout_minutes()}


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): for how long, and whom to ask. 429 Too Many Requests."""
    context = {
        "minutes": lockout_minutes(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "help_contact": settings.KINPLAN_SIGN_IN_HELP,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """Prove who you are again (password, and code if you use two-factor) before a sensitive action."""
    device = confirmed_device(request.user)
    form = ConfirmIdentityForm(request.POST or None, with_code=device is not None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"])
        if user is None or user.pk != request.user.pk:
            form.add_error("password", _("That is not your password."))
        elif device is not None and (refused := _code_refused(request, device, form.cleaned_data["code"])):
            form.add_error("code", refused)
        else:
            if device is not None:
                otp_login(request, device)
            mark_identity_proved(request)
            return redirect(_next_or(request, reverse("home")))
    status = 400 if form.errors else 200
    context = {"form": form, "next": _next_or(request, ""), "minutes": settings.KINPLAN_REAUTH_MINUTES}
    return render(request, "accounts/confirm.html", context, status=status)


# --- the security page and password ---------------------------------------------------------------


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's own sign-in security: password, two-factor, sessions, API tokens."""
    context = {
        "device": confirmed_device(request.user),
        "two_factor_required": two_factor_required(request.user),
        "idle_minutes": settings.KINPLAN_SESSION_IDLE_MINUTES,
        "session_hours": settings.SESSION_COOKIE_AGE / 3600,
        "reauth_minutes": settings.KINPLAN_REAUTH_MINUTES,
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change your own password; the policy is explained on the page and a weak password is refused."""
    form = KinplanPasswordChangeForm(request, request.POST or None)
    if request.method == "POST":
        changed = save_or_show_errors(
            form, lambda: user_password_change(actor=request.user, new_password=form.cleaned_data["new_password1"])
        )
        if changed:
            update_session_auth_hash(request, changed)
            mark_identity_proved(request)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:security")
    context = {"form": form, "min_length": password_min_length()}
    return render(request, "accounts/password_change.html", context, status=400 if form.errors else 200)


# --- two-factor authentication ---------------------------------------------------------------------


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether two-factor is on, with the way to set it up or remove it."""
    context = {"device": confirmed_device(request.user), "two_factor_required": two_factor_required(request.user)}
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@recent_sign_in_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), then prove it with a code."""
    if confirmed_device(request.user) is not None:
        if not is_verified(request.user):
            return redirect(_with_next("accounts:two_factor_verify", reverse("accounts:two_factor")))
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("accounts:two_factor")
    form = TwoFactorSetupForm(request.POST or None)
    key = totp.unsign_key(request.POST.get("secret", "")) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        if key is None:
            form.add_error(None, _("This set-up page is too old. Scan the new QR code below and enter a new code."))
        else:
            try:
                device = two_factor_device_add(actor=request.user, key=key, code=form.cleaned_data["code"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                otp_login(request, device)
                request.session[TWO_FACTOR_EXPECTED] = True
                mark_identity_proved(request)
                messages.success(request, _("Two-factor authentication is on. Signing in will ask for a code."))
                return redirect(_next_or(request, reverse("accounts:two_factor")))
    return _setup_page(request, form, key or totp.new_key())


def _setup_page(request: HttpRequest, form: TwoFactorSetupForm, key: str) -> HttpResponse:
    context = {
        "form": form,
        "signed_secret": totp.sign_key(key),
        "qr": totp.qr_data_uri(request.user, key),
        "secret": totp.key_for_typing(key),
        "next": _next_or(request, ""),
        "two_factor_required": two_factor_required(request.user),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@recent_sign_in_required
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off (a role that requires it is asked to set it up again at once)."""
    if two_factor_device_remove(actor=request.user, user=request.user):
        request.session[TWO_FACTOR_EXPECTED] = False
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:two_factor")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the user's authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        request.session[TWO_FACTOR_EXPECTED] = False
        if two_factor_required(request.user):
            return redirect(_with_next("accounts:two_factor_setup", _next_or(request, reverse("home"))))
        return redirect(_next_or(request, reverse("home")))
    if is_verified(request.user):
        return redirect(_next_or(request, reverse("home")))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _code_refused(request, device, form.cleaned_data["code"])
        if not refused:
            otp_login(request, device)
            mark_identity_proved(request)
            return redirect(_next_or(request, reverse("home")))
        form.add_error("code", refused)
    context = {"form": form, "next": _next_or(request, "")}
    return render(request, "accounts/two_factor_verify.html", context, status=400 if form.errors else 200)


# --- personal API tokens ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke personal API tokens; a new token is shown once (creating one needs a recent sign-in)."""
    if request.method == "POST" and not sign_in_is_recent(request):
        return ask_to_confirm(request)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        created = save_or_show_errors(form, lambda: api_token_create(actor=request.user, **form.cleaned_data))
        if created:
            new_token = created[1]
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token '%(name)s' revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")

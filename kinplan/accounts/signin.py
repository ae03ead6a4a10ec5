"""What a signed-in session knows about how its user proved who they are, and the rules built on it.

The session holds four timestamps and a flag, set at sign-in (Django's `user_logged_in`, which `force_login` sends
too) and kept up to date by the views and middleware of this app:

- SIGNED_IN_AT: when the password was given; the session ends SESSION_COOKIE_AGE after it, however busy.
- LAST_SEEN: the last request (to the minute); the session ends KINPLAN_SESSION_IDLE_MINUTES after it.
- PROVED_AT: the last time the user gave their password (at sign-in or on the confirm page) or a two-factor code;
  sensitive actions need it to be within KINPLAN_REAUTH_MINUTES.
- TWO_FACTOR_EXPECTED: the user had a confirmed two-factor device when they signed in, so they must enter a code.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone

SIGNED_IN_AT = "kinplan_signed_in_at"
LAST_SEEN = "kinplan_last_seen"
PROVED_AT = "kinplan_proved_at"
TWO_FACTOR_EXPECTED = "kinplan_two_factor_expected"


def now_seconds() -> int:
    """The time as whole seconds since the epoch (JSON-safe in the session; tests move it with monkeypatch)."""
    return int(timezone.now().timestamp())


def confirmed_device(user: Any) -> Any:
    """The user's confirmed authenticator (TOTP) device, or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On every sign-in: start the clocks, and note whether a second factor will be asked for."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = now_seconds()
    session[SIGNED_IN_AT] = session[LAST_SEEN] = session[PROVED_AT] = now
    session[TWO_FACTOR_EXPECTED] = confirmed_device(user) is not None


def mark_identity_proved(request: HttpRequest) -> None:
    """The user has just given their password or a code: sensitive actions are allowed for a while."""
    request.session[PROVED_AT] = now_seconds()


def two_factor_required(user: Any) -> bool:
    """Whether the user's role must use two-factor (KINPLAN_TWO_FACTOR_ROLES); a superuser counts as an
    administrator."""
    roles = set(getattr(settings, "KINPLAN_TWO_FACTOR_ROLES", []))
    if not roles or not getattr(user, "is_authenticated", False):
        return False
    return getattr(user, "role", None) in roles or (bool(user.is_superuser) and "administrator" in roles)


def is_verified(user: Any) -> bool:
    """Whether the user entered a two-factor code in this session (django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def two_factor_satisfied(request: HttpRequest) -> bool:
    """The session has the second factor its user needs: required by role, or set up by the user."""
    user = request.user
    needed = two_factor_required(user) or bool(request.session.get(TWO_FACTOR_EXPECTED))
    return not needed or is_verified(user)


def bearer_token(request: HttpRequest) -> str | None:
    """The raw token of an `Authorization: Bearer …` header, if there is one."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    return raw.strip()


def bearer_token_is_valid(request: HttpRequest, user: Any = None) -> bool:
    """The request carries an active personal API token (of `user`, when given): scripts authenticate with it,
    not with the session. A wrong token does not count: the API then falls back to the browser session, which
    keeps its own rules."""
    from kinplan.accounts.models import ApiToken

    raw = bearer_token(request)
    if raw is None:
        return False
    tokens = ApiToken.objects.filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
    if user is not None:
        tokens = tokens.filter(user_id=user.pk)
    return tokens.exists()


def view_name(request: HttpRequest) -> str:
    """The URL name of the request's page ('' when it has none)."""
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def lockout_minutes() -> int:
    """How long a locked-out username waits, in whole minutes (rounded up), as the pages say it."""
    return max(1, math.ceil(float(settings.AXES_COOLOFF_TIME) * 60))

"""The security routes in the access matrix (see routes.py for the tables and helpers).

Everyone signed in has their own security pages: password, two-factor, confirming who they are. The world's users
sign in with force_login (which counts as a fresh sign-in, so re-authentication is not asked) and have no
two-factor device, and the test settings require two-factor of no role. So the code page has nothing to ask
(it sends them on: 302) and removing a device removes nothing (no history). Confirming the password and
entering a code change only the session, like signing in, so they are not kept in history either.
/manage/'s sign-in lockouts page (django-axes' records, read-only) and its unlock are for administrators."""

from __future__ import annotations

from typing import Any

from django_otp.oath import totp

from kinplan.accounts.tests.factories import TEST_PASSWORD
from kinplan.accounts.two_factor import new_key, sign_key
from tests.access.routes import ADMIN_LOGIN, ADMINISTRATOR, OWNER_ONLY, SIGNED_IN, Route, api, web


def new_password(w: Any) -> dict[str, str]:
    password = "Tāmati-walks-to-kura-2026"
    return {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password}


def new_device(w: Any) -> dict[str, str]:
    """A secret as the set-up page signs it, and the code an app holding it shows now."""
    key = new_key()
    return {"secret": sign_key(key), "code": f"{totp(bytes.fromhex(key)):06d}"}


WEB_ROUTES: list[Route] = [
    Route("accounts:confirm", web("accounts:confirm"), SIGNED_IN),
    Route(
        "accounts:confirm",
        web("accounts:confirm"),
        SIGNED_IN,
        "POST",
        lambda w: {"password": TEST_PASSWORD},
        ok=302,
        writes=False,
    ),
    Route("accounts:security", web("accounts:security"), SIGNED_IN),
    Route("accounts:password_change", web("accounts:password_change"), SIGNED_IN),
    Route("accounts:password_change", web("accounts:password_change"), SIGNED_IN, "POST", new_password, ok=302),
    Route("accounts:two_factor", web("accounts:two_factor"), SIGNED_IN),
    Route("accounts:two_factor_setup", web("accounts:two_factor_setup"), SIGNED_IN),
    Route("accounts:two_factor_setup", web("accounts:two_factor_setup"), SIGNED_IN, "POST", new_device, ok=302),
    Route("accounts:two_factor_remove", web("accounts:two_factor_remove"), SIGNED_IN, "POST", ok=302, writes=False),
    Route("accounts:two_factor_verify", web("accounts:two_factor_verify"), SIGNED_IN, ok=302),
    Route(
        "accounts:two_factor_verify",
        web("accounts:two_factor_verify"),
        SIGNED_IN,
        "POST",
        lambda w: {"code": "123456"},
        ok=302,
        writes=False,
    ),
    Route("admin:sign_in_lockouts", web("admin:sign_in_lockouts"), ADMINISTRATOR, anonymous=ADMIN_LOGIN),
    Route(
        "admin:sign_in_unlock",
        web("admin:sign_in_unlock"),
        ADMINISTRATOR,
        "POST",
        lambda w: {"username": "alice"},
        ok=302,
        anonymous=ADMIN_LOGIN,
    ),
]

# One's own API tokens: everyone lists theirs; only the owner revokes one (anyone else is told it does not exist).
API_ROUTES: list[Route] = [
    api("GET", "/me/api-tokens", SIGNED_IN),
    api("POST", "/me/api-tokens/{token_id}/revoke", OWNER_ONLY, token_id=lambda w: w.token.pk),
]

ROUTES: list[Route] = WEB_ROUTES + API_ROUTES

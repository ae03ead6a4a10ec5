"""Re-authentication for sensitive actions: a recent password (and code, for two-factor users) before the action.

Web views use the decorator::

    from kinplan.accounts.reauth import recent_sign_in_required

    @login_required
    @recent_sign_in_required
    def audit_export(request): ...

When the user last proved who they are (password at sign-in or on the confirm page, plus their two-factor code if
they have a device) more than KINPLAN_REAUTH_MINUTES ago, the view is not called: the user is sent to
/accounts/confirm/?next=… and comes back once they have confirmed. A GET comes back to the same URL. A POST cannot be
replayed, so it comes back to the page that holds the form — the Referer, when it is on this site, else the POST's own
URL — and the user submits again. htmx requests get an HX-Redirect header instead of a redirect.

API handlers call `ensure_recent_sign_in(request)`: requests made with a personal API token count as recent (the
token is the script's proof); requests made with the browser session follow the same rule as the pages and are
refused with 403 and a message saying what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kinplan.accounts.signin import (
    PROVED_AT,
    TWO_FACTOR_EXPECTED,
    bearer_token_is_valid,
    is_api,
    is_verified,
    now_seconds,
)

__all__ = ["ensure_recent_sign_in", "recent_sign_in_required", "sign_in_is_recent"]


def sign_in_is_recent(request: HttpRequest) -> bool:
    """The user proved who they are within KINPLAN_REAUTH_MINUTES (an API token always counts as recent)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if is_api(request) and bearer_token_is_valid(request, user):
        return True
    proved = request.session.get(PROVED_AT)
    if proved is None or now_seconds() - int(proved) > settings.KINPLAN_REAUTH_MINUTES * 60:
        return False
    # A user with a device has proved who they are only with its code; one still setting it up has no code to give.
    return not request.session.get(TWO_FACTOR_EXPECTED) or is_verified(user)


def ensure_recent_sign_in(request: HttpRequest) -> None:
    """For API handlers: refuse (403, with what to do) unless `sign_in_is_recent`."""
    if not sign_in_is_recent(request):
        raise PermissionDenied(
            _("Confirm your password in the browser first: open %(url)s, then try again.")
            % {"url": reverse("accounts:confirm")}
        )


def _same_site_path(url: str, request: HttpRequest) -> str | None:
    if not url or not url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.path else None


def return_path(request: HttpRequest) -> str:
    """Where the user continues after confirming: this page for a GET, the page holding the form for a POST."""
    if request.headers.get("HX-Request"):
        page = _same_site_path(request.headers.get("HX-Current-URL", ""), request)
        if page:
            return page
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    return _same_site_path(request.headers.get("Referer", ""), request) or request.get_full_path()


def confirm_url(request: HttpRequest) -> str:
    return f"{reverse('accounts:confirm')}?{urlencode({'next': return_path(request)})}"


def ask_to_confirm(request: HttpRequest) -> HttpResponse:
    """Send the user to the confirm page (htmx: tell the browser to go there)."""
    url = confirm_url(request)
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def recent_sign_in_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Views of sensitive actions: ask for the password again unless the user proved who they are recently."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not sign_in_is_recent(request):
            return ask_to_confirm(request)
        return view(request, *args, **kwargs)

    return wrapped

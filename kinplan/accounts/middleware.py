"""Per-request rules about the signed-in user: their language, how long a session may last, and two-factor."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinplan.accounts.reauth import return_path
from kinplan.accounts.signin import (
    LAST_SEEN,
    SIGNED_IN_AT,
    TWO_FACTOR_EXPECTED,
    bearer_token_is_valid,
    is_api,
    is_verified,
    now_seconds,
    two_factor_required,
    view_name,
)

# Requests the page makes by itself (the notification badge polls every two minutes): not a sign of a person there.
PASSIVE_VIEWS = {"notifications:badge"}
# Pages a user who still owes their second factor may open (plus static files).
TWO_FACTOR_OPEN_VIEWS = {
    "accounts:login",
    "accounts:logout",
    "accounts:confirm",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "admin:logout",
}
# LAST_SEEN is written at most once a minute, so a burst of requests does not write the session each time.
LAST_SEEN_RESOLUTION = 60


class UserLanguageMiddleware:
    """Runs after authentication: a user's own choice overrides the browser's Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for htmx, an HX-Redirect header so the whole page goes there, not the fragment."""
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _scripted(request: HttpRequest) -> bool:
    """An API request carrying a valid personal API token: the token, not the browser session, is its proof (the
    API acts as the token's user). On a web page a token proves nothing: the page acts as the session's user."""
    return is_api(request) and bearer_token_is_valid(request)


class SessionTimeoutMiddleware:
    """Signs a session out after KINPLAN_SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after
    sign-in whatever happens; the login page then says why. Requests with an API token are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY not in session or _scripted(request):
            return self.get_response(request)
        now = now_seconds()
        idle_limit = settings.KINPLAN_SESSION_IDLE_MINUTES * 60
        last_seen, signed_in_at = session.get(LAST_SEEN), session.get(SIGNED_IN_AT)
        if idle_limit and last_seen is not None and now - int(last_seen) > idle_limit:
            return self.sign_out(request, self.idle_message())
        if signed_in_at is not None and now - int(signed_in_at) > settings.SESSION_COOKIE_AGE:
            return self.sign_out(request, self.too_long_message())
        if view_name(request) not in PASSIVE_VIEWS and (
            last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION
        ):
            session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def idle_message() -> str:
        minutes = settings.KINPLAN_SESSION_IDLE_MINUTES
        return ngettext(
            "You were signed out after %(minutes)d minute without activity.",
            "You were signed out after %(minutes)d minutes without activity.",
            minutes,
        ) % {"minutes": minutes}

    @staticmethod
    def too_long_message() -> str:
        hours = max(1, round(settings.SESSION_COOKIE_AGE / 3600))
        return ngettext(
            "You were signed out because a session lasts at most %(hours)d hour. Please sign in again.",
            "You were signed out because a session lasts at most %(hours)d hours. Please sign in again.",
            hours,
        ) % {"hours": hours}

    def sign_out(self, request: HttpRequest, message: str) -> HttpResponse:
        page = return_path(request) if request.method in ("GET", "HEAD") or request.headers.get("HX-Request") else ""
        logout(request)
        if is_api(request):  # the API answers 401 to the now anonymous request
            return self.get_response(request)
        messages.info(request, message)
        login_url = resolve_url(settings.LOGIN_URL)
        return go_to(request, _with_next(login_url, page) if page else login_url)


class TwoFactorMiddleware:
    """Roles in KINPLAN_TWO_FACTOR_ROLES, and anyone who has set up two-factor, must enter a code before using
    Kinplan: pages send them to set it up (no device yet) or to enter their code; the API answers 403 to their
    browser session. Requests with a personal API token are not affected: the token stands in for the second
    factor (it was created in a session that had it, and can be revoked at once)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY not in session:
            return self.get_response(request)
        expected = bool(session.get(TWO_FACTOR_EXPECTED))
        if not expected and not settings.KINPLAN_TWO_FACTOR_ROLES:
            return self.get_response(request)  # nothing to ask: the user is not even loaded
        user = request.user
        if not user.is_authenticated or not (expected or two_factor_required(user)) or is_verified(user):
            return self.get_response(request)
        if request.path_info.startswith(f"/{settings.STATIC_URL.strip('/')}/") or _scripted(request):
            return self.get_response(request)
        if view_name(request) in TWO_FACTOR_OPEN_VIEWS:
            return self.get_response(request)
        if view_name(request) in PASSIVE_VIEWS:
            # The code page's own top bar polls the badge: redirecting that to the code page would reload the
            # page under the person typing their code, again and again.
            return HttpResponse(status=204)
        return self.refuse(request, expected)

    @staticmethod
    def refuse(request: HttpRequest, has_device: bool) -> HttpResponse:
        if is_api(request):
            detail = (
                _("Enter your two-factor code in the browser first, or use a personal API token.")
                if has_device
                else _("Your role needs two-factor authentication: set it up in the browser first.")
            )
            return JsonResponse({"detail": detail}, status=403)
        target = reverse("accounts:two_factor_verify" if has_device else "accounts:two_factor_setup")
        return go_to(request, _with_next(target, return_path(request)))

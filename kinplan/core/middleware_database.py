"""When the database cannot be reached, answer 503 with a friendly page, never a 500 with a traceback.

Sits right after WhiteNoise (static files still serve) and before the session, authentication and every other
middleware that reads the database, so it sees their failures too. Django turns an exception raised inside a
middleware into a 500 response before it reaches us; the `got_request_exception` signal, sent while that
exception is being handled, tells us it was the database. A view's own database error arrives in
`process_exception`. The page is rendered without the request — no context processors, no user, no query — in
the browser's language (the user's own choice lives in the database).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("kinplan.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_ERROR_ATTRIBUTE = "_kinplan_database_error"


def _remember_database_error(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Note on the request that the exception Django is turning into a 500 is the database's."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _ERROR_ATTRIBUTE, error)


got_request_exception.connect(_remember_database_error, dispatch_uid="kinplan.core.middleware_database")


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON under /api/, otherwise the page; try again in RETRY_AFTER_SECONDS."""
    with translation.override(translation.get_language_from_request(request)):
        message = _(
            "Kinplan can't reach its database just now. Nothing you saved is lost; anything you were saving was "
            "not saved. Try again in a minute."
        )
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Content-Language"] = translation.get_language()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection, wherever it surfaces in the request, into a clean 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as error:  # raised again while Django rendered its 500 page (context processors)
            return self.unavailable(request, error)
        error = getattr(request, _ERROR_ATTRIBUTE, None)
        if error is not None and response.status_code >= 500:
            return self.unavailable(request, error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request: HttpRequest, error: BaseException) -> HttpResponse:
        logger.error(
            "The database is unavailable (%s %s): %s",
            request.method,
            request.path,
            str(error).strip() or type(error).__name__,
            exc_info=(type(error), error, error.__traceback__),
        )
        return database_unavailable(request)

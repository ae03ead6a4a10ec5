"""Friendly error pages, and the load balancer's health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A refusal; one that carries its own page (e.g. a restricted case's "give your reason") shows that page."""
    page = getattr(exception, "page", None)
    if page is not None:
        template, context = page
        return render(request, template, context, status=403)
    message = str(exception) if exception and str(exception) else _("You do not have permission to do that.")
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The load balancer's health check: this app process is up and answering. It asks nothing of the database, so
    that while the database is away every app server stays in rotation to show the friendly 503 page instead of the
    load balancer's own error (docs/scaling.md)."""
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response

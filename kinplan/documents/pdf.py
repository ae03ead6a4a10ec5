"""Kinplan's printable documents as PDFs: a template rendered in the reader's language, laid out by WeasyPrint.

Every document extends `documents/base.html`: A4, a running header with the organisation, site and the document's
title, and a footer with the case reference and "Page X of Y". The styles are in the template, so a document
loads nothing: the fetcher refuses every URL but inline data, and no text a user typed can reach the network.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher

BASE_URL = Path(__file__).resolve().parent.as_uri() + "/"


def render_html(template_name: str, context: dict[str, Any], *, language: str | None = None) -> str:
    """The document's HTML, in `language` when given (else the active language)."""
    if language is None:
        return render_to_string(template_name, context)
    with translation.override(language):
        return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    """The document as an A4 PDF, in `language` when given (else the active language)."""
    html = render_html(template_name, context, language=language)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=inline_only()).write_pdf()  # type: ignore[no-any-return]


def inline_only() -> URLFetcher:
    """A fetcher that loads only inline `data:` URLs: no file on the server, nothing from the network."""
    return URLFetcher(allowed_protocols={"data"})


def render_document(template_name: str, build: Callable[[], dict[str, Any]], *, language: str | None = None) -> bytes:
    """Build the document's context and render it, both in `language` when given: what the context builder puts
    into words (a choice's label, a person's role) is then in the document's language too."""
    with translation.override(language) if language else nullcontext():
        return render_pdf(template_name, build())


def pdf_response(pdf: bytes, name: str, *parts: object) -> HttpResponse:
    """The PDF shown in the browser (inline), named from `name` and `parts` (the case reference, a version…);
    not kept in any shared cache, since it holds a child's record."""
    filename = "-".join(slugify(str(part)) for part in (name, *parts) if part not in (None, "")) + ".pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

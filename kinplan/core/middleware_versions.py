"""Versions in the API: a record's representation carries its version as `etag`, also sent as its ETag header; a
write that sends `If-Match: <etag>` is refused with 412 when the record has changed since (kinplan.core.concurrency).

A write with If-Match runs in one transaction: if the record it names is not one the request changes, nothing the
request did is kept, and the answer is 412 too, so a client is never told its check passed when none was made."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from kinplan.core.concurrency import editing, seen_from_version, unchecked

API_PATH = "/api/"
READS = frozenset({"GET", "HEAD", "OPTIONS"})


class RecordVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PATH):
            return self.get_response(request)
        if_match = request.headers.get("If-Match", "").strip()
        if request.method in READS or if_match in ("", "*"):
            return with_etag(self.get_response(request))
        seen = seen_from_version(if_match)
        if seen is None:
            return refused("If-Match must hold the `etag` of the record, as read from the API; nothing was saved.")
        with transaction.atomic():
            with editing(seen) as checked:
                response = self.get_response(request)
            if 200 <= response.status_code < 300 and unchecked(checked):
                transaction.set_rollback(True)
                return refused(
                    "If-Match names a record this request does not change, so it could not be checked; "
                    "nothing was saved. Send the etag of the record you are changing, or no If-Match."
                )
        return with_etag(response)


def refused(detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=412)


def with_etag(response: HttpResponse) -> HttpResponse:
    """A successful answer about one record gets its version as ETag."""
    if not 200 <= response.status_code < 300 or response.streaming or response.has_header("ETag"):
        return response
    if not response.get("Content-Type", "").startswith("application/json") or not response.content.startswith(b"{"):
        return response
    try:
        version = json.loads(response.content).get("etag")
    except ValueError:
        return response
    if isinstance(version, str):
        response["ETag"] = f'"{version}"'
    return response

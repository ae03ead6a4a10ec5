"""The JSON API at /api/v1/: one NinjaAPI, session or personal-token auth, clear error bodies."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from kinplan.accounts.services import api_token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class PersonalTokenAuth(HttpBearer):
    """`Authorization: Bearer kp_…`; read-only tokens may not write."""

    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[override]
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, "This API token is read-only.")
        request.user = api_token.user
        return api_token.user


class JsonObjectParser(Parser):
    """Bodies must be JSON objects: ninja would otherwise read `null` or `[1, 2]` as an empty PATCH."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")  # ninja answers 400
        return data


api = NinjaAPI(
    title="Kinplan API",
    version="1",
    description=(
        "Cases, people, relationships and Child and Family Teams. Sign in through the browser "
        "(session) or send a personal API token as `Authorization: Bearer <token>`."
    ),
    auth=[PersonalTokenAuth(), django_auth],
    parser=JsonObjectParser(),
    urls_namespace="api",
)


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    """Field → messages; messages not tied to a field are under '__all__'."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
    return {"__all__": list(error.messages)}


def _sent_fields(request: HttpRequest) -> set[str]:
    """The top-level keys of the request's JSON body (none if it has no JSON object)."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return set()
    return set(body) if isinstance(body, dict) else set()


def as_sent(errors: dict[str, list[str]], sent: set[str]) -> dict[str, list[str]]:
    """Name each error after the field the client sent: a rule about `assessment` answers under `assessment_id`,
    one about `needs` under `need_ids`, when that is what the body held."""
    named: dict[str, list[str]] = {}
    for field, messages in errors.items():
        candidates = (field, f"{field}_id", f"{field.removesuffix('s')}_ids")
        name = next((c for c in candidates if c in sent), field)
        named.setdefault(name, []).extend(messages)
    return named


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = as_sent(validation_messages(exc), _sent_fields(request))
    return api.create_response(request, {"detail": "Please correct the errors below.", "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "You do not have permission to do that."}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Sign in, or send a valid personal API token as 'Authorization: Bearer <token>'."},
        status=401,
    )


def _register_routers() -> None:
    from kinplan.assessments.api import router as assessments_router
    from kinplan.cases.api import router as cases_router

    api.add_router("/", cases_router)
    api.add_router("/", assessments_router)
    api.add_router("/", "kinplan.planning.api.router")
    api.add_router("/", "kinplan.providers.api.router")
    api.add_router("/", "kinplan.referrals.api.router")
    api.add_router("/", "kinplan.meetings.api.router")
    api.add_router("/", "kinplan.court.api.router")
    api.add_router("/", "kinplan.permanent_care.api.router")
    api.add_router("/", "kinplan.documents.api.router")
    api.add_router("/", "kinplan.notifications.api.router")


_register_routers()

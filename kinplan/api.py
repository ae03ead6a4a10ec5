"""The JSON API at /api/v1/: one NinjaAPI, session or personal-token auth, clear error bodies."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import ninja.openapi.schema
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import HttpBearer, django_auth
from pydantic.json_schema import CoreModeRef, DefsRef

from kinplan.accounts.services import api_token_authenticate
from kinplan.core.api import unstorable_fields
from kinplan.core.concurrency import EditConflict, record_version

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
    """Bodies must be JSON objects: ninja would otherwise read `null` or `[1, 2]` as an empty PATCH. Input no
    database can store (a NUL character, a number beyond 64 bits, NaN) is refused here, naming the field (422)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")  # ninja answers 400
        refuse_unstorable(data)  # ninja wraps it in a 400: on_http_error answers 422 with the fields
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        refuse_unstorable({key: data.getlist(key) for key in data})
        return super().parse_querydict(data, list_fields, request)


def refuse_unstorable(data: dict[str, Any]) -> None:
    errors = unstorable_fields(data)
    if errors:
        raise ValidationError(errors)


def _unique_names() -> type[NinjaGenerateJsonSchema]:
    """A JSON-schema generator that gives each type its own component name across the whole API. ninja builds each
    operation's schema apart and merges the components by name, so `Plan.Status` and `Case.Status`, or the plan's
    and the permanent care plan's `AgreementOut`, would otherwise share one name and one (wrong) schema."""
    taken: dict[str, tuple[str, str]] = {}  # component name → (the type it names, validation or serialization)

    class UniqueNames(NinjaGenerateJsonSchema):
        def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
            ref = super().get_defs_ref(core_mode_ref)
            core_ref, mode = core_mode_ref
            kind = "".join(part.rsplit(":", 1)[0] for part in re.split(r"([\][,])", core_ref))
            for base in _readable_names(kind):
                owner = taken.setdefault(self.normalize_name(base), (kind, mode))
                if owner[0] != kind:
                    continue  # another type has it: try a longer name
                name = base if owner[1] == mode else f"{base}-{'Input' if mode == 'validation' else 'Output'}"
                if taken.setdefault(self.normalize_name(name), (kind, mode)) == (kind, mode):
                    self._prioritized_defsref_choices[ref] = [DefsRef(self.normalize_name(name)), ref]
                    break
            return ref

    return UniqueNames


def _readable_names(kind: str) -> list[str]:
    """Names for a type, shortest first: `Status`, then `PlanStatus`, `PlanningPlanStatus`, then its full path."""

    def shortened(keep_app: bool) -> str:
        def one(match: re.Match[str]) -> str:
            parts = match.group(0).split(".")
            classes = "".join(p for p in parts if p[:1].isupper())
            app = "".join(w.capitalize() for w in parts[1].split("_")) if keep_app and len(parts) > 2 else ""
            return app + classes

        return re.sub(r"[\w.]+", one, kind)

    short = re.sub(r"[\w.]+", lambda m: m.group(0).rsplit(".", 1)[-1], kind)
    return list(dict.fromkeys([short, shortened(keep_app=False), shortened(keep_app=True), kind]))


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {
            "description": "What went wrong; for a body or parameter of the wrong shape, one entry per problem.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
        },
        "errors": {
            "description": "The messages for each field sent ('__all__' for the request as a whole).",
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}
ERRORS = {
    400: "The body is not a JSON object.",
    401: "Not signed in, or no valid personal API token.",
    403: "You may see this but not do this (or the token is read-only).",
    404: "Nothing by that id that you may see.",
    412: (
        "The If-Match header names a version of the record that is no longer current (someone else changed it "
        "since you read it), or a record this request does not change; nothing was saved."
    ),
    422: "A value is missing, of the wrong shape, or breaks a rule; nothing was saved.",
}


class KinplanAPI(NinjaAPI):
    """NinjaAPI whose schema names each type once and documents the error answers every operation may give."""

    _schema_lock = threading.Lock()

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        with self._schema_lock:  # ninja reads its generator from its module: swap it for this schema only
            default = ninja.openapi.schema.NinjaGenerateJsonSchema
            ninja.openapi.schema.NinjaGenerateJsonSchema = _unique_names()  # type: ignore[misc]
            try:
                schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            finally:
                ninja.openapi.schema.NinjaGenerateJsonSchema = default  # type: ignore[misc]
        _merge_mode_twins(schema)
        schema["components"]["schemas"]["Error"] = ERROR_SCHEMA
        for method, operation in ((m, op) for ops in schema["paths"].values() for m, op in ops.items()):
            for status in _error_statuses(operation, method):
                operation["responses"].setdefault(
                    status,
                    {
                        "description": ERRORS[status],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
        return schema


def _merge_mode_twins(schema: dict[str, Any]) -> None:
    """`Status-Input` the same as `Status` (most choices read and written alike) becomes `Status` again."""
    components = schema["components"]["schemas"]
    twins = {
        f"#/components/schemas/{name}": f"#/components/schemas/{base}"
        for name in list(components)
        if (base := re.sub(r"-(Input|Output)$", "", name)) != name and components.get(base) == components[name]
    }
    for ref in twins:
        del components[ref.rsplit("/", 1)[1]]

    def relink(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("$ref") in twins:
                node["$ref"] = twins[node["$ref"]]
            for value in node.values():
                relink(value)
        elif isinstance(node, list):
            for value in node:
                relink(value)

    relink(schema)


def _error_statuses(operation: dict[str, Any], method: str) -> list[int]:
    """The errors an operation may answer: any signed-in one 401 and 403; one naming a record (in its path, its
    body or an `…_id` in its query) 404; one taking input 422, and one taking a body 400; a change to a record
    named in its path 412 (when it sends If-Match: kinplan.core.middleware_versions)."""
    parameters = operation.get("parameters", [])
    statuses = [401, 403] if operation.get("security") else []
    names_a_record = any(p["in"] == "path" or p["name"].endswith("_id") for p in parameters)
    if names_a_record or "requestBody" in operation:
        statuses.append(404)
    if parameters or "requestBody" in operation:
        statuses.append(422)
    if "requestBody" in operation:
        statuses.append(400)
    if method in ("put", "patch", "delete") and any(p["in"] == "path" for p in parameters):
        statuses.append(412)
    return sorted(statuses)


api = KinplanAPI(
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


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ValidationError):  # the body parsed, but holds what cannot be stored
        return on_validation_error(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "You do not have permission to do that."}, status=403)


@api.exception_handler(EditConflict)
def on_edit_conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    body = {
        "detail": (
            "Someone else changed this record after you read it; nothing was saved. Read it again, make your "
            "change to the current version and send its etag in If-Match."
        ),
        "etag": record_version(exc.current),
    }
    return api.create_response(request, body, status=412)


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
    api.add_router("/", "kinplan.notes.api.router")
    api.add_router("/", "kinplan.permanent_care.api.router")
    api.add_router("/", "kinplan.documents.api.router")
    api.add_router("/", "kinplan.notifications.api.router")
    api.add_router("/", "kinplan.privacy.api.router")
    api.add_router("/", "kinplan.audit.api.router")
    api.add_router("/", "kinplan.fhir.api.router")
    api.add_router("/", "kinplan.spreadsheets.api.router")
    api.add_router("/", "kinplan.dashboards.api.router")
    api.add_router("/", "kinplan.accounts.api.router")
    api.add_router("/", "kinplan.calendars.api.router")


_register_routers()

"""Fuzz every operation of the JSON API against its own OpenAPI schema (schemathesis), on SQLite and PostgreSQL.

Whatever a client sends — valid bodies, wrong types, missing fields, NUL bytes, huge numbers, long strings — the
API answers without a server error, with a status code its schema documents, a body its schema describes, and the
content type it promises. The requests go through the whole Django stack in-process (WSGI), as alice with a
personal API token, in a world holding one of everything (tests/access/world.py). Path ids are mostly real records
of that world (some alice may see and change, some she may not), so the operations get past their look-ups.

A refused request (4xx) writes nothing: no history, so no change. Each example runs in a savepoint rolled back
afterwards: every example starts from the same world, and the run is deterministic (derandomised).
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.db.models import Model
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kinplan.accounts.models import Organisation, Team, User
from kinplan.accounts.services import api_token_create
from kinplan.api import api
from kinplan.assessments.models import Assessment, Need
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.court.models import CourtOrder, Hearing, OrderCondition
from kinplan.meetings.models import Meeting, MeetingAction, MeetingParticipant
from kinplan.notes.models import CaseNote
from kinplan.notifications.models import Notification
from kinplan.permanent_care.models import FollowUp, Objective, Purchase, SupportArrangement, SupportItem
from kinplan.permanent_care.models import UniversalService as PermanentCareService
from kinplan.planning.models import Goal, NeedDeferral, Plan, Step
from kinplan.privacy.models import ErasureRequest
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.referrals.models import Referral
from tests.access.world import build_world

MAX_EXAMPLES = 10  # per operation, valid and invalid input together; the whole run stays near a minute
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "suppress-health-check": ["too_slow", "filter_too_much"],
    }
)
RAW_SCHEMA = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(RAW_SCHEMA, config=CONFIG)


# --- path ids: real records of the world ------------------------------------------------------------------------


def path_rows(leaf: str, model: type[Model], **parents: str) -> Callable[[], list[dict[str, Any]]]:
    """Rows of `model` as `{leaf: pk, parent_param: field, ...}`."""
    return lambda: [
        {leaf: row["pk"], **{param: row[field] for param, field in parents.items()}}
        for row in model._default_manager.order_by("pk").values("pk", *parents.values())
    ]


# Keyed by the path's parameters (the path's kind of record, then its parents); nested paths get matching ids.
RECORDS: dict[tuple[str, ...], Callable[[], list[dict[str, Any]]]] = {
    ("case_id",): path_rows("case_id", Case),
    ("person_id",): path_rows("person_id", Person),
    ("case_id", "participant_id"): path_rows("participant_id", Participant, case_id="case_id"),
    ("case_id", "relationship_id"): path_rows("relationship_id", Relationship, case_id="case_id"),
    ("case_id", "member_id"): path_rows("member_id", TeamMember, case_id="case_id"),
    ("assessment_id", "case_id"): path_rows("assessment_id", Assessment, case_id="case_id"),
    ("assessment_id", "case_id", "factor"): path_rows("assessment_id", Assessment, case_id="case_id"),
    ("assessment_id", "case_id", "need_id"): path_rows(
        "need_id", Need, assessment_id="assessment_id", case_id="assessment__case_id"
    ),
    ("case_id", "version"): path_rows("plan_id", Plan, case_id="case_id", version="version"),
    ("plan_id",): path_rows("plan_id", Plan),
    ("goal_id",): path_rows("goal_id", Goal),
    ("deferral_id",): path_rows("deferral_id", NeedDeferral),
    ("step_id",): path_rows("step_id", Step),
    ("service_type_id",): path_rows("service_type_id", ServiceType),
    ("provider_id",): path_rows("provider_id", Provider),
    ("offer_id",): path_rows("offer_id", ProviderService),
    ("referral_id",): path_rows("referral_id", Referral),
    ("meeting_id",): path_rows("meeting_id", Meeting),
    ("meeting_id", "participant_id"): path_rows("participant_id", MeetingParticipant, meeting_id="meeting_id"),
    ("action_id", "meeting_id"): path_rows("action_id", MeetingAction, meeting_id="meeting_id"),
    ("order_id",): path_rows("order_id", CourtOrder),
    ("condition_id",): path_rows("condition_id", OrderCondition),
    ("hearing_id",): path_rows("hearing_id", Hearing),
    ("arrangement_id",): path_rows("arrangement_id", SupportArrangement),
    ("objective_id",): path_rows("objective_id", Objective),
    ("item_id",): path_rows("item_id", SupportItem),
    ("service_id",): path_rows("service_id", PermanentCareService),
    ("follow_up_id",): path_rows("follow_up_id", FollowUp),
    ("purchase_id",): path_rows("purchase_id", Purchase),
    ("notification_id",): path_rows("notification_id", Notification),
    ("case_id", "note_id"): path_rows("note_id", CaseNote, case_id="case_id"),
    ("request_id",): path_rows("request_id", ErasureRequest),
}
KNOWN: dict[tuple[str, ...], list[dict[str, Any]]] = {}  # filled from the world, once it is built

# The records a body's `…_id` (or `…_ids`) field names, by the field's name.
BODY_IDS: dict[str, type[Model]] = {
    **dict.fromkeys(
        ("person_id", "child_id", "responsible_person_id", "caregiver_id", "who_person_id", "about_id"), Person
    ),
    **dict.fromkeys(
        (
            "user_id",
            "worker_id",
            "responsible_user_id",
            "granted_to_id",
            "given_by_id",
            "explained_by_id",
            "sent_by_id",
            "who_user_id",
            "caseworker_id",
            "named_user_id",
            "replaced_by_id",
        ),
        User,
    ),
    "case_id": Case,
    "team_id": Team,
    "support_service_id": Organisation,
    "household_id": Household,
    "member_id": TeamMember,
    "team_member_id": TeamMember,
    "assessment_id": Assessment,
    "need_id": Need,
    "plan_id": Plan,
    "goal_id": Goal,
    "parent_id": Goal,
    "step_id": Step,
    "provider_id": Provider,
    "provider_service_id": ProviderService,
    "service_type_id": ServiceType,
    "meeting_id": Meeting,
    "order_id": CourtOrder,
    "item_id": SupportItem,
}
KNOWN_IDS: dict[str, list[int]] = {}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Three times in four, the ids of a real record (with its parents' ids); else the ids as generated."""
    real = KNOWN.get(tuple(sorted(path_parameters or ())))
    if not real or not all(isinstance(v, int) for v in path_parameters.values() if v is not None):
        return st.just(path_parameters)  # an invalid id (a string, say): keep it, the API must refuse it
    records = st.sampled_from(real).map(
        lambda ids: {**path_parameters, **{k: v for k, v in ids.items() if k in path_parameters}}
    )
    return st.sampled_from([True, True, True, False]).flatmap(lambda use: records if use else st.just(path_parameters))


def free_text_fields(operation: dict[str, Any]) -> set[str]:
    """The body fields of an operation that take any text (no choices, no format): the ones to try too long."""
    ref = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    body = RAW_SCHEMA["components"]["schemas"].get(ref.get("$ref", "").rsplit("/", 1)[-1], {})
    plain = {"type": "string"}
    return {
        name
        for name, field in body.get("properties", {}).items()
        if (field.get("type") == "string" and "format" not in field and "enum" not in field)
        or (plain in field.get("anyOf", []) and len(field["anyOf"]) == 2 and {"type": "null"} in field["anyOf"])
    }


FREE_TEXT = {
    f"{method.upper()} {path}": free_text_fields(operation)
    for path, operations in RAW_SCHEMA["paths"].items()
    for method, operation in operations.items()
}
LONG = "ā" * 300  # longer than any column of limited length


@schema.hook
def flatmap_body(context: Any, body: Any) -> Any:
    """Three times in four, each `…_id` of a body names a real record (and each `…_ids` some); else as generated.
    One time in four, every free-text field is too long for a column of limited length."""
    if not isinstance(body, dict):
        return st.just(body)
    long_text = FREE_TEXT.get(context.operation.label, set()) & {k for k, v in body.items() if isinstance(v, str)}
    fields: dict[str, Any] = {}
    for name, value in body.items():
        if name in long_text:
            fields[name] = st.sampled_from([value, value, value, value + LONG])
            continue
        pool = KNOWN_IDS.get(name.removesuffix("s") if name.endswith("_ids") else name)
        if pool and name.endswith("_ids") and isinstance(value, list):
            real = st.lists(st.sampled_from(pool), max_size=3, unique=True)
        elif pool and isinstance(value, int) and not isinstance(value, bool):
            real = st.sampled_from(pool)
        else:
            fields[name] = st.just(value)
            continue
        fields[name] = st.sampled_from([True, True, True, False]).flatmap(
            lambda use, real=real, value=value: real if use else st.just(value)
        )
    return st.fixed_dictionaries(fields)


# --- the world, and the app on the same connection ---------------------------------------------------------------

STATS: dict[str, Any] = {"operations": set(), "examples": 0, "statuses": Counter(), "seconds": 0.0}
SERVER_ERRORS: list[str] = []


def _record_server_error(sender: Any, request: Any = None, **kwargs: Any) -> None:
    SERVER_ERRORS.append(traceback.format_exc())


@pytest.fixture(scope="module")
def client(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """alice's token and the WSGI app, in a world rolled back at the end. The app runs in this thread, on this
    connection: Django's per-request connection handling is off, as in its own test client."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(_record_server_error)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            world = build_world()
            _token, raw = api_token_create(actor=world.users["alice"], name="fuzz", read_only=False)
            KNOWN.update({params: load() for params, load in RECORDS.items()})
            for name, model in BODY_IDS.items():
                KNOWN_IDS[name] = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
            yield {"headers": {"Authorization": f"Bearer {raw}"}, "app": WSGIHandler()}
            transaction.set_rollback(True)
    finally:
        got_request_exception.disconnect(_record_server_error)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        KNOWN.clear()
        KNOWN_IDS.clear()
        print(
            f"\nAPI fuzz on {connection.vendor}: {len(STATS['operations'])} operations, {STATS['examples']} examples "
            f"in {STATS['seconds']:.1f} s; statuses {dict(sorted(STATS['statuses'].items()))}"
        )


pytestmark = pytest.mark.django_db


@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case: schemathesis.Case, client: dict[str, Any]) -> None:
    started = time.monotonic()
    SERVER_ERRORS.clear()
    try:
        with transaction.atomic():  # each example starts from the same world
            history = AuditEvent.objects.count()
            response = case.call(headers=client["headers"], app=client["app"])
            STATS["statuses"][response.status_code] += 1
            case.validate_response(response, checks=CHECKS)
            if response.status_code >= 400:  # refused: nothing was written, not even in part
                assert AuditEvent.objects.count() == history, f"a {response.status_code} wrote history: {case}"
            transaction.set_rollback(True)
    except Exception as failure:
        if SERVER_ERRORS:
            failure.add_note("The server's traceback:\n" + "\n".join(SERVER_ERRORS))
        raise
    finally:
        STATS["operations"].add(case.operation.label)
        STATS["examples"] += 1
        STATS["seconds"] += time.monotonic() - started

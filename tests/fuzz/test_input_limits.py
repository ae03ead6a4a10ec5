"""What the fuzz found, pinned: input no database can store is refused with a 422 naming the field and nothing saved;
text sent as null is empty text; and the OpenAPI schema names each type once and documents the errors it answers.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from kinplan.api import api
from kinplan.audit.models import AuditEvent
from kinplan.court.models import Hearing
from kinplan.planning import services as planning
from kinplan.planning.models import Goal, Step

API = "/api/v1"


def send(client: Client, method: str, path: str, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.generic(method, f"{API}{path}", data=data, content_type="application/json")


@pytest.fixture
def goal(alice, case) -> Goal:
    plan = planning.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
    return planning.goal_add(actor=alice, plan=plan, data={"title": "A safe home", "description": "Warm and dry"})


@pytest.fixture
def step(alice, goal) -> Step:
    data = {"what": "Visit", "responsible": "worker", "responsible_user": alice, "client_instructions": "Be home"}
    return planning.step_add(actor=alice, goal=goal, data=data)


@pytest.fixture
def signed_in(client, alice) -> Client:
    client.force_login(alice)
    return client


# --- what no database stores ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "A safe\x00 home"}, "title"),  # PostgreSQL refuses NUL in text
        ({"need_ids": [2**70]}, "need_ids"),  # beyond 64 bits: no integer column holds it
        ({"title": "Home", "need_ids": [1, -(2**64)]}, "need_ids"),
        ('{"title": NaN}', "title"),  # Python's JSON reads NaN and Infinity; they are not numbers
        ('{"target_date": Infinity}', "target_date"),
        ({"title\x00": "Home"}, "title\\u0000"),
    ],
)
def test_input_no_database_can_store_is_a_422_naming_the_field_and_saves_nothing(signed_in, goal, body, field):
    # given
    history = AuditEvent.objects.count()
    # when
    response = send(signed_in, "PATCH", f"/goals/{goal.pk}", body)
    # then
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "Please correct the errors below."
    assert list(response.json()["errors"]) == [field]
    goal.refresh_from_db()
    assert (goal.title, AuditEvent.objects.count()) == ("A safe home", history)


def test_a_nul_character_in_a_nested_field_is_named_by_its_path(signed_in, goal):
    response = send(signed_in, "PATCH", f"/goals/{goal.pk}", {"title": "Home", "extra": {"note": ["ok", "no\x00"]}})
    assert response.status_code == 422
    assert response.json()["errors"] == {"extra.note": ["Text cannot contain the NUL character (\\u0000)."]}


def test_a_nul_character_in_the_query_string_is_a_422(signed_in):
    response = signed_in.get(f"{API}/providers", {"q": "Te Whare\x00"})
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["q"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "null"])
def test_a_body_that_is_not_a_json_object_is_still_a_400(signed_in, goal, body):
    response = send(signed_in, "PATCH", f"/goals/{goal.pk}", body)
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


# --- text sent as null, and times with a zone ------------------------------------------------------------------


def test_text_sent_as_null_on_a_goal_is_empty_text(signed_in, goal):
    response = send(signed_in, "PATCH", f"/goals/{goal.pk}", {"description": None})
    assert response.status_code == 200, response.content
    goal.refresh_from_db()
    assert goal.description == ""


def test_text_sent_as_null_on_a_step_is_empty_text(signed_in, step):
    response = send(signed_in, "PATCH", f"/steps/{step.pk}", {"client_instructions": None, "details": None})
    assert response.status_code == 200, response.content
    step.refresh_from_db()
    assert (step.client_instructions, step.details) == ("", "")


def test_a_hearing_time_with_a_time_zone_is_refused(signed_in, case):
    # given
    body = {"date": "2030-03-15", "court": "Wellington Family Court", "purpose": "Review", "time": "10:00:00Z"}
    # when
    response = send(signed_in, "POST", f"/cases/{case.pk}/hearings", body)
    # then
    assert response.status_code == 422, response.content
    assert "without a time zone" in response.json()["detail"][0]["msg"]
    assert not Hearing.objects.exists()


def test_a_hearing_at_a_local_time_is_scheduled(signed_in, case):
    body = {"date": "2030-03-15", "court": "Wellington Family Court", "purpose": "Review", "time": "10:00"}
    response = send(signed_in, "POST", f"/cases/{case.pk}/hearings", body)
    assert response.status_code == 201, response.content
    assert Hearing.objects.get().time == datetime.time(10, 0)


# --- the schema ---------------------------------------------------------------------------------------------------


def test_each_type_has_its_own_component_in_the_schema():
    # given two different choices both named Status, and two different AgreementOut schemas
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    plan_status = schema["paths"]["/api/v1/plans/{plan_id}/transitions"]["get"]["responses"][200]
    # then each is its own component, with its own values
    assert "draft" in components["PlanStatus"]["enum"]
    assert "draft" not in components["Status"]["enum"]
    assert plan_status["content"]["application/json"]["schema"]["items"]["$ref"] == "#/components/schemas/TransitionOut"
    assert components["TransitionOut"]["properties"]["to_status"]["$ref"] == "#/components/schemas/PlanStatus"
    assert set(components["AgreementOut"]["properties"]) != set(components["PermanentCareAgreementOut"]["properties"])


def test_every_operation_documents_the_errors_it_may_answer():
    schema = api.get_openapi_schema()
    update_goal = schema["paths"]["/api/v1/goals/{goal_id}"]["patch"]["responses"]
    list_cases = schema["paths"]["/api/v1/cases"]["get"]["responses"]
    assert {200, 400, 401, 403, 404, 422} <= set(update_goal)
    assert update_goal[422]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert 401 in list_cases and 400 not in list_cases

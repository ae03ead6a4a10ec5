"""The catalogue and directory API: searching, administrators' changes, informal supports, clear 422s."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kinplan.audit.models import AuditEvent
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory, service_type

pytestmark = pytest.mark.django_db
API = "/api/v1"


def call(client: Any, method: str, path: str, payload: Any = None) -> Any:
    kwargs = {"data": json.dumps(payload), "content_type": "application/json"} if payload is not None else {}
    return client.generic(method, f"{API}{path}", **kwargs)


def rows() -> tuple[int, int, int, int]:
    return (
        ServiceType.objects.count(),
        Provider.objects.count(),
        ProviderService.objects.count(),
        AuditEvent.objects.count(),
    )


def test_an_administrator_builds_a_provider_and_a_worker_finds_it_by_cultural_match(client, administrator, alice):
    # given an administrator adds an iwi provider and its respite service
    client.force_login(administrator)
    created = call(
        client,
        "POST",
        "/providers",
        {
            "name": "Te Whare Tiaki",
            "kind": "iwi",
            "area_served": "Porirua",
            "cultural_focus": "Kaupapa Māori",
            "iwi": ["Ngāti Toa Rangatira"],
        },
    )
    assert created.status_code == 201, created.content
    offer = call(
        client,
        "POST",
        f"/providers/{created.json()['id']}/services",
        {"service_type_id": service_type("respite_care").pk, "unit": "night", "unit_cost": "120"},
    )
    assert offer.status_code == 201, offer.content
    # when a worker searches for "maori" respite
    client.force_login(alice)
    found = call(client, "GET", f"/providers?culture=maori&service_type_id={service_type('respite_care').pk}")
    # then she finds it with its service and cost
    assert found.status_code == 200
    [provider] = found.json()
    assert (provider["name"], provider["iwi"]) == ("Te Whare Tiaki", ["Ngāti Toa Rangatira"])
    assert [(o["service_type"], o["unit"], o["unit_cost"]) for o in provider["services"]] == [
        ("Respite care", "night", "120.00")
    ]


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/providers", {"name": "Te Whare", "kind": "iwi", "iwi": ["Ngāti Nobody"]}, "iwi"),
        ("/providers", {"name": "Nan", "kind": "informal"}, "kind"),
        ("/service-types", {"code": "in_home", "name": "Home help", "category": "universal"}, "code"),
        ("/providers/{provider}/services", {"service_type_id": 99999}, "service_type_id"),
        ("/providers/{provider}/services", {"service_type_id": "{in_home}", "unit_cost": "-1"}, "unit_cost"),
    ],
)
def test_bad_directory_input_is_a_422_naming_the_field_and_nothing_is_saved(
    client, administrator, path, payload, field
):
    provider = ProviderFactory()
    payload = {k: (service_type("in_home").pk if v == "{in_home}" else v) for k, v in payload.items()}
    client.force_login(administrator)
    before = rows()
    response = call(client, "POST", path.format(provider=provider.pk), payload)
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == [field]
    assert rows() == before


def test_a_retired_type_is_listed_only_when_asked_for(client, administrator, alice):
    client.force_login(administrator)
    respite = service_type("respite_care")
    assert call(client, "PATCH", f"/service-types/{respite.pk}", {"is_active": False}).json()["is_active"] is False
    client.force_login(alice)
    assert respite.pk not in [t["id"] for t in call(client, "GET", "/service-types").json()]
    assert respite.pk in [t["id"] for t in call(client, "GET", "/service-types?include_retired=true").json()]


def test_a_worker_records_an_informal_support_and_changes_it(client, alice, case):
    client.force_login(alice)
    mother = case.participants.get(role="parent").person
    created = call(
        client,
        "POST",
        f"/cases/{case.pk}/informal-supports",
        {"person_id": mother.pk, "relationship": "Mother", "description": "Cooks on Sundays"},
    )
    assert created.status_code == 201, created.content
    assert (created.json()["name"], created.json()["case_id"]) == (mother.full_name, case.pk)
    changed = call(client, "PATCH", f"/providers/{created.json()['id']}", {"phone": "021 555 0199"})
    assert changed.json()["phone"] == "021 555 0199"
    listed = call(client, "GET", f"/cases/{case.pk}/informal-supports").json()
    assert [s["name"] for s in listed] == [mother.full_name]
    assert AuditEvent.objects.filter(event="case.informal_support.updated", case=case).exists()


def test_an_informal_support_of_someone_outside_the_case_is_refused(client, alice, case, charlie_case):
    client.force_login(alice)
    stranger = charlie_case.participants.get().person
    response = call(client, "POST", f"/cases/{case.pk}/informal-supports", {"person_id": stranger.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == {"person_id": ["Choose someone who is part of this case."]}


def test_a_service_offered_can_be_changed_and_stopped(client, administrator):
    offer = ProviderServiceFactory()
    client.force_login(administrator)
    response = call(
        client, "PATCH", f"/provider-services/{offer.pk}", {"capacity_note": "Waitlist 3 weeks", "is_active": False}
    )
    assert (response.json()["capacity_note"], response.json()["is_active"]) == ("Waitlist 3 weeks", False)
    event = AuditEvent.objects.get(event="directory.provider_service.updated")
    assert event.changes["is_active"] == [True, False]


def test_a_plan_step_takes_a_providers_service_and_the_plan_totals_its_cost_by_funder(client, alice, case):
    # given alice's draft plan with a goal, and a provider charging $60 a session
    from kinplan.planning import services as planning

    plan = planning.plan_create(actor=alice, case=case, data={"permanency_goal": "remain_home"})
    goal = planning.goal_add(actor=alice, plan=plan, data={"title": "Calm evenings at home"})
    offer = ProviderServiceFactory(unit="session", unit_cost="60")
    client.force_login(alice)
    # when a step takes 6 sessions, paid by the site
    response = call(
        client,
        "POST",
        f"/goals/{goal.pk}/steps",
        {
            "what": "In-home support",
            "kind": "service",
            "responsible": "provider",
            "provider_service_id": offer.pk,
            "quantity": 6,
            "due_on": "2027-03-01",
            "funder": "site",
        },
    )
    # then the step names the provider and is priced, and the plan's costs say who pays
    assert response.status_code == 201, response.content
    step = response.json()
    assert (step["provider_id"], step["cost"], step["unit"], step["issues"]) == (
        offer.provider_id,
        "360.00",
        "session",
        [],
    )
    costs = call(client, "GET", f"/cases/{case.pk}/plan").json()["costs"]
    assert costs == {"by_funder": {"site": "360.00"}, "total": "360.00", "unpriced": 0, "no_cost": 0}

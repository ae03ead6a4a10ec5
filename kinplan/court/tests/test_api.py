"""The court API at /api/v1/: an order recorded, checked and discharged and read back whole; hearings scheduled
and recorded; rules refused with a 422 naming the field sent and nothing saved; history on every write.

Who may call each endpoint is the access matrix's job (tests/access); these tests sign in as alice.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.court.models import CourtOrder, Hearing, OrderCondition, OrderTransition
from kinplan.court.tests.factories import CourtOrderFactory, HearingFactory, days
from kinplan.planning.tests.factories import StepFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
PORIRUA = "Family Court at Porirua"


@pytest.fixture
def api(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def call(client: Client, method: str, path: str, payload: Any = None):
    kwargs: dict[str, Any] = {} if method == "GET" else {"content_type": "application/json"}
    if payload is not None:
        kwargs["data"] = payload
    return getattr(client, method.lower())(f"{API}{path}", **kwargs)


def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def field_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Please correct the errors below."
    return body["errors"]


WATCHED = (CourtOrder, OrderCondition, OrderTransition, Hearing, AuditEvent)


def state() -> dict[str, list[tuple[Any, ...]]]:
    snapshot = {}
    for model in WATCHED:
        stamped = any(f.name == "updated_at" for f in model._meta.fields)
        snapshot[model.__name__] = sorted(model.objects.values_list("pk", *(["updated_at"] if stamped else [])))
    snapshot["steps"] = sorted(OrderCondition.steps.through.objects.values_list("ordercondition_id", "step_id"))
    return snapshot


def history(kind: str, pk: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type=f"court.{kind}", target_id=str(pk)).order_by("id"))


# --- the round trip --------------------------------------------------------------------------------


def test_an_order_is_recorded_checked_linked_and_discharged_and_read_back_whole(api, alice, case, child, planned):
    # when an order is recorded with two conditions
    made = ok(
        call(
            api,
            "POST",
            f"/cases/{case.pk}/court-orders",
            {
                "kind": "ce_custody",
                "court": PORIRUA,
                "reference": "FAM-2026-091-000123",
                "made_on": days(-120).isoformat(),
                "review_on": days(60).isoformat(),
                "child_id": child.pk,
                "conditions": ["Tama goes to school every day.", "Mum completes a parenting course."],
            },
        ),
        201,
    )
    # then it reads back with its conditions, not yet due
    assert made["status"] == "in_force" and made["group"] == "chief_executive"
    assert (made["child_id"], made["child_name"]) == (child.pk, child.full_name)
    assert made["kind_label"] == "Custody to the chief executive (Oranga Tamariki Act s101)"
    school, _course = made["conditions"]
    assert (school["text"], school["compliance"], school["steps"]) == (
        "Tama goes to school every day.",
        "not_yet_due",
        [],
    )
    # when compliance is recorded and a step linked
    checked = ok(
        call(
            api,
            "POST",
            f"/order-conditions/{school['id']}/compliance",
            {"compliance": "complying", "checked_on": days(-1).isoformat(), "note": "98% attendance."},
        )
    )
    linked = ok(call(api, "PUT", f"/order-conditions/{school['id']}/steps", {"step_ids": [planned.school.pk]}))
    # then
    assert (checked["compliance"], checked["checked_on"], checked["note"]) == (
        "complying",
        days(-1).isoformat(),
        "98% attendance.",
    )
    assert linked["steps"] == [
        {
            "id": planned.school.pk,
            "what": "Enrol Tama at Rāwhiti School",
            "status": "planned",
            "due_on": days(20).isoformat(),
            "goal_title": "Tama is safe at home with Mum",
            "plan_version": 1,
            "in_current_plan": True,
        }
    ]
    # when the court discharges it
    ended = ok(call(api, "POST", f"/court-orders/{made['id']}/discharge", {"discharged_on": days(0).isoformat()}))
    # then
    assert (ended["status"], ended["ended_on"]) == ("discharged", days(0).isoformat())
    assert [(t["from_status"], t["to_status"], t["on"]) for t in ended["transitions"]] == [
        ("in_force", "discharged", days(0).isoformat())
    ]
    listed = ok(call(api, "GET", f"/cases/{case.pk}/court-orders"))
    assert [o["id"] for o in listed] == [made["id"]]
    assert listed[0]["conditions"][0]["steps"][0]["id"] == planned.school.pk
    assert ok(call(api, "GET", f"/court-orders/{made['id']}"))["conditions"] == listed[0]["conditions"]


def test_a_condition_is_added_reworded_and_an_order_corrected(api, order):
    added = ok(call(api, "POST", f"/court-orders/{order.pk}/conditions", {"text": "No contact with Dad."}), 201)
    assert (added["order_id"], added["position"], added["compliance"]) == (order.pk, 3, "not_yet_due")
    changed = ok(call(api, "PATCH", f"/order-conditions/{added['id']}", {"text": "Supervised contact only."}))
    assert changed["text"] == "Supervised contact only."
    corrected = ok(call(api, "PATCH", f"/court-orders/{order.pk}", {"reference": "FAM-9", "review_on": None}))
    assert (corrected["reference"], corrected["review_on"]) == ("FAM-9", None)


def test_an_interim_order_is_ended_as_replaced_by_the_final_one(api, alice, case, order):
    interim = CourtOrderFactory(case=case, kind="ce_interim_custody", made_on=days(-250))
    ended = ok(call(api, "POST", f"/court-orders/{interim.pk}/end", {"to": "replaced", "replaced_by_id": order.pk}))
    assert (ended["status"], ended["replaced_by_id"], ended["ended_on"]) == (
        "replaced",
        order.pk,
        days(-200).isoformat(),
    )


def test_a_hearing_is_scheduled_moved_and_adjourned_to_a_new_date(api, case, order):
    made = ok(
        call(
            api,
            "POST",
            f"/cases/{case.pk}/hearings",
            {
                "date": days(-1).isoformat(),
                "time": "10:30",
                "court": PORIRUA,
                "purpose": "Review",
                "order_id": order.pk,
            },
        ),
        201,
    )
    assert (made["status"], made["time"], made["order_id"]) == ("scheduled", "10:30:00", order.pk)
    moved = ok(call(api, "PATCH", f"/hearings/{made['id']}", {"date": days(0).isoformat()}))
    assert moved["date"] == days(0).isoformat()
    adjourned = ok(
        call(
            api,
            "POST",
            f"/hearings/{made['id']}/outcome",
            {"status": "adjourned", "outcome": "Lawyer for child unwell.", "adjourned_to": days(28).isoformat()},
        )
    )
    assert adjourned["status"] == "adjourned" and adjourned["adjourned_to_id"]
    listed = ok(call(api, "GET", f"/cases/{case.pk}/hearings"))
    assert [(h["date"], h["status"]) for h in listed] == [
        (days(28).isoformat(), "scheduled"),
        (days(0).isoformat(), "adjourned"),
    ]


# --- refusals: 422 naming the field sent, nothing saved ----------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"made_on": days(3).isoformat()}, "made_on", "An order cannot be made on a date in the future."),
        ({"kind": "parenting"}, "granted_to_id", "Name the caregiver this order is made for."),
        ({"conditions": ["School", " "]}, "conditions", "Write each condition as the order words it."),
        ({"child_id": 999999}, "child_id", "No person with id 999999 in this case."),
        ({"review_on": days(-20).isoformat()}, "review_on", "The court reviews an order after the date it was made."),
    ],
    ids=["future", "caregiver order for nobody", "blank condition", "unknown child", "review before made"],
)
def test_a_bad_order_is_refused_by_the_field_sent_and_nothing_is_saved(api, case, payload, field, message):
    before = state()
    body = {
        "kind": "ce_custody",
        "court": PORIRUA,
        "made_on": days(-10).isoformat(),
        "conditions": ["School"],
    } | payload
    assert field_errors(call(api, "POST", f"/cases/{case.pk}/court-orders", body)) == {field: [message]}
    assert state() == before


def test_the_child_named_must_be_a_child_of_the_case(api, case, mother):
    body = {"kind": "ce_custody", "court": PORIRUA, "made_on": days(-10).isoformat(), "child_id": mother.pk}
    assert field_errors(call(api, "POST", f"/cases/{case.pk}/court-orders", body)) == {
        "child_id": ["Choose a child of this case."]
    }


@pytest.mark.parametrize(
    ("path", "payload", "field", "message"),
    [
        (
            "discharge",
            {"discharged_on": days(1).isoformat()},
            "discharged_on",
            "The date of discharge cannot be in the future.",
        ),
        ("end", {"to": "expired"}, "to", "This order has no expiry date: record it as discharged or replaced."),
        ("end", {"to": "replaced"}, "replaced_by_id", "Choose the order that replaced it."),
        (
            "end",
            {"to": "replaced", "replaced_by_id": 999999},
            "replaced_by_id",
            "No court order with id 999999 in this case.",
        ),
    ],
    ids=["discharged tomorrow", "expired without an expiry", "replaced by nothing", "replaced by an unknown order"],
)
def test_an_order_is_not_ended_against_the_rules_and_stays_in_force(api, order, path, payload, field, message):
    before = state()
    assert field_errors(call(api, "POST", f"/court-orders/{order.pk}/{path}", payload)) == {field: [message]}
    assert state() == before


def test_an_order_that_has_ended_refuses_further_changes(api, alice, order):
    ok(call(api, "POST", f"/court-orders/{order.pk}/discharge", {"discharged_on": days(0).isoformat()}))
    before = state()
    condition = order.conditions.first()
    for method, path, payload in (
        ("POST", f"/court-orders/{order.pk}/discharge", {"discharged_on": days(0).isoformat()}),
        ("PATCH", f"/court-orders/{order.pk}", {"court": "Elsewhere"}),
        ("POST", f"/order-conditions/{condition.pk}/compliance", {"compliance": "met"}),
    ):
        assert call(api, method, path, payload).status_code == 422
    assert state() == before


def test_compliance_falling_short_needs_a_note(api, order):
    condition = order.conditions.first()
    before = state()
    response = call(api, "POST", f"/order-conditions/{condition.pk}/compliance", {"compliance": "partly_complying"})
    assert field_errors(response) == {"note": ["Say what is not being complied with, and what is being done about it."]}
    assert state() == before


def test_steps_outside_the_cases_current_plan_are_refused_by_step_ids(api, order, planned, charlie_case):
    condition = order.conditions.first()
    elsewhere = StepFactory(goal__plan__case=charlie_case)
    before = state()
    response = call(
        api, "PUT", f"/order-conditions/{condition.pk}/steps", {"step_ids": [planned.school.pk, elsewhere.pk]}
    )
    assert field_errors(response) == {"step_ids": [f"No step with id {elsewhere.pk} in this case."]}
    assert state() == before


def test_a_hearing_about_an_order_of_another_case_is_refused_by_order_id(api, case, charlie_case):
    elsewhere = CourtOrderFactory(case=charlie_case)
    body = {"date": days(5).isoformat(), "court": PORIRUA, "purpose": "Review", "order_id": elsewhere.pk}
    before = state()
    assert field_errors(call(api, "POST", f"/cases/{case.pk}/hearings", body)) == {
        "order_id": [f"No court order with id {elsewhere.pk} in this case."]
    }
    assert state() == before


def test_a_hearing_is_not_held_before_its_date_nor_without_its_outcome(api, case):
    soon = HearingFactory(case=case, date=days(3))
    before = state()
    assert field_errors(call(api, "POST", f"/hearings/{soon.pk}/outcome", {"status": "held", "outcome": "x"})) == {
        "status": [f"This hearing is on {days(3):%-d %b %Y}: it cannot be held before then."]
    }
    assert field_errors(call(api, "POST", f"/hearings/{soon.pk}/outcome", {"status": "cancelled"})) == {
        "outcome": ["Say why the hearing was cancelled."]
    }
    assert state() == before


def test_input_that_does_not_fit_the_schema_names_the_field(api, case):
    response = call(
        api, "POST", f"/cases/{case.pk}/court-orders", {"kind": "custody", "court": PORIRUA, "made_on": "soon"}
    )
    assert response.status_code == 422
    assert {part for error in response.json()["detail"] for part in error["loc"]} >= {"kind", "made_on"}
    assert not CourtOrder.objects.exists()


# --- history on every write ------------------------------------------------------------------------


def test_every_write_is_in_history_with_its_before_and_after(api, case, order, planned):
    condition = order.conditions.first()
    hearing = HearingFactory(case=case, date=days(-1))
    writes = [
        (
            "PATCH",
            f"/court-orders/{order.pk}",
            {"notes": "Judge Smith."},
            "courtorder",
            order.pk,
            "court.order.updated",
        ),
        (
            "POST",
            f"/court-orders/{order.pk}/conditions",
            {"text": "New"},
            "ordercondition",
            None,
            "court.condition.added",
        ),
        (
            "PATCH",
            f"/order-conditions/{condition.pk}",
            {"text": "Reworded"},
            "ordercondition",
            condition.pk,
            "court.condition.updated",
        ),
        (
            "POST",
            f"/order-conditions/{condition.pk}/compliance",
            {"compliance": "met"},
            "ordercondition",
            condition.pk,
            "court.condition.compliance",
        ),
        (
            "PUT",
            f"/order-conditions/{condition.pk}/steps",
            {"step_ids": [planned.school.pk]},
            "ordercondition",
            condition.pk,
            "court.condition.steps",
        ),
        ("PATCH", f"/hearings/{hearing.pk}", {"purpose": "Final"}, "hearing", hearing.pk, "court.hearing.updated"),
        (
            "POST",
            f"/hearings/{hearing.pk}/outcome",
            {"status": "held", "outcome": "Done"},
            "hearing",
            hearing.pk,
            "court.hearing.held",
        ),
        (
            "POST",
            f"/court-orders/{order.pk}/discharge",
            {"discharged_on": days(0).isoformat()},
            "courtorder",
            order.pk,
            "court.order.discharged",
        ),
    ]
    for method, path, payload, kind, pk, event in writes:
        body = ok(call(api, method, path, payload), 201 if path.endswith("/conditions") else 200)
        latest = history(kind, pk or body["id"])[-1]
        assert latest.event == event and latest.case_id == case.pk, path
        assert latest.changes and all(len(pair) == 2 for pair in latest.changes.values()), path
    assert history("courtorder", order.pk)[-2].changes == {"notes": ["", "Judge Smith."]}


def test_reads_are_logged_as_views_of_the_childs_record(api, alice, case, order):
    from kinplan.audit.models import RecordView

    for path in (f"/cases/{case.pk}/court-orders", f"/court-orders/{order.pk}", f"/cases/{case.pk}/hearings"):
        before = RecordView.objects.filter(user=alice, case=case, channel="api").count()
        ok(call(api, "GET", path))
        assert RecordView.objects.filter(user=alice, case=case, channel="api").count() == before + 1


def test_the_order_list_costs_the_same_queries_for_1_order_as_for_6(
    api, alice, case, planned, django_assert_num_queries
):
    from kinplan.court import services

    def add(n: int) -> None:
        found = CourtOrderFactory(case=case, made_on=days(-n - 5))
        condition = services.condition_add(actor=alice, order=found, text=f"Condition {n}")
        services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])

    add(0)
    # the session and user, the case and its view log (the chain head locked, the entry, the head moved on); the
    # orders, their conditions, linked steps and status changes (with who made them); and the current plan's steps
    with django_assert_num_queries(11):
        assert len(ok(call(api, "GET", f"/cases/{case.pk}/court-orders"))) == 1
    for n in range(1, 6):
        add(n)
    services.order_discharge(actor=alice, order=CourtOrder.objects.filter(case=case).first(), on=days(0))
    with django_assert_num_queries(11):
        assert len(ok(call(api, "GET", f"/cases/{case.pk}/court-orders"))) == 6

"""The four exports: what the page shows the user and nothing more, logged, in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases import services as case_services
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory
from kinplan.permanent_care import services as pc_services
from kinplan.permanent_care.models import SupportArrangement, SupportItem
from kinplan.permanent_care.tests.factories import arrangement_at, days
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory
from kinplan.referrals.tests.factories import ReferralFactory
from kinplan.spreadsheets.tests.helpers import csv_rows, xlsx_rows


def download(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response


def caseload_rows(client, **params):
    return csv_rows(download(client, reverse("spreadsheets:caseload"), **params).content)


# --- caseload -----------------------------------------------------------------------------------------------


def test_a_workers_caseload_export_holds_her_cases_only(client, alice, case, charlie_case, bob):
    # given
    CaseFactory(worker=bob, name="Bob's family")
    client.force_login(alice)
    # when
    rows = caseload_rows(client)
    # then
    assert rows[0][:2] == ["Case reference", "Case name"]
    assert [row[1] for row in rows[1:]] == ["Ngata whānau"]


def test_the_caseload_export_follows_the_pages_filters(client, alice, case):
    # given
    closed = CaseFactory(worker=alice, name="Closed family", status="closed", closed_on=days(0))
    client.force_login(alice)
    # when / then
    assert [r[1] for r in caseload_rows(client, status="closed")[1:]] == [closed.name]
    assert {r[1] for r in caseload_rows(client, status="")[1:]} == {closed.name, case.name}
    assert caseload_rows(client, q="nobody-called-this")[1:] == []


def test_a_restricted_case_the_user_is_not_named_on_never_appears(client, case, supervisor, site_manager):
    # given
    case_services.case_restriction_set(actor=supervisor, case=case, restricted=True, reason="Staff member's family.")
    client.force_login(site_manager)
    # when
    body = download(client, reverse("spreadsheets:caseload"), format="xlsx").content
    # then
    assert all(case.name not in str(cell) for row in xlsx_rows(body) for cell in row)
    assert all(case.reference not in str(cell) for row in xlsx_rows(body) for cell in row)


def test_the_caseload_export_is_one_history_entry_naming_it_and_its_rows(client, alice, case):
    client.force_login(alice)
    caseload_rows(client)
    event = AuditEvent.objects.get(event="spreadsheet.exported")
    assert event.actor == alice
    assert event.changes["export"] == [None, "caseload"] and event.changes["rows"] == [None, 1]


def test_the_caseload_export_costs_the_same_queries_for_3_cases_as_for_30(client, alice):
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            download(client, reverse("spreadsheets:caseload"), format="xlsx")
        return len(captured)

    for _ in range(3):
        CaseFactory(worker=alice)
    few = queries()
    for _ in range(27):
        CaseFactory(worker=alice)
    assert queries() == few


# --- plan ---------------------------------------------------------------------------------------------------


@pytest.fixture
def plan(case):
    plan = PlanFactory(case=case)
    goal = GoalFactory(plan=plan, title="Safe at home")
    middle = GoalFactory(plan=plan, title="Mum's parenting course", parent=goal)
    StepFactory(goal=goal, what='=HYPERLINK("http://evil")')
    StepFactory(goal=middle, what="Book the course", costs_money=True, cost=Decimal("250.00"), funder="agency")
    return plan


def test_the_plan_export_has_one_row_per_step_with_its_goal_chain(client, alice, plan):
    # given
    client.force_login(alice)
    # when
    rows = csv_rows(download(client, reverse("spreadsheets:plan", args=[plan.case_id])).content)
    # then
    assert [(r[2], r[3], r[5]) for r in rows[1:]] == [
        ("Safe at home", "", '\'=HYPERLINK("http://evil")'),
        ("Safe at home", "Mum's parenting course", "Book the course"),
    ]
    assert rows[2][15] == "250.00"


def test_the_plan_export_is_logged_as_a_view_of_the_case(client, alice, plan):
    client.force_login(alice)
    download(client, reverse("spreadsheets:plan", args=[plan.case_id]), format="xlsx")
    view = RecordView.objects.get(case=plan.case)
    assert view.user == alice and "download" in view.path


def test_someone_who_may_not_see_the_case_gets_a_404_for_its_plan(client, charlie, plan):
    client.force_login(charlie)
    assert client.get(reverse("spreadsheets:plan", args=[plan.case_id])).status_code == 404


def test_the_plan_export_costs_the_same_queries_for_2_steps_as_for_20(client, alice, plan):
    client.force_login(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            download(client, reverse("spreadsheets:plan", args=[plan.case_id]))
        return len(captured)

    few = queries()
    for n in range(6):
        goal = GoalFactory(plan=plan, title=f"Goal {n}")
        StepFactory.create_batch(3, goal=goal)
    assert queries() == few


# --- referrals ----------------------------------------------------------------------------------------------


def test_the_referrals_export_leaves_out_other_workers_cases_and_what_was_sent(client, alice, case, charlie_case):
    # given
    person = ParticipantFactory(case=case).person
    person.address, person.address_is_confidential = "12 Secret Street", True
    person.save()
    ReferralFactory(case=case, person=person, information_sent="Lives at 12 Secret Street")
    ReferralFactory(case=charlie_case)
    client.force_login(alice)
    # when
    body = download(client, reverse("spreadsheets:referrals"), show="all").content
    # then
    rows = csv_rows(body)
    assert [r[0] for r in rows[1:]] == [case.reference]
    assert b"Secret" not in body


# --- spend --------------------------------------------------------------------------------------------------


def test_the_spend_export_lists_approved_committed_and_delivered_per_support(client, family, staff):
    # given
    arrangement = arrangement_at(SupportArrangement.Status.IN_PLACE, family, staff)
    item = SupportItem.objects.get(objective__arrangement=arrangement, funder=SupportItem.Funder.SUPPORT_SERVICE)
    data = {"quantity": Decimal(8), "unit": "session", "cost": Decimal("960.00"), "period_start": days(0)}
    data |= {"period_end": days(200), "reference": "=PO-1"}
    purchase = pc_services.purchase_record(actor=staff.caseworker, arrangement=arrangement, item=item, data=data)
    pc_services.delivery_record(
        actor=staff.caseworker,
        purchase=purchase,
        data={"delivered_on": days(0), "quantity": Decimal(3), "cost": Decimal("360.00")},
    )
    client.force_login(staff.worker)
    # when
    url = reverse("spreadsheets:spend", args=[arrangement.case_id, arrangement.pk])
    rows = xlsx_rows(download(client, url, format="xlsx").content)
    # then
    assert rows[1][2] == item.what
    assert rows[1][5:8] == [1200, 960, 360]
    assert rows[-1][2] == "Total"


def test_the_history_names_the_download(client, alice, case):
    from kinplan.audit.rows import event_label

    client.force_login(alice)
    caseload_rows(client)
    assert event_label("spreadsheet.exported") == "List downloaded as a spreadsheet"


def test_a_long_caseload_is_read_a_chunk_at_a_time_and_every_case_keeps_its_own_progress(client, alice, monkeypatch):
    # given: chunks of two, five cases, each with as many done steps as its number
    from kinplan.spreadsheets import selectors

    monkeypatch.setattr(selectors, "CHUNK", 2)
    for n in range(5):
        plan = PlanFactory(case=CaseFactory(worker=alice, name=f"Family {n}"))
        StepFactory.create_batch(n, goal=GoalFactory(plan=plan), status="done", result="Done.", completed_on=days(0))
    client.force_login(alice)
    # when
    rows = caseload_rows(client)[1:]
    # then
    assert sorted((r[1], r[9]) for r in rows) == [(f"Family {n}", str(n)) for n in range(5)]

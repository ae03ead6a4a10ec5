"""The dashboard over the API: the same panels and figures as the page, for the same role."""

from __future__ import annotations

from decimal import Decimal

from kinplan.accounts.services import api_token_create
from kinplan.cases.tests.factories import CaseFactory
from kinplan.dashboards.tests.test_dashboards import HOME, days, plan_with_steps
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.conftest import family, staff  # noqa: F401  (fixtures)
from kinplan.permanent_care.tests.factories import arrangement_at
from kinplan.permanent_care.tests.test_waiting import climb_to

DASHBOARD = "/api/v1/me/dashboard"
S = SupportArrangement.Status


def test_a_workers_dashboard_has_the_pages_figures(client, alice):
    case = CaseFactory(worker=alice)
    plan = plan_with_steps(case, 1, -4)
    client.force_login(alice)
    # when
    body = client.get(DASHBOARD).json()
    # then
    assert (body["role"], body["panels"]) == ("social_worker", ["my_work"])
    work = body["my_work"]
    assert (work["open_cases"], work["overdue_steps"]) == (1, 1)
    assert [(s["case_id"], s["due_on"]) for s in work["due_this_week"]] == [(case.pk, days(1).isoformat())]
    assert work["awaiting_agreement"] == [
        {"plan_id": plan.pk, "case_id": case.pk, "version": 1, "members_required": 0, "members_agreeing": 0}
    ]
    assert client.get(HOME).context["my_work"].open_cases == work["open_cases"]


def test_a_supervisors_team_by_worker_and_risk(client, supervisor, alice, bob):
    plan_with_steps(CaseFactory(worker=alice), -2, -3)
    client.force_login(supervisor)
    team = client.get(DASHBOARD).json()["team"]
    assert team["scope"] == "team"
    assert [(w["worker_id"], w["open_cases"], w["overdue_steps"]) for w in team["workers"]] == [
        (alice.pk, 1, 2),
        (bob.pk, 0, 0),
    ]
    assert team["risk_levels"] == {"critical": 0, "high": 0, "medium": 0, "low": 0, "": 1}


def test_a_national_manager_sees_the_determinations_waiting(client, staff, family):  # noqa: F811
    arrangement = arrangement_at(S.NOT_APPROVED, family, staff)
    climb_to(staff, arrangement, 6)
    client.force_login(staff.national_manager)
    body = client.get(DASHBOARD).json()
    [waiting] = body["determinations"]["waiting"]
    assert (waiting["arrangement_id"], waiting["rung"], waiting["whose_move"]) == (
        arrangement.pk,
        6,
        "National manager",
    )
    assert body["determinations"]["escalations_by_rung"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 1}
    assert [w["what"] for w in body["waiting"]] == ["Escalation step 6: National manager's final determination"]


def test_spend_is_given_as_numbers(client, staff, family):  # noqa: F811
    arrangement_at(S.IN_PLACE, family, staff)
    client.force_login(staff.support_manager)
    [row] = client.get(DASHBOARD).json()["approvals"]["spend"]
    assert Decimal(row["approved"]) > 0 and Decimal(row["committed"]) == 0
    assert row["over_approved"] is False


def test_a_read_only_token_reads_its_owners_dashboard(client, alice):
    _token, raw = api_token_create(actor=alice, name="wall screen", read_only=True)
    body = client.get(DASHBOARD, HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["role"] == "social_worker"


def test_the_administrator_has_no_panels(client, administrator):
    client.force_login(administrator)
    assert client.get(DASHBOARD).json()["panels"] == []


def test_someone_not_signed_in_is_refused(client, db):
    assert client.get(DASHBOARD).status_code == 401


def test_the_overdue_steps_of_one_worker_as_the_dashboard_links_them(client, supervisor, alice, bob):
    plan_with_steps(CaseFactory(worker=alice), -2)
    plan_with_steps(CaseFactory(worker=bob), -3)
    client.force_login(supervisor)
    everyone = client.get("/api/v1/steps/overdue", {"team": "true"}).json()["items"]
    alices = client.get("/api/v1/steps/overdue", {"team": "true", "worker": alice.pk}).json()["items"]
    assert len(everyone) == 2
    assert [s["case_id"] for s in alices] == [s["case_id"] for s in everyone if s["case_id"] != bob.cases.get().pk]

"""The audit screen: administrators and site managers see who changed or looked at what, filter it, export it,
and administrators check the chains."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.audit.services import audit_record, record_view_log
from kinplan.audit.tests.conftest import tamper

pytestmark = pytest.mark.django_db
URL = reverse("audit:log")


def page(client, **params):
    return client.get(URL, params)


def exported(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


# --- who may see it -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "supervisor", "national_manager", "support_caseworker"])
def test_everyone_but_administrators_and_site_managers_is_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert page(client).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    assert not AuditEvent.objects.filter(event="audit.exported").exists()


@pytest.mark.parametrize(
    ("who", "offered"), [("administrator", True), ("site_manager", True), ("alice", False), ("national_manager", False)]
)
def test_the_menu_offers_the_audit_log_to_those_it_lets_in(client, request, who, offered):
    client.force_login(request.getfixturevalue(who))
    menu = client.get(reverse("accounts:security")).content.decode()
    assert (f'href="{URL}"' in menu) is offered


def test_signed_out_people_are_sent_to_sign_in(client):
    response = page(client)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["administrator", "site_manager"])
def test_administrators_and_site_managers_see_changes_and_views(client, request, who, entries, case):
    client.force_login(request.getfixturevalue(who))
    changes = page(client)
    views = page(client, kind="views")
    assert changes.status_code == views.status_code == 200
    assert "case.note" in changes.content.decode() and case.reference in changes.content.decode()
    assert f"/cases/{case.pk}/" in views.content.decode()


# --- what it shows ------------------------------------------------------------------------------------


def test_a_change_shows_each_field_before_and_after_and_the_event_by_name(client, administrator, alice, case):
    audit_record(actor=alice, event="case.updated", target=case, case=case, changes={"status": ["open", "closed"]})
    client.force_login(administrator)
    html = page(client).content.decode()
    assert "<strong>status</strong>: open → closed" in html
    assert "Case changed" in html and "<code>case.updated</code>" in html
    assert str(alice) in html


def test_newest_entries_come_first(client, administrator, alice, case):
    for n in range(3):
        audit_record(actor=alice, event=f"case.step{n}", target=case, case=case)
    client.force_login(administrator)
    rows = page(client).context["rows"]
    assert [row.event for row in rows[:3]] == ["case.step2", "case.step1", "case.step0"]


def test_entries_come_a_page_at_a_time(client, administrator, alice, case, settings):
    settings.KINPLAN_PAGE_SIZE = 4
    for n in range(6):
        audit_record(actor=alice, event="case.note", target=case, case=case, changes={"n": [None, n]})
    client.force_login(administrator)
    first = page(client, event="case.note")
    assert len(first.context["rows"]) == 4 and first.context["next_before"]
    older = page(client, event="case.note", before=first.context["next_before"])
    assert [row.changes[0].after for row in older.context["rows"]] == [1, 0]
    assert older.context["next_before"] is None
    assert "Newest" in older.content.decode()


# --- filters ------------------------------------------------------------------------------------------


@pytest.fixture
def mixed(alice, bob, case, charlie_case, charlie):
    audit_record(actor=alice, event="case.updated", target=case, case=case, changes={"name": ["A", "B"]})
    audit_record(actor=bob, event="plan.created", target=case, case=case)
    audit_record(actor=charlie, event="case.updated", target=charlie_case, case=charlie_case)
    record_view_log(user=alice, case=case, channel="web", path="/web/")
    record_view_log(user=bob, case=case, channel="api", path="/api/v1/cases/")
    record_view_log(user=charlie, case=charlie_case, channel="web", path="/charlie/")


def events_shown(client, **params):
    return [(row.who, row.event) for row in page(client, **params).context["rows"]]


def test_changes_filter_by_who_event_and_case(client, administrator, mixed, alice, bob, case, charlie_case):
    client.force_login(administrator)
    assert events_shown(client, who=bob.pk) == [(str(bob), "plan.created")]
    assert {event for _who, event in events_shown(client, event="case.updated")} == {"case.updated"}
    assert len(events_shown(client, event="case.updated")) == 2
    assert len(events_shown(client, case=charlie_case.reference.lower())) == 1
    assert events_shown(client, case="KP-NOPE") == []


def test_views_filter_by_channel_and_who(client, administrator, mixed, bob):
    client.force_login(administrator)
    api_views = page(client, kind="views", channel="api").context["rows"]
    assert [(v.who, v.path) for v in api_views] == [(str(bob), "/api/v1/cases/")]
    assert len(page(client, kind="views", who=bob.pk).context["rows"]) == 1


def test_entries_filter_by_date(client, administrator, mixed):
    client.force_login(administrator)
    today = timezone.localdate()
    assert len(page(client, date_from=today.isoformat(), date_to=today.isoformat()).context["rows"]) == 3
    tomorrow = today + datetime.timedelta(days=1)
    assert page(client, date_from=tomorrow.isoformat()).context["rows"] == []
    assert page(client, date_to=(today - datetime.timedelta(days=1)).isoformat()).context["rows"] == []


def test_the_filter_offers_the_events_present_and_the_users_in_scope(client, administrator, mixed, alice):
    client.force_login(administrator)
    response = page(client)
    assert [name for name, _label in response.context["events"]] == ["case.updated", "plan.created"]
    assert alice in response.context["users"]


def test_a_bad_filter_shows_the_form_again_with_the_problem(client, administrator, mixed):
    client.force_login(administrator)
    response = page(client, date_from="2026-05-02", date_to="2026-05-01", who="someone")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end date must not be before the start date." in html
    assert response.context["rows"] == []


# --- export -------------------------------------------------------------------------------------------


def test_the_export_is_the_current_filter_as_csv_and_is_recorded(client, administrator, mixed, bob):
    client.force_login(administrator)
    response = client.get(reverse("audit:export"), {"event": "case.updated"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = exported(response)
    assert {row["event"] for row in rows} == {"case.updated"} and len(rows) == 2
    assert any(row["changes"] == "name: A → B" for row in rows)
    recorded = AuditEvent.objects.get(event="audit.exported")
    assert recorded.actor == administrator
    assert recorded.changes == {"chain": [None, "history"], "filter": [None, {"event": "case.updated"}]}


def test_the_export_of_views_lists_the_access_log(client, site_manager, mixed, case):
    client.force_login(site_manager)
    rows = exported(client.get(reverse("audit:export"), {"kind": "views"}))
    assert {row["path"] for row in rows} == {"/web/", "/api/v1/cases/"}
    assert AuditEvent.objects.get(event="audit.exported").changes["chain"] == [None, "access"]


def test_cells_that_a_spreadsheet_would_run_as_a_formula_get_a_quote_first(client, administrator, alice, case):
    # given entries whose text starts as a formula would
    for label in ('=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rReturn", "Plain"):
        audit_record(actor=alice, event="case.note", target=AuditEvent(pk=1), case=case)
        tamper(
            "UPDATE audit_auditevent SET target_label = %s WHERE seq = (SELECT MAX(seq) FROM audit_auditevent)", [label]
        )
    client.force_login(administrator)
    # when exported
    rows = exported(client.get(reverse("audit:export"), {"event": "case.note"}))
    # then each such cell starts with a quote, and ordinary text is left alone
    assert sorted(row["target"] for row in rows) == sorted(
        ['\'=HYPERLINK("http://evil")', "'+1+1", "'-2", "'@SUM(A1)", "'\tTab", "'\rReturn", "Plain"]
    )


def test_a_cell_that_starts_like_a_formula_gets_a_quote(client, administrator, alice):
    from kinplan.accounts.tests.factories import UserFactory

    sly = UserFactory(first_name="=cmd|' /C calc'!A0", last_name="")
    record_view_log(user=sly, path="+SUM(1)")
    client.force_login(administrator)
    [row] = exported(client.get(reverse("audit:export"), {"kind": "views", "who": sly.pk}))
    assert row["who"].startswith("'=cmd") and row["path"] == "'+SUM(1)"


def test_a_bad_filter_is_not_exported(client, administrator, mixed):
    client.force_login(administrator)
    response = client.get(reverse("audit:export"), {"date_from": "yesterday"})
    assert response.status_code == 302 and response.url.startswith(URL)
    assert not AuditEvent.objects.filter(event="audit.exported").exists()


# --- checking the chains ------------------------------------------------------------------------------


def test_an_administrator_checks_the_chains_and_sees_the_result(client, administrator, entries):
    client.force_login(administrator)
    response = client.post(reverse("audit:verify"), follow=True)
    html = response.content.decode()
    assert "History: " in html and "chain intact" in html
    verified = AuditEvent.objects.get(event="audit.verified")
    assert verified.actor == administrator and verified.changes["access_entries"] == [None, 3]
    assert [s.intact for s in response.context["verification"]] == [True, True]


def test_a_broken_chain_is_shown_as_broken(client, administrator, entries):
    events, _views = entries
    tamper("UPDATE audit_auditevent SET target_label = 'x' WHERE id = %s", [events[2].pk])
    client.force_login(administrator)
    html = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert f"broken at entry {events[2].seq}: its content was changed after it was written" in html
    verified = AuditEvent.objects.get(event="audit.verified")
    assert verified.changes["history_intact"] == [None, False]
    assert verified.changes["history_broken_seq"] == [None, events[2].seq]


def test_site_managers_do_not_check_the_chains(client, site_manager, entries):
    client.force_login(site_manager)
    assert client.post(reverse("audit:verify")).status_code == 403
    assert "Verify now" not in page(client).content.decode()
    assert not AuditEvent.objects.filter(event="audit.verified").exists()


def test_checking_the_chains_takes_a_post(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("audit:verify")).status_code == 405


# --- cost ---------------------------------------------------------------------------------------------


def furnish(case, actor, n):
    for i in range(n):
        audit_record(actor=actor, event="case.note", target=case, case=case, changes={"n": [i, i + 1]})
        record_view_log(user=actor, case=case, path="/x/")


@pytest.mark.parametrize("who", ["administrator", "site_manager"])
@pytest.mark.parametrize("kind", ["changes", "views"])
def test_the_screen_costs_the_same_queries_for_5_entries_as_for_50(
    client, request, who, kind, alice, case, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(who))
    furnish(case, alice, 5)
    with CaptureQueriesContext(connection) as five:
        assert len(page(client, kind=kind).context["rows"]) >= 5
    furnish(case, alice, 45)
    with django_assert_num_queries(len(five.captured_queries)):
        assert len(page(client, kind=kind).context["rows"]) == 50


def test_an_export_asks_an_old_sign_in_to_confirm_first(client, administrator, mixed):
    from kinplan.accounts.signin import PROVED_AT
    from kinplan.accounts.tests.helpers import age_session

    client.force_login(administrator)
    age_session(client, PROVED_AT, seconds=24 * 60 * 60)
    response = client.get(reverse("audit:export"), {"event": "case.updated"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:confirm"))
    assert not AuditEvent.objects.filter(event="audit.exported").exists()

"""The audit log over the API: the screen's scope and filters, a page at a time."""

from __future__ import annotations

import pytest

from kinplan.audit.models import AuditEvent
from kinplan.audit.services import audit_record, record_view_log
from kinplan.audit.tests.conftest import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(alice, bob, case):
    for n in range(3):
        audit_record(actor=alice, event="case.updated", target=case, case=case, changes={"name": [f"{n}", f"{n + 1}"]})
    audit_record(actor=bob, event="plan.created", target=case, case=case)
    record_view_log(user=alice, case=case, channel="api", path="/api/v1/cases/1")
    record_view_log(user=bob, case=case, channel="web", path="/cases/1/")


def test_events_come_newest_first_with_their_changes(client, administrator, written, alice, case):
    client.force_login(administrator)
    body = client.get("/api/v1/audit/events", {"event": "case.updated"}).json()
    assert [item["changes"] for item in body["items"]] == [
        {"name": ["2", "3"]},
        {"name": ["1", "2"]},
        {"name": ["0", "1"]},
    ]
    first = body["items"][0]
    assert (first["who"], first["actor_id"], first["case_reference"], first["event_label"]) == (
        str(alice),
        alice.pk,
        case.reference,
        "Case changed",
    )
    assert first["redacted"] is False and first["hidden"] is False


def test_events_come_a_page_at_a_time(client, administrator, written):
    client.force_login(administrator)
    first = client.get("/api/v1/audit/events", {"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_before"] == first["items"][-1]["seq"]
    rest = client.get("/api/v1/audit/events", {"limit": 2, "before": first["next_before"]}).json()
    seen = [i["seq"] for i in first["items"] + rest["items"]]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == len(seen)


def test_views_filter_by_channel(client, site_manager, written, alice):
    client.force_login(site_manager)
    body = client.get("/api/v1/audit/views", {"channel": "api"}).json()
    assert [(i["who"], i["channel"], i["path"]) for i in body["items"]] == [(str(alice), "api", "/api/v1/cases/1")]
    assert body["next_before"] is None


def test_only_administrators_and_site_managers_may_read_it(client, alice, written):
    client.force_login(alice)
    for path in ("/api/v1/audit/events", "/api/v1/audit/views"):
        response = client.get(path)
        assert response.status_code == 403 and "audit log" in response.json()["detail"]


def test_a_bad_filter_is_refused_with_the_reason(client, administrator, written):
    client.force_login(administrator)
    response = client.get("/api/v1/audit/events", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 422 and "date_to" in response.json()["errors"]
    assert client.get("/api/v1/audit/views", {"channel": "fax"}).status_code == 422
    assert client.get("/api/v1/audit/events", {"limit": 500}).status_code == 422


def test_reading_the_audit_log_is_not_itself_a_change(client, administrator, written):
    before = AuditEvent.objects.count()
    client.force_login(administrator)
    client.get("/api/v1/audit/events")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("params", [{"who": 2**70}, {"before": 2**64}, {"before": 0}, {"case": "K" * 30}])
def test_numbers_and_text_out_of_range_are_refused_not_crashed_on(client, administrator, params):
    client.force_login(administrator)
    assert client.get("/api/v1/audit/events", params).status_code == 422


# --- checking the chains --------------------------------------------------------------------------


def test_an_administrator_checks_the_chains_and_the_check_is_recorded(client, administrator, entries):
    # given
    client.force_login(administrator)
    # when
    response = client.post("/api/v1/audit/verify")
    # then
    assert response.status_code == 200, response.content
    history, access = response.json()
    assert (history["chain"], history["intact"], history["broken_seq"]) == ("history", True, None)
    assert (access["chain"], access["entries"], access["intact"]) == ("access", 3, True)
    verified = AuditEvent.objects.get(event="audit.verified")
    assert verified.actor == administrator and verified.changes["access_entries"] == [None, 3]


def test_a_broken_chain_is_reported_with_where_it_breaks(client, administrator, entries):
    events, _views = entries
    tamper("UPDATE audit_auditevent SET target_label = 'x' WHERE id = %s", [events[2].pk])
    client.force_login(administrator)
    history = client.post("/api/v1/audit/verify").json()[0]
    assert (history["intact"], history["broken_seq"]) == (False, events[2].seq)
    assert history["problem"] == "its content was changed after it was written"


def test_site_managers_do_not_check_the_chains_and_nothing_is_recorded(client, site_manager, entries):
    client.force_login(site_manager)
    response = client.post("/api/v1/audit/verify")
    assert response.status_code == 403, response.content
    assert response.json()["detail"] == "Only administrators can check the audit chains."
    assert not AuditEvent.objects.filter(event="audit.verified").exists()


def test_a_read_only_token_cannot_run_the_check(client, administrator, entries):
    from kinplan.accounts.services import api_token_create

    _token, raw = api_token_create(actor=administrator, name="nightly check", read_only=True)
    response = client.post("/api/v1/audit/verify", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403, response.content
    assert not AuditEvent.objects.filter(event="audit.verified").exists()


# --- export -----------------------------------------------------------------------------------------


def _csv_rows(response) -> list[dict[str, str]]:
    import csv
    import io

    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_is_every_entry_the_filter_matches_as_csv_and_is_recorded(client, administrator, written):
    # given
    client.force_login(administrator)
    # when
    response = client.get("/api/v1/audit/events/export", {"event": "case.updated", "limit": 1})
    # then: all three, not a page of one
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    assert [row["event"] for row in _csv_rows(response)] == ["case.updated"] * 3
    recorded = AuditEvent.objects.get(event="audit.exported")
    assert recorded.actor == administrator
    assert recorded.changes == {"chain": [None, "history"], "filter": [None, {"event": "case.updated"}]}


def test_the_access_log_export_is_recorded_as_such(client, site_manager, written):
    client.force_login(site_manager)
    response = client.get("/api/v1/audit/views/export", {"channel": "api"})
    assert response.status_code == 200
    assert [row["path"] for row in _csv_rows(response)] == ["/api/v1/cases/1"]
    assert AuditEvent.objects.get(event="audit.exported").changes["chain"] == [None, "access"]


def test_only_auditors_export_and_a_bad_filter_is_a_422_with_nothing_recorded(client, alice, administrator, written):
    client.force_login(alice)
    assert client.get("/api/v1/audit/events/export").status_code == 403
    client.force_login(administrator)
    response = client.get("/api/v1/audit/events/export", {"date_from": "yesterday"})
    assert response.status_code == 422 and "date_from" in str(response.json())
    assert not AuditEvent.objects.filter(event="audit.exported").exists()


def test_an_export_in_the_browser_needs_a_recent_sign_in(client, administrator, written):
    from kinplan.accounts.signin import PROVED_AT

    client.force_login(administrator)
    session = client.session
    session[PROVED_AT] = 0
    session.save()
    response = client.get("/api/v1/audit/events/export")
    assert response.status_code == 403, response.content
    assert not AuditEvent.objects.filter(event="audit.exported").exists()

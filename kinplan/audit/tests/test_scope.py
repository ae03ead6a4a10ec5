"""A site manager audits their own site: its cases, the people in them and its staff's own acts; never another
site's cases. A restricted case they are not named on shows who and when, not what."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from kinplan.audit.models import AuditEvent
from kinplan.audit.services import audit_record, record_view_log
from kinplan.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites(alice, case, charlie, charlie_case):
    """Entries about alice's case (Wellington) and charlie's (Christchurch), and each one's own settings."""
    audit_record(actor=alice, event="case.updated", target=case, case=case, changes={"name": ["A", "Ngata whānau"]})
    audit_record(actor=alice, event="user.settings.changed", target=alice, changes={"language": ["", "nb"]})
    audit_record(
        actor=charlie,
        event="case.updated",
        target=charlie_case,
        case=charlie_case,
        changes={"name": ["B", "Xanthippe"]},
    )
    audit_record(actor=charlie, event="user.settings.changed", target=charlie, changes={"language": ["", "en"]})
    record_view_log(user=alice, case=case, path=f"/cases/{case.pk}/")
    record_view_log(user=alice, person=case.participants.first().person, path="/people/alice-sees/")
    record_view_log(user=charlie, case=charlie_case, path=f"/cases/{charlie_case.pk}/")
    record_view_log(user=charlie, person=charlie_case.participants.first().person, path="/people/charlie-sees/")
    return case, charlie_case


def everything_shown(client) -> str:
    """The screen (both tabs), the export (both kinds) and the API (both lists), as one text."""
    parts = [client.get(reverse("audit:log"), {"kind": kind}).content.decode() for kind in ("changes", "views")]
    for kind in ("changes", "views"):
        response = client.get(reverse("audit:export"), {"kind": kind})
        parts.append(b"".join(response.streaming_content).decode())
    parts += [client.get(f"/api/v1/audit/{kind}").content.decode() for kind in ("events", "views")]
    return "\n".join(parts)


def test_a_site_manager_sees_their_site_and_never_another_sites_cases(client, site_manager, two_sites, charlie):
    case, charlie_case = two_sites
    client.force_login(site_manager)
    shown = everything_shown(client)
    # their own site: the case, its people's pages, their worker's own acts
    assert case.reference in shown and "Ngata whānau" in shown
    assert "/people/alice-sees/" in shown and "language" in shown
    # never the other site's case, its people or its staff
    for secret in (
        charlie_case.reference,
        "Xanthippe",
        f"/cases/{charlie_case.pk}/",
        "/people/charlie-sees/",
    ):
        assert secret not in shown
    assert str(charlie) not in shown


def test_each_site_manager_sees_only_their_own_site(client, other_site_manager, two_sites, alice):
    case, charlie_case = two_sites
    client.force_login(other_site_manager)
    shown = everything_shown(client)
    assert charlie_case.reference in shown and "/people/charlie-sees/" in shown
    assert case.reference not in shown and "Ngata" not in shown and str(alice) not in shown


def test_an_administrator_sees_both_sites(client, administrator, two_sites):
    case, charlie_case = two_sites
    client.force_login(administrator)
    shown = everything_shown(client)
    assert case.reference in shown and charlie_case.reference in shown


def test_the_who_filter_offers_only_the_sites_staff(client, site_manager, two_sites, alice, charlie):
    client.force_login(site_manager)
    users = list(client.get(reverse("audit:log")).context["users"])
    assert alice in users and charlie not in users
    # and asking for someone else's acts by id finds nothing
    assert client.get(reverse("audit:log"), {"who": charlie.pk}).context["rows"] == []


def test_a_restricted_case_the_manager_is_not_named_on_shows_who_and_when_but_not_what(client, site_manager, alice):
    # given a restricted case at the manager's site that names only alice
    secret = CaseFactory(worker=alice, name="Hidden whānau", is_restricted=True)
    from kinplan.cases.models import RestrictedCaseMember

    RestrictedCaseMember.objects.create(case=secret, user=alice, added_by=alice)
    audit_record(actor=alice, event="case.updated", target=secret, case=secret, changes={"summary": ["", "Private"]})
    record_view_log(user=alice, case=secret, path=f"/cases/{secret.pk}/")
    record_view_log(user=alice, person=secret.participants.first().person, path="/people/hidden/")
    client.force_login(site_manager)
    # when they audit
    shown = everything_shown(client)
    # then they see that alice changed and opened it, but not what it says
    assert secret.reference in shown and str(alice) in shown
    for content in ("Hidden whānau", "Private", "/people/hidden/", secret.participants.first().person.full_name):
        assert content not in shown
    rows = client.get(reverse("audit:log")).context["rows"]
    assert [row.hidden for row in rows if row.case_id == secret.pk] == [True]


def test_an_administrator_sees_a_restricted_case_as_stored(client, administrator, alice):
    secret = CaseFactory(worker=alice, name="Hidden whānau", is_restricted=True)
    audit_record(actor=alice, event="case.updated", target=secret, case=secret, changes={"summary": ["", "Private"]})
    client.force_login(administrator)
    assert "Private" in client.get(reverse("audit:log")).content.decode()


def test_the_export_lists_the_same_entries_as_the_screen(client, site_manager, two_sites):
    client.force_login(site_manager)
    shown = {row.seq for row in client.get(reverse("audit:log")).context["rows"]}
    response = client.get(reverse("audit:export"))
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    exported = {int(row["seq"]) for row in csv.DictReader(io.StringIO(text))}
    recorded = AuditEvent.objects.get(event="audit.exported").seq  # the export is history too, and in their scope
    assert exported == shown | {recorded}

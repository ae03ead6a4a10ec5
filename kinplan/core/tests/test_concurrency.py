"""The version check (kinplan.core.concurrency): what counts as the same value, what a version names, and that an
edit based on a version someone has moved on from is refused once per record, before anything is written."""

from __future__ import annotations

import datetime
import decimal
import json

import pytest
from django import forms
from django.core import signing

from kinplan.audit.models import AuditEvent
from kinplan.cases import services
from kinplan.cases.models import Case
from kinplan.core.concurrency import (
    EditConflict,
    Seen,
    comparable,
    editing,
    field_values,
    record_version,
    seen_from_token,
    seen_from_version,
    seen_token,
    unchecked,
)
from kinplan.core.forms import shown


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (decimal.Decimal("12.50"), decimal.Decimal("12.5")),
        (decimal.Decimal("100"), decimal.Decimal("100.00")),
        (datetime.date(2026, 11, 24), "2026-11-24"),
        ("  Visit  ", "Visit"),
        (
            datetime.datetime(2026, 11, 24, 10, 30, tzinfo=datetime.UTC),
            datetime.datetime(2026, 11, 24, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=13))),
        ),
    ],
)
def test_the_same_stored_value_compares_equal_however_it_is_written(one, other):
    assert comparable(one) == comparable(other)


def test_different_values_compare_different():
    assert comparable(decimal.Decimal("12.5")) != comparable(decimal.Decimal("125"))
    assert comparable(datetime.date(2026, 11, 24)) != comparable(datetime.date(2026, 11, 25))


@pytest.mark.django_db
def test_a_version_names_its_record_and_moves_on_with_any_stored_field(case):
    version = record_version(case)
    seen = seen_from_version(f'"{version}"')
    assert (seen.label, seen.pk, seen.version) == ("cases.case", str(case.pk), version)
    Case.objects.filter(pk=case.pk).update(summary="Something new")
    assert record_version(Case.objects.get(pk=case.pk)) != version
    assert record_version(Case.objects.get(pk=case.pk)) == record_version(Case.objects.get(pk=case.pk))


@pytest.mark.parametrize("header", ["*", "abc", "cases.1.x", '"cases.case.x"', ""])
def test_a_header_that_is_not_one_of_our_versions_names_nothing(header):
    assert seen_from_version(header) is None


@pytest.mark.django_db
def test_a_page_token_is_signed_and_names_the_record_and_values(case):
    token = seen_token(case, ["name", "summary", "not_a_field"])
    seen = seen_from_token(token)
    assert seen.names(case) and seen.values == {"name": case.name, "summary": case.summary}
    with pytest.raises(signing.BadSignature):
        seen_from_token(token[:-2] + "xx")


@pytest.mark.django_db
def test_an_edit_from_a_version_moved_on_from_is_refused_and_writes_nothing(case, alice, supervisor):
    seen = Seen(label="cases.case", pk=str(case.pk), values=field_values(case, ["name", "summary"]))
    services.case_update(
        actor=supervisor, case=Case.objects.get(pk=case.pk), data={"summary": "The supervisor's summary"}
    )
    history = AuditEvent.objects.count()
    with editing(seen), pytest.raises(EditConflict) as refused:
        services.case_update(actor=alice, case=Case.objects.get(pk=case.pk), data={"summary": "Alice's"})
    assert refused.value.fields == {"summary": case.summary}
    assert refused.value.current.summary == "The supervisor's summary"
    assert Case.objects.get(pk=case.pk).summary == "The supervisor's summary"
    assert AuditEvent.objects.count() == history


@pytest.mark.django_db
def test_a_change_to_a_field_the_page_did_not_show_is_no_conflict(case, alice, supervisor):
    seen = Seen(label="cases.case", pk=str(case.pk), values=field_values(case, ["summary"]))
    services.case_update(actor=supervisor, case=Case.objects.get(pk=case.pk), data={"name": "Renamed whānau"})
    with editing(seen):
        services.case_update(actor=alice, case=Case.objects.get(pk=case.pk), data={"summary": "Alice's"})
    saved = Case.objects.get(pk=case.pk)
    assert (saved.name, saved.summary) == ("Renamed whānau", "Alice's")


@pytest.mark.django_db
def test_the_version_is_checked_once_so_one_request_may_save_a_record_twice(case, alice):
    seen = Seen(label="cases.case", pk=str(case.pk), version=record_version(case))
    with editing(seen) as checking:
        services.case_update(actor=alice, case=Case.objects.get(pk=case.pk), data={"summary": "First"})
        services.case_update(actor=alice, case=Case.objects.get(pk=case.pk), data={"summary": "Second"})
    assert not unchecked(checking)
    assert Case.objects.get(pk=case.pk).summary == "Second"


@pytest.mark.django_db
def test_a_version_of_another_record_is_left_unchecked(case, alice):
    seen = Seen(label="cases.person", pk="999999", version="cases.person.999999.0")
    with editing(seen) as checking:
        services.case_update(actor=alice, case=case, data={"summary": "Saved"})
    assert unchecked(checking) == [seen]


@pytest.mark.django_db
def test_outside_an_edit_nothing_is_checked(case, alice):
    Case.objects.filter(pk=case.pk).update(summary="Changed in the meantime")
    services.case_update(actor=alice, case=case, data={"summary": "Saved"})  # no version seen: as before
    assert Case.objects.get(pk=case.pk).summary == "Saved"


# --- through the API: the If-Match answers docs/concurrency.md promises -------------------------------------


def _patch_summary(client, case, summary: str, if_match: str | None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return client.patch(
        f"/api/v1/cases/{case.pk}", json.dumps({"summary": summary}), content_type="application/json", **headers
    )


@pytest.mark.django_db
def test_a_records_answer_carries_its_version_as_etag_header_and_field(client, case, alice):
    client.force_login(alice)
    answer = client.get(f"/api/v1/cases/{case.pk}")
    assert answer["ETag"] == f'"{answer.json()["etag"]}"' and answer.json()["etag"] == record_version(case)


@pytest.mark.django_db
def test_if_match_star_saves_as_before(client, case, alice):
    client.force_login(alice)
    assert _patch_summary(client, case, "Any version will do", "*").status_code == 200
    assert Case.objects.get(pk=case.pk).summary == "Any version will do"


@pytest.mark.django_db
@pytest.mark.parametrize("if_match", ['"not-a-version"', "another.record"])
def test_if_match_that_is_no_version_saves_nothing(client, case, alice, if_match):
    client.force_login(alice)
    history = AuditEvent.objects.count()
    refused = _patch_summary(client, case, "Should not be saved", if_match)
    assert refused.status_code == 412 and "etag" in refused.json()["detail"]
    assert Case.objects.get(pk=case.pk).summary == case.summary and AuditEvent.objects.count() == history


@pytest.mark.django_db
def test_if_match_naming_a_record_the_request_does_not_change_keeps_nothing_it_did(client, case, alice):
    client.force_login(alice)
    child = case.participants.get(role="child").person
    history = AuditEvent.objects.count()
    refused = _patch_summary(client, case, "Should be rolled back", f'"{record_version(child)}"')
    assert refused.status_code == 412 and "does not change" in refused.json()["detail"]
    assert Case.objects.get(pk=case.pk).summary == case.summary and AuditEvent.objects.count() == history


@pytest.mark.parametrize(
    ("value", "read"),
    [(None, "(empty)"), ("", "(empty)"), (True, "Yes"), ("b", "Banana"), (decimal.Decimal("12.50"), "12.50")],
)
def test_a_saved_value_is_shown_as_a_person_reads_it(value, read):
    field = forms.ChoiceField(choices=[("a", "Apple"), ("Fruit", [("b", "Banana")])])
    assert shown(field if value == "b" else forms.CharField(), value) == read

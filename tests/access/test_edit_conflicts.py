"""Nothing is silently overwritten, on every edit page and every API change of the matrix.

A page: alice opens the edit form; meanwhile someone else saves a field of it; alice saves her own words in that
field. Her save is refused with the merge (both versions, nothing written), and saving the merge keeps her choice.

The API: a change that sends an If-Match version the record has moved on from is refused with 412 and changes
nothing; one with the current version goes through."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinplan.audit.models import AuditEvent
from kinplan.core.concurrency import record_version, seen_from_version
from kinplan.core.forms import MERGE_SUFFIX, SEEN_FIELD, VersionedForm
from kinplan.providers.models import Provider
from tests.access.routes import OK
from tests.access.test_matrix import ALL_ROUTES, send, sign_in, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

EDITOR = "alice"
PAGES = [r for r in ALL_ROUTES if not r.is_api and r.method == "GET" and r.access.get(EDITOR) == OK]
API_CHANGES = [r for r in ALL_ROUTES if r.is_api and r.method in ("PATCH", "PUT") and r.access.get(EDITOR) == OK]

# The edit pages of the product: each must carry the version it showed.
EDIT_PAGES = {
    "assessments:edit",
    "assessments:risk_factor_edit",
    "assessments:need_edit",
    "cases:edit",
    "cases:object_edit",
    "cases:person_edit",
    "court:order_edit",
    "court:condition_edit",
    "court:hearing_edit",
    "meetings:change",
    "permanent_care:objective_edit",
    "permanent_care:item_edit",
    "planning:edit",
    "planning:goal_edit",
    "planning:step_edit",
    "providers:informal_edit",
    "referrals:change",
}
# API changes whose answer is not one record with a version: what they change is not a record's own fields.
UNVERSIONED_CHANGES = {
    "PUT /api/v1/cases/{case_id}/restriction": "who may see a case: names, not fields",
    "PUT /api/v1/cases/{case_id}/notes/{note_id}/confidentiality": "a note's marking, set by its own move",
    "PUT /api/v1/me/settings": "one's own settings",
}
MEANWHILE = "Changed meanwhile"
MINE = "My own words"


def as_posted(form: forms.BaseForm) -> dict[str, Any]:
    """What the browser sends for `form` as the page shows it."""
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if isinstance(field.field.widget, forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
            continue
        shown = field.field.widget.format_value(value) if not isinstance(value, list | tuple) else value
        if isinstance(shown, list | tuple):
            data[field.html_name] = [str(item) for item in shown]
        else:
            data[field.html_name] = "" if shown is None else str(shown)
    return data


def free_text_field(form: VersionedForm) -> str | None:
    """A field of the form that holds the record's free text (no choices), to write two versions of."""
    record = form.edited_record
    for name, field in form.fields.items():
        if name == SEEN_FIELD or field.disabled or not isinstance(field, forms.CharField):
            continue
        try:
            stored = record._meta.get_field(name)
        except Exception:
            continue
        if isinstance(stored, models.CharField | models.TextField) and not stored.choices:
            return name
    return None


def test_there_are_pages_and_api_changes_to_sweep():
    assert len(PAGES) > 40 and len(API_CHANGES) > 20


@pytest.fixture(scope="module")
def versioned_pages(django_db_setup, django_db_blocker, world):  # noqa: F811
    """The pages whose form edits a record, found by opening every page alice may open."""
    client, found = Client(), {}
    with django_db_blocker.unblock():
        sign_in(client, world, EDITOR)
        for route in PAGES:
            response = send(client, route, world)
            form = (response.context or {}).get("form") if response.status_code == 200 else None
            if isinstance(form, VersionedForm) and form.edited_record is not None:
                found[route.key] = route
    return found


def test_every_edit_page_carries_the_version_it_shows(versioned_pages):
    assert set(versioned_pages) >= EDIT_PAGES, sorted(EDIT_PAGES - set(versioned_pages))


@pytest.mark.parametrize("key", sorted(EDIT_PAGES))
def test_a_save_over_a_change_made_meanwhile_is_refused_and_merged(client, world, versioned_pages, key):  # noqa: F811
    route = versioned_pages[key]
    sign_in(client, world, EDITOR)
    page = send(client, route, world)
    form = page.context["form"]
    record, url = form.edited_record, page.wsgi_request.get_full_path()
    assert f'name="{form.add_prefix(SEEN_FIELD)}"' in page.content.decode()
    name = free_text_field(form)
    assert name is not None, f"{key}: no free-text field to edit twice"
    mine = as_posted(form) | {form.add_prefix(name): MINE}
    # meanwhile, someone else saves the field
    type(record).objects.filter(pk=record.pk).update(**{name: MEANWHILE})
    history = AuditEvent.objects.count()

    refused = client.post(url, mine)

    assert refused.status_code == 400, refused.content[:800]
    assert "saved this after you opened it" in refused.content.decode()
    assert getattr(type(record).objects.get(pk=record.pk), name) == MEANWHILE
    assert AuditEvent.objects.count() == history
    merge = refused.context["form"]
    assert merge.edit_conflict.fields[name].both_changed

    kept = client.post(url, as_posted(merge) | {form.add_prefix(name) + MERGE_SUFFIX: "mine"})

    assert kept.status_code < 400, kept.content[:800]
    assert getattr(type(record).objects.get(pk=record.pk), name) == MINE


# The arrangement's page holds many forms, each posting to its own address: (stage, form, where it posts, a field).
ARRANGEMENT_FORMS = [
    ("draft", "referral", "permanent_care:referral_change", "referral_notes", MINE),
    ("planning", "dates", "permanent_care:dates_set", "review_on", None),
]


@pytest.mark.parametrize(("stage", "key", "posts_to", "name", "mine_text"), ARRANGEMENT_FORMS)
def test_the_arrangement_forms_refuse_a_save_over_a_change_made_meanwhile(
    client,
    world,  # noqa: F811
    stage,
    key,
    posts_to,
    name,
    mine_text,
):
    arrangement = world.extra["pc"][stage]
    sign_in(client, world, EDITOR)
    page = client.get(reverse("permanent_care:arrangement", args=[arrangement.case_id, arrangement.pk]))
    form = page.context["forms"][key]
    assert form.edited_record == arrangement
    later = arrangement.review_on + datetime.timedelta(days=1) if mine_text is None else None
    meanwhile = MEANWHILE if mine_text is not None else later + datetime.timedelta(days=1)
    type(arrangement).objects.filter(pk=arrangement.pk).update(**{name: meanwhile})
    url = reverse(posts_to, args=[arrangement.case_id, arrangement.pk])
    mine = as_posted(form) | {form.add_prefix(name): mine_text or later.isoformat()}

    refused = client.post(url, mine)

    assert refused.status_code == 400 and "saved this after you opened it" in refused.content.decode()
    assert getattr(type(arrangement).objects.get(pk=arrangement.pk), name) == meanwhile
    merge = refused.context["forms"][key]
    kept = client.post(url, as_posted(merge) | {merge.add_prefix(name) + MERGE_SUFFIX: "mine"})
    assert kept.status_code == 302, kept.content[:600]
    assert getattr(type(arrangement).objects.get(pk=arrangement.pk), name) == (mine_text or later)


def test_choosing_the_saved_version_keeps_it(client, world, versioned_pages):  # noqa: F811
    route = versioned_pages["planning:step_edit"]
    sign_in(client, world, EDITOR)
    form = send(client, route, world).context["form"]
    record, url = form.edited_record, route.url(world)
    type(record).objects.filter(pk=record.pk).update(what=MEANWHILE)
    merge = client.post(url, as_posted(form) | {"what": MINE, "client_instructions": "Bring the forms."}).context[
        "form"
    ]

    saved = client.post(url, as_posted(merge) | {"what" + MERGE_SUFFIX: "saved"})

    assert saved.status_code < 400
    record.refresh_from_db()
    assert (record.what, record.client_instructions) == (MEANWHILE, "Bring the forms.")


def test_a_field_only_the_other_person_changed_shows_their_version_and_keeps_it(client, world, versioned_pages):  # noqa: F811
    route = versioned_pages["planning:step_edit"]
    sign_in(client, world, EDITOR)
    form = send(client, route, world).context["form"]
    record, url = form.edited_record, route.url(world)
    type(record).objects.filter(pk=record.pk).update(what=MEANWHILE)
    refused = client.post(url, as_posted(form) | {"client_instructions": "Bring the forms."})
    merge = refused.context["form"]
    assert not merge.edit_conflict.fields["what"].both_changed
    assert merge["what"].value() == MEANWHILE and merge["client_instructions"].value() == "Bring the forms."

    assert client.post(url, as_posted(merge)).status_code < 400
    record.refresh_from_db()
    assert (record.what, record.client_instructions) == (MEANWHILE, "Bring the forms.")


def test_a_forged_version_is_refused(client, world, versioned_pages):  # noqa: F811
    route = versioned_pages["planning:step_edit"]
    sign_in(client, world, EDITOR)
    form = send(client, route, world).context["form"]
    record = form.edited_record
    before = record_version(record)
    response = client.post(route.url(world), as_posted(form) | {SEEN_FIELD: "forged", "what": MINE})
    assert response.status_code == 400 and "This page is out of date" in response.content.decode()
    assert record_version(type(record).objects.get(pk=record.pk)) == before


# --- the API ---------------------------------------------------------------------------------------------


def changed(client, route, world, version: str | None):  # noqa: F811
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version else {}
    body = route.body(world) if route.body else {}
    return client.generic(route.method, route.url(world), json.dumps(body), "application/json", **headers)


def touch(version: str) -> None:
    """Someone else saves the record that `version` names."""
    seen = seen_from_version(version)
    model = apps.get_model(seen.label)
    record = model._base_manager.get(pk=seen.pk)
    record.save()
    assert record_version(record) != version


@pytest.mark.parametrize("route", API_CHANGES, ids=str)
def test_an_api_change_with_a_version_moved_on_from_is_refused(client, world, route):  # noqa: F811
    sign_in(client, world, EDITOR)
    first = changed(client, route, world, None)
    assert first.status_code == 200, first.content[:500]
    version = first.json().get("etag")
    if str(route) in UNVERSIONED_CHANGES:
        assert version is None
        return
    assert version and first["ETag"] == f'"{version}"'
    current = changed(client, route, world, version)
    assert current.status_code == 200, current.content[:500]
    now = current.json()["etag"]
    touch(now)
    seen = seen_from_version(now)
    stored = record_version(apps.get_model(seen.label)._base_manager.get(pk=seen.pk))
    history = AuditEvent.objects.count()

    refused = changed(client, route, world, now)

    assert refused.status_code == 412, refused.content[:500]
    assert refused.json()["etag"] == stored
    assert record_version(apps.get_model(seen.label)._base_manager.get(pk=seen.pk)) == stored
    assert AuditEvent.objects.count() == history


# --- the merge, for any mix of changes -------------------------------------------------------------------

MERGED_FIELDS = ("what", "details", "client_instructions")
change = st.sampled_from(["none", "theirs", "mine", "both", "both the same"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.tuples(change, change, change))
def test_after_the_merge_each_field_holds_the_editors_words_or_else_the_other_persons(
    client,
    world,  # noqa: F811
    versioned_pages,
    changes,
):
    """Saving the merge with its first choices loses nothing: a field the editor changed holds their words, any
    other field the words saved meanwhile."""
    route = versioned_pages["planning:step_edit"]
    step = type(world.step).objects.get(pk=world.step.pk)
    type(step).objects.filter(pk=step.pk).update(**{name: f"{name} as opened" for name in MERGED_FIELDS})
    sign_in(client, world, EDITOR)
    form = send(client, route, world).context["form"]
    theirs = {
        n: f"{n} saved meanwhile" for n, c in zip(MERGED_FIELDS, changes, strict=True) if "both" in c or c == "theirs"
    }
    theirs |= {n: f"{n} the same" for n, c in zip(MERGED_FIELDS, changes, strict=True) if c == "both the same"}
    mine = {n: f"{n} in my words" for n, c in zip(MERGED_FIELDS, changes, strict=True) if c in ("mine", "both")}
    mine |= {n: f"{n} the same" for n, c in zip(MERGED_FIELDS, changes, strict=True) if c == "both the same"}
    type(step).objects.filter(pk=step.pk).update(**theirs)

    response = client.post(route.url(world), as_posted(form) | mine)
    if response.status_code == 400:  # the merge
        response = client.post(route.url(world), as_posted(response.context["form"]))

    assert response.status_code < 400, response.content[:600]
    saved = type(step).objects.get(pk=step.pk)
    for name in MERGED_FIELDS:
        assert getattr(saved, name) == mine.get(name, theirs.get(name, f"{name} as opened"))


def test_a_referral_sent_to_another_provider_meanwhile_says_so(client, world, versioned_pages):  # noqa: F811
    route = versioned_pages["referrals:change"]
    sign_in(client, world, EDITOR)
    form = send(client, route, world).context["form"]
    referral = form.edited_record
    other = Provider.objects.exclude(pk=referral.provider_id).order_by("pk").first()
    type(referral).objects.filter(pk=referral.pk).update(provider=other, provider_service=None)

    refused = client.post(route.url(world), as_posted(form))

    assert refused.status_code == 400
    assert f"Also changed meanwhile: Provider: {other.name}" in refused.content.decode()
    assert type(referral).objects.get(pk=referral.pk).provider_id == other.pk

"""Erasing a case that holds one of everything Kinplan records (the access matrix's world), and a permanent care
case: afterwards no table holds a word of what was written about them or who they were, the references and the
stubs remain, and the history's hash chain still verifies."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases import services as cases
from kinplan.cases.models import Case, Person
from kinplan.privacy import services
from kinplan.privacy.erasure import people_only_in
from kinplan.privacy.walk import case_owned_models, free_text_fields
from tests.access.world import build_world

pytestmark = pytest.mark.django_db
SHORTEST_CHECKED = 8  # shorter values ("Mum", "Nan") are words, not the family's own


def _texts(rows) -> set[str]:
    """Every free-text value of `rows` (JSON snapshots as their JSON)."""
    values = set()
    for row in rows:
        for field in free_text_fields(type(row)):
            value = getattr(row, field.attname)
            if isinstance(value, dict | list):
                values |= {str(item) for item in _leaves(value)}
            elif value:
                values.add(str(value))
    return {value for value in values if len(value) >= SHORTEST_CHECKED}


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        yield value


def _records_of(erased: list[Case], *, inside: bool) -> list:
    """The records (and people) that belong to the erased cases, or every other one."""
    rows = []
    pks = [case.pk for case in erased]
    for model, path in case_owned_models():
        queryset = model._base_manager.filter(**{f"{path}__in": pks})
        rows += list(queryset if inside else model._base_manager.exclude(pk__in=queryset.values("pk")))
    return rows


def _plant(world, alice: User) -> dict[str, str]:
    """Details of the family that only this case holds, written through the services so history holds them too."""
    planted = {
        "summary": "Tāmati's mum asked for help after the flood in Taitā.",
        "mother": "Hinemoa Te Rangi-Parata",
        "address": "7 Kōwhai Grove, Taitā, Lower Hutt",
        "phone": "021 987 6543",
        "email": "hinemoa.terangi@example.org",
    }
    cases.case_update(actor=alice, case=world.case, data={"summary": planted["summary"]})
    given, family = planted["mother"].split(" ", 1)
    cases.person_update(
        actor=alice,
        person=world.mother.person,
        data={
            "given_name": given,
            "family_name": family,
            "address": planted["address"],
            "phone": planted["phone"],
            "email": planted["email"],
        },
    )
    return planted


def _rename(person: Person, name: str, alice: User) -> None:
    given, family = name.split(" ", 1)
    cases.person_update(actor=alice, person=person, data={"given_name": given, "family_name": family})


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out, format="json")
    text = out.getvalue()
    return text + json.dumps(text)  # the JSON escapes too, as SQLite stores JSON columns


def _erase(case: Case, requester: User, approvers: list[User]):
    request = services.erasure_request_create(actor=requester, case=case, reason="Closed; retention period over.")
    for approver in approvers:
        request = services.erasure_decide(actor=approver, request=request, decision="approve")
    return request


def test_erasing_cases_leaves_no_personal_data_anywhere_and_the_chain_verifies():
    # given a world with one of everything, and a case of permanent care, both closed
    world = build_world()
    alice, site_manager = world.users["alice"], world.users["site_manager"]
    approvers = [
        world.users["national_manager"],
        UserFactory(username="wiremu", role=User.Role.SITE_MANAGER, team=None, site=site_manager.site),
    ]
    planted = _plant(world, alice)
    permanent_care = world.extra["pc"]["in_place"].case
    # the permanent care families share the factory's names: give this caregiver her own
    planted["caregiver"] = "Ataahua Whakarongo-Tūmanako"
    _rename(world.extra["pc"]["in_place"].caregiver, planted["caregiver"], alice)
    closing = {"status": "closed", "closed_on": timezone.localdate()}
    erased = [cases.case_update(actor=alice, case=case, data=closing) for case in (world.case, permanent_care)]
    people = [person for case in erased for person in people_only_in(case)]
    others = Person.objects.exclude(pk__in=[p.pk for p in people])
    kept_elsewhere = _texts(_records_of(erased, inside=False)) | _texts(others) | {p.full_name for p in others}
    kept_elsewhere |= _texts(User.objects.all())  # staff are not erased: a child may share a worker's first name
    references = [case.reference for case in erased]
    names = {p.full_name for p in people} | {f"{p.given_name} {p.family_name}" for p in people}
    written = (_texts(_records_of(erased, inside=True)) | _texts(people) | names) - kept_elsewhere - set(references)
    assert set(planted.values()) <= written  # what we planted is checked below
    assert len(written) > 30  # one of everything, really

    # when
    requests = [_erase(case, site_manager, approvers) for case in erased]

    # then no table holds what was written about them, nor who they were
    dump = _dump()
    left = sorted(value for value in written if value in dump)
    assert left == [], f"still held after erasure: {left[:20]}"
    # the references and the stubs remain
    for case, request, reference in zip(erased, requests, references, strict=True):
        case.refresh_from_db()
        assert (case.reference, request.status) == (reference, "carried_out")
        stub = AuditEvent.objects.get(event="privacy.erased", case=case)
        assert stub.changes["request"] == [None, request.pk]
    assert all(person.full_name == "Erased person" for person in Person.objects.filter(pk__in=[p.pk for p in people]))
    # the people of the other cases are as they were
    assert world.active_case.participants.exclude(person__family_name="person").exists()
    # and the chain still verifies
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "BROKEN" not in out.getvalue()

"""The JSON API at /api/v1/: who may do what, clear 422s with nothing half-saved, history, paging, view logs."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.cases.tests.factories import (
    CaseFactory,
    HouseholdFactory,
    ParticipantFactory,
    PersonFactory,
    RelationshipFactory,
    TeamMemberFactory,
    child_of,
)

API = "/api/v1"
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
NEW_CHILD = {"given_name": "Tāmati", "family_name": "Ngata", "date_of_birth": "2018-03-01", "iwi": ["Ngāti Porou"]}


# --- helpers -------------------------------------------------------------------------------------


def call(client: Client, method: str, path: str, payload: Any = None, **extra: Any):
    """Send `payload` as JSON (when given) to the API with `method`."""
    kwargs: dict[str, Any] = dict(extra)
    if payload is not None:
        kwargs.update(data=payload, content_type="application/json")
    return getattr(client, method.lower())(f"{API}{path}", **kwargs)


def counts() -> dict[str, int]:
    """Row counts of everything an API write could touch."""
    return {
        model.__name__: model.objects.count()
        for model in (Case, Person, Participant, Household, Relationship, TeamMember, AuditEvent)
    }


def state() -> dict[str, Any]:
    """Every row's count and last change, so a half-made write (even one not audited) shows up."""
    snapshot: dict[str, Any] = counts()
    for model in (Case, Person, Participant, Household, Relationship, TeamMember):
        snapshot[f"{model.__name__}.rows"] = sorted(model.objects.values_list("pk", "updated_at", "archived_at"))
    return snapshot


def field_errors(response) -> dict[str, list[str]]:
    """The {field: [messages]} of one of our 422s."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert isinstance(body["detail"], str)
    return body["errors"]


def schema_error_fields(response) -> set[str]:
    """The fields named by django-ninja's own 422 for input that does not fit the schema."""
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return {str(part) for error in detail for part in error["loc"]}


@pytest.fixture
def world(case):
    """Alice's case with a child, a mother, an aunt, a household, a relationship and a team member."""
    child = child_of(case)
    mother = case.participants.get(role=Participant.Role.PARENT)
    aunt = ParticipantFactory(
        case=case, role=Participant.Role.WHANAU, person=PersonFactory(given_name="Hine", family_name="Ngata")
    )
    household = HouseholdFactory(case=case, name="Mum's flat")
    relationship = RelationshipFactory(case=case, person=aunt.person, child=child, kind=Relationship.Kind.AUNT_UNCLE)
    member = TeamMemberFactory(case=case, person=mother.person, role=TeamMember.Role.PARENT)
    return SimpleNamespace(
        case=case, child=child, mother=mother, aunt=aunt, household=household, relationship=relationship, member=member
    )


def sign_in(request: pytest.FixtureRequest, client: Client, case: Case, who: str) -> User | None:
    """Log `who` in; 'allocated_…' support users are first allocated to `case`."""
    if who == "anonymous":
        return None
    user: User = request.getfixturevalue(who.removeprefix("allocated_"))
    if who == "allocated_support_caseworker":
        Case.objects.filter(pk=case.pk).update(support_worker=user, support_service=user.organisation)
    elif who == "allocated_support_manager":
        Case.objects.filter(pk=case.pk).update(support_service=user.organisation)
    client.force_login(user)
    return user


# --- every route, every role ---------------------------------------------------------------------

OK = "ok"  # the route's own success status

# Reads of alice's case (and of a person in it), by role.
READ_EXPECTED = {
    "alice": 200,  # her own case
    "supervisor": 200,  # her team's supervisor
    "site_manager": 200,  # her site's manager
    "national_manager": 200,  # reads everything
    "allocated_support_caseworker": 200,  # the support worker allocated to the case
    "allocated_support_manager": 200,  # the manager of the support service on the case
    "bob": 404,  # same team, not his caseload
    "other_team_supervisor": 404,  # same site, another team
    "charlie": 404,  # another site
    "other_site_manager": 404,  # manager of another site
    "support_caseworker": 404,  # not allocated to this case
    "support_manager": 404,  # their service is not on this case
    "administrator": 404,  # runs the system, sees no case
    "anonymous": 401,
}

# Writes to alice's case, by role: those who may read but not change get 403.
WRITE_EXPECTED = {
    "alice": OK,
    "supervisor": OK,
    "site_manager": OK,
    "national_manager": 403,
    "allocated_support_caseworker": 403,
    "allocated_support_manager": 403,
    "bob": 404,
    "other_team_supervisor": 404,
    "charlie": 404,
    "other_site_manager": 404,
    "support_caseworker": 404,
    "support_manager": 404,
    "administrator": 404,
    "anonymous": 401,
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with {case}, {participant}, {person}, {relationship}, {member}, {household}
    payload: Any = None  # a dict, or a callable taking the world
    ok: int = 200
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, w: SimpleNamespace) -> str:
        return self.path.format(
            case=w.case.pk,
            participant=w.mother.pk,
            person=w.mother.person_id,
            relationship=w.relationship.pk,
            member=w.member.pk,
            household=w.household.pk,
        )

    def body(self, w: SimpleNamespace) -> Any:
        return self.payload(w) if callable(self.payload) else self.payload


READS = [
    Route("GET", "/cases/{case}"),
    Route("GET", "/cases/{case}/history"),
    Route("GET", "/cases/{case}/participants"),
    Route("GET", "/cases/{case}/households"),
    Route("GET", "/cases/{case}/relationships"),
    Route("GET", "/cases/{case}/team"),
    Route("GET", "/people/{person}"),
]

WRITES = [
    Route("PATCH", "/cases/{case}", {"summary": "Tāmati now lives with his nan."}),
    Route("POST", "/cases/{case}/archive"),
    Route(
        "POST",
        "/cases/{case}/participants",
        {"role": "whanau", "person": {"given_name": "Aroha", "family_name": "Ngata"}},
        ok=201,
    ),
    Route("PATCH", "/cases/{case}/participants/{participant}", {"notes": "Works nights."}),
    Route("POST", "/cases/{case}/participants/{participant}/archive"),
    Route("PATCH", "/people/{person}", {"phone": "021 555 0101"}),
    Route("POST", "/cases/{case}/households", {"name": "Nan's house", "address": "1 Marae Road"}, ok=201),
    Route("PATCH", "/cases/{case}/households/{household}", {"address": "12 Rata Street"}),
    Route("POST", "/cases/{case}/households/{household}/archive"),
    Route(
        "POST",
        "/cases/{case}/relationships",
        lambda w: {"person_id": w.mother.person_id, "child_id": w.child.pk, "kind": "mother"},
        ok=201,
    ),
    Route("PATCH", "/cases/{case}/relationships/{relationship}", {"notes": "Visits every Sunday."}),
    Route("POST", "/cases/{case}/relationships/{relationship}/archive"),
    Route("POST", "/cases/{case}/team", lambda w: {"role": "social_worker", "user_id": w.case.worker_id}, ok=201),
    Route("PATCH", "/cases/{case}/team/{member}", {"is_required": False}),
    Route("POST", "/cases/{case}/team/{member}/archive"),
]


@pytest.mark.parametrize("route", READS, ids=str)
@pytest.mark.parametrize(("who", "expected"), READ_EXPECTED.items())
def test_reads_of_a_case_answer_each_role_as_the_rules_say(request, client, world, who, expected, route):
    # given
    sign_in(request, client, world.case, who)
    # when
    response = call(client, route.method, route.url(world))
    # then
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("route", WRITES, ids=str)
@pytest.mark.parametrize(("who", "expected"), WRITE_EXPECTED.items())
def test_writes_to_a_case_answer_each_role_as_the_rules_say(request, client, world, who, expected, route):
    # given
    sign_in(request, client, world.case, who)
    before = state()
    # when
    response = call(client, route.method, route.url(world), route.body(world))
    # then
    if expected == OK:
        assert response.status_code == route.ok, response.content
        assert AuditEvent.objects.count() > before["AuditEvent"]
    else:
        assert response.status_code == expected, response.content
        assert state() == before


LIST_SHOWS_THE_CASE = {
    "alice": True,
    "supervisor": True,
    "site_manager": True,
    "national_manager": True,
    "allocated_support_caseworker": True,
    "allocated_support_manager": True,
    "bob": False,
    "other_team_supervisor": False,
    "charlie": False,
    "other_site_manager": False,
    "support_caseworker": False,
    "support_manager": False,
    "administrator": False,
}


@pytest.mark.parametrize(("who", "shown"), LIST_SHOWS_THE_CASE.items())
def test_the_case_list_shows_alices_case_only_to_those_who_may_open_it(request, client, case, who, shown):
    # given
    sign_in(request, client, case, who)
    # when
    response = call(client, "GET", "/cases")
    # then
    assert response.status_code == 200
    assert (case.pk in [item["id"] for item in response.json()["items"]]) is shown


CREATE_EXPECTED = {
    "alice": 201,
    "bob": 201,
    "charlie": 201,
    "supervisor": 201,
    "other_team_supervisor": 201,
    "site_manager": 201,
    "other_site_manager": 201,
    "support_caseworker": 403,
    "support_manager": 403,
    "national_manager": 403,
    "administrator": 403,
    "anonymous": 401,
}


@pytest.mark.parametrize(("who", "expected"), CREATE_EXPECTED.items())
def test_only_social_workers_supervisors_and_site_managers_may_open_a_case(request, client, case, who, expected):
    # given
    user = sign_in(request, client, case, who)
    before = counts()
    # when
    response = call(client, "POST", "/cases", {"name": "Tāmati Ngata", "child": NEW_CHILD})
    # then
    assert response.status_code == expected, response.content
    if expected == 201:
        created = Case.objects.get(pk=response.json()["id"])
        assert created.site_id == user.site_id
    else:
        assert counts() == before


@pytest.mark.parametrize("who", [*READ_EXPECTED.keys()])
@pytest.mark.parametrize("path", ["/people/search?q=ngata", "/iwi", "/cases"])
def test_searching_listing_iwi_and_cases_needs_only_a_sign_in(request, client, case, who, path):
    # given
    sign_in(request, client, case, who)
    # when
    response = call(client, "GET", path)
    # then
    assert response.status_code == (401 if who == "anonymous" else 200)


def test_anonymous_requests_get_a_401_with_a_clear_message_and_change_nothing(client, world):
    before = state()
    response = call(client, "PATCH", f"/cases/{world.case.pk}", {"summary": "x"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert state() == before


def test_a_case_that_does_not_exist_is_the_same_404_as_one_you_may_not_see(client, bob, world):
    # given
    client.force_login(bob)
    # when
    hidden = call(client, "GET", f"/cases/{world.case.pk}")
    missing = call(client, "GET", f"/cases/{world.case.pk + 1000}")
    # then
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_objects_of_another_case_cannot_be_reached_through_a_case_you_may_open(client, alice, world, charlie_case):
    """A participant id from charlie's case under alice's case id is a 404, not a way in."""
    # given
    client.force_login(alice)
    charlies_child = charlie_case.participants.get(role=Participant.Role.CHILD)
    before = state()
    # when
    response = call(client, "PATCH", f"/cases/{world.case.pk}/participants/{charlies_child.pk}", {"notes": "x"})
    # then
    assert response.status_code == 404
    assert state() == before


# --- opening a case ------------------------------------------------------------------------------


class TestOpeningACase:
    def test_a_worker_opens_a_case_around_a_new_child(self, client, alice):
        # given
        client.force_login(alice)
        # when
        response = call(client, "POST", "/cases", {"name": "Tāmati Ngata", "child": NEW_CHILD, "summary": "Referral"})
        # then
        assert response.status_code == 201, response.content
        body = response.json()
        case = Case.objects.get(pk=body["id"])
        assert body["reference"] == f"KP-{case.pk:06d}"
        assert (body["site_id"], body["team_id"], body["worker_id"]) == (alice.site_id, alice.team_id, alice.pk)
        assert [c["full_name"] for c in body["children"]] == ["Tāmati Ngata"]
        child = child_of(case)
        assert [i.name for i in child.iwi.all()] == ["Ngāti Porou"]
        assert child.date_of_birth == datetime.date(2018, 3, 1)

    def test_iwi_names_match_ignoring_case_and_macrons(self, client, alice):
        client.force_login(alice)
        response = call(client, "POST", "/cases", {"name": "x", "child": {**NEW_CHILD, "iwi": ["ngati porou"]}})
        assert response.status_code == 201, response.content
        child = child_of(Case.objects.get(pk=response.json()["id"]))
        assert [i.name for i in child.iwi.all()] == ["Ngāti Porou"]

    def test_a_worker_opens_a_case_around_a_child_already_in_their_caseload(self, client, alice, case):
        # given
        client.force_login(alice)
        child = child_of(case)
        before = counts()
        # when
        response = call(client, "POST", "/cases", {"name": "Second case", "child_id": child.pk})
        # then
        assert response.status_code == 201, response.content
        assert [c["id"] for c in response.json()["children"]] == [child.pk]
        assert counts()["Person"] == before["Person"]
        assert counts()["Case"] == before["Case"] + 1

    def test_a_child_the_worker_cannot_see_is_a_404_and_nothing_is_saved(self, client, alice, charlie_case):
        # given
        client.force_login(alice)
        before = counts()
        # when
        response = call(client, "POST", "/cases", {"name": "x", "child_id": child_of(charlie_case).pk})
        # then
        assert response.status_code == 404
        assert counts() == before

    def test_a_child_id_that_does_not_exist_is_the_same_404(self, client, alice, charlie_case):
        client.force_login(alice)
        hidden = call(client, "POST", "/cases", {"name": "x", "child_id": child_of(charlie_case).pk})
        missing = call(client, "POST", "/cases", {"name": "x", "child_id": 987654})
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()

    def test_a_case_needs_a_child(self, client, alice):
        client.force_login(alice)
        before = counts()
        response = call(client, "POST", "/cases", {"name": "No child"})
        assert "__all__" in field_errors(response)
        assert counts() == before

    def test_a_case_centres_on_a_known_child_or_a_new_one_not_both(self, client, alice, case):
        client.force_login(alice)
        before = counts()
        response = call(client, "POST", "/cases", {"name": "x", "child_id": child_of(case).pk, "child": NEW_CHILD})
        assert field_errors(response)["__all__"] == [
            "Choose an existing child or enter a new child's details, not both."
        ]
        assert counts() == before

    def test_a_supervisor_may_allocate_a_worker_at_their_site(self, client, supervisor, bob):
        client.force_login(supervisor)
        response = call(client, "POST", "/cases", {"name": "x", "child": NEW_CHILD, "worker_id": bob.pk})
        assert response.status_code == 201, response.content
        assert response.json()["worker_id"] == bob.pk


# --- bad input: 422, field by field, nothing saved -----------------------------------------------


class TestBadInputIsRefusedWholeWithoutA500:
    @pytest.mark.parametrize(
        ("child", "field"),
        [
            ({**NEW_CHILD, "date_of_birth": TOMORROW.isoformat()}, "date_of_birth"),
            ({**NEW_CHILD, "date_of_birth": "1850-01-01"}, "date_of_birth"),
            ({**NEW_CHILD, "iwi": ["Ngāti Porou", "Not An Iwi"]}, "iwi"),
            ({**NEW_CHILD, "email": "not-an-email"}, "email"),
        ],
    )
    def test_a_new_child_with_bad_details_opens_no_case(self, client, alice, child, field):
        # given
        client.force_login(alice)
        before = counts()
        # when
        response = call(client, "POST", "/cases", {"name": "Tāmati Ngata", "child": child})
        # then
        assert field in field_errors(response)
        assert counts() == before

    @pytest.mark.parametrize(
        ("child", "field"),
        [
            ({**NEW_CHILD, "given_name": ""}, "given_name"),
            ({**NEW_CHILD, "given_name": "x" * 101}, "given_name"),
            ({**NEW_CHILD, "family_name": None}, "family_name"),
            ({**NEW_CHILD, "gender": "robot"}, "gender"),
            ({**NEW_CHILD, "date_of_birth": "yesterday"}, "date_of_birth"),
            ({**NEW_CHILD, "iwi": "Ngāti Porou"}, "iwi"),
        ],
    )
    def test_a_new_child_that_does_not_fit_the_schema_opens_no_case(self, client, alice, child, field):
        client.force_login(alice)
        before = counts()
        response = call(client, "POST", "/cases", {"name": "Tāmati Ngata", "child": child})
        assert field in schema_error_fields(response)
        assert counts() == before

    def test_a_worker_from_another_site_cannot_be_allocated(self, client, supervisor, charlie):
        client.force_login(supervisor)
        before = counts()
        response = call(client, "POST", "/cases", {"name": "x", "child": NEW_CHILD, "worker_id": charlie.pk})
        assert "worker_id" in field_errors(response)
        assert counts() == before

    def test_a_team_from_another_site_cannot_be_chosen(self, client, alice, charlie):
        client.force_login(alice)
        before = counts()
        response = call(client, "POST", "/cases", {"name": "x", "child": NEW_CHILD, "team_id": charlie.team_id})
        assert "team_id" in field_errors(response)
        assert counts() == before

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"name": "   ", "child": NEW_CHILD}, "name"),
            ({"name": "x", "child": {**NEW_CHILD, "given_name": "  "}}, "given_name"),
            ({"name": "x", "child": {**NEW_CHILD, "family_name": "\t "}}, "family_name"),
        ],
    )
    def test_a_name_of_only_spaces_is_a_blank_name(self, client, alice, body, field):
        client.force_login(alice)
        before = counts()
        response = call(client, "POST", "/cases", body)
        assert field in field_errors(response)
        assert counts() == before

    def test_names_are_saved_without_surrounding_spaces(self, client, alice):
        client.force_login(alice)
        response = call(
            client, "POST", "/cases", {"name": " Ngata whānau ", "child": {**NEW_CHILD, "given_name": " Tāmati "}}
        )
        assert response.status_code == 201, response.content
        case = Case.objects.get(pk=response.json()["id"])
        assert (case.name, child_of(case).given_name) == ("Ngata whānau", "Tāmati")

    def test_an_unknown_worker_or_team_id_is_a_field_error(self, client, alice):
        client.force_login(alice)
        before = counts()
        response = call(client, "POST", "/cases", {"name": "x", "child": NEW_CHILD, "worker_id": 987654})
        assert "worker_id" in field_errors(response)
        response = call(client, "POST", "/cases", {"name": "x", "child": NEW_CHILD, "team_id": 987654})
        assert "team_id" in field_errors(response)
        assert counts() == before

    def test_an_inactive_or_support_user_cannot_be_the_allocated_worker(self, client, supervisor, support_caseworker):
        client.force_login(supervisor)
        gone = UserFactory(team=supervisor.team, is_active=False)
        before = counts()
        for worker in (gone, support_caseworker):
            response = call(client, "POST", "/cases", {"name": "x", "child": NEW_CHILD, "worker_id": worker.pk})
            assert "worker_id" in field_errors(response)
        assert counts() == before

    def test_a_team_from_another_site_is_refused_on_change_and_the_case_is_untouched(
        self, client, alice, case, charlie
    ):
        # given
        client.force_login(alice)
        before = state()
        # when
        response = call(client, "PATCH", f"/cases/{case.pk}", {"team_id": charlie.team_id, "summary": "x"})
        # then
        assert "team_id" in field_errors(response)
        assert state() == before
        case.refresh_from_db()
        assert (case.team_id, case.summary) == (alice.team_id, "")

    def test_a_worker_from_another_site_is_refused_on_change(self, client, alice, case, charlie):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/cases/{case.pk}", {"worker_id": charlie.pk})
        assert "worker_id" in field_errors(response)
        assert state() == before

    def test_closing_a_case_needs_the_date_it_closed(self, client, alice, case):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/cases/{case.pk}", {"status": "closed"})
        assert field_errors(response)["__all__"] == ["A closed case needs the date it closed; an open case has none."]
        assert state() == before

    def test_a_case_cannot_close_before_it_opened(self, client, alice, case):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/cases/{case.pk}", {"status": "closed", "closed_on": "2025-12-31"})
        assert field_errors(response)["__all__"] == ["A case cannot close before it opened."]
        assert state() == before

    def test_a_case_closes_with_a_date_and_reopening_clears_it(self, client, alice, case):
        client.force_login(alice)
        closed = call(client, "PATCH", f"/cases/{case.pk}", {"status": "closed", "closed_on": "2026-02-01"})
        assert closed.status_code == 200, closed.content
        assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", "2026-02-01")
        reopened = call(client, "PATCH", f"/cases/{case.pk}", {"status": "open"})
        assert reopened.status_code == 200, reopened.content
        assert (reopened.json()["status"], reopened.json()["closed_on"]) == ("open", None)

    @pytest.mark.parametrize(
        "patch",
        [
            {"name": None},
            {"status": None},
            {"name": ""},
            {"status": "paused"},
            {"next_review_on": "someday"},
            {"name": ["a", "list"]},
        ],
    )
    def test_nulls_and_wrong_types_on_a_case_are_422s(self, client, alice, case, patch):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/cases/{case.pk}", patch)
        assert response.status_code == 422, response.content
        assert state() == before

    def test_a_relationship_must_be_to_one_of_the_cases_children(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/relationships",
            {"person_id": world.aunt.person_id, "child_id": world.mother.person_id, "kind": "sibling"},
        )
        assert "child_id" in field_errors(response)
        assert state() == before

    def test_a_person_cannot_be_related_to_themselves(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/relationships",
            {"person_id": world.child.pk, "child_id": world.child.pk, "kind": "sibling"},
        )
        assert field_errors(response)["__all__"] == ["A person cannot be related to themselves."]
        assert state() == before

    def test_a_relationship_is_recorded_once(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/relationships",
            {"person_id": world.aunt.person_id, "child_id": world.child.pk, "kind": "other_whanau"},
        )
        assert field_errors(response)
        assert state() == before

    def test_a_relationship_needs_someone_in_the_case(self, client, alice, world, charlie_case):
        client.force_login(alice)
        before = state()
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/relationships",
            {"person_id": child_of(charlie_case).pk, "child_id": world.child.pk, "kind": "sibling"},
        )
        assert response.status_code in (404, 422)
        assert state() == before

    @pytest.mark.parametrize(
        "payload",
        [
            {"kind": "stranger"},
            {"person_id": "abc"},
            {"child_id": None},
        ],
    )
    def test_a_relationship_that_does_not_fit_the_schema_is_a_422(self, client, alice, world, payload):
        client.force_login(alice)
        before = state()
        body = {"person_id": world.mother.person_id, "child_id": world.child.pk, "kind": "mother", **payload}
        response = call(client, "POST", f"/cases/{world.case.pk}/relationships", body)
        assert schema_error_fields(response) & {"kind", "person_id", "child_id"}
        assert state() == before

    def test_a_team_member_is_a_person_or_a_user_not_both(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/team",
            {"role": "whanau", "person_id": world.aunt.person_id, "user_id": alice.pk},
        )
        assert field_errors(response)["__all__"] == ["Choose either a person in the case or a Kinplan user, not both."]
        assert state() == before

    def test_a_team_member_is_at_least_a_person_or_a_user(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(client, "POST", f"/cases/{world.case.pk}/team", {"role": "whanau"})
        assert "__all__" in field_errors(response)
        assert state() == before

    def test_a_team_member_person_must_be_in_the_case(self, client, alice, world, charlie_case):
        client.force_login(alice)
        before = state()
        response = call(
            client, "POST", f"/cases/{world.case.pk}/team", {"role": "whanau", "person_id": child_of(charlie_case).pk}
        )
        assert response.status_code in (404, 422)
        assert state() == before

    def test_an_inactive_user_cannot_join_the_team(self, client, alice, world):
        client.force_login(alice)
        gone = UserFactory(team=alice.team, is_active=False)
        before = state()
        response = call(client, "POST", f"/cases/{world.case.pk}/team", {"role": "other", "user_id": gone.pk})
        assert "user_id" in field_errors(response)
        assert state() == before

    def test_someone_already_on_the_team_is_not_added_twice(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(
            client, "POST", f"/cases/{world.case.pk}/team", {"role": "parent", "person_id": world.mother.person_id}
        )
        assert field_errors(response)
        assert state() == before

    @pytest.mark.parametrize("payload", [{"is_required": "perhaps"}, {"role": "chief"}, {"notes": 12}])
    def test_a_team_member_change_that_does_not_fit_the_schema_is_a_422(self, client, alice, world, payload):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/cases/{world.case.pk}/team/{world.member.pk}", payload)
        assert response.status_code == 422, response.content
        assert state() == before

    def test_a_new_participant_is_either_known_or_new_not_both(self, client, alice, world):
        client.force_login(alice)
        before = state()
        both = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/participants",
            {"role": "whanau", "person_id": world.aunt.person_id, "person": {"given_name": "A", "family_name": "B"}},
        )
        neither = call(client, "POST", f"/cases/{world.case.pk}/participants", {"role": "whanau"})
        assert "person" in field_errors(both)
        assert "person" in field_errors(neither)
        assert state() == before

    def test_a_new_participant_with_a_future_birth_date_adds_no_one(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/participants",
            {
                "role": "whanau",
                "person": {"given_name": "A", "family_name": "B", "date_of_birth": TOMORROW.isoformat()},
            },
        )
        assert "date_of_birth" in field_errors(response)
        assert state() == before

    def test_a_participant_cannot_join_a_household_of_another_case(self, client, alice, world):
        client.force_login(alice)
        elsewhere = HouseholdFactory(case=CaseFactory(worker=alice))
        before = state()
        response = call(
            client, "PATCH", f"/cases/{world.case.pk}/participants/{world.mother.pk}", {"household_id": elsewhere.pk}
        )
        assert "household_id" in field_errors(response)
        assert state() == before

    def test_the_only_child_cannot_become_someone_else_or_leave(self, client, alice, world):
        client.force_login(alice)
        child = world.case.participants.get(role=Participant.Role.CHILD)
        before = state()
        changed = call(client, "PATCH", f"/cases/{world.case.pk}/participants/{child.pk}", {"role": "parent"})
        archived = call(client, "POST", f"/cases/{world.case.pk}/participants/{child.pk}/archive")
        assert "__all__" in field_errors(changed)
        assert "__all__" in field_errors(archived)
        assert state() == before

    def test_a_person_already_in_the_case_is_not_added_twice(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/participants",
            {"role": "whanau", "person_id": world.aunt.person_id},
        )
        assert field_errors(response)
        assert state() == before

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            ({"date_of_birth": TOMORROW.isoformat()}, "date_of_birth"),
            ({"gender": None}, "gender"),
            ({"email": "nope"}, "email"),
            ({"iwi": ["Atlantis"]}, "iwi"),
        ],
    )
    def test_a_bad_change_to_a_person_is_a_field_error_and_nothing_changes(self, client, alice, world, patch, field):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/people/{world.mother.person_id}", patch)
        assert field in field_errors(response)
        assert state() == before

    @pytest.mark.parametrize("patch", [{"given_name": "   "}, {"family_name": " "}])
    def test_a_person_cannot_be_renamed_to_spaces(self, client, alice, world, patch):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/people/{world.mother.person_id}", patch)
        assert set(patch) <= set(field_errors(response))
        assert state() == before

    @pytest.mark.parametrize("patch", [{"given_name": ""}, {"gender": "robot"}, {"date_of_birth": "31/12/2020"}])
    def test_a_person_change_that_does_not_fit_the_schema_is_a_422(self, client, alice, world, patch):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/people/{world.mother.person_id}", patch)
        assert set(patch) & schema_error_fields(response)
        assert state() == before

    @pytest.mark.parametrize("patch", [{"name": ""}, {"name": None}, {"is_childs_home": "often"}])
    def test_a_household_change_that_leaves_no_name_or_does_not_fit_is_a_422(self, client, alice, world, patch):
        client.force_login(alice)
        before = state()
        response = call(client, "PATCH", f"/cases/{world.case.pk}/households/{world.household.pk}", patch)
        assert response.status_code == 422, response.content
        assert state() == before

    def test_a_household_needs_a_name(self, client, alice, world):
        client.force_login(alice)
        before = state()
        response = call(client, "POST", f"/cases/{world.case.pk}/households", {"name": ""})
        assert "name" in schema_error_fields(response)
        assert state() == before

    @pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"a string"', "null"])
    def test_a_body_that_is_not_a_json_object_is_refused_without_a_500(self, client, alice, case, body):
        client.force_login(alice)
        before = state()
        response = client.patch(f"{API}/cases/{case.pk}", data=body, content_type="application/json")
        assert response.status_code == 400, response.content
        assert state() == before

    @pytest.mark.parametrize("path", ["/cases/abc", "/cases/99999999999999999999", "/people/abc"])
    def test_ids_that_are_not_numbers_are_not_500s(self, client, alice, path):
        client.force_login(alice)
        response = call(client, "GET", path)
        assert response.status_code in (404, 422)

    @pytest.mark.parametrize("query", ["?limit=0", "?limit=100000", "?after=x", "?scope=nonsense&status=bogus"])
    def test_odd_list_parameters_are_not_500s(self, client, alice, case, query):
        client.force_login(alice)
        response = call(client, "GET", f"/cases{query}")
        assert response.status_code in (200, 422)


# --- writes that work ----------------------------------------------------------------------------


class TestChangesThroughTheApi:
    def test_a_known_person_can_be_added_to_another_case_in_the_workers_caseload(self, client, alice, world):
        # given
        client.force_login(alice)
        second = CaseFactory(worker=alice)
        # when
        response = call(
            client, "POST", f"/cases/{second.pk}/participants", {"role": "whanau", "person_id": world.aunt.person_id}
        )
        # then
        assert response.status_code == 201, response.content
        assert response.json()["person"]["id"] == world.aunt.person_id
        assert second.participants.filter(person=world.aunt.person).exists()

    def test_a_person_the_worker_cannot_see_cannot_be_added_to_their_case(self, client, alice, world, charlie_case):
        # given
        client.force_login(alice)
        before = state()
        # when
        hidden = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/participants",
            {"role": "whanau", "person_id": child_of(charlie_case).pk},
        )
        missing = call(client, "POST", f"/cases/{world.case.pk}/participants", {"role": "whanau", "person_id": 987654})
        # then: the answer does not tell alice whether the person exists
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
        assert state() == before

    def test_a_relationship_is_recorded_and_listed(self, client, alice, world):
        client.force_login(alice)
        created = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/relationships",
            {"person_id": world.mother.person_id, "child_id": world.child.pk, "kind": "mother"},
        )
        assert created.status_code == 201, created.content
        listed = call(client, "GET", f"/cases/{world.case.pk}/relationships").json()
        assert {(r["person_id"], r["child_id"], r["kind"]) for r in listed} == {
            (world.aunt.person_id, world.child.pk, "aunt_uncle"),
            (world.mother.person_id, world.child.pk, "mother"),
        }

    def test_a_household_is_changed_and_archived_and_its_members_stay_in_the_case(self, client, alice, world):
        # given
        client.force_login(alice)
        Participant.objects.filter(pk=world.mother.pk).update(household=world.household)
        path = f"/cases/{world.case.pk}/households/{world.household.pk}"
        # when
        changed = call(client, "PATCH", path, {"address": "12 Rata Street", "is_childs_home": True})
        archived = call(client, "POST", f"{path}/archive")
        # then
        assert changed.status_code == 200, changed.content
        assert changed.json()["address"] == "12 Rata Street" and changed.json()["is_childs_home"] is True
        assert archived.status_code == 200, archived.content
        assert call(client, "GET", f"/cases/{world.case.pk}/households").json() == []
        world.mother.refresh_from_db()
        assert world.mother.household is None and world.mother.archived_at is None
        assert AuditEvent.objects.filter(event="case.household.archived").count() == 1

    def test_a_read_only_token_cannot_change_a_household(self, client, alice, world):
        from kinplan.accounts.services import api_token_create

        _token, raw = api_token_create(actor=alice, name="reports", read_only=True)
        before = state()
        response = call(
            client,
            "PATCH",
            f"/cases/{world.case.pk}/households/{world.household.pk}",
            {"notes": "x"},
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        assert response.status_code == 403, response.content
        assert state() == before

    def test_archived_things_drop_out_of_their_lists(self, client, alice, world):
        client.force_login(alice)
        case = world.case.pk
        call(client, "POST", f"/cases/{case}/relationships/{world.relationship.pk}/archive")
        call(client, "POST", f"/cases/{case}/team/{world.member.pk}/archive")
        call(client, "POST", f"/cases/{case}/participants/{world.aunt.pk}/archive")
        assert call(client, "GET", f"/cases/{case}/relationships").json() == []
        assert call(client, "GET", f"/cases/{case}/team").json() == []
        assert world.aunt.pk not in [p["id"] for p in call(client, "GET", f"/cases/{case}/participants").json()]
        again = call(client, "PATCH", f"/cases/{case}/relationships/{world.relationship.pk}", {"notes": "x"})
        assert again.status_code == 404

    def test_an_archived_case_leaves_the_list_but_can_still_be_opened(self, client, alice, case):
        client.force_login(alice)
        archived = call(client, "POST", f"/cases/{case.pk}/archive")
        assert archived.status_code == 200 and archived.json()["archived"] is True
        assert call(client, "GET", "/cases").json()["items"] == []
        assert call(client, "GET", f"/cases/{case.pk}").status_code == 200

    def test_a_person_change_updates_their_details_and_iwi(self, client, alice, world):
        client.force_login(alice)
        response = call(
            client,
            "PATCH",
            f"/people/{world.mother.person_id}",
            {"preferred_name": "Mere", "iwi": ["ngapuhi"], "date_of_birth": None},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["preferred_name"], body["iwi"], body["date_of_birth"]) == ("Mere", ["Ngāpuhi"], None)

    def test_a_team_member_can_be_a_kinplan_user(self, client, alice, world, support_caseworker):
        Case.objects.filter(pk=world.case.pk).update(support_service=support_caseworker.organisation)
        client.force_login(alice)
        response = call(
            client,
            "POST",
            f"/cases/{world.case.pk}/team",
            {"role": "support_caseworker", "user_id": support_caseworker.pk, "is_required": False},
        )
        assert response.status_code == 201, response.content
        assert (response.json()["user_id"], response.json()["person_id"]) == (support_caseworker.pk, None)

    def test_only_staff_of_the_cases_site_or_support_service_can_join_the_team(
        self, client, alice, world, charlie, support_caseworker
    ):
        # given charlie works at another site, and the support service is not on the case
        client.force_login(alice)
        before = state()
        # when alice tries to add either of them
        for user in (charlie, support_caseworker):
            response = call(
                client, "POST", f"/cases/{world.case.pk}/team", {"role": "professional", "user_id": user.pk}
            )
            # then each is refused by name and nothing is saved
            assert field_errors(response) == {"user_id": ["Choose someone at this case's site or its support service."]}
        assert state() == before


# --- person search -------------------------------------------------------------------------------


class TestPersonSearch:
    def test_names_match_ignoring_case_and_macrons(self, client, alice):
        # given
        tamati = PersonFactory(given_name="Tāmati", family_name="Ngata")
        CaseFactory(worker=alice, child=tamati)
        client.force_login(alice)
        # when
        for query in ("tamati", "TĀMATI ngata", "Tamati"):
            response = call(client, "GET", f"/people/search?q={query}")
            # then
            assert response.status_code == 200
            assert [p["id"] for p in response.json()["people"]] == [tamati.pk], query

    def test_people_in_cases_the_user_cannot_see_are_counted_but_never_returned(self, client, alice, charlie):
        # given
        mine = PersonFactory(given_name="Tāmati", family_name="Ngata")
        CaseFactory(worker=alice, child=mine)
        for _ in range(2):
            CaseFactory(worker=charlie, child=PersonFactory(given_name="Tamati", family_name="Ngātā"))
        client.force_login(alice)
        # when
        response = call(client, "GET", "/people/search?q=tamati ngata")
        # then
        body = response.json()
        assert [p["id"] for p in body["people"]] == [mine.pk]
        assert body["hidden_matches"] == 2

    def test_someone_who_sees_nothing_gets_only_a_count(self, client, bob, case):
        client.force_login(bob)
        child = child_of(case)
        response = call(client, "GET", f"/people/search?q={child.given_name}&date_of_birth={child.date_of_birth}")
        body = response.json()
        assert body["people"] == []
        assert body["hidden_matches"] == 1
        assert str(child.family_name) not in response.content.decode()

    def test_an_empty_query_finds_nothing(self, client, alice, case):
        client.force_login(alice)
        nothing = {"people": [], "hidden_matches": 0, "more_hidden_matches": False}
        assert call(client, "GET", "/people/search?q=").json() == nothing


# --- history -------------------------------------------------------------------------------------


def test_a_change_is_recorded_with_each_fields_before_and_after_and_shown_in_history(client, alice, case):
    # given
    client.force_login(alice)
    # when
    response = call(
        client,
        "PATCH",
        f"/cases/{case.pk}",
        {"summary": "Nan is caring for him.", "next_review_on": "2026-06-01", "name": "Ngata whānau"},
    )
    # then
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.filter(case=case, event="case.updated").get()
    assert event.actor == alice
    assert event.changes == {"summary": ["", "Nan is caring for him."], "next_review_on": [None, "2026-06-01"]}
    history = call(client, "GET", f"/cases/{case.pk}/history").json()
    newest = history[0]
    assert newest["event"] == "case.updated"
    assert newest["actor"] == str(alice)
    assert newest["changes"] == event.changes
    assert newest["target_id"] == str(case.pk)


def test_a_change_that_changes_nothing_records_nothing(client, alice, case):
    client.force_login(alice)
    before = AuditEvent.objects.count()
    response = call(client, "PATCH", f"/cases/{case.pk}", {"name": case.name})
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


def test_history_shows_only_the_cases_own_events_newest_first(client, alice, case):
    client.force_login(alice)
    other = CaseFactory(worker=alice)
    call(client, "PATCH", f"/cases/{case.pk}", {"summary": "first"})
    call(client, "PATCH", f"/cases/{other.pk}", {"summary": "elsewhere"})
    call(client, "PATCH", f"/cases/{case.pk}", {"summary": "second"})
    history = call(client, "GET", f"/cases/{case.pk}/history").json()
    assert [h["changes"]["summary"] for h in history] == [["first", "second"], ["", "first"]]


# --- paging --------------------------------------------------------------------------------------


def test_keyset_paging_returns_every_visible_case_exactly_once(client, alice, case, charlie_case):
    # given: seven of alice's cases (one closed, one archived) and cases she cannot see
    mine = [case.pk] + [CaseFactory(worker=alice).pk for _ in range(6)]
    CaseFactory(worker=UserFactory(team=alice.team))
    client.force_login(alice)
    # when
    seen: list[int] = []
    after, pages = 0, 0
    while True:
        page = call(client, "GET", f"/cases?limit=3&after={after}").json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        if page["next_after"] is None:
            break
        after = page["next_after"]
        assert pages < 10
    # then
    assert sorted(seen) == sorted(mine)
    assert len(seen) == len(set(seen))
    assert pages == 3


def test_a_page_that_exactly_fills_the_limit_says_there_is_no_more(client, alice, case):
    client.force_login(alice)
    CaseFactory(worker=alice)
    page = call(client, "GET", "/cases?limit=2").json()
    assert len(page["items"]) == 2
    assert page["next_after"] is None


def test_the_case_list_filters_by_status(client, alice, case):
    client.force_login(alice)
    closed = CaseFactory(worker=alice, status=Case.Status.CLOSED, closed_on=datetime.date(2026, 2, 1))
    assert [c["id"] for c in call(client, "GET", "/cases").json()["items"]] == [case.pk]
    assert [c["id"] for c in call(client, "GET", "/cases?status=closed").json()["items"]] == [closed.pk]
    assert {c["id"] for c in call(client, "GET", "/cases?status=").json()["items"]} == {case.pk, closed.pk}


def test_the_case_list_query_count_does_not_grow_with_the_cases(client, alice, case, django_assert_max_num_queries):
    client.force_login(alice)
    with django_assert_max_num_queries(10) as few:
        call(client, "GET", "/cases")
    for _ in range(5):
        CaseFactory(worker=alice)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = call(client, "GET", "/cases")
    assert len(response.json()["items"]) == 6


# --- view log ------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", READS, ids=str)
def test_reading_a_childs_record_logs_the_view_as_an_api_view(client, alice, world, route):
    # given
    client.force_login(alice)
    # when
    response = call(client, route.method, route.url(world))
    # then
    assert response.status_code == 200
    view = RecordView.objects.get()
    assert (view.user, view.channel, view.path) == (alice, "api", f"{API}{route.url(world)}")
    if route.path.startswith("/people"):
        assert view.person_id == world.mother.person_id
    else:
        assert view.case_id == world.case.pk


def test_a_refused_read_logs_no_view(client, bob, case):
    client.force_login(bob)
    assert call(client, "GET", f"/cases/{case.pk}").status_code == 404
    assert not RecordView.objects.exists()


# --- OpenAPI -------------------------------------------------------------------------------------


def test_the_openapi_schema_names_the_api_and_every_route(client):
    # when
    response = client.get(f"{API}/openapi.json")
    # then
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Kinplan API"
    documented = {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if op["operationId"].startswith("kinplan_cases_api_")  # other apps test their own routes
    }
    expected = {
        ("GET", "/api/v1/cases"),
        ("POST", "/api/v1/cases"),
        ("GET", "/api/v1/cases/{case_id}/restriction"),
        ("PUT", "/api/v1/cases/{case_id}/restriction"),
        ("POST", "/api/v1/cases/{case_id}/break-glass"),
        ("GET", "/api/v1/restricted-cases"),
        ("GET", "/api/v1/glass-breaks"),
        ("GET", "/api/v1/cases/{case_id}"),
        ("PATCH", "/api/v1/cases/{case_id}"),
        ("POST", "/api/v1/cases/{case_id}/archive"),
        ("GET", "/api/v1/cases/{case_id}/history"),
        ("GET", "/api/v1/cases/{case_id}/participants"),
        ("POST", "/api/v1/cases/{case_id}/participants"),
        ("PATCH", "/api/v1/cases/{case_id}/participants/{participant_id}"),
        ("POST", "/api/v1/cases/{case_id}/participants/{participant_id}/archive"),
        ("GET", "/api/v1/people/search"),
        ("GET", "/api/v1/people/{person_id}"),
        ("PATCH", "/api/v1/people/{person_id}"),
        ("GET", "/api/v1/iwi"),
        ("GET", "/api/v1/cases/{case_id}/households"),
        ("POST", "/api/v1/cases/{case_id}/households"),
        ("PATCH", "/api/v1/cases/{case_id}/households/{household_id}"),
        ("POST", "/api/v1/cases/{case_id}/households/{household_id}/archive"),
        ("GET", "/api/v1/cases/{case_id}/relationships"),
        ("POST", "/api/v1/cases/{case_id}/relationships"),
        ("PATCH", "/api/v1/cases/{case_id}/relationships/{relationship_id}"),
        ("POST", "/api/v1/cases/{case_id}/relationships/{relationship_id}/archive"),
        ("GET", "/api/v1/cases/{case_id}/team"),
        ("POST", "/api/v1/cases/{case_id}/team"),
        ("PATCH", "/api/v1/cases/{case_id}/team/{member_id}"),
        ("POST", "/api/v1/cases/{case_id}/team/{member_id}/archive"),
    }
    assert documented == expected


def test_every_route_in_the_router_is_covered_by_the_role_tests():
    """Adding a route without adding it to READS/WRITES (or the openapi list) fails here."""
    from kinplan.cases.api import router

    in_router = {
        (method, path)
        for path, view in router.path_operations.items()
        for op in view.operations
        for method in op.methods
    }
    covered = {
        (
            r.method,
            r.path.replace("{case}", "{case_id}")
            .replace("{participant}", "{participant_id}")
            .replace("{person}", "{person_id}")
            .replace("{relationship}", "{relationship_id}")
            .replace("{member}", "{member_id}")
            .replace("{household}", "{household_id}"),
        )
        for r in READS + WRITES
    }
    covered |= {("GET", "/cases"), ("POST", "/cases"), ("GET", "/people/search"), ("GET", "/iwi")}
    # Restricted cases: their roles are tested in test_restricted.py and the access matrix.
    covered |= {
        ("GET", "/cases/{case_id}/restriction"),
        ("PUT", "/cases/{case_id}/restriction"),
        ("POST", "/cases/{case_id}/break-glass"),
        ("GET", "/restricted-cases"),
        ("GET", "/glass-breaks"),
    }
    assert in_router == covered


def test_text_sent_as_null_is_empty_text_not_a_server_error(client, case, alice):
    """Found by the API fuzz: null for a text field reached the database's NOT NULL constraint."""
    from kinplan.accounts.services import api_token_create

    _token, raw = api_token_create(actor=alice, name="fuzz")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    participant = case.participants.exclude(role="child").first()
    url = f"{API}/cases/{case.pk}/participants/{participant.pk}"
    response = client.patch(url, json.dumps({"notes": None}), "application/json", **auth)
    assert response.status_code == 200 and response.json()["notes"] == ""
    response = client.patch(f"{API}/cases/{case.pk}", json.dumps({"summary": None}), "application/json", **auth)
    assert response.status_code == 200 and response.json()["summary"] == ""

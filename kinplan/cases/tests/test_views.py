"""The case pages: who may open each one, what a bad form says, what a good one writes, and what it costs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.audit.services import audit_record
from kinplan.cases.models import Case, Household, Iwi, Participant, Person, Relationship, TeamMember
from kinplan.cases.tests.factories import (
    CaseFactory,
    HouseholdFactory,
    ParticipantFactory,
    PersonFactory,
    RelationshipFactory,
    TeamMemberFactory,
    child_of,
)

# --- a furnished case and the pages around it -----------------------------------------------------


@dataclass
class Things:
    """Alice's case with something of every kind in it."""

    case: Case
    child: Person
    mother: Person
    nan: Person
    nan_place: Participant
    household: Household
    relationship: Relationship
    member: TeamMember


@pytest.fixture
def things(case: Case) -> Things:
    child, mother = child_of(case), case.participants.get(role=Participant.Role.PARENT).person
    for person, given_name in ((child, "Aroha"), (mother, "Hine")):
        person.given_name, person.family_name = given_name, "Ngata"
        person.save()
    nan_place = ParticipantFactory(
        case=case, role=Participant.Role.WHANAU, person__given_name="Mere", person__family_name="Parata"
    )
    return Things(
        case=case,
        child=child,
        mother=mother,
        nan=nan_place.person,
        nan_place=nan_place,
        household=HouseholdFactory(case=case, name="Family home"),
        relationship=RelationshipFactory(case=case, person=mother, child=child, kind=Relationship.Kind.MOTHER),
        member=TeamMemberFactory(case=case, person=mother, role=TeamMember.Role.PARENT),
    )


def case_url(name: str, t: Things, *args: Any) -> str:
    return reverse(f"cases:{name}", args=[t.case.pk, *args])


def case_form_data(t: Things, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Ngata whānau",
        "team": t.case.team_id,
        "worker": t.case.worker_id,
        "summary": "",
        "next_review_on": "",
        "status": "open",
        "closed_on": "",
    }
    return {**data, **overrides}


def person_form_data(prefix: str = "", **overrides: Any) -> dict[str, Any]:
    data = {"given_name": "Hemi", "family_name": "Parata", "date_of_birth": "1980-04-01", "gender": "male"}
    data.update(overrides)
    return {f"{prefix}{name}": value for name, value in data.items()}


@dataclass(frozen=True)
class Page:
    url: Callable[[Things], str]
    post: Callable[[Things], dict[str, Any]] | None = None  # a valid submission; None for a page that only reads
    lands_on: str = "detail"  # where a valid submission redirects

    @property
    def changes(self) -> bool:
        return self.post is not None


PAGES: dict[str, Page] = {
    "case page": Page(lambda t: case_url("detail", t)),
    "edit case": Page(lambda t: case_url("edit", t), lambda t: case_form_data(t, name="Ngata-Parata whānau")),
    "add a person": Page(
        lambda t: case_url("participant_add", t), lambda t: {"p-role": "whanau", **person_form_data("person-")}
    ),
    "add a household": Page(lambda t: case_url("object_add", t, "household"), lambda t: {"name": "Koro whare"}),
    "add a relationship": Page(
        lambda t: case_url("object_add", t, "relationship"),
        lambda t: {"person": t.nan.pk, "kind": "grandparent", "child": t.child.pk},
    ),
    "add a team member": Page(
        lambda t: case_url("object_add", t, "team"),
        lambda t: {"role": "whanau", "person": t.nan.pk, "is_required": "on"},
    ),
    "edit a household": Page(
        lambda t: case_url("object_edit", t, "household", t.household.pk), lambda t: {"name": "Koro whare"}
    ),
    "edit a relationship": Page(
        lambda t: case_url("object_edit", t, "relationship", t.relationship.pk), lambda t: {"kind": "parent"}
    ),
    "edit a team member": Page(
        lambda t: case_url("object_edit", t, "team", t.member.pk), lambda t: {"role": "caregiver", "is_required": "on"}
    ),
    "edit a person's place": Page(
        lambda t: case_url("object_edit", t, "participant", t.nan_place.pk),
        lambda t: {"role": "caregiver", "household": t.household.pk},
    ),
    "archive a household": Page(lambda t: case_url("object_archive", t, "household", t.household.pk), lambda t: {}),
    "archive a relationship": Page(
        lambda t: case_url("object_archive", t, "relationship", t.relationship.pk), lambda t: {}
    ),
    "archive a team member": Page(lambda t: case_url("object_archive", t, "team", t.member.pk), lambda t: {}),
    "archive a person's place": Page(
        lambda t: case_url("object_archive", t, "participant", t.nan_place.pk), lambda t: {}
    ),
    "archive the case": Page(
        lambda t: case_url("object_archive", t, "case", t.case.pk), lambda t: {}, lands_on="caseload"
    ),
    "person page": Page(lambda t: reverse("cases:person", args=[t.mother.pk])),
    "edit a person": Page(
        lambda t: reverse("cases:person_edit", args=[t.mother.pk]),
        lambda t: person_form_data(given_name="Hinewai", family_name="Ngata"),
        lands_on="person",
    ),
}
CHANGING_PAGES = {name: page for name, page in PAGES.items() if page.changes}
READING_PAGES = {name: page for name, page in PAGES.items() if not page.changes}

MAY_CHANGE = ["alice", "supervisor", "site_manager"]
MAY_NOT_SEE = ["bob", "charlie", "administrator"]


def written() -> dict[str, int]:
    """How many rows of each kind exist; views (RecordView) are not writes."""
    models = (Case, Person, Participant, Household, Relationship, TeamMember, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def login(client: Any, request: Any, who: str) -> Any:
    user = request.getfixturevalue(who)
    client.force_login(user)
    return user


# --- 1. who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", MAY_CHANGE)
@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_the_owner_supervisor_and_site_manager_can_open_every_page_of_the_case(client, request, things, who, page):
    login(client, request, who)
    assert client.get(page.url(things)).status_code == 200


@pytest.mark.parametrize("who", MAY_CHANGE)
@pytest.mark.parametrize("page", CHANGING_PAGES.values(), ids=CHANGING_PAGES.keys())
def test_the_owner_supervisor_and_site_manager_can_save_every_form_of_the_case(client, request, things, who, page):
    login(client, request, who)
    before = AuditEvent.objects.count()
    response = client.post(page.url(things), page.post(things))
    landing = {
        "detail": case_url("detail", things),
        "caseload": reverse("cases:caseload"),
        "person": reverse("cases:person", args=[things.mother.pk]),
    }[page.lands_on]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == landing
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize("who", MAY_NOT_SEE)
@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_a_colleague_an_outsider_and_the_administrator_get_404_for_every_page_of_the_case(
    client, request, things, who, page
):
    login(client, request, who)
    assert client.get(page.url(things)).status_code == 404
    assert not RecordView.objects.exists()


@pytest.mark.parametrize("who", MAY_NOT_SEE)
@pytest.mark.parametrize("page", CHANGING_PAGES.values(), ids=CHANGING_PAGES.keys())
def test_a_colleague_an_outsider_and_the_administrator_get_404_and_change_nothing_when_posting(
    client, request, things, who, page
):
    login(client, request, who)
    before = written()
    assert client.post(page.url(things), page.post(things)).status_code == 404
    assert written() == before


@pytest.mark.parametrize("page", READING_PAGES.values(), ids=READING_PAGES.keys())
def test_a_national_manager_can_read_the_case_and_its_people(client, national_manager, things, page):
    client.force_login(national_manager)
    response = client.get(page.url(things))
    assert response.status_code == 200
    assert "Edit" not in response.content.decode().split('id="main"')[1].split("History")[0]


@pytest.mark.parametrize("page", CHANGING_PAGES.values(), ids=CHANGING_PAGES.keys())
def test_a_national_manager_is_refused_every_form_and_changes_nothing(client, national_manager, things, page):
    client.force_login(national_manager)
    before = written()
    assert client.get(page.url(things)).status_code == 403
    assert client.post(page.url(things), page.post(things)).status_code == 403
    assert written() == before


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, things, page):
    login_url = reverse("accounts:login")
    before = written()
    response = client.get(page.url(things))
    assert response.status_code == 302
    assert response.url == f"{login_url}?next={page.url(things)}"
    if page.changes:
        assert client.post(page.url(things), page.post(things)).url.startswith(login_url)
    assert written() == before


@pytest.mark.parametrize(
    "who",
    [
        "alice",
        "bob",
        "charlie",
        "supervisor",
        "site_manager",
        "national_manager",
        "support_caseworker",
        "administrator",
    ],
)
def test_anyone_signed_in_can_open_the_caseload_and_the_person_search(client, request, who):
    login(client, request, who)
    assert client.get(reverse("cases:caseload")).status_code == 200
    assert client.get(reverse("cases:person_search"), {"q": "tamati"}).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("alice", 200),
        ("bob", 200),
        ("charlie", 200),
        ("supervisor", 200),
        ("site_manager", 200),
        ("national_manager", 403),
        ("support_caseworker", 403),
        ("administrator", 403),
    ],
)
def test_only_staff_of_a_site_who_edit_cases_may_open_a_new_case(client, request, who, status):
    login(client, request, who)
    assert client.get(reverse("cases:new")).status_code == status


def test_a_refused_new_case_post_writes_nothing(client, national_manager, db):
    client.force_login(national_manager)
    before = written()
    response = client.post(reverse("cases:new"), {"name": "X", **person_form_data("child-")})
    assert response.status_code == 403
    assert written() == before


@pytest.mark.parametrize("url_name", ["caseload", "new", "person_search"])
def test_anonymous_visitors_are_sent_to_log_in_from_the_caseload_new_case_and_search(client, db, url_name):
    response = client.get(reverse(f"cases:{url_name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_object_from_another_case_cannot_be_reached_through_alices_case(client, alice, things, charlie_case):
    # given a household in charlie's case
    theirs = HouseholdFactory(case=charlie_case, name="Somewhere secret")
    client.force_login(alice)
    # when alice puts its id under her own case's address
    edit = case_url("object_edit", things, "household", theirs.pk)
    archive = case_url("object_archive", things, "household", theirs.pk)
    # then it is not found, and nothing changes
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"name": "Mine now"}).status_code == 404
    assert client.post(archive).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.archived_at) == ("Somewhere secret", None)


def test_an_archived_record_can_no_longer_be_edited(client, alice, things):
    Household.objects.filter(pk=things.household.pk).update(archived_at=timezone.now())
    client.force_login(alice)
    assert client.get(case_url("object_edit", things, "household", things.household.pk)).status_code == 404


def test_a_case_cannot_be_added_inside_a_case(client, alice, things):
    client.force_login(alice)
    assert client.get(case_url("object_add", things, "case")).status_code == 403


def test_an_unknown_kind_of_record_is_not_a_page(client, alice, things):
    client.force_login(alice)
    assert client.get(f"/cases/{things.case.pk}/nonsense/add/").status_code == 404


def test_people_are_added_through_add_a_person_not_the_generic_add_page(client, alice, things):
    client.force_login(alice)
    assert client.get(case_url("object_add", things, "participant")).status_code == 403


# --- 2. bad input says exactly what is wrong, and writes nothing ------------------------------------


def assert_refused_with(response: Any, message: str) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()


def field_error(field_id: str, message: str) -> str:
    return f'<p class="field-error" id="{field_id}_error">{message}</p>'


def test_a_new_child_born_in_the_future_is_refused_and_nothing_is_written(client, alice, db):
    client.force_login(alice)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = written()
    response = client.post(
        reverse("cases:new"),
        {
            "name": "Future whānau",
            **person_form_data("child-", date_of_birth=tomorrow.isoformat()),
        },
    )
    assert_refused_with(response, field_error("id_child-date_of_birth", "A date of birth cannot be in the future."))
    assert written() == before


def test_a_new_child_without_a_given_name_is_refused_next_to_the_field(client, alice, db):
    client.force_login(alice)
    before = written()
    response = client.post(reverse("cases:new"), {"name": "Nameless", **person_form_data("child-", given_name="")})
    assert_refused_with(response, field_error("id_child-given_name", "This field is required."))
    assert written() == before


def test_a_new_case_without_a_name_is_refused_next_to_the_field(client, alice, db):
    client.force_login(alice)
    before = written()
    response = client.post(reverse("cases:new"), {"name": "", **person_form_data("child-")})
    assert_refused_with(response, field_error("id_name", "This field is required."))
    assert written() == before


def test_a_new_person_born_in_the_future_is_refused_and_nothing_is_written(client, alice, things):
    client.force_login(alice)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = written()
    response = client.post(
        case_url("participant_add", things),
        {
            "p-role": "whanau",
            **person_form_data("person-", date_of_birth=tomorrow.isoformat()),
        },
    )
    assert_refused_with(response, field_error("id_person-date_of_birth", "A date of birth cannot be in the future."))
    assert written() == before


def test_a_new_person_without_a_given_name_is_refused_next_to_the_field(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(
        case_url("participant_add", things), {"p-role": "whanau", **person_form_data("person-", given_name="")}
    )
    assert_refused_with(response, field_error("id_person-given_name", "This field is required."))
    assert written() == before


def test_an_empty_add_a_person_form_is_a_400_not_a_200(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(case_url("participant_add", things), {})
    assert_refused_with(response, field_error("id_p-role", "This field is required."))
    assert written() == before


def test_editing_a_person_to_a_future_birth_date_shows_the_message_next_to_the_field(client, alice, things):
    client.force_login(alice)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = written()
    response = client.post(
        reverse("cases:person_edit", args=[things.mother.pk]),
        person_form_data(given_name="Hine", date_of_birth=tomorrow.isoformat()),
    )
    assert_refused_with(response, field_error("id_date_of_birth", "A date of birth cannot be in the future."))
    assert written() == before
    things.mother.refresh_from_db()
    assert things.mother.date_of_birth != tomorrow


def test_editing_a_person_to_a_birth_date_before_1900_is_refused(client, alice, things):
    client.force_login(alice)
    response = client.post(
        reverse("cases:person_edit", args=[things.mother.pk]), person_form_data(date_of_birth="1850-01-01")
    )
    assert_refused_with(response, field_error("id_date_of_birth", "Enter a date of birth after 1900."))


def test_closing_a_case_without_the_date_it_closed_is_refused(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(case_url("edit", things), case_form_data(things, status="closed", closed_on=""))
    assert_refused_with(response, "A closed case needs the date it closed; an open case has none.")
    assert written() == before
    things.case.refresh_from_db()
    assert things.case.status == Case.Status.OPEN


def test_closing_a_case_before_it_opened_is_refused(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(case_url("edit", things), case_form_data(things, status="closed", closed_on="2020-01-01"))
    assert_refused_with(response, "A case cannot close before it opened.")
    assert written() == before


def test_a_case_cannot_be_allocated_to_a_worker_at_another_site(client, alice, charlie, things):
    client.force_login(alice)
    before = written()
    response = client.post(case_url("edit", things), case_form_data(things, worker=charlie.pk))
    assert_refused_with(response, "Select a valid choice.")
    assert written() == before


def test_a_person_cannot_be_related_to_themselves(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(
        case_url("object_add", things, "relationship"),
        {"person": things.child.pk, "kind": "sibling", "child": things.child.pk},
    )
    assert_refused_with(response, "A person cannot be related to themselves.")
    assert written() == before


def test_the_same_relationship_cannot_be_recorded_twice(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(
        case_url("object_add", things, "relationship"),
        {"person": things.mother.pk, "kind": "parent", "child": things.child.pk},
    )
    assert_refused_with(response, "This relationship is already recorded; edit it instead.")
    assert written() == before


def test_a_relationship_to_someone_who_is_not_a_child_of_the_case_is_refused(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(
        case_url("object_add", things, "relationship"),
        {"person": things.nan.pk, "kind": "parent", "child": things.mother.pk},
    )
    assert_refused_with(
        response, field_error("id_child", "Select a valid choice. That choice is not one of the available choices.")
    )
    assert written() == before


def test_a_relationship_with_someone_from_another_case_is_refused(client, alice, things, charlie_case):
    client.force_login(alice)
    before = written()
    response = client.post(
        case_url("object_add", things, "relationship"),
        {"person": child_of(charlie_case).pk, "kind": "parent", "child": things.child.pk},
    )
    assert_refused_with(
        response, field_error("id_person", "Select a valid choice. That choice is not one of the available choices.")
    )
    assert written() == before


@pytest.mark.parametrize("member", ["both", "neither"])
def test_a_team_member_is_a_person_or_a_user_never_both_nor_neither(client, alice, bob, things, member):
    client.force_login(alice)
    data = {"role": "whanau", "is_required": "on"}
    if member == "both":
        data.update(person=things.nan.pk, user=bob.pk)
    before = written()
    response = client.post(case_url("object_add", things, "team"), data)
    assert_refused_with(response, "Choose either a person in the case or a Kinplan user.")
    assert '<div class="error-summary" role="alert">' in response.content.decode()
    assert written() == before


def test_the_same_person_cannot_join_the_team_twice(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(case_url("object_add", things, "team"), {"role": "whanau", "person": things.mother.pk})
    assert_refused_with(response, "This person is already on the team.")
    assert written() == before


def test_archiving_the_only_child_is_refused_with_the_reason(client, alice, things):
    client.force_login(alice)
    child_place = things.case.participants.get(role=Participant.Role.CHILD)
    before = written()
    response = client.post(case_url("object_archive", things, "participant", child_place.pk))
    assert_refused_with(response, "A case needs at least one child: add another child first.")
    assert written() == before
    child_place.refresh_from_db()
    assert child_place.archived_at is None


def test_changing_the_only_childs_role_is_refused_with_the_reason(client, alice, things):
    client.force_login(alice)
    child_place = things.case.participants.get(role=Participant.Role.CHILD)
    before = written()
    response = client.post(case_url("object_edit", things, "participant", child_place.pk), {"role": "whanau"})
    assert_refused_with(response, "A case needs at least one child: add another child first.")
    assert written() == before


def test_adding_someone_already_in_the_case_is_refused(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(case_url("participant_add", things), {"person_id": things.mother.pk, "p-role": "whanau"})
    assert_refused_with(response, "This person is already part of this case.")
    assert written() == before


def test_a_person_in_a_case_alice_cannot_see_cannot_be_added_or_made_the_child_of_a_new_case(
    client, alice, things, charlie_case
):
    hidden = child_of(charlie_case)
    client.force_login(alice)
    before = written()
    assert client.get(case_url("participant_add", things), {"person": hidden.pk}).status_code == 404
    assert (
        client.post(case_url("participant_add", things), {"person_id": hidden.pk, "p-role": "whanau"}).status_code
        == 404
    )
    assert client.get(reverse("cases:new"), {"child": hidden.pk}).status_code == 404
    assert client.post(reverse("cases:new"), {"child_id": hidden.pk, "name": "Taken"}).status_code == 404
    assert written() == before


@pytest.mark.parametrize("garbage", ["abc", "1.5", "-"])
def test_a_malformed_person_id_is_not_found_rather_than_a_server_error(client, alice, things, garbage):
    client.force_login(alice)
    assert client.get(reverse("cases:new"), {"child": garbage}).status_code == 404
    assert client.get(case_url("participant_add", things), {"person": garbage}).status_code == 404
    assert (
        client.post(case_url("participant_add", things), {"person_id": garbage, "p-role": "whanau"}).status_code == 404
    )


# --- 3. good input works end to end and leaves history on the case page ----------------------------


def case_page(client: Any, case: Case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def history_of(page: str) -> str:
    return page.split('<h2 id="history-h">History</h2>')[1]


def change(field: str, before: str, after: str) -> str:
    return f"<strong>{field}</strong>: {before} → {after}"


def test_opening_a_case_with_a_new_child_creates_the_case_the_child_and_their_history(client, alice, team, db):
    client.force_login(alice)
    # given alice searched first and nobody she can see matches
    searched = client.get(reverse("cases:new"), {"q": "Tāmati Ngata"}).content.decode()
    assert "Nobody you can see matches. If you are sure this is someone new, enter their details below." in searched
    assert "2. The child's details" in searched
    # when she enters the child's details and the case's
    response = client.post(
        reverse("cases:new"),
        {
            "name": "Ngata whānau",
            "team": team.pk,
            "summary": "Referred by school.",
            **person_form_data("child-", given_name="Tāmati", family_name="Ngata", date_of_birth="2015-03-02"),
            "child-iwi": [Iwi.objects.get(name="Ngāti Porou").pk],
        },
    )
    # then the case is hers, at her site, around the new child, and its history says so
    case = Case.objects.get(name="Ngata whānau")
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert (case.worker, case.site, case.team, case.reference) == (alice, alice.site, team, f"KP-{case.pk:06d}")
    child = child_of(case)
    assert (child.given_name, child.date_of_birth) == ("Tāmati", datetime.date(2015, 3, 2))
    assert [str(i) for i in child.iwi.all()] == ["Ngāti Porou"]
    history = history_of(case_page(client, case))
    for event in ("case.created", "person.created", "case.participant.added"):
        assert event in history
    assert change("given_name", "—", "Tāmati") in history
    assert change("name", "—", "Ngata whānau") in history


def test_opening_a_case_for_a_child_already_known_reuses_the_person(client, alice, things):
    client.force_login(alice)
    page = client.get(reverse("cases:new"), {"child": things.child.pk}).content.decode()
    assert "The case will centre on <strong>Aroha Ngata</strong>" in page
    people = Person.objects.count()
    response = client.post(reverse("cases:new"), {"child_id": things.child.pk, "name": "Aroha's second case"})
    case = Case.objects.get(name="Aroha's second case")
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert Person.objects.count() == people
    assert child_of(case) == things.child
    assert "person.created" not in history_of(case_page(client, case))


def test_a_new_case_for_a_known_child_with_a_missing_name_is_refused_and_keeps_the_child(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(reverse("cases:new"), {"child_id": things.child.pk, "name": ""})
    assert_refused_with(response, field_error("id_name", "This field is required."))
    assert f'name="child_id" value="{things.child.pk}"' in response.content.decode()
    assert written() == before


def test_adding_a_new_person_records_them_in_the_case_and_its_history(client, alice, things):
    client.force_login(alice)
    response = client.post(
        case_url("participant_add", things),
        {
            "p-role": "caregiver",
            "p-household": things.household.pk,
            **person_form_data("person-", given_name="Hemi", family_name="Parata", phone="021 555 0101"),
        },
    )
    assert response.status_code == 302
    place = things.case.participants.get(person__given_name="Hemi")
    assert (place.role, place.household, place.person.phone) == ("caregiver", things.household, "021 555 0101")
    page = case_page(client, things.case)
    assert "Hemi Parata" in page
    history = history_of(page)
    assert "person.created" in history
    assert change("given_name", "—", "Hemi") in history
    assert change("role", "—", "caregiver") in history


def test_adding_an_existing_person_found_by_search_does_not_duplicate_them(client, alice, things):
    # given a grandfather already in another of alice's cases
    koro = PersonFactory(given_name="Wiremu", family_name="Tāwhiri")
    CaseFactory(worker=alice, name="Tāwhiri whānau", child=PersonFactory())
    ParticipantFactory(case=Case.objects.get(name="Tāwhiri whānau"), person=koro, role="whanau")
    client.force_login(alice)
    # when alice searches from her case's add-a-person page
    found = client.get(case_url("participant_add", things), {"q": "wiremu tawhiri"}).content.decode()
    add_link = f"{case_url('participant_add', things)}?person={koro.pk}"
    assert "Wiremu Tāwhiri" in found
    assert add_link in found
    # and picks him
    picked = client.get(add_link).content.decode()
    assert "Adding <strong>Wiremu Tāwhiri</strong>" in picked
    people = Person.objects.count()
    response = client.post(case_url("participant_add", things), {"person_id": koro.pk, "p-role": "whanau"})
    # then he is in the case once, as the same person
    assert response.status_code == 302
    assert Person.objects.count() == people
    assert things.case.participants.filter(person=koro, role="whanau").count() == 1
    history = history_of(case_page(client, things.case))
    assert "case.participant.added" in history
    assert "person.created" not in history


def test_adding_editing_and_archiving_a_household_is_in_the_history(client, alice, things):
    client.force_login(alice)
    client.post(case_url("object_add", things, "household"), {"name": "Koro whare", "is_childs_home": "on"})
    household = things.case.households.get(name="Koro whare")
    assert household.is_childs_home
    client.post(case_url("object_edit", things, "household", household.pk), {"name": "Nan whare", "address": "1 Pā Rd"})
    client.post(case_url("object_archive", things, "household", household.pk))
    household.refresh_from_db()
    assert (household.name, household.address, household.is_archived) == ("Nan whare", "1 Pā Rd", True)
    history = history_of(case_page(client, things.case))
    assert change("name", "—", "Koro whare") in history
    assert change("name", "Koro whare", "Nan whare") in history
    assert change("is_childs_home", "True", "False") in history
    assert "case.household.archived" in history


def test_archiving_a_household_leaves_its_members_in_the_case_living_nowhere_recorded(client, alice, things):
    Participant.objects.filter(pk=things.nan_place.pk).update(household=things.household)
    client.force_login(alice)
    client.post(case_url("object_archive", things, "household", things.household.pk))
    things.nan_place.refresh_from_db()
    assert (things.nan_place.household, things.nan_place.is_archived) == (None, False)
    assert "No household recorded yet." in case_page(client, things.case)


def test_adding_editing_and_withdrawing_a_relationship_is_in_the_history(client, alice, things):
    client.force_login(alice)
    client.post(
        case_url("object_add", things, "relationship"),
        {"person": things.nan.pk, "kind": "grandparent", "child": things.child.pk},
    )
    relationship = things.case.relationships.get(person=things.nan)
    client.post(
        case_url("object_edit", things, "relationship", relationship.pk), {"kind": "whangai", "notes": "Raised her"}
    )
    page = case_page(client, things.case)
    assert "Whāngai parent" in page
    client.post(case_url("object_archive", things, "relationship", relationship.pk))
    relationship.refresh_from_db()
    assert relationship.is_archived
    history = history_of(case_page(client, things.case))
    assert change("kind", "—", "grandparent") in history
    assert change("kind", "grandparent", "whangai") in history
    assert "case.relationship.archived" in history


def test_adding_editing_and_removing_a_team_member_is_in_the_history(client, alice, bob, things):
    client.force_login(alice)
    client.post(case_url("object_add", things, "team"), {"role": "social_worker", "user": bob.pk, "is_required": "on"})
    member = things.case.team_members.get(user=bob)
    assert "(Kinplan user)" in case_page(client, things.case)
    client.post(case_url("object_edit", things, "team", member.pk), {"role": "professional", "notes": "Covering"})
    member.refresh_from_db()
    assert (member.role, member.is_required, member.notes) == ("professional", False, "Covering")
    client.post(case_url("object_archive", things, "team", member.pk))
    member.refresh_from_db()
    assert member.is_archived
    history = history_of(case_page(client, things.case))
    assert change("role", "—", "social_worker") in history
    assert change("role", "social_worker", "professional") in history
    assert change("is_required", "True", "False") in history
    assert "case.team_member.archived" in history


def test_changing_and_removing_a_persons_place_in_the_case_is_in_the_history(client, alice, things):
    client.force_login(alice)
    client.post(
        case_url("object_edit", things, "participant", things.nan_place.pk),
        {"role": "caregiver", "household": things.household.pk},
    )
    things.nan_place.refresh_from_db()
    assert (things.nan_place.role, things.nan_place.household) == ("caregiver", things.household)
    client.post(case_url("object_archive", things, "participant", things.nan_place.pk))
    things.nan_place.refresh_from_db()
    assert things.nan_place.is_archived
    page = case_page(client, things.case)
    assert "Mere Parata" not in page.split('<h2 id="people-h">')[1].split('<h2 id="households-h">')[0]
    history = history_of(page)
    assert change("role", "whanau", "caregiver") in history
    assert change("household", "—", "Family home") in history
    assert "case.participant.archived" in history


def test_editing_the_case_is_in_the_history(client, alice, things):
    client.force_login(alice)
    response = client.post(
        case_url("edit", things),
        case_form_data(
            things, name="Ngata-Parata whānau", next_review_on="2026-12-01", status="closed", closed_on="2026-11-20"
        ),
    )
    assert response.status_code == 302
    things.case.refresh_from_db()
    assert (things.case.name, things.case.status, things.case.closed_on) == (
        "Ngata-Parata whānau",
        "closed",
        datetime.date(2026, 11, 20),
    )
    history = history_of(case_page(client, things.case))
    assert change("name", "Ngata whānau", "Ngata-Parata whānau") in history
    assert change("status", "open", "closed") in history
    assert change("closed_on", "—", "2026-11-20") in history


def test_reopening_a_case_clears_the_date_it_closed(client, alice, things):
    Case.objects.filter(pk=things.case.pk).update(status="closed", closed_on=datetime.date(2026, 2, 1))
    client.force_login(alice)
    response = client.post(case_url("edit", things), case_form_data(things, status="open", closed_on="2026-02-01"))
    assert response.status_code == 302
    things.case.refresh_from_db()
    assert (things.case.status, things.case.closed_on) == ("open", None)


def test_archiving_the_case_takes_it_off_the_caseload_and_keeps_its_history(client, alice, things):
    client.force_login(alice)
    response = client.post(case_url("object_archive", things, "case", things.case.pk))
    assert response.status_code == 302
    assert response.url == reverse("cases:caseload")
    assert "Ngata whānau" not in client.get(reverse("cases:caseload")).content.decode()
    page = case_page(client, things.case)
    assert '<span class="badge archived">Archived</span>' in page
    assert "case.archived" in history_of(page)


def test_editing_a_person_shows_in_the_history_of_every_case_they_are_in(client, alice, things):
    other_case = CaseFactory(worker=alice, name="Second case")
    ParticipantFactory(case=other_case, person=things.mother, role="parent")
    client.force_login(alice)
    iwi = Iwi.objects.get(name="Ngāti Porou")
    response = client.post(
        reverse("cases:person_edit", args=[things.mother.pk]),
        {**person_form_data(given_name="Hinewai", family_name="Ngata"), "iwi": [iwi.pk]},
    )
    assert response.status_code == 302
    assert response.url == reverse("cases:person", args=[things.mother.pk])
    assert "Ngāti Porou" in client.get(response.url).content.decode()
    for case in (things.case, other_case):
        history = history_of(case_page(client, case))
        assert change("given_name", "Hine", "Hinewai") in history
        assert "Ngāti Porou" in history


def test_saving_a_form_unchanged_writes_no_history(client, alice, things):
    client.force_login(alice)
    before = AuditEvent.objects.count()
    response = client.post(case_url("object_edit", things, "household", things.household.pk), {"name": "Family home"})
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


# --- 4. search before create ------------------------------------------------------------------------


def test_the_new_case_search_finds_tamati_without_the_macron_and_counts_hidden_matches(client, alice, charlie):
    CaseFactory(worker=alice, child=PersonFactory(given_name="Tāmati", family_name="Ngata"))
    CaseFactory(worker=charlie, child=PersonFactory(given_name="Tamati", family_name="Kereama"))
    client.force_login(alice)
    response = client.get(reverse("cases:new"), {"q": "tamati"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tāmati Ngata" in page
    assert "Kereama" not in page
    assert "1 possible match in records you cannot open." in page


def test_hidden_matches_are_counted_in_the_plural(client, alice, charlie, charlie_case):
    for family_name in ("Kereama", "Walker"):
        ParticipantFactory(case=charlie_case, person__given_name="Tāmati", person__family_name=family_name)
    client.force_login(alice)
    page = client.get(reverse("cases:new"), {"q": "tamati"}).content.decode()
    assert "Nobody you can see matches." in page
    assert "2 possible matches in records you cannot open." in page
    assert "Kereama" not in page
    assert "Walker" not in page


def test_the_new_case_search_offers_to_open_a_case_for_a_visible_child(client, alice, things):
    client.force_login(alice)
    page = client.get(reverse("cases:new"), {"q": "aroha"}).content.decode()
    assert f'href="{reverse("cases:new")}?child={things.child.pk}"' in page


def test_the_search_partial_is_a_fragment_without_the_page_around_it(client, alice, things):
    client.force_login(alice)
    response = client.get(
        reverse("cases:person_search"), {"q": "aroha", "case": things.case.pk}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Aroha Ngata" in page
    assert f"{case_url('participant_add', things)}?person={things.child.pk}" in page


@pytest.mark.parametrize("case_param", ["abc", "", "1.5"])
def test_a_malformed_case_in_the_search_partial_offers_a_new_case_instead_of_failing(client, alice, things, case_param):
    client.force_login(alice)
    response = client.get(reverse("cases:person_search"), {"q": "aroha", "case": case_param})
    assert response.status_code == 200
    assert f'href="{reverse("cases:new")}?child={things.child.pk}"' in response.content.decode()


def test_a_search_with_no_words_shows_no_results_and_no_notice(client, alice, charlie_case):
    client.force_login(alice)
    page = client.get(reverse("cases:new"), {"q": "  "}).content.decode()
    assert "People already in Kinplan" not in page
    assert "possible match" not in page


# --- 5. looking at a child's record is logged --------------------------------------------------------


def test_viewing_a_case_page_logs_who_looked(client, alice, things):
    client.force_login(alice)
    client.get(case_url("detail", things))
    view = RecordView.objects.get()
    assert (view.user, view.case, view.person, view.channel, view.path) == (
        alice,
        things.case,
        None,
        "web",
        case_url("detail", things),
    )


def test_viewing_a_person_page_logs_who_looked(client, supervisor, things):
    client.force_login(supervisor)
    url = reverse("cases:person", args=[things.child.pk])
    client.get(url)
    view = RecordView.objects.get()
    assert (view.user, view.case, view.person, view.channel, view.path) == (supervisor, None, things.child, "web", url)


def test_each_view_is_logged_again(client, alice, things):
    client.force_login(alice)
    client.get(case_url("detail", things))
    client.get(case_url("detail", things))
    assert RecordView.objects.filter(user=alice, case=things.case).count() == 2


# --- 6. query counts do not grow with the data -----------------------------------------------------

# The caseload page's queries: among them the count of restricted cases the user is not named on, and the plan
# progress of the page's cases (one query, whatever the page holds).
CASELOAD_QUERIES = 8


def case_page_queries(client: Any, case: Case) -> int:
    """How many queries the case page costs now: 12 of its own, plus one or two for each app's section."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    return len(queries)


def add_cases(worker: Any, how_many: int) -> None:
    for n in range(how_many):
        case = CaseFactory(worker=worker, next_review_on=datetime.date(2026, 12, 1) + datetime.timedelta(days=n))
        ParticipantFactory(case=case, role=Participant.Role.CHILD)  # a second child in each case


def test_the_caseload_costs_the_same_queries_for_3_cases_as_for_30(client, alice, django_assert_num_queries):
    client.force_login(alice)
    add_cases(alice, 3)
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("cases:caseload"))
    assert len(response.context["page"].object_list) == 3
    add_cases(alice, 27)
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("cases:caseload"))
    assert len(response.context["page"].object_list) == 30


def test_the_team_caseload_costs_the_same_queries_whoever_the_workers_are(
    client, supervisor, team, django_assert_num_queries
):
    client.force_login(supervisor)
    add_cases(UserFactory(team=team), 2)
    with django_assert_num_queries(CASELOAD_QUERIES):
        client.get(reverse("cases:caseload"))
    for _ in range(5):
        add_cases(UserFactory(team=team), 2)
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("cases:caseload"))
    assert len(response.context["page"].object_list) == 12


def furnish(case: Case, extra_people: int) -> None:
    """Add people, each with a household, iwi, a relationship, a team seat and a history entry by a different user."""
    child = child_of(case)
    iwi = list(Iwi.objects.all()[:3])
    for n in range(extra_people):
        household = HouseholdFactory(case=case, name=f"Home {n}")
        place = ParticipantFactory(case=case, role=Participant.Role.WHANAU, household=household)
        place.person.iwi.set(iwi)
        RelationshipFactory(case=case, person=place.person, child=child, kind=Relationship.Kind.AUNT_UNCLE)
        TeamMemberFactory(case=case, person=place.person, role=TeamMember.Role.WHANAU)
        TeamMemberFactory(case=case, person=None, user=UserFactory(), role=TeamMember.Role.PROFESSIONAL)
        audit_record(actor=UserFactory(), event="case.note", target=place, case=case, changes={"n": [None, n]})


def test_the_case_page_costs_the_same_queries_for_2_people_as_for_12(client, alice, case, django_assert_num_queries):
    client.force_login(alice)
    assert case.participants.count() == 2
    cost_with_two_people = case_page_queries(client, case)
    furnish(case, 10)
    with django_assert_num_queries(cost_with_two_people):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert len(response.context["participants"]) == 12
    assert len(response.context["team_members"]) == 20


# --- 7. whose cases each role's caseload lists -----------------------------------------------------


@pytest.fixture
def cases_around_the_site(alice, bob, other_team, case, charlie_case) -> dict[str, Case]:
    return {
        "alice": case,
        "bob": CaseFactory(worker=bob, name="Bob's case"),
        "other team": CaseFactory(worker=UserFactory(team=other_team), name="West team case"),
        "charlie": charlie_case,
    }


def listed(client: Any, **params: str) -> set[str]:
    response = client.get(reverse("cases:caseload"), params)
    assert response.status_code == 200
    return {case.name for case in response.context["page"].object_list}


def test_a_social_worker_sees_only_their_own_cases(client, alice, cases_around_the_site):
    client.force_login(alice)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert "My caseload" in page
    assert 'class="tabs"' not in page
    assert listed(client) == {"Ngata whānau"}


def test_a_supervisor_sees_the_teams_cases_under_my_team(client, supervisor, cases_around_the_site):
    client.force_login(supervisor)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert '<a href="?scope=team&status=open" aria-current="page">My team</a>' in page
    assert listed(client) == {"Ngata whānau", "Bob's case"}
    assert listed(client, scope="mine") == set()


def test_a_site_manager_sees_the_whole_site(client, site_manager, cases_around_the_site):
    client.force_login(site_manager)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert "<h1>My site's caseload</h1>" in page
    assert listed(client) == {"Ngata whānau", "Bob's case", "West team case"}


def test_a_site_manager_without_a_team_gets_no_team_tab_that_would_list_unteamed_cases(client, site_manager, alice):
    CaseFactory(worker=alice, name="No team yet", team=None)
    client.force_login(site_manager)
    response = client.get(reverse("cases:caseload"), {"scope": "team"})
    assert response.context["scope"] == "site"
    assert ">My team</a>" not in response.content.decode()
    assert listed(client) == {"No team yet"}


def test_a_site_manager_in_a_team_can_switch_to_the_teams_cases(client, site_manager, other_team, team, alice, bob):
    site_manager.team = other_team
    site_manager.save()
    CaseFactory(worker=alice, name="East case")
    CaseFactory(worker=UserFactory(team=other_team), name="West case")
    client.force_login(site_manager)
    assert listed(client) == {"East case", "West case"}
    assert listed(client, scope="team") == {"West case"}


def test_asking_for_a_scope_the_role_does_not_have_falls_back_to_its_own(client, alice, cases_around_the_site):
    client.force_login(alice)
    assert listed(client, scope="site") == {"Ngata whānau"}


def test_the_caseload_filters_by_status_and_search(client, alice, cases_around_the_site):
    closed = CaseFactory(worker=alice, name="Closed whānau", status="closed", closed_on=datetime.date(2026, 3, 1))
    client.force_login(alice)
    assert listed(client, status="closed") == {"Closed whānau"}
    assert listed(client, status="") == {"Ngata whānau", "Closed whānau"}
    assert listed(client, status="", q=closed.reference) == {"Closed whānau"}
    assert listed(client, status="nonsense") == {"Ngata whānau"}


def test_the_caseload_finds_a_case_by_a_childs_name_without_macrons(client, alice, things):
    Person.objects.filter(pk=things.child.pk).update(given_name="Tāmati", search_name="tamati ngata")
    client.force_login(alice)
    assert listed(client, q="tamati") == {"Ngata whānau"}
    assert listed(client, q="nobody") == set()


def test_a_national_manager_sees_every_case(client, national_manager, cases_around_the_site):
    client.force_login(national_manager)
    assert listed(client) == {"Ngata whānau", "Bob's case", "West team case", "Smith family"}


def test_an_administrator_has_an_empty_caseload(client, administrator, cases_around_the_site):
    client.force_login(administrator)
    assert listed(client) == set()


# --- 8. the htmx partial -----------------------------------------------------------------------------


def test_an_htmx_request_for_the_caseload_gets_only_the_table(client, alice, case):
    client.force_login(alice)
    response = client.get(reverse("cases:caseload"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["cases/partials/_caseload_table.html"]
    assert "<html" not in page
    assert '<table class="list">' in page
    assert "Ngata whānau" in page


def test_a_plain_request_for_the_caseload_gets_the_whole_page(client, alice, case):
    client.force_login(alice)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert "<html" in page
    assert '<div id="caseload">' in page


def test_a_worker_who_allocates_their_case_to_a_colleague_lands_back_on_their_caseload(client, alice, bob, case):
    # given alice hands her case to bob
    client.force_login(alice)
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {"name": case.name, "team": case.team_id, "worker": bob.pk, "summary": "", "status": "open"},
    )
    # then she is told, and sent to the caseload rather than to a page she can no longer open
    assert response.status_code == 302 and response.url == reverse("cases:caseload")
    case.refresh_from_db()
    assert case.worker == bob

"""The service plan's JSON API at /api/v1/: a plan written backwards and read back whole, rules refused with a
clear 422 and nothing half-saved, agreement before the plan moves on, versions, paging, and history on every write.

Who may call each endpoint is the access matrix's job (tests/access); these tests sign in as alice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import ANY

import pytest
from django.test import Client
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.assessments.models import Assessment, Need
from kinplan.assessments.tests.factories import AssessmentFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, Person, TeamMember
from kinplan.cases.tests.factories import CaseFactory, PersonFactory, TeamMemberFactory, child_of
from kinplan.planning import services
from kinplan.planning.models import Agreement, Goal, NeedDeferral, Plan, PlanTransition, Step
from kinplan.planning.tests.factories import CompletedAssessmentFactory, GoalFactory, NeedFactory, StepFactory

API = "/api/v1"
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    """The date `n` days from today (before it when negative)."""
    return TODAY + datetime.timedelta(days=n)


# --- helpers -------------------------------------------------------------------------------------


def call(client: Client, method: str, path: str, payload: Any = None):
    """Send `payload` as JSON to the API with `method`; a write without one has an empty body, as a client sends."""
    kwargs: dict[str, Any] = {} if method == "GET" else {"content_type": "application/json"}
    if payload is not None:
        kwargs["data"] = payload
    return getattr(client, method.lower())(f"{API}{path}", **kwargs)


def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def post(client: Client, path: str, payload: Any = None, status: int = 201) -> Any:
    return ok(call(client, "POST", path, payload), status)


APPLICATION = {"what": "Apply for the accommodation supplement", "kind": "form", "responsible": "family"}
APPLICATION |= {"costs_money": False}
COUNSELLING = {"what": "Counselling", "kind": "service", "responsible": "provider", "responsible_name": "Te Whare Ora"}
COUNSELLING |= {"timeline": "weekly from January", "quantity": 8, "unit": "session", "costs_money": True}


WATCHED = (Plan, Goal, Step, Agreement, NeedDeferral, PlanTransition, AuditEvent)


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row (and its last change) a plan write could touch, so a half-made write shows up."""
    snapshot = {}
    for model in WATCHED:
        stamped = any(f.name == "updated_at" for f in model._meta.fields)
        snapshot[model.__name__] = sorted(model.objects.values_list("pk", *(["updated_at"] if stamped else [])))
    snapshot["Goal.needs"] = sorted(Goal.needs.through.objects.values_list("goal_id", "need_id"))
    return snapshot


def field_errors(response) -> dict[str, list[str]]:
    """The {field: [messages]} of one of our 422s."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Please correct the errors below."
    return body["errors"]


def schema_error_fields(response) -> set[str]:
    """The fields named by django-ninja's own 422 for input that does not fit the schema."""
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return {str(part) for error in detail for part in error["loc"]}


# --- a case ready to plan, and a draft plan written through the services ---------------------------


@dataclass
class Ready:
    """Alice's case, assessed, with the mother on the Child and Family Team; no plan yet."""

    case: Case
    assessment: Assessment
    housing: Need
    drinking: Need
    mother: Person
    mother_member: TeamMember


@dataclass
class Draft(Ready):
    """The same case with a draft plan, written through the services."""

    plan: Plan
    home: Goal  # long-term, target in 180 days, answers `housing`
    shelter: Goal  # intermediate, on the way to `home`, target in 60 days
    step: Step  # towards `shelter`, planned, due in 10 days


@pytest.fixture
def api(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def ready(case: Case) -> Ready:
    mother = case.participants.get(role=Participant.Role.PARENT).person
    mother.given_name, mother.family_name = "Hine", "Ngata"
    mother.save()
    assessment = CompletedAssessmentFactory(case=case)
    return Ready(
        case=case,
        assessment=assessment,
        housing=NeedFactory(assessment=assessment, title="A secure home"),
        drinking=NeedFactory(assessment=assessment, title="Mum's drinking"),
        mother=mother,
        mother_member=TeamMemberFactory(case=case, person=mother, role=TeamMember.Role.PARENT),
    )


@pytest.fixture
def draft(alice: User, ready: Ready) -> Draft:
    plan = services.plan_create(actor=alice, case=ready.case, data={"permanency_goal": "reunification"})
    home = services.goal_add(
        actor=alice, plan=plan, data={"title": "A safe, stable home", "target_date": days(180)}, needs=[ready.housing]
    )
    shelter = services.goal_add(
        actor=alice, plan=plan, parent=home, data={"title": "Shelter and an income", "target_date": days(60)}
    )
    step = StepFactory(goal=shelter, what="Apply for the accommodation supplement", due_on=days(10))
    return Draft(**vars(ready), plan=plan, home=home, shelter=shelter, step=step)


def agree(alice: User, d: Draft) -> None:
    services.agreement_record(actor=alice, plan=d.plan, member=d.mother_member, position="agrees", method="in_person")
    services.plan_transition(actor=alice, plan=d.plan, to="agreed")


# --- a plan written backwards, read back whole -----------------------------------------------------


def test_a_plan_written_backwards_reads_back_as_a_tree_with_progress_issues_coverage_and_agreement(api, ready):
    # given
    d = ready
    school = NeedFactory(assessment=d.assessment, title="School attendance")
    # when the worker starts the plan: it answers the latest completed assessment
    plan = post(api, f"/cases/{d.case.pk}/plan", {"permanency_goal": "reunification"})
    assert (plan["version"], plan["status"], plan["assessment_id"]) == (1, "draft", d.assessment.pk)
    # and writes a long-term goal answering a need, then an intermediate goal on the way to it
    home = {"title": "A safe, stable home", "target_date": str(days(180)), "need_ids": [d.housing.pk]}
    home = post(api, f"/plans/{plan['id']}/goals", home)
    assert home["needs"] == [{"id": d.housing.pk, "title": "A secure home"}] and home["parent_id"] is None
    shelter = {"title": "Shelter and an income", "target_date": str(days(60)), "parent_id": home["id"]}
    shelter = post(api, f"/plans/{plan['id']}/goals", shelter)
    assert (shelter["parent_id"], shelter["track"]) == (home["id"], "main")
    # then a step that passes the good test, done, and a counselling service with its cost not given
    form = APPLICATION | {"responsible_person_id": d.mother.pk, "due_on": str(days(10))}
    form = post(api, f"/goals/{shelter['id']}/steps", form)
    assert (form["issues"], form["funder"], form["responsible_label"]) == ([], "no_cost", "Hine Ngata")
    post(api, f"/steps/{form['id']}/complete", {"result": "Granted", "completed_on": str(days(-1))}, status=200)
    counselling = post(api, f"/goals/{home['id']}/steps", COUNSELLING)
    no_cost = {"code": "no_cost", "field": "cost", "message": "It costs money but no cost is given."}
    assert (counselling["quantity"], counselling["issues"]) == ("8.00", [no_cost])
    # and leaves a need for later
    post(api, f"/plans/{plan['id']}/deferrals", {"need_id": d.drinking.pk, "reason": "In a programme"})
    full = ok(call(api, "GET", f"/cases/{d.case.pk}/plan"))
    # then the plan reads back as a tree: the long-term goal with its own steps and the intermediate goal with its
    assert (full["progress"], full["quality_warnings"]) == ({"done": 1, "total": 2, "percent": 50}, 1)
    [tree] = full["goals"]
    assert (tree["title"], tree["progress"]["done"], tree["progress"]["total"]) == ("A safe, stable home", 1, 2)
    assert [(s["what"], [i["code"] for i in s["issues"]]) for s in tree["steps"]] == [("Counselling", ["no_cost"])]
    [on_the_way] = tree["intermediate_goals"]
    assert on_the_way["title"] == "Shelter and an income" and on_the_way["intermediate_goals"] == []
    assert [(s["what"], s["status"], s["result"]) for s in on_the_way["steps"]] == [
        ("Apply for the accommodation supplement", "done", "Granted")
    ]
    # with which needs are answered, left for later (and why), or not yet addressed
    coverage = full["need_coverage"]
    assert coverage["addressed"] == [{"id": d.housing.pk, "title": "A secure home"}]
    assert [(x["need"]["id"], x["reason"]) for x in coverage["deferred"]] == [(d.drinking.pk, "In a programme")]
    assert coverage["unaddressed"] == [{"id": school.pk, "title": "School attendance"}]
    # and the team's agreement, nobody asked yet
    assert full["agreement"] == [
        {
            "member_id": d.mother_member.pk,
            "name": "Hine Ngata",
            "role": "parent",
            "is_required": True,
            "position": "not_asked",
            "method": "",
            "reason": "",
            "recorded_by": None,
            "recorded_at": None,
        }
    ]
    assert full["changes_since_agreement"] == {"last_agreed_version": None, "changes": [], "consult_again": []}


def test_a_case_without_a_plan_is_a_404_with_a_message(api, ready):
    response = call(api, "GET", f"/cases/{ready.case.pk}/plan")
    assert (response.status_code, response.json()) == (404, {"detail": "This case has no plan yet."})


# --- agreement, moving on, revising and versions ---------------------------------------------------


def test_a_plan_is_agreed_once_everyone_required_agrees_then_revised_into_version_2(api, alice, draft):
    d = draft
    # given
    before = state()
    # when the plan is moved to agreed before the mother has been asked
    refused = call(api, "POST", f"/plans/{d.plan.pk}/transition", {"to": "agreed"})
    # then it is refused, naming who is still waiting, and nothing changes
    assert field_errors(refused) == {
        "__all__": ["Not everyone whose agreement is required has agreed yet: Hine Ngata (not yet asked)."]
    }
    assert state() == before
    # when she agrees
    view = {"member_id": d.mother_member.pk, "position": "agrees", "method": "in_person"}
    assert post(api, f"/plans/{d.plan.pk}/agreements", view, status=200)["position"] == "agrees"
    agreed = post(api, f"/plans/{d.plan.pk}/transition", {"to": "agreed", "note": "At the hui"}, status=200)
    # then
    assert agreed["status"] == "agreed" and agreed["agreed_at"]
    assert agreed["agreement"][0]["position"] == "agrees"
    post(api, f"/plans/{d.plan.pk}/transition", {"to": "active"}, status=200)
    # when revised
    revision = post(api, f"/plans/{d.plan.pk}/revise", {"note": "Dad is back in contact"})
    # then version 2 is the current draft, with the same goals and steps
    assert (revision["version"], revision["status"], revision["is_current"], revision["previous_id"]) == (
        2,
        "draft",
        True,
        d.plan.pk,
    )
    assert [g["title"] for g in revision["goals"]] == ["A safe, stable home"]
    versions = ok(call(api, "GET", f"/cases/{d.case.pk}/plan/versions"))
    assert [(v["version"], v["status"]) for v in versions] == [(2, "draft"), (1, "superseded")]
    first = ok(call(api, "GET", f"/cases/{d.case.pk}/plan/versions/1"))
    assert (first["id"], first["status"], first["is_current"]) == (d.plan.pk, "superseded", False)
    assert call(api, "GET", f"/cases/{d.case.pk}/plan/versions/3").status_code == 404
    moves = ok(call(api, "GET", f"/plans/{d.plan.pk}/transitions"))
    assert [(m["from_status"], m["to_status"], m["note"]) for m in moves] == [
        ("draft", "agreed", "At the hui"),
        ("agreed", "active", ""),
        ("active", "superseded", "Dad is back in contact"),
    ]


def test_a_change_after_agreement_is_listed_with_who_to_consult_again(api, alice, draft):
    # given version 2 of an agreed plan
    agree(alice, draft)
    revision = post(api, f"/plans/{draft.plan.pk}/revise")
    step = Step.objects.get(goal__plan_id=revision["id"], lineage=draft.step.lineage)
    # when the step's due date moves
    ok(call(api, "PATCH", f"/steps/{step.pk}", {"due_on": str(days(21))}))
    # then
    since = ok(call(api, "GET", f"/cases/{draft.case.pk}/plan"))["changes_since_agreement"]
    assert since == {
        "last_agreed_version": 1,
        "changes": [
            {
                "kind": "step",
                "change": "changed",
                "label": "Apply for the accommodation supplement",
                "fields": {"due_on": [str(days(10)), str(days(21))]},
            }
        ],
        "consult_again": ["Hine Ngata"],
    }


# --- rules refused: a 422 naming the field, nothing saved ------------------------------------------


@dataclass(frozen=True)
class Refusal:
    name: str
    method: str
    path: Callable[[Draft], str]
    payload: Callable[[Draft], dict[str, Any]]
    errors: Callable[[Draft], dict[str, list[str]]]
    given: Callable[[User, Draft], Any] = field(default=lambda alice, d: None)

    def __str__(self) -> str:
        return self.name


AGREED_LOCK = (
    "This plan is agreed: start a revision (a new version) to change it, so the team can be consulted on the changes."
)
REFUSALS = [
    Refusal(
        "a second plan for the case",
        "POST",
        lambda d: f"/cases/{d.case.pk}/plan",
        lambda d: {"permanency_goal": "adoption"},
        lambda d: {"__all__": ["This case already has a plan: open it, or revise it to make a new version."]},
    ),
    Refusal(
        "a plan ending before it starts",
        "PATCH",
        lambda d: f"/plans/{d.plan.pk}",
        lambda d: {"starts_on": str(days(0)), "ends_on": str(days(-1))},
        lambda d: {"ends_on": ["The plan cannot end before it starts."]},
    ),
    Refusal(
        "an alternative goal the same as the main one",
        "PATCH",
        lambda d: f"/plans/{d.plan.pk}",
        lambda d: {"alternative_goal": "reunification"},
        lambda d: {"alternative_goal": ["The alternative permanency goal must differ from the main one."]},
    ),
    Refusal(
        "an assessment still in draft",
        "PATCH",
        lambda d: f"/plans/{d.plan.pk}",
        lambda d: {"assessment_id": AssessmentFactory(case=d.case).pk},
        lambda d: {"assessment_id": ["Choose a completed assessment: the plan answers what it found."]},
    ),
    Refusal(
        "an assessment of another case",
        "PATCH",
        lambda d: f"/plans/{d.plan.pk}",
        lambda d: {"assessment_id": CompletedAssessmentFactory(pk=987654).pk},
        lambda d: {"assessment_id": ["No assessment with id 987654 in this case."]},
    ),
    Refusal(
        "an intermediate goal dated after its long-term goal",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/goals",
        lambda d: {"title": "A job", "target_date": str(days(200)), "parent_id": d.home.pk},
        lambda d: {
            "target_date": [
                f"An intermediate goal is reached on the way: set a date by {days(180):%-d %b %Y}, "
                "the long-term goal's target."
            ]
        },
    ),
    Refusal(
        "a goal under an intermediate goal",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/goals",
        lambda d: {"title": "Too deep", "parent_id": d.shelter.pk},
        lambda d: {"parent_id": ["Intermediate goals lead to a long-term goal, not to another intermediate goal."]},
    ),
    Refusal(
        "a goal answering a need of another case",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/goals",
        lambda d: {"title": "x", "need_ids": [d.housing.pk, NeedFactory(pk=987654).pk]},
        lambda d: {"need_ids": ["No need with id 987654 in this case."]},
    ),
    Refusal(
        "a step due before it starts",
        "POST",
        lambda d: f"/goals/{d.home.pk}/steps",
        lambda d: {"what": "x", "responsible": "worker", "starts_on": str(days(20)), "due_on": str(days(10))},
        lambda d: {"due_on": ["A step cannot be due before it starts."]},
    ),
    Refusal(
        "a negative cost",
        "PATCH",
        lambda d: f"/steps/{d.step.pk}",
        lambda d: {"costs_money": True, "cost": "-5"},
        lambda d: {"cost": ["A cost cannot be negative."]},
    ),
    Refusal(
        "a quantity of nothing",
        "POST",
        lambda d: f"/goals/{d.home.pk}/steps",
        lambda d: {"what": "Counselling", "kind": "service", "responsible": "provider", "quantity": 0},
        lambda d: {"quantity": ["A quantity must be more than zero."]},
    ),
    Refusal(
        "someone from another case doing a step",
        "POST",
        lambda d: f"/goals/{d.home.pk}/steps",
        lambda d: {
            "what": "x",
            "responsible": "family",
            "responsible_person_id": child_of(CaseFactory(child=PersonFactory(pk=987654))).pk,
        },
        lambda d: {"responsible_person_id": ["No person with id 987654 in this case."]},
    ),
    Refusal(
        "changing a step of an agreed plan",
        "PATCH",
        lambda d: f"/steps/{d.step.pk}",
        lambda d: {"due_on": str(days(12))},
        lambda d: {"__all__": [AGREED_LOCK]},
        given=agree,
    ),
    Refusal(
        "completing a step with no result",
        "POST",
        lambda d: f"/steps/{d.step.pk}/complete",
        lambda d: {"result": " "},
        lambda d: {"result": ["Record the result: what happened, in a sentence or two."]},
    ),
    Refusal(
        "completing a step on a date in the future",
        "POST",
        lambda d: f"/steps/{d.step.pk}/complete",
        lambda d: {"result": "Granted", "completed_on": str(days(1))},
        lambda d: {"completed_on": ["A step cannot be done on a date in the future."]},
    ),
    Refusal(
        "cancelling a step without a reason",
        "POST",
        lambda d: f"/steps/{d.step.pk}/cancel",
        lambda d: {"reason": ""},
        lambda d: {"reason": ["Say why the step is no longer needed."]},
    ),
    Refusal(
        "leaving a need for later without a reason",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/deferrals",
        lambda d: {"need_id": d.drinking.pk, "reason": "  "},
        lambda d: {"reason": ["Say why this need is left for later."]},
    ),
    Refusal(
        "a disagreement without a reason",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/agreements",
        lambda d: {"member_id": d.mother_member.pk, "position": "disagrees", "method": "phone"},
        lambda d: {"reason": ["Record why they disagree."]},
    ),
    Refusal(
        "a view of someone not on this case's team",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/agreements",
        lambda d: {"member_id": TeamMemberFactory(pk=987654).pk, "position": "agrees", "method": "phone"},
        lambda d: {"member_id": ["No team member with id 987654 in this case."]},
    ),
    Refusal(
        "a move the table does not allow",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/transition",
        lambda d: {"to": "active"},
        lambda d: {"__all__": ["A plan that is draft cannot become active."]},
    ),
    Refusal(
        "revising a draft",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/revise",
        lambda d: {"note": "Dad is back"},
        lambda d: {"__all__": ["Only the current plan, once agreed, is revised; a draft can be changed as it is."]},
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_a_rule_refusal_is_a_422_naming_the_field_and_nothing_is_saved(api, alice, draft, refusal):
    # given
    refusal.given(alice, draft)
    payload = refusal.payload(draft)
    before = state()
    # when
    response = call(api, refusal.method, refusal.path(draft), payload)
    # then
    assert field_errors(response) == refusal.errors(draft)
    assert state() == before


def malformed(method: str, path: Callable[[Draft], str], payload: dict[str, Any], bad_field: str) -> Any:
    return pytest.param(method, path, payload, bad_field, id=f"{method} {bad_field}")


MALFORMED = [
    malformed("POST", lambda d: f"/cases/{d.case.pk}/plan", {"permanency_goal": "utopia"}, "permanency_goal"),
    malformed("PATCH", lambda d: f"/plans/{d.plan.pk}", {"ends_on": "next winter"}, "ends_on"),
    malformed("POST", lambda d: f"/plans/{d.plan.pk}/goals", {"title": "x", "need_ids": "1,2"}, "need_ids"),
    malformed("POST", lambda d: f"/goals/{d.home.pk}/steps", {"what": "x", "responsible": "wizard"}, "responsible"),
    malformed(
        "POST", lambda d: f"/goals/{d.home.pk}/steps", {"what": "x", "responsible": "worker", "cost": "lots"}, "cost"
    ),
    malformed("PATCH", lambda d: f"/steps/{d.step.pk}", {"kind": "party"}, "kind"),
    malformed("POST", lambda d: f"/steps/{d.step.pk}/complete", {"completed_on": "yesterday"}, "completed_on"),
    malformed("POST", lambda d: f"/plans/{d.plan.pk}/transition", {"to": "approved"}, "to"),
    malformed(
        "POST", lambda d: f"/plans/{d.plan.pk}/agreements", {"member_id": "mum", "position": "agrees"}, "member_id"
    ),
]


@pytest.mark.parametrize(("method", "path", "payload", "bad_field"), MALFORMED)
def test_malformed_input_is_a_422_from_the_schema_and_nothing_is_saved(api, draft, method, path, payload, bad_field):
    # given
    before = state()
    # when
    response = call(api, method, path(draft), payload)
    # then
    assert bad_field in schema_error_fields(response)
    assert state() == before


# --- the overdue steps, a page at a time -----------------------------------------------------------


def overdue_in(case: Case, due: int) -> Step:
    """A step `due` days from today in a new plan of `case`."""
    plan = services.plan_create(actor=case.worker, case=case, data={"permanency_goal": "adoption"})
    return StepFactory(goal=GoalFactory(plan=plan), due_on=days(due))


def test_overdue_steps_page_by_keyset_with_no_overlap_and_no_gaps(api, alice, draft, charlie_case):
    # given five overdue steps, two due the same day, in two of alice's cases; one not yet due; one of charlie's
    other = overdue_in(CaseFactory(worker=alice), -4)
    late = [
        StepFactory(goal=draft.home, due_on=days(-9)),
        other,
        StepFactory(goal=draft.shelter, due_on=days(-4)),
        StepFactory(goal=draft.home, due_on=days(-2)),
        StepFactory(goal=other.goal, due_on=days(-1)),
    ]
    StepFactory(goal=draft.home, due_on=TODAY)
    overdue_in(charlie_case, -30)
    # when alice reads them two at a time
    pages, after = [], None
    while True:
        body = ok(call(api, "GET", "/steps/overdue?limit=2" + (f"&after={after}" if after else "")))
        pages.append([item["id"] for item in body["items"]])
        after = body["next_after"]
        if after is None:
            break
        assert after == pages[-1][-1]
    # then: oldest first, ties by id, every step once
    expected = [s.pk for s in sorted(late, key=lambda s: (s.due_on, s.pk))]
    assert pages == [expected[0:2], expected[2:4], expected[4:]]
    first = ok(call(api, "GET", "/steps/overdue?limit=1"))["items"][0]
    assert (first["days_overdue"], first["case_id"], first["goal_title"]) == (9, draft.case.pk, "A safe, stable home")


def test_an_after_that_is_not_a_step_you_may_see_is_a_422(api, charlie_case):
    # given a step in charlie's case, which alice may not see
    hidden = overdue_in(charlie_case, -3)
    for after in (hidden.pk, 987654):
        # when
        response = call(api, "GET", f"/steps/overdue?after={after}")
        # then
        assert field_errors(response) == {"after": ["Pass the next_after of the previous page."]}


def test_an_after_that_is_not_a_number_is_a_422_from_the_schema(api):
    assert "after" in schema_error_fields(call(api, "GET", "/steps/overdue?after=abc"))


# --- history: every write, who and before/after ------------------------------------------------------


@dataclass(frozen=True)
class Write:
    name: str
    method: str
    path: Callable[[Draft], str]
    payload: Callable[[Draft], dict[str, Any]] | None
    event: str
    changes: dict[str, list[Any]]  # exactly these, or (when `created`) at least these
    status: int = 200
    created: bool = False
    given: Callable[[User, Draft], Any] = field(default=lambda alice, d: None)

    def __str__(self) -> str:
        return self.name


def defer(alice: User, d: Draft) -> None:
    services.need_defer(actor=alice, plan=d.plan, need=d.drinking, reason="In a programme")


def agree_and_activate(alice: User, d: Draft) -> None:
    agree(alice, d)
    services.plan_transition(actor=alice, plan=d.plan, to="active")


def ask_the_mother(alice: User, d: Draft) -> None:
    services.agreement_record(actor=alice, plan=d.plan, member=d.mother_member, position="agrees", method="video")


WRITES = [
    Write(
        "start a plan",
        "POST",
        lambda d: f"/cases/{CaseFactory(worker=d.case.worker).pk}/plan",
        lambda d: {"permanency_goal": "adoption"},
        "plan.created",
        {"version": [None, 1], "status": [None, "draft"], "permanency_goal": [None, "adoption"]},
        status=201,
        created=True,
    ),
    Write(
        "change a plan",
        "PATCH",
        lambda d: f"/plans/{d.plan.pk}",
        lambda d: {"permanency_goal_detail": "Home with Mum by June", "alternative_goal": "kinship_care"},
        "plan.updated",
        {"permanency_goal_detail": ["", "Home with Mum by June"], "alternative_goal": ["", "kinship_care"]},
    ),
    Write(
        "agree a plan",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/transition",
        lambda d: {"to": "agreed"},
        "plan.agreed",
        {"status": ["draft", "agreed"]},
        given=ask_the_mother,
    ),
    Write(
        "revise a plan",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/revise",
        lambda d: {"note": "Dad is back"},
        "plan.revised",
        {"version": [1, 2], "note": [None, "Dad is back"]},
        status=201,
        given=agree_and_activate,
    ),
    Write(
        "add a goal",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/goals",
        lambda d: {"title": "At school every day", "target_date": str(days(90))},
        "plan.goal.added",
        {"title": [None, "At school every day"], "target_date": [None, str(days(90))], "track": [None, "main"]},
        status=201,
        created=True,
    ),
    Write(
        "change a goal",
        "PATCH",
        lambda d: f"/goals/{d.home.pk}",
        lambda d: {"title": "A safe home near the kura", "need_ids": []},
        "plan.goal.updated",
        {"title": ["A safe, stable home", "A safe home near the kura"], "needs": [["A secure home"], []]},
    ),
    Write(
        "record progress on a goal",
        "POST",
        lambda d: f"/goals/{d.home.pk}/status",
        lambda d: {"status": "in_progress"},
        "plan.goal.status",
        {"status": ["not_started", "in_progress"]},
    ),
    Write(
        "leave a need for later",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/deferrals",
        lambda d: {"need_id": d.drinking.pk, "reason": "In a programme"},
        "plan.need.deferred",
        {"need": [None, "Mum's drinking"], "reason": [None, "In a programme"]},
        status=201,
    ),
    Write(
        "take a deferral back",
        "POST",
        lambda d: f"/deferrals/{NeedDeferral.objects.get(plan=d.plan).pk}/withdraw",
        None,
        "plan.need.deferral_withdrawn",
        {"archived_at": [None, ANY]},
        given=defer,
    ),
    Write(
        "add a step",
        "POST",
        lambda d: f"/goals/{d.home.pk}/steps",
        lambda d: {"what": "See the budget advisor", "responsible": "worker", "cost": 0, "costs_money": False},
        "plan.step.added",
        {"what": [None, "See the budget advisor"], "responsible": [None, "worker"], "funder": [None, "no_cost"]},
        status=201,
        created=True,
    ),
    Write(
        "change a step",
        "PATCH",
        lambda d: f"/steps/{d.step.pk}",
        lambda d: {"due_on": str(days(12)), "timeline": "Before the end of the month"},
        "plan.step.updated",
        {"due_on": [str(days(10)), str(days(12))], "timeline": ["", "Before the end of the month"]},
    ),
    Write(
        "start a step",
        "POST",
        lambda d: f"/steps/{d.step.pk}/start",
        None,
        "plan.step.started",
        {"status": ["planned", "in_progress"]},
    ),
    Write(
        "complete a step",
        "POST",
        lambda d: f"/steps/{d.step.pk}/complete",
        lambda d: {"result": "Granted"},
        "plan.step.completed",
        {"status": ["planned", "done"], "result": ["", "Granted"], "completed_on": [None, str(TODAY)]},
    ),
    Write(
        "record a step not done",
        "POST",
        lambda d: f"/steps/{d.step.pk}/not-done",
        lambda d: {"result": "Mum was unwell"},
        "plan.step.not_done",
        {"status": ["planned", "not_done"], "result": ["", "Mum was unwell"]},
    ),
    Write(
        "cancel a step",
        "POST",
        lambda d: f"/steps/{d.step.pk}/cancel",
        lambda d: {"reason": "Nan pays the bond"},
        "plan.step.cancelled",
        {"status": ["planned", "cancelled"], "result": ["", "Nan pays the bond"]},
    ),
    Write(
        "record a team member's view",
        "POST",
        lambda d: f"/plans/{d.plan.pk}/agreements",
        lambda d: {
            "member_id": d.mother_member.pk,
            "position": "disagrees",
            "method": "phone",
            "reason": "Wants the children home sooner",
        },
        "plan.agreement.recorded",
        {
            "member": [None, "Hine Ngata"],
            "position": [None, "disagrees"],
            "method": [None, "phone"],
            "reason": [None, "Wants the children home sooner"],
        },
    ),
]


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_every_write_records_who_did_it_and_the_before_and_after_of_what_changed(api, alice, draft, write):
    # given
    write.given(alice, draft)
    path, payload = write.path(draft), write.payload(draft) if write.payload else None
    latest = AuditEvent.objects.values_list("pk", flat=True).first() or 0
    # when
    ok(call(api, write.method, path, payload), write.status)
    # then
    [event] = AuditEvent.objects.filter(pk__gt=latest, event=write.event)
    assert (event.actor, event.case_id is not None) == (alice, True)
    if write.created:
        assert write.changes.items() <= event.changes.items()
    else:
        assert event.changes == write.changes


def test_an_amount_sent_as_a_whole_number_is_the_amount_stored_and_an_unchanged_patch_records_nothing(api, draft):
    # given a step costing $960, sent as a whole number
    ok(call(api, "PATCH", f"/steps/{draft.step.pk}", {"costs_money": True, "cost": 960, "funder": "site"}))
    assert AuditEvent.objects.first().changes["cost"] == [None, "960.00"]
    before = AuditEvent.objects.count()
    # when the same amount is sent again, written either way
    for same in (960, "960.00", 960.0):
        assert ok(call(api, "PATCH", f"/steps/{draft.step.pk}", {"cost": same}))["cost"] == "960.00"
    # then nothing changed, so nothing is recorded
    assert AuditEvent.objects.count() == before

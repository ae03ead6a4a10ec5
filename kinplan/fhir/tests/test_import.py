"""The FHIR import: a Bundle becomes a draft plan through the planning services, all or nothing; every problem is
named with where it is; people the file identifies are linked when they are in the case; a round trip keeps every
field the mapping covers."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.cases.tests.factories import CaseFactory
from kinplan.fhir.importer import plan_import
from kinplan.fhir.mapping import SID, X
from kinplan.fhir.selectors import service_plan_export
from kinplan.fhir.tests.helpers import Family, family, full_plan, referral_with_consent
from kinplan.planning import services
from kinplan.planning.models import Goal, Plan, PlanTransition, Step

pytestmark = pytest.mark.django_db

# What an export carries that no import can bring back: the ids of the plan's own records, the needs of the source
# case's assessment, and the referrals' consents (each made by a user under the referral's rules).
NOT_ROUND_TRIPPED = {"Condition", "Consent"}
OWN_IDS = {f"{SID}/{kind}" for kind in ("plan", "goal", "step", "need", "consent")}


def content(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The bundle's content with its own record ids put aside: references become the entry they point to."""
    entries = [e for e in bundle["entry"] if e["resource"]["resourceType"] not in NOT_ROUND_TRIPPED]
    position = {e["fullUrl"]: f"#{i}" for i, e in enumerate(entries)}

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("system") in OWN_IDS:
                return None
            out = {k: clean(v) for k, v in node.items() if k != "addresses"}
            if "reference" in out and isinstance(out["reference"], str):
                out["reference"] = position.get(out["reference"], out["reference"])
            return {k: v for k, v in out.items() if v not in (None, [])}
        if isinstance(node, list):
            return [c for c in (clean(v) for v in node) if c is not None]
        return node

    return [clean(e["resource"]) for e in entries]


def twin_case(f: Family) -> Case:
    """Another case of the same worker about the same child, with the same people on its team."""
    twin = CaseFactory(worker=f.case.worker, child=f.child)
    for member in f.case.team_members.order_by("pk"):
        if member.person_id:
            Participant.objects.create(case=twin, person=member.person, role=Participant.Role.PARENT)
        TeamMember.objects.create(case=twin, person=member.person, user=member.user, role=member.role)
    return twin


def snapshot() -> dict[str, Any]:
    return {
        "plans": list(Plan.objects.values_list("pk", "status", "updated_at")),
        "goals": list(Goal.objects.values_list("pk", "status", "updated_at")),
        "steps": list(Step.objects.values_list("pk", "status", "updated_at")),
        "transitions": PlanTransition.objects.count(),
        "history": AuditEvent.objects.count(),
    }


@pytest.fixture
def exported(case, alice):
    f = family(case, alice)
    plan = full_plan(f, alice, steps=2)
    referral_with_consent(f, plan)
    return f, service_plan_export(case=case)


def test_a_round_trip_into_another_case_keeps_every_mapped_field(exported, alice):
    # given
    f, bundle = exported
    twin = twin_case(f)
    # when
    plan = plan_import(actor=alice, case=twin, raw=json.dumps(bundle))
    # then
    assert plan.status == Plan.Status.DRAFT and plan.case == twin
    assert content(service_plan_export(case=twin)) == content(bundle)


def test_the_import_is_audited_by_the_planning_services(exported, alice):
    # given
    f, bundle = exported
    twin = twin_case(f)
    # when
    plan_import(actor=alice, case=twin, raw=json.dumps(bundle))
    # then
    events = set(AuditEvent.objects.filter(case=twin).values_list("event", flat=True))
    assert {"plan.created", "plan.goal.added", "plan.step.added", "plan.step.completed", "plan.goal.status"} <= events


def test_people_not_in_the_case_are_kept_by_name(exported, alice):
    # given: a case with none of the family on it
    f, bundle = exported
    stranger = CaseFactory(worker=alice)
    # when
    plan = plan_import(actor=alice, case=stranger, raw=json.dumps(bundle))
    # then
    meeting = Step.objects.get(goal__plan=plan, what="Family meeting 1")
    assert meeting.responsible_person is None and meeting.responsible_name == "Hine Ngata"
    counselling = Step.objects.get(goal__plan=plan, what="Alcohol counselling")
    assert counselling.provider == f.provider and counselling.provider_service == f.offer  # the directory is shared


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    what=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300).filter(
        lambda s: s.strip() == s and s.strip()
    ),
    quantity=st.none() | st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999"), places=2),
    cost=st.none() | st.decimals(min_value=Decimal("0"), max_value=Decimal("99999999"), places=2),
    kind=st.sampled_from(Step.Kind.values),
    funder=st.sampled_from(["", *Step.Funder.values[:3]]),
    # Any text a person can type: the pages and the API refuse NUL, which PostgreSQL cannot store.
    instructions=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), max_size=50
    ).map(str.strip),
)
def test_any_step_survives_the_round_trip(alice, what, quantity, cost, kind, funder, instructions):
    # given a plan with one step of these values
    case = CaseFactory(worker=alice)
    plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "remain_home"})
    goal = services.goal_add(actor=alice, plan=plan, data={"title": "Safe at home"})
    data = {"what": what, "kind": kind, "responsible": "worker", "quantity": quantity, "unit": "hour"}
    data |= {"cost": cost, "costs_money": True if cost else None, "funder": funder, "client_instructions": instructions}
    services.step_add(actor=alice, goal=goal, data=data)
    bundle = service_plan_export(case=case)
    twin = CaseFactory(worker=alice, child=case.participants.get().person)
    # when
    plan_import(actor=alice, case=twin, raw=json.dumps(bundle))
    # then
    assert content(service_plan_export(case=twin)) == content(bundle)


def test_a_case_with_a_plan_is_refused_and_nothing_changes(exported, alice):
    # given
    f, bundle = exported
    before = snapshot()
    # when
    with pytest.raises(ValidationError) as refused:
        plan_import(actor=alice, case=f.case, raw=json.dumps(bundle))
    # then
    assert "already has a plan" in " ".join(refused.value.messages)
    assert snapshot() == before


def test_someone_who_may_not_change_the_case_is_refused(exported, alice, national_manager):
    # given
    f, bundle = exported
    twin = twin_case(f)
    # when / then
    with pytest.raises(PermissionDenied):
        plan_import(actor=national_manager, case=twin, raw=json.dumps(bundle))


def broken(bundle: dict[str, Any], index_of: str, change: Any) -> dict[str, Any]:
    bundle = copy.deepcopy(bundle)
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == index_of:
            change(entry["resource"])
            break
    return bundle


def _entry_index(bundle: dict[str, Any], kind: str) -> int:
    return next(i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == kind)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{not json", "not valid JSON (line 1, column 2)"),
        (b"\xff\xfe", "not text in UTF-8"),
        (json.dumps([1, 2]), "one FHIR Bundle"),
        (json.dumps({"resourceType": "Patient"}), "one FHIR Bundle"),
        (json.dumps({"resourceType": "Bundle", "type": "collection"}), "exactly one CarePlan; it holds 0"),
        (json.dumps({"resourceType": "Bundle", "type": "collection", "entry": "all of it"}), "entry: Input should be"),
        ('{"resourceType": "Bundle", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}", "nests too deeply"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_refused_saying_why(case, alice, raw, expected):
    # given
    before = snapshot()
    # when
    with pytest.raises(ValidationError) as refused:
        plan_import(actor=alice, case=CaseFactory(worker=alice), raw=raw)
    # then
    assert expected in " ".join(refused.value.messages)
    assert snapshot() == before


def test_every_problem_is_reported_with_where_it_is_and_nothing_is_saved(exported, alice):
    # given: a quantity that is not a number, and a goal with no words
    f, bundle = exported
    twin = twin_case(f)
    bad = broken(bundle, "ServiceRequest", lambda r: r.setdefault("quantityQuantity", {}).update(value="eight"))
    index = _entry_index(bad, "ServiceRequest")
    before = snapshot()
    # when
    with pytest.raises(ValidationError) as refused:
        plan_import(actor=alice, case=twin, raw=json.dumps(bad))
    # then
    messages = refused.value.messages
    assert any(m.startswith(f"entry[{index}] ServiceRequest quantityQuantity.value:") for m in messages), messages
    assert snapshot() == before


def test_problems_in_several_places_are_all_reported_and_nothing_is_saved(exported, alice):
    # given: a step and a goal without words
    f, bundle = exported
    twin = twin_case(f)
    bad = broken(bundle, "ServiceRequest", lambda r: r.pop("code"))
    bad = broken(bad, "Goal", lambda r: r.update(description={"text": " "}))
    before = snapshot()
    # when
    with pytest.raises(ValidationError) as refused:
        plan_import(actor=alice, case=twin, raw=json.dumps(bad))
    # then
    messages = refused.value.messages
    goal_at, step_at = _entry_index(bad, "Goal"), _entry_index(bad, "ServiceRequest")
    assert f"entry[{goal_at}] Goal description.text: A goal needs its words: what will be achieved." in messages
    assert f"entry[{step_at}] ServiceRequest code.text: A step needs its words: what exactly is done." in messages
    assert snapshot() == before


def test_a_service_rule_broken_by_a_step_is_named_and_rolls_back_the_whole_import(exported, alice):
    # given
    f, bundle = exported
    twin = twin_case(f)

    def backwards(resource: dict[str, Any]) -> None:
        resource.pop("occurrenceDateTime", None)
        resource["occurrencePeriod"] = {"start": "2027-05-01", "end": "2027-01-01"}

    bad = broken(bundle, "ServiceRequest", backwards)
    before = snapshot()
    # when
    with pytest.raises(ValidationError) as refused:
        plan_import(actor=alice, case=twin, raw=json.dumps(bad))
    # then
    where = _entry_index(bad, "ServiceRequest")
    assert f"entry[{where}] ServiceRequest occurrence: A step cannot be due before it starts." in refused.value.messages
    assert snapshot() == before


def test_an_unknown_kinplan_code_is_named(exported, alice):
    # given
    f, bundle = exported

    def unknown_goal(resource: dict[str, Any]) -> None:
        for item in resource["extension"]:
            if item["url"] == X["permanency-goal"]:
                item["valueCode"] = "moon"

    bad = broken(bundle, "CarePlan", unknown_goal)
    # when
    with pytest.raises(ValidationError) as refused:
        plan_import(actor=alice, case=twin_case(f), raw=json.dumps(bad))
    # then
    assert any("extension permanency-goal: 'moon' is not one of" in m for m in refused.value.messages)


def test_a_date_without_its_day_is_named(exported, alice):
    # given: a year alone is a valid FHIR date, but not a day a step is due
    f, bundle = exported

    def a_year(resource: dict[str, Any]) -> None:
        resource.pop("occurrencePeriod", None)
        resource["occurrenceDateTime"] = "2027"

    bad = broken(bundle, "ServiceRequest", a_year)
    # when
    with pytest.raises(ValidationError) as refused:
        plan_import(actor=alice, case=twin_case(f), raw=json.dumps(bad))
    # then
    where = _entry_index(bad, "ServiceRequest")
    expected = f"entry[{where}] ServiceRequest occurrenceDateTime: Give a full date (year, month and day), not '2027'."
    assert expected in refused.value.messages

"""The FHIR export: every Bundle is valid FHIR R4, each mapped field lands where docs/fhir.md says, nothing withheld
leaves Kinplan, a re-export is identical, and the export's query count does not grow with the plan."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle

from kinplan.fhir.mapping import CS, PERTAINS_TO_GOAL, SERVICE_TYPE, SID, X, urn
from kinplan.fhir.selectors import service_plan_export, support_plan_export
from kinplan.fhir.tests.helpers import days, family, full_plan, referral_with_consent
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.tests.factories import Staff, arrangement_at, build_plan, family_for_permanent_care
from kinplan.planning.models import Goal, Step

pytestmark = pytest.mark.django_db


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def extension(resource: dict[str, Any], name: str) -> Any:
    values = [x for x in resource.get("extension", []) if x["url"] == X.get(name, name)]
    return next((v for k, v in values[0].items() if k.startswith("value")), None) if values else None


def by_identifier(bundle: dict[str, Any], kind: str, pk: int) -> dict[str, Any]:
    return next(
        e["resource"]
        for e in bundle["entry"]
        if {"system": f"{SID}/{kind}", "value": str(pk)} in e["resource"].get("identifier", [])
    )


@pytest.fixture
def plan_export(case, alice):
    f = family(case, alice)
    plan = full_plan(f, alice)
    consent = referral_with_consent(f, plan)
    return f, plan, consent, service_plan_export(case=case)


def test_the_service_plan_bundle_is_valid_fhir_r4_and_a_collection(plan_export):
    # given / when
    *_, bundle = plan_export
    # then
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    assert bundle["entry"][1]["resource"]["resourceType"] == "CarePlan"
    assert len({e["fullUrl"] for e in bundle["entry"]}) == len(bundle["entry"])
    assert all(e["fullUrl"].startswith("urn:uuid:") for e in bundle["entry"])


def test_the_care_plan_carries_the_plan_its_team_goals_and_steps(plan_export):
    # given
    f, plan, _, bundle = plan_export
    # when
    care_plan = resources(bundle, "CarePlan")[0]
    # then
    assert care_plan["status"] == "draft" and care_plan["intent"] == "plan"
    assert care_plan["category"][0]["coding"][0]["code"] == "service-plan"
    assert care_plan["period"] == {"start": plan.starts_on.isoformat(), "end": plan.ends_on.isoformat()}
    assert care_plan["subject"]["reference"] == urn("person", f.child.pk)
    assert care_plan["author"]["reference"] == urn("user", plan.created_by_id)
    assert extension(care_plan, "permanency-goal") == "reunification"
    assert extension(care_plan, "alternative-goal") == "kinship_care"
    assert extension(care_plan, "alternative-goal-detail") == "With Nan if Mum cannot."
    assert extension(care_plan, "next-review") == plan.next_review_on.isoformat()
    assert [g["reference"] for g in care_plan["goal"]] == [urn("goal", g.pk) for g in plan.goals.order_by("position")]
    assert len(care_plan["activity"]) == Step.objects.filter(goal__plan=plan).count()
    assert care_plan["careTeam"][0]["reference"] in {e["fullUrl"] for e in bundle["entry"]}


def test_goals_carry_status_targets_track_and_their_long_term_goal(plan_export):
    # given
    _, plan, _, bundle = plan_export
    home = plan.goals.get(title="Aroha lives safely with Mum")
    sober = plan.goals.get(title="Mum completes treatment")
    # when
    long_term, intermediate = by_identifier(bundle, "goal", home.pk), by_identifier(bundle, "goal", sober.pk)
    # then
    assert long_term["lifecycleStatus"] == "planned" and "achievementStatus" not in long_term
    assert long_term["target"] == [{"dueDate": home.target_date.isoformat()}]
    assert long_term["note"] == [{"text": "Mum sober 6 months."}]
    assert {"system": f"{CS}/goal-level", "code": "long-term"} in [c["coding"][0] for c in long_term["category"]]
    assert intermediate["lifecycleStatus"] == "active"
    assert intermediate["achievementStatus"]["coding"][0]["code"] == "in-progress"
    assert extension(intermediate, "long-term-goal") == {"reference": urn("goal", home.pk)}
    alternative = by_identifier(bundle, "goal", plan.goals.get(track=Goal.Track.ALTERNATIVE).pk)
    assert {"system": f"{CS}/goal-track", "code": "alternative"} in [c["coding"][0] for c in alternative["category"]]


def test_a_service_step_is_a_service_request_with_code_quantity_timing_performer_instructions_and_cost(plan_export):
    # given
    f, plan, _, bundle = plan_export
    step = Step.objects.get(goal__plan=plan, what="Alcohol counselling")
    # when
    request = by_identifier(bundle, "step", step.pk)
    # then
    assert request["status"] == "active" and request["intent"] == "plan"
    assert request["code"]["coding"][0] == {
        "system": SERVICE_TYPE,
        "code": f.offer.service_type.code,
        "display": f.offer.service_type.name,
    }
    assert request["code"]["text"] == "Alcohol counselling"
    assert request["quantityQuantity"] == {"value": 8, "unit": "session"}
    assert request["occurrencePeriod"] == {"start": days(5).isoformat(), "end": days(100).isoformat()}
    assert request["performer"] == [{"reference": urn("provider", f.provider.pk)}]
    assert request["performerType"]["coding"][0]["code"] == "provider"
    assert request["patientInstruction"] == "Bring your referral letter."
    assert extension(request, "cost") == {"value": 960.5, "currency": "NZD"}
    assert extension(request, "costs-money") is True
    assert extension(request, "funder") == "site"
    assert extension(request, "step-status") == "in_progress"
    assert extension(request, "timeline") == "Weekly on Tuesdays"
    assert extension(request, "worker-help") == "Drives Mum to the first session."
    assert extension(request, PERTAINS_TO_GOAL) == {"reference": urn("goal", step.goal_id)}


def test_steps_name_people_users_and_free_text_performers_and_their_results(plan_export):
    # given
    f, plan, _, bundle = plan_export
    steps = {s.what: s for s in Step.objects.filter(goal__plan=plan)}
    # when
    meeting = by_identifier(bundle, "step", steps["Family meeting 1"].pk)
    visit = by_identifier(bundle, "step", steps["Visit Nan's home"].pk)
    form = by_identifier(bundle, "step", steps["Respite form"].pk)
    # then
    assert meeting["performer"] == [{"reference": urn("person", f.mother.pk)}]
    assert meeting["occurrenceDateTime"] == days(20).isoformat()
    assert meeting["code"]["coding"][0]["code"] == "appointment"
    assert visit["performer"] == [{"reference": urn("user", plan.created_by_id)}]
    assert visit["status"] == "completed" and extension(visit, "result") == "Home is warm and safe."
    assert extension(visit, "completed-on") == days(-1).isoformat()
    assert form["performer"] == [{"display": "Aunty Rawiri"}]
    assert form["status"] == "revoked" and extension(form, "step-status") == "cancelled"


def test_the_care_team_holds_related_people_practitioners_and_providers_with_their_roles(plan_export):
    # given
    f, plan, _, bundle = plan_export
    # when
    team = resources(bundle, "CareTeam")[0]
    roles = {p["member"]["reference"]: p["role"][0]["coding"][0]["code"] for p in team["participant"]}
    # then
    assert roles == {
        urn("person", f.mother.pk): "parent",
        urn("person", f.nan.pk): "caregiver",
        urn("user", plan.created_by_id): "social_worker",
        urn("provider", f.provider.pk): "provider",
    }
    mother = by_identifier(bundle, "person", f.mother.pk)
    assert mother["resourceType"] == "RelatedPerson"
    assert mother["patient"]["reference"] == urn("person", f.child.pk)
    assert by_identifier(bundle, "user", plan.created_by_id)["resourceType"] == "Practitioner"
    assert by_identifier(bundle, "provider", f.provider.pk)["resourceType"] == "Organization"


def test_a_referral_with_consent_is_a_consent_resource(plan_export):
    # given
    f, _, consent, bundle = plan_export
    # when
    exported = by_identifier(bundle, "consent", consent.pk)
    # then
    assert exported["resourceType"] == "Consent" and exported["status"] == "active"
    assert exported["performer"] == [{"reference": urn("person", f.mother.pk)}]
    assert exported["provision"]["period"] == {
        "start": consent.given_on.isoformat(),
        "end": consent.expires_on.isoformat(),
    }
    assert exported["provision"]["actor"][0]["reference"] == {"reference": urn("provider", f.provider.pk)}
    assert exported["provision"]["data"][0]["reference"] == {"reference": urn("step", consent.referral.step_id)}
    assert extension(exported, "consent-shares") == "Name and phone only."


def test_a_withheld_address_never_leaves_kinplan_but_an_open_one_does(plan_export):
    # given
    f, *_, bundle = plan_export
    # when
    text = json.dumps(bundle, ensure_ascii=False)
    # then
    assert "Secret Lane" not in text
    assert by_identifier(bundle, "person", f.nan.pk)["address"] == [{"text": "12 Kōwhai Street, Porirua"}]


def test_exporting_twice_gives_the_same_bundle(plan_export):
    # given
    f, *_, bundle = plan_export
    # when
    again = service_plan_export(case=f.case)
    # then
    assert again == bundle


def test_an_earlier_version_is_exported_on_request(case, alice):
    # given
    f = family(case, alice)
    plan = full_plan(f, alice, steps=0)
    # when
    bundle = service_plan_export(case=case, version=plan.version)
    # then
    assert bundle["identifier"] == {"system": f"{SID}/plan", "value": str(plan.pk)}


@pytest.mark.parametrize("steps", [1, 12])
def test_the_exports_query_count_does_not_grow_with_the_number_of_steps(case, alice, steps):
    # given
    f = family(case, alice)
    plan = full_plan(f, alice, steps=steps)
    referral_with_consent(f, plan)
    # when
    with CaptureQueriesContext(connection) as queries:
        service_plan_export(case=case)
    # then
    assert len(queries) == 12


def test_the_permanent_care_support_plan_is_a_valid_bundle_with_objectives_and_supports(
    alice, supervisor, site_manager
):
    # given
    staff = _staff(alice, supervisor, site_manager)
    fam = family_for_permanent_care(alice)
    a = build_plan(arrangement_at(SupportArrangement.Status.PLANNING, fam, staff), fam, staff)
    # when
    bundle = support_plan_export(case=fam.case, arrangement_id=a.pk)
    # then
    Bundle.model_validate(bundle)
    care_plan = resources(bundle, "CarePlan")[0]
    assert care_plan["category"][0]["coding"][0]["code"] == "permanent-care-support-plan"
    assert care_plan["status"] == "draft" and extension(care_plan, "arrangement-status") == "planning"
    assert care_plan["subject"]["reference"] == urn("person", fam.child.pk)
    assert [g["description"]["text"] for g in resources(bundle, "Goal")] == ["Aroha feels safe and settled"]
    counselling, visits = resources(bundle, "ServiceRequest")
    assert counselling["performer"] == [{"reference": urn("provider", fam.provider.pk)}]
    assert extension(counselling, "cost") == {"value": 1200, "currency": "NZD"}
    assert extension(counselling, "funder") == "support_service"
    assert visits["performer"] == [{"display": "Rawiri Ngata (uncle)"}]
    assert visits["quantityQuantity"] == {"value": 12, "unit": "visit"}
    roles = {p["role"][0]["coding"][0]["code"] for p in resources(bundle, "CareTeam")[0]["participant"]}
    assert {"caregiver", "support_service", "support_caseworker", "social_worker"} <= roles


def _staff(worker, supervisor, site_manager) -> Staff:
    from kinplan.accounts.models import Organisation, User
    from kinplan.accounts.tests.factories import OrganisationFactory, UserFactory

    service = OrganisationFactory(name="PCSS", kind=Organisation.Kind.SUPPORT_SERVICE)
    support = {"team": None, "site": None, "organisation": service}
    return Staff(
        worker=worker,
        supervisor=supervisor,
        site_manager=site_manager,
        caseworker=UserFactory(username="pita", role=User.Role.SUPPORT_CASEWORKER, **support),
        support_manager=UserFactory(username="ruth", role=User.Role.SUPPORT_MANAGER, **support),
        national_manager=UserFactory(username="helen", role=User.Role.NATIONAL_MANAGER, team=None, site=None),
        support_service=service,
    )

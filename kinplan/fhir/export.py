"""Plans as FHIR R4 Bundles: pure mapping from loaded records to a Bundle dict (docs/fhir.md has the table).

Nothing here reads the database beyond what the caller loaded (selectors.py loads it in a fixed number of queries),
and nothing here decides who may see what: the caller passes only what the user may see. A withheld address is
never written, whoever exports: the file leaves Kinplan's access rules behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle

from kinplan.accounts.models import Organisation, User
from kinplan.cases.models import Person, TeamMember
from kinplan.fhir.mapping import (
    ACHIEVEMENT,
    ARRANGEMENT_STATUS,
    CS,
    CURRENCY,
    GENDER,
    GOAL_STATUS,
    PERTAINS_TO_GOAL,
    PLAN_STATUS,
    SERVICE_TYPE,
    SID,
    STEP_STATUS,
    X,
    urn,
)
from kinplan.permanent_care.models import Objective, SupportArrangement, SupportItem
from kinplan.planning.models import Goal, Plan, Step
from kinplan.providers.models import Provider, ProviderService
from kinplan.referrals.models import Referral

Resource = dict[str, Any]


# --- small builders ------------------------------------------------------------------------------------


def ext(name: str, kind: str, value: Any) -> list[Resource]:
    """One Kinplan extension, or none for an empty value (FHIR has no empty elements)."""
    if value in (None, ""):
        return []
    return [{"url": X[name], f"value{kind}": value}]


def coding(system: str, code: str, display: str = "") -> Resource:
    return {"system": system, "code": code} | ({"display": display} if display else {})


def concept(system: str, code: str, display: str = "", text: str = "") -> Resource:
    return {"coding": [coding(system, code, display)]} | ({"text": text} if text else {})


def identifier(kind: str, pk: object) -> list[Resource]:
    return [{"system": f"{SID}/{kind}", "value": str(pk)}]


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def number(value: Decimal) -> float | int:
    """A decimal as JSON writes it: 8 for 8.00, 12.5 for 12.50 (fhir.resources reads either)."""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral() else float(normal)


def pruned(resource: Resource) -> Resource:
    """Without the elements left empty (None, '', [], {})."""
    return {key: value for key, value in resource.items() if value not in (None, "", [], {})}


def person_name(person: Person) -> list[Resource]:
    name = pruned({"family": person.family_name, "given": [person.given_name], "text": person.full_name})
    return [name]


def user_name(user: User) -> str:
    return user.get_full_name() or user.username


@dataclass
class Entries:
    """The Bundle being built: each record once, in the order first met, under its stable fullUrl."""

    resources: dict[str, Resource] = field(default_factory=dict)

    def add(self, url: str, resource: Resource) -> str:
        self.resources.setdefault(url, pruned(resource))
        return url

    def patient(self, person: Person) -> str:
        return self.add(urn("person", person.pk), {"resourceType": "Patient", **_person_fields(person)})

    def related(self, person: Person, patient: str, role: str = "") -> str:
        relationship = [concept(f"{CS}/team-role", role)] if role else []
        fields = {"patient": {"reference": patient}, "relationship": relationship, **_person_fields(person)}
        return self.add(urn("person", person.pk), {"resourceType": "RelatedPerson", **fields})

    def person(self, person: Person, patient: str, child_ids: set[int], role: str = "") -> str:
        """A child of the case as a Patient; anyone else as a RelatedPerson of the plan's child."""
        return self.patient(person) if person.pk in child_ids else self.related(person, patient, role)

    def practitioner(self, user: User) -> str:
        fields = {"identifier": identifier("user", user.pk), "name": [{"text": user_name(user)}], "active": True}
        return self.add(urn("user", user.pk), {"resourceType": "Practitioner", **fields})

    def provider(self, provider: Provider) -> str:
        fields = {
            "identifier": identifier("provider", provider.pk),
            "name": provider.name,
            "type": [concept(f"{CS}/provider-kind", provider.kind, provider.get_kind_display())],
            "active": provider.is_active,
        }
        return self.add(urn("provider", provider.pk), {"resourceType": "Organization", **fields})

    def organisation(self, organisation: Organisation) -> str:
        fields = {"identifier": identifier("organisation", organisation.pk), "name": organisation.name}
        return self.add(urn("organisation", organisation.pk), {"resourceType": "Organization", **fields})

    def bundle(self, kind: str, pk: object) -> Resource:
        entries = [{"fullUrl": url, "resource": resource} for url, resource in self.resources.items()]
        data = {"resourceType": "Bundle", "identifier": identifier(kind, pk)[0], "type": "collection"}
        return validated(data | {"entry": entries})


def _person_fields(person: Person) -> Resource:
    address = [{"text": person.address}] if person.address and not person.address_is_confidential else []
    return {
        "identifier": identifier("person", person.pk),
        "name": person_name(person),
        "gender": GENDER.get(person.gender, "unknown"),
        "birthDate": day(person.date_of_birth),
        "address": address,
    }


def validated(bundle: Resource) -> Resource:
    """The bundle, after fhir.resources has checked it against FHIR R4 (R4B models): a mapping bug fails loudly."""
    Bundle.model_validate(bundle)
    return bundle


def money(value: Decimal | None) -> Resource | None:
    return {"value": number(value), "currency": CURRENCY} if value is not None else None


def occurrence(starts_on: datetime.date | None, due_on: datetime.date | None) -> Resource:
    if starts_on:
        return {"occurrencePeriod": pruned({"start": day(starts_on), "end": day(due_on)})}
    return {"occurrenceDateTime": day(due_on)} if due_on else {}


def service_code(offer: ProviderService | None, system: str, kind: str, label: str, what: str) -> Resource:
    """The service type's code when a directory service is chosen, else the step's kind; `what` as its text."""
    if offer is not None:
        return concept(SERVICE_TYPE, offer.service_type.code, offer.service_type.name, what)
    return concept(system, kind, label, what)


def quantity(value: Decimal | None, unit: str) -> Resource:
    if value is None:
        return {}
    return {"quantityQuantity": pruned({"value": number(value), "unit": unit})}


# --- the service plan ----------------------------------------------------------------------------------


@dataclass
class CaseTeam:
    """Who the plan is about and who plans it: the case's children (the first is the plan's subject) and its
    Child and Family Team."""

    children: list[Person]
    members: list[TeamMember]

    @property
    def child_ids(self) -> set[int]:
        return {child.pk for child in self.children}


def _care_team(entries: Entries, team: CaseTeam, patient: str, key: str, extra: Iterable[Resource] = ()) -> str:
    participants = []
    for member in team.members:
        if member.person_id:
            who = entries.person(member.person, patient, team.child_ids, member.role)
        else:
            who = entries.practitioner(member.user)
        role = [concept(f"{CS}/team-role", member.role, member.get_role_display())]
        participants.append({"role": role, "member": {"reference": who}})
    participants += list(extra)
    fields = {"status": "active", "subject": {"reference": patient}, "participant": participants}
    return entries.add(urn("careteam", key), {"resourceType": "CareTeam", **fields})


def _needs(entries: Entries, goals: Iterable[Goal], patient: str) -> dict[int, str]:
    urls = {}
    for goal in goals:
        for need in goal.needs.all():
            fields = {
                "identifier": identifier("need", need.pk),
                "category": [concept(f"{CS}/condition-category", "need", "Need")],
                "code": {"text": need.title},
                "note": [{"text": need.detail}] if need.detail else [],
                "subject": {"reference": patient},
            }
            urls[need.pk] = entries.add(urn("need", need.pk), {"resourceType": "Condition", **fields})
    return urls


def _goal(goal: Goal, patient: str, needs: dict[int, str]) -> Resource:
    lifecycle, achievement = GOAL_STATUS[goal.status]
    level = "intermediate" if goal.parent_id else "long-term"
    parent = {"reference": urn("goal", goal.parent_id)} if goal.parent_id else None
    return {
        "resourceType": "Goal",
        "identifier": identifier("goal", goal.pk),
        "extension": ext("long-term-goal", "Reference", parent),
        "lifecycleStatus": lifecycle,
        "achievementStatus": concept(ACHIEVEMENT, achievement) if achievement else None,
        "category": [concept(f"{CS}/goal-level", level), concept(f"{CS}/goal-track", goal.track)],
        "description": {"text": goal.title},
        "subject": {"reference": patient},
        "target": [{"dueDate": day(goal.target_date)}] if goal.target_date else [],
        "addresses": [{"reference": needs[n.pk]} for n in goal.needs.all()],
        "note": [{"text": goal.description}] if goal.description else [],
    }


def _performer(entries: Entries, step: Step, patient: str, child_ids: set[int]) -> list[Resource]:
    performers = []
    if step.responsible_person_id:
        performers.append({"reference": entries.person(step.responsible_person, patient, child_ids)})
    if step.responsible_user_id:
        performers.append({"reference": entries.practitioner(step.responsible_user)})
    if step.provider_id:
        performers.append({"reference": entries.provider(step.provider)})
    if step.responsible_name:
        performers.append({"display": step.responsible_name})
    return performers


def _step(entries: Entries, step: Step, patient: str, child_ids: set[int]) -> Resource:
    offer = step.provider_service
    extensions = [
        *ext("step-status", "Code", step.status),
        *ext("details", "String", step.details),
        *ext("timeline", "String", step.timeline),
        *ext("frequency", "String", step.frequency),
        *ext("costs-money", "Boolean", step.costs_money),
        *ext("cost", "Money", money(step.cost)),
        *ext("funder", "Code", step.funder),
        *ext("worker-helps", "Boolean", step.worker_helps or None),
        *ext("worker-help", "String", step.worker_help),
        *ext("result", "String", step.result),
        *ext("completed-on", "Date", day(step.completed_on)),
        *ext("provider-service", "Identifier", identifier("provider-service", offer.pk)[0] if offer else None),
        {"url": PERTAINS_TO_GOAL, "valueReference": {"reference": urn("goal", step.goal_id)}},
    ]
    return {
        "resourceType": "ServiceRequest",
        "identifier": identifier("step", step.pk),
        "extension": extensions,
        "status": STEP_STATUS[step.status],
        "intent": "plan",
        "category": [concept(f"{CS}/step-kind", step.kind, step.get_kind_display())],
        "code": service_code(offer, f"{CS}/step-kind", step.kind, step.get_kind_display(), step.what),
        **quantity(step.quantity, step.unit),
        "subject": {"reference": patient},
        **occurrence(step.starts_on, step.due_on),
        "performerType": concept(f"{CS}/step-responsible", step.responsible, step.get_responsible_display()),
        "performer": _performer(entries, step, patient, child_ids),
        "patientInstruction": step.client_instructions,
    }


def _consent(entries: Entries, referral: Referral, patient: str, child_ids: set[int], today: datetime.date) -> None:
    consent = next(iter(referral.current_consents), None)  # type: ignore[attr-defined]
    if consent is None:
        return
    provision = {
        "type": "permit",
        "period": {"start": day(consent.given_on), "end": day(consent.expires_on)},
        "actor": [
            {
                "role": concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                "reference": {"reference": entries.provider(referral.provider)},
            }
        ],
        "data": [{"meaning": "related", "reference": {"reference": urn("step", referral.step_id)}}],
    }
    fields = {
        "identifier": identifier("consent", consent.pk),
        "extension": [*ext("consent-shares", "String", consent.shares), *ext("consent-method", "Code", consent.method)],
        "status": "active" if consent.covers(today) else "inactive",
        "scope": concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
        "category": [concept("http://loinc.org", "59284-0", "Patient Consent")],
        "patient": {"reference": patient},
        "dateTime": f"{day(consent.given_on)}T00:00:00Z",
        "performer": [{"reference": entries.person(consent.given_by, patient, child_ids)}],
        "provision": provision,
    }
    entries.add(urn("consent", consent.pk), {"resourceType": "Consent", **fields})


def service_plan_bundle(*, plan: Plan, team: CaseTeam, referrals: Iterable[Referral], today: datetime.date) -> Resource:
    """The service plan (one version) as a collection Bundle: CarePlan, Goals, ServiceRequests, CareTeam, the
    people, providers, needs and the referrals' consents."""
    entries = Entries()
    if not team.children:
        raise ValidationError(_("Add the child to the case first: a FHIR care plan is about one child."))
    patient = entries.patient(team.children[0])
    care_plan_url = urn("plan", plan.pk)
    entries.add(care_plan_url, {})  # the CarePlan first: readers find the plan at entry[0]
    goals = list(plan.goals.all())
    steps = [step for goal in goals for step in goal.steps.all()]
    for step in steps:
        if step.provider_id:
            entries.provider(step.provider)
    providers = [p for pk in dict.fromkeys(s.provider_id for s in steps if s.provider_id) for p in _member(pk)]
    care_team = _care_team(entries, team, patient, f"plan/{plan.pk}", providers)
    needs = _needs(entries, goals, patient)
    for goal in goals:
        entries.add(urn("goal", goal.pk), _goal(goal, patient, needs))
    for step in steps:
        entries.add(urn("step", step.pk), _step(entries, step, patient, team.child_ids))
    for referral in referrals:
        _consent(entries, referral, patient, team.child_ids, today)
    if plan.created_by_id:
        entries.practitioner(plan.created_by)
    entries.resources[care_plan_url] = pruned(_care_plan(plan, patient, care_team, goals, steps, needs))
    return entries.bundle("plan", plan.pk)


def _member(provider_pk: int) -> list[Resource]:
    return [{"role": [concept(f"{CS}/team-role", "provider")], "member": {"reference": urn("provider", provider_pk)}}]


def _care_plan(
    plan: Plan, patient: str, care_team: str, goals: list[Goal], steps: list[Step], needs: dict[int, str]
) -> Resource:
    extensions = [
        *ext("plan-status", "Code", plan.status),
        *ext("permanency-goal", "Code", plan.permanency_goal),
        *ext("permanency-goal-detail", "String", plan.permanency_goal_detail),
        *ext("alternative-goal", "Code", plan.alternative_goal),
        *ext("alternative-goal-detail", "String", plan.alternative_goal_detail),
        *ext("next-review", "Date", day(plan.next_review_on)),
    ]
    return {
        "resourceType": "CarePlan",
        "identifier": identifier("plan", plan.pk),
        "extension": extensions,
        "status": PLAN_STATUS[plan.status],
        "intent": "plan",
        "category": [concept(f"{CS}/care-plan-category", "service-plan", "Service plan")],
        "title": f"{plan.get_permanency_goal_display()} (v{plan.version})",
        "subject": {"reference": patient},
        "period": pruned({"start": day(plan.starts_on), "end": day(plan.ends_on)}),
        "author": {"reference": urn("user", plan.created_by_id)} if plan.created_by_id else None,
        "careTeam": [{"reference": care_team}],
        "addresses": [{"reference": url} for url in needs.values()],
        "goal": [{"reference": urn("goal", goal.pk)} for goal in goals],
        "activity": [{"reference": {"reference": urn("step", step.pk)}} for step in steps],
    }


# --- the permanent care support plan --------------------------------------------------------------------


def _item(entries: Entries, item: SupportItem, patient: str) -> Resource:
    offer = item.provider_service
    performer = [{"reference": entries.provider(item.provider)}] if item.provider_id else []
    performer += [{"display": item.provider_name}] if item.provider_name else []
    extensions = [
        *ext("timeline", "String", item.timeline),
        *ext("costs-money", "Boolean", item.costs_money),
        *ext("cost", "Money", money(item.cost)),
        *ext("funder", "Code", item.funder),
        *ext("started-before-discharge", "Boolean", item.started_before_discharge or None),
        *ext("provider-service", "Identifier", identifier("provider-service", offer.pk)[0] if offer else None),
        {"url": PERTAINS_TO_GOAL, "valueReference": {"reference": urn("objective", item.objective_id)}},
    ]
    return {
        "resourceType": "ServiceRequest",
        "identifier": identifier("support-item", item.pk),
        "extension": extensions,
        "status": "active",
        "intent": "plan",
        "category": [concept(f"{CS}/support-kind", item.kind, item.get_kind_display())],
        "code": service_code(offer, f"{CS}/support-kind", item.kind, item.get_kind_display(), item.what),
        **quantity(item.quantity, item.unit),
        "subject": {"reference": patient},
        **occurrence(item.starts_on, item.due_on),
        "performer": performer,
        "patientInstruction": item.caregiver_instructions,
    }


def _objective(objective: Objective, a: SupportArrangement, patient: str, need: str) -> Resource:
    return {
        "resourceType": "Goal",
        "identifier": identifier("objective", objective.pk),
        "lifecycleStatus": "active" if a.status in (a.Status.SENT, a.Status.IN_PLACE) else "proposed",
        "category": [concept(f"{CS}/goal-level", "long-term")],
        "description": {"text": objective.title},
        "subject": {"reference": patient},
        "target": [{"dueDate": day(a.ends_on)}] if a.ends_on else [],
        "addresses": [{"reference": need}],
        "note": [{"text": objective.description}] if objective.description else [],
    }


def support_plan_bundle(*, arrangement: SupportArrangement, team: CaseTeam, objectives: list[Objective]) -> Resource:
    """The permanent care support plan as a collection Bundle: CarePlan, one Goal per objective (and the need it
    answers), one ServiceRequest per support, the CareTeam with the caregiver and the support service."""
    a, entries = arrangement, Entries()
    patient = entries.patient(a.child)
    plan_url = entries.add(urn("arrangement", a.pk), {})
    caregiver = entries.related(a.caregiver, patient, "caregiver")
    extra = [{"role": [concept(f"{CS}/team-role", "caregiver")], "member": {"reference": caregiver}}]
    extra.append(
        {
            "role": [concept(f"{CS}/team-role", "support_service")],
            "member": {"reference": entries.organisation(a.support_service)},
        }
    )
    if a.caseworker_id:
        role = [concept(f"{CS}/team-role", "support_caseworker")]
        extra.append({"role": role, "member": {"reference": entries.practitioner(a.caseworker)}})
    care_team = _care_team(entries, team, patient, f"arrangement/{a.pk}", extra)
    needs, goals, items = [], [], []
    for objective in objectives:
        need = {"resourceType": "Condition", "code": {"text": objective.need.title}, "subject": {"reference": patient}}
        need |= {"identifier": identifier("need", objective.need_id)}
        needs.append(entries.add(urn("need", objective.need_id), need))
        goals.append(entries.add(urn("objective", objective.pk), _objective(objective, a, patient, needs[-1])))
        for item in objective.live_items:  # type: ignore[attr-defined]
            items.append(entries.add(urn("support-item", item.pk), _item(entries, item, patient)))
    care_plan = {
        "resourceType": "CarePlan",
        "identifier": identifier("arrangement", a.pk),
        "extension": [
            *ext("arrangement-status", "Code", a.status),
            *ext("next-review", "Date", day(a.review_on)),
            *ext("reviewer", "Reference", {"reference": entries.practitioner(a.reviewer)} if a.reviewer_id else None),
        ],
        "status": ARRANGEMENT_STATUS[a.status],
        "intent": "plan",
        "category": [concept(f"{CS}/care-plan-category", "permanent-care-support-plan", "Permanent care support plan")],
        "subject": {"reference": patient},
        "period": pruned({"start": day(a.starts_on), "end": day(a.ends_on)}),
        "author": {"reference": entries.practitioner(a.created_by)},
        "careTeam": [{"reference": care_team}],
        "addresses": [{"reference": url} for url in dict.fromkeys(needs)],
        "goal": [{"reference": url} for url in goals],
        "activity": [{"reference": {"reference": url}} for url in items],
    }
    entries.resources[plan_url] = pruned(care_plan)
    return entries.bundle("arrangement", a.pk)

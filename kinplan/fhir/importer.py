"""A FHIR Bundle holding a service plan (as export.py writes it) made into a draft plan on a case.

Three passes: the file is read and checked against FHIR R4 (fhir.resources); the plan, goals and steps are read out
of it, every problem named with where it is ("entry[3] ServiceRequest: …"); then the draft is made through the
planning services (each change audited by them) in one transaction. Any problem, in any pass, leaves the database as
it was and is reported with all the others as one ValidationError.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Participant
from kinplan.cases.permissions import can_edit_case, staff_for_case
from kinplan.core.api import unstorable_fields
from kinplan.core.errors import ensure
from kinplan.fhir.mapping import CS, CURRENCY, GOAL_STATUS_BACK, PERTAINS_TO_GOAL, SID, X
from kinplan.planning import services
from kinplan.planning.models import Goal, PermanencyGoal, Plan, Step
from kinplan.providers.models import Provider, ProviderService

Resource = dict[str, Any]
LARGEST_FILE = 5 * 1024 * 1024

# How a Kinplan field is named in the file, for a service's message about it.
ELEMENT = {
    "what": "code.text",
    "kind": "category",
    "responsible": "performerType",
    "responsible_person": "performer",
    "responsible_user": "performer",
    "responsible_name": "performer",
    "provider": "performer",
    "provider_service": "extension provider-service",
    "starts_on": "occurrencePeriod.start",
    "due_on": "occurrence",
    "quantity": "quantityQuantity.value",
    "unit": "quantityQuantity.unit",
    "cost": "extension cost",
    "costs_money": "extension costs-money",
    "funder": "extension funder",
    "timeline": "extension timeline",
    "frequency": "extension frequency",
    "details": "extension details",
    "client_instructions": "patientInstruction",
    "worker_help": "extension worker-help",
    "result": "extension result",
    "completed_on": "extension completed-on",
    "title": "description.text",
    "description": "note",
    "target_date": "target.dueDate",
    "track": "category",
    "parent": "extension long-term-goal",
}
PLAN_ELEMENT = {
    "permanency_goal": "extension permanency-goal",
    "permanency_goal_detail": "extension permanency-goal-detail",
    "alternative_goal": "extension alternative-goal",
    "alternative_goal_detail": "extension alternative-goal-detail",
    "starts_on": "period.start",
    "ends_on": "period.end",
    "next_review_on": "extension next-review",
}
LIFECYCLE = {
    "proposed": Goal.Status.NOT_STARTED,
    "planned": Goal.Status.NOT_STARTED,
    "accepted": Goal.Status.NOT_STARTED,
    "active": Goal.Status.IN_PROGRESS,
    "on-hold": Goal.Status.IN_PROGRESS,
    "completed": Goal.Status.ACHIEVED,
    "cancelled": Goal.Status.DISCONTINUED,
    "rejected": Goal.Status.DISCONTINUED,
}
REQUEST_STATUS = {"completed": Step.Status.DONE, "revoked": Step.Status.CANCELLED}


# --- reading the file ------------------------------------------------------------------------------------


@dataclass
class Problems:
    messages: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.messages.append(_("%(where)s: %(message)s") % {"where": where, "message": message} if where else message)

    def from_error(self, where: str, error: ValidationError, elements: dict[str, str] = ELEMENT) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                element = elements.get(name, name) if name != "__all__" else ""
                for message in (m for e in errors for m in e.messages):
                    self.add(f"{where} {element}".strip(), message)
        else:
            for message in error.messages:
                self.add(where, message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def read_bundle(raw: bytes | str) -> Resource:
    """The file as a Bundle that FHIR R4 accepts, or a ValidationError listing every problem and where it is."""
    if len(raw) > LARGEST_FILE:
        raise ValidationError(
            _("The file is larger than 5 MB; a care plan is much smaller. Check it is the right file.")
        )
    try:
        data = json.loads(raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw)
    except RecursionError:
        raise ValidationError(_("The file nests too deeply to be a care plan.")) from None
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not text in UTF-8: save it as JSON (UTF-8) and try again.")) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The file is not valid JSON (line %(line)s, column %(column)s): %(message)s")
            % {"line": error.lineno, "column": error.colno, "message": error.msg}
        ) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise ValidationError(_("The file must hold one FHIR Bundle: a JSON object whose resourceType is 'Bundle'."))
    problems = Problems()
    for where, messages in unstorable_fields(data).items():
        for message in messages:
            problems.add(where, message)
    problems.raise_if_any()
    try:
        Bundle.model_validate(data)
    except RecursionError:
        raise ValidationError(_("The file nests too deeply to be a care plan.")) from None
    except pydantic.ValidationError as error:
        for detail in error.errors():
            problems.add(_where(data, detail["loc"]), detail["msg"])
    problems.raise_if_any()
    return data


def _where(data: Resource, loc: tuple[Any, ...]) -> str:
    """`('entry', 3, 'resource', 'quantityQuantity', 'value')` as 'entry[3] ServiceRequest quantityQuantity.value'."""
    parts = [str(part) for part in loc]
    if len(parts) >= 3 and parts[0] == "entry" and parts[1].isdigit():
        index = int(parts[1])
        entries = data.get("entry") or []
        kind = ""
        if index < len(entries) and isinstance(entries[index], dict):
            resource = entries[index].get("resource")
            kind = resource.get("resourceType", "") if isinstance(resource, dict) else ""
        rest = ".".join(parts[3:] if parts[2] == "resource" else parts[2:])
        return " ".join(filter(None, [f"entry[{index}]", kind, rest]))
    return ".".join(parts) or "Bundle"


# --- the plan read out of the bundle ---------------------------------------------------------------------


@dataclass
class Entry:
    index: int
    resource: Resource

    @property
    def where(self) -> str:
        return f"entry[{self.index}] {self.resource.get('resourceType', '')}"

    def extension(self, name: str, kind: str) -> Any:
        url = X.get(name, name)
        for item in self.resource.get("extension") or []:
            if item.get("url") == url:
                return item.get(f"value{kind}")
        return None

    def code(self, element: Any, system: str) -> str | None:
        concepts = element if isinstance(element, list) else [element or {}]
        for concept in concepts:
            for coding in concept.get("coding") or []:
                if coding.get("system") == system:
                    return coding.get("code")
        return None


@dataclass
class StepPlan:
    entry: Entry
    goal_url: str
    data: dict[str, Any]
    status: str
    result: str
    completed_on: datetime.date | None


@dataclass
class GoalPlan:
    entry: Entry
    url: str
    parent_url: str | None
    data: dict[str, Any]
    status: str


@dataclass
class PlanFromFile:
    data: dict[str, Any]
    goals: list[GoalPlan]
    steps: list[StepPlan]


def _date(value: Any) -> datetime.date | None:
    """A FHIR date or dateTime as a day; a year or a month alone (valid FHIR) is not a day: ValueError."""
    if not value:
        return None
    text = str(value)
    if len(text) < 10:
        raise ValueError(text)
    return datetime.date.fromisoformat(text[:10])


def _choice(problems: Problems, where: str, value: Any, choices: Any, default: str = "") -> str:
    if value in (None, ""):
        return default
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        problems.add(where, _("'%(value)s' is not one of %(allowed)s.") % {"value": value, "allowed": allowed})
        return default
    return str(value)


class Reader:
    """Reads the CarePlan, its goals and its steps out of a checked bundle, matching people to the case."""

    def __init__(self, bundle: Resource, case: Case) -> None:
        self.case = case
        self.problems = Problems()
        self.by_url = {
            e.get("fullUrl"): Entry(i, e["resource"])
            for i, e in enumerate(bundle.get("entry") or [])
            if e.get("fullUrl") and e.get("resource")
        }
        entries = [Entry(i, e.get("resource") or {}) for i, e in enumerate(bundle.get("entry") or [])]
        self.care_plans = [e for e in entries if e.resource.get("resourceType") == "CarePlan"]

    def day(self, where: str, value: Any) -> datetime.date | None:
        try:
            return _date(value)
        except ValueError:
            self.problems.add(where, _("Give a full date (year, month and day), not '%(value)s'.") % {"value": value})
            return None

    def resolve(self, where: str, reference: Any, kind: str) -> Entry | None:
        url = (reference or {}).get("reference")
        found = self.by_url.get(url)
        if found is None or found.resource.get("resourceType") != kind:
            self.problems.add(
                where, _("%(reference)s is not a %(kind)s in this bundle.") % {"reference": url, "kind": kind}
            )
            return None
        return found

    def plan(self) -> PlanFromFile:
        if len(self.care_plans) != 1:
            self.problems.add(
                "Bundle", _("The bundle must hold exactly one CarePlan; it holds %(n)s.") % {"n": len(self.care_plans)}
            )
            self.problems.raise_if_any()
        cp = self.care_plans[0]
        if cp.code(cp.resource.get("category") or [], f"{CS}/care-plan-category") == "permanent-care-support-plan":
            self.problems.add(cp.where, _("A permanent care support plan cannot be imported; import a service plan."))
        data = self._plan_data(cp)
        goals = [g for i, ref in enumerate(cp.resource.get("goal") or []) if (g := self._goal(cp, i, ref))]
        urls = {g.url for g in goals}
        for goal in goals:
            if goal.parent_url and goal.parent_url not in urls:
                self.problems.add(goal.entry.where, _("Its long-term goal is not one of the CarePlan's goals."))
        steps = []
        for i, activity in enumerate(cp.resource.get("activity") or []):
            step = self._step(cp, i, activity, urls)
            if step:
                steps.append(step)
        self.problems.raise_if_any()
        return PlanFromFile(data, goals, steps)

    def _plan_data(self, cp: Entry) -> dict[str, Any]:
        where = cp.where
        goal = cp.extension("permanency-goal", "Code")
        if not goal:
            self.problems.add(f"{where} extension permanency-goal", _("Kinplan needs the plan's permanency goal."))
        period = cp.resource.get("period") or {}
        data = {
            "permanency_goal": _choice(self.problems, f"{where} extension permanency-goal", goal, PermanencyGoal),
            "permanency_goal_detail": cp.extension("permanency-goal-detail", "String") or "",
            "alternative_goal": _choice(
                self.problems,
                f"{where} extension alternative-goal",
                cp.extension("alternative-goal", "Code"),
                PermanencyGoal,
            ),
            "alternative_goal_detail": cp.extension("alternative-goal-detail", "String") or "",
            "ends_on": self.day(f"{where} period.end", period.get("end")),
            "next_review_on": self.day(f"{where} extension next-review", cp.extension("next-review", "Date")),
        }
        if period.get("start"):
            data["starts_on"] = self.day(f"{where} period.start", period["start"])
        return data

    def _goal(self, cp: Entry, i: int, reference: Any) -> GoalPlan | None:
        entry = self.resolve(f"{cp.where} goal[{i}]", reference, "Goal")
        if entry is None:
            return None
        r, where = entry.resource, entry.where
        title = ((r.get("description") or {}).get("text") or "").strip()
        if not title:
            self.problems.add(f"{where} description.text", _("A goal needs its words: what will be achieved."))
        achievement = entry.code(r.get("achievementStatus"), "http://terminology.hl7.org/CodeSystem/goal-achievement")
        lifecycle = r.get("lifecycleStatus")
        status = GOAL_STATUS_BACK.get((lifecycle, achievement)) or LIFECYCLE.get(lifecycle, Goal.Status.NOT_STARTED)
        if lifecycle == "completed" and achievement == "not-achieved":
            status = Goal.Status.NOT_ACHIEVED
        track = entry.code(r.get("category") or [], f"{CS}/goal-track")
        parent = entry.extension("long-term-goal", "Reference")
        targets = [t.get("dueDate") for t in r.get("target") or [] if t.get("dueDate")]
        data = {
            "title": title,
            "description": "\n\n".join(n.get("text", "") for n in r.get("note") or []).strip(),
            "target_date": self.day(f"{where} target.dueDate", targets[0]) if targets else None,
            "track": _choice(self.problems, f"{where} category", track, Goal.Track, Goal.Track.MAIN),
        }
        url = reference.get("reference")
        return GoalPlan(entry, url, (parent or {}).get("reference"), data, status)

    def _step(self, cp: Entry, i: int, activity: Any, goal_urls: set[str]) -> StepPlan | None:
        if not activity.get("reference"):
            self.problems.add(f"{cp.where} activity[{i}]", _("Each activity must reference a ServiceRequest."))
            return None
        entry = self.resolve(f"{cp.where} activity[{i}]", activity["reference"], "ServiceRequest")
        if entry is None:
            return None
        r, where = entry.resource, entry.where
        goal = next(
            (
                (x.get("valueReference") or {}).get("reference")
                for x in r.get("extension") or []
                if x.get("url") == PERTAINS_TO_GOAL
            ),
            None,
        )
        if goal not in goal_urls:
            self.problems.add(
                f"{where} extension resource-pertainsToGoal",
                _("Name the goal this step serves: one of the CarePlan's goals."),
            )
        code = r.get("code") or {}
        what = (code.get("text") or next((c.get("display") for c in code.get("coding") or []), "") or "").strip()
        if not what:
            self.problems.add(f"{where} code.text", _("A step needs its words: what exactly is done."))
        data = {
            "what": what,
            "kind": _choice(
                self.problems,
                f"{where} category",
                entry.code(r.get("category") or [], f"{CS}/step-kind"),
                Step.Kind,
                Step.Kind.TASK,
            ),
            **self._timing(entry),
            **self._amounts(entry),
            **self._people(entry),
            "details": entry.extension("details", "String") or "",
            "timeline": entry.extension("timeline", "String") or "",
            "frequency": entry.extension("frequency", "String") or "",
            "client_instructions": r.get("patientInstruction") or "",
            "worker_helps": bool(entry.extension("worker-helps", "Boolean")),
            "worker_help": entry.extension("worker-help", "String") or "",
        }
        status = entry.extension("step-status", "Code") or REQUEST_STATUS.get(r.get("status"), Step.Status.PLANNED)
        status = _choice(self.problems, f"{where} extension step-status", status, Step.Status, Step.Status.PLANNED)
        result = entry.extension("result", "String") or ""
        done_on = self.day(f"{where} extension completed-on", entry.extension("completed-on", "Date"))
        return StepPlan(entry, goal or "", data, status, result, done_on)

    def _timing(self, entry: Entry) -> dict[str, Any]:
        period, where = entry.resource.get("occurrencePeriod"), entry.where
        if period:
            starts, due = period.get("start"), period.get("end")
            return {
                "starts_on": self.day(f"{where} occurrencePeriod.start", starts),
                "due_on": self.day(f"{where} occurrencePeriod.end", due),
            }
        return {
            "starts_on": None,
            "due_on": self.day(f"{where} occurrenceDateTime", entry.resource.get("occurrenceDateTime")),
        }

    def _amounts(self, entry: Entry) -> dict[str, Any]:
        quantity = entry.resource.get("quantityQuantity") or {}
        cost = entry.extension("cost", "Money") or {}
        if cost and cost.get("currency", CURRENCY) != CURRENCY:
            self.problems.add(f"{entry.where} extension cost", _("Costs are in NZD; convert this cost first."))
        return {
            "quantity": _decimal(quantity.get("value")),
            "unit": quantity.get("unit") or "",
            "costs_money": entry.extension("costs-money", "Boolean"),
            "cost": _decimal(cost.get("value")),
            "funder": _choice(
                self.problems, f"{entry.where} extension funder", entry.extension("funder", "Code"), Step.Funder
            ),
        }

    def _people(self, entry: Entry) -> dict[str, Any]:
        """Who does the step: someone the file identifies who is in this case links to them; anyone else is kept
        by name. A directory provider (or this case's informal support) links to it, with its service."""
        found: dict[str, Any] = {"responsible_person": None, "responsible_user": None, "provider": None}
        names = []
        for performer in entry.resource.get("performer") or []:
            target = self.by_url.get(performer.get("reference"))
            linked = self._linked(target) if target else None
            if linked is not None and found[linked[0]] is None:
                found[linked[0]] = linked[1]
            elif target is not None or performer.get("display"):
                names.append(performer.get("display") or _name(target.resource))  # type: ignore[union-attr]
        responsible = entry.code(entry.resource.get("performerType"), f"{CS}/step-responsible")
        if not responsible:
            responsible = (
                "family"
                if found["responsible_person"]
                else "worker"
                if found["responsible_user"]
                else "provider"
                if found["provider"]
                else "other"
            )
        found["responsible"] = _choice(
            self.problems, f"{entry.where} performerType", responsible, Step.Responsible, "other"
        )
        found["responsible_name"] = "; ".join(n for n in names if n)
        found["provider_service"] = self._offer(entry, found["provider"])
        return found

    def _linked(self, target: Entry) -> tuple[str, Any] | None:
        kind = target.resource.get("resourceType")
        if kind in ("RelatedPerson", "Patient"):
            pk = _identified(target.resource, "person")
            current = Participant.objects.filter(case=self.case, person_id=pk, archived_at__isnull=True)
            found = current.select_related("person").first() if pk else None
            return ("responsible_person", found.person) if found else None
        if kind == "Practitioner":
            pk = _identified(target.resource, "user")
            user = staff_for_case(self.case).filter(pk=pk).first() if pk else None
            return ("responsible_user", user) if user else None
        if kind == "Organization":
            pk = _identified(target.resource, "provider")
            mine = Provider.objects.filter(pk=pk, is_active=True).filter(case__isnull=True) | Provider.objects.filter(
                pk=pk, is_active=True, case=self.case
            )
            provider = mine.first() if pk else None
            return ("provider", provider) if provider else None
        return None

    def _offer(self, entry: Entry, provider: Provider | None) -> ProviderService | None:
        value = entry.extension("provider-service", "Identifier") or {}
        if provider is None or value.get("system") != f"{SID}/provider-service":
            return None
        pk = value.get("value")
        return (
            ProviderService.objects.filter(pk=pk, provider=provider, is_active=True).first()
            if str(pk).isdigit()
            else None
        )


def _identified(resource: Resource, kind: str) -> int | None:
    for item in resource.get("identifier") or []:
        if item.get("system") == f"{SID}/{kind}" and str(item.get("value", "")).isdigit():
            return int(item["value"])
    return None


def _name(resource: Resource) -> str:
    name = resource.get("name")
    if isinstance(name, str):
        return name
    first = (name or [{}])[0]
    return first.get("text") or " ".join([*first.get("given", []), first.get("family", "")]).strip()


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


# --- making the draft ------------------------------------------------------------------------------------


def _savepoint(problems: Problems, where: str, call: Any) -> Any:
    try:
        with transaction.atomic():
            return call()
    except ValidationError as error:
        problems.from_error(where, error)
        return None


def _progress(actor: User, step: Step, planned: StepPlan) -> Step:
    status = planned.status
    if status == Step.Status.IN_PROGRESS:
        return services.step_start(actor=actor, step=step)
    if status == Step.Status.DONE:
        return services.step_complete(actor=actor, step=step, result=planned.result, on=planned.completed_on)
    if status == Step.Status.NOT_DONE:
        return services.step_mark_not_done(actor=actor, step=step, result=planned.result)
    if status == Step.Status.CANCELLED:
        return services.step_cancel(actor=actor, step=step, reason=planned.result)
    return step


def _goals(actor: User, plan: Plan, planned_goals: list[GoalPlan], problems: Problems) -> dict[str, Goal]:
    """Add the goals in the file's order (a long-term goal before the intermediate goals that lead to it)."""
    goals: dict[str, Goal] = {}
    seen: set[str] = set()
    ordered, later = [], []
    for planned in planned_goals:
        (ordered if not planned.parent_url or planned.parent_url in seen else later).append(planned)
        seen.add(planned.url)
    for planned in ordered + later:
        parent = goals.get(planned.parent_url) if planned.parent_url else None
        if planned.parent_url and parent is None:
            continue  # its long-term goal could not be added: that problem is already reported
        goal = _savepoint(
            problems,
            planned.entry.where,
            partial(services.goal_add, actor=actor, plan=plan, parent=parent, data=planned.data),
        )
        if goal is not None:
            goals[planned.url] = goal
    return goals


def _add_step(actor: User, goal: Goal, planned: StepPlan) -> Step:
    return _progress(actor, services.step_add(actor=actor, goal=goal, data=planned.data), planned)


@transaction.atomic
def plan_import(*, actor: User, case: Case, raw: bytes | str) -> Plan:
    """Make a draft plan on `case` from a FHIR Bundle, through the planning services (each change audited by them):
    all of it, or nothing and every problem named."""
    ensure(can_edit_case(actor, case), _("You cannot change this case's plan."))
    from_file = Reader(read_bundle(raw), case).plan()
    problems = Problems()
    try:
        plan = services.plan_create(actor=actor, case=case, data=from_file.data)  # refuses who may not plan (403)
    except ValidationError as error:
        problems.from_error("CarePlan", error, PLAN_ELEMENT)
        problems.raise_if_any()
        raise
    goals = _goals(actor, plan, from_file.goals, problems)
    for planned in from_file.steps:
        if planned.goal_url in goals:
            _savepoint(problems, planned.entry.where, partial(_add_step, actor, goals[planned.goal_url], planned))
    for planned_goal in from_file.goals:
        if planned_goal.url in goals and planned_goal.status != Goal.Status.NOT_STARTED:
            mark = partial(
                services.goal_set_status, actor=actor, goal=goals[planned_goal.url], status=planned_goal.status
            )
            _savepoint(problems, planned_goal.entry.where, mark)
    problems.raise_if_any()  # rolls the whole import back
    return plan

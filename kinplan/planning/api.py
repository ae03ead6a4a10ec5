"""API endpoints for service plans: the plan and its versions, goals, need deferrals, steps and agreement.

Every object is reached through its case: a plan, goal, step or deferral of a case the user may not
see is a 404 (and looking at one is logged as a view of the child's record); the services refuse
changes the user may see but not make (403) and moves the rules do not allow (422).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from kinplan.accounts.models import User
from kinplan.assessments.models import Assessment, Need
from kinplan.cases.models import Case, Person, TeamMember
from kinplan.cases.permissions import case_for_api, cases_visible_to
from kinplan.cases.schemas import Page
from kinplan.core.api import blank_for_null, found_or_404, listed_after, referenced
from kinplan.planning import schemas as s
from kinplan.planning import selectors, services
from kinplan.planning.models import Goal, NeedDeferral, Plan, Step
from kinplan.providers.models import Provider, ProviderService

router = Router(tags=["plans"])


def _plan_for(request: HttpRequest, plan_id: int) -> Plan:
    plan: Plan = found_or_404(Plan.objects.all(), plan_id)
    plan.case = case_for_api(request, plan.case_id)
    return plan


def _goal_for(request: HttpRequest, goal_id: int) -> Goal:
    goal: Goal = found_or_404(Goal.objects.select_related("plan"), goal_id)
    goal.plan.case = case_for_api(request, goal.plan.case_id)
    return goal


def _step_for(request: HttpRequest, step_id: int) -> Step:
    steps = Step.objects.select_related("goal__plan", "responsible_person", "responsible_user", "provider")
    step: Step = found_or_404(steps, step_id)
    step.goal.plan.case = case_for_api(request, step.goal.plan.case_id)
    return step


def _in_full(plan_id: int) -> Plan:
    """The plan with everything its page shows attached as `page`, for PlanFullOut."""
    plan = selectors.plan_with_content(plan_id)
    plan.page = selectors.plan_page(plan=plan, today=timezone.localdate())  # type: ignore[attr-defined]
    return plan


def _needs(plan: Plan, ids: list[int] | None) -> list[Need] | None:
    """Needs by id, among the assessments of the plan's case (the service checks they are the plan's)."""
    if ids is None:
        return None
    found = {n.pk: n for n in Need.objects.filter(pk__in=ids, assessment__case_id=plan.case_id)}
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise ValidationError({"need_ids": _("No need with id %(ids)s in this case.") % {"ids": ", ".join(unknown)}})
    return [found[pk] for pk in dict.fromkeys(ids)]


def _plan_data(payload: s.PlanIn | s.PlanPatch, case: Case) -> dict[str, Any]:
    data = blank_for_null(payload.dict(exclude_unset=True), Plan)  # a null alternative goal clears it
    if "assessment_id" in data:
        data["assessment"] = referenced(Assessment, data.pop("assessment_id"), "assessment_id", case=case)
    return data


def _step_data(payload: s.StepIn | s.StepPatch, case: Case) -> dict[str, Any]:
    data = blank_for_null(payload.dict(exclude_unset=True), Step)
    if "responsible_person_id" in data:
        data["responsible_person"] = referenced(
            Person, data.pop("responsible_person_id"), "responsible_person_id", participations__case=case
        )
    if "responsible_user_id" in data:
        data["responsible_user"] = referenced(User, data.pop("responsible_user_id"), "responsible_user_id")
    if "provider_id" in data:
        data["provider"] = referenced(Provider, data.pop("provider_id"), "provider_id")
    if "provider_service_id" in data:
        data["provider_service"] = referenced(ProviderService, data.pop("provider_service_id"), "provider_service_id")
    return data


# --- the plan ------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/plan", response=s.PlanFullOut, summary="A case's current plan, in full")
def get_plan(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    plan = selectors.current_plan(case=case_for_api(request, case_id))
    if plan is None:
        raise HttpError(404, _("This case has no plan yet."))
    return _in_full(plan.pk)


@router.post("/cases/{case_id}/plan", response={201: s.PlanFullOut}, summary="Start a case's plan (a draft)")
def create_plan(request: HttpRequest, case_id: int, payload: s.PlanIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    plan = services.plan_create(actor=request.user, case=case, data=_plan_data(payload, case))
    return 201, _in_full(plan.pk)


@router.get("/cases/{case_id}/plan/versions", response=list[s.PlanVersionOut], summary="Every version of a plan")
def list_plan_versions(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return list(selectors.plan_versions(case=case_for_api(request, case_id)))


@router.get("/cases/{case_id}/plan/versions/{version}", response=s.PlanFullOut, summary="One version of a plan")
def get_plan_version(request: HttpRequest, case_id: int, version: int):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    plan_id = case.plans.filter(version=version).values_list("pk", flat=True).first()
    if plan_id is None:
        raise HttpError(404, _("This plan has no version %(version)s.") % {"version": version})
    return _in_full(plan_id)


@router.patch("/plans/{plan_id}", response=s.PlanFullOut, summary="Change a draft plan's permanency goals or dates")
def update_plan(request: HttpRequest, plan_id: int, payload: s.PlanPatch):  # type: ignore[no-untyped-def]
    plan = _plan_for(request, plan_id)
    services.plan_update(actor=request.user, plan=plan, data=_plan_data(payload, plan.case))
    return _in_full(plan.pk)


@router.post(
    "/plans/{plan_id}/transition",
    response=s.PlanFullOut,
    summary="Move a plan: draft → agreed → active ⇄ under review → closed",
)
def transition_plan(request: HttpRequest, plan_id: int, payload: s.TransitionIn):  # type: ignore[no-untyped-def]
    plan = _plan_for(request, plan_id)
    services.plan_transition(actor=request.user, plan=plan, to=payload.to, note=payload.note.strip())
    return _in_full(plan.pk)


@router.post(
    "/plans/{plan_id}/revise",
    response={201: s.PlanFullOut},
    summary="Revise an agreed plan: a new draft version, to agree with the team again",
)
def revise_plan(request: HttpRequest, plan_id: int, payload: s.ReviseIn | None = None):  # type: ignore[no-untyped-def]
    plan = _plan_for(request, plan_id)
    note = payload.note.strip() if payload else ""
    revision = services.plan_revise(actor=request.user, plan=plan, note=note)
    return 201, _in_full(revision.pk)


@router.get("/plans/{plan_id}/transitions", response=list[s.TransitionOut], summary="A plan's status changes")
def list_transitions(request: HttpRequest, plan_id: int):  # type: ignore[no-untyped-def]
    return list(_plan_for(request, plan_id).transitions.select_related("actor"))


@router.get("/plans/{plan_id}/timeline", response=s.TimelineOut, summary="A plan's goals and steps on a time axis")
def plan_timeline(request: HttpRequest, plan_id: int, width: int = Query(900, ge=200, le=4000)):  # type: ignore[no-untyped-def]
    plan = _plan_for(request, plan_id)
    return selectors.timeline(plan=selectors.plan_with_content(plan.pk), today=timezone.localdate(), width=width)


# --- goals and needs -----------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/goals",
    response={201: s.GoalOut},
    summary="Add a long-term goal, or (with parent_id) an intermediate goal leading to one",
)
def add_goal(request: HttpRequest, plan_id: int, payload: s.GoalIn):  # type: ignore[no-untyped-def]
    plan = _plan_for(request, plan_id)
    goal = services.goal_add(
        actor=request.user,
        plan=plan,
        data=payload.dict(exclude_unset=True, exclude={"parent_id", "need_ids"}),
        parent=referenced(Goal, payload.parent_id, "parent_id", plan=plan),
        needs=_needs(plan, payload.need_ids) or [],
    )
    return 201, goal


@router.patch("/goals/{goal_id}", response=s.GoalOut, summary="Change a goal or the needs it answers")
def update_goal(request: HttpRequest, goal_id: int, payload: s.GoalPatch):  # type: ignore[no-untyped-def]
    goal = _goal_for(request, goal_id)
    data = blank_for_null(payload.dict(exclude_unset=True, exclude={"need_ids"}), Goal)
    needs = _needs(goal.plan, payload.need_ids)  # None (left out or null) leaves the needs as they are
    return services.goal_update(actor=request.user, goal=goal, data=data, needs=needs)


@router.post("/goals/{goal_id}/status", response=s.GoalOut, summary="Record progress on a goal")
def set_goal_status(request: HttpRequest, goal_id: int, payload: s.GoalStatusIn):  # type: ignore[no-untyped-def]
    return services.goal_set_status(actor=request.user, goal=_goal_for(request, goal_id), status=payload.status)


@router.post(
    "/plans/{plan_id}/deferrals",
    response={201: s.DeferralOut},
    summary="Leave an assessed need for later, with the reason",
)
def defer_need(request: HttpRequest, plan_id: int, payload: s.DeferralIn):  # type: ignore[no-untyped-def]
    plan = _plan_for(request, plan_id)
    need = referenced(Need, payload.need_id, "need_id", assessment__case_id=plan.case_id)
    return 201, services.need_defer(actor=request.user, plan=plan, need=need, reason=payload.reason)


@router.post("/deferrals/{deferral_id}/withdraw", response=s.DeferralOut, summary="Take back a need's deferral")
def withdraw_deferral(request: HttpRequest, deferral_id: int):  # type: ignore[no-untyped-def]
    deferral: NeedDeferral = found_or_404(NeedDeferral.objects.select_related("plan", "need"), deferral_id)
    deferral.plan.case = case_for_api(request, deferral.plan.case_id)
    return services.need_deferral_withdraw(actor=request.user, deferral=deferral)


# --- steps ---------------------------------------------------------------------------------------


@router.get(
    "/steps/overdue",
    response=Page[s.OverdueStepOut],
    summary="Open steps past their due date in the cases you may see (oldest first); team=true for your team's, "
    "worker=<id> for one worker's cases",
)
def list_overdue_steps(
    request: HttpRequest,
    team: bool = False,
    worker: int | None = None,
    after: int = 0,
    limit: int = Query(50, ge=1, le=200),
):  # type: ignore[no-untyped-def]
    user: User = request.user  # type: ignore[assignment]
    steps = selectors.steps_overdue(user=user, today=timezone.localdate(), team_only=team, worker_id=worker)
    if after:
        visible = Step.objects.filter(goal__plan__case__in=cases_visible_to(user))  # still a key once done
        steps = steps.filter(listed_after(visible, after, "due_on"))
    items = list(steps[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_after": items[-1].pk if more and items else None}


@router.get("/steps/{step_id}", response=s.StepOut, summary="One step, with any good-test issues")
def get_step(request: HttpRequest, step_id: int):  # type: ignore[no-untyped-def]
    return _step_for(request, step_id)


@router.post(
    "/goals/{goal_id}/steps",
    response={201: s.StepOut},
    summary="Add a step: who does what, when, how much and at what cost",
)
def add_step(request: HttpRequest, goal_id: int, payload: s.StepIn):  # type: ignore[no-untyped-def]
    goal = _goal_for(request, goal_id)
    return 201, services.step_add(actor=request.user, goal=goal, data=_step_data(payload, goal.plan.case))


@router.patch("/steps/{step_id}", response=s.StepOut, summary="Change a step (draft plans only)")
def update_step(request: HttpRequest, step_id: int, payload: s.StepPatch):  # type: ignore[no-untyped-def]
    step = _step_for(request, step_id)
    return services.step_update(actor=request.user, step=step, data=_step_data(payload, step.goal.plan.case))


@router.post("/steps/{step_id}/start", response=s.StepOut, summary="Mark a planned step as under way")
def start_step(request: HttpRequest, step_id: int):  # type: ignore[no-untyped-def]
    return services.step_start(actor=request.user, step=_step_for(request, step_id))


@router.post("/steps/{step_id}/complete", response=s.StepOut, summary="Record a step as done, with its result")
def complete_step(request: HttpRequest, step_id: int, payload: s.StepCompleteIn):  # type: ignore[no-untyped-def]
    step = _step_for(request, step_id)
    return services.step_complete(actor=request.user, step=step, result=payload.result, on=payload.completed_on)


@router.post("/steps/{step_id}/not-done", response=s.StepOut, summary="Record that a step was not done, and why")
def step_not_done(request: HttpRequest, step_id: int, payload: s.StepResultIn):  # type: ignore[no-untyped-def]
    return services.step_mark_not_done(actor=request.user, step=_step_for(request, step_id), result=payload.result)


@router.post("/steps/{step_id}/cancel", response=s.StepOut, summary="Cancel a step that is no longer needed")
def cancel_step(request: HttpRequest, step_id: int, payload: s.StepCancelIn):  # type: ignore[no-untyped-def]
    return services.step_cancel(actor=request.user, step=_step_for(request, step_id), reason=payload.reason)


# --- agreement -----------------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/agreements",
    response=s.AgreementOut,
    summary="Record (or change) a team member's position on the draft plan",
)
def record_agreement(request: HttpRequest, plan_id: int, payload: s.AgreementIn):  # type: ignore[no-untyped-def]
    plan = _plan_for(request, plan_id)
    return services.agreement_record(
        actor=request.user,
        plan=plan,
        member=referenced(TeamMember, payload.member_id, "member_id", case_id=plan.case_id),
        position=payload.position,
        method=payload.method or "",
        reason=payload.reason,
    )

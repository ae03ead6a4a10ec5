"""Service plan pages: parse, authorise, call one service or selector, render.

Small edits (adding a step, recording a step's progress, a team member's view) answer htmx requests
with the piece of page that changed; every form also works as a plain post and redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from kinplan.accounts.models import User
from kinplan.assessments.models import Need
from kinplan.cases.models import Case, TeamMember
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import int_or_none, save_or_show_errors
from kinplan.core.paging import FoundOnce
from kinplan.planning import forms as f
from kinplan.planning import selectors, services
from kinplan.planning.models import ALLOWED_TRANSITIONS, Agreement, Goal, NeedDeferral, Plan, Step
from kinplan.planning.quality import item_issues
from kinplan.planning.services._common import EDITABLE, IN_FORCE, ensure_editable

Status = Plan.Status
MOVE_ORDER = (Status.AGREED, Status.ACTIVE, Status.UNDER_REVIEW, Status.CLOSED)
MOVE_LABELS = {
    Status.AGREED: gettext_lazy("Mark as agreed"),
    Status.ACTIVE: gettext_lazy("Make active"),
    Status.UNDER_REVIEW: gettext_lazy("Start a review"),
    Status.CLOSED: gettext_lazy("Close the plan"),
}


# --- finding things: reads log the view; writes need a case the user may change -----------------------


def _editable_case(request: HttpRequest, pk: int) -> Case:
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case's plan."))
    return case


def _current_plan(case: Case) -> Plan:
    plan = case.plans.filter(is_current=True).select_related("case", "assessment").first()
    if plan is None:
        raise Http404(_("This case has no plan yet."))
    return plan


def _goal(case: Case, goal_pk: int) -> Goal:
    goals = Goal.objects.select_related("plan__case", "plan__assessment", "parent")
    return get_object_or_404(goals, pk=goal_pk, plan__case=case)


def _step(case: Case, step_pk: int) -> Step:
    steps = Step.objects.select_related("goal__plan__case", "responsible_person", "responsible_user")
    return get_object_or_404(steps, pk=step_pk, goal__plan__case=case)


def _version(request: HttpRequest) -> int | None:
    raw = request.GET.get("version")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404(_("No such version.")) from None


def _plan_url(case: Case, anchor: str = "") -> str:
    return reverse("planning:plan", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- what the user may do with this plan ------------------------------------------------------------


def _abilities(user: User, case: Case, plan: Plan) -> dict[str, Any]:
    can_edit = can_edit_case(user, case) and plan.is_current
    allowed = ALLOWED_TRANSITIONS[plan.status]
    moves = [(to, MOVE_LABELS[to]) for to in MOVE_ORDER if to in allowed] if can_edit else []
    if plan.status == Status.UNDER_REVIEW:
        moves = [(to, _("Review done: make active again") if to == Status.ACTIVE else label) for to, label in moves]
    return {
        "can_edit": can_edit,
        "editable": can_edit and plan.status in EDITABLE,
        "in_force": can_edit and plan.status in IN_FORCE,
        "moves": moves,
        "can_revise": can_edit and Status.SUPERSEDED in allowed,
    }


def _step_context(user: User, case: Case, step: Step) -> dict[str, Any]:
    plan = step.goal.plan
    return {
        "case": case,
        "step": step,
        "issues": item_issues(step),
        "today": timezone.localdate(),
        **_abilities(user, case, plan),
    }


def _step_changed_context(user: User, case: Case, step: Step) -> dict[str, Any]:
    """A step just changed in place: the step, and the plan's figures and goal progress it changed."""
    today = timezone.localdate()
    return {**_step_context(user, case, step), **selectors.figures_after_step_change(step=step, today=today)}


# --- the plan page ---------------------------------------------------------------------------------


def _render_plan(
    request: HttpRequest, case: Case, plan: Plan, *, error: str = "", move_error: str = "", status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "case": case,
        "today": today,
        "error": error,
        "move_error": move_error,
        "goal_statuses": Goal.Status.choices,
        **selectors.plan_screen(plan=plan, today=today),
        **_abilities(request.user, case, plan),
    }
    if context["editable"]:  # views are recorded on the current draft only
        for row in context["agreement"]:
            row["form"] = _agreement_form(None, row["member"], row["agreement"])
    return render(request, "planning/plan.html", context, status=status)


def _agreement_form(data: Any, member: TeamMember, recorded: Agreement | None) -> f.AgreementForm:
    initial = {"position": recorded.position, "method": recorded.method, "reason": recorded.reason} if recorded else {}
    return f.AgreementForm(data, auto_id=f"m{member.pk}_%s", initial=initial)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The current plan (or ?version=N, read-only): goals by track, steps, coverage, agreement, history."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    version = _version(request)
    plan = selectors.plan_for_case(case=case, version=version)
    if plan is None and version is not None:
        raise Http404(_("No such version."))
    if plan is None:
        return render(request, "planning/no_plan.html", {"case": case, "can_edit": can_edit_case(request.user, case)})
    return _render_plan(request, case, plan)


@login_required
def plan_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """Goals and steps on a time axis, with the same data as a table."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    plan = selectors.plan_for_case(case=case, version=_version(request))
    if plan is None:
        raise Http404(_("This case has no plan yet."))
    chart = _timeline_layout(selectors.timeline(plan=plan, today=timezone.localdate()))
    return render(request, "planning/timeline.html", {"case": case, "plan": plan, "chart": chart})


# The SVG's geometry: a column of labels, then the time axis the selector laid out, one row per goal or step.
LABEL_WIDTH, ROW_HEIGHT, AXIS_HEIGHT = 320, 28, 44


def _timeline_layout(chart: dict[str, Any]) -> dict[str, Any]:
    for index, row in enumerate(chart["rows"]):
        row["y"] = AXIS_HEIGHT + index * ROW_HEIGHT
        row["cy"] = row["y"] + ROW_HEIGHT // 2
        starts, ends = row.get("x_start"), row["x"]
        row["bar"] = ends - starts if starts is not None and ends is not None and starts < ends else 0
    height = AXIS_HEIGHT + len(chart["rows"]) * ROW_HEIGHT + 8
    return chart | {"label_width": LABEL_WIDTH, "height": height, "total_width": LABEL_WIDTH + chart["width"]}


def _form_page(
    request: HttpRequest, case: Case, form: Any, title: str, *, plan: Plan | None = None, **extra: Any
) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"case": case, "plan": plan, "form": form, "title": title, **extra}
    return render(request, "planning/form.html", context, status=status)


def _locked(plan: Plan) -> str:
    """Why the plan's content cannot change now, or ''."""
    try:
        ensure_editable(plan)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the case's plan: permanency goals, the assessment it answers, dates and review."""
    case = _editable_case(request, pk)
    if request.method == "GET" and case.plans.filter(is_current=True).exists():
        messages.info(request, _("This case already has a plan."))
        return redirect(_plan_url(case))
    form = f.PlanForm(_data(request), case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.plan_create(actor=request.user, case=case, data=form.details())
    ):
        messages.success(request, _("Plan started. Now write the long-term goals, then the steps that lead there."))
        return redirect(_plan_url(case))
    return _form_page(request, case, form, _("Start the service plan"))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft plan's permanency goals, assessment and dates."""
    case = _editable_case(request, pk)
    plan = _current_plan(case)
    form = f.PlanForm(_data(request), instance=plan, case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.plan_update(actor=request.user, plan=plan, data=form.details())
    ):
        messages.success(request, _("Plan saved."))
        return redirect(_plan_url(case))
    return _form_page(request, case, form, _("Edit the plan"), plan=plan, locked=_locked(plan))


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the plan to the status asked for; a refusal shows the rule's message and changes nothing."""
    case = _editable_case(request, pk)
    plan = _current_plan(case)
    form = f.TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the moves offered on the plan page."))
        moved = services.plan_transition(
            actor=request.user, plan=plan, to=form.cleaned_data["to"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        fresh = selectors.plan_for_case(case=case)
        return _render_plan(request, case, fresh, move_error=" ".join(error.messages), status=400)
    messages.success(request, _("The plan is now %(status)s.") % {"status": moved.get_status_display().lower()})
    return redirect(_plan_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new version of an agreed plan; the team is consulted again on what changes."""
    case = _editable_case(request, pk)
    plan = _current_plan(case)
    form = f.ReviseForm(_data(request))
    revised = save_or_show_errors(
        form, lambda: services.plan_revise(actor=request.user, plan=plan, note=form.cleaned_data["note"])
    )
    if revised:
        messages.success(
            request,
            _("Version %(version)s started as a draft. Earlier versions stay readable.") % {"version": revised.version},
        )
        return redirect(_plan_url(case))
    return _form_page(
        request,
        case,
        form,
        _("Revise plan version %(version)s") % {"version": plan.version},
        plan=plan,
        submit=_("Start a new version"),
    )


# --- goals -------------------------------------------------------------------------------------------


def _goal_initial(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    """A goal form started from a need ("add a goal for it") or for the alternative track."""
    initial: dict[str, Any] = {}
    if request.GET.get("track") in Goal.Track.values:
        initial["track"] = request.GET["track"]
    need = plan.assessment.needs.filter(pk=request.GET["need"]).first() if _need_param(request, plan) else None
    if need is not None:
        initial.update(title=need.title, needs=[need.pk])
    return initial


def _need_param(request: HttpRequest, plan: Plan) -> bool:
    return plan.assessment_id is not None and request.GET.get("need", "").isdigit()


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, pk: int, parent_pk: int | None = None) -> HttpResponse:
    """Add a long-term goal, or (under `parent_pk`) an intermediate goal that leads to it."""
    case = _editable_case(request, pk)
    plan = _current_plan(case)
    parent = _goal(case, parent_pk) if parent_pk else None
    form = f.GoalForm(_data(request), plan=plan, intermediate=parent is not None, initial=_goal_initial(request, plan))
    goal = request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.goal_add(
            actor=request.user, plan=plan, parent=parent, data=form.details(), needs=form.chosen_needs() or ()
        ),
    )
    if goal:
        messages.success(request, _("Goal “%(title)s” added.") % {"title": goal.title})
        return redirect(_plan_url(case, f"goal-{goal.pk}"))
    title = (
        _("Add an intermediate goal on the way to “%(goal)s”") % {"goal": parent}
        if parent
        else _("Add a long-term goal")
    )
    return _form_page(request, case, form, title, plan=plan, locked=_locked(plan))


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    case = _editable_case(request, pk)
    goal = _goal(case, goal_pk)
    needs = {"needs": [n.pk for n in goal.needs.all()]}
    form = f.GoalForm(_data(request), instance=goal, plan=goal.plan, intermediate=not goal.is_long_term, initial=needs)
    if request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.goal_update(actor=request.user, goal=goal, data=form.details(), needs=form.chosen_needs()),
    ):
        messages.success(request, _("Goal saved."))
        return redirect(_plan_url(case, f"goal-{goal.pk}"))
    title = _("Edit “%(title)s”") % {"title": goal.title}
    return _form_page(request, case, form, title, plan=goal.plan, locked=_locked(goal.plan))


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """Record progress on a goal (achieved, not achieved, discontinued…), on any open plan."""
    case = _editable_case(request, pk)
    goal = _goal(case, goal_pk)
    form = f.GoalStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the goal statuses offered."))
        services.goal_set_status(actor=request.user, goal=goal, status=form.cleaned_data["status"])
    except ValidationError as error:
        fresh = selectors.plan_for_case(case=case, version=goal.plan.version)
        return _render_plan(request, case, fresh, error=" ".join(error.messages), status=400)
    messages.success(
        request,
        _("“%(title)s” is now %(status)s.") % {"title": goal.title, "status": goal.get_status_display().lower()},
    )
    return redirect(_plan_url(case, f"goal-{goal.pk}"))


# --- needs: defer one with a reason, or take the deferral back --------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def need_defer(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    case = _editable_case(request, pk)
    plan = _current_plan(case)
    need = get_object_or_404(Need.objects.filter(assessment_id=plan.assessment_id), pk=need_pk)
    form = f.NeedDeferForm(_data(request), auto_id=f"n{need.pk}_%s")
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.need_defer(actor=request.user, plan=plan, need=need, reason=form.cleaned_data["reason"])
    ):
        messages.success(request, _("“%(need)s” is left for later; the reason is in the plan.") % {"need": need})
        return redirect(_plan_url(case, "needs"))
    title = _("Leave “%(need)s” for later") % {"need": need}
    return _form_page(request, case, form, title, plan=plan, locked=_locked(plan))


@login_required
@require_POST
def deferral_withdraw(request: HttpRequest, pk: int, deferral_pk: int) -> HttpResponse:
    case = _editable_case(request, pk)
    deferral = get_object_or_404(
        NeedDeferral.objects.select_related("plan__case", "need"), pk=deferral_pk, plan__case=case
    )
    try:
        services.need_deferral_withdraw(actor=request.user, deferral=deferral)
    except ValidationError as error:
        fresh = selectors.plan_for_case(case=case)
        return _render_plan(request, case, fresh, error=" ".join(error.messages), status=400)
    messages.success(request, _("“%(need)s” is no longer deferred: add a goal for it.") % {"need": deferral.need})
    return redirect(_plan_url(case, "needs"))


# --- steps -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """Add a step under a goal. With htmx the form opens in place and the new step appears under the goal."""
    case = _editable_case(request, pk)
    goal = _goal(case, goal_pk)
    form = f.StepForm(_data(request), case=case, auto_id=f"g{goal.pk}_%s")
    step = request.method == "POST" and save_or_show_errors(
        form, lambda: services.step_add(actor=request.user, goal=goal, data=form.details())
    )
    if step and request.htmx:
        return render(request, "planning/partials/_step_added.html", _step_changed_context(request.user, case, step))
    if step:
        messages.success(request, _("Step “%(what)s” added.") % {"what": step.what})
        return redirect(_plan_url(case, f"step-{step.pk}"))
    if request.htmx:
        return _inline_step_form(request, case, goal, form)
    title = _("Add a step towards “%(goal)s”") % {"goal": goal.title}
    return _form_page(request, case, form, title, plan=goal.plan, locked=_locked(goal.plan), goal=goal)


def _inline_step_form(request: HttpRequest, case: Case, goal: Goal, form: f.StepForm) -> HttpResponse:
    context = {"case": case, "goal": goal, "form": form, "locked": _locked(goal.plan)}
    if not form.errors:
        return render(request, "planning/partials/_step_form.html", context)
    response = render(request, "planning/partials/_step_form.html", context, status=400)
    return reswap(retarget(response, f"#add-step-{goal.pk}"), "innerHTML")


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """Change what a step is, who does it, when, how much and its cost (draft plans only)."""
    case = _editable_case(request, pk)
    step = _step(case, step_pk)
    form = f.StepForm(_data(request), instance=step, case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.step_update(actor=request.user, step=step, data=form.details())
    ):
        messages.success(request, _("Step saved."))
        return redirect(_plan_url(case, f"step-{step.pk}"))
    plan = step.goal.plan
    title = _("Edit “%(what)s”") % {"what": step.what}
    return _form_page(request, case, form, title, plan=plan, locked=_locked(plan), goal=step.goal)


@login_required
def step_row(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """One step as it stands (htmx closes an inline form with it); without htmx, the step on the plan page."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    step = _step(case, step_pk)
    if not request.htmx:
        return redirect(_plan_url(case, f"step-{step.pk}"))
    return render(request, "planning/partials/_step.html", _step_context(request.user, case, step))


def _step_saved(request: HttpRequest, case: Case, step: Step, message: str) -> HttpResponse:
    if request.htmx:
        return render(request, "planning/partials/_step_changed.html", _step_changed_context(request.user, case, step))
    messages.success(request, message)
    return redirect(_plan_url(case, f"step-{step.pk}"))


@login_required
@require_POST
def step_start(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    case = _editable_case(request, pk)
    step = _step(case, step_pk)
    try:
        started = services.step_start(actor=request.user, step=step)
    except ValidationError as error:
        if request.htmx:
            context = {**_step_context(request.user, case, step), "step_error": " ".join(error.messages)}
            return render(request, "planning/partials/_step.html", context, status=400)
        fresh = selectors.plan_for_case(case=case, version=step.goal.plan.version)
        return _render_plan(request, case, fresh, error=" ".join(error.messages), status=400)
    return _step_saved(request, case, started, _("“%(what)s” is under way.") % {"what": step.what})


StepCall = Callable[[User, Step, dict[str, Any]], Step]
STEP_ACTIONS: dict[str, dict[str, Any]] = {
    "done": {
        "form": f.StepDoneForm,
        "title": gettext_lazy("Mark done"),
        "message": gettext_lazy("Step done; its result is recorded."),
        "call": lambda actor, step, data: services.step_complete(
            actor=actor, step=step, result=data["result"], on=data["completed_on"]
        ),
    },
    "not-done": {
        "form": f.StepNotDoneForm,
        "title": gettext_lazy("Not done"),
        "message": gettext_lazy("Recorded as not done, with what happened."),
        "call": lambda actor, step, data: services.step_mark_not_done(actor=actor, step=step, result=data["result"]),
    },
    "cancel": {
        "form": f.StepCancelForm,
        "title": gettext_lazy("Cancel the step"),
        "message": gettext_lazy("Step cancelled; it stays in the plan's history."),
        "call": lambda actor, step, data: services.step_cancel(actor=actor, step=step, reason=data["reason"]),
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def step_action(request: HttpRequest, pk: int, step_pk: int, action: str) -> HttpResponse:
    """Done (with result and date), not done (what happened) or cancelled (why): inline with htmx."""
    spec = STEP_ACTIONS.get(action)
    if spec is None:
        raise Http404(_("No such action."))
    case = _editable_case(request, pk)
    step = _step(case, step_pk)
    form = spec["form"](_data(request), auto_id=f"s{step.pk}_%s")
    saved = request.method == "POST" and save_or_show_errors(
        form, lambda: spec["call"](request.user, step, form.cleaned_data)
    )
    if saved:
        return _step_saved(request, case, saved, spec["message"])
    status = 400 if form.errors else 200
    context = {**_step_context(request.user, case, step), "action": action, "action_form": form, "title": spec["title"]}
    template = "planning/partials/_step.html" if request.htmx else "planning/step_action.html"
    return render(request, template, context, status=status)


# --- agreement: each Child and Family Team member's view on this version -----------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_record(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Record a team member's position and how they gave it; with htmx only their row changes."""
    case = _editable_case(request, pk)
    plan = _current_plan(case)
    members = TeamMember.objects.select_related("person", "user")
    member = get_object_or_404(members, pk=member_pk, case=case, archived_at__isnull=True)
    recorded = plan.agreements.filter(member=member).first()
    form = _agreement_form(_data(request), member, recorded)
    agreement = request.method == "POST" and save_or_show_errors(
        form, lambda: services.agreement_record(actor=request.user, plan=plan, member=member, **form.cleaned_data)
    )
    if agreement and not request.htmx:
        messages.success(request, _("%(name)s's view is recorded.") % {"name": member.member_name})
        return redirect(_plan_url(case, "agreement"))
    context = {"case": case, "plan": plan, "row": {"member": member, "agreement": agreement or recorded}, "form": form}
    context |= {"editable": plan.status == Status.DRAFT, "saved": bool(agreement)}
    template = "planning/partials/_agreement.html" if request.htmx else "planning/agreement.html"
    return render(request, template, context, status=400 if form.errors else 200)


# --- overdue steps across the cases the user can see ------------------------------------------------


OVERDUE_TABS = {
    "team": gettext_lazy("My team"),
    "mine": gettext_lazy("My cases"),
    "site": gettext_lazy("My site"),
    "all": gettext_lazy("All I can see"),
}


def _overdue_tabs(user: User) -> list[str]:
    by_role = {User.Role.SUPERVISOR: ["team", "mine"], User.Role.SITE_MANAGER: ["site", "team"]}
    tabs = by_role.get(user.role, ["all"])
    return tabs if user.team_id else [t for t in tabs if t != "team"] or ["all"]


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Overdue steps in the current plans of the cases the user may see; supervisors see their team's."""
    tabs = _overdue_tabs(request.user)
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else tabs[0]
    today = timezone.localdate()
    worker_id = int_or_none(request.GET.get("worker")) if tab != "mine" else None
    worker = User.objects.filter(pk=worker_id).first() if worker_id else None
    steps = selectors.overdue_steps_list(
        user=request.user,
        today=today,
        team_only=tab == "team",
        mine_only=tab == "mine",
        worker_id=worker.pk if worker else None,
    )
    page = Paginator(FoundOnce(steps), 50).get_page(request.GET.get("page"))
    context = {"page": page, "today": today, "tab": tab, "tabs": [(t, OVERDUE_TABS[t]) for t in tabs], "worker": worker}
    return render(request, "planning/overdue.html", context)

"""Reads over plans: the plan page in a fixed number of queries, progress, coverage, changes, overdue work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from kinplan.accounts.models import User
from kinplan.assessments.selectors import SuggestedGoal, suggested_goals
from kinplan.cases.models import Case, Participant, TeamMember
from kinplan.cases.permissions import cases_visible_to
from kinplan.cases.selectors import NARROW_REACH_ROLES
from kinplan.planning.models import Agreement, Goal, NeedDeferral, Plan, Step
from kinplan.planning.quality import QualityIssue, item_issues
from kinplan.planning.services.content import content_changes, plan_content
from kinplan.planning.services.plans import last_agreed_version

UPCOMING_DAYS = 14


def current_plan(*, case: Case) -> Plan | None:
    return case.plans.filter(is_current=True).first()


@dataclass
class Progress:
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class GoalView:
    goal: Goal
    steps: list[Step]
    intermediate: list[GoalView] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)


@dataclass
class StepView:
    step: Step
    issues: list[QualityIssue]
    overdue: bool


def _count(steps: list[Step]) -> Progress:
    counted = [s for s in steps if s.status != Step.Status.CANCELLED]
    return Progress(done=sum(s.status == Step.Status.DONE for s in counted), total=len(counted))


def _goal_tree(goals: list[Goal]) -> list[GoalView]:
    views = {g.pk: GoalView(goal=g, steps=list(g.steps.all())) for g in goals}
    roots = []
    for goal in goals:
        view = views[goal.pk]
        if goal.parent_id and goal.parent_id in views:
            views[goal.parent_id].intermediate.append(view)
        else:
            roots.append(view)
    for root in roots:
        all_steps = root.steps + [s for child in root.intermediate for s in child.steps]
        root.progress = _count(all_steps)
        for child in root.intermediate:
            child.progress = _count(child.steps)
    return roots


def plan_with_content(plan_id: int) -> Plan:
    """The plan with goals, their needs and steps (and who does them) loaded in a fixed number of queries."""
    steps = Step.objects.select_related(
        "responsible_person", "responsible_user", "provider", "provider_service__service_type"
    ).order_by("position", "due_on", "id")
    return (
        Plan.objects.select_related("case", "assessment", "created_by", "previous")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.prefetch_related("needs", Prefetch("steps", queryset=steps))),
            Prefetch(
                "deferrals", queryset=NeedDeferral.objects.filter(archived_at__isnull=True).select_related("need")
            ),
            Prefetch("agreements", queryset=Agreement.objects.select_related("recorded_by")),
            "transitions__actor",
        )
        .get(pk=plan_id)
    )


@dataclass
class Costs:
    by_funder: dict[str, Decimal]  # funder → total, for the funders that pay anything
    total: Decimal
    unpriced: int  # steps that cost money with no cost given yet
    no_cost: int  # steps that cost nothing (often informal supports)


def plan_costs(steps: list[Step]) -> Costs:
    """What the plan's steps cost, by who pays, and how many cost nothing (cancelled steps aside)."""
    by_funder: dict[str, Decimal] = {}
    unpriced = no_cost = 0
    for step in steps:
        if step.status == Step.Status.CANCELLED:
            continue
        if step.costs_money is False or step.funder == Step.Funder.NO_COST:
            no_cost += 1
            continue
        if not step.costs_money:
            continue
        if step.cost is None:
            unpriced += 1
            continue
        funder = step.funder or Step.Funder.OTHER
        by_funder[funder] = by_funder.get(funder, Decimal("0")) + step.cost
    total = sum(by_funder.values(), Decimal("0"))
    return Costs(by_funder=by_funder, total=total, unpriced=unpriced, no_cost=no_cost)


def plan_page(*, plan: Plan, today: datetime.date) -> dict[str, Any]:
    """Everything the plan page shows: goal tree by track, good-test warnings, progress, agreement, changes."""
    goals = list(plan.goals.all())
    steps = [s for g in goals for s in g.steps.all()]
    tree = _goal_tree(goals)
    return {
        "plan": plan,
        "main_goals": [g for g in tree if g.goal.track == Goal.Track.MAIN],
        "alternative_goals": [g for g in tree if g.goal.track == Goal.Track.ALTERNATIVE],
        "step_issues": {s.pk: item_issues(s) for s in steps},
        **plan_figures(steps, today),
        "coverage": need_coverage(plan=plan, goals=goals),
        "agreement": agreement_table(plan=plan),
        **changes_since_agreement(plan=plan),
    }


def plan_figures(steps: list[Step], today: datetime.date) -> dict[str, Any]:
    """The plan's figures at a glance: progress, overdue and upcoming steps, costs and good-test warnings."""
    return {
        "quality_warnings": sum(bool(item_issues(s)) for s in steps if s.status != Step.Status.CANCELLED),
        "progress": _count(steps),
        "overdue": sorted((s for s in steps if s.is_overdue(today)), key=lambda s: s.due_on),
        "upcoming": sorted(
            (
                s
                for s in steps
                if s.is_open and s.due_on and today <= s.due_on <= today + datetime.timedelta(days=UPCOMING_DAYS)
            ),
            key=lambda s: s.due_on,
        ),
        "costs": plan_costs(steps),
    }


def figures_after_step_change(*, step: Step, today: datetime.date) -> dict[str, Any]:
    """What a change to `step` alters elsewhere on the plan page: the figures at a glance, and the progress of its
    goal and of the long-term goal above it (`goal_views`). For an in-place edit to redraw them with the step."""
    plan = plan_with_content(step.goal.plan_id)
    goals = list(plan.goals.all())
    chain = {step.goal_id, step.goal.parent_id}
    views = [v for root in _goal_tree(goals) for v in (root, *root.intermediate) if v.goal.pk in chain]
    return {**plan_figures([s for g in goals for s in g.steps.all()], today), "goal_views": views}


def need_coverage(*, plan: Plan, goals: list[Goal] | None = None) -> dict[str, list[Any]]:
    """Each need in the plan's assessment: answered by goals, deferred with a reason, or not yet addressed."""
    if plan.assessment_id is None:
        return {"addressed": [], "deferred": [], "unaddressed": []}
    goals = goals if goals is not None else list(plan.goals.prefetch_related("needs"))
    addressed_ids = {n.pk for g in goals if g.status != Goal.Status.DISCONTINUED for n in g.needs.all()}
    deferred = {d.need_id: d for d in plan.deferrals.all() if d.archived_at is None}
    needs = list(plan.assessment.needs.all())
    return {
        "addressed": [n for n in needs if n.pk in addressed_ids],
        "deferred": [deferred[n.pk] for n in needs if n.pk in deferred and n.pk not in addressed_ids],
        "unaddressed": [n for n in needs if n.pk not in addressed_ids and n.pk not in deferred],
    }


def agreement_table(*, plan: Plan) -> list[dict[str, Any]]:
    """Every current team member with their position on this version (not yet asked when none recorded)."""
    recorded = {a.member_id: a for a in plan.agreements.all()}
    members = TeamMember.objects.filter(case_id=plan.case_id, archived_at__isnull=True).select_related("person", "user")
    return [{"member": m, "agreement": recorded.get(m.pk)} for m in members]


def changes_since_agreement(*, plan: Plan) -> dict[str, Any]:
    """For a plan changed after it (or an earlier version) was agreed: what changed, and who to consult again."""
    agreed = last_agreed_version(plan)
    if agreed is None:
        return {"last_agreed": None, "changes": [], "consult_again": []}
    changes = content_changes(agreed.agreed_content, plan_content(plan)) if agreed.agreed_content else []
    consult_again: list[str] = []
    if changes and plan.status == Plan.Status.DRAFT:
        agreed_now = {a.member_id for a in plan.agreements.all() if a.position == Agreement.Position.AGREES}
        consult_again = [
            str(a.member.member_name)
            for a in agreed.agreements.select_related("member__person", "member__user")
            if a.position == Agreement.Position.AGREES
            and a.member_id not in agreed_now
            and a.member.archived_at is None
        ]
    return {"last_agreed": agreed, "changes": changes, "consult_again": consult_again}


def plan_versions(*, case: Case) -> QuerySet[Plan]:
    return case.plans.order_by("-version").only("id", "version", "status", "agreed_at", "created_at", "case_id")


def steps_overdue(
    *, user: User, today: datetime.date, team_only: bool = False, worker_id: int | None = None
) -> QuerySet[Step]:
    """Open steps past their due date in the current plans of the cases `user` may see (oldest first); only in their
    team's cases if `team_only`, only in one worker's if `worker_id`."""
    cases = cases_visible_to(user).filter(archived_at__isnull=True, status=Case.Status.OPEN)
    if team_only and user.team_id:
        cases = cases.filter(team_id=user.team_id)
    if worker_id is not None:
        cases = cases.filter(worker_id=worker_id)
    if team_only or user.role in NARROW_REACH_ROLES:
        # A caseload or a team's: read its few hundred cases first, so the steps are read from those cases' plans.
        # Given the subquery, PostgreSQL reads every overdue step in the country and then drops the others'.
        cases = list(cases.values_list("pk", flat=True))
    return (
        Step.objects.filter(
            goal__plan__case__in=cases,
            goal__plan__is_current=True,
            status__in=[Step.Status.PLANNED, Step.Status.IN_PROGRESS],
            due_on__lt=today,
        )
        .select_related("goal__plan__case__worker", "responsible_person", "responsible_user", "provider")
        .order_by("due_on", "id")
    )


def overdue_by_worker(*, user: User, today: datetime.date, cases: QuerySet[Case]) -> dict[int | None, int]:
    """How many `steps_overdue` each worker has in `cases` (a caseload, a team's, a site's), by the case's worker.
    The case ids are read first, as `steps_overdue` does for a team: given the subquery, PostgreSQL counted every
    overdue step in the country (45 ms against 100,000 cases)."""
    case_ids = list(cases.values_list("pk", flat=True))
    steps = steps_overdue(user=user, today=today).filter(goal__plan__case__in=case_ids)
    return dict(steps.order_by().values_list("goal__plan__case__worker_id").annotate(n=Count("id")))


def steps_due(*, cases: QuerySet[Case], start: datetime.date, end: datetime.date) -> QuerySet[Step]:
    """Open steps due from `start` to `end` (both included) in the current plans of `cases`, soonest first."""
    return (
        Step.objects.filter(
            goal__plan__case__in=cases,
            goal__plan__is_current=True,
            status__in=[Step.Status.PLANNED, Step.Status.IN_PROGRESS],
            due_on__range=(start, end),
        )
        .select_related("goal__plan__case")
        .order_by("due_on", "id")
    )


def plans_awaiting_agreement(*, cases: QuerySet[Case]) -> list[Plan]:
    """The current draft plans of `cases`, oldest first, each with `members_required` (the team members whose
    agreement is required) and `members_agreeing` (those of them who agree to this version). Three queries."""
    plans = list(
        Plan.objects.filter(case__in=cases, is_current=True, status=Plan.Status.DRAFT)
        .select_related("case")
        .order_by("created_at", "id")
    )
    required = Q(archived_at__isnull=True, is_required=True)
    members = dict(
        TeamMember.objects.filter(required, case__in=[p.case_id for p in plans])
        .order_by()
        .values_list("case_id")
        .annotate(n=Count("id"))
    )
    agreeing = dict(
        Agreement.objects.filter(
            plan__in=plans,
            position=Agreement.Position.AGREES,
            member__archived_at__isnull=True,
            member__is_required=True,
        )
        .order_by()
        .values_list("plan_id")
        .annotate(n=Count("id"))
    )
    for plan in plans:
        plan.members_required = members.get(plan.case_id, 0)
        plan.members_agreeing = agreeing.get(plan.pk, 0)
    return plans


def timeline(*, plan: Plan, today: datetime.date, width: int = 900) -> dict[str, Any]:
    """Goals and steps placed on a time axis (x in pixels), for the road-map view and its SVG."""
    goals = list(plan.goals.all())
    dated: list[datetime.date] = [today, plan.starts_on]
    dated += [d for g in goals for d in (g.target_date,) if d]
    dated += [d for g in goals for s in g.steps.all() for d in (s.starts_on, s.due_on) if d]
    if plan.ends_on:
        dated.append(plan.ends_on)
    start, end = min(dated), max(dated)
    span = max((end - start).days, 1)

    def x(day: datetime.date) -> int:
        return round(40 + (width - 80) * (day - start).days / span)

    rows = []
    for view in _goal_tree(goals):
        for goal_view in [view, *view.intermediate]:
            goal = goal_view.goal
            rows.append(
                {
                    "kind": "goal",
                    "label": goal.title,
                    "long_term": goal.is_long_term,
                    "track": goal.track,
                    "status": goal.status,
                    "status_label": goal.get_status_display(),
                    "x": x(goal.target_date) if goal.target_date else None,
                    "date": goal.target_date,
                }
            )
            for step in goal_view.steps:
                when = step.due_on or step.starts_on
                rows.append(
                    {
                        "kind": "step",
                        "label": step.what,
                        "status": step.status,
                        "status_label": step.get_status_display(),
                        "who": step.responsible_label or step.get_responsible_display(),
                        "date": when,
                        "x": x(when) if when else None,
                        "x_start": x(step.starts_on) if step.starts_on else None,
                        "overdue": step.is_overdue(today),
                    }
                )
    months = []
    month = start.replace(day=1)
    while month <= end:
        if month >= start:
            # Translators: a month on the timeline's axis, as a date format ("Mar 2026"); "b Y" gives "mar 2026".
            months.append({"x": x(month), "label": date_format(month, gettext("M Y"))})
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return {"rows": rows, "today_x": x(today), "months": months, "width": width, "start": start, "end": end}


# --- the screens: the plan page, the case page's plan section and the overdue list --------------------

OPEN_STEP = Q(goals__steps__status__in=[Step.Status.PLANNED, Step.Status.IN_PROGRESS])


def plan_for_case(*, case: Case, version: int | None = None) -> Plan | None:
    """The case's current plan, or the version asked for, with its content loaded; None if there is none."""
    plans = case.plans.filter(version=version) if version is not None else case.plans.filter(is_current=True)
    plan_id = plans.values_list("id", flat=True).first()
    return plan_with_content(plan_id) if plan_id is not None else None


def goal_suggestions(*, plan: Plan, coverage: dict[str, list[Any]]) -> list[SuggestedGoal]:
    """Goals worth adding: the assessment's suggestions (underlying issues first) not yet addressed or deferred."""
    if plan.assessment_id is None:
        return []
    open_needs = {n.pk for n in coverage["unaddressed"]}
    return [s for s in suggested_goals(assessment=plan.assessment) if s.need.pk in open_needs]


def _goals_by_need(goals: list[Goal]) -> dict[int, list[Goal]]:
    answered: dict[int, list[Goal]] = {}
    for goal in goals:
        if goal.status != Goal.Status.DISCONTINUED:
            for need in goal.needs.all():
                answered.setdefault(need.pk, []).append(goal)
    return answered


def plan_screen(*, plan: Plan, today: datetime.date) -> dict[str, Any]:
    """The plan page: `plan_page` plus versions, suggestions and which goals answer each need."""
    page = plan_page(plan=plan, today=today)
    by_need = _goals_by_need(list(plan.goals.all()))
    coverage = page["coverage"]
    return {
        **page,
        "addressed": [(need, by_need.get(need.pk, [])) for need in coverage["addressed"]],
        "suggestions": goal_suggestions(plan=plan, coverage=coverage),
        "versions": list(plan_versions(case=plan.case)),
        "transitions": list(plan.transitions.all()),
    }


def plan_summary(*, case: Case, today: datetime.date | None = None) -> dict[str, Any] | None:
    """The case page's plan section in one query: status, version, progress, overdue and next due steps."""
    today = today or timezone.localdate()
    plan = (
        case.plans.filter(is_current=True)
        .annotate(
            steps_total=Count("goals__steps", filter=~Q(goals__steps__status=Step.Status.CANCELLED)),
            steps_done=Count("goals__steps", filter=Q(goals__steps__status=Step.Status.DONE)),
            steps_overdue=Count("goals__steps", filter=OPEN_STEP & Q(goals__steps__due_on__lt=today)),
            next_step_due=Min("goals__steps__due_on", filter=OPEN_STEP & Q(goals__steps__due_on__gte=today)),
        )
        .first()
    )
    if plan is None:
        return None
    return {"plan": plan, "progress": Progress(done=plan.steps_done, total=plan.steps_total), "today": today}


def overdue_steps_list(
    *, user: User, today: datetime.date, team_only: bool = False, mine_only: bool = False, worker_id: int | None = None
) -> QuerySet[Step]:
    """The overdue list: `steps_overdue` (only in `user`'s own cases if `mine_only`, in one worker's if `worker_id`),
    children loaded in one query."""
    children = (
        Participant.objects.filter(role=Participant.Role.CHILD, archived_at__isnull=True)
        .select_related("person")
        .order_by("person__date_of_birth", "person__given_name")
    )
    steps = steps_overdue(user=user, today=today, team_only=team_only, worker_id=user.pk if mine_only else worker_id)
    return steps.prefetch_related(
        Prefetch("goal__plan__case__participants", queryset=children, to_attr="child_participants")
    )

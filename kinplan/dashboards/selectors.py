"""What each role's dashboard shows, read through the other apps' selectors (and so their visibility rules).

Each panel is a dataclass built in a fixed number of queries, whatever the size of the caseload, team or site:
- `my_work`: a worker's open cases, steps due this week (a chart by day), overdue steps, plans awaiting agreement;
- `team_workload`: a supervisor's team or a site manager's site, by worker (open cases, overdue steps) and by risk;
- `approvals`: permanent care plans awaiting approval, escalations and the step each has reached, and what the
  support service has spent against the costs approved;
- `determinations`: the escalations waiting for the national manager's final determination.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.assessments.models import RiskLevel
from kinplan.assessments.selectors import risk_levels
from kinplan.cases.selectors import Scope, caseload_cases
from kinplan.core.charts import Bar, BarChart, bar_chart
from kinplan.permanent_care.models import ArrangementTransition, EscalationStep, SupportArrangement
from kinplan.permanent_care.permissions import RUNG_HELD_BY
from kinplan.permanent_care.selectors import arrangements_visible_to, next_rungs, spend_by_arrangement
from kinplan.planning.models import Plan, Step
from kinplan.planning.selectors import overdue_by_worker, plans_awaiting_agreement, steps_due, steps_overdue

Role = User.Role
S = SupportArrangement.Status
Rung = EscalationStep.Rung
WEEK = 7
SHOWN = 10  # rows a panel lists before it links to the full list


@dataclass
class MyWork:
    open_cases: int
    overdue: int
    due_this_week: list[Step]
    due_by_day: BarChart
    awaiting_agreement: list[Plan]


def my_work(*, user: User, today: datetime.date) -> MyWork:
    """A worker's own caseload at a glance. Five queries."""
    mine = caseload_cases(user=user, scope=Scope.MINE)
    due = list(steps_due(cases=mine, start=today, end=today + datetime.timedelta(days=WEEK - 1)))
    days = [today + datetime.timedelta(days=n) for n in range(WEEK)]
    by_day = bar_chart([Bar(label=_day_label(day, today), value=sum(s.due_on == day for s in due)) for day in days])
    return MyWork(
        open_cases=mine.count(),
        overdue=steps_overdue(user=user, today=today).filter(goal__plan__case__in=mine).count(),
        due_this_week=due,
        due_by_day=by_day,
        awaiting_agreement=plans_awaiting_agreement(cases=mine),
    )


def _day_label(day: datetime.date, today: datetime.date) -> str:
    if day == today:
        return _("Today")
    if day == today + datetime.timedelta(days=1):
        return _("Tomorrow")
    return date_format(day, "D j M")


@dataclass
class WorkerLoad:
    worker: User
    open_cases: int
    overdue: int
    overdue_url: str


@dataclass
class TeamWorkload:
    scope: str  # Scope.TEAM or Scope.SITE
    rows: list[WorkerLoad]
    cases_chart: BarChart
    overdue_chart: BarChart
    risk: list[tuple[str, str, int]]  # (level, label, cases)
    risk_chart: BarChart
    unallocated: int


def team_workload(*, user: User, today: datetime.date) -> TeamWorkload | None:
    """A supervisor's team, or a site manager's site: each worker's open cases and overdue steps, and the cases
    by risk level. None for someone with neither. Four queries."""
    scope = Scope.SITE if user.role == Role.SITE_MANAGER else Scope.TEAM
    if (scope == Scope.TEAM and not user.team_id) or (scope == Scope.SITE and not user.site_id):
        return None
    cases = caseload_cases(user=user, scope=scope)
    counts = dict(cases.order_by().values_list("worker_id").annotate(n=Count("id")))
    overdue = overdue_by_worker(user=user, today=today, cases=cases)
    colleagues = User.objects.filter(is_active=True, role=Role.SOCIAL_WORKER)
    if scope == Scope.TEAM:
        colleagues = colleagues.filter(team_id=user.team_id)
    else:
        colleagues = colleagues.filter(site_id=user.site_id)
    workers = {w.pk: w for w in colleagues}
    workers |= {w.pk: w for w in User.objects.filter(pk__in=[pk for pk in counts if pk and pk not in workers])}
    tab = "team" if scope == Scope.TEAM else "site"
    rows = sorted(
        (
            WorkerLoad(
                worker=worker,
                open_cases=counts.get(pk, 0),
                overdue=overdue.get(pk, 0),
                overdue_url=reverse("planning:overdue") + "?" + urlencode({"tab": tab, "worker": pk}),
            )
            for pk, worker in workers.items()
        ),
        key=lambda row: (-row.overdue, -row.open_cases, row.worker.get_full_name()),
    )
    levels = risk_levels(cases=cases)
    risk = [(level, str(label), levels.get(level, 0)) for level, label in reversed(RiskLevel.choices)]
    risk.append(("", _("Not yet assessed"), levels.get("", 0)))
    return TeamWorkload(
        scope=scope,
        rows=rows,
        cases_chart=bar_chart([Bar(str(r.worker), r.open_cases) for r in rows]),
        overdue_chart=bar_chart([Bar(str(r.worker), r.overdue, kind="overdue") for r in rows]),
        risk=risk,
        risk_chart=bar_chart([Bar(label, n, kind=f"risk-{level or 'none'}") for level, label, n in risk]),
        unallocated=counts.get(None, 0),
    )


@dataclass
class Escalation:
    arrangement: SupportArrangement
    rung: int | None
    rung_label: str
    held_by: str


@dataclass
class SpendRow:
    arrangement: SupportArrangement
    approved: Decimal
    committed: Decimal
    delivered: Decimal

    @property
    def over_approved(self) -> bool:
        return self.committed > self.approved


@dataclass
class Approvals:
    awaiting: list[tuple[SupportArrangement, datetime.datetime | None]]
    escalations: list[Escalation]
    by_rung: BarChart
    spend: list[SpendRow]
    spend_chart: BarChart
    approved_total: Decimal = Decimal(0)
    committed_total: Decimal = Decimal(0)
    delivered_total: Decimal = Decimal(0)
    shown: int = SHOWN
    counts: dict[str, int] = field(default_factory=dict)


def approvals(*, user: User) -> Approvals:
    """Permanent care plans awaiting approval (since when), escalations with the step of the ladder each has reached
    and whose move it is, and spend against the approved costs of the plans handed over. Six queries."""
    live = list(
        arrangements_visible_to(user)
        .filter(status__in=[S.AWAITING_APPROVAL, S.NOT_APPROVED, S.SENT, S.IN_PLACE])
        .order_by("updated_at", "id")
    )
    awaiting = [a for a in live if a.status == S.AWAITING_APPROVAL]
    since = dict(
        ArrangementTransition.objects.filter(arrangement__in=awaiting, to_status=S.AWAITING_APPROVAL)
        .values_list("arrangement_id")
        .annotate(at=Max("at"))
    )
    escalations = escalations_of([a for a in live if a.status == S.NOT_APPROVED])
    handed_over = [a for a in live if a.status in (S.SENT, S.IN_PLACE)]
    spent = spend_by_arrangement([a.pk for a in handed_over])
    spend = [SpendRow(a, spent[a.pk].approved, spent[a.pk].committed, spent[a.pk].delivered) for a in handed_over]
    spend.sort(key=lambda row: (not row.over_approved, -(row.committed - row.approved)))
    return Approvals(
        awaiting=[(a, since.get(a.pk)) for a in awaiting],
        escalations=escalations,
        by_rung=ladder_chart(escalations),
        spend=spend,
        spend_chart=bar_chart(
            value_width=150,
            bars=[
                Bar(
                    str(row.arrangement.child),
                    row.committed,
                    kind="over" if row.over_approved else "spend",
                    target=row.approved,
                    shown=_("$%(committed)s of $%(approved)s")
                    % {"committed": _money(row.committed), "approved": _money(row.approved)},
                )
                for row in spend[:SHOWN]
            ],
        ),
        approved_total=sum((row.approved for row in spend), Decimal(0)),
        committed_total=sum((row.committed for row in spend), Decimal(0)),
        delivered_total=sum((row.delivered for row in spend), Decimal(0)),
    )


def escalations_of(arrangements: list[SupportArrangement]) -> list[Escalation]:
    """Arrangements not approved, each with the rung of the ladder to take next and the role whose move it is;
    furthest up the ladder first. One query."""
    rungs = next_rungs(arrangements)
    escalations = []
    for arrangement in arrangements:
        rung = rungs.get(arrangement.pk)
        escalations.append(
            Escalation(
                arrangement=arrangement,
                rung=rung,
                rung_label=str(Rung(rung).label) if rung else _("Resolved — the plan is to be changed"),
                held_by=str(RUNG_HELD_BY[Rung(rung)].label) if rung else _("Social worker"),
            )
        )
    escalations.sort(key=lambda e: (-(e.rung or 0), e.arrangement.updated_at))
    return escalations


def ladder_chart(escalations: list[Escalation]) -> BarChart:
    return bar_chart(
        [
            Bar(_("Step %(rung)s") % {"rung": rung.value}, sum(e.rung == rung for e in escalations), kind="ladder")
            for rung in Rung
        ]
    )


@dataclass
class Determinations:
    waiting: list[Escalation]
    escalations: list[Escalation]
    by_rung: BarChart
    awaiting_approval: int


def determinations(*, user: User) -> Determinations:
    """The national manager's: escalations at the last rung, waiting for a final determination, and the ladder
    across the country. Three queries."""
    arrangements = list(arrangements_visible_to(user).filter(status__in=[S.NOT_APPROVED, S.AWAITING_APPROVAL]))
    escalations = escalations_of([a for a in arrangements if a.status == S.NOT_APPROVED])
    return Determinations(
        waiting=[e for e in escalations if e.rung == Rung.NATIONAL_DETERMINATION],
        escalations=escalations,
        by_rung=ladder_chart(escalations),
        awaiting_approval=sum(a.status == S.AWAITING_APPROVAL for a in arrangements),
    )


def _money(amount: Decimal) -> str:
    return number_format(amount, 0, force_grouping=True)


PANELS: dict[str, list[str]] = {
    Role.SOCIAL_WORKER: ["my_work"],
    Role.SUPERVISOR: ["team", "my_work"],
    Role.SITE_MANAGER: ["approvals", "team"],
    Role.SUPPORT_MANAGER: ["approvals"],
    Role.SUPPORT_CASEWORKER: ["my_work"],
    Role.NATIONAL_MANAGER: ["determinations"],
}


def dashboard(*, user: User, today: datetime.date) -> dict[str, Any]:
    """The panels of `user`'s role, in the order the role needs them."""
    build = {
        "my_work": lambda: my_work(user=user, today=today),
        "team": lambda: team_workload(user=user, today=today),
        "approvals": lambda: approvals(user=user),
        "determinations": lambda: determinations(user=user),
    }
    built = {name: build[name]() for name in PANELS.get(user.role, [])}
    if user.role == Role.SUPERVISOR and not built["my_work"].open_cases:
        del built["my_work"]  # a supervisor who carries no cases of their own
    return {"panels": list(built), **built}

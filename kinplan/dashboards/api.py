"""The signed-in user's dashboard over the API: the same panels, for the same role, as the page at /."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from kinplan.accounts.models import User
from kinplan.dashboards import selectors
from kinplan.permanent_care.selectors import waiting_for

router = Router(tags=["dashboards"])


class WaitingOut(Schema):
    arrangement_id: int
    case_id: int
    child: str
    what: str


class DueStepOut(Schema):
    step_id: int
    case_id: int
    what: str
    due_on: datetime.date


class AwaitingAgreementOut(Schema):
    plan_id: int
    case_id: int
    version: int
    members_required: int
    members_agreeing: int


class MyWorkOut(Schema):
    open_cases: int
    overdue_steps: int
    due_this_week: list[DueStepOut]
    awaiting_agreement: list[AwaitingAgreementOut]


class WorkerLoadOut(Schema):
    worker_id: int
    name: str
    open_cases: int
    overdue_steps: int


class TeamOut(Schema):
    scope: str = Field(description="'team' (a supervisor's) or 'site' (a site manager's)")
    workers: list[WorkerLoadOut]
    risk_levels: dict[str, int] = Field(description="Open cases by their latest assessment's risk ('' for none yet)")
    unallocated_cases: int


class EscalationOut(Schema):
    arrangement_id: int
    case_id: int
    child: str
    rung: int | None = Field(description="The step of the ladder to take next (1–6); null once resolved")
    rung_label: str
    whose_move: str


class AwaitingApprovalOut(Schema):
    arrangement_id: int
    case_id: int
    child: str
    since: datetime.datetime | None


class SpendOut(Schema):
    arrangement_id: int
    case_id: int
    child: str
    approved: Decimal
    committed: Decimal
    delivered: Decimal
    over_approved: bool


class ApprovalsOut(Schema):
    awaiting_approval: list[AwaitingApprovalOut]
    escalations: list[EscalationOut]
    spend: list[SpendOut]


class DeterminationsOut(Schema):
    waiting: list[EscalationOut]
    escalations_by_rung: dict[int, int]
    awaiting_approval: int


class DashboardOut(Schema):
    role: str
    panels: list[str] = Field(description="The panels of this role, in the order the page shows them")
    waiting: list[WaitingOut] = Field(description="What waits for you in the permanent care process")
    my_work: MyWorkOut | None = None
    team: TeamOut | None = None
    approvals: ApprovalsOut | None = None
    determinations: DeterminationsOut | None = None


@router.get("/me/dashboard", response=DashboardOut, summary="Your dashboard: the panels your role sees at /")
def get_dashboard(request: HttpRequest) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    data = selectors.dashboard(user=user, today=today)
    out: dict[str, Any] = {"role": user.role, "panels": data["panels"]}
    out["waiting"] = [{**_arrangement(w.arrangement), "what": w.what} for w in waiting_for(user, today)]
    for name in data["panels"]:
        out[name] = PANEL_JSON[name](data[name]) if data[name] is not None else None
    return out


def _arrangement(a: Any) -> dict[str, Any]:
    return {"arrangement_id": a.pk, "case_id": a.case_id, "child": a.child.full_name}


def _my_work(work: selectors.MyWork) -> dict[str, Any]:
    return {
        "open_cases": work.open_cases,
        "overdue_steps": work.overdue,
        "due_this_week": [
            {"step_id": s.pk, "case_id": s.goal.plan.case_id, "what": s.what, "due_on": s.due_on}
            for s in work.due_this_week
        ],
        "awaiting_agreement": [
            {
                "plan_id": p.pk,
                "case_id": p.case_id,
                "version": p.version,
                "members_required": p.members_required,
                "members_agreeing": p.members_agreeing,
            }
            for p in work.awaiting_agreement
        ],
    }


def _team(team: selectors.TeamWorkload) -> dict[str, Any]:
    return {
        "scope": team.scope,
        "workers": [
            {"worker_id": r.worker.pk, "name": str(r.worker), "open_cases": r.open_cases, "overdue_steps": r.overdue}
            for r in team.rows
        ],
        "risk_levels": {level: count for level, _label, count in team.risk},
        "unallocated_cases": team.unallocated,
    }


def _escalation(e: selectors.Escalation) -> dict[str, Any]:
    return {**_arrangement(e.arrangement), "rung": e.rung, "rung_label": e.rung_label, "whose_move": e.held_by}


def _approvals(approvals: selectors.Approvals) -> dict[str, Any]:
    return {
        "awaiting_approval": [{**_arrangement(a), "since": since} for a, since in approvals.awaiting],
        "escalations": [_escalation(e) for e in approvals.escalations],
        "spend": [
            {
                **_arrangement(row.arrangement),
                "approved": row.approved,
                "committed": row.committed,
                "delivered": row.delivered,
                "over_approved": row.over_approved,
            }
            for row in approvals.spend
        ],
    }


def _determinations(d: selectors.Determinations) -> dict[str, Any]:
    by_rung = {rung: 0 for rung in range(1, 7)}
    for e in d.escalations:
        if e.rung:
            by_rung[e.rung] += 1
    return {
        "waiting": [_escalation(e) for e in d.waiting],
        "escalations_by_rung": by_rung,
        "awaiting_approval": d.awaiting_approval,
    }


PANEL_JSON = {"my_work": _my_work, "team": _team, "approvals": _approvals, "determinations": _determinations}

"""Lists: the arrangements a user may see, and what in them waits for each role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.cases.permissions import cases_visible_to
from kinplan.permanent_care.models import (
    ApprovalDecision,
    EscalationStep,
    FollowUp,
    SupportArrangement,
)

S = SupportArrangement.Status
Rung = EscalationStep.Rung
Outcome = EscalationStep.Outcome


# --- lists ---------------------------------------------------------------------------------------------------


def arrangements_visible_to(user: User) -> QuerySet[SupportArrangement]:
    return SupportArrangement.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case__site", "case__worker", "child", "caregiver", "caseworker", "support_service"
    )


def arrangement_for_case(case: Any) -> SupportArrangement | None:
    """The case's arrangement under way, else its latest."""
    arrangements = list(case.support_arrangements.select_related("child", "caregiver", "caseworker"))
    return next((a for a in arrangements if a.is_open), arrangements[0] if arrangements else None)


@dataclass(frozen=True)
class Waiting:
    arrangement: SupportArrangement
    what: str


LEADER_NEXT = {
    S.REFERRAL_DRAFT: gettext_lazy("Check the referral pack and send it to the support service"),
    S.PLANNING: gettext_lazy("Plan with the family, then record everyone's agreement and the court step"),
    S.READY_FOR_COURT: gettext_lazy("Submit the plan for approval"),
    S.APPROVED: gettext_lazy("Send the plan to the support service once the orders are discharged"),
}


@dataclass
class _Context:
    """What `waiting_for` loads once for all the arrangements it looks at."""

    next_rungs: dict[int, int | None]
    decided: set[tuple[int, str]]
    follow_ups: set[int]
    today: datetime.date


def next_rungs(arrangements: list[SupportArrangement]) -> dict[int, int | None]:
    """For arrangements not approved: the rung of the escalation ladder to take next in the dispute of their current
    approval round (None once the dispute is resolved or determined). One query."""
    last: dict[int, EscalationStep] = {}
    for step in EscalationStep.objects.filter(arrangement__in=arrangements).order_by("dispute", "rung"):
        if step.dispute == next(a.approval_round for a in arrangements if a.pk == step.arrangement_id):
            last[step.arrangement_id] = step
    result: dict[int, int | None] = {}
    for a in arrangements:
        step = last.get(a.pk)
        if step is None:
            result[a.pk] = Rung.CONSULT_CASEWORKER
        else:
            done = step.outcome != Outcome.UNRESOLVED or step.rung == Rung.NATIONAL_DETERMINATION
            result[a.pk] = None if done else step.rung + 1
    return result


def waiting_for(user: User, today: datetime.date | None = None) -> list[Waiting]:
    """What waits for `user` in the permanent care process, given their role: the social worker's next move,
    the supervisor's consult, the managers' sign-off, approval and escalation, the caseworker's allocation,
    discussion, letter and review, the national manager's determination. A fixed number of queries."""
    from kinplan.permanent_care.permissions import can_record_rung

    live = list(arrangements_visible_to(user).exclude(status__in=[S.CLOSED, S.WITHDRAWN]))
    rounds = {a.pk: a.approval_round for a in live}
    context = _Context(
        next_rungs=next_rungs([a for a in live if a.status == S.NOT_APPROVED]),
        decided={
            (d.arrangement_id, d.kind)
            for d in ApprovalDecision.objects.filter(arrangement__in=live)
            if rounds.get(d.arrangement_id) == d.round
        },
        follow_ups=set(
            FollowUp.objects.filter(arrangement__in=live, discussed_on__isnull=True).values_list(
                "arrangement_id", flat=True
            )
        ),
        today=today or timezone.localdate(),
    )
    waiting = []
    for arrangement in live:
        for what in _waiting_on(user, arrangement, context, can_record_rung):
            waiting.append(Waiting(arrangement, what))
    return waiting


def _waiting_on(user: User, a: SupportArrangement, context: _Context, can_record_rung: Any) -> list[str]:
    role, Role = user.role, User.Role
    leads = role == Role.SOCIAL_WORKER and a.case.worker_id == user.pk
    support_staff = user.organisation_id == a.support_service_id and (
        role == Role.SUPPORT_MANAGER or a.caseworker_id == user.pk
    )
    out: list[str] = []
    if leads and a.status in LEADER_NEXT:
        out.append(str(LEADER_NEXT[a.status]))
    if leads and a.pk in context.follow_ups:
        out.append(_("Discuss the changes with the caregivers and planning participants"))
    rung = context.next_rungs.get(a.pk) if a.status == S.NOT_APPROVED else None
    if rung and ((leads and rung in (1, 2, 4)) or (rung not in (1, 2, 4) and can_record_rung(user, a, rung))):
        out.append(_("Escalation step %(rung)s: %(label)s") % {"rung": rung, "label": Rung(rung).label})
    if a.status == S.AWAITING_APPROVAL:
        if (
            role == Role.SITE_MANAGER
            and user.site_id == a.case.site_id
            and (a.pk, "site_sign_off") not in context.decided
        ):
            out.append(_("Sign off the items the site resources"))
        if role == Role.SUPPORT_MANAGER and support_staff and (a.pk, "support_service") not in context.decided:
            out.append(_("Approve the plan's content and costs"))
    if (
        a.status == S.REFERRED
        and user.organisation_id == a.support_service_id
        and role
        in (
            Role.SUPPORT_MANAGER,
            Role.SUPPORT_CASEWORKER,
        )
    ):
        out.append(_("Allocate a caseworker to this referral"))
    if a.status == S.ALLOCATED and a.caseworker_id == user.pk:
        out.append(_("Record your discussion of possible supports with the social worker"))
    if a.status == S.SENT and support_staff:
        out.append(_("Send the caregiver the acknowledgement letter"))
    soon = context.today + datetime.timedelta(days=14)
    if a.status == S.IN_PLACE and a.reviewer_id == user.pk and a.review_on and a.review_on <= soon:
        out.append(_("Review the plan (review date %(date)s)") % {"date": date_format(a.review_on)})
    return out

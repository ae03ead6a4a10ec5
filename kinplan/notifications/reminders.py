"""What is worth a reminder today, and for whom: the one place that decides it.

Each source returns `Candidate`s. A candidate's `key` names the thing and the state that prompted it (the step and
its due date, the plan and its review date…), so the same state never reminds the same person twice, and a new
state (a step given a new due date) reminds again. Texts are English message ids, translated into each
recipient's language when the reminder is issued.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from kinplan.accounts.models import User
from kinplan.cases.models import Case, GlassBreak
from kinplan.notifications.models import ReminderKind
from kinplan.permanent_care.models import ApprovalDecision, SupportArrangement
from kinplan.planning.models import Plan, Step
from kinplan.privacy.selectors import cases_due_for_retention_review
from kinplan.referrals.models import Referral
from kinplan.referrals.selectors import waiting_too_long_filter

OPEN_STEP = [Step.Status.PLANNED, Step.Status.IN_PROGRESS]
LIVE_PLAN = [Plan.Status.DRAFT, Plan.Status.AGREED, Plan.Status.ACTIVE, Plan.Status.UNDER_REVIEW]
PC = SupportArrangement.Status


@dataclass(frozen=True)
class Candidate:
    recipient_id: int
    kind: str
    key: str
    title: str  # an English message id, with %(name)s placeholders filled from `params`
    params: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    case_id: int | None = None


def due_soon_days() -> int:
    return settings.KINPLAN_REMINDER_DUE_SOON_DAYS


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id])


def _open_cases() -> Any:
    return Case.objects.filter(status=Case.Status.OPEN, archived_at__isnull=True)


def _step_recipients(step: Step) -> set[int]:
    case = step.goal.plan.case
    return {user_id for user_id in (case.worker_id, step.responsible_user_id) if user_id}


def _steps(due: Q, kind: str, title: str) -> Iterator[Candidate]:
    steps = (
        Step.objects.filter(
            due,
            status__in=OPEN_STEP,
            goal__plan__is_current=True,
            goal__plan__status__in=LIVE_PLAN,
            goal__plan__case__in=_open_cases(),
        )
        .select_related("goal__plan__case")
        .only(
            "pk", "what", "due_on", "responsible_user_id", "goal__plan__case__worker_id", "goal__plan__case__reference"
        )
    )
    for step in steps.iterator(chunk_size=2000):
        case = step.goal.plan.case
        for recipient_id in _step_recipients(step):
            yield Candidate(
                recipient_id,
                kind,
                f"{kind}:step:{step.pk}:{step.due_on.isoformat()}",
                title,
                {"step": step.what, "case": case.reference or case.pk, "due": step.due_on},
                reverse("planning:plan", args=[case.pk]),
                case.pk,
            )


def steps_due_soon(today: datetime.date) -> Iterator[Candidate]:
    soon = Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=due_soon_days()))
    title = gettext_noop("Due %(due)s: %(step)s (case %(case)s)")
    yield from _steps(soon, ReminderKind.STEP_DUE_SOON, title)


def steps_overdue(today: datetime.date) -> Iterator[Candidate]:
    title = gettext_noop("Overdue since %(due)s: %(step)s (case %(case)s)")
    yield from _steps(Q(due_on__lt=today), ReminderKind.STEP_OVERDUE, title)


def reviews_coming_up(today: datetime.date) -> Iterator[Candidate]:
    """Plan reviews and case reviews within the review notice, to the allocated worker."""
    window = (today, today + datetime.timedelta(days=settings.KINPLAN_REMINDER_REVIEW_DAYS))
    plans = Plan.objects.filter(
        is_current=True, status__in=LIVE_PLAN, next_review_on__range=window, case__in=_open_cases()
    ).select_related("case")
    for plan in plans:
        if plan.case.worker_id:
            yield Candidate(
                plan.case.worker_id,
                ReminderKind.REVIEW_COMING_UP,
                f"review:plan:{plan.pk}:{plan.next_review_on.isoformat()}",
                gettext_noop("Plan review on %(due)s (case %(case)s)"),
                {"due": plan.next_review_on, "case": plan.case.reference or plan.case.pk},
                reverse("planning:plan", args=[plan.case_id]),
                plan.case_id,
            )
    for case in _open_cases().filter(next_review_on__range=window, worker__isnull=False):
        yield Candidate(
            case.worker_id,
            ReminderKind.REVIEW_COMING_UP,
            f"review:case:{case.pk}:{case.next_review_on.isoformat()}",
            gettext_noop("Case review on %(due)s (case %(case)s)"),
            {"due": case.next_review_on, "case": case.reference or case.pk},
            _case_url(case.pk),
            case.pk,
        )


def _arrangement_url(arrangement: SupportArrangement) -> str:
    return reverse("permanent_care:arrangement", args=[arrangement.case_id, arrangement.pk])


def approvals_waiting(today: datetime.date) -> Iterator[Candidate]:
    """Permanent care plans waiting for a manager's decision longer than the approval days: to each manager
    whose decision is still missing in this approval round."""
    since = timezone.now() - datetime.timedelta(days=settings.KINPLAN_REMINDER_APPROVAL_DAYS)
    waiting = list(
        SupportArrangement.objects.filter(status=PC.AWAITING_APPROVAL, case__in=_open_cases())
        .annotate(waiting_since=Max("transitions__at", filter=Q(transitions__to_status=PC.AWAITING_APPROVAL)))
        .filter(waiting_since__lt=since)
        .select_related("case")
    )
    if not waiting:
        return
    rounds = {a.pk: a.approval_round for a in waiting}
    decided = {
        (d.arrangement_id, d.kind)
        for d in ApprovalDecision.objects.filter(arrangement__in=waiting)
        if d.round == rounds[d.arrangement_id]
    }
    managers = User.objects.filter(is_active=True, role__in=[User.Role.SITE_MANAGER, User.Role.SUPPORT_MANAGER])
    site_managers: dict[int, list[int]] = {}
    support_managers: dict[int, list[int]] = {}
    for manager in managers.only("pk", "role", "site_id", "organisation_id"):
        if manager.role == User.Role.SITE_MANAGER and manager.site_id:
            site_managers.setdefault(manager.site_id, []).append(manager.pk)
        elif manager.role == User.Role.SUPPORT_MANAGER and manager.organisation_id:
            support_managers.setdefault(manager.organisation_id, []).append(manager.pk)
    for a in waiting:
        needed = []
        if (a.pk, ApprovalDecision.Kind.SITE_SIGN_OFF) not in decided:
            needed += site_managers.get(a.case.site_id, [])
        if (a.pk, ApprovalDecision.Kind.SUPPORT_SERVICE) not in decided:
            needed += support_managers.get(a.support_service_id, [])
        for recipient_id in needed:
            yield Candidate(
                recipient_id,
                ReminderKind.APPROVAL_WAITING,
                f"approval:arrangement:{a.pk}:{a.approval_round}",
                gettext_noop(
                    "A permanent care support plan has waited since %(since)s for your decision (case %(case)s)"
                ),
                {"since": timezone.localdate(a.waiting_since), "case": a.case.reference or a.case_id},
                _arrangement_url(a),
                a.case_id,
            )


def referrals_waiting(today: datetime.date) -> Iterator[Candidate]:
    """Referrals to providers with no answer for too long (the referrals app's rule), to the case's worker; and
    permanent care referrals nobody has allocated, to the support service's managers."""
    referrals = (
        Referral.objects.filter(waiting_too_long_filter(today), case__in=_open_cases(), case__worker__isnull=False)
        .select_related("case", "provider")
        .only("pk", "status", "status_on", "sent_on", "case__worker_id", "case__reference", "provider__name")
    )
    for referral in referrals:
        since = referral.sent_on or referral.status_on
        yield Candidate(
            referral.case.worker_id,
            ReminderKind.REFERRAL_WAITING,
            f"referral:{referral.pk}:{referral.status}:{since.isoformat()}",
            gettext_noop("Referral to %(provider)s has had no answer since %(since)s (case %(case)s)"),
            {"provider": referral.provider.name, "since": since, "case": referral.case.reference or referral.case_id},
            reverse("referrals:detail", args=[referral.case_id, referral.pk]),
            referral.case_id,
        )
    since = timezone.now() - datetime.timedelta(days=settings.KINPLAN_REFERRAL_ANSWER_DAYS)
    unallocated = SupportArrangement.objects.filter(
        status=PC.REFERRED, referred_at__lt=since, case__in=_open_cases()
    ).select_related("case")
    managers: dict[int, list[int]] = {}
    for manager in User.objects.filter(is_active=True, role=User.Role.SUPPORT_MANAGER).only("pk", "organisation_id"):
        managers.setdefault(manager.organisation_id, []).append(manager.pk)
    for a in unallocated:
        for recipient_id in managers.get(a.support_service_id, []):
            yield Candidate(
                recipient_id,
                ReminderKind.REFERRAL_WAITING,
                f"referral:arrangement:{a.pk}:{a.referred_at.date().isoformat()}",
                gettext_noop("A permanent care referral has waited since %(since)s for a caseworker (case %(case)s)"),
                {"since": timezone.localdate(a.referred_at), "case": a.case.reference or a.case_id},
                _arrangement_url(a),
                a.case_id,
            )


def permanent_care_reviews(today: datetime.date) -> Iterator[Candidate]:
    """Plans in place whose review date is within the review notice (or past), to the assigned reviewer."""
    horizon = today + datetime.timedelta(days=settings.KINPLAN_REMINDER_PERMANENT_CARE_REVIEW_DAYS)
    arrangements = SupportArrangement.objects.filter(
        status=PC.IN_PLACE, review_on__lte=horizon, reviewer__isnull=False
    ).select_related("case")
    for a in arrangements:
        yield Candidate(
            a.reviewer_id,
            ReminderKind.PERMANENT_CARE_REVIEW,
            f"pc_review:arrangement:{a.pk}:{a.review_on.isoformat()}",
            gettext_noop("Permanent care support plan review on %(due)s (case %(case)s)"),
            {"due": a.review_on, "case": a.case.reference or a.case_id},
            _arrangement_url(a),
            a.case_id,
        )


# A site manager is told of an emergency opening of a restricted case made within this many days.
GLASS_BREAK_NOTICE_DAYS = 7


def glass_breaks(today: datetime.date) -> Iterator[Candidate]:
    """Each opening of a restricted case by someone not named on it, to the site managers of the case's site
    (other than the person who opened it)."""
    since = timezone.now() - datetime.timedelta(days=GLASS_BREAK_NOTICE_DAYS)
    openings = GlassBreak.objects.filter(at__gte=since).select_related("case", "user")
    managers: dict[int, list[int]] = {}
    for opening in openings:
        site_id = opening.case.site_id
        if site_id not in managers:
            managers[site_id] = list(
                User.objects.filter(role=User.Role.SITE_MANAGER, site_id=site_id, is_active=True).values_list(
                    "pk", flat=True
                )
            )
        for manager_id in managers[site_id]:
            if manager_id == opening.user_id:
                continue
            yield Candidate(
                manager_id,
                ReminderKind.GLASS_BROKEN,
                f"glass_broken:{opening.pk}",
                gettext_noop("%(user)s opened restricted case %(case)s without being named on it"),
                {"user": str(opening.user), "case": opening.case.reference or opening.case_id},
                reverse("cases:restricted"),
                opening.case_id,
            )


def retention_reviews_due(today: datetime.date) -> Iterator[Candidate]:
    """Closed cases kept longer than the retention period, to their site's managers: once a month while any wait."""
    managers = User.objects.filter(role=User.Role.SITE_MANAGER, is_active=True, site__isnull=False)
    for manager in managers:
        count = cases_due_for_retention_review(manager, today).count()
        if count:
            yield Candidate(
                manager.pk,
                ReminderKind.RETENTION_REVIEW_DUE,
                f"retention_review:{manager.site_id}:{today:%Y-%m}",
                gettext_noop("Closed cases at your site are due for a retention review: %(count)s"),
                {"count": count},
                reverse("privacy:retention"),
            )


SOURCES: list[Callable[[datetime.date], Iterator[Candidate]]] = [
    steps_due_soon,
    steps_overdue,
    reviews_coming_up,
    approvals_waiting,
    referrals_waiting,
    permanent_care_reviews,
    glass_breaks,
    retention_reviews_due,
]


def candidates(today: datetime.date) -> Iterator[Candidate]:
    for source in SOURCES:
        yield from source(today)

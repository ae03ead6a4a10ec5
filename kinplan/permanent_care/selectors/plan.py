"""The plan: its items and costs, its span, and everything that stands before "ready for court"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kinplan.meetings.models import ABSENT, Meeting
from kinplan.permanent_care.models import (
    ApprovalDecision,
    EscalationStep,
    FollowUp,
    Objective,
    SupportAgreement,
    SupportArrangement,
    SupportItem,
)
from kinplan.planning.quality import item_issues

S = SupportArrangement.Status
Rung = EscalationStep.Rung
Outcome = EscalationStep.Outcome


def long_date(day: datetime.date) -> str:
    """A date with the month in full (15 March 2031), as the reader's language writes it."""
    return date_format(day, pgettext("long date format", "j F Y"))


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February for 29 February): the furthest a support plan may end."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# --- the plan: its items, costs and what stands before "ready for court" -----------------------------------


def live_objectives(arrangement: SupportArrangement) -> list[Objective]:
    items = SupportItem.objects.filter(archived_at__isnull=True).select_related(
        "provider", "provider_service__service_type", "provider_service__provider"
    )
    return list(
        arrangement.objectives.filter(archived_at__isnull=True)
        .select_related("need")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="live_items"))
    )


def live_items(arrangement: SupportArrangement) -> QuerySet[SupportItem]:
    return SupportItem.objects.filter(
        objective__arrangement=arrangement, objective__archived_at__isnull=True, archived_at__isnull=True
    ).select_related("objective", "provider", "provider_service__service_type", "provider_service__provider")


@dataclass(frozen=True)
class PlanCosts:
    total: Decimal
    by_funder: dict[str, Decimal]
    site_items: list[SupportItem]
    started_before_discharge: list[SupportItem]


def plan_costs(arrangement: SupportArrangement) -> PlanCosts:
    """What the plan costs, by who resources it; the items the site resources (its manager signs for them)."""
    items = list(live_items(arrangement))
    by_funder: dict[str, Decimal] = {}
    for item in items:
        if item.cost:
            by_funder[item.funder] = by_funder.get(item.funder, Decimal(0)) + item.cost
    return PlanCosts(
        total=sum(by_funder.values(), Decimal(0)),
        by_funder=by_funder,
        site_items=[i for i in items if i.funder == SupportItem.Funder.SITE],
        started_before_discharge=[i for i in items if i.started_before_discharge],
    )


def span_problems(arrangement: SupportArrangement, starts_on: datetime.date | None = None) -> dict[str, str]:
    """The plan's dates against seed 003: at most 12 months from discharge, a review date inside the span,
    the review assigned to the support service's caseworker."""
    starts_on = starts_on or arrangement.starts_on
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["starts_on"] = _("Give the date the plan starts: when the chief executive's orders are discharged.")
    if arrangement.ends_on is None:
        problems["ends_on"] = _("Give the date the plan ends (at most 12 months after discharge).")
    elif starts_on and arrangement.ends_on > one_year_after(starts_on):
        problems["ends_on"] = _(
            "A permanent care support plan covers at most the first 12 months after discharge: it must end by "
            "%(date)s. Support needed after that is negotiated later with the support service as a new arrangement."
        ) % {"date": long_date(one_year_after(starts_on))}
    elif starts_on and arrangement.ends_on <= starts_on:
        problems["ends_on"] = _("The plan must end after it starts.")
    if arrangement.review_on is None:
        problems["review_on"] = _("Give the review date.")
    elif starts_on and arrangement.ends_on and not starts_on <= arrangement.review_on <= arrangement.ends_on:
        problems["review_on"] = _("The review date must fall inside the plan's span (%(start)s to %(end)s).") % {
            "start": date_format(starts_on),
            "end": date_format(arrangement.ends_on),
        }
    if arrangement.reviewer_id is None or arrangement.reviewer_id != arrangement.caseworker_id:
        problems["reviewer"] = _("The review is assigned to the support service's allocated caseworker: allocate one.")
    return problems


def contingency_message(item: Any) -> str | None:
    """Why `item` is a contingency arrangement and not a plan item, or None when it passes the good test."""
    issues = item_issues(item, strict=True)
    if not issues:
        return None
    return _(
        "This is a contingency arrangement, so it cannot be in the plan: %(issues)s A permanent care support plan "
        "only names support that is known now — who provides it, when, how much and at what cost; if a need comes "
        "up later, the caregiver asks the support service."
    ) % {"issues": " ".join(str(issue.message) for issue in issues)}


def item_span_problems(arrangement: SupportArrangement, item: SupportItem) -> list[str]:
    """A support the plan's dates no longer hold (they may move after it was added): supports are provided
    within the plan's span, and one already under way started before discharge."""
    start, end = arrangement.starts_on, arrangement.ends_on
    problems = []
    if start and item.starts_on and item.started_before_discharge and item.starts_on >= start:
        problems.append(
            _(
                "“%(item)s” is marked as under way before discharge, but starts on %(date)s, once the plan has "
                "started (%(start)s)."
            )
            % {"item": item, "date": date_format(item.starts_on), "start": date_format(start)}
        )
    elif start and item.starts_on and not item.started_before_discharge and item.starts_on < start:
        problems.append(
            _(
                "“%(item)s” starts on %(date)s, before the plan starts (%(start)s): change its dates, or mark it as "
                "started before discharge and say who resources it."
            )
            % {"item": item, "date": date_format(item.starts_on), "start": date_format(start)}
        )
    if end and item.due_on and item.due_on > end:
        problems.append(
            _("“%(item)s” ends on %(date)s, after the plan ends (%(end)s).")
            % {"item": item, "date": date_format(item.due_on), "end": date_format(end)}
        )
    return problems


def planning_meeting_problems(arrangement: SupportArrangement) -> list[str]:
    """Planning meetings (seed 003): at least one held; the support service's role explained at each; the
    caseworker sent the outcome of any they were not at."""
    meetings = list(
        Meeting.objects.filter(
            case=arrangement.case, kind=Meeting.Kind.PERMANENT_CARE, status=Meeting.Status.HELD
        ).prefetch_related("participants__team_member")
    )
    if not meetings:
        return [_("Hold a permanent care support planning meeting with the right people, and record it.")]
    problems = []
    for meeting in meetings:
        when = date_format(timezone.localtime(meeting.starts_at).date())
        if meeting.support_role_explained_by_id is None:
            problems.append(
                _("Record that the support service's role was explained at the meeting on %(date)s.") % {"date": when}
            )
        caseworker_places = [
            p
            for p in meeting.participants.all()
            if arrangement.caseworker_id
            and (
                p.user_id == arrangement.caseworker_id
                or (p.team_member and p.team_member.user_id == arrangement.caseworker_id)
            )
        ]
        took_part = any(p.participation not in ABSENT and p.participation != "not_recorded" for p in caseworker_places)
        sent = any(p.outcome_sent_on for p in caseworker_places)
        if arrangement.caseworker_id and not took_part and not sent:
            problems.append(
                _(
                    "The support service's caseworker was not at the meeting on %(date)s: send them its outcome "
                    "(record them as a participant who did not take part, then the outcome sent)."
                )
                % {"date": when}
            )
    return problems


def agreement_state(arrangement: SupportArrangement) -> list[dict[str, Any]]:
    """Each required planning participant (the Child and Family Team) and their position in this round."""
    positions = {
        a.member_id: a
        for a in SupportAgreement.objects.filter(
            arrangement=arrangement, round=arrangement.agreement_round
        ).select_related("recorded_by")
    }
    members = arrangement.case.team_members.filter(archived_at__isnull=True).select_related("person", "user")
    return [{"member": m, "agreement": positions.get(m.pk)} for m in members]


def _position(agreement: SupportAgreement | None) -> str:
    return agreement.get_position_display().lower() if agreement else _("not yet asked")


def agreement_problems(arrangement: SupportArrangement) -> list[str]:
    rows = [r for r in agreement_state(arrangement) if r["member"].is_required]
    if not rows:
        return [_("Add the planning participants to the Child and Family Team: each of them must agree.")]
    problems = []
    if not any(r["member"].person_id == arrangement.caregiver_id for r in rows):
        problems.append(_("Add the caregiver to the Child and Family Team: their agreement is needed."))
    waiting = [
        f"{r['member'].member_name} ({_position(r['agreement'])})"
        for r in rows
        if r["agreement"] is None or r["agreement"].position != SupportAgreement.Position.AGREES
    ]
    if waiting:
        problems.append(
            _("Everyone must agree before the plan goes to court; still waiting for: %(people)s.")
            % {"people": "; ".join(waiting)}
        )
    return problems


def readiness_problems(arrangement: SupportArrangement) -> list[str]:
    """Everything that stands between the plan and "ready for court", in the order to put it right."""
    problems = list(span_problems(arrangement).values())
    objectives = live_objectives(arrangement)
    if not objectives:
        problems.append(_("Add at least one objective for an identified need of the child."))
    for objective in objectives:
        if not objective.live_items:
            problems.append(
                _("The objective “%(objective)s” names no support: add who provides what, or remove it.")
                % {"objective": objective}
            )
        for item in objective.live_items:
            message = contingency_message(item)
            if message:
                problems.append(_("“%(item)s”: %(message)s") % {"item": item, "message": message})
            problems += item_span_problems(arrangement, item)
    if not arrangement.universal_services.filter(archived_at__isnull=True).exists():
        problems.append(_("List the universal services the caregiver can access (e.g. GP, school, benefits)."))
    if not arrangement.discussions.exists():
        problems.append(_("Record the discussion with the support service's caseworker."))
    problems += planning_meeting_problems(arrangement)
    problems += agreement_problems(arrangement)
    return problems


def open_follow_ups(arrangement: SupportArrangement) -> list[FollowUp]:
    return list(arrangement.follow_ups.filter(discussed_on__isnull=True))


def decisions_this_round(arrangement: SupportArrangement) -> dict[str, ApprovalDecision]:
    rows = ApprovalDecision.objects.filter(arrangement=arrangement, round=arrangement.approval_round)
    return {row.kind: row for row in rows.select_related("decided_by")}


def next_rung(arrangement: SupportArrangement) -> int | None:
    """The next rung of the ladder for the current dispute, or None when it is not in escalation or the
    last rung recorded ended it."""
    if arrangement.status != S.NOT_APPROVED:
        return None
    last = (
        EscalationStep.objects.filter(arrangement=arrangement, dispute=arrangement.approval_round)
        .order_by("-rung")
        .first()
    )
    if last is None:
        return Rung.CONSULT_CASEWORKER
    if last.outcome != Outcome.UNRESOLVED or last.rung == Rung.NATIONAL_DETERMINATION:
        return None
    return last.rung + 1

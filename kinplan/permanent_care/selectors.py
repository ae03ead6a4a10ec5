"""Reads over permanent care support plans: the referral pack and its gaps, what still stands between the plan
and "ready for court", spend against approved costs, an arrangement in full, and what waits for each role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.cases.models import Participant, Person, Relationship, age_on
from kinplan.cases.permissions import cases_visible_to
from kinplan.core.text import normalise_name
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


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February for 29 February): the furthest a support plan may end."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# --- the referral pack (seed 003: what the social worker sends the support service) -------------------------


def _person_facts(person: Person, today: datetime.date) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.full_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "age": age_on(person.date_of_birth, today),
        "gender": person.get_gender_display() if person.gender != Person.Gender.NOT_STATED else None,
        "ethnicity": person.ethnicity or None,
        "iwi": [iwi.name for iwi in person.iwi.all()],
    }


def caregiver_household_members(arrangement: SupportArrangement) -> list[Participant]:
    """Everyone else in the caregiver's household in this case (the caregiver and the child excluded)."""
    home = (
        Participant.objects.filter(case=arrangement.case, person=arrangement.caregiver, archived_at__isnull=True)
        .values_list("household_id", flat=True)
        .first()
    )
    if home is None:
        return []
    return list(
        Participant.objects.filter(case=arrangement.case, household_id=home, archived_at__isnull=True)
        .exclude(person__in=[arrangement.caregiver_id, arrangement.child_id])
        .select_related("person")
        .prefetch_related("person__iwi")
    )


def _relationships_to(arrangement: SupportArrangement) -> dict[int, str]:
    rows = Relationship.objects.filter(case=arrangement.case, child=arrangement.child, archived_at__isnull=True)
    return {row.person_id: row.get_kind_display() for row in rows}


def referral_pack(arrangement: SupportArrangement) -> dict[str, Any]:
    """The referral as it would be sent: the child, the caregiver, and every other household member — all
    taken from the case, none retyped."""
    today = timezone.localdate()
    relationship = _relationships_to(arrangement)
    caregiver = arrangement.caregiver
    home = Participant.objects.filter(case=arrangement.case, person=caregiver, archived_at__isnull=True).first()
    return {
        "case_reference": arrangement.case.reference,
        "child": _person_facts(arrangement.child, today),
        "caregiver": _person_facts(caregiver, today)
        | {
            "relationship_to_child": relationship.get(caregiver.pk),
            "address": (home.household.address if home and home.household else "") or caregiver.address or None,
            "phone": caregiver.phone or None,
            "email": caregiver.email or None,
            "household": home.household.name if home and home.household else None,
        },
        "household_members": [
            _person_facts(member.person, today) | {"relationship_to_child": relationship.get(member.person_id)}
            for member in caregiver_household_members(arrangement)
        ],
        "social_worker": str(arrangement.case.worker) if arrangement.case.worker_id else None,
        "site": str(arrangement.case.site),
        "intention_noted_on": arrangement.intention_noted_on.isoformat(),
        "notes": arrangement.referral_notes,
    }


def _is_maori(ethnicity: str | None) -> bool:
    return "maori" in normalise_name(ethnicity or "")


def referral_gaps(pack: dict[str, Any]) -> list[str]:
    """Each required detail missing from the pack, said so the worker knows what to record and where."""
    gaps = []
    child, caregiver = pack["child"], pack["caregiver"]
    for label, key in (("date of birth", "date_of_birth"), ("gender", "gender"), ("ethnicity", "ethnicity")):
        if not child[key]:
            gaps.append(f"The child's {label} ({child['name']}).")
    if _is_maori(child["ethnicity"]) and not child["iwi"]:
        gaps.append(f"The child's Iwi ({child['name']} is Māori; record their Iwi affiliation).")
    if not caregiver["address"]:
        gaps.append(f"The caregiver's address ({caregiver['name']}).")
    if not (caregiver["phone"] or caregiver["email"]):
        gaps.append(f"A phone number or email for the caregiver ({caregiver['name']}).")
    for label, key in (("date of birth", "date_of_birth"), ("ethnicity", "ethnicity")):
        if not caregiver[key]:
            gaps.append(f"The caregiver's {label} ({caregiver['name']}).")
    if not caregiver["relationship_to_child"]:
        gaps.append(f"How the caregiver ({caregiver['name']}) is related to the child.")
    if not caregiver["household"]:
        gaps.append(f"The household the caregiver ({caregiver['name']}) lives in.")
    for member in pack["household_members"]:
        for label, key in (
            ("date of birth", "date_of_birth"),
            ("ethnicity", "ethnicity"),
            ("relationship to the child", "relationship_to_child"),
        ):
            if not member[key]:
                gaps.append(f"{member['name']} (household member): {label}.")
    return gaps


# --- the plan: its items, costs and what stands before "ready for court" -----------------------------------


def live_objectives(arrangement: SupportArrangement) -> list[Objective]:
    items = SupportItem.objects.filter(archived_at__isnull=True).select_related("provider", "provider_service")
    return list(
        arrangement.objectives.filter(archived_at__isnull=True)
        .select_related("need")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="live_items"))
    )


def live_items(arrangement: SupportArrangement) -> QuerySet[SupportItem]:
    return SupportItem.objects.filter(
        objective__arrangement=arrangement, objective__archived_at__isnull=True, archived_at__isnull=True
    ).select_related("objective", "provider", "provider_service")


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
        problems["starts_on"] = "Give the date the plan starts: when the chief executive's orders are discharged."
    if arrangement.ends_on is None:
        problems["ends_on"] = "Give the date the plan ends (at most 12 months after discharge)."
    elif starts_on and arrangement.ends_on > one_year_after(starts_on):
        problems["ends_on"] = (
            f"A permanent care support plan covers at most the first 12 months after discharge: "
            f"it must end by {one_year_after(starts_on):%-d %B %Y}. Support needed after that is negotiated "
            "later with the support service as a new arrangement."
        )
    elif starts_on and arrangement.ends_on <= starts_on:
        problems["ends_on"] = "The plan must end after it starts."
    if arrangement.review_on is None:
        problems["review_on"] = "Give the review date."
    elif starts_on and arrangement.ends_on and not starts_on <= arrangement.review_on <= arrangement.ends_on:
        problems["review_on"] = (
            f"The review date must fall inside the plan's span ({starts_on:%-d %b %Y} to "
            f"{arrangement.ends_on:%-d %b %Y})."
        )
    if arrangement.reviewer_id is None or arrangement.reviewer_id != arrangement.caseworker_id:
        problems["reviewer"] = "The review is assigned to the support service's allocated caseworker: allocate one."
    return problems


def contingency_message(item: Any) -> str | None:
    """Why `item` is a contingency arrangement and not a plan item, or None when it passes the good test."""
    issues = item_issues(item, strict=True)
    if not issues:
        return None
    return (
        "This is a contingency arrangement, so it cannot be in the plan: "
        + " ".join(issue.message for issue in issues)
        + " A permanent care support plan only names support that is known now — who provides it, when, how much "
        "and at what cost; if a need comes up later, the caregiver asks the support service."
    )


def item_span_problems(arrangement: SupportArrangement, item: SupportItem) -> list[str]:
    """A support the plan's dates no longer hold (they may move after it was added): supports are provided
    within the plan's span, and one already under way started before discharge."""
    start, end = arrangement.starts_on, arrangement.ends_on
    problems = []
    if start and item.starts_on and item.started_before_discharge and item.starts_on >= start:
        problems.append(
            f"“{item}” is marked as under way before discharge, but starts on {item.starts_on:%-d %b %Y}, once "
            f"the plan has started ({start:%-d %b %Y})."
        )
    elif start and item.starts_on and not item.started_before_discharge and item.starts_on < start:
        problems.append(
            f"“{item}” starts on {item.starts_on:%-d %b %Y}, before the plan starts ({start:%-d %b %Y}): change "
            "its dates, or mark it as started before discharge and say who resources it."
        )
    if end and item.due_on and item.due_on > end:
        problems.append(f"“{item}” ends on {item.due_on:%-d %b %Y}, after the plan ends ({end:%-d %b %Y}).")
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
        return ["Hold a permanent care support planning meeting with the right people, and record it."]
    problems = []
    for meeting in meetings:
        when = f"{timezone.localtime(meeting.starts_at):%-d %b %Y}"
        if meeting.support_role_explained_by_id is None:
            problems.append(f"Record that the support service's role was explained at the meeting on {when}.")
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
                f"The support service's caseworker was not at the meeting on {when}: send them its outcome "
                "(record them as a participant who did not take part, then the outcome sent)."
            )
    return problems


def agreement_state(arrangement: SupportArrangement) -> list[dict[str, Any]]:
    """Each required planning participant (the Child and Family Team) and their position in this round."""
    positions = {
        a.member_id: a
        for a in SupportAgreement.objects.filter(arrangement=arrangement, round=arrangement.agreement_round)
    }
    members = arrangement.case.team_members.filter(archived_at__isnull=True).select_related("person", "user")
    return [{"member": m, "agreement": positions.get(m.pk)} for m in members]


def _position(agreement: SupportAgreement | None) -> str:
    return agreement.get_position_display().lower() if agreement else "not yet asked"


def agreement_problems(arrangement: SupportArrangement) -> list[str]:
    rows = [r for r in agreement_state(arrangement) if r["member"].is_required]
    if not rows:
        return ["Add the planning participants to the Child and Family Team: each of them must agree."]
    problems = []
    if not any(r["member"].person_id == arrangement.caregiver_id for r in rows):
        problems.append("Add the caregiver to the Child and Family Team: their agreement is needed.")
    waiting = [
        f"{r['member'].member_name} ({_position(r['agreement'])})"
        for r in rows
        if r["agreement"] is None or r["agreement"].position != SupportAgreement.Position.AGREES
    ]
    if waiting:
        problems.append(
            "Everyone must agree before the plan goes to court; still waiting for: " + "; ".join(waiting) + "."
        )
    return problems


def readiness_problems(arrangement: SupportArrangement) -> list[str]:
    """Everything that stands between the plan and "ready for court", in the order to put it right."""
    problems = list(span_problems(arrangement).values())
    objectives = live_objectives(arrangement)
    if not objectives:
        problems.append("Add at least one objective for an identified need of the child.")
    for objective in objectives:
        if not objective.live_items:
            problems.append(f"The objective “{objective}” names no support: add who provides what, or remove it.")
        for item in objective.live_items:
            message = contingency_message(item)
            if message:
                problems.append(f"“{item}”: {message}")
            problems += item_span_problems(arrangement, item)
    if not arrangement.universal_services.filter(archived_at__isnull=True).exists():
        problems.append("List the universal services the caregiver can access (e.g. GP, school, benefits).")
    if not arrangement.discussions.exists():
        problems.append("Record the discussion with the support service's caseworker.")
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


# --- after hand-over: spend against what was approved ----------------------------------------------------


@dataclass
class Spend:
    approved: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.approved - self.committed

    @property
    def over_approved(self) -> bool:
        return self.committed > self.approved


def spend(arrangement: SupportArrangement) -> Spend:
    """Approved cost of what the support service resources, what it has bought, and what was delivered."""
    result = Spend()
    for item in live_items(arrangement).prefetch_related("purchases__deliveries"):
        if item.funder == SupportItem.Funder.SUPPORT_SERVICE and item.cost:
            result.approved += item.cost
        purchases = list(item.purchases.all())
        committed = sum((p.cost for p in purchases), Decimal(0))
        delivered = sum((d.cost for p in purchases for d in p.deliveries.all()), Decimal(0))
        result.committed += committed
        result.delivered += delivered
        result.rows.append({"item": item, "purchases": purchases, "committed": committed, "delivered": delivered})
    return result


def purchase_delivered(purchase: Any) -> Decimal:
    total = purchase.deliveries.aggregate(n=Sum("quantity"))["n"]
    return total or Decimal(0)


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
    S.REFERRAL_DRAFT: "Check the referral pack and send it to the support service",
    S.PLANNING: "Plan with the family, then record everyone's agreement and the court step",
    S.READY_FOR_COURT: "Submit the plan for approval",
    S.APPROVED: "Send the plan to the support service once the orders are discharged",
}


@dataclass
class _Context:
    """What `waiting_for` loads once for all the arrangements it looks at."""

    next_rungs: dict[int, int | None]
    decided: set[tuple[int, str]]
    follow_ups: set[int]
    today: datetime.date


def _next_rungs(arrangements: list[SupportArrangement]) -> dict[int, int | None]:
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
        next_rungs=_next_rungs([a for a in live if a.status == S.NOT_APPROVED]),
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
        out.append(LEADER_NEXT[a.status])
    if leads and a.pk in context.follow_ups:
        out.append("Discuss the changes with the caregivers and planning participants")
    rung = context.next_rungs.get(a.pk) if a.status == S.NOT_APPROVED else None
    if rung and ((leads and rung in (1, 2, 4)) or (rung not in (1, 2, 4) and can_record_rung(user, a, rung))):
        out.append(f"Escalation step {rung}: {Rung(rung).label}")
    if a.status == S.AWAITING_APPROVAL:
        if (
            role == Role.SITE_MANAGER
            and user.site_id == a.case.site_id
            and (a.pk, "site_sign_off") not in context.decided
        ):
            out.append("Sign off the items the site resources")
        if role == Role.SUPPORT_MANAGER and support_staff and (a.pk, "support_service") not in context.decided:
            out.append("Approve the plan's content and costs")
    if (
        a.status == S.REFERRED
        and user.organisation_id == a.support_service_id
        and role
        in (
            Role.SUPPORT_MANAGER,
            Role.SUPPORT_CASEWORKER,
        )
    ):
        out.append("Allocate a caseworker to this referral")
    if a.status == S.ALLOCATED and a.caseworker_id == user.pk:
        out.append("Record your discussion of possible supports with the social worker")
    if a.status == S.SENT and support_staff:
        out.append("Send the caregiver the acknowledgement letter")
    soon = context.today + datetime.timedelta(days=14)
    if a.status == S.IN_PLACE and a.reviewer_id == user.pk and a.review_on and a.review_on <= soon:
        out.append(f"Review the plan (review date {a.review_on:%-d %b %Y})")
    return out


# --- pages ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LadderRung:
    rung: int
    label: str
    step: EscalationStep | None
    is_next: bool


def escalation_ladders(arrangement: SupportArrangement) -> list[dict[str, Any]]:
    """Each dispute's ladder: all six rungs in order, the recorded ones as recorded, the next one marked."""
    steps = list(arrangement.escalation_steps.select_related("recorded_by", "meeting"))
    current = arrangement.approval_round if arrangement.status == S.NOT_APPROVED else None
    upcoming = next_rung(arrangement)
    ladders = []
    for dispute in sorted({s.dispute for s in steps} | ({current} if current else set())):
        recorded = {s.rung: s for s in steps if s.dispute == dispute}
        rungs = [
            LadderRung(r.value, r.label, recorded.get(r.value), dispute == current and upcoming == r.value)
            for r in Rung
        ]
        ladders.append({"dispute": dispute, "rungs": rungs, "current": dispute == current})
    return ladders


def approval_rounds(arrangement: SupportArrangement) -> list[dict[str, Any]]:
    """Every approval round's decisions (who, when, what), oldest first."""
    decisions = list(arrangement.decisions.select_related("decided_by"))
    return [
        {"round": r, "decisions": [d for d in decisions if d.round == r]} for r in sorted({d.round for d in decisions})
    ]


def _spend_with_deliveries(arrangement: SupportArrangement) -> Spend:
    result = spend(arrangement)
    for row in result.rows:
        for purchase in row["purchases"]:
            purchase.delivered_quantity = sum((d.quantity for d in purchase.deliveries.all()), Decimal(0))
    return result


def arrangement_page(arrangement: SupportArrangement) -> dict[str, Any]:
    """Everything the arrangement's page shows: the log, the referral pack (as sent, once sent) and its gaps,
    discussions, the plan and its costs, what stands before "ready for court", agreement, approval rounds, the
    escalation ladders, follow-ups, spend, reviews and further support."""
    sent = bool(arrangement.referred_at and arrangement.referral_pack)
    pack = arrangement.referral_pack if sent else referral_pack(arrangement)
    rounds = approval_rounds(arrangement)
    costs = plan_costs(arrangement)
    funders = dict(SupportItem.Funder.choices)
    sign_offs = [d for r in rounds for d in r["decisions"] if d.kind == ApprovalDecision.Kind.SITE_SIGN_OFF]
    return {
        "transitions": list(arrangement.transitions.select_related("actor")),
        "pack": pack,
        "gaps": [] if sent else referral_gaps(pack),
        "discussions": list(arrangement.discussions.select_related("recorded_by")),
        "objectives": live_objectives(arrangement),
        "universal_services": list(arrangement.universal_services.filter(archived_at__isnull=True)),
        "costs": costs,
        "funder_totals": [(funders.get(k, "Not said"), v) for k, v in sorted(costs.by_funder.items())],
        "readiness": readiness_problems(arrangement) if arrangement.status == S.PLANNING else [],
        "agreement": agreement_state(arrangement),
        "approval_rounds": rounds,
        "this_round": decisions_this_round(arrangement),
        "site_sign_off": sign_offs[-1] if sign_offs else None,
        "ladders": escalation_ladders(arrangement),
        "next_rung": next_rung(arrangement),
        "follow_ups": list(arrangement.follow_ups.select_related("done_by", "escalation_step")),
        "spend": _spend_with_deliveries(arrangement) if arrangement.sent_at else None,
        "reviews": list(arrangement.reviews.select_related("reviewed_by")),
        "further_support": list(arrangement.further_support.select_related("recorded_by")),
    }


def letter_context(arrangement: SupportArrangement) -> dict[str, Any]:
    """What the acknowledgement letter says: to whom and where, about which child, the supports (who, when,
    how much), the review date, and whom to contact."""
    pack = referral_pack(arrangement)
    starts = [day for day in (arrangement.discharged_on, arrangement.starts_on) if day]
    return {
        "arrangement": arrangement,
        "plan_starts_on": max(starts) if starts else None,
        "caregiver": pack["caregiver"],
        "child": pack["child"],
        "objectives": live_objectives(arrangement),
        "universal_services": list(arrangement.universal_services.filter(archived_at__isnull=True)),
        "social_worker": arrangement.case.worker,
        "site": arrangement.case.site,
        "today": timezone.localdate(),
    }

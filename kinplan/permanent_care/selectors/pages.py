"""What the arrangement page and the acknowledgement letter show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.permanent_care.models import (
    ApprovalDecision,
    EscalationStep,
    SupportArrangement,
    SupportItem,
)
from kinplan.permanent_care.selectors.plan import (
    agreement_state,
    decisions_this_round,
    live_objectives,
    next_rung,
    plan_costs,
    readiness_problems,
)
from kinplan.permanent_care.selectors.referral import referral_gaps, referral_pack
from kinplan.permanent_care.selectors.spend import Spend, spend

S = SupportArrangement.Status
Rung = EscalationStep.Rung


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
        "funder_totals": [(funders.get(k, _("Not said")), v) for k, v in sorted(costs.by_funder.items())],
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

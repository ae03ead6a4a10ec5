"""Reads over permanent care support plans, by concept; every public name is importable from here."""

from kinplan.permanent_care.selectors.lists import (
    LEADER_NEXT,
    Waiting,
    arrangement_for_case,
    arrangements_visible_to,
    waiting_for,
)
from kinplan.permanent_care.selectors.pages import (
    LadderRung,
    approval_rounds,
    arrangement_page,
    escalation_ladders,
    letter_context,
)
from kinplan.permanent_care.selectors.plan import (
    PlanCosts,
    agreement_problems,
    agreement_state,
    contingency_message,
    decisions_this_round,
    item_span_problems,
    live_items,
    live_objectives,
    next_rung,
    one_year_after,
    open_follow_ups,
    plan_costs,
    planning_meeting_problems,
    readiness_problems,
    span_problems,
)
from kinplan.permanent_care.selectors.referral import (
    caregiver_household_members,
    referral_gaps,
    referral_pack,
)
from kinplan.permanent_care.selectors.spend import (
    Spend,
    purchase_delivered,
    spend,
)

__all__ = [
    "LEADER_NEXT",
    "LadderRung",
    "PlanCosts",
    "Spend",
    "Waiting",
    "agreement_problems",
    "agreement_state",
    "approval_rounds",
    "arrangement_for_case",
    "arrangement_page",
    "arrangements_visible_to",
    "caregiver_household_members",
    "contingency_message",
    "decisions_this_round",
    "escalation_ladders",
    "item_span_problems",
    "letter_context",
    "live_items",
    "live_objectives",
    "next_rung",
    "one_year_after",
    "open_follow_ups",
    "plan_costs",
    "planning_meeting_problems",
    "purchase_delivered",
    "readiness_problems",
    "referral_gaps",
    "referral_pack",
    "span_problems",
    "spend",
    "waiting_for",
]

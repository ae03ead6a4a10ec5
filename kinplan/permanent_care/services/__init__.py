"""Every change to a permanent care support plan, from referral to review (seed 003)."""

from kinplan.permanent_care.services.approval import (
    approval_decide,
    escalation_record,
    follow_up_record,
    submit_for_approval,
)
from kinplan.permanent_care.services.handover import (
    arrangement_send,
    delivery_record,
    further_support_record,
    letter_record_sent,
    purchase_record,
    review_record,
)
from kinplan.permanent_care.services.plan import (
    agreement_record,
    item_add,
    item_remove,
    item_update,
    mark_ready_for_court,
    objective_add,
    objective_remove,
    objective_update,
    plan_set_dates,
    planning_reopen,
    universal_service_add,
    universal_service_remove,
)
from kinplan.permanent_care.services.referral import (
    arrangement_start,
    arrangement_withdraw,
    caseworker_allocate,
    discussion_record,
    referral_send,
    referral_update,
)

__all__ = [
    "agreement_record",
    "approval_decide",
    "arrangement_send",
    "arrangement_start",
    "arrangement_withdraw",
    "caseworker_allocate",
    "delivery_record",
    "discussion_record",
    "escalation_record",
    "follow_up_record",
    "further_support_record",
    "item_add",
    "item_remove",
    "item_update",
    "letter_record_sent",
    "mark_ready_for_court",
    "objective_add",
    "objective_remove",
    "objective_update",
    "plan_set_dates",
    "planning_reopen",
    "purchase_record",
    "referral_send",
    "referral_update",
    "review_record",
    "submit_for_approval",
    "universal_service_add",
    "universal_service_remove",
]

"""Every change to service plans: the plan and its versions, goals, steps and agreement."""

from kinplan.planning.services.agreement import agreement_record
from kinplan.planning.services.goals import goal_add, goal_set_status, goal_update, need_defer, need_deferral_withdraw
from kinplan.planning.services.plans import plan_create, plan_revise, plan_transition, plan_update
from kinplan.planning.services.steps import (
    step_add,
    step_cancel,
    step_complete,
    step_mark_not_done,
    step_start,
    step_update,
)

__all__ = [
    "agreement_record",
    "goal_add",
    "goal_set_status",
    "goal_update",
    "need_defer",
    "need_deferral_withdraw",
    "plan_create",
    "plan_revise",
    "plan_transition",
    "plan_update",
    "step_add",
    "step_cancel",
    "step_complete",
    "step_mark_not_done",
    "step_start",
    "step_update",
]

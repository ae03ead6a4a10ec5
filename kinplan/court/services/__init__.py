"""Every change to court orders, their conditions and hearings."""

from kinplan.court.services.conditions import (
    condition_add,
    condition_record_compliance,
    condition_set_steps,
    condition_update,
)
from kinplan.court.services.hearings import hearing_record_outcome, hearing_schedule, hearing_update
from kinplan.court.services.orders import order_create, order_discharge, order_end, order_update

__all__ = [
    "condition_add",
    "condition_record_compliance",
    "condition_set_steps",
    "condition_update",
    "hearing_record_outcome",
    "hearing_schedule",
    "hearing_update",
    "order_create",
    "order_discharge",
    "order_end",
    "order_update",
]

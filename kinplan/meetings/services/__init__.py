"""Every change to meetings: scheduling and recording them, their participants, and the actions they agree."""

from kinplan.meetings.services.actions import StepMade, action_add, action_complete, action_make_step, goals_for_steps
from kinplan.meetings.services.meetings import (
    MEETING_FIELDS,
    UPDATE_FIELDS,
    meeting_schedule,
    meeting_transition,
    meeting_update,
    support_role_record,
)
from kinplan.meetings.services.participants import (
    outcome_record,
    participant_add,
    participants_invite_team,
    participation_record,
)

__all__ = [
    "MEETING_FIELDS",
    "UPDATE_FIELDS",
    "StepMade",
    "action_add",
    "action_complete",
    "action_make_step",
    "goals_for_steps",
    "meeting_schedule",
    "meeting_transition",
    "meeting_update",
    "outcome_record",
    "participant_add",
    "participants_invite_team",
    "participation_record",
    "support_role_record",
]

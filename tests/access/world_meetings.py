"""The meetings objects in the access matrix's world: put them in `world.extra`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinplan.meetings import services as meetings
from kinplan.meetings.models import MeetingParticipant
from tests.access.world import World

Participation = MeetingParticipant.Participation


def extend(world: World) -> None:
    """Three meetings of alice's case (world.case), all of which started yesterday:

    - `meeting`: scheduled, Nan invited (her participation not recorded), Mum not yet: the team can be invited;
    - `ready_meeting`: scheduled, everyone's participation and the decisions recorded: it can be held;
    - `held_meeting`: held; Mum (required) did not take part, so she is owed the outcome; one open action.
    """
    alice = world.users["alice"]
    yesterday = timezone.now() - datetime.timedelta(days=1)

    def schedule(purpose: str) -> object:
        data = {"kind": "planning", "starts_at": yesterday, "place": "Naenae office", "purpose": purpose}
        return meetings.meeting_schedule(actor=alice, case=world.case, data=data | {"plan": world.plan})

    meeting = schedule("Plan the next three months.")
    nan = meetings.participant_add(actor=alice, meeting=meeting, team_member=world.nan_member)

    ready = schedule("Agree the plan.")
    meetings.participants_invite_team(actor=alice, meeting=ready)
    for participant in ready.participants.all():
        meetings.participation_record(actor=alice, participant=participant, participation=Participation.IN_PERSON)
    meetings.meeting_update(actor=alice, meeting=ready, data={"decisions": "Tāmati stays with Nan for now."})

    held = schedule("Review the first month.")
    meetings.participants_invite_team(actor=alice, meeting=held)
    for participant in held.participants.select_related("team_member"):
        way = Participation.ABSENT if participant.team_member == world.mother_member else Participation.IN_PERSON
        meetings.participation_record(actor=alice, participant=participant, participation=way)
    held = meetings.meeting_transition(actor=alice, meeting=held, to="held", decisions="Housing comes first.")
    action = meetings.action_add(actor=alice, meeting=held, data={"what": "Call the housing office", "who_name": "Nan"})

    world.extra.update(
        meeting=meeting,
        meeting_nan=nan,
        ready_meeting=ready,
        held_meeting=held,
        held_mother=held.participants.get(team_member=world.mother_member),
        held_action=action,
    )

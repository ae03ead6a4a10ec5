"""The case notes in the access matrix's world: put them in `world.extra`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinplan.notes import services as notes
from tests.access.world import World


def extend(world: World) -> None:
    """Alice wrote two notes on her case: a plain home-visit note about Mum, and a confidential one."""
    alice, today = world.users["alice"], timezone.localdate()
    world.extra["note"] = notes.note_create(
        actor=alice,
        case=world.case,
        kind="home_visit",
        occurred_on=today - datetime.timedelta(days=3),
        about=world.mother.person,
        text="Visited Mum's flat: warm, food in the cupboards, Tāmati at school.",
    )
    world.extra["confidential_note"] = notes.note_create(
        actor=alice,
        case=world.case,
        kind="phone_call",
        occurred_on=today - datetime.timedelta(days=1),
        text="Nan has moved to 12 Rata Street; Dad must not learn where.",
        is_confidential=True,
        confidential_reason="Family violence: the caregiver's address is withheld from the father.",
    )

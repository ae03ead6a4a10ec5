"""The calendar objects in the access matrix's world: alice's private feed address (its secret)."""

from __future__ import annotations

from kinplan.calendars import services
from tests.access.world import World


def extend(world: World) -> None:
    _feed, secret = services.calendar_feed_issue(actor=world.users["alice"])
    world.extra["calendar_secret"] = secret

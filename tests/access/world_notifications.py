"""The notification objects in the access matrix's world: a reminder of alice's (hers alone to read or open)."""

from __future__ import annotations

from kinplan.notifications.models import Notification, ReminderKind
from tests.access.world import World


def extend(world: World) -> None:
    world.extra["notification"] = Notification.objects.create(
        recipient=world.users["alice"],
        kind=ReminderKind.STEP_OVERDUE,
        key="access-matrix",
        title="Overdue: book the GP visit",
        url="/caseload/",
    )

"""The court objects in the access matrix's world: put them in `world.extra`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinplan.court import services as court
from tests.access.world import World


def extend(world: World) -> None:
    """Alice's case has the chief executive's custody of Tāmati, with two conditions, and a hearing (yesterday)
    whose outcome is not yet recorded."""
    alice, today = world.users["alice"], timezone.localdate()
    order = court.order_create(
        actor=alice,
        case=world.case,
        data={
            "kind": "ce_custody",
            "child": world.child,
            "court": "Family Court at Porirua",
            "made_on": today - datetime.timedelta(days=200),
            "review_on": today + datetime.timedelta(days=60),
        },
        conditions=["Tāmati goes to school every day.", "Mum completes a parenting course."],
    )
    world.extra["court_order"] = order
    world.extra["court_condition"] = order.conditions.order_by("position").first()
    world.extra["court_hearing"] = court.hearing_schedule(
        actor=alice,
        case=world.case,
        data={
            "order": order,
            "date": today - datetime.timedelta(days=1),
            "court": "Family Court at Porirua",
            "purpose": "Review of the plan",
        },
    )

"""The privacy objects in the access matrix's world: put them in `world.extra["privacy"]`.

Two of alice's cases, closed nine years ago, allocated as her open case is (so the same people read them):
`closed_case`, due for its retention review, and `requested_case`, whose erasure the national manager has asked for
(`request`: alice's site manager may approve it; the national manager, who asked, may not).

`privacy(world)` returns them, building them first when world.py did not (it calls `extend` with the other apps'
extensions once it lists this module); a test's savepoint rolls lazily built objects back, so they are rebuilt when
gone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kinplan.cases.models import Case
from kinplan.cases.tests.factories import CaseFactory, PersonFactory
from kinplan.privacy.models import ErasureRequest
from tests.access.world import World

NINE_YEARS = datetime.timedelta(days=9 * 366)


def _closed_case(world: World, family: str) -> Case:
    closed = timezone.localdate() - NINE_YEARS
    case = world.case
    return CaseFactory(
        worker=world.users["alice"],
        name=f"{family} whānau",
        child=PersonFactory(family_name=family),
        support_service=case.support_service,
        support_worker=case.support_worker,
        status=Case.Status.CLOSED,
        opened_on=closed - datetime.timedelta(days=400),
        closed_on=closed,
    )


def extend(world: World) -> None:
    requested_case = _closed_case(world, "Requested")
    # Made directly, not through the service: built lazily inside a test, it must not add to history.
    request = ErasureRequest.objects.create(
        case=requested_case, requested_by=world.users["national_manager"], reason="Closed nine years; no contact."
    )
    world.extra["privacy"] = {
        "closed_case": _closed_case(world, "Closed"),
        "requested_case": requested_case,
        "request": request,
    }


def privacy(world: World) -> dict[str, Any]:
    found = world.extra.get("privacy")
    if found is None or not Case.objects.filter(pk=found["closed_case"].pk, name="Closed whānau").exists():
        extend(world)
    return world.extra["privacy"]

"""The meetings objects in the access matrix's world: put them in `world.extra`."""

from __future__ import annotations

from tests.access.world import World


def extend(world: World) -> None:
    """Add meetings records to alice's case (world.case) and its neighbours."""

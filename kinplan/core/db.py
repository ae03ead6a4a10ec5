"""Which database a read goes to: reports may read from a read replica, everything else from the primary."""

from __future__ import annotations

from django.conf import settings


def reports_database() -> str:
    """The database alias report-style reads use: "reports" (the read replica, DATABASE_REPLICA_URL) when one is
    configured, else "default". Only for reads whose reader can bear the replica's lag (a second or so behind the
    primary); never for a write, nor for a read that decides what someone may see or do."""
    alias: str = settings.KINPLAN_REPORTS_DATABASE
    return alias

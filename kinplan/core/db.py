"""Which database a read goes to: reports may read from a read replica, everything else from the primary; every
write goes to the primary."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

PRIMARY, REPLICA = "default", "reports"


def reports_database() -> str:
    """The database alias report-style reads use: "reports" (the read replica, DATABASE_REPLICA_URL) when one is
    configured, else "default". Only for reads whose reader can bear the replica's lag (a second or so behind the
    primary); never for a write, nor for a read that decides what someone may see or do."""
    alias: str = settings.KINPLAN_REPORTS_DATABASE
    return alias


class PrimaryForWrites:
    """Database router: every write goes to the primary. Without it Django saves a row read from the replica back
    to the replica, and a new row given one as a related object (a view logged for a case read there) too; a
    replica refuses both. Reads go where the query says (`.using(reports_database())`), else to the primary."""

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        """The replica holds the primary's rows: a row read from one may point at a row read from the other."""
        return True if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        """The replica follows the primary's schema by replication; nothing migrates it."""
        return False if db == REPLICA else None

"""API schemas for the signed-in user's own account: their personal API tokens."""

from __future__ import annotations

import datetime

from ninja import Schema


class ApiTokenOut(Schema):
    """A token as its owner's tokens page lists it: never the token itself (only its digest is stored)."""

    id: int
    name: str
    prefix: str
    read_only: bool
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None

"""API endpoints for court."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["court"])

"""API endpoints for the service catalogue, the provider directory and informal supports."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["services and providers"])

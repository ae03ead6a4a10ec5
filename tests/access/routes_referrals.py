"""The referrals routes in the access matrix (see routes.py for the tables and helpers)."""

from __future__ import annotations

from tests.access.routes import Route

ROUTES: list[Route] = []

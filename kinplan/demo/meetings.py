"""Demo meetings for a family (see extensions.py)."""

from __future__ import annotations

from typing import Any

from kinplan.accounts.models import User
from kinplan.cases.models import Case


def add_to_case(ctx: Any, case: Case, worker: User) -> None:
    """Add realistic meetings to `case`, made through the meetings services as `worker`."""

"""Demo referrals for a family (see extensions.py)."""

from __future__ import annotations

from typing import Any

from kinplan.accounts.models import User
from kinplan.cases.models import Case


def add_to_case(ctx: Any, case: Case, worker: User) -> None:
    """Add realistic referrals to `case`, made through the referrals services as `worker`."""

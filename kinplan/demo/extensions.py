"""Demo records of the later apps, added to each demo family after its assessment and plan.

Each app's demo module offers `add_to_case(ctx, case, worker)`; `ctx` is the DemoBuilder (its `rng`, `today`
and `directory`, the demo's providers by name). A module that tells a few chosen families' stories across
roles offers `add_to_demo(ctx)` instead, run once every family is built.
"""

from __future__ import annotations

from typing import Any

from kinplan.accounts.models import User
from kinplan.cases.models import Case


def extend_case(ctx: Any, case: Case, worker: User) -> None:
    from kinplan.demo import court, meetings, referrals

    for module in (referrals, meetings, court):
        module.add_to_case(ctx, case, worker)


def extend_demo(ctx: Any) -> None:
    from kinplan.demo import permanent_care

    permanent_care.add_to_demo(ctx)

"""Person search, timed in-process on the national data set (manage.py generate_scale_data), for each role.

    PYTHONPATH=. DATABASE_URL=postgres://... python bench/search_timing.py

Prints, per role and query, the median and the slowest of 15 runs (ms), how many people are shown and how many
matches are out of reach. Not a test: the machine is noisy, so compare figures from one run."""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from kinplan.accounts.models import User  # noqa: E402 (after django.setup)
from kinplan.cases import selectors  # noqa: E402

ROLES = ("social_worker", "supervisor", "site_manager", "national_manager")
QUERIES = ("tamati ngata", "tamiti", "aroha", "ngata")
RUNS = 15


def main() -> None:
    for role in ROLES:
        user = User.objects.filter(role=role, username__regex=r"^(sw|sup|mgr|nat)\d").order_by("pk").first()
        if user is None:
            raise SystemExit("No generated users: run manage.py generate_scale_data first.")
        for query in QUERIES:
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                result = selectors.person_search(user=user, query=query)
                times.append((time.perf_counter() - started) * 1000)
            more = "+" if result.more_hidden_matches else ""
            print(
                f"{role:16} {query:14} median {statistics.median(times):6.1f} ms  slowest {max(times):6.1f} ms  "
                f"shown {len(result.people):2}  out of reach {result.hidden_matches}{more}"
            )


if __name__ == "__main__":
    main()

"""List your overdue steps, oldest first, through the Kinplan API: every page, one line per step.

    KINPLAN_URL=http://127.0.0.1:8000 KINPLAN_TOKEN=kp_... python3 overdue_steps.py [--team] [--worker ID]

Needs only Python's standard library. The token comes from *API tokens* in Kinplan (read-only is enough).
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.parse
import urllib.request


def get(path: str, **params: object) -> dict:
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, False)})
    request = urllib.request.Request(
        f"{os.environ['KINPLAN_URL'].rstrip('/')}/api/v1{path}?{query}",
        headers={"Authorization": f"Bearer {os.environ['KINPLAN_TOKEN']}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def overdue_steps(team: bool = False, worker: int | None = None):
    """Every overdue step, following the keyset pages (`next_after` → `?after=`)."""
    after = 0
    while True:
        page = get("/steps/overdue", team="true" if team else None, worker=worker, after=after or None, limit=200)
        yield from page["items"]
        if page["next_after"] is None:
            return
        after = page["next_after"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--team", action="store_true", help="your team's overdue steps (supervisors)")
    parser.add_argument("--worker", type=int, help="one worker's cases only (their user id)")
    args = parser.parse_args()
    for step in overdue_steps(args.team, args.worker):
        print(
            f"{step['due_on']}  {step['days_overdue']:>3} days  {step['case_reference'] or step['case_name']}"
            f"  {step['what']}  ({step['responsible_label'] or 'nobody named'})"
        )


if __name__ == "__main__":
    main()

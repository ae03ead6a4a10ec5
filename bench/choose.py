"""For bench/run.py: who opens which page, read from the national data set (one JSON line), or with --count how
many cases there are."""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

from django.db.models import Count, Q  # noqa: E402 (after django.setup)

from kinplan.accounts.models import User  # noqa: E402
from kinplan.accounts.services import api_token_create  # noqa: E402
from kinplan.cases.models import Case  # noqa: E402
from kinplan.demo.scale import BIG_PLAN_STEPS  # noqa: E402
from kinplan.planning.models import Plan  # noqa: E402

if "--count" in sys.argv:
    print(Case.objects.count())
    raise SystemExit
workers = User.objects.filter(role=User.Role.SOCIAL_WORKER, username__regex=r"^sw\d")
worker = workers.annotate(open_cases=Count("cases", filter=Q(cases__status="open"))).order_by("-open_cases").first()
case = worker.cases.filter(status="open").order_by("pk").first()
big = (
    Plan.objects.filter(is_current=True)
    .annotate(steps=Count("goals__steps"))
    .filter(steps__gte=BIG_PLAN_STEPS)
    .select_related("case__worker")
    .order_by("pk")
    .first()
)
supervisor = User.objects.filter(role=User.Role.SUPERVISOR, team_id=worker.team_id).first()
_token, raw = api_token_create(actor=worker, name="benchmark", read_only=True)
print(
    json.dumps(
        {
            "worker": worker.username,
            "case": case.pk,
            "plan_case": big.case_id,
            "plan_worker": big.case.worker.username,
            "supervisor": supervisor.username,
            "token": raw,
        }
    )
)

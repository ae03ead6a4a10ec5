"""For bench/run.py: who opens which page, read from the national data set (one JSON line, with a read-only API
token for the worker), or with --count how many cases there are."""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

from kinplan.accounts.models import User  # noqa: E402 (after django.setup)
from kinplan.accounts.services import api_token_create  # noqa: E402
from kinplan.cases.models import Case  # noqa: E402
from kinplan.demo.scale import benchmark_visitors  # noqa: E402

if "--count" in sys.argv:
    print(Case.objects.count())
    raise SystemExit
visitors = benchmark_visitors()
_token, raw = api_token_create(actor=User.objects.get(username=visitors["worker"]), name="benchmark", read_only=True)
print(json.dumps({**visitors, "token": raw}))

"""The API examples shipped in docs/examples/ work as written, against a running server (no browser needed; kept
with the browser tests because it needs the live server, which empties the database after it)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from kinplan.accounts.services import api_token_create
from kinplan.accounts.tests.factories import SiteFactory, TeamFactory, UserFactory
from kinplan.cases.tests.factories import CaseFactory
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = timezone.localdate()


@pytest.fixture
def worker_with_overdue_work(transactional_db):
    worker = UserFactory(username="tui.sw", team=TeamFactory(site=SiteFactory()))
    case = CaseFactory(worker=worker, name="Ngata whānau", reference="KP-000042")
    goal = GoalFactory(plan=PlanFactory(case=case, starts_on=TODAY - datetime.timedelta(days=60)), title="A home")
    for days_ago, what in [(9, "Apply for emergency housing"), (2, "Visit the budget advisor")]:
        StepFactory(goal=goal, what=what, due_on=TODAY - datetime.timedelta(days=days_ago))
    StepFactory(goal=goal, what="Enrol at kōhanga", due_on=TODAY + datetime.timedelta(days=5))
    _token, raw = api_token_create(actor=worker, name="scripts", read_only=True)
    return case, raw


def run(script: str, *args: str, server: str, token: str, cwd: Path) -> str:
    env = {**os.environ, "KINPLAN_URL": server, "KINPLAN_TOKEN": token}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_listing_my_overdue_steps(live_server, worker_with_overdue_work, tmp_path):
    _case, token = worker_with_overdue_work
    lines = run("overdue_steps.py", server=live_server.url, token=token, cwd=tmp_path).splitlines()
    assert len(lines) == 2
    assert "9 days  KP-000042  Apply for emergency housing" in lines[0]
    assert "2 days  KP-000042  Visit the budget advisor" in lines[1]


@pytest.mark.parametrize("kind", ["json", "fhir", "csv", "xlsx"])
def test_exporting_a_plan(live_server, worker_with_overdue_work, tmp_path, kind):
    case, token = worker_with_overdue_work
    name = run("export_plan.py", str(case.pk), "--as", kind, server=live_server.url, token=token, cwd=tmp_path)
    body = (tmp_path / name.strip()).read_bytes()
    if kind == "json":
        assert [g["title"] for g in json.loads(body)["goals"]] == ["A home"]
    elif kind == "fhir":
        assert json.loads(body)["resourceType"] == "Bundle"
    elif kind == "csv":
        assert "Apply for emergency housing" in body.decode("utf-8-sig")
    else:
        assert body.startswith(b"PK")  # an XLSX file is a zip

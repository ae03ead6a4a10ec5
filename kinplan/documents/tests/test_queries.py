"""Each document is read in a fixed number of queries, however much the plan or meeting holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinplan.cases.models import Case
from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.documents import selectors
from kinplan.documents.pdf import render_html
from kinplan.documents.tests import builders as b
from kinplan.meetings import services as meetings
from kinplan.meetings.models import Meeting
from kinplan.planning.models import Step
from kinplan.planning.selectors import plan_for_case
from kinplan.planning.tests.factories import GoalFactory, StepFactory
from kinplan.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def count(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        read()
    return len(queries.captured_queries)


def plan_with(worker: Any, reference: str, goals: int, steps: int) -> Case:
    """A plan of `goals` goals (every other one intermediate) and `steps` steps by the family, the worker and
    providers (each a different provider)."""
    case = b.family_case(worker, reference=reference)
    b.rich_plan(case, worker)
    plan = plan_for_case(case=case)
    mother = b.mother_of(case)
    made = [GoalFactory(plan=plan, title=f"Extra goal {n}") for n in range(goals)]
    for n, goal in enumerate(made[1:], start=1):
        if n % 2:
            goal.parent = made[n - 1]
            goal.save()
    for n in range(steps):
        who = n % 3
        StepFactory(
            goal=made[n % goals],
            what=f"Extra step {n}",
            responsible=[Step.Responsible.FAMILY, Step.Responsible.WORKER, Step.Responsible.PROVIDER][who],
            responsible_person=mother if who == 0 else None,
            responsible_user=worker if who == 1 else None,
            provider=ProviderFactory() if who == 2 else None,
            worker_helps=who == 0,
        )
    return case


@pytest.mark.parametrize(
    ("template", "build"),
    [
        ("documents/family_plan.html", selectors.family_plan_context),
        ("documents/service_plan.html", selectors.service_plan_context),
    ],
)
def test_a_plan_document_takes_as_many_queries_for_a_long_plan_as_for_a_short_one(template, build):
    worker = b.social_worker()
    short = plan_with(worker, "KP-Q00001", goals=2, steps=3)
    long = plan_with(worker, "KP-Q00002", goals=6, steps=24)

    def read(case: Case) -> Callable[[], Any]:
        def printed() -> str:
            loaded = case_get_for_user_or_404(worker, case.pk)
            return render_html(template, build(loaded, plan_for_case(case=loaded)))

        return printed

    assert count(read(short)) == count(read(long))


def test_a_meeting_record_takes_as_many_queries_for_a_big_meeting_as_for_a_small_one():
    worker = b.social_worker()
    small = b.held_meeting(b.family_case(worker, reference="KP-Q00003"))
    big = b.held_meeting(b.family_case(worker, reference="KP-Q00004"))
    for n in range(8):
        meetings.participant_add(actor=worker, meeting=big, name=f"Guest {n}", participation="phone", views="Yes.")
        meetings.action_add(actor=worker, meeting=big, data={"what": f"Action {n}", "who_name": "Nan"})

    def read(meeting: Meeting) -> Callable[[], Any]:
        def printed() -> str:
            case = case_get_for_user_or_404(worker, meeting.case_id)
            return render_html("documents/meeting_record.html", selectors.meeting_record_context(case, meeting))

        return printed

    assert count(read(small)) == count(read(big))

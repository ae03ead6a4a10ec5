"""What waits for whom (seed 003): each role sees exactly its next move on each plan; outsiders see nothing; the
number of queries does not grow with the number of plans."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinplan.permanent_care import services
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.selectors import waiting_for
from kinplan.permanent_care.tests.factories import (
    arrangement_at,
    days,
    family_for_permanent_care,
)

S = SupportArrangement.Status
STAFF_ROLES = ("worker", "supervisor", "site_manager", "caseworker", "support_manager", "national_manager")
OUTSIDERS = ("bob", "charlie", "other_site_manager", "other_team_supervisor")

LETTER = "Send the caregiver the acknowledgement letter"
ALLOCATE = "Allocate a caseworker to this referral"
# Who has something to do on a plan at each status; everyone else, nothing.
EXPECTED = {
    S.REFERRAL_DRAFT: {"worker": ["Check the referral pack and send it to the support service"]},
    S.REFERRED: {"support_manager": [ALLOCATE], "caseworker": [ALLOCATE]},
    S.ALLOCATED: {"caseworker": ["Record your discussion of possible supports with the social worker"]},
    S.PLANNING: {"worker": ["Plan with the family, then record everyone's agreement and the court step"]},
    S.READY_FOR_COURT: {"worker": ["Submit the plan for approval"]},
    S.AWAITING_APPROVAL: {
        "site_manager": ["Sign off the items the site resources"],
        "support_manager": ["Approve the plan's content and costs"],
    },
    S.NOT_APPROVED: {"worker": ["Escalation step 1: Consult the allocated caseworker"]},
    S.APPROVED: {"worker": ["Send the plan to the support service once the orders are discharged"]},
    S.SENT: {"caseworker": [LETTER], "support_manager": [LETTER]},
    S.IN_PLACE: {},
}


def what(user, today=None):
    return [w.what for w in waiting_for(user, today=today)]


def person(who, staff, request):
    return getattr(staff, who) if who in STAFF_ROLES else request.getfixturevalue(who)


def record_rung(staff, arrangement, rung, actor):
    services.escalation_record(
        actor=actor,
        arrangement=arrangement,
        rung=rung,
        data={
            "held_on": timezone.localdate(),
            "method": "phone",
            "caseworker_involved": True,
            "outcome": "unresolved",
            "summary": "Not resolved.",
        },
    )


def climb_to(staff, arrangement, rung):
    actors = {1: staff.worker, 2: staff.worker, 3: staff.supervisor, 4: staff.worker, 5: staff.site_manager}
    for lower in range(1, rung):
        record_rung(staff, arrangement, lower, actors[lower])


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_role_sees_exactly_its_next_move(status, family, staff, request):
    # given
    arrangement = arrangement_at(status, family, staff)
    # when / then
    for who in STAFF_ROLES + OUTSIDERS:
        items = waiting_for(person(who, staff, request))
        assert [w.what for w in items] == EXPECTED[status].get(who, []), who
        assert all(w.arrangement == arrangement for w in items)


def test_once_the_site_manager_signs_off_only_the_approval_waits(family, staff):
    # given
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    # when
    services.approval_decide(actor=staff.site_manager, arrangement=arrangement, decision="approved")
    # then
    assert what(staff.site_manager) == []
    assert what(staff.support_manager) == ["Approve the plan's content and costs"]


@pytest.mark.parametrize(
    "rung, who, item",
    [
        (2, "worker", "Escalation step 2: Reconvene planning with the caseworker involved"),
        (3, "supervisor", "Escalation step 3: Supervisor's case consult"),
        (4, "worker", "Escalation step 4: Reconvene planning on the consult's outcome"),
        (5, "site_manager", "Escalation step 5: Site manager discusses with the support-service manager"),
        (6, "national_manager", "Escalation step 6: National manager's final determination"),
    ],
)
def test_each_rung_waits_for_its_role_alone(rung, who, item, family, staff, request):
    # given the ladder has reached `rung`
    arrangement = arrangement_at(S.NOT_APPROVED, family, staff)
    climb_to(staff, arrangement, rung)
    # when / then
    for someone in STAFF_ROLES + OUTSIDERS:
        assert what(person(someone, staff, request)) == ([item] if someone == who else []), someone


def test_the_social_worker_is_asked_to_discuss_changes_from_the_ladder(family, staff):
    # given the ladder resolved the dispute with changes
    arrangement = arrangement_at(S.NOT_APPROVED, family, staff)
    services.escalation_record(
        actor=staff.worker,
        arrangement=arrangement,
        rung=1,
        data={
            "held_on": timezone.localdate(),
            "method": "phone",
            "outcome": "resolved_with_changes",
            "summary": "Six sessions.",
        },
    )
    # when / then
    assert what(staff.worker) == [
        "Plan with the family, then record everyone's agreement and the court step",
        "Discuss the changes with the caregivers and planning participants",
    ]


def test_the_review_waits_for_the_reviewer_from_two_weeks_before_its_date(family, staff, request):
    # given a plan in place, reviewed in 200 days
    arrangement_at(S.IN_PLACE, family, staff)
    review_on = days(200)
    # when / then
    assert what(staff.caseworker, today=review_on - datetime.timedelta(days=15)) == []
    due = f"Review the plan (review date {review_on:%-d %b %Y})"
    assert what(staff.caseworker, today=review_on - datetime.timedelta(days=14)) == [due]
    assert what(staff.caseworker, today=review_on + datetime.timedelta(days=3)) == [due]
    for someone in ("worker", "support_manager", "site_manager", "national_manager", "charlie"):
        assert what(person(someone, staff, request), today=review_on) == [], someone


def test_closed_and_withdrawn_plans_wait_for_no_one(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    services.arrangement_withdraw(actor=staff.worker, arrangement=arrangement, reason="Nan changed her mind.")
    # when / then
    for someone in STAFF_ROLES:
        assert what(getattr(staff, someone)) == []


def test_the_number_of_queries_does_not_grow_with_the_number_of_plans(family, staff):
    # given one plan in escalation, at the national manager's determination
    first = arrangement_at(S.NOT_APPROVED, family, staff)
    climb_to(staff, first, 6)
    counts = {}
    for who in STAFF_ROLES:
        with CaptureQueriesContext(connection) as one:
            waiting_for(getattr(staff, who))
        counts[who] = len(one)
    # when two more plans join it, one also in escalation and one awaiting approval
    arrangement_at(S.NOT_APPROVED, family_for_permanent_care(staff.worker), staff)
    arrangement_at(S.AWAITING_APPROVAL, family_for_permanent_care(staff.worker), staff)
    # then each role's list takes no more queries than before
    for who, before in counts.items():
        with CaptureQueriesContext(connection) as three:
            waiting_for(getattr(staff, who))
        assert len(three) <= before, (who, [q["sql"] for q in three.captured_queries])
    assert len(waiting_for(staff.worker)) == 1
    assert len(waiting_for(staff.national_manager)) == 1
    assert len(waiting_for(staff.site_manager)) == 1

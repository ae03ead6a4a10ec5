"""Invariants of the permanent care support plan: the span and review-date rules over many dates (hypothesis);
every change written to history; every status change logged; an illegal move changes nothing."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kinplan.audit.models import AuditEvent
from kinplan.core.errors import InvalidTransition
from kinplan.permanent_care import services
from kinplan.permanent_care.models import ALLOWED_TRANSITIONS, SupportArrangement
from kinplan.permanent_care.selectors import one_year_after
from kinplan.permanent_care.tests.factories import arrangement_at, days, good_item

S = SupportArrangement.Status
HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

starts = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31))
# Ends are drawn around the furthest allowed day, so the boundary is tried as often as the far cases.
offsets = st.one_of(st.integers(min_value=-3, max_value=3), st.integers(min_value=-400, max_value=400))


@pytest.fixture
def draft(family, staff):
    return arrangement_at(S.REFERRAL_DRAFT, family, staff)


def stored_dates(arrangement):
    arrangement.refresh_from_db()
    return arrangement.starts_on, arrangement.ends_on, arrangement.review_on


# --- the span and the review date, over many dates ------------------------------------------------------


@HYPOTHESIS
@given(start=starts, offset=offsets)
@example(start=datetime.date(2028, 2, 29), offset=0)
@example(start=datetime.date(2028, 2, 29), offset=1)
@example(start=datetime.date(2030, 3, 15), offset=-365)
def test_a_plan_ends_after_it_starts_and_no_later_than_a_year_on(draft, staff, start, offset):
    # given
    end = one_year_after(start) + datetime.timedelta(days=offset)
    before = stored_dates(draft)
    allowed = start < end <= one_year_after(start)
    # when
    try:
        services.plan_set_dates(actor=staff.worker, arrangement=draft, data={"starts_on": start, "ends_on": end})
        accepted = True
    except ValidationError as refused:
        accepted = False
        assert "ends_on" in refused.message_dict
    # then
    assert accepted == allowed, (start, end)
    assert stored_dates(draft) == ((start, end, None) if accepted else before)


@HYPOTHESIS
@given(review_on=st.dates(min_value=datetime.date(2029, 1, 1), max_value=datetime.date(2031, 12, 31)))
@example(review_on=datetime.date(2030, 3, 15))
@example(review_on=datetime.date(2031, 3, 15))
@example(review_on=datetime.date(2030, 3, 14))
@example(review_on=datetime.date(2031, 3, 16))
def test_a_review_date_is_accepted_only_inside_the_span(draft, staff, review_on):
    # given a plan from 15 March 2030 to 15 March 2031
    start, end = datetime.date(2030, 3, 15), datetime.date(2031, 3, 15)
    services.plan_set_dates(actor=staff.worker, arrangement=draft, data={"starts_on": start, "ends_on": end})
    before = stored_dates(draft)
    # when
    try:
        services.plan_set_dates(actor=staff.worker, arrangement=draft, data={"review_on": review_on})
        accepted = True
    except ValidationError as refused:
        accepted = False
        assert "review_on" in refused.message_dict
    # then
    assert accepted == (start <= review_on <= end), review_on
    assert stored_dates(draft) == ((start, end, review_on) if accepted else before)


def test_one_year_after_is_the_same_day_a_year_later():
    assert one_year_after(datetime.date(2030, 3, 15)) == datetime.date(2031, 3, 15)
    assert one_year_after(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
    assert one_year_after(datetime.date(2027, 2, 28)) == datetime.date(2028, 2, 28)


# --- history and the transition log ----------------------------------------------------------------------


def test_every_status_change_is_logged_as_an_unbroken_chain_with_its_history(family, staff):
    # when a plan goes from referral to in place
    arrangement = arrangement_at(S.IN_PLACE, family, staff)
    # then each move starts where the last one ended, and each was allowed
    log = list(arrangement.transitions.order_by("id"))
    assert log[0].from_status == S.REFERRAL_DRAFT
    assert log[-1].to_status == S.IN_PLACE
    for earlier, later in itertools.pairwise(log):
        assert later.from_status == earlier.to_status
    assert all(t.to_status in ALLOWED_TRANSITIONS[t.from_status] for t in log)
    assert all(t.actor_id for t in log)
    # and each is in the history, with who and what changed
    events = AuditEvent.objects.filter(
        target_type="permanent_care.supportarrangement", target_id=str(arrangement.pk), changes__has_key="status"
    ).exclude(event="permanent_care.started")
    assert sorted(e.changes["status"][1] for e in events) == sorted(t.to_status for t in log)
    assert all(e.actor_id and e.changes["status"] for e in events)


def test_a_plans_start_is_written_to_history_with_what_was_set(family, staff):
    # when
    arrangement = arrangement_at(S.REFERRAL_DRAFT, family, staff)
    # then
    event = AuditEvent.objects.get(event="permanent_care.started")
    assert event.actor == staff.worker
    assert event.case == family.case
    assert event.target_id == str(arrangement.pk)
    assert event.changes["child"] == [None, "Aroha Ngata"]
    assert event.changes["status"] == [None, S.REFERRAL_DRAFT]


def test_a_support_added_is_written_to_history_with_its_fields(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    services.plan_set_dates(
        actor=staff.worker, arrangement=arrangement, data={"starts_on": days(30), "ends_on": days(360)}
    )
    objective = services.objective_add(
        actor=staff.worker, arrangement=arrangement, data={"need": family.needs[0], "title": "Aroha feels safe"}
    )
    # when
    item = services.item_add(actor=staff.worker, objective=objective, data=good_item(family))
    # then
    event = AuditEvent.objects.get(event="permanent_care.item.added")
    assert (event.actor, event.target_id) == (staff.worker, str(item.pk))
    assert event.changes["cost"] == [None, "1200.00"]
    assert event.changes["what"] == [None, "Trauma counselling for Aroha"]


def test_an_agreement_is_written_to_history_with_who_gave_it(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    # when
    services.agreement_record(
        actor=staff.worker, arrangement=arrangement, member=family.members[0], position="agrees", method="phone"
    )
    # then
    event = AuditEvent.objects.get(event="permanent_care.agreement.recorded")
    assert event.actor == staff.worker
    assert event.changes["member"] == [None, "Mere Ngata"]
    assert event.changes["position"] == [None, "agrees"]


def test_a_purchase_is_written_to_history(family, staff):
    # given
    arrangement = arrangement_at(S.IN_PLACE, family, staff)
    item = arrangement.objectives.get().items.get(funder="support_service")
    # when
    services.purchase_record(
        actor=staff.support_manager,
        arrangement=arrangement,
        item=item,
        data={"quantity": Decimal(10), "cost": Decimal(1200), "period_start": days(0), "period_end": days(100)},
    )
    # then
    event = AuditEvent.objects.get(event="permanent_care.purchase.recorded")
    assert event.actor == staff.support_manager
    assert event.changes["cost"] == [None, "1200"]


# --- an illegal move changes nothing ---------------------------------------------------------------------


def _court(staff, a):
    return services.mark_ready_for_court(actor=staff.worker, arrangement=a, court_step="SGO", court_step_on=days(-1))


ILLEGAL: dict[str, tuple[str, Callable]] = {
    "refer a plan already in planning": (
        S.PLANNING,
        lambda s, a: services.referral_send(actor=s.worker, arrangement=a),
    ),
    "submit a plan still in planning": (
        S.PLANNING,
        lambda s, a: services.submit_for_approval(actor=s.worker, arrangement=a),
    ),
    "mark a plan awaiting approval ready for court": (S.AWAITING_APPROVAL, _court),
    "reopen a plan awaiting approval": (
        S.AWAITING_APPROVAL,
        lambda s, a: services.planning_reopen(actor=s.worker, arrangement=a, reason="Change it."),
    ),
    "discuss a plan ready for court": (
        S.READY_FOR_COURT,
        lambda s, a: services.discussion_record(
            actor=s.caseworker,
            arrangement=a,
            data={
                "held_on": timezone.localdate(),
                "method": "phone",
                "supports_discussed": "More.",
                "participation_level": "by_phone",
            },
        ),
    ),
    "send a plan not approved": (S.NOT_APPROVED, lambda s, a: services.arrangement_send(actor=s.worker, arrangement=a)),
    "record the letter for an approved plan": (
        S.APPROVED,
        lambda s, a: services.letter_record_sent(actor=s.caseworker, arrangement=a, sent_on=days(0), method="post"),
    ),
    "withdraw a plan the support service has": (
        S.SENT,
        lambda s, a: services.arrangement_withdraw(actor=s.worker, arrangement=a, reason="Stop."),
    ),
    "withdraw a plan in place": (
        S.IN_PLACE,
        lambda s, a: services.arrangement_withdraw(actor=s.worker, arrangement=a, reason="Stop."),
    ),
    "review a plan not yet in place": (
        S.SENT,
        lambda s, a: services.review_record(
            actor=s.caseworker,
            arrangement=a,
            data={"reviewed_on": timezone.localdate(), "findings": "Fine.", "outcome": "complete"},
        ),
    ),
    "allocate a draft referral": (
        S.REFERRAL_DRAFT,
        lambda s, a: services.caseworker_allocate(actor=s.support_manager, arrangement=a, caseworker=s.caseworker),
    ),
}


@pytest.mark.parametrize("status, action", ILLEGAL.values(), ids=ILLEGAL.keys())
def test_an_illegal_move_changes_nothing(status, action, family, staff):
    # given
    arrangement = arrangement_at(status, family, staff)
    log, events = arrangement.transitions.count(), AuditEvent.objects.count()
    # when / then
    with pytest.raises(ValidationError):
        action(staff, arrangement)
    arrangement.refresh_from_db()
    assert arrangement.status == status
    assert arrangement.transitions.count() == log
    assert AuditEvent.objects.count() == events


def test_a_withdrawn_plan_stays_withdrawn(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    services.arrangement_withdraw(actor=staff.worker, arrangement=arrangement, reason="Nan changed her mind.")
    log = arrangement.transitions.count()
    # when / then
    with pytest.raises(InvalidTransition):
        services.arrangement_withdraw(actor=staff.worker, arrangement=arrangement, reason="Again.")
    with pytest.raises(InvalidTransition):
        services.submit_for_approval(actor=staff.worker, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert arrangement.status == S.WITHDRAWN
    assert arrangement.closed_reason == "Nan changed her mind."
    assert arrangement.transitions.count() == log

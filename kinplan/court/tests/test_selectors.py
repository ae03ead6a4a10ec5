"""Reads over court orders: what the permanent care support plan waits for (seed 003), orders at a glance, the
plan steps that satisfy a condition as the plan moves on, and the next hearing."""

from __future__ import annotations

import uuid

import pytest

from kinplan.cases.tests.factories import CaseFactory, TeamMemberFactory, child_of
from kinplan.court import selectors, services
from kinplan.court.models import OrderKind
from kinplan.court.tests.factories import CourtOrderFactory, HearingFactory, OrderConditionFactory, days
from kinplan.planning import services as planning
from kinplan.planning.models import Step

pytestmark = pytest.mark.django_db


def order(alice, case, kind: str, made: int, **extra):
    data = {"kind": kind, "court": "Family Court at Porirua", "made_on": days(made)} | extra
    return services.order_create(actor=alice, case=case, data=data)


# --- chief_executive_orders_discharged_on -----------------------------------------------------------


class TestWhenTheChiefExecutivesOrdersWereDischarged:
    def test_a_case_that_never_had_a_chief_executives_order_has_no_date(self, alice, case, nan):
        order(alice, case, "parenting", -10, granted_to=nan)
        order(alice, case, "services", -40)
        assert selectors.chief_executive_orders_discharged_on(case=case) is None

    def test_while_any_chief_executives_order_is_in_force_there_is_no_date(self, alice, case):
        custody = order(alice, case, "ce_custody", -300)
        order(alice, case, "ce_additional_guardianship", -300)
        services.order_discharge(actor=alice, order=custody, on=days(-5))
        assert selectors.chief_executive_orders_discharged_on(case=case) is None

    def test_once_all_are_discharged_it_is_the_date_the_last_one_was(self, alice, case):
        # given custody and additional guardianship, discharged on different days
        custody = order(alice, case, "ce_custody", -300)
        guardianship = order(alice, case, "ce_additional_guardianship", -300)
        services.order_discharge(actor=alice, order=custody, on=days(-20))
        services.order_discharge(actor=alice, order=guardianship, on=days(-6))
        # when / then
        assert selectors.chief_executive_orders_discharged_on(case=case) == days(-6)

    def test_an_interim_order_replaced_by_custody_counts_when_custody_is_discharged(self, alice, case):
        interim = order(alice, case, "ce_interim_custody", -400)
        custody = order(alice, case, "ce_custody", -350)
        services.order_end(actor=alice, order=interim, to="replaced", replaced_by=custody)
        assert selectors.chief_executive_orders_discharged_on(case=case) is None
        services.order_discharge(actor=alice, order=custody, on=days(-1))
        assert selectors.chief_executive_orders_discharged_on(case=case) == days(-1)

    def test_an_order_that_expired_ended_the_chief_executives_care_on_its_expiry(self, alice, case):
        lapsed = order(alice, case, "ce_custody", -400, expires_on=days(-30))
        services.order_end(actor=alice, order=lapsed, to="expired")
        assert selectors.chief_executive_orders_discharged_on(case=case) == days(-30)

    def test_other_orders_and_other_cases_do_not_count(self, alice, case, nan):
        custody = order(alice, case, "ce_custody", -300)
        services.order_discharge(actor=alice, order=custody, on=days(-9))
        order(alice, case, "support", -20)  # a support order still in force is not the chief executive's
        CourtOrderFactory(case=CaseFactory(worker=alice), kind=OrderKind.CE_CUSTODY)  # in force, another case
        assert selectors.chief_executive_orders_discharged_on(case=case) == days(-9)

    def test_it_costs_one_query(self, alice, case, django_assert_num_queries):
        order(alice, case, "ce_custody", -300)
        with django_assert_num_queries(1):
            selectors.chief_executive_orders_discharged_on(case=case)


# --- caregiver_order_granted_on --------------------------------------------------------------------


class TestWhenACaregiverOrderWasGranted:
    def test_without_a_caregiver_order_there_is_no_date(self, alice, case):
        order(alice, case, "ce_custody", -300)
        assert selectors.caregiver_order_granted_on(case=case) is None

    def test_it_is_the_date_the_first_caregiver_order_in_force_was_made(self, alice, case, nan):
        order(alice, case, "guardianship", -12, granted_to=nan)
        order(alice, case, "parenting", -30, granted_to=nan)
        order(alice, case, "special_guardianship", -3, granted_to=nan)
        assert selectors.caregiver_order_granted_on(case=case) == days(-30)

    def test_a_caregiver_order_that_has_ended_does_not_count(self, alice, case, nan):
        interim = order(alice, case, "parenting", -90, granted_to=nan)
        services.order_discharge(actor=alice, order=interim, on=days(-10))
        assert selectors.caregiver_order_granted_on(case=case) is None
        final = order(alice, case, "parenting", -10, granted_to=nan)
        assert selectors.caregiver_order_granted_on(case=case) == final.made_on

    def test_it_costs_one_query(self, case, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert selectors.caregiver_order_granted_on(case=case) is None


# --- orders at a glance ----------------------------------------------------------------------------


def test_orders_in_force_come_first_then_the_latest_with_their_compliance_counted(alice, case, nan):
    # given an old order discharged, and two in force made on different days
    old = order(alice, case, "ce_interim_custody", -500)
    services.order_discharge(actor=alice, order=old, on=days(-400))
    custody = order(alice, case, "ce_custody", -400)
    support = order(alice, case, "support", -30)
    for compliance in ("complying", "complying", "not_complying", "not_yet_due"):
        OrderConditionFactory(order=custody, compliance=compliance, checked_on=days(-1), note="n")
    # when
    orders = selectors.orders_at_a_glance(case=case)
    # then
    assert orders == [support, custody, old]
    counts = [(c.compliance, c.label, c.count) for c in orders[1].compliance_counts]
    assert counts == [
        ("not_complying", "not complying", 1),
        ("complying", "complying", 2),
        ("not_yet_due", "not yet due", 1),
    ]
    assert orders[1].conditions_total == 4 and orders[0].compliance_counts == []


def test_the_next_hearing_is_the_earliest_still_scheduled_even_if_its_date_has_passed(alice, case):
    HearingFactory(case=case, date=days(-20), status="held", outcome="Done")
    waiting = HearingFactory(case=case, date=days(-2))
    HearingFactory(case=case, date=days(10))
    assert selectors.next_hearing(case=case) == waiting


def test_the_hearings_list_shows_those_to_come_first_then_the_rest_latest_first(case):
    held = HearingFactory(case=case, date=days(-30), status="held", outcome="Done")
    cancelled = HearingFactory(case=case, date=days(-3), status="cancelled", outcome="Judge unwell")
    soon, later = HearingFactory(case=case, date=days(5)), HearingFactory(case=case, date=days(50))
    assert selectors.case_hearings(case=case) == [soon, later, cancelled, held]


# --- the steps that satisfy a condition follow the plan's versions ----------------------------------


def test_a_linked_step_is_shown_as_it_stands_in_the_current_plan_version(alice, case, planned):
    # given a condition linked to the school step of version 1
    custody = order(alice, case, "ce_custody", -100)
    condition = services.condition_add(actor=alice, order=custody, text="School every day")
    services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
    # when the plan is agreed, revised, and version 2's school step is done
    revision = revise(alice, case, planned)
    now = Step.objects.get(goal__plan=revision, lineage=planned.school.lineage)
    planning.step_complete(actor=alice, step=now, result="Enrolled", on=days(0))
    # then the condition shows version 2's step, done
    shown = selectors.order_page(order=selectors.order_with_conditions(case=case, order_pk=custody.pk))
    [link] = shown["conditions"][0].linked_steps
    assert (link.step, link.step.status, link.version) == (now, "done", None)
    assert str(now.lineage) in shown["conditions"][0].linked_lineages
    # and the steps offered are version 2's
    assert {s.goal.plan for s in shown["linkable"]} == {revision}


def revise(alice, case, planned):
    member = TeamMemberFactory(case=case, person=child_of(case))
    planning.agreement_record(actor=alice, plan=planned.plan, member=member, position="agrees", method="in_person")
    for to in ("agreed", "active"):
        planning.plan_transition(actor=alice, plan=planned.plan, to=to)
    return planning.plan_revise(actor=alice, plan=planned.plan)


def test_a_linked_step_found_only_in_an_earlier_version_is_shown_from_that_version(alice, case, planned):
    # given a link to version 1's school step, and a version 2 where that step is not (as if re-made)
    custody = order(alice, case, "ce_custody", -100)
    condition = services.condition_add(actor=alice, order=custody, text="School every day")
    services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
    revision = revise(alice, case, planned)
    Step.objects.filter(goal__plan=revision, lineage=planned.school.lineage).update(lineage=uuid.uuid4())
    # when
    shown = selectors.condition_piece(condition=condition)["condition"]
    # then
    [link] = shown.linked_steps
    assert (link.step.pk, link.version) == (planned.school.pk, 1)


# The order with its case, child, caregiver, author and replacement; its conditions; their linked steps with goal and
# plan; its status changes; its hearings; the orders it replaced; the current plan's steps; and its history.
ORDER_QUERIES = 8


def test_an_order_page_costs_the_same_queries_for_one_condition_as_for_six(
    alice, case, planned, django_assert_num_queries
):
    def load():
        found = selectors.order_with_conditions(case=case, order_pk=custody.pk)
        return selectors.order_page(order=found)

    custody = order(alice, case, "ce_custody", -100)
    condition = services.condition_add(actor=alice, order=custody, text="First")
    services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
    with django_assert_num_queries(ORDER_QUERIES):
        assert len(load()["conditions"]) == 1
    for n in range(5):
        more = services.condition_add(actor=alice, order=custody, text=f"More {n}")
        services.condition_set_steps(actor=alice, condition=more, steps=[planned.school, planned.course])
        services.condition_record_compliance(actor=alice, condition=more, compliance="complying")
    with django_assert_num_queries(ORDER_QUERIES):
        assert len(load()["conditions"]) == 6

"""The court rules, each enforced by a service: orders and how they end, conditions and their compliance, the plan
steps that satisfy them, and hearings. Every change is in history with its before and after."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import CaseFactory, child_of
from kinplan.core.errors import InvalidTransition
from kinplan.court import services
from kinplan.court.models import CourtOrder, Hearing, OrderTransition
from kinplan.court.tests.factories import CourtOrderFactory, HearingFactory, days
from kinplan.planning import services as planning
from kinplan.planning.models import Step

pytestmark = pytest.mark.django_db

PORIRUA = "Family Court at Porirua"


def events(target: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_id=str(target.pk), target_type=target._meta.label_lower).order_by("id")
    )


def messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def order_data(**overrides: Any) -> dict[str, Any]:
    return {"kind": "ce_custody", "court": PORIRUA, "made_on": days(-30)} | overrides


# --- recording an order --------------------------------------------------------------------------


class TestRecordingAnOrder:
    def test_an_order_is_recorded_in_force_with_its_conditions_and_history(self, alice, case, child):
        # when
        order = services.order_create(
            actor=alice,
            case=case,
            data=order_data(child=child, reference="FAM-1", review_on=days(90)),
            conditions=["  Tama goes to school every day. ", "Mum completes a parenting course."],
        )
        # then
        assert order.status == CourtOrder.Status.IN_FORCE and order.created_by == alice
        assert [c.text for c in order.conditions.all()] == [
            "Tama goes to school every day.",
            "Mum completes a parenting course.",
        ]
        assert {c.compliance for c in order.conditions.all()} == {"not_yet_due"}
        created = events(order)[0]
        assert created.event == "court.order.created" and created.case == case
        assert created.changes["kind"] == [None, "ce_custody"]
        assert created.changes["child"] == [None, str(child)]
        assert created.changes["made_on"] == [None, str(days(-30))]
        assert [e.event for c in order.conditions.all() for e in events(c)] == ["court.condition.added"] * 2

    def test_a_blank_condition_refuses_the_whole_order(self, alice, case):
        with pytest.raises(ValidationError) as error:
            services.order_create(actor=alice, case=case, data=order_data(), conditions=["School every day", " "])
        assert messages(error) == {"conditions": ["Write each condition as the order words it."]}
        assert not CourtOrder.objects.exists() and not AuditEvent.objects.filter(event__startswith="court.").exists()

    def test_the_child_must_be_a_child_of_the_case(self, alice, case, mother, charlie_case):
        for someone in (mother, child_of(charlie_case)):
            with pytest.raises(ValidationError) as error:
                services.order_create(actor=alice, case=case, data=order_data(child=someone))
            assert messages(error) == {"child": ["Choose a child of this case."]}

    def test_a_caregiver_order_names_the_caregiver_it_is_made_for(self, alice, case, nan):
        with pytest.raises(ValidationError) as error:
            services.order_create(actor=alice, case=case, data=order_data(kind="parenting"))
        assert messages(error) == {"granted_to": ["Name the caregiver this order is made for."]}
        order = services.order_create(actor=alice, case=case, data=order_data(kind="parenting", granted_to=nan))
        assert order.granted_to == nan and order.is_caregiver_order

    def test_the_caregiver_is_someone_in_the_case_other_than_the_child(self, alice, case, child, charlie_case):
        for someone, message in (
            (child, "Name the caregiver the order is made for, not the child."),
            (child_of(charlie_case), "Choose someone who is part of this case."),
        ):
            with pytest.raises(ValidationError) as error:
                services.order_create(actor=alice, case=case, data=order_data(kind="guardianship", granted_to=someone))
            assert messages(error) == {"granted_to": [message]}

    def test_an_order_to_the_chief_executive_is_not_made_for_a_person(self, alice, case, nan):
        with pytest.raises(ValidationError) as error:
            services.order_create(actor=alice, case=case, data=order_data(kind="ce_sole_guardianship", granted_to=nan))
        assert messages(error) == {
            "granted_to": ["An order to the chief executive is not made for a person: leave this empty."]
        }

    @pytest.mark.parametrize(
        ("dates", "field", "message"),
        [
            ({"made_on": days(1)}, "made_on", "An order cannot be made on a date in the future."),
            ({"expires_on": days(-30)}, "expires_on", "An order expires after the date it was made."),
            ({"review_on": days(-40)}, "review_on", "The court reviews an order after the date it was made."),
        ],
        ids=["made in the future", "expires the day it was made", "reviewed before it was made"],
    )
    def test_the_dates_must_make_sense(self, alice, case, dates, field, message):
        with pytest.raises(ValidationError) as error:
            services.order_create(actor=alice, case=case, data=order_data(**dates))
        assert messages(error) == {field: [message]}
        assert not CourtOrder.objects.exists()

    def test_only_those_who_may_change_the_case_record_orders(self, bob, national_manager, case):
        for outsider in (bob, national_manager):
            with pytest.raises(PermissionDenied):
                services.order_create(actor=outsider, case=case, data=order_data())
        assert not CourtOrder.objects.exists()


class TestCorrectingAnOrder:
    def test_an_order_in_force_is_corrected_and_the_change_is_in_history(self, alice, order):
        services.order_update(actor=alice, order=order, data={"court": "Family Court at Wellington", "notes": "Moved."})
        order.refresh_from_db()
        assert order.court == "Family Court at Wellington"
        assert events(order)[-1].event == "court.order.updated"
        assert events(order)[-1].changes == {
            "court": [PORIRUA, "Family Court at Wellington"],
            "notes": ["", "Moved."],
        }

    def test_changing_to_a_caregiver_order_needs_the_caregiver(self, alice, order):
        with pytest.raises(ValidationError) as error:
            services.order_update(actor=alice, order=order, data={"kind": "parenting", "child": None})
        assert messages(error) == {"granted_to": ["Name the caregiver this order is made for."]}
        order.refresh_from_db()
        assert order.kind == "ce_custody" and order.child_id is not None

    def test_an_order_that_has_ended_is_kept_as_it_was(self, alice, order):
        services.order_discharge(actor=alice, order=order, on=days(-1))
        with pytest.raises(
            ValidationError, match=re.escape("This order is discharged: it is kept as it was when it ended.")
        ):
            services.order_update(actor=alice, order=order, data={"court": "Elsewhere"})


# --- how an order ends ---------------------------------------------------------------------------


class TestEndingAnOrder:
    def test_discharging_records_the_date_the_move_and_the_history(self, alice, order):
        # when
        services.order_discharge(actor=alice, order=order, on=days(-3), note="Tama is home for good.")
        # then
        order.refresh_from_db()
        assert (order.status, order.ended_on) == ("discharged", days(-3))
        move = OrderTransition.objects.get(order=order)
        assert (move.from_status, move.to_status, move.on, move.actor, move.note) == (
            "in_force",
            "discharged",
            days(-3),
            alice,
            "Tama is home for good.",
        )
        assert events(order)[-1].event == "court.order.discharged"
        assert events(order)[-1].changes == {
            "status": ["in_force", "discharged"],
            "ended_on": [None, str(days(-3))],
            "note": [None, "Tama is home for good."],
        }

    @pytest.mark.parametrize(
        ("on", "message"),
        [
            (None, "Enter the date the court discharged the order."),
            (days(1), "The date of discharge cannot be in the future."),
            (days(-201), f"An order cannot be discharged before it was made ({days(-200):%-d %b %Y})."),
        ],
        ids=["no date", "in the future", "before it was made"],
    )
    def test_a_discharge_date_is_needed_not_in_the_future_nor_before_the_order(self, alice, order, on, message):
        with pytest.raises(ValidationError) as error:
            services.order_end(actor=alice, order=order, to="discharged", ended_on=on)
        assert messages(error) == {"ended_on": [message]}
        order.refresh_from_db()
        assert order.status == "in_force" and not order.transitions.exists()

    def test_an_order_expires_on_its_expiry_date_once_it_has_passed(self, alice, case):
        future = services.order_create(actor=alice, case=case, data=order_data(expires_on=days(5)))
        with pytest.raises(ValidationError) as error:
            services.order_end(actor=alice, order=future, to="expired")
        assert messages(error) == {"to": [f"This order runs until {days(5):%-d %b %Y}; it has not expired yet."]}
        lapsed = services.order_create(actor=alice, case=case, data=order_data(expires_on=days(-2)))
        services.order_end(actor=alice, order=lapsed, to="expired")
        lapsed.refresh_from_db()
        assert (lapsed.status, lapsed.ended_on) == ("expired", days(-2))

    def test_an_order_without_an_expiry_date_does_not_expire(self, alice, order):
        with pytest.raises(ValidationError) as error:
            services.order_end(actor=alice, order=order, to="expired")
        assert messages(error) == {"to": ["This order has no expiry date: record it as discharged or replaced."]}

    def test_a_replaced_order_names_the_later_order_of_the_case_that_replaced_it(self, alice, case, order):
        # given an interim order, replaced by the final custody order
        interim = services.order_create(
            actor=alice, case=case, data=order_data(kind="ce_interim_custody", made_on=days(-250))
        )
        # when
        services.order_end(actor=alice, order=interim, to="replaced", replaced_by=order)
        # then it ended the day the new order was made
        interim.refresh_from_db()
        assert (interim.status, interim.ended_on, interim.replaced_by) == ("replaced", days(-200), order)
        assert events(interim)[-1].changes["replaced_by"] == [None, str(order)]

    def test_an_order_is_replaced_only_by_another_later_order_of_the_same_case(self, alice, case, order, charlie_case):
        earlier = services.order_create(actor=alice, case=case, data=order_data(made_on=days(-300)))
        elsewhere = CourtOrderFactory(case=charlie_case)
        for replacement, message in (
            (None, "Choose the order that replaced it."),
            (order, "Choose another order of this case, made to replace this one."),
            (elsewhere, "Choose another order of this case, made to replace this one."),
            (earlier, "That order was made before this one; choose the later order."),
        ):
            with pytest.raises(ValidationError) as error:
                services.order_end(actor=alice, order=order, to="replaced", replaced_by=replacement)
            assert messages(error) == {"replaced_by": [message]}

    @pytest.mark.parametrize("to", ["in_force", "discharged", "expired", "replaced", "nonsense"])
    def test_an_order_ends_once(self, alice, order, to):
        # given
        services.order_discharge(actor=alice, order=order, on=days(-1))
        # when / then
        with pytest.raises(InvalidTransition, match="An order that is discharged cannot become"):
            services.order_end(actor=alice, order=order, to=to, ended_on=days(-1), replaced_by=order)
        assert order.transitions.count() == 1

    def test_an_order_in_force_does_not_move_to_in_force(self, alice, order):
        with pytest.raises(InvalidTransition, match=re.escape("An order that is in force cannot become in force.")):
            services.order_end(actor=alice, order=order, to="in_force")

    def test_only_those_who_may_change_the_case_end_its_orders(self, bob, order):
        with pytest.raises(PermissionDenied):
            services.order_discharge(actor=bob, order=order, on=days(-1))
        order.refresh_from_db()
        assert order.status == "in_force"


# --- conditions and compliance -------------------------------------------------------------------


class TestConditions:
    def test_a_condition_is_added_at_the_end_with_its_wording(self, alice, order):
        condition = services.condition_add(actor=alice, order=order, text=" No contact with Dad without supervision. ")
        assert condition.position == 3 and condition.text == "No contact with Dad without supervision."
        assert events(condition)[0].changes["order"] == [None, str(order)]

    def test_a_condition_needs_its_wording(self, alice, order):
        with pytest.raises(ValidationError) as error:
            services.condition_add(actor=alice, order=order, text="  ")
        assert messages(error) == {"text": ["Write the condition as the order words it."]}
        condition = order.conditions.first()
        with pytest.raises(ValidationError):
            services.condition_update(actor=alice, condition=condition, text="")
        condition.refresh_from_db()
        assert condition.text == "Tama goes to school every day."

    def test_changing_the_wording_is_in_history(self, alice, order):
        condition = order.conditions.first()
        services.condition_update(actor=alice, condition=condition, text="Tama goes to school every school day.")
        assert events(condition)[-1].changes == {
            "text": ["Tama goes to school every day.", "Tama goes to school every school day."]
        }

    def test_compliance_is_recorded_as_checked_on_a_date_with_history(self, alice, order):
        condition = order.conditions.first()
        services.condition_record_compliance(
            actor=alice, condition=condition, compliance="complying", checked_on=days(-2), note="School: 98%."
        )
        condition.refresh_from_db()
        assert (condition.compliance, condition.checked_on, condition.note) == ("complying", days(-2), "School: 98%.")
        assert events(condition)[-1].event == "court.condition.compliance"
        assert events(condition)[-1].changes == {
            "compliance": ["not_yet_due", "complying"],
            "checked_on": [None, str(days(-2))],
            "note": ["", "School: 98%."],
        }

    def test_a_check_is_dated_today_unless_said_otherwise(self, alice, order):
        condition = services.condition_record_compliance(
            actor=alice, condition=order.conditions.first(), compliance="met"
        )
        assert condition.checked_on == days(0)

    @pytest.mark.parametrize("compliance", ["partly_complying", "not_complying"])
    def test_falling_short_needs_a_note_saying_what_is_missing(self, alice, order, compliance):
        condition = order.conditions.first()
        with pytest.raises(ValidationError) as error:
            services.condition_record_compliance(actor=alice, condition=condition, compliance=compliance, note=" ")
        assert messages(error) == {"note": ["Say what is not being complied with, and what is being done about it."]}
        condition.refresh_from_db()
        assert condition.compliance == "not_yet_due"

    @pytest.mark.parametrize(
        ("checked_on", "message"),
        [
            (days(1), "A check cannot be dated in the future."),
            (days(-201), f"A check cannot be dated before the order was made ({days(-200):%-d %b %Y})."),
        ],
        ids=["future", "before the order"],
    )
    def test_a_check_is_dated_between_the_order_and_today(self, alice, order, checked_on, message):
        with pytest.raises(ValidationError) as error:
            services.condition_record_compliance(
                actor=alice, condition=order.conditions.first(), compliance="complying", checked_on=checked_on
            )
        assert messages(error) == {"checked_on": [message]}

    def test_an_unknown_compliance_is_refused(self, alice, order):
        with pytest.raises(ValidationError) as error:
            services.condition_record_compliance(actor=alice, condition=order.conditions.first(), compliance="mostly")
        assert messages(error) == {"compliance": ["Choose how far the condition is being complied with."]}

    def test_the_conditions_of_an_order_that_has_ended_are_kept_as_they_were(self, alice, order):
        condition = order.conditions.first()
        services.order_discharge(actor=alice, order=order, on=days(0))
        calls = [
            lambda: services.condition_add(actor=alice, order=order, text="Another"),
            lambda: services.condition_update(actor=alice, condition=condition, text="Changed"),
            lambda: services.condition_record_compliance(actor=alice, condition=condition, compliance="met"),
            lambda: services.condition_set_steps(actor=alice, condition=condition, steps=[]),
        ]
        for call in calls:
            with pytest.raises(ValidationError, match="This order is discharged"):
                call()
        assert order.conditions.count() == 2

    def test_only_those_who_may_change_the_case_record_compliance(self, bob, national_manager, order):
        for outsider in (bob, national_manager):
            with pytest.raises(PermissionDenied):
                services.condition_record_compliance(
                    actor=outsider, condition=order.conditions.first(), compliance="met"
                )


class TestTheStepsThatSatisfyACondition:
    def test_a_condition_is_linked_to_steps_of_the_current_plan_and_unlinked_again(self, alice, order, planned):
        condition = order.conditions.first()
        # when linked to both steps
        services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school, planned.course])
        # then
        assert set(condition.steps.all()) == {planned.school, planned.course}
        assert events(condition)[-1].changes == {"steps": [[], sorted([planned.school.what, planned.course.what])]}
        # when one is unticked
        services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
        assert list(condition.steps.all()) == [planned.school]
        assert events(condition)[-1].changes == {
            "steps": [sorted([planned.school.what, planned.course.what]), [planned.school.what]]
        }

    def test_linking_the_same_steps_again_writes_no_history(self, alice, order, planned):
        condition = order.conditions.first()
        services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
        before = AuditEvent.objects.count()
        services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school])
        assert AuditEvent.objects.count() == before

    def test_only_steps_of_this_cases_current_plan_may_be_linked(self, alice, order, planned, charlie_case):
        from kinplan.planning.tests.factories import StepFactory

        condition = order.conditions.first()
        elsewhere = StepFactory(goal__plan__case=charlie_case)
        with pytest.raises(ValidationError) as error:
            services.condition_set_steps(actor=alice, condition=condition, steps=[planned.school, elsewhere])
        assert messages(error) == {"steps": ["Choose steps of this case's current plan that are not cancelled."]}
        assert not condition.steps.exists()

    def test_a_cancelled_step_cannot_satisfy_a_condition(self, alice, order, planned):
        planning.step_cancel(actor=alice, step=planned.course, reason="Course full")
        with pytest.raises(ValidationError):
            services.condition_set_steps(actor=alice, condition=order.conditions.first(), steps=[planned.course])

    def test_a_step_of_an_earlier_plan_version_cannot_be_newly_linked(self, alice, order, planned, case):
        old_step = _revised(alice, case, planned)
        with pytest.raises(ValidationError):
            services.condition_set_steps(actor=alice, condition=order.conditions.first(), steps=[old_step])


def _revised(alice, case, planned) -> Step:
    """Agree, activate and revise the plan; return version 1's `school` step (no longer current)."""
    from kinplan.cases.tests.factories import TeamMemberFactory

    member = TeamMemberFactory(case=case, person=child_of(case))
    planning.agreement_record(actor=alice, plan=planned.plan, member=member, position="agrees", method="in_person")
    planning.plan_transition(actor=alice, plan=planned.plan, to="agreed")
    planning.plan_transition(actor=alice, plan=planned.plan, to="active")
    planning.plan_revise(actor=alice, plan=planned.plan, note="Dad is back")
    return Step.objects.get(pk=planned.school.pk)


# --- hearings ------------------------------------------------------------------------------------


def hearing_data(**overrides: Any) -> dict[str, Any]:
    return {"date": days(21), "court": PORIRUA, "purpose": "Review of the plan"} | overrides


class TestHearings:
    def test_a_hearing_is_scheduled_about_an_order_with_history(self, alice, case, order):
        hearing = services.hearing_schedule(
            actor=alice, case=case, data=hearing_data(order=order, time=datetime.time(10, 30))
        )
        assert (hearing.status, hearing.order, hearing.created_by) == ("scheduled", order, alice)
        created = events(hearing)[0]
        assert created.event == "court.hearing.scheduled" and created.case == case
        assert created.changes["date"] == [None, str(days(21))]
        assert created.changes["time"] == [None, "10:30"]

    def test_a_hearing_is_about_an_order_of_its_own_case(self, alice, case, charlie_case):
        with pytest.raises(ValidationError) as error:
            services.hearing_schedule(
                actor=alice, case=case, data=hearing_data(order=CourtOrderFactory(case=charlie_case))
            )
        assert messages(error) == {"order": ["Choose an order of this case."]}
        assert not Hearing.objects.exists()

    def test_a_hearing_needs_its_date_court_and_purpose(self, alice, case):
        with pytest.raises(ValidationError) as error:
            services.hearing_schedule(actor=alice, case=case, data={"date": None, "court": "", "purpose": ""})
        assert set(messages(error)) == {"date", "court", "purpose"}

    def test_a_scheduled_hearing_is_moved_and_the_change_is_in_history(self, alice, case):
        hearing = services.hearing_schedule(actor=alice, case=case, data=hearing_data())
        services.hearing_update(actor=alice, hearing=hearing, data={"date": days(35)})
        assert events(hearing)[-1].changes == {"date": [str(days(21)), str(days(35))]}

    def test_a_held_hearing_records_its_outcome_and_is_then_kept_as_it_was(self, alice, case):
        hearing = services.hearing_schedule(actor=alice, case=case, data=hearing_data(date=days(-1)))
        services.hearing_record_outcome(actor=alice, hearing=hearing, status="held", outcome="Orders continue.")
        hearing.refresh_from_db()
        assert (hearing.status, hearing.outcome) == ("held", "Orders continue.")
        assert events(hearing)[-1].event == "court.hearing.held"
        with pytest.raises(ValidationError, match=re.escape("This hearing is held: it is kept as it was.")):
            services.hearing_update(actor=alice, hearing=hearing, data={"date": days(3)})
        with pytest.raises(
            InvalidTransition, match=re.escape("A hearing that is held cannot be recorded as cancelled.")
        ):
            services.hearing_record_outcome(actor=alice, hearing=hearing, status="cancelled", outcome="Oops")

    def test_a_hearing_is_not_held_before_its_date(self, alice, case):
        hearing = services.hearing_schedule(actor=alice, case=case, data=hearing_data())
        with pytest.raises(ValidationError) as error:
            services.hearing_record_outcome(actor=alice, hearing=hearing, status="held", outcome="Orders continue.")
        assert messages(error) == {
            "status": [f"This hearing is on {days(21):%-d %b %Y}: it cannot be held before then."]
        }

    @pytest.mark.parametrize(
        ("status", "message"),
        [
            ("held", "Record the outcome: what the court decided or directed."),
            ("adjourned", "Say why it was adjourned and what happens next."),
            ("cancelled", "Say why the hearing was cancelled."),
        ],
    )
    def test_what_happened_is_recorded_with_the_outcome_or_the_reason(self, alice, case, status, message):
        hearing = services.hearing_schedule(actor=alice, case=case, data=hearing_data(date=days(0)))
        with pytest.raises(ValidationError) as error:
            services.hearing_record_outcome(actor=alice, hearing=hearing, status=status, outcome="  ")
        assert messages(error) == {"outcome": [message]}
        hearing.refresh_from_db()
        assert hearing.status == "scheduled"

    def test_an_adjourned_hearing_resumes_at_a_new_hearing_on_a_later_date(self, alice, case, order):
        # given
        hearing = services.hearing_schedule(actor=alice, case=case, data=hearing_data(order=order, date=days(2)))
        # when
        services.hearing_record_outcome(
            actor=alice, hearing=hearing, status="adjourned", outcome="Lawyer for child unwell.", adjourned_to=days(30)
        )
        # then
        hearing.refresh_from_db()
        resumed = hearing.adjourned_to
        assert (hearing.status, resumed.date, resumed.status) == ("adjourned", days(30), "scheduled")
        assert (resumed.order, resumed.court, resumed.purpose) == (order, PORIRUA, "Review of the plan")
        assert events(hearing)[-1].changes["adjourned_to"] == [None, str(resumed)]

    def test_the_new_date_is_after_the_hearing_and_only_for_an_adjournment(self, alice, case):
        hearing = services.hearing_schedule(actor=alice, case=case, data=hearing_data(date=days(-1)))
        for status, on, message in (
            ("adjourned", days(-1), f"An adjourned hearing resumes after {days(-1):%-d %b %Y}."),
            ("held", days(20), "Only an adjourned hearing has a new date."),
        ):
            with pytest.raises(ValidationError) as error:
                services.hearing_record_outcome(
                    actor=alice, hearing=hearing, status=status, outcome="x", adjourned_to=on
                )
            assert messages(error) == {"adjourned_to": [message]}
        assert Hearing.objects.count() == 1

    def test_only_those_who_may_change_the_case_schedule_or_record_hearings(self, bob, case):
        hearing = HearingFactory(case=case, date=days(-1))
        with pytest.raises(PermissionDenied):
            services.hearing_schedule(actor=bob, case=case, data=hearing_data())
        with pytest.raises(PermissionDenied):
            services.hearing_record_outcome(actor=bob, hearing=hearing, status="held", outcome="x")


# --- the date rules over many inputs --------------------------------------------------------------


class TestOrderDatesOverManyInputs(HypothesisTestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        made=st.integers(-800, 5),
        expires=st.one_of(st.none(), st.integers(-800, 800)),
        review=st.one_of(st.none(), st.integers(-800, 800)),
        discharged=st.one_of(st.none(), st.integers(-900, 5)),
    )
    def test_an_order_is_accepted_and_ended_exactly_when_its_dates_make_sense(self, made, expires, review, discharged):
        # given
        alice = UserFactory()
        case = CaseFactory(worker=alice)
        data = order_data(
            made_on=days(made),
            expires_on=days(expires) if expires is not None else None,
            review_on=days(review) if review is not None else None,
        )
        valid = made <= 0 and all(d is None or d > made for d in (expires, review))
        # when
        try:
            order = services.order_create(actor=alice, case=case, data=data)
        except ValidationError:
            # then a refusal saves nothing
            assert not valid and not CourtOrder.objects.filter(case=case).exists()
            return
        assert valid
        if discharged is None:
            return
        # and a discharge is accepted exactly when it falls between the order and today
        try:
            services.order_discharge(actor=alice, order=order, on=days(discharged))
        except ValidationError:
            assert not made <= discharged <= 0
            order.refresh_from_db()
            assert order.status == "in_force" and not order.transitions.exists()
        else:
            assert made <= discharged <= 0

"""The plan's content (seed 003): planning meetings, its span and review date, objectives for identified needs,
supports that pass the good test (a hard rule here), universal services, and content fixed once agreed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinplan.assessments.tests.factories import AssessmentFactory, CompletedAssessmentFactory, NeedFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import CaseFactory
from kinplan.meetings.models import Meeting, MeetingParticipant
from kinplan.permanent_care import services
from kinplan.permanent_care.models import Objective, SupportAgreement, SupportArrangement, SupportItem
from kinplan.permanent_care.selectors import (
    agreement_state,
    live_items,
    planning_meeting_problems,
    readiness_problems,
)
from kinplan.permanent_care.tests.factories import (
    agree_all,
    arrangement_at,
    build_plan,
    days,
    good_item,
    planning_meeting,
)
from kinplan.providers.models import Provider
from kinplan.providers.tests.factories import ProviderFactory

S = SupportArrangement.Status
Funder = SupportItem.Funder


@pytest.fixture
def planning(family, staff):
    """An arrangement in planning, its dates set (starting in 30 days, ending in 360) and one objective."""
    arrangement = arrangement_at(S.PLANNING, family, staff)
    services.plan_set_dates(
        actor=staff.worker,
        arrangement=arrangement,
        data={"starts_on": days(30), "ends_on": days(360), "review_on": days(200)},
    )
    arrangement.refresh_from_db()
    return arrangement


@pytest.fixture
def objective(planning, family, staff):
    return services.objective_add(
        actor=staff.worker, arrangement=planning, data={"need": family.needs[0], "title": "Aroha feels safe"}
    )


def set_dates(staff, arrangement, **data):
    return services.plan_set_dates(actor=staff.worker, arrangement=arrangement, data=data)


def add_item(staff, objective, data):
    return services.item_add(actor=staff.worker, objective=objective, data=data)


# --- planning meetings ------------------------------------------------------------------------------------


def test_no_planning_meeting_held_is_listed(planning):
    # when
    problems = planning_meeting_problems(planning)
    # then
    assert problems == ["Hold a permanent care support planning meeting with the right people, and record it."]
    assert problems[0] in readiness_problems(planning)


def test_a_scheduled_meeting_is_not_a_held_one(planning, family, staff):
    # given
    meeting = planning_meeting(family, staff)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SCHEDULED)
    # when / then
    assert planning_meeting_problems(planning)[0].startswith("Hold a permanent care support planning meeting")


def test_a_meeting_where_the_support_role_was_not_explained_is_listed(planning, family, staff):
    # given
    meeting = planning_meeting(family, staff)
    Meeting.objects.filter(pk=meeting.pk).update(support_role_explained_by=None, support_role_explained_on=None)
    # when
    problems = planning_meeting_problems(planning)
    # then
    assert len(problems) == 1
    assert "support service's role was explained" in problems[0]


def test_a_meeting_the_caseworker_missed_without_being_sent_the_outcome_is_listed(planning, family, staff):
    # given
    planning_meeting(family, staff, caseworker_present=False)
    # when
    problems = planning_meeting_problems(planning)
    # then
    assert len(problems) == 1
    assert "caseworker was not at the meeting" in problems[0]


def test_a_meeting_the_caseworker_missed_is_fine_once_the_outcome_is_sent(planning, family, staff):
    # given
    meeting = planning_meeting(family, staff, caseworker_present=False)
    # when
    MeetingParticipant.objects.filter(meeting=meeting, user=staff.caseworker).update(
        outcome_sent_on=timezone.localdate(), outcome_sent_by=staff.worker, outcome_method="email"
    )
    # then
    assert planning_meeting_problems(planning) == []


def test_a_meeting_the_caseworker_attended_is_fine(planning, family, staff):
    # given
    planning_meeting(family, staff, caseworker_present=True)
    # when / then
    assert planning_meeting_problems(planning) == []


# --- the span and the review date -------------------------------------------------------------------------


def test_a_thirteen_month_plan_is_refused_naming_the_last_allowed_day(planning, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        set_dates(staff, planning, starts_on=datetime.date(2030, 3, 15), ends_on=datetime.date(2031, 4, 15))
    assert "15 March 2031" in refused.value.message_dict["ends_on"][0]
    planning.refresh_from_db()
    assert planning.ends_on == days(360)


def test_a_plan_of_exactly_twelve_months_is_accepted(planning, staff):
    # when
    set_dates(
        staff,
        planning,
        starts_on=datetime.date(2030, 3, 15),
        ends_on=datetime.date(2031, 3, 15),
        review_on=datetime.date(2030, 9, 15),
    )
    # then
    planning.refresh_from_db()
    assert (planning.starts_on, planning.ends_on) == (datetime.date(2030, 3, 15), datetime.date(2031, 3, 15))


def test_a_plan_starting_on_29_february_may_run_to_28_february_and_no_later(planning, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        set_dates(staff, planning, starts_on=datetime.date(2028, 2, 29), ends_on=datetime.date(2029, 3, 1))
    assert "28 February 2029" in refused.value.message_dict["ends_on"][0]
    set_dates(
        staff,
        planning,
        starts_on=datetime.date(2028, 2, 29),
        ends_on=datetime.date(2029, 2, 28),
        review_on=datetime.date(2028, 8, 29),
    )
    planning.refresh_from_db()
    assert planning.ends_on == datetime.date(2029, 2, 28)


def test_a_plan_must_end_after_it_starts(planning, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        set_dates(staff, planning, starts_on=days(30), ends_on=days(30))
    assert "ends_on" in refused.value.message_dict


@pytest.mark.parametrize("review_on", [days(361), days(29)], ids=["after the end", "before the start"])
def test_a_review_date_outside_the_span_is_refused(review_on, planning, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        set_dates(staff, planning, review_on=review_on)
    assert "review_on" in refused.value.message_dict
    planning.refresh_from_db()
    assert planning.review_on == days(200)


def test_the_review_date_may_be_the_first_or_last_day_of_the_span(planning, staff):
    # when / then
    set_dates(staff, planning, review_on=days(30))
    set_dates(staff, planning, review_on=days(360))
    planning.refresh_from_db()
    assert planning.review_on == days(360)


def test_moving_only_the_start_cannot_stretch_the_plan_past_twelve_months(planning, staff):
    # given the plan ends in 360 days
    # when the start alone is moved 60 days earlier (the span would be 420 days)
    with pytest.raises(ValidationError) as refused:
        set_dates(staff, planning, starts_on=days(-60))
    # then
    assert "12 months" in " ".join(refused.value.messages)
    planning.refresh_from_db()
    assert planning.starts_on == days(30)


def test_moving_only_the_start_past_the_review_date_is_refused(planning, staff):
    # when / then
    with pytest.raises(ValidationError):
        set_dates(staff, planning, starts_on=days(250))
    planning.refresh_from_db()
    assert planning.starts_on == days(30)


def test_the_reviewer_must_be_the_allocated_caseworker(planning, staff):
    # given the review is not assigned to the caseworker
    SupportArrangement.objects.filter(pk=planning.pk).update(reviewer=staff.support_manager)
    planning.refresh_from_db()
    # when
    problems = readiness_problems(planning)
    # then
    assert any("review is assigned to the support service's allocated caseworker" in p for p in problems)


def test_setting_the_dates_is_recorded_in_history(planning, staff):
    # when
    set_dates(staff, planning, review_on=days(100))
    # then
    event = AuditEvent.objects.filter(event="permanent_care.dates.set").order_by("-id").first()
    assert event.actor == staff.worker
    assert event.changes == {"review_on": [str(days(200)), str(days(100))]}


# --- objectives ---------------------------------------------------------------------------------------------


def test_an_objective_names_an_identified_need_of_this_case(planning, family, staff):
    # when
    objective = services.objective_add(
        actor=staff.worker, arrangement=planning, data={"need": family.needs[1], "title": "Aroha knows her marae"}
    )
    # then
    assert objective.need == family.needs[1]
    assert AuditEvent.objects.filter(event="permanent_care.objective.added", actor=staff.worker).exists()


def test_an_objective_for_another_cases_need_is_refused(planning, staff):
    # given
    elsewhere = NeedFactory(assessment=CompletedAssessmentFactory(case=CaseFactory(worker=staff.worker)))
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.objective_add(actor=staff.worker, arrangement=planning, data={"need": elsewhere, "title": "X"})
    assert "need" in refused.value.message_dict
    assert not Objective.objects.exists()


def test_an_objective_for_a_need_in_a_draft_assessment_is_refused(planning, family, staff):
    # given
    draft = NeedFactory(assessment=AssessmentFactory(case=family.case))
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.objective_add(actor=staff.worker, arrangement=planning, data={"need": draft, "title": "X"})
    assert "need" in refused.value.message_dict
    assert not Objective.objects.exists()


def test_an_objective_without_a_need_is_refused(planning, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.objective_add(actor=staff.worker, arrangement=planning, data={"title": "Aroha is happy"})
    assert "need" in refused.value.message_dict


# --- supports: the good test is a hard rule -----------------------------------------------------------------


BAD_ITEMS = {
    "no provider or name": (
        {"provider": None, "provider_service": None, "provider_name": "", "cost": Decimal(500)},
        "provider",
    ),
    "no timing": ({"starts_on": None, "due_on": None, "timeline": ""}, "due_on"),
    "no quantity": ({"provider_service": None, "quantity": None, "cost": Decimal(500)}, "quantity"),
    "costs money but no cost": ({"provider_service": None, "cost": None}, "cost"),
    "not said whether it costs money": (
        {"provider_service": None, "costs_money": None, "funder": "", "cost": None},
        "costs_money",
    ),
}


@pytest.mark.parametrize("overrides, field", BAD_ITEMS.values(), ids=BAD_ITEMS.keys())
def test_a_support_that_fails_the_good_test_is_a_contingency_arrangement_and_refused(
    overrides, field, objective, family, staff
):
    # given
    events = AuditEvent.objects.count()
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, **overrides))
    errors = refused.value.message_dict
    assert "contingency arrangement" in errors["__all__"][0]
    assert field in errors
    assert not SupportItem.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_support_from_a_directory_service_is_priced_as_quantity_times_unit_cost(objective, family, staff):
    # when
    item = add_item(staff, objective, good_item(family, quantity=Decimal(10)))
    # then
    item.refresh_from_db()
    assert item.cost == Decimal("1200.00")
    assert item.unit
    assert item.provider == family.provider
    assert AuditEvent.objects.filter(event="permanent_care.item.added", actor=staff.worker).exists()


def test_an_informal_support_at_no_cost_is_accepted_and_funded_by_no_one(objective, staff):
    # when
    item = add_item(
        staff,
        objective,
        {
            "kind": SupportItem.Kind.INFORMAL,
            "what": "Marae visits with Uncle Rawiri",
            "provider_name": "Rawiri Ngata (uncle)",
            "timeline": "Every second weekend",
            "quantity": Decimal(12),
            "unit": "visit",
            "costs_money": False,
        },
    )
    # then
    item.refresh_from_db()
    assert item.funder == Funder.NO_COST
    assert item.cost is None


def test_a_support_that_costs_money_says_who_resources_it(objective, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, funder=""))
    assert "funder" in refused.value.message_dict


def test_a_support_that_costs_nothing_has_no_cost(objective, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, provider_service=None, costs_money=False, cost=Decimal(50)))
    assert "cost" in refused.value.message_dict


def test_a_support_already_under_way_says_who_resources_it(objective, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(
            staff,
            objective,
            good_item(family, started_before_discharge=True, starts_on=days(-20), funder=Funder.OTHER),
        )
    assert "funder" in refused.value.message_dict


@pytest.mark.parametrize("funder", [Funder.SITE, Funder.SUPPORT_SERVICE])
def test_a_support_already_under_way_before_the_plan_starts_is_accepted(funder, objective, family, staff):
    # when
    item = add_item(
        staff, objective, good_item(family, started_before_discharge=True, starts_on=days(-20), funder=funder)
    )
    # then
    assert item.started_before_discharge
    assert item.funder == funder


def test_a_support_said_to_be_under_way_must_start_before_the_plan(objective, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, started_before_discharge=True, starts_on=days(30)))
    assert "starts_on" in refused.value.message_dict


def test_a_normal_support_cannot_start_before_the_plan(objective, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, starts_on=days(29)))
    assert "started before discharge" in refused.value.message_dict["starts_on"][0]


def test_a_support_cannot_end_after_the_plan(objective, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, due_on=days(361)))
    assert "due_on" in refused.value.message_dict


def test_a_support_cannot_end_before_it_starts(objective, family, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, starts_on=days(100), due_on=days(50)))
    assert "due_on" in refused.value.message_dict


def test_a_support_from_another_cases_informal_provider_is_refused(objective, family, staff):
    # given
    theirs = ProviderFactory(kind=Provider.Kind.INFORMAL, case=CaseFactory(worker=staff.worker))
    # when / then
    with pytest.raises(ValidationError) as refused:
        add_item(staff, objective, good_item(family, provider=theirs, provider_service=None, cost=Decimal(10)))
    assert "provider" in refused.value.message_dict


def test_changing_a_support_is_held_to_the_good_test_too(objective, family, staff):
    # given
    item = add_item(staff, objective, good_item(family))
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.item_update(actor=staff.worker, item=item, data={"starts_on": None, "due_on": None, "timeline": ""})
    assert "contingency arrangement" in refused.value.message_dict["__all__"][0]
    item.refresh_from_db()
    assert item.starts_on == days(40)


def test_moving_the_plan_later_than_a_support_starts_is_caught_before_court(objective, family, staff, planning):
    # given a support starting in 40 days
    add_item(staff, objective, good_item(family))
    # when the plan is moved to start in 50 days
    set_dates(staff, planning, starts_on=days(50))
    # then the support, now starting before the plan, is listed
    planning.refresh_from_db()
    assert any("Trauma counselling for Aroha" in p and "starts" in p for p in readiness_problems(planning))


def test_ending_the_plan_before_a_support_ends_is_caught_before_court(objective, family, staff, planning):
    # given a support running to day 200
    add_item(staff, objective, good_item(family))
    # when the plan is made to end on day 150
    set_dates(staff, planning, ends_on=days(150), review_on=days(100))
    # then the support, now running past the plan, is listed
    planning.refresh_from_db()
    assert any("Trauma counselling for Aroha" in p and "after the plan ends" in p for p in readiness_problems(planning))


def test_removing_an_objective_removes_its_supports(objective, family, staff, planning):
    # given
    add_item(staff, objective, good_item(family))
    # when
    services.objective_remove(actor=staff.worker, objective=objective)
    # then
    assert not live_items(planning).exists()
    assert SupportItem.objects.get().archived_at is not None


def test_universal_services_are_listed_in_the_plan(planning, staff):
    # given
    assert any("universal services" in p for p in readiness_problems(planning))
    # when
    services.universal_service_add(
        actor=staff.worker, arrangement=planning, data={"name": "Porirua Health GP", "how_to_access": "Enrolled"}
    )
    # then
    assert not any("universal services" in p for p in readiness_problems(planning))
    assert [s.name for s in planning.universal_services.all()] == ["Porirua Health GP"]


# --- content is fixed once agreed, and any change asks everyone again ---------------------------------------


def test_the_content_is_fixed_once_ready_for_court_until_planning_reopens(family, staff):
    # given
    arrangement = arrangement_at(S.READY_FOR_COURT, family, staff)
    objective = arrangement.objectives.get()
    items = SupportItem.objects.count()
    # when / then
    with pytest.raises(ValidationError, match="content is fixed"):
        add_item(staff, objective, good_item(family, what="Respite care"))
    with pytest.raises(ValidationError, match="content is fixed"):
        set_dates(staff, arrangement, review_on=days(100))
    assert SupportItem.objects.count() == items
    # when planning is reopened
    services.planning_reopen(actor=staff.worker, arrangement=arrangement, reason="Add respite care.")
    # then
    add_item(staff, objective, good_item(family, what="Respite care"))
    assert SupportItem.objects.count() == items + 1


def test_reopening_planning_needs_a_reason(family, staff):
    # given
    arrangement = arrangement_at(S.READY_FOR_COURT, family, staff)
    # when / then
    with pytest.raises(ValidationError):
        services.planning_reopen(actor=staff.worker, arrangement=arrangement, reason=" ")
    arrangement.refresh_from_db()
    assert arrangement.status == S.READY_FOR_COURT


def test_a_change_after_someone_agreed_starts_a_new_agreement_round(planning, objective, family, staff):
    # given everyone agreed the plan as it stood
    add_item(staff, objective, good_item(family))
    agree_all(planning, family, staff)
    planning.refresh_from_db()
    assert all(row["agreement"] for row in agreement_state(planning))
    round_before = planning.agreement_round
    # when the plan changes
    add_item(staff, objective, good_item(family, what="Respite care"))
    # then their agreement no longer counts
    planning.refresh_from_db()
    assert planning.agreement_round == round_before + 1
    assert all(row["agreement"] is None for row in agreement_state(planning))
    assert SupportAgreement.objects.filter(round=round_before).count() == 2
    assert AuditEvent.objects.filter(event="permanent_care.agreement.reopened").exists()


@pytest.mark.parametrize("change", ["dates", "objective", "item_update", "item_remove", "universal_service"])
def test_every_kind_of_content_change_starts_a_new_agreement_round(change, family, staff):
    # given a planned, fully agreed plan
    arrangement = arrangement_at(S.PLANNING, family, staff)
    build_plan(arrangement, family, staff)
    agree_all(arrangement, family, staff)
    arrangement.refresh_from_db()
    round_before = arrangement.agreement_round
    item = SupportItem.objects.first()
    # when
    if change == "dates":
        set_dates(staff, arrangement, review_on=days(100))
    elif change == "objective":
        services.objective_add(
            actor=staff.worker, arrangement=arrangement, data={"need": family.needs[1], "title": "Marae"}
        )
    elif change == "item_update":
        services.item_update(actor=staff.worker, item=item, data={"quantity": Decimal(8)})
    elif change == "item_remove":
        services.item_remove(actor=staff.worker, item=item)
    else:
        services.universal_service_add(actor=staff.worker, arrangement=arrangement, data={"name": "Kōwhai School"})
    # then
    arrangement.refresh_from_db()
    assert arrangement.agreement_round == round_before + 1


def test_a_change_with_no_new_value_does_not_ask_everyone_again(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    build_plan(arrangement, family, staff)
    agree_all(arrangement, family, staff)
    arrangement.refresh_from_db()
    round_before = arrangement.agreement_round
    # when the same review date is saved again
    set_dates(staff, arrangement, review_on=arrangement.review_on)
    # then
    arrangement.refresh_from_db()
    assert arrangement.agreement_round == round_before


def test_a_new_quantity_reprices_a_support_priced_by_its_service(family, staff):
    # given 10 sessions at $120, priced by the provider's service
    arrangement = arrangement_at(S.PLANNING, family, staff)
    build_plan(arrangement, family, staff)
    item = SupportItem.objects.get(objective__arrangement=arrangement, provider_service=family.offer)
    assert item.cost == Decimal("1200.00")
    # when the quantity drops to 6, the cost sent unchanged (as a form sends it)
    services.item_update(actor=staff.worker, item=item, data={"quantity": Decimal(6), "cost": item.cost})
    # then it costs 6 × $120
    item.refresh_from_db()
    assert item.cost == Decimal("720.00")


def test_a_new_quantity_with_a_new_cost_keeps_the_cost_given(family, staff):
    # given
    arrangement = arrangement_at(S.PLANNING, family, staff)
    build_plan(arrangement, family, staff)
    item = SupportItem.objects.get(objective__arrangement=arrangement, provider_service=family.offer)
    # when
    services.item_update(actor=staff.worker, item=item, data={"quantity": Decimal(6), "cost": Decimal("650")})
    # then
    item.refresh_from_db()
    assert item.cost == Decimal("650.00")


def test_a_cleared_cost_is_the_services_price_again(family, staff):
    # given 10 sessions at $120, priced by the provider's service
    arrangement = arrangement_at(S.PLANNING, family, staff)
    build_plan(arrangement, family, staff)
    item = SupportItem.objects.get(objective__arrangement=arrangement, provider_service=family.offer)
    # when the form is sent with 8 sessions and the cost left blank
    services.item_update(actor=staff.worker, item=item, data={"quantity": Decimal(8), "cost": None})
    # then it is priced as when it was added
    item.refresh_from_db()
    assert item.cost == Decimal("960.00")

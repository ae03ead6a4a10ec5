"""After approval (seed 003): the plan goes to the support service once the orders are discharged; the service
sends the letter, buys named NGO and Iwi services and tracks delivery and spend; the assigned reviewer reviews it;
support beyond the plan is a new arrangement, never an extension."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.core.errors import InvalidTransition
from kinplan.court.models import CourtOrder, OrderKind
from kinplan.permanent_care import services
from kinplan.permanent_care.models import Delivery, FurtherSupport, Purchase, Review, SupportArrangement, SupportItem
from kinplan.permanent_care.selectors import spend
from kinplan.permanent_care.tests.factories import arrangement_at, days, discharge
from kinplan.providers.models import Provider
from kinplan.providers.tests.factories import ProviderFactory

S = SupportArrangement.Status


def caregiver_order(family, staff, made_on=None, status=CourtOrder.Status.IN_FORCE):
    return CourtOrder.objects.create(
        case=family.case,
        child=family.child,
        kind=OrderKind.SPECIAL_GUARDIANSHIP,
        granted_to=family.caregiver,
        court="Family Court at Porirua",
        made_on=made_on or days(-1),
        status=status,
        ended_on=None if status == CourtOrder.Status.IN_FORCE else days(0),
        created_by=staff.worker,
    )


def ce_order_in_force(family, staff):
    return CourtOrder.objects.create(
        case=family.case,
        child=family.child,
        kind=OrderKind.CE_CUSTODY,
        court="Family Court at Porirua",
        made_on=days(-300),
        created_by=staff.worker,
    )


def send(staff, arrangement):
    return services.arrangement_send(actor=staff.worker, arrangement=arrangement)


def the_counselling(arrangement):
    return SupportItem.objects.get(objective__arrangement=arrangement, funder=SupportItem.Funder.SUPPORT_SERVICE)


def purchase_data(**overrides):
    return {
        "quantity": Decimal(10),
        "unit": "session",
        "cost": Decimal("1200.00"),
        "period_start": days(0),
        "period_end": days(200),
        "reference": "PO-1",
    } | overrides


def buy(staff, arrangement, item=None, actor=None, **overrides):
    return services.purchase_record(
        actor=actor or staff.caseworker,
        arrangement=arrangement,
        item=item or the_counselling(arrangement),
        data=purchase_data(**overrides),
    )


def deliver(staff, purchase, quantity, cost, on=None):
    return services.delivery_record(
        actor=staff.caseworker,
        purchase=purchase,
        data={"delivered_on": on or timezone.localdate(), "quantity": Decimal(quantity), "cost": Decimal(cost)},
    )


def review(staff, arrangement, actor=None, **data):
    return services.review_record(
        actor=actor or staff.caseworker,
        arrangement=arrangement,
        data={"reviewed_on": timezone.localdate(), "findings": "Aroha is settled.", "outcome": "continue"} | data,
    )


@pytest.fixture
def approved(family, staff):
    return arrangement_at(S.APPROVED, family, staff)


@pytest.fixture
def in_place(family, staff):
    return arrangement_at(S.IN_PLACE, family, staff)


# --- sending the plan to the support service ---------------------------------------------------------------


def test_sending_before_approval_is_refused(family, staff):
    # given
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    discharge(family, staff)
    # when / then
    with pytest.raises(InvalidTransition, match="only once the site manager has signed it off"):
        send(staff, arrangement)
    arrangement.refresh_from_db()
    assert arrangement.status == S.AWAITING_APPROVAL


def test_sending_before_the_orders_are_discharged_is_refused(approved, staff):
    # when / then
    with pytest.raises(InvalidTransition, match="have not been discharged"):
        send(staff, approved)
    approved.refresh_from_db()
    assert (approved.status, approved.discharged_on, approved.sent_at) == (S.APPROVED, None, None)


def test_a_chief_executive_order_still_in_force_keeps_the_plan_back(approved, family, staff):
    # given one order discharged, another still in force
    discharge(family, staff)
    ce_order_in_force(family, staff)
    # when / then
    with pytest.raises(InvalidTransition):
        send(staff, approved)


def test_a_caregiver_order_that_has_ended_does_not_count(approved, family, staff):
    # given
    caregiver_order(family, staff, status=CourtOrder.Status.DISCHARGED)
    # when / then
    with pytest.raises(InvalidTransition):
        send(staff, approved)


def test_a_granted_caregiver_order_lets_the_plan_go(approved, family, staff):
    # given
    ce_order_in_force(family, staff)
    caregiver_order(family, staff, made_on=days(-1))
    # when
    send(staff, approved)
    # then
    approved.refresh_from_db()
    assert approved.status == S.SENT
    assert approved.discharged_on == days(-1)


def test_sending_after_discharge_hands_the_plan_over(approved, family, staff):
    # given
    discharge(family, staff, on=days(-2))
    # when
    send(staff, approved)
    # then
    approved.refresh_from_db()
    assert approved.status == S.SENT
    assert approved.discharged_on == days(-2)
    assert approved.sent_at is not None
    transition = approved.transitions.last()
    assert (transition.from_status, transition.to_status, transition.actor) == (S.APPROVED, S.SENT, staff.worker)


def test_a_discharge_earlier_than_planned_that_stretches_the_plan_past_twelve_months_is_refused(
    approved, family, staff
):
    # given the plan was to start in 30 days and end in 360; the orders were discharged 10 days ago
    discharge(family, staff, on=days(-10))
    # when / then
    with pytest.raises(InvalidTransition) as refused:
        send(staff, approved)
    assert "reopen planning" in refused.value.messages[0]
    assert any("12 months" in m for m in refused.value.messages)
    approved.refresh_from_db()
    assert approved.status == S.APPROVED


def test_a_discharge_after_the_review_date_is_refused(family, staff, approved):
    # given the orders are discharged after the plan's review date
    discharge(family, staff, on=days(201))
    # when / then
    with pytest.raises(InvalidTransition):
        send(staff, approved)


def test_only_the_cases_editors_send_the_plan(approved, family, staff):
    # given
    discharge(family, staff)
    # when / then
    for someone in (staff.caseworker, staff.support_manager, staff.national_manager):
        with pytest.raises(PermissionDenied):
            services.arrangement_send(actor=someone, arrangement=approved)
    approved.refresh_from_db()
    assert approved.status == S.APPROVED


# --- the acknowledgement letter --------------------------------------------------------------------------


def test_the_caseworker_records_the_letter_and_the_plan_is_in_place(family, staff):
    # given
    arrangement = arrangement_at(S.SENT, family, staff)
    # when
    services.letter_record_sent(actor=staff.caseworker, arrangement=arrangement, sent_on=days(0), method="email")
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.IN_PLACE
    assert (arrangement.letter_sent_on, arrangement.letter_method) == (days(0), "email")


def test_the_support_manager_may_record_the_letter(family, staff):
    # given
    arrangement = arrangement_at(S.SENT, family, staff)
    # when
    services.letter_record_sent(actor=staff.support_manager, arrangement=arrangement, sent_on=days(0), method="post")
    # then
    arrangement.refresh_from_db()
    assert arrangement.status == S.IN_PLACE


def test_only_the_support_service_records_the_letter(family, staff):
    # given
    arrangement = arrangement_at(S.SENT, family, staff)
    colleague = UserFactory(role=User.Role.SUPPORT_CASEWORKER, team=None, site=None, organisation=staff.support_service)
    # when / then
    for someone in (staff.worker, staff.site_manager, colleague):
        with pytest.raises(PermissionDenied):
            services.letter_record_sent(actor=someone, arrangement=arrangement, sent_on=days(0), method="post")
    arrangement.refresh_from_db()
    assert arrangement.status == S.SENT


@pytest.mark.parametrize(
    "sent_on, method, field",
    [
        (None, "post", "sent_on"),
        (days(1), "post", "sent_on"),
        (days(-1), "post", "sent_on"),
        (days(0), "fax", "method"),
    ],
    ids=["no date", "in the future", "before the plan arrived", "unknown method"],
)
def test_a_letter_needs_a_sensible_date_and_method(sent_on, method, field, family, staff):
    # given
    arrangement = arrangement_at(S.SENT, family, staff)
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.letter_record_sent(actor=staff.caseworker, arrangement=arrangement, sent_on=sent_on, method=method)
    assert field in refused.value.message_dict
    arrangement.refresh_from_db()
    assert arrangement.status == S.SENT


def test_the_letter_cannot_be_recorded_before_the_plan_is_sent(approved, staff):
    # when / then
    with pytest.raises(InvalidTransition):
        services.letter_record_sent(actor=staff.caseworker, arrangement=approved, sent_on=days(0), method="post")


# --- purchases and deliveries ----------------------------------------------------------------------------


def test_the_support_service_buys_a_support_it_resources(in_place, family, staff):
    # when
    purchase = buy(staff, in_place)
    # then
    assert purchase.provider == family.provider
    assert purchase.recorded_by == staff.caseworker
    assert AuditEvent.objects.filter(event="permanent_care.purchase.recorded", actor=staff.caseworker).exists()


def test_a_support_the_service_does_not_resource_is_not_bought(in_place, family, staff):
    # given the informal marae visits cost nothing
    informal = SupportItem.objects.get(objective__arrangement=in_place, funder=SupportItem.Funder.NO_COST)
    # when / then
    with pytest.raises(ValidationError) as refused:
        buy(staff, in_place, item=informal, provider=family.provider, provider_service=None)
    assert "item" in refused.value.message_dict
    assert not Purchase.objects.exists()


@pytest.mark.parametrize("kind", [Provider.Kind.INFORMAL, Provider.Kind.GOVERNMENT])
def test_only_ngo_iwi_or_community_providers_are_bought_from(kind, in_place, family, staff):
    # given
    provider = ProviderFactory(kind=kind, case=family.case if kind == Provider.Kind.INFORMAL else None)
    # when / then
    with pytest.raises(ValidationError) as refused:
        buy(staff, in_place, provider=provider)
    assert "provider" in refused.value.message_dict
    assert not Purchase.objects.exists()


@pytest.mark.parametrize("kind", [Provider.Kind.NGO, Provider.Kind.COMMUNITY])
def test_ngo_and_community_providers_may_be_bought_from(kind, in_place, staff):
    # when
    purchase = buy(staff, in_place, provider=ProviderFactory(kind=kind))
    # then
    assert purchase.provider.kind == kind


@pytest.mark.parametrize(
    "period, field",
    [((days(-1), days(100)), "period_start"), ((days(10), days(361)), "period_end")],
    ids=["starts before discharge", "ends after the plan"],
)
def test_a_purchase_period_falls_inside_the_plan(period, field, in_place, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        buy(staff, in_place, period_start=period[0], period_end=period[1])
    assert field in refused.value.message_dict
    assert not Purchase.objects.exists()


def test_only_the_support_service_buys(in_place, staff):
    # when / then
    with pytest.raises(PermissionDenied):
        buy(staff, in_place, actor=staff.worker)
    assert not Purchase.objects.exists()


def test_nothing_is_bought_before_hand_over(approved, staff):
    # when / then
    with pytest.raises(InvalidTransition):
        buy(staff, approved)


def test_delivery_cannot_exceed_what_was_bought(in_place, staff):
    # given ten sessions bought, six delivered
    purchase = buy(staff, in_place)
    deliver(staff, purchase, 6, 720)
    # when / then
    with pytest.raises(ValidationError) as refused:
        deliver(staff, purchase, 5, 600)
    assert refused.value.message_dict["quantity"] == ["Only 4 of 10 bought remain to be delivered."]
    deliver(staff, purchase, 4, 480)
    assert Delivery.objects.count() == 2


def test_a_delivery_is_not_dated_in_the_future_or_before_the_purchase(in_place, staff):
    # given
    purchase = buy(staff, in_place, period_start=days(0))
    # when / then
    for on in (days(1), days(-1)):
        with pytest.raises(ValidationError) as refused:
            deliver(staff, purchase, 1, 120, on=on)
        assert "delivered_on" in refused.value.message_dict
    assert not Delivery.objects.exists()


def test_spend_totals_what_was_approved_committed_and_delivered(in_place, staff):
    # given
    purchase = buy(staff, in_place, quantity=Decimal(8), cost=Decimal("960.00"))
    deliver(staff, purchase, 3, "360.00")
    deliver(staff, purchase, 2, "240.00")
    # when
    result = spend(in_place)
    # then
    assert (result.approved, result.committed, result.delivered) == (
        Decimal("1200.00"),
        Decimal("960.00"),
        Decimal("600.00"),
    )
    assert result.remaining == Decimal("240.00")
    assert not result.over_approved


def test_spend_shows_a_purchase_over_the_approved_cost(in_place, staff):
    # when
    buy(staff, in_place, cost=Decimal("1500.00"))
    # then
    assert spend(in_place).over_approved


# --- review -----------------------------------------------------------------------------------------------


def test_only_the_assigned_reviewer_reviews(in_place, staff):
    # when / then
    for someone in (staff.support_manager, staff.worker):
        with pytest.raises(PermissionDenied):
            review(staff, in_place, actor=someone, outcome="complete")
    assert not Review.objects.exists()


def test_a_review_that_finds_the_plan_complete_closes_it(in_place, staff):
    # when
    review(staff, in_place, outcome="complete")
    # then
    in_place.refresh_from_db()
    assert in_place.status == S.CLOSED
    assert in_place.closed_reason == "Plan complete at review."
    assert in_place.transitions.last().to_status == S.CLOSED


def test_a_continuing_review_sets_the_next_review_inside_the_span(in_place, staff):
    # when
    review(staff, in_place, next_review_on=days(300))
    # then
    in_place.refresh_from_db()
    assert in_place.status == S.IN_PLACE
    assert in_place.review_on == days(300)
    assert AuditEvent.objects.filter(event="permanent_care.review_date.set", actor=staff.caseworker).exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"next_review_on": days(361)}, "next_review_on"),
        ({"next_review_on": days(0)}, "next_review_on"),
        ({"outcome": "complete", "next_review_on": days(100)}, "next_review_on"),
        ({"reviewed_on": days(1)}, "reviewed_on"),
    ],
    ids=["after the plan ends", "not after this review", "completed with a next review", "in the future"],
)
def test_a_review_with_impossible_dates_is_refused(data, field, in_place, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        review(staff, in_place, **data)
    assert field in refused.value.message_dict
    in_place.refresh_from_db()
    assert (in_place.status, in_place.review_on) == (S.IN_PLACE, days(200))
    assert not Review.objects.exists()


def test_a_plan_is_reviewed_only_once_in_place(family, staff):
    # given
    arrangement = arrangement_at(S.SENT, family, staff)
    # when / then
    with pytest.raises(InvalidTransition):
        review(staff, arrangement, outcome="complete")


# --- beyond the plan -------------------------------------------------------------------------------------


def further(staff, arrangement, **data):
    return services.further_support_record(
        actor=staff.caseworker,
        arrangement=arrangement,
        data={
            "agreed_on": timezone.localdate(),
            "starts_on": days(361),
            "supports": "Fortnightly counselling for six more months.",
            "negotiated_with": "Mere Ngata",
        }
        | data,
    )


def test_further_support_starts_after_the_plan_and_leaves_its_end_alone(in_place, staff):
    # when
    record = further(staff, in_place, ends_on=days(540), cost=Decimal("720.00"))
    # then
    in_place.refresh_from_db()
    assert in_place.ends_on == days(360)
    assert record.starts_on == days(361)
    assert AuditEvent.objects.filter(event="permanent_care.further_support.recorded").exists()


@pytest.mark.parametrize("starts_on", [days(360), days(200)], ids=["on the last day", "inside the plan"])
def test_further_support_that_would_extend_the_plan_is_refused(starts_on, in_place, staff):
    # when / then
    with pytest.raises(ValidationError) as refused:
        further(staff, in_place, starts_on=starts_on)
    assert "not an extension" in refused.value.message_dict["starts_on"][0]
    assert not FurtherSupport.objects.exists()
    in_place.refresh_from_db()
    assert in_place.ends_on == days(360)


def test_further_support_may_follow_a_closed_plan(in_place, staff):
    # given
    review(staff, in_place, outcome="complete")
    # when
    further(staff, in_place)
    # then
    assert FurtherSupport.objects.count() == 1


def test_only_the_support_service_records_further_support(in_place, staff):
    # when / then
    with pytest.raises(PermissionDenied):
        services.further_support_record(
            actor=staff.worker,
            arrangement=in_place,
            data={
                "agreed_on": timezone.localdate(),
                "starts_on": days(361),
                "supports": "More counselling.",
                "negotiated_with": "Mere",
            },
        )


def test_further_support_before_hand_over_is_refused(approved, staff):
    # when / then
    with pytest.raises(InvalidTransition):
        further(staff, approved)
    assert not FurtherSupport.objects.exists()

"""After approval (seed 003): the plan goes to the support service once the orders are discharged; the service
sends the acknowledgement letter, buys the named NGO and Iwi services and tracks delivery; the assigned reviewer
reviews it; support beyond 12 months is a new arrangement."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.core.errors import InvalidTransition, ensure
from kinplan.court.selectors import caregiver_order_granted_on, chief_executive_orders_discharged_on
from kinplan.permanent_care import permissions as can
from kinplan.permanent_care.models import Delivery, FurtherSupport, Purchase, Review, SupportArrangement, SupportItem
from kinplan.permanent_care.selectors import purchase_delivered, span_problems
from kinplan.permanent_care.services._common import S, ensure_status, label, locked, move
from kinplan.providers.models import Provider

SUPPORT_ONLY = gettext_lazy("Only the support service's manager or the allocated caseworker can do this.")
LETTER_METHODS = {
    "post": gettext_lazy("By post"),
    "email": gettext_lazy("By email"),
    "in_person": gettext_lazy("In person"),
}


def handover_date(arrangement: SupportArrangement) -> datetime.date | None:
    """The day the chief executive's orders were discharged, or else the day a caregiver order was granted."""
    return chief_executive_orders_discharged_on(case=arrangement.case) or caregiver_order_granted_on(
        case=arrangement.case
    )


@transaction.atomic
def arrangement_send(*, actor: User, arrangement: SupportArrangement) -> SupportArrangement:
    """Send the approved plan to the support service, which from now on resources, oversees and reviews it.
    Not before approval, and not before the orders are discharged (or a caregiver order is granted)."""
    ensure(can.can_lead(actor, arrangement), _("Only the case's social worker sends the plan to the support service."))
    arrangement = locked(arrangement)
    if arrangement.status != S.APPROVED:
        raise InvalidTransition(
            _(
                "The plan is %(status)s: it is sent to the support service only once the site manager has signed it "
                "off and the support-service manager has approved it."
            )
            % {"status": label(arrangement.status)}
        )
    discharged = handover_date(arrangement)
    if discharged is None:
        raise InvalidTransition(
            _(
                "The chief executive's orders have not been discharged and no caregiver order has been granted: "
                "record the court's decision on the case's court orders first, then send the plan."
            )
        )
    # The plan runs from discharge, for at most 12 months: an earlier discharge than planned may stretch it.
    problems = span_problems(arrangement, starts_on=discharged)
    if problems:
        raise InvalidTransition(
            [
                _("The orders ended on %(date)s, so the approved dates no longer fit; reopen planning:")
                % {"date": date_format(discharged)},
                *problems.values(),
            ]
        )
    arrangement.discharged_on, arrangement.sent_at = discharged, timezone.now()
    move(
        actor=actor,
        arrangement=arrangement,
        to=S.SENT,
        note=_("Orders discharged on %(date)s") % {"date": date_format(discharged)},
    )
    arrangement.save()
    return arrangement


@transaction.atomic
def letter_record_sent(
    *, actor: User, arrangement: SupportArrangement, sent_on: datetime.date | None, method: str
) -> SupportArrangement:
    """Record that the acknowledgement letter went to the caregiver; the service now administers the plan."""
    ensure(can.can_administer(actor, arrangement), SUPPORT_ONLY)
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.SENT,
        refusal=_("The plan is %(status)s: it cannot have its acknowledgement letter recorded now."),
    )
    errors = {}
    if sent_on is None:
        errors["sent_on"] = _("Give the date the letter was sent.")
    elif sent_on > timezone.localdate():
        errors["sent_on"] = _("This date cannot be in the future.")
    elif arrangement.sent_at and sent_on < timezone.localdate(arrangement.sent_at):
        errors["sent_on"] = _("The letter follows the plan's arrival at the support service.")
    if method not in LETTER_METHODS:
        errors["method"] = _("Say how it was sent (post, email or in person).")
    if errors:
        raise ValidationError(errors)
    arrangement.letter_sent_on, arrangement.letter_method = sent_on, method
    move(
        actor=actor,
        arrangement=arrangement,
        to=S.IN_PLACE,
        note=_("Acknowledgement letter sent %(date)s") % {"date": sent_on},
    )
    arrangement.save()
    return arrangement


ADMINISTERING = (S.SENT, S.IN_PLACE)
PURCHASE_FIELDS = (
    "provider",
    "provider_service",
    "quantity",
    "unit",
    "cost",
    "period_start",
    "period_end",
    "reference",
)
PURCHASABLE = (Provider.Kind.NGO, Provider.Kind.IWI, Provider.Kind.COMMUNITY)


def _plan_span(arrangement: SupportArrangement) -> tuple[datetime.date, datetime.date]:
    return arrangement.discharged_on or arrangement.starts_on, arrangement.ends_on  # type: ignore[return-value]


def _check_purchase(purchase: Purchase) -> None:
    errors: dict[str, str] = {}
    item, arrangement = purchase.item, purchase.arrangement
    if item.funder != SupportItem.Funder.SUPPORT_SERVICE:
        errors["item"] = _("The support service buys only the supports the plan says it resources.")
    if purchase.provider.kind not in PURCHASABLE:
        errors["provider"] = _("Purchases are of NGO, Iwi or community services; informal supports are not bought.")
    if purchase.provider_service_id and purchase.provider_service.provider_id != purchase.provider_id:
        errors["provider_service"] = _("Choose a service that this provider offers.")
    start, end = _plan_span(arrangement)
    if purchase.period_start < start or purchase.period_end > end:
        errors["period_end" if purchase.period_start >= start else "period_start"] = _(
            "The period falls inside the plan (%(start)s to %(end)s)."
        ) % {"start": date_format(start), "end": date_format(end)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def purchase_record(
    *, actor: User, arrangement: SupportArrangement, item: SupportItem, data: Mapping[str, Any]
) -> Purchase:
    """Record the purchase of a named provider's service for a support in the plan: provider, service,
    quantity, cost and period."""
    ensure(can.can_administer(actor, arrangement), SUPPORT_ONLY)
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        *ADMINISTERING,
        refusal=_(
            "The plan is %(status)s: it cannot have services purchased (it is not with the support service) now."
        ),
    )
    if item.objective.arrangement_id != arrangement.pk or item.archived_at is not None:
        raise ValidationError({"item": _("Choose a support in this plan.")})
    data = dict(data)
    data.setdefault("provider", item.provider)
    if data["provider"] is None:
        raise ValidationError({"provider": _("Choose the provider the service is bought from.")})
    purchase = Purchase(arrangement=arrangement, item=item, recorded_by=actor)
    apply_changes(purchase, data, PURCHASE_FIELDS, check=_check_purchase)
    audit_record(
        actor=actor,
        event="permanent_care.purchase.recorded",
        target=purchase,
        case=arrangement.case,
        changes=created_changes(purchase, ("item", *PURCHASE_FIELDS)),
    )
    return purchase


@transaction.atomic
def delivery_record(*, actor: User, purchase: Purchase, data: Mapping[str, Any]) -> Delivery:
    """Record what the provider delivered against a purchase, and what it cost; never more than was bought."""
    arrangement = purchase.arrangement
    ensure(can.can_administer(actor, arrangement), SUPPORT_ONLY)
    arrangement = locked(arrangement)
    ensure_status(
        arrangement, *ADMINISTERING, refusal=_("The plan is %(status)s: it cannot have deliveries recorded now.")
    )
    delivery = Delivery(purchase=purchase, recorded_by=actor)

    def check(d: Delivery) -> None:
        remaining = purchase.quantity - purchase_delivered(purchase)
        if d.quantity > remaining:
            raise ValidationError(
                {
                    "quantity": _("Only %(remaining)s of %(bought)s bought remain to be delivered.")
                    % {"remaining": f"{remaining.normalize():f}", "bought": f"{purchase.quantity.normalize():f}"}
                }
            )
        if d.delivered_on > timezone.localdate():
            raise ValidationError({"delivered_on": _("This date cannot be in the future.")})
        if d.delivered_on < purchase.period_start:
            raise ValidationError(
                {"delivered_on": _("The purchase runs from %(date)s.") % {"date": date_format(purchase.period_start)}}
            )

    apply_changes(delivery, data, ("delivered_on", "quantity", "cost", "note"), check=check)
    audit_record(
        actor=actor,
        event="permanent_care.delivery.recorded",
        target=delivery,
        case=arrangement.case,
        changes=created_changes(delivery, ("delivered_on", "quantity", "cost", "note")),
    )
    return delivery


REVIEW_FIELDS = ("reviewed_on", "findings", "caregiver_views", "outcome", "next_review_on")


@transaction.atomic
def review_record(*, actor: User, arrangement: SupportArrangement, data: Mapping[str, Any]) -> Review:
    """The assigned reviewer (the support service's caseworker) records the review; a completed plan closes,
    a continuing one may set its next review date, inside the plan's span."""
    ensure(can.can_review(actor, arrangement), _("The review is assigned to the support service's caseworker."))
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.IN_PLACE,
        refusal=_(
            "The plan is %(status)s: it cannot be reviewed (it is reviewed once the support service has it) now."
        ),
    )
    start, end = _plan_span(arrangement)

    def check(r: Review) -> None:
        if r.reviewed_on > timezone.localdate():
            raise ValidationError({"reviewed_on": _("This date cannot be in the future.")})
        if r.reviewed_on < start:
            raise ValidationError({"reviewed_on": _("The plan started on %(date)s.") % {"date": date_format(start)}})
        if r.outcome == Review.Outcome.COMPLETE and r.next_review_on:
            raise ValidationError({"next_review_on": _("A completed plan has no next review.")})
        if r.next_review_on and not (r.reviewed_on < r.next_review_on <= end):
            raise ValidationError(
                {
                    "next_review_on": _("The next review falls after this one and by the plan's end (%(date)s).")
                    % {"date": date_format(end)}
                }
            )

    review = Review(arrangement=arrangement, reviewed_by=actor)
    apply_changes(review, data, REVIEW_FIELDS, check=check)
    audit_record(
        actor=actor,
        event="permanent_care.reviewed",
        target=review,
        case=arrangement.case,
        changes=created_changes(review, REVIEW_FIELDS),
    )
    if review.outcome == Review.Outcome.COMPLETE:
        move(
            actor=actor,
            arrangement=arrangement,
            to=S.CLOSED,
            note=_("Reviewed on %(date)s: complete") % {"date": review.reviewed_on},
        )
        arrangement.closed_reason = _("Plan complete at review.")
    elif review.next_review_on:
        audit_record(
            actor=actor,
            event="permanent_care.review_date.set",
            target=arrangement,
            case=arrangement.case,
            changes={"review_on": [str(arrangement.review_on), str(review.next_review_on)]},
        )
        arrangement.review_on = review.next_review_on
    arrangement.save()
    return review


FURTHER_FIELDS = ("agreed_on", "starts_on", "ends_on", "supports", "cost", "negotiated_with")


@transaction.atomic
def further_support_record(*, actor: User, arrangement: SupportArrangement, data: Mapping[str, Any]) -> FurtherSupport:
    """Record support beyond the plan's 12 months, negotiated between the caregiver and the support service, as
    a new arrangement starting after the plan ends: the plan itself is never extended."""
    ensure(can.can_administer(actor, arrangement), SUPPORT_ONLY)
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.IN_PLACE,
        S.CLOSED,
        refusal=_("The plan is %(status)s: it cannot have further support recorded (it follows hand-over) now."),
    )
    if arrangement.sent_at is None:
        raise InvalidTransition(_("Further support follows a plan that the support service administered."))

    def check(f: FurtherSupport) -> None:
        if f.agreed_on > timezone.localdate():
            raise ValidationError({"agreed_on": _("This date cannot be in the future.")})
        if f.starts_on <= arrangement.ends_on:  # type: ignore[operator]
            raise ValidationError(
                {
                    "starts_on": _(
                        "Support beyond the plan is a new arrangement, not an extension: it starts after the plan "
                        "ends on %(date)s."
                    )
                    % {"date": date_format(arrangement.ends_on)}
                }
            )
        if f.ends_on and f.ends_on < f.starts_on:
            raise ValidationError({"ends_on": _("It cannot end before it starts.")})
        if f.cost is not None and f.cost < Decimal(0):
            raise ValidationError({"cost": _("A cost cannot be negative.")})

    further = FurtherSupport(arrangement=arrangement, recorded_by=actor)
    apply_changes(further, data, FURTHER_FIELDS, check=check)
    audit_record(
        actor=actor,
        event="permanent_care.further_support.recorded",
        target=further,
        case=arrangement.case,
        changes=created_changes(further, FURTHER_FIELDS),
    )
    return further

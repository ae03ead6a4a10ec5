"""After approval: the court discharges the orders, the plan goes to the support service, which buys and reviews."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from kinplan.court import services as court
from kinplan.court.models import CHIEF_EXECUTIVE_KINDS, CourtOrder
from kinplan.demo.court import sitting
from kinplan.demo.permanent_care.base import WalkBase
from kinplan.permanent_care import services
from kinplan.permanent_care.models import SupportItem
from kinplan.permanent_care.selectors import live_items

Item = SupportItem


class HandOverSteps(WalkBase):
    """The custody order and its discharge, hand-over, the letter, purchases and deliveries, review, further support."""

    def custody_order(self) -> list[CourtOrder]:
        orders = list(self.case.court_orders.filter(kind__in=CHIEF_EXECUTIVE_KINDS, status=CourtOrder.Status.IN_FORCE))
        if orders:
            return orders
        made = max(self.case.opened_on, self.days(-self.rng.randint(120, 200), min(self.starts, self.today)))
        data = {
            "kind": "ce_custody",
            "child": self.child,
            "court": self.court,
            "reference": f"FAM-{made.year}-085-{self.rng.randint(100, 999999):06d}",
            "made_on": sitting(made, self.today),
        }
        return [court.order_create(actor=self.worker, case=self.case, data=data)]

    def discharge_hearing(self) -> None:
        purpose = "Application to discharge the custody order and for a parenting order"
        data = {"order": self.custody_order()[0], "date": self.starts, "time": datetime.time(10), "court": self.court}
        court.hearing_schedule(actor=self.worker, case=self.case, data=data | {"purpose": purpose})

    def discharge(self) -> None:
        orders = self.custody_order()
        purpose = "Application to discharge the custody order and for a parenting order"
        name = self.nan.full_name
        hearing = court.hearing_schedule(
            actor=self.worker,
            case=self.case,
            data={"order": orders[0], "date": self.starts, "court": self.court, "purpose": purpose},
        )
        court.hearing_record_outcome(
            actor=self.worker,
            hearing=hearing,
            status="held",
            outcome=f"Custody order discharged; parenting order made for {name}.",
        )
        for order in orders:
            court.order_discharge(actor=self.worker, order=order, on=self.starts, note=f"Parenting order for {name}.")
        data = {
            "kind": "parenting",
            "child": self.child,
            "granted_to": self.nan,
            "court": self.court,
            "made_on": self.starts,
            "notes": "Day-to-day care; contact with the parents as the whānau agreed.",
        }
        court.order_create(actor=self.worker, case=self.case, data=data)

    def hand_over(self) -> None:
        services.arrangement_send(actor=self.worker, arrangement=self.arrangement)

    def letter(self) -> None:
        services.letter_record_sent(
            actor=self.caseworker,
            arrangement=self.arrangement,
            sent_on=self.today,
            method=self.rng.choice(["post", "email"]),
        )

    def purchases(self) -> None:
        """The service buys the supports it resources, and records what was delivered month by month."""
        for item in live_items(self.arrangement).filter(funder=Item.Funder.SUPPORT_SERVICE):
            start = max(item.starts_on or self.starts, self.starts)
            if start >= self.today:
                continue
            purchase = services.purchase_record(
                actor=self.caseworker,
                arrangement=self.arrangement,
                item=item,
                data={
                    "provider_service": item.provider_service,
                    "quantity": item.quantity,
                    "unit": item.unit,
                    "cost": item.cost,
                    "period_start": start,
                    "period_end": item.due_on,
                    "reference": f"PCSS-{self.rng.randint(10000, 99999)}",
                },
            )
            self.deliveries(purchase, start)

    def deliveries(self, purchase: Any, start: datetime.date) -> None:
        unit_cost = purchase.cost / purchase.quantity
        left, month = purchase.quantity, 1
        while left > 0 and month <= 6:
            on = self.days(30 * month, start)
            if on > self.today:
                break
            quantity = min(left, Decimal(self.rng.choice([1, 2, 2, 3])))
            services.delivery_record(
                actor=self.caseworker,
                purchase=purchase,
                data={
                    "delivered_on": on,
                    "quantity": quantity,
                    "cost": (quantity * unit_cost).quantize(Decimal("0.01")),
                    "note": self.rng.choice(["", "Invoice received.", "One session rebooked after a cancellation."]),
                },
            )
            left -= quantity
            month += 1

    def review(self) -> None:
        child, nan = self.child.given_name, self.nan.given_name
        services.review_record(
            actor=self.caseworker,
            arrangement=self.arrangement,
            data={
                "reviewed_on": self.review_on,
                "findings": f"{child} finished counselling and is settled at school; the respite weekends kept "
                f"{nan} going through winter. The plan has done what it set out to do.",
                "caregiver_views": f"{nan}: 'We're in a good place now. I know who to ring if I need help.'",
                "outcome": "complete",
            },
        )

    def further(self) -> None:
        starts = self.days(1, self.ends)
        services.further_support_record(
            actor=self.caseworker,
            arrangement=self.arrangement,
            data={
                "agreed_on": self.days(-self.rng.randint(2, 8)),
                "starts_on": starts,
                "ends_on": self.days(182, starts),
                "supports": f"Respite one weekend every two months with {self.iwi_provider.name}, six nights in all.",
                "cost": Decimal("720"),
                "negotiated_with": self.nan.full_name,
            },
        )

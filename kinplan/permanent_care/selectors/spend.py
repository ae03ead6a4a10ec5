"""After hand-over: what the support service bought and was delivered, against the approved costs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from kinplan.permanent_care.models import (
    Purchase,
    SupportArrangement,
    SupportItem,
)
from kinplan.permanent_care.selectors.plan import live_items

# --- after hand-over: spend against what was approved ----------------------------------------------------


@dataclass
class Spend:
    approved: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.approved - self.committed

    @property
    def over_approved(self) -> bool:
        return self.committed > self.approved


def spend(arrangement: SupportArrangement) -> Spend:
    """Approved cost of what the support service resources, what it has bought, and what was delivered."""
    result = Spend()
    for item in live_items(arrangement).prefetch_related("purchases__deliveries"):
        if item.funder == SupportItem.Funder.SUPPORT_SERVICE and item.cost:
            result.approved += item.cost
        purchases = list(item.purchases.all())
        committed = sum((p.cost for p in purchases), Decimal(0))
        delivered = sum((d.cost for p in purchases for d in p.deliveries.all()), Decimal(0))
        result.committed += committed
        result.delivered += delivered
        result.rows.append({"item": item, "purchases": purchases, "committed": committed, "delivered": delivered})
    return result


def spend_by_arrangement(arrangement_ids: list[int]) -> dict[int, Spend]:
    """`spend` of many arrangements at once, totals only (no rows): three grouped queries, whatever their number."""
    live = Q(item__archived_at__isnull=True, item__objective__archived_at__isnull=True)
    result = {pk: Spend() for pk in arrangement_ids}
    approved = (
        SupportItem.objects.filter(
            objective__arrangement__in=arrangement_ids,
            objective__archived_at__isnull=True,
            archived_at__isnull=True,
            funder=SupportItem.Funder.SUPPORT_SERVICE,
        )
        .values_list("objective__arrangement_id")
        .annotate(total=Sum("cost"))
    )
    for pk, total in approved:
        result[pk].approved = total or Decimal(0)
    purchases = Purchase.objects.filter(live, arrangement__in=arrangement_ids)
    for pk, total in purchases.values_list("arrangement_id").annotate(total=Sum("cost")):
        result[pk].committed = total or Decimal(0)
    for pk, total in purchases.values_list("arrangement_id").annotate(total=Sum("deliveries__cost")):
        result[pk].delivered = total or Decimal(0)
    return result


def purchase_delivered(purchase: Any) -> Decimal:
    total = purchase.deliveries.aggregate(n=Sum("quantity"))["n"]
    return total or Decimal(0)

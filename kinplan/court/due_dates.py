"""The court's dates on a case's "next due": its next hearing, and the next review or expiry of an order in force."""

from __future__ import annotations

import datetime

from django.db.models import DateField, Expression, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _

from kinplan.cases.due_dates import NEVER, register_due_date
from kinplan.court.models import CourtOrder, Hearing


def next_hearing(today: datetime.date) -> Expression:
    """The earliest scheduled hearing, past ones included: until its outcome is recorded it is still due."""
    hearings = Hearing.objects.filter(case=OuterRef("pk"), status=Hearing.Status.SCHEDULED)
    return Subquery(hearings.order_by("date").values("date")[:1], output_field=DateField())


def next_order_review(today: datetime.date) -> Expression:
    """The earliest court review or expiry date of an order in force."""
    never = Value(NEVER, output_field=DateField())
    orders = (
        CourtOrder.objects.filter(case=OuterRef("pk"), status=CourtOrder.Status.IN_FORCE)
        .filter(Q(review_on__isnull=False) | Q(expires_on__isnull=False))
        .annotate(
            due=Least(
                Coalesce("review_on", never, output_field=DateField()),
                Coalesce("expires_on", never, output_field=DateField()),
            )
        )
    )
    return Subquery(orders.order_by("due").values("due")[:1], output_field=DateField())


def register_due_dates() -> None:
    """Add the court's dates to the caseload's "next due" (from CourtConfig.ready(); registering again is harmless)."""
    register_due_date(name="hearing_due", label=_("court hearing"), expression=next_hearing)
    register_due_date(name="order_review_due", label=_("order review"), expression=next_order_review)

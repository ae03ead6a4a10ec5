"""Shared pieces of the permanent care API shapes: amounts as stored, and names of related records."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator

from kinplan.permanent_care.models import SupportArrangement

S = SupportArrangement.Status


def _cents(value: Decimal) -> Decimal:
    """Amounts as stored (two places), also on a record just saved from input such as 8 or "8.5"."""
    return value.quantize(Decimal("0.01"))


Amount = Annotated[Decimal, AfterValidator(_cents)]


def name_of(obj: Any) -> str | None:
    return str(obj) if obj is not None else None

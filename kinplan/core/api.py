"""Look-ups every API module makes: what the user may not see is the same 404 as what does not exist, and a
referenced id that does not exist is a 422 naming the field the client sent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _


def found_or_404(queryset: QuerySet[Any], pk: int) -> Any:
    """The object with `pk` in `queryset`, or the same 404 as one in a case the user may not see."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def referenced(model: type[Model], pk: int | None, field: str, **filters: Any) -> Any:
    """The `model` row a request refers to by id (None stays None); a missing one is refused under `field`."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, **filters).first()
    if found is None:
        values = {"thing": model._meta.verbose_name, "id": pk}
        if any("case" in name for name in filters):
            raise ValidationError({field: _("No %(thing)s with id %(id)s in this case.") % values})
        raise ValidationError({field: _("No %(thing)s with id %(id)s.") % values})
    return found

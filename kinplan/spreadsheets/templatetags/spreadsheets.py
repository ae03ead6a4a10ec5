"""`{% download_links "spreadsheets:plan" case.pk version=plan.version %}`: Download CSV / Download Excel."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.inclusion_tag("spreadsheets/partials/_download_links.html")
def download_links(url_name: str, *args: Any, **params: Any) -> dict[str, str]:
    """Links to an export in both formats, carrying the page's filters (`params`, blanks kept: '' is a choice)."""
    base = reverse(url_name, args=args)
    query = {name: "" if value is None else value for name, value in params.items()}
    return {
        "csv_url": f"{base}?{urlencode({**query, 'format': 'csv'})}",
        "xlsx_url": f"{base}?{urlencode({**query, 'format': 'xlsx'})}",
    }


@register.inclusion_tag("spreadsheets/partials/_import_link.html", takes_context=True)
def import_link(context: dict[str, Any]) -> dict[str, bool]:
    """'Import cases from a spreadsheet', for those who may (site managers)."""
    from kinplan.spreadsheets.permissions import can_import_cases

    request = context.get("request")
    return {"may_import": bool(request and can_import_cases(request.user))}

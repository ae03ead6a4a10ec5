"""{% risk_chart history %}: the overall risk level over time, drawn on the server as SVG."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from kinplan.assessments.charts import risk_chart as build_chart
from kinplan.assessments.selectors import RiskPoint

register = template.Library()


@register.inclusion_tag("assessments/partials/_risk_chart.html")
def risk_chart(history: Sequence[RiskPoint], chart_id: str = "risk-chart") -> dict[str, Any]:
    return {"chart": build_chart(history), "chart_id": chart_id}

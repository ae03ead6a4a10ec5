"""A small server-drawn line chart of the overall risk level over time (no JavaScript needed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinplan.assessments.models import RISK_ORDER, RiskLevel
from kinplan.assessments.selectors import RiskPoint

WIDTH, HEIGHT = 560, 190
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 16, 44
MAX_DATE_LABELS = 8
COLOURS = {
    RiskLevel.LOW: "#1e6f3d",
    RiskLevel.MEDIUM: "#8a5a00",
    RiskLevel.HIGH: "#c2410c",
    RiskLevel.CRITICAL: "#a4161a",
}


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    level: str
    level_label: str
    colour: str
    date_label: str
    show_date: bool


@dataclass(frozen=True)
class ChartLevel:
    y: float
    level: str
    label: str


@dataclass(frozen=True)
class RiskChart:
    width: int
    height: int
    left: int
    right_edge: int
    baseline: int
    levels: list[ChartLevel]
    points: list[ChartPoint]
    line: str  # the polyline's "x,y x,y ..." points
    description: str  # the chart in words, for screen readers


def _y(level: str) -> float:
    """Low at the bottom, critical at the top."""
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (len(RISK_ORDER) - RISK_ORDER[RiskLevel(level)]) / (len(RISK_ORDER) - 1)


def _date(point: RiskPoint) -> str:
    return date_format(point.assessed_on, "DATE_FORMAT")


def risk_chart(points: Sequence[RiskPoint]) -> RiskChart | None:
    """The chart's geometry for `points` (oldest first); None when nothing has been assessed yet."""
    points = [p for p in points if p.overall_risk in RiskLevel.values]
    if not points:
        return None
    span = WIDTH - LEFT - RIGHT
    step = span / (len(points) - 1) if len(points) > 1 else 0
    every = -(-len(points) // MAX_DATE_LABELS)  # label every n-th date so labels never overlap
    plotted = [
        ChartPoint(
            x=round(LEFT + (i * step if len(points) > 1 else span / 2), 1),
            y=round(_y(p.overall_risk), 1),
            level=p.overall_risk,
            level_label=str(RiskLevel(p.overall_risk).label),
            colour=COLOURS[RiskLevel(p.overall_risk)],
            date_label=_date(p),
            show_date=(len(points) - 1 - i) % every == 0,  # always the latest, then every n-th back
        )
        for i, p in enumerate(points)
    ]
    # Translators: joins the risk levels in "Overall risk: low on 1 Feb 2026, then high on 3 May 2026."
    separator = _(", then ")
    words = separator.join(
        # Translators: one risk level and its date, e.g. "high on 3 May 2026".
        _("%(level)s on %(date)s") % {"level": c.level_label.lower(), "date": c.date_label}
        for c in plotted
    )
    return RiskChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        baseline=HEIGHT - BOTTOM,
        levels=[ChartLevel(y=round(_y(level), 1), level=level, label=str(level.label)) for level in RiskLevel],
        points=plotted,
        line=" ".join(f"{c.x},{c.y}" for c in plotted),
        description=_("Overall risk: %(levels)s.") % {"levels": words},
    )

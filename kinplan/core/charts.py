"""Charts drawn on the server as SVG: a bar per row.

A chart is geometry only; `core/bar_chart.html` draws it. No script and no inline style (the Content Security
Policy allows neither): positions are SVG attributes and colours are classes in kinplan.css. A chart is a picture
of figures the page also gives as a table, with the links, so the SVG is hidden from screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

LABEL_WIDTH = 130
VALUE_WIDTH = 50
BAR_AREA = 220
ROW_HEIGHT = 30
BAR_HEIGHT = 18
PAD = 6


@dataclass(frozen=True)
class Bar:
    """One row of a chart: a label, a value and, for a bullet chart, the `target` the value is measured against."""

    label: str
    value: int | Decimal
    href: str = ""
    kind: str = ""  # a CSS modifier: the bar is drawn with class "bar bar-<kind>"
    target: int | Decimal | None = None
    shown: str = ""  # the value as written beside the bar (e.g. "$1,200 of $2,000"); the number when empty


@dataclass
class DrawnBar:
    bar: Bar
    y: int
    width: float
    target_x: float | None
    text: str
    text_y: int


@dataclass
class BarChart:
    bars: list[DrawnBar] = field(default_factory=list)
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT
    is_empty: bool = True

    @property
    def value_x(self) -> int:
        return self.label_width + BAR_AREA + PAD


def bar_chart(bars: Sequence[Bar], *, value_width: int = VALUE_WIDTH) -> BarChart:
    """Lay out horizontal bars on one scale: the largest value or target fills the bar area; `value_width` leaves
    room for the value written after each bar."""
    scale_max = max([b.value for b in bars] + [b.target for b in bars if b.target is not None] + [0])
    chart = BarChart(
        width=LABEL_WIDTH + BAR_AREA + value_width,
        height=PAD * 2 + ROW_HEIGHT * len(bars),
        is_empty=not any(b.value for b in bars),
    )
    for index, bar in enumerate(bars):
        y = PAD + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        chart.bars.append(
            DrawnBar(
                bar=bar,
                y=y,
                width=_length(bar.value, scale_max),
                target_x=None if bar.target is None else LABEL_WIDTH + _length(bar.target, scale_max),
                text=bar.shown or str(bar.value),
                text_y=y + BAR_HEIGHT - 4,
            )
        )
    return chart


def _length(value: int | Decimal, scale_max: int | Decimal) -> float:
    if not scale_max or value <= 0:
        return 0.0
    # A value above nothing still shows as a sliver, so "1" never looks like "0".
    return max(round(float(value) / float(scale_max) * BAR_AREA, 1), 3.0)

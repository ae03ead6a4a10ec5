"""The server-drawn bar chart: one scale for every bar, nothing drawn for nothing, a sliver for a little."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from kinplan.core.charts import BAR_AREA, LABEL_WIDTH, Bar, bar_chart


def test_the_largest_value_fills_the_bar_area_and_the_others_are_in_proportion():
    chart = bar_chart([Bar("Aroha", 12), Bar("Sione", 6), Bar("James", 0)])
    assert [drawn.width for drawn in chart.bars] == [BAR_AREA, BAR_AREA / 2, 0]
    assert not chart.is_empty


def test_a_chart_of_zeros_is_empty():
    assert bar_chart([Bar("Today", 0), Bar("Tomorrow", 0)]).is_empty


def test_a_target_shares_the_scale_of_the_values():
    chart = bar_chart([Bar("Plan", Decimal(150), target=Decimal(300)), Bar("Other", Decimal(600))])
    assert chart.bars[0].width == BAR_AREA / 4
    assert chart.bars[0].target_x == LABEL_WIDTH + BAR_AREA / 2


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30))
def test_no_bar_leaves_the_chart_and_a_value_above_nothing_is_always_seen(values):
    chart = bar_chart([Bar(str(n), value) for n, value in enumerate(values)])
    for drawn, value in zip(chart.bars, values, strict=True):
        assert 0 <= drawn.width <= BAR_AREA
        assert (drawn.width > 0) == (value > 0)
        assert drawn.y + chart.bar_height <= chart.height


def test_the_svg_uses_plain_numbers_whatever_the_language(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    chart = bar_chart([Bar("A", 1500), Bar("B", 700)] * 30)
    from django.utils import translation

    with translation.override("nb"):
        svg = render_to_string("core/bar_chart.html", {"chart": chart})
    assert 'aria-hidden="true"' in svg
    assert f'height="{chart.height}"' in svg  # e.g. 1812, not "1 812"
    assert "," not in svg.split(">")[0]


def test_the_dashboards_day_labels_and_amounts_follow_the_language(alice, settings):
    import datetime

    from django.utils import translation

    from kinplan.dashboards.selectors import _day_label, _money

    monday = datetime.date(2026, 11, 23)
    with translation.override("nb"):
        assert _day_label(monday + datetime.timedelta(days=2), monday).startswith("ons 25 ")
        assert _money(Decimal(12500)) == "12\xa0500"
    with translation.override("en"):
        assert _day_label(monday + datetime.timedelta(days=2), monday) == "Wed 25 Nov"
        assert _money(Decimal(12500)) == "12,500"

"""Reads over assessments: the list, the risk history, suggested goals, the case page summary and the chart."""

from __future__ import annotations

import datetime

import pytest

from kinplan.assessments import selectors
from kinplan.assessments.charts import risk_chart
from kinplan.assessments.models import Assessment, RiskFactor, RiskLevel
from kinplan.assessments.selectors import RiskPoint, SuggestedGoal
from kinplan.assessments.tests.factories import (
    AssessmentFactory,
    CompletedAssessmentFactory,
    NeedFactory,
    RiskFactorFactory,
)
from kinplan.cases.tests.factories import CaseFactory

FACTORS = list(RiskFactor.Factor)


def completed_on(case, day: datetime.date, level: str) -> Assessment:
    return CompletedAssessmentFactory(case=case, assessed_on=day, overall_risk=level)


def furnish(assessment: Assessment, how_many: int) -> None:
    """Give `assessment` `how_many` rated factors, each with a need under it."""
    for factor in FACTORS[:how_many]:
        rated = RiskFactorFactory(assessment=assessment, factor=factor, rating=RiskFactor.Rating.HIGH)
        NeedFactory(assessment=assessment, risk_factor=rated)


class TestAssessmentsForCase:
    def test_lists_the_cases_assessments_newest_first_and_no_others(self, alice, case):
        older = completed_on(case, datetime.date(2026, 2, 1), RiskLevel.LOW)
        newer = completed_on(case, datetime.date(2026, 5, 1), RiskLevel.HIGH)
        draft = AssessmentFactory(case=case, assessed_on=datetime.date(2026, 6, 1))
        completed_on(CaseFactory(worker=alice), datetime.date(2026, 7, 1), RiskLevel.LOW)
        assert list(selectors.assessments_for_case(case=case)) == [draft, newer, older]

    @pytest.mark.parametrize("factors", [1, 8])
    def test_costs_three_queries_however_many_assessments_factors_and_needs(
        self, case, django_assert_num_queries, factors
    ):
        for month in range(1, 6):
            furnish(completed_on(case, datetime.date(2026, month + 1, 1), RiskLevel.LOW), factors)
        with django_assert_num_queries(3):  # assessments (with their people), their factors, their needs
            for assessment in selectors.assessments_for_case(case=case):
                assert len([str(n.risk_factor) for n in assessment.needs.all()]) == factors
                assert len(list(assessment.risk_factors.all())) == factors
                assert str(assessment.author) and str(assessment.completed_by)


class TestRiskHistory:
    def test_lists_each_completed_assessments_date_and_level_oldest_first(self, case):
        completed_on(case, datetime.date(2026, 5, 1), RiskLevel.HIGH)
        completed_on(case, datetime.date(2026, 2, 1), RiskLevel.MEDIUM)
        AssessmentFactory(case=case, assessed_on=datetime.date(2026, 6, 1), overall_risk=RiskLevel.CRITICAL)
        assert selectors.risk_history(case=case) == [
            (datetime.date(2026, 2, 1), "medium"),
            (datetime.date(2026, 5, 1), "high"),
        ]

    def test_is_empty_before_any_assessment_is_completed(self, case):
        AssessmentFactory(case=case)
        assert selectors.risk_history(case=case) == []

    def test_points_name_their_parts(self, case):
        completed_on(case, datetime.date(2026, 2, 1), RiskLevel.MEDIUM)
        (point,) = selectors.risk_history(case=case)
        assert (point.assessed_on, point.overall_risk) == (datetime.date(2026, 2, 1), "medium")


class TestSuggestedGoals:
    def test_offers_needs_for_concurrent_attention_and_needs_under_a_high_factor_only(self, case):
        # given
        assessment = AssessmentFactory(case=case)
        high = RiskFactorFactory(assessment=assessment, factor="housing", rating="high", evidence="Eviction notice")
        medium = RiskFactorFactory(assessment=assessment, factor="substance_abuse", rating="medium")
        housing = NeedFactory(assessment=assessment, title="A home before winter", risk_factor=high)
        drinking = NeedFactory(
            assessment=assessment, title="Mum's alcohol use", risk_factor=medium, needs_concurrent_attention=True
        )
        NeedFactory(assessment=assessment, title="Help with school runs", risk_factor=medium)
        NeedFactory(assessment=assessment, title="A library card")
        # when
        goals = selectors.suggested_goals(assessment=assessment)
        # then underlying issues come first, each once, with why it is offered
        assert goals == [
            SuggestedGoal(
                title="Mum's alcohol use",
                reason="An underlying issue to work on alongside the main goals.",
                need=drinking,
            ),
            SuggestedGoal(
                title="A home before winter", reason="Comes under housing, which was rated high.", need=housing
            ),
        ]

    def test_a_need_that_is_both_is_offered_once_saying_both(self, case):
        assessment = AssessmentFactory(case=case)
        high = RiskFactorFactory(assessment=assessment, rating="high")
        NeedFactory(assessment=assessment, title="Mum's alcohol use", risk_factor=high, needs_concurrent_attention=True)
        (goal,) = selectors.suggested_goals(assessment=assessment)
        assert goal.reason == "An underlying issue to work on alongside the main goals; substance abuse was rated high."

    def test_offers_nothing_when_nothing_is_flagged_or_high(self, case):
        assessment = AssessmentFactory(case=case)
        NeedFactory(assessment=assessment, risk_factor=RiskFactorFactory(assessment=assessment, rating="low"))
        assert selectors.suggested_goals(assessment=assessment) == []

    def test_costs_one_query_however_many_needs(self, case, django_assert_num_queries):
        assessment = AssessmentFactory(case=case)
        furnish(assessment, 6)
        with django_assert_num_queries(1):
            assert len(selectors.suggested_goals(assessment=assessment)) == 6


class TestCaseSummary:
    def test_gives_the_latest_completed_assessment_any_draft_and_the_risk_history(self, case):
        first = completed_on(case, datetime.date(2026, 2, 1), RiskLevel.LOW)
        latest = completed_on(case, datetime.date(2026, 4, 1), RiskLevel.HIGH)
        draft = AssessmentFactory(case=case, assessed_on=datetime.date(2026, 5, 1))
        summary = selectors.assessment_summary(case=case)
        assert summary["latest_assessment"] == latest
        assert summary["draft_assessment"] == draft
        assert summary["risk_history"] == [(first.assessed_on, "low"), (latest.assessed_on, "high")]

    def test_is_empty_for_a_case_not_yet_assessed(self, case):
        assert selectors.assessment_summary(case=case) == {
            "latest_assessment": None,
            "draft_assessment": None,
            "risk_history": [],
        }

    def test_costs_one_query_however_many_assessments(self, case, django_assert_num_queries):
        for month in range(2, 10):
            completed_on(case, datetime.date(2026, month, 1), RiskLevel.MEDIUM)
        with django_assert_num_queries(1):
            summary = selectors.assessment_summary(case=case)
            assert str(summary["latest_assessment"].author)

    def test_the_latest_assessment_is_the_newest_completed_one(self, case):
        completed_on(case, datetime.date(2026, 2, 1), RiskLevel.LOW)
        latest = completed_on(case, datetime.date(2026, 3, 1), RiskLevel.LOW)
        AssessmentFactory(case=case, assessed_on=datetime.date(2026, 4, 1))
        assert selectors.latest_assessment(case=case) == latest
        assert selectors.latest_assessment(case=case, completed_only=False).is_draft


class TestRiskChart:
    def test_there_is_no_chart_before_a_completed_assessment(self):
        assert risk_chart([]) is None

    def test_higher_levels_are_drawn_higher_and_time_runs_left_to_right(self):
        chart = risk_chart(
            [
                RiskPoint(datetime.date(2026, 2, 1), "low"),
                RiskPoint(datetime.date(2026, 5, 1), "critical"),
                RiskPoint(datetime.date(2026, 8, 1), "medium"),
            ]
        )
        assert chart is not None
        xs = [p.x for p in chart.points]
        assert xs == sorted(xs) and xs[0] == chart.left and xs[-1] == chart.right_edge
        low, critical, medium = (p.y for p in chart.points)
        assert critical < medium < low  # SVG y grows downwards
        assert chart.line == " ".join(f"{p.x},{p.y}" for p in chart.points)

    def test_the_chart_says_in_words_what_it_shows(self):
        chart = risk_chart([RiskPoint(datetime.date(2026, 2, 1), "low"), RiskPoint(datetime.date(2026, 5, 3), "high")])
        assert chart is not None
        assert chart.description == "Overall risk: low on 1 Feb 2026, then high on 3 May 2026."

    def test_a_single_assessment_sits_in_the_middle(self):
        chart = risk_chart([RiskPoint(datetime.date(2026, 2, 1), "high")])
        assert chart is not None
        assert chart.points[0].x == (chart.left + chart.right_edge) / 2

    def test_a_long_history_labels_at_most_eight_dates_always_with_the_latest(self):
        points = [RiskPoint(datetime.date(2026, 1, 1) + datetime.timedelta(days=7 * n), "low") for n in range(20)]
        chart = risk_chart(points)
        assert chart is not None
        labelled = [p for p in chart.points if p.show_date]
        assert len(labelled) <= 8
        assert chart.points[-1].show_date

"""The assessment rules, tested where they live: drafting, reassessing, rating, needs, completing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinplan.assessments import services
from kinplan.assessments.models import Assessment, Need, RiskFactor, RiskLevel
from kinplan.assessments.tests.factories import (
    AssessmentFactory,
    CompletedAssessmentFactory,
    NeedFactory,
    RiskFactorFactory,
)
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case
from kinplan.cases.tests.factories import CaseFactory

TODAY = timezone.localdate()
MAY_CHANGE = ["alice", "supervisor", "site_manager"]
MAY_NOT_CHANGE = ["bob", "charlie", "national_manager", "support_caseworker", "administrator"]


def state() -> dict[str, Any]:
    """Every assessment row's count and last change, so a refused write that touched anything shows up."""
    snapshot: dict[str, Any] = {"AuditEvent": AuditEvent.objects.count()}
    for model in (Assessment, RiskFactor, Need):
        snapshot[model.__name__] = sorted(model.objects.values_list("pk", "updated_at"))
    return snapshot


def events(case: Case) -> list[str]:
    return list(AuditEvent.objects.filter(case=case).order_by("id").values_list("event", flat=True))


def last_event(case: Case) -> AuditEvent:
    return AuditEvent.objects.filter(case=case).latest("id")


@pytest.fixture
def draft(case) -> Assessment:
    """Alice's draft assessment, ready to complete: decided, with one rated factor and one need under it."""
    assessment = AssessmentFactory(
        case=case,
        overall_risk=RiskLevel.HIGH,
        risk_reasoning="Mum's drinking has led to two missed school weeks.",
        safety_decision=Assessment.SafetyDecision.SAFE_WITH_PLAN,
    )
    factor = RiskFactorFactory(assessment=assessment, rating=RiskFactor.Rating.HIGH)
    NeedFactory(assessment=assessment, title="Mum's alcohol use", risk_factor=factor, needs_concurrent_attention=True)
    return assessment


@pytest.fixture
def completed(case) -> Assessment:
    """Alice's completed assessment, with a rated factor and a need under it."""
    assessment = CompletedAssessmentFactory(case=case, assessed_on=datetime.date(2026, 2, 2))
    factor = RiskFactorFactory(assessment=assessment, factor=RiskFactor.Factor.HOUSING, rating=RiskFactor.Rating.HIGH)
    NeedFactory(assessment=assessment, title="A warm, dry home", risk_factor=factor, detail="Before winter")
    NeedFactory(assessment=assessment, title="Mum's low mood", needs_concurrent_attention=True)
    return assessment


# --- starting an assessment ----------------------------------------------------------------------


class TestStartingAnAssessment:
    def test_a_worker_starts_a_draft_dated_today_authored_by_them_and_it_is_in_history(self, alice, case):
        # when
        assessment = services.assessment_create(actor=alice, case=case, data={"strengths": " Nan helps daily. "})
        # then
        assert (assessment.status, assessment.author, assessment.assessed_on) == ("draft", alice, TODAY)
        assert assessment.strengths == "Nan helps daily."
        event = last_event(case)
        assert (event.event, event.actor, event.target_id) == ("assessment.created", alice, str(assessment.pk))
        assert event.changes["strengths"] == [None, "Nan helps daily."]
        assert event.changes["author"] == [None, str(alice)]

    def test_an_assessment_cannot_be_dated_in_the_future(self, alice, case):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_create(actor=alice, case=case, data={"assessed_on": TODAY + datetime.timedelta(days=1)})
        assert error.value.message_dict == {"assessed_on": ["This date cannot be in the future."]}
        assert state() == before

    def test_an_assessment_cannot_be_dated_before_the_case_opened(self, alice, case):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_create(actor=alice, case=case, data={"assessed_on": datetime.date(2026, 1, 4)})
        assert error.value.message_dict == {
            "assessed_on": ["An assessment cannot be dated before the case opened (5 Jan 2026)."]
        }
        assert state() == before

    def test_a_case_has_one_draft_at_a_time(self, alice, draft):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_create(actor=alice, case=draft.case)
        assert error.value.messages == ["This case already has a draft assessment: continue that one."]
        assert state() == before

    def test_fields_that_are_not_the_assessments_own_cannot_be_set(self, alice, case):
        with pytest.raises(ValidationError) as error:
            services.assessment_create(actor=alice, case=case, data={"status": "completed"})
        assert error.value.message_dict == {"status": ["This field cannot be changed here."]}
        assert not Assessment.objects.exists()

    @pytest.mark.parametrize("who", MAY_CHANGE)
    def test_the_owner_supervisor_and_site_manager_may_assess_the_case(self, request, case, who):
        actor = request.getfixturevalue(who)
        assessment = services.assessment_create(actor=actor, case=case)
        assert assessment.author == actor

    @pytest.mark.parametrize("who", MAY_NOT_CHANGE)
    def test_nobody_else_may_assess_the_case_and_nothing_is_written(self, request, case, who):
        actor = request.getfixturevalue(who)
        before = state()
        with pytest.raises(PermissionDenied):
            services.assessment_create(actor=actor, case=case)
        assert state() == before


class TestReassessing:
    def test_a_reassessment_starts_from_what_is_known_and_decides_risk_afresh(self, alice, completed):
        # when
        again = services.assessment_create(actor=alice, case=completed.case, start_from=completed)
        # then its texts, factors and needs are copies of the last assessment's
        assert again.based_on == completed
        for name in services.TEXT_FIELDS:
            assert getattr(again, name) == getattr(completed, name)
        assert [(f.factor, f.rating, f.evidence) for f in again.risk_factors.all()] == [
            (f.factor, f.rating, f.evidence) for f in completed.risk_factors.all()
        ]
        copied = {n.title: n for n in again.needs.select_related("risk_factor")}
        assert set(copied) == {"A warm, dry home", "Mum's low mood"}
        assert copied["A warm, dry home"].risk_factor.assessment == again  # under the copy, not the original
        assert copied["A warm, dry home"].detail == "Before winter"
        assert copied["Mum's low mood"].needs_concurrent_attention
        # and the risk decision is left for the worker to make again
        assert (again.overall_risk, again.risk_reasoning, again.safety_decision) == ("", "", "")

    def test_the_history_says_what_the_reassessment_copied(self, alice, completed):
        services.assessment_create(actor=alice, case=completed.case, start_from=completed)
        changes = last_event(completed.case).changes
        assert changes["based_on"] == [None, str(completed)]
        assert changes["risk_factors"] == [None, ["Housing: High"]]
        assert changes["needs"] == [None, ["A warm, dry home", "Mum's low mood"]]

    def test_the_earlier_assessment_stays_as_it_was(self, alice, completed):
        def as_recorded() -> tuple[Any, ...]:
            return (
                Assessment.objects.filter(pk=completed.pk).values().get(),
                list(RiskFactor.objects.filter(assessment=completed).values()),
                list(Need.objects.filter(assessment=completed).values()),
            )

        before = as_recorded()
        # when the reassessment's copies change
        again = services.assessment_create(actor=alice, case=completed.case, start_from=completed)
        services.assessment_update(actor=alice, assessment=again, data={"strengths": "New job, new flat."})
        services.risk_factor_set(actor=alice, assessment=again, factor="housing", rating="low")
        services.need_update(actor=alice, need=again.needs.first(), data={"title": "Changed"})
        # then the earlier assessment reads as it did
        assert as_recorded() == before

    def test_a_reassessment_starts_only_from_the_latest_completed_assessment(self, alice, completed):
        newer = CompletedAssessmentFactory(case=completed.case, assessed_on=datetime.date(2026, 3, 1))
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_create(actor=alice, case=completed.case, start_from=completed)
        assert error.value.message_dict == {
            "start_from": ["A reassessment starts from this case's latest completed assessment."]
        }
        assert state() == before
        assert services.assessment_create(actor=alice, case=completed.case, start_from=newer).based_on == newer

    def test_a_reassessment_cannot_start_from_another_cases_assessment(self, alice, completed):
        other_case = CaseFactory(worker=alice)
        with pytest.raises(ValidationError) as error:
            services.assessment_create(actor=alice, case=other_case, start_from=completed)
        assert "start_from" in error.value.message_dict
        assert not other_case.assessments.exists()

    def test_a_reassessment_cannot_be_dated_before_the_assessment_it_starts_from(self, alice, completed):
        with pytest.raises(ValidationError) as error:
            services.assessment_create(
                actor=alice, case=completed.case, start_from=completed, data={"assessed_on": datetime.date(2026, 2, 1)}
            )
        assert error.value.message_dict == {
            "assessed_on": ["A reassessment cannot be dated before the assessment it starts from (2 Feb 2026)."]
        }
        assert completed.case.assessments.count() == 1


# --- changing a draft ----------------------------------------------------------------------------


class TestChangingADraft:
    def test_a_change_is_recorded_with_each_fields_before_and_after(self, supervisor, draft):
        # when
        services.assessment_update(
            actor=supervisor,
            assessment=draft,
            data={"family_view": "Mum wants the children home by Christmas.", "overall_risk": "critical"},
        )
        # then
        draft.refresh_from_db()
        assert (draft.family_view, draft.overall_risk) == ("Mum wants the children home by Christmas.", "critical")
        event = last_event(draft.case)
        assert (event.event, event.actor) == ("assessment.updated", supervisor)
        assert event.changes == {
            "family_view": [
                "Mum says she wants help with the rent and with her drinking.",
                "Mum wants the children home by Christmas.",
            ],
            "overall_risk": ["high", "critical"],
        }

    def test_saving_unchanged_writes_no_history(self, alice, draft):
        before = state()["AuditEvent"]
        services.assessment_update(actor=alice, assessment=draft, data={"strengths": draft.strengths})
        assert state()["AuditEvent"] == before

    def test_a_draft_may_leave_its_risk_decision_open(self, alice, draft):
        services.assessment_update(
            actor=alice, assessment=draft, data={"overall_risk": "", "risk_reasoning": "", "safety_decision": ""}
        )
        draft.refresh_from_db()
        assert (draft.overall_risk, draft.safety_decision) == ("", "")

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"overall_risk": "severe"}, "overall_risk"),
            ({"safety_decision": "maybe"}, "safety_decision"),
            ({"assessed_on": None}, "assessed_on"),
            ({"assessed_on": datetime.date(2025, 12, 31)}, "assessed_on"),
            ({"author": None}, "author"),
        ],
    )
    def test_bad_values_are_refused_field_by_field_and_nothing_changes(self, alice, draft, data, field):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_update(actor=alice, assessment=draft, data=data)
        assert field in error.value.message_dict
        assert state() == before

    def test_a_completed_assessment_is_read_only(self, alice, completed):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_update(actor=alice, assessment=completed, data={"strengths": "Changed"})
        assert error.value.messages[0].startswith("This assessment was completed on ")
        assert error.value.messages[0].endswith(
            "and can no longer be changed. Start a reassessment to record what has changed."
        )
        assert state() == before

    def test_a_refused_change_leaves_the_callers_copy_alone(self, alice, draft):
        with pytest.raises(ValidationError):
            services.assessment_update(actor=alice, assessment=draft, data={"overall_risk": "severe"})
        assert draft.overall_risk == "high"

    @pytest.mark.parametrize("who", MAY_NOT_CHANGE)
    def test_nobody_but_those_who_may_change_the_case_may_change_a_draft(self, request, draft, who):
        before = state()
        with pytest.raises(PermissionDenied):
            services.assessment_update(actor=request.getfixturevalue(who), assessment=draft, data={"history": "x"})
        assert state() == before


# --- completing ----------------------------------------------------------------------------------


class TestCompleting:
    def test_completing_records_who_and_when_and_makes_it_read_only(self, site_manager, draft):
        # when
        done = services.assessment_complete(actor=site_manager, assessment=draft)
        # then
        done.refresh_from_db()
        assert (done.status, done.completed_by) == ("completed", site_manager)
        assert timezone.now() - done.completed_at < datetime.timedelta(minutes=1)
        event = last_event(draft.case)
        assert (event.event, event.actor) == ("assessment.completed", site_manager)
        assert event.changes["status"] == ["draft", "completed"]
        assert event.changes["completed_by"] == [None, str(site_manager)]
        assert event.changes["completed_at"][0] is None
        with pytest.raises(ValidationError):
            services.risk_factor_set(actor=site_manager, assessment=done, factor="income", rating="low")

    @pytest.mark.parametrize(
        ("missing", "field", "message"),
        [
            ({"overall_risk": ""}, "overall_risk", "Choose the overall risk level."),
            ({"safety_decision": ""}, "safety_decision", "Record the safety decision."),
            (
                {"risk_reasoning": ""},
                "risk_reasoning",
                "Explain the reasoning behind the risk level and the safety decision.",
            ),
            (
                {"risk_reasoning": "   "},
                "risk_reasoning",
                "Explain the reasoning behind the risk level and the safety decision.",
            ),
        ],
    )
    def test_an_assessment_is_completed_only_once_its_risk_decision_is_recorded(
        self, alice, draft, missing, field, message
    ):
        Assessment.objects.filter(pk=draft.pk).update(**missing)
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(actor=alice, assessment=draft)
        assert error.value.message_dict == {field: [message]}
        assert state() == before

    def test_an_assessment_needs_at_least_one_rated_risk_factor(self, alice, draft):
        Need.objects.filter(assessment=draft).delete()
        RiskFactor.objects.filter(assessment=draft).delete()
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(actor=alice, assessment=draft)
        assert error.value.message_dict == {"risk_factors": ["Rate at least one risk factor before completing."]}
        assert state() == before

    def test_an_unsafe_decision_needs_its_reasoning(self, alice, draft):
        Assessment.objects.filter(pk=draft.pk).update(safety_decision="unsafe", risk_reasoning="")
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(actor=alice, assessment=draft)
        assert error.value.message_dict == {
            "risk_reasoning": [
                "An unsafe decision needs its reasoning: "
                "what makes the child unsafe and what protective action follows."
            ]
        }
        assert Assessment.objects.get(pk=draft.pk).is_draft

    def test_a_critical_level_needs_its_reasoning(self, alice, draft):
        Assessment.objects.filter(pk=draft.pk).update(overall_risk="critical", risk_reasoning=" ")
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(actor=alice, assessment=draft)
        assert error.value.message_dict == {"risk_reasoning": ["A critical risk level needs the reasoning behind it."]}

    def test_everything_missing_is_reported_at_once(self, alice, case):
        assessment = AssessmentFactory(case=case)
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(actor=alice, assessment=assessment)
        assert set(error.value.message_dict) == {"overall_risk", "safety_decision", "risk_reasoning", "risk_factors"}

    def test_a_completed_assessment_cannot_be_completed_again(self, alice, completed):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(actor=alice, assessment=completed)
        assert "can no longer be changed" in error.value.messages[0]
        assert state() == before

    @pytest.mark.parametrize("who", MAY_NOT_CHANGE)
    def test_nobody_but_those_who_may_change_the_case_may_complete(self, request, draft, who):
        before = state()
        with pytest.raises(PermissionDenied):
            services.assessment_complete(actor=request.getfixturevalue(who), assessment=draft)
        assert state() == before

    def test_the_database_refuses_a_completed_assessment_without_a_decision(self, draft):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.filter(pk=draft.pk).update(status="completed", completed_at=timezone.now())

    def test_the_database_refuses_a_second_draft(self, draft):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.create(case=draft.case, author=draft.author)


@st.composite
def decisions(draw: Any) -> dict[str, Any]:
    return {
        "overall_risk": draw(st.sampled_from(["", *RiskLevel.values])),
        "safety_decision": draw(st.sampled_from(["", *Assessment.SafetyDecision.values])),
        "risk_reasoning": draw(st.sampled_from(["", "  ", "\n", "Nan is protective."])),
    }


@pytest.fixture
def rated_and_unrated(alice, case) -> dict[bool, Assessment]:
    """Two drafts: one with a rated risk factor, one with none."""
    rated = AssessmentFactory(case=case)
    RiskFactorFactory(assessment=rated)
    return {True: rated, False: AssessmentFactory(case=CaseFactory(worker=alice))}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decision=decisions(), rated=st.booleans())
def test_an_assessment_is_ready_to_complete_exactly_when_level_reasoning_decision_and_a_factor_are_there(
    rated_and_unrated, decision, rated
):
    # given a draft with this risk decision (in memory), with or without a rated factor
    assessment = rated_and_unrated[rated]
    for name, value in decision.items():
        setattr(assessment, name, value)
    # when
    errors = services.assessment_completion_errors(assessment)
    # then
    ready = bool(decision["overall_risk"] and decision["safety_decision"] and decision["risk_reasoning"].strip())
    assert (errors == {}) == (ready and rated)
    assert ("risk_factors" in errors) == (not rated)
    if not decision["risk_reasoning"].strip() and decision["safety_decision"] == "unsafe":
        assert errors["risk_reasoning"].startswith("An unsafe decision needs its reasoning")


# --- risk factors --------------------------------------------------------------------------------


class TestRiskFactors:
    def test_rating_a_factor_adds_it_and_its_history(self, alice, draft):
        factor = services.risk_factor_set(
            actor=alice, assessment=draft, factor="domestic_violence", rating="medium", evidence=" Police callout "
        )
        assert (factor.factor, factor.rating, factor.evidence) == ("domestic_violence", "medium", "Police callout")
        event = last_event(draft.case)
        assert (event.event, event.target_id) == ("assessment.risk_factor.added", str(factor.pk))
        assert event.changes == {
            "factor": [None, "domestic_violence"],
            "rating": [None, "medium"],
            "evidence": [None, "Police callout"],
        }

    def test_rating_a_factor_again_changes_its_rating_and_records_before_and_after(self, alice, draft):
        factor = draft.risk_factors.get()
        again = services.risk_factor_set(
            actor=alice, assessment=draft, factor=factor.factor, rating="low", evidence="Sober for six weeks."
        )
        assert again.pk == factor.pk
        assert draft.risk_factors.count() == 1
        event = last_event(draft.case)
        assert event.event == "assessment.risk_factor.updated"
        assert event.changes == {
            "rating": ["high", "low"],
            "evidence": ["Mum says she drinks most evenings.", "Sober for six weeks."],
        }

    def test_rating_a_factor_the_same_again_writes_no_history(self, alice, draft):
        factor = draft.risk_factors.get()
        before = state()["AuditEvent"]
        services.risk_factor_set(
            actor=alice, assessment=draft, factor=factor.factor, rating=factor.rating, evidence=factor.evidence
        )
        assert state()["AuditEvent"] == before

    @pytest.mark.parametrize(
        ("factor", "rating", "evidence", "field", "message"),
        [
            ("housing", "high", "", "evidence", "A high rating needs the evidence behind it."),
            ("other", "low", " ", "evidence", "Say what the other risk factor is and what it is based on."),
            ("gambling", "low", "x", "factor", "Value 'gambling' is not a valid choice."),
            ("housing", "extreme", "x", "rating", "Value 'extreme' is not a valid choice."),
        ],
    )
    def test_a_bad_rating_is_refused_with_a_reason_and_nothing_changes(
        self, alice, draft, factor, rating, evidence, field, message
    ):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.risk_factor_set(actor=alice, assessment=draft, factor=factor, rating=rating, evidence=evidence)
        assert error.value.message_dict[field] == [message]
        assert state() == before

    def test_removing_a_factor_keeps_its_needs_under_no_factor_and_records_both(self, alice, draft):
        # given the factor with a need under it
        factor = draft.risk_factors.get()
        factor_pk, need = factor.pk, draft.needs.get()
        # when
        services.risk_factor_remove(actor=alice, risk_factor=factor)
        # then the factor is gone, the need stays, and history has both
        assert not RiskFactor.objects.filter(pk=factor_pk).exists()
        need.refresh_from_db()
        assert need.risk_factor is None
        assert events(draft.case)[-2:] == ["assessment.need.updated", "assessment.risk_factor.removed"]
        removed = last_event(draft.case)
        assert removed.target_id == str(factor_pk)
        assert removed.changes == {
            "factor": ["substance_abuse", None],
            "rating": ["high", None],
            "evidence": ["Mum says she drinks most evenings.", None],
        }
        unlinked = AuditEvent.objects.get(event="assessment.need.updated")
        assert unlinked.changes == {"risk_factor": ["Substance abuse: High", None]}

    def test_factors_of_a_completed_assessment_cannot_be_set_or_removed(self, alice, completed):
        before = state()
        with pytest.raises(ValidationError):
            services.risk_factor_set(actor=alice, assessment=completed, factor="income", rating="low")
        with pytest.raises(ValidationError):
            services.risk_factor_remove(actor=alice, risk_factor=completed.risk_factors.get())
        assert state() == before

    @pytest.mark.parametrize("who", MAY_NOT_CHANGE)
    def test_nobody_but_those_who_may_change_the_case_may_rate_or_remove(self, request, draft, who):
        actor = request.getfixturevalue(who)
        before = state()
        with pytest.raises(PermissionDenied):
            services.risk_factor_set(actor=actor, assessment=draft, factor="income", rating="low")
        with pytest.raises(PermissionDenied):
            services.risk_factor_remove(actor=actor, risk_factor=draft.risk_factors.get())
        assert state() == before


# --- needs ---------------------------------------------------------------------------------------


class TestNeeds:
    def test_a_need_is_recorded_under_a_factor_with_its_history(self, alice, draft):
        factor = draft.risk_factors.get()
        need = services.need_add(
            actor=alice,
            assessment=draft,
            data={"title": "Alcohol counselling", "detail": "", "risk_factor": factor},
        )
        assert (need.assessment, need.risk_factor, need.needs_concurrent_attention) == (draft, factor, False)
        event = last_event(draft.case)
        assert event.event == "assessment.need.added"
        assert event.changes == {
            "title": [None, "Alcohol counselling"],
            "needs_concurrent_attention": [None, False],
            "risk_factor": [None, "Substance abuse: High"],
        }

    def test_a_need_has_a_title(self, alice, draft):
        before = state()
        with pytest.raises(ValidationError) as error:
            services.need_add(actor=alice, assessment=draft, data={"title": "  "})
        assert error.value.message_dict == {"title": ["This field cannot be blank."]}
        assert state() == before

    def test_a_need_goes_only_under_a_factor_of_its_own_assessment(self, alice, draft, completed):
        # given a draft of another of alice's cases, and the completed assessment's factor
        elsewhere = completed.risk_factors.get()
        before = state()
        with pytest.raises(ValidationError) as error:
            services.need_add(actor=alice, assessment=draft, data={"title": "Housing", "risk_factor": elsewhere})
        assert error.value.message_dict == {"risk_factor": ["Choose a risk factor rated in this assessment."]}
        assert state() == before

    def test_changing_a_need_records_before_and_after(self, alice, draft):
        need = draft.needs.get()
        services.need_update(
            actor=alice, need=need, data={"title": "Mum's drinking", "needs_concurrent_attention": False}
        )
        need.refresh_from_db()
        assert (need.title, need.needs_concurrent_attention) == ("Mum's drinking", False)
        assert last_event(draft.case).changes == {
            "title": ["Mum's alcohol use", "Mum's drinking"],
            "needs_concurrent_attention": [True, False],
        }

    def test_removing_a_need_records_what_it_was(self, alice, draft):
        need = draft.needs.get()
        need_pk = need.pk
        services.need_remove(actor=alice, need=need)
        assert not draft.needs.exists()
        event = last_event(draft.case)
        assert (event.event, event.target_id, event.target_label) == (
            "assessment.need.removed",
            str(need_pk),
            "Mum's alcohol use",
        )
        assert event.changes["title"] == ["Mum's alcohol use", None]
        assert event.changes["needs_concurrent_attention"] == [True, None]

    def test_needs_of_a_completed_assessment_cannot_be_added_changed_or_removed(self, alice, completed):
        need = completed.needs.first()
        before = state()
        for attempt in (
            lambda: services.need_add(actor=alice, assessment=completed, data={"title": "Later"}),
            lambda: services.need_update(actor=alice, need=need, data={"title": "Changed"}),
            lambda: services.need_remove(actor=alice, need=need),
        ):
            with pytest.raises(ValidationError) as error:
                attempt()
            assert "can no longer be changed" in error.value.messages[0]
        assert state() == before

    @pytest.mark.parametrize("who", MAY_NOT_CHANGE)
    def test_nobody_but_those_who_may_change_the_case_may_record_needs(self, request, draft, who):
        actor = request.getfixturevalue(who)
        need = draft.needs.get()
        before = state()
        for attempt in (
            lambda: services.need_add(actor=actor, assessment=draft, data={"title": "x"}),
            lambda: services.need_update(actor=actor, need=need, data={"title": "x"}),
            lambda: services.need_remove(actor=actor, need=need),
        ):
            with pytest.raises(PermissionDenied):
                attempt()
        assert state() == before

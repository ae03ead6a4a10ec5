"""The assessment pages: who may open each one, what a bad form says, what a good one writes, and what it costs."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from kinplan.assessments.models import Assessment, Need, RiskFactor, RiskLevel
from kinplan.assessments.tests.factories import (
    AssessmentFactory,
    CompletedAssessmentFactory,
    NeedFactory,
    RiskFactorFactory,
)
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases.models import Case
from kinplan.cases.tests.factories import CaseFactory
from kinplan.cases.tests.test_views import case_page_queries

TODAY = timezone.localdate()

# --- a case with an assessment, a reassessment in draft, and the pages around them -----------------


@dataclass
class Things:
    case: Case
    completed: Assessment  # the first assessment, read-only
    draft: Assessment  # its reassessment, ready to complete
    factor: RiskFactor  # rated in the draft
    need: Need  # in the draft, under `factor`
    done_factor: RiskFactor  # rated in the completed assessment
    done_need: Need
    fresh: Case  # alice's other case: assessed once, no draft, so a new assessment can start there


@pytest.fixture
def things(alice, case: Case) -> Things:
    completed = CompletedAssessmentFactory(
        case=case, assessed_on=datetime.date(2026, 2, 2), overall_risk=RiskLevel.MEDIUM
    )
    done_factor = RiskFactorFactory(assessment=completed, factor="housing", rating="high", evidence="Eviction notice")
    done_need = NeedFactory(assessment=completed, title="A warm, dry home", risk_factor=done_factor)
    draft = AssessmentFactory(
        case=case,
        based_on=completed,
        assessed_on=datetime.date(2026, 3, 2),
        overall_risk=RiskLevel.HIGH,
        risk_reasoning="Mum's drinking has led to two missed school weeks.",
        safety_decision=Assessment.SafetyDecision.SAFE_WITH_PLAN,
    )
    factor = RiskFactorFactory(assessment=draft, factor="substance_abuse", rating="high")
    need = NeedFactory(assessment=draft, title="Mum's alcohol use", risk_factor=factor, needs_concurrent_attention=True)
    fresh = CaseFactory(worker=alice, name="Parata whānau")
    CompletedAssessmentFactory(case=fresh, assessed_on=datetime.date(2026, 2, 2))
    return Things(case, completed, draft, factor, need, done_factor, done_need, fresh)


def url(name: str, *args: Any) -> str:
    return reverse(f"assessments:{name}", args=args)


def draft_url(name: str, t: Things, *more: Any) -> str:
    return url(name, t.case.pk, t.draft.pk, *more)


def assessment_form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "assessed_on": "2026-03-02",
        "strengths": "Nan lives nearby.",
        "needs_summary": "",
        "history": "",
        "current_situation": "",
        "family_view": "",
        "worker_view": "",
        "overall_risk": "high",
        "risk_reasoning": "Mum's drinking has led to two missed school weeks.",
        "safety_decision": "safe_with_plan",
    }
    return {**data, **overrides}


@dataclass(frozen=True)
class Page:
    url: Callable[[Things], str]
    post: Callable[[Things], dict[str, Any]] | None = None  # a valid submission; None for a page that only reads
    lands_on: Callable[[Things], str] = lambda t: draft_url("detail", t)

    @property
    def changes(self) -> bool:
        return self.post is not None


PAGES: dict[str, Page] = {
    "the assessment list": Page(lambda t: url("list", t.case.pk)),
    "a completed assessment": Page(lambda t: url("detail", t.case.pk, t.completed.pk)),
    "a draft assessment": Page(lambda t: draft_url("detail", t)),
    "start an assessment": Page(
        lambda t: url("new", t.fresh.pk),
        lambda t: {"assessed_on": TODAY.isoformat(), "start_from_latest": "on"},
        lands_on=lambda t: url("edit", t.fresh.pk, t.fresh.assessments.latest("id").pk),
    ),
    "edit a draft": Page(lambda t: draft_url("edit", t), lambda t: assessment_form_data(overall_risk="critical")),
    "complete a draft": Page(lambda t: draft_url("complete", t), lambda t: {}),
    "rate a risk factor": Page(
        lambda t: draft_url("risk_factor_add", t),
        lambda t: {"factor": "income", "rating": "medium", "evidence": ""},
        lands_on=lambda t: draft_url("detail", t) + "#risk-factors-h",
    ),
    "edit a risk factor": Page(
        lambda t: draft_url("risk_factor_edit", t, t.factor.pk),
        lambda t: {"rating": "low", "evidence": "Sober for six weeks."},
        lands_on=lambda t: draft_url("detail", t) + "#risk-factors-h",
    ),
    "remove a risk factor": Page(
        lambda t: draft_url("risk_factor_remove", t, t.factor.pk),
        lambda t: {},
        lands_on=lambda t: draft_url("detail", t) + "#findings",
    ),
    "add a need": Page(
        lambda t: draft_url("need_add", t),
        lambda t: {"title": "Alcohol counselling", "risk_factor": t.factor.pk},
        lands_on=lambda t: draft_url("detail", t) + "#needs-h",
    ),
    "edit a need": Page(
        lambda t: draft_url("need_edit", t, t.need.pk),
        lambda t: {"title": "Mum's drinking", "needs_concurrent_attention": "on"},
        lands_on=lambda t: draft_url("detail", t) + "#needs-h",
    ),
    "remove a need": Page(
        lambda t: draft_url("need_remove", t, t.need.pk),
        lambda t: {},
        lands_on=lambda t: draft_url("detail", t) + "#findings",
    ),
}
CHANGING_PAGES = {name: page for name, page in PAGES.items() if page.changes}
READING_PAGES = {name: page for name, page in PAGES.items() if not page.changes}

# The same draft-only pages, pointed at the completed assessment.
COMPLETED_PAGES: dict[str, tuple[Callable[[Things], str], dict[str, Any]]] = {
    "edit": (lambda t: url("edit", t.case.pk, t.completed.pk), assessment_form_data(assessed_on="2026-02-02")),
    "complete": (lambda t: url("complete", t.case.pk, t.completed.pk), {}),
    "rate a risk factor": (
        lambda t: url("risk_factor_add", t.case.pk, t.completed.pk),
        {"factor": "income", "rating": "low"},
    ),
    "edit a risk factor": (
        lambda t: url("risk_factor_edit", t.case.pk, t.completed.pk, t.done_factor.pk),
        {"rating": "low", "evidence": "x"},
    ),
    "remove a risk factor": (lambda t: url("risk_factor_remove", t.case.pk, t.completed.pk, t.done_factor.pk), {}),
    "add a need": (lambda t: url("need_add", t.case.pk, t.completed.pk), {"title": "Later"}),
    "edit a need": (lambda t: url("need_edit", t.case.pk, t.completed.pk, t.done_need.pk), {"title": "Changed"}),
    "remove a need": (lambda t: url("need_remove", t.case.pk, t.completed.pk, t.done_need.pk), {}),
}

MAY_CHANGE = ["alice", "supervisor", "site_manager"]
MAY_NOT_SEE = ["bob", "charlie", "administrator"]


def written() -> dict[str, Any]:
    """Every assessment row and its last change, and the history's length; views (RecordView) are not writes."""
    rows: dict[str, Any] = {"AuditEvent": AuditEvent.objects.count()}
    for model in (Assessment, RiskFactor, Need):
        rows[model.__name__] = sorted(model.objects.values_list("pk", "updated_at"))
    return rows


def login(client: Any, request: Any, who: str) -> Any:
    user = request.getfixturevalue(who)
    client.force_login(user)
    return user


def assert_refused_with(response: Any, message: str) -> None:
    assert response.status_code == 400, response.status_code
    assert message in response.content.decode()


def field_error(field_id: str, message: str) -> str:
    return f'<p class="field-error" id="{field_id}_error">{escape(message)}</p>'


# --- 1. who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", MAY_CHANGE)
@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_the_owner_supervisor_and_site_manager_can_open_every_assessment_page(client, request, things, who, page):
    login(client, request, who)
    assert client.get(page.url(things)).status_code == 200


@pytest.mark.parametrize("who", MAY_CHANGE)
@pytest.mark.parametrize("page", CHANGING_PAGES.values(), ids=CHANGING_PAGES.keys())
def test_the_owner_supervisor_and_site_manager_can_save_every_assessment_form(client, request, things, who, page):
    login(client, request, who)
    before = AuditEvent.objects.count()
    response = client.post(page.url(things), page.post(things))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == page.lands_on(things)
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize("who", MAY_NOT_SEE)
@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_a_colleague_an_outsider_and_the_administrator_get_404_for_every_assessment_page(
    client, request, things, who, page
):
    login(client, request, who)
    assert client.get(page.url(things)).status_code == 404
    assert not RecordView.objects.exists()


@pytest.mark.parametrize("who", MAY_NOT_SEE)
@pytest.mark.parametrize("page", CHANGING_PAGES.values(), ids=CHANGING_PAGES.keys())
def test_a_colleague_an_outsider_and_the_administrator_get_404_and_change_nothing_when_posting(
    client, request, things, who, page
):
    login(client, request, who)
    before = written()
    assert client.post(page.url(things), page.post(things)).status_code == 404
    assert written() == before


@pytest.mark.parametrize("page", READING_PAGES.values(), ids=READING_PAGES.keys())
def test_a_national_manager_can_read_the_assessments_but_is_offered_no_change(client, national_manager, things, page):
    client.force_login(national_manager)
    response = client.get(page.url(things))
    assert response.status_code == 200
    content = response.content.decode()
    for offer in (">Reassess<", "Continue the draft", ">Edit<", "Rate a risk factor", "Add a need", ">Remove<"):
        assert offer not in content


@pytest.mark.parametrize("page", CHANGING_PAGES.values(), ids=CHANGING_PAGES.keys())
def test_a_national_manager_gets_403_on_every_change_and_nothing_is_written(client, national_manager, things, page):
    client.force_login(national_manager)
    before = written()
    assert client.get(page.url(things)).status_code == 403
    assert client.post(page.url(things), page.post(things)).status_code == 403
    assert written() == before


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, things, page):
    before = written()
    for response in (
        client.get(page.url(things)),
        client.post(page.url(things), page.post(things) if page.post else {}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert written() == before


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_opening_any_assessment_page_logs_who_looked_at_the_case(client, alice, things, page):
    client.force_login(alice)
    client.get(page.url(things))
    view = RecordView.objects.get()
    case_in_url = int(page.url(things).split("/")[2])
    assert (view.user, view.case.pk, view.channel, view.path) == (alice, case_in_url, "web", page.url(things))


def test_an_assessment_of_another_case_cannot_be_reached_through_alices_case(client, alice, things, charlie_case):
    theirs = AssessmentFactory(case=charlie_case)
    client.force_login(alice)
    before = written()
    assert client.get(url("detail", things.case.pk, theirs.pk)).status_code == 404
    assert client.post(url("edit", things.case.pk, theirs.pk), assessment_form_data()).status_code == 404
    assert client.post(url("complete", things.case.pk, theirs.pk)).status_code == 404
    assert written() == before


def test_a_factor_or_need_of_another_assessment_cannot_be_reached_through_the_draft(client, alice, things):
    client.force_login(alice)
    before = written()
    assert client.post(draft_url("risk_factor_remove", things, things.done_factor.pk)).status_code == 404
    assert client.post(draft_url("need_edit", things, things.done_need.pk), {"title": "x"}).status_code == 404
    assert written() == before


# --- 2. bad input says exactly what is wrong, and writes nothing ------------------------------------


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ((TODAY + datetime.timedelta(days=1)).isoformat(), "This date cannot be in the future."),
        ("2026-01-04", "An assessment cannot be dated before the case opened (5 Jan 2026)."),
        ("2026-02-01", "A reassessment cannot be dated before the assessment it starts from (2 Feb 2026)."),
        ("not a date", "Enter a valid date."),
    ],
)
def test_a_draft_with_a_bad_date_is_refused_beside_the_date(client, alice, things, date, message):
    client.force_login(alice)
    before = written()
    response = client.post(draft_url("edit", things), assessment_form_data(assessed_on=date))
    assert_refused_with(response, field_error("id_assessed_on", message))
    assert written() == before


def test_an_unknown_risk_level_is_refused_beside_the_level(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(draft_url("edit", things), assessment_form_data(overall_risk="severe"))
    assert_refused_with(
        response, field_error("id_overall_risk", "Select a valid choice. severe is not one of the available choices.")
    )
    assert written() == before


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"overall_risk": ""}, "Choose the overall risk level."),
        ({"safety_decision": ""}, "Record the safety decision."),
        ({"risk_reasoning": ""}, "Explain the reasoning behind the risk level and the safety decision."),
        (
            {"risk_reasoning": "", "safety_decision": "unsafe"},
            "An unsafe decision needs its reasoning: what makes the child unsafe and what protective action follows.",
        ),
        ({"risk_reasoning": "", "overall_risk": "critical"}, "A critical risk level needs the reasoning behind it."),
    ],
)
def test_completing_without_the_risk_decision_is_refused_with_what_is_missing(client, alice, things, missing, message):
    Assessment.objects.filter(pk=things.draft.pk).update(**missing)
    client.force_login(alice)
    # the confirmation page already says what is missing and offers no button
    page = client.get(draft_url("complete", things)).content.decode()
    assert escape(message) in page
    assert "Complete the assessment</button>" not in page
    # and posting anyway changes nothing
    before = written()
    assert_refused_with(client.post(draft_url("complete", things)), escape(message))
    assert written() == before


def test_completing_without_a_rated_risk_factor_is_refused(client, alice, things):
    Need.objects.filter(assessment=things.draft).delete()
    RiskFactor.objects.filter(assessment=things.draft).delete()
    client.force_login(alice)
    before = written()
    response = client.post(draft_url("complete", things))
    assert_refused_with(response, "<strong>Risk factors</strong>: Rate at least one risk factor before completing.")
    assert written() == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"factor": "housing", "rating": "high", "evidence": ""},
            "id_evidence",
            "A high rating needs the evidence behind it.",
        ),
        (
            {"factor": "other", "rating": "low", "evidence": ""},
            "id_evidence",
            "Say what the other risk factor is and what it is based on.",
        ),
        (
            {"factor": "substance_abuse", "rating": "low"},
            "id_factor",
            "Select a valid choice. substance_abuse is not one of the available choices.",
        ),
        ({"factor": "housing"}, "id_rating", "This field is required."),
    ],
)
def test_a_bad_rating_is_refused_beside_the_field(client, alice, things, data, field, message):
    client.force_login(alice)
    before = written()
    assert_refused_with(client.post(draft_url("risk_factor_add", things), data), field_error(field, message))
    assert written() == before


def test_a_need_needs_a_title(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(draft_url("need_add", things), {"title": " "})
    assert_refused_with(response, field_error("id_title", "This field is required."))
    assert written() == before


def test_a_need_cannot_go_under_another_assessments_factor(client, alice, things):
    client.force_login(alice)
    before = written()
    response = client.post(draft_url("need_add", things), {"title": "Housing", "risk_factor": things.done_factor.pk})
    assert_refused_with(
        response,
        field_error("id_risk_factor", "Select a valid choice. That choice is not one of the available choices."),
    )
    assert written() == before


def test_starting_a_second_draft_points_to_the_first(client, alice, things):
    client.force_login(alice)
    page = client.get(url("new", things.case.pk)).content.decode()
    assert f'<a href="{draft_url("detail", things)}">continue that one</a>' in page
    assert "Start the draft" not in page
    before = written()
    response = client.post(url("new", things.case.pk), {"assessed_on": TODAY.isoformat()})
    assert_refused_with(response, "continue that one")
    assert written() == before


@pytest.mark.parametrize("page", COMPLETED_PAGES.keys())
def test_a_completed_assessment_cannot_be_changed_and_says_why(client, alice, things, page):
    page_url, data = COMPLETED_PAGES[page]
    client.force_login(alice)
    before = written()
    # opening a change page sends alice back to the assessment, saying why
    opened = client.get(page_url(things))
    assert opened.status_code == 302
    assert opened.url == url("detail", things.case.pk, things.completed.pk)
    assert "completed and read-only" in client.get(opened.url).content.decode()
    # and posting anyway is refused with the reason
    assert_refused_with(client.post(page_url(things), data), "can no longer be changed")
    assert written() == before


# --- 3. good input works end to end and leaves history on the case page ----------------------------


def case_page(client: Any, case: Case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str) -> str:
    """The case page's assessment section."""
    return page.split('<h2 id="assessments-h">')[1].split("</section>")[0]


def history_of(page: str) -> str:
    return page.split('<h2 id="history-h">History</h2>')[1]


def test_a_case_not_yet_assessed_invites_an_assessment(client, alice, case):
    client.force_login(alice)
    assessment = section(case_page(client, case))
    assert "No assessment yet." in assessment
    assert f'href="{url("new", case.pk)}">Start an assessment</a>' in assessment


def test_a_first_assessment_starts_afresh_as_a_draft_alice_continues(client, alice, case):
    client.force_login(alice)
    form = client.get(url("new", case.pk)).content.decode()
    assert "start_from_latest" not in form  # nothing to start from yet
    response = client.post(url("new", case.pk), {"assessed_on": TODAY.isoformat()})
    draft = case.assessments.get()
    assert response.status_code == 302
    assert response.url == url("edit", case.pk, draft.pk)
    assert (draft.author, draft.status, draft.based_on) == (alice, "draft", None)
    assessment = section(case_page(client, case))
    assert f'href="{url("detail", case.pk, draft.pk)}">Continue the draft</a>' in assessment
    assert "is in progress" in assessment


def test_a_reassessment_starts_from_what_the_last_assessment_found(client, alice, things):
    client.force_login(alice)
    form = client.get(url("new", things.fresh.pk)).content.decode()
    assert "Start from the last assessment (2 Feb 2026)" in form
    last = things.fresh.assessments.get()
    RiskFactorFactory(assessment=last, factor="income", rating="medium")
    client.post(url("new", things.fresh.pk), {"assessed_on": TODAY.isoformat(), "start_from_latest": "on"})
    again = things.fresh.assessments.latest("id")
    assert again.based_on == last
    assert list(again.risk_factors.values_list("factor", "rating")) == [("income", "medium")]
    assert again.strengths == last.strengths


def test_editing_a_draft_is_in_the_case_history_with_before_and_after(client, alice, things):
    client.force_login(alice)
    response = client.post(
        draft_url("edit", things), assessment_form_data(overall_risk="critical", family_view="We want Nan involved.")
    )
    assert response.status_code == 302
    history = history_of(case_page(client, things.case))
    assert "assessment.updated" in history
    assert "<strong>overall_risk</strong>: high → critical" in history
    assert (
        "<strong>family_view</strong>: Mum says she wants help with the rent and with her drinking. "
        "→ We want Nan involved." in history.replace("&#x27;", "'")
    )


def test_completing_shows_the_new_level_and_its_change_over_time_on_the_case_page(client, alice, things):
    client.force_login(alice)
    # given the confirmation page summarises what will be completed
    confirm = client.get(draft_url("complete", things)).content.decode()
    assert "Once completed, this assessment cannot be changed" in confirm
    assert "Substance abuse: High" in confirm
    # when alice completes it
    response = client.post(draft_url("complete", things))
    assert response.status_code == 302
    # then it is read-only, and the case page shows the latest level and how it changed
    things.draft.refresh_from_db()
    assert (things.draft.status, things.draft.completed_by) == ("completed", alice)
    page = case_page(client, things.case)
    assessment = section(page)
    assert '<span class="badge risk-high">High</span>' in assessment
    assert 'role="img"' in assessment
    assert "Overall risk: medium on 2 Feb 2026, then high on 2 Mar 2026." in assessment
    assert "assessment.completed" in history_of(page)


def test_the_list_shows_every_assessment_and_the_risk_levels_over_time_in_a_table(client, alice, things):
    client.force_login(alice)
    page = client.get(url("list", things.case.pk)).content.decode()
    assert "<caption>Overall risk level at each completed assessment, oldest first</caption>" in page
    assert '<tr><td>2 Feb 2026</td><td><span class="badge risk-medium">Medium</span></td></tr>' in page
    assert f'href="{url("detail", things.case.pk, things.completed.pk)}">2 Feb 2026</a>' in page
    assert f'href="{draft_url("detail", things)}">2 Mar 2026</a><br><small>reassessment</small>' in page


def test_a_completed_assessment_shows_who_and_when_and_offers_no_changes(client, supervisor, things):
    client.force_login(supervisor)
    page = client.get(url("detail", things.case.pk, things.completed.pk)).content.decode()
    completed_at = timezone.localtime(things.completed.completed_at)
    assert f"by {things.completed.author}" in page
    assert f'Completed <time datetime="{completed_at.isoformat()}">' in page
    assert "This assessment is completed and read-only." in page
    assert url("edit", things.case.pk, things.completed.pk) not in page
    assert "Rate a risk factor" not in page


def test_a_draft_shows_its_findings_suggested_goals_and_readiness(client, alice, things):
    client.force_login(alice)
    page = client.get(draft_url("detail", things)).content.decode()
    assert f'Reassessment of the <a href="{url("detail", things.case.pk, things.completed.pk)}">' in page
    assert (
        "<strong>Mum&#x27;s alcohol use</strong> — An underlying issue to work on alongside the main goals; "
        "substance abuse was rated high." in page
    )
    assert "Everything needed is recorded." in page
    assert f'href="{draft_url("complete", things)}">Complete the assessment</a>' in page


def test_removing_a_need_with_htmx_returns_only_the_refreshed_findings(client, alice, things):
    client.force_login(alice)
    response = client.post(draft_url("need_remove", things, things.need.pk), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "assessments/partials/_findings.html"
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="findings">')
    assert "No need recorded yet." in content
    assert not things.draft.needs.exists()


def test_removing_a_factor_without_javascript_confirms_first(client, alice, things):
    client.force_login(alice)
    confirm = client.get(draft_url("risk_factor_remove", things, things.factor.pk)).content.decode()
    assert "Remove “Substance abuse: High”?" in confirm
    assert things.draft.risk_factors.exists()
    client.post(draft_url("risk_factor_remove", things, things.factor.pk))
    assert not things.draft.risk_factors.exists()
    things.need.refresh_from_db()
    assert things.need.risk_factor is None
    assert "assessment.risk_factor.removed" in history_of(case_page(client, things.case))


# --- 4. query counts do not grow with the data -----------------------------------------------------

ASSESSMENT_LIST_QUERIES = 12
ASSESSMENT_PAGE_QUERIES = 12


def assess(case: Case, how_many: int, start: datetime.date = datetime.date(2026, 2, 1)) -> None:
    """Add `how_many` completed assessments, each with three rated factors and a need under each."""
    for n in range(how_many):
        assessment = CompletedAssessmentFactory(case=case, assessed_on=start + datetime.timedelta(days=7 * n))
        for factor in ("housing", "income", "mental_health"):
            rated = RiskFactorFactory(assessment=assessment, factor=factor, rating="high", evidence="Seen")
            NeedFactory(assessment=assessment, risk_factor=rated)


def test_the_assessment_list_costs_the_same_queries_for_2_assessments_as_for_10(
    client, alice, case, django_assert_num_queries
):
    client.force_login(alice)
    assess(case, 2)
    with django_assert_num_queries(ASSESSMENT_LIST_QUERIES):
        response = client.get(url("list", case.pk))
    assert len(response.context["assessments"]) == 2
    assess(case, 8, start=datetime.date(2026, 4, 1))
    with django_assert_num_queries(ASSESSMENT_LIST_QUERIES):
        response = client.get(url("list", case.pk))
    assert len(response.context["assessments"]) == 10
    assert len(response.context["risk_history"]) == 10


def test_an_assessment_page_costs_the_same_queries_for_1_finding_as_for_8(
    client, alice, case, django_assert_num_queries
):
    client.force_login(alice)
    assessment = AssessmentFactory(case=case)
    factors = list(RiskFactor.Factor)
    NeedFactory(assessment=assessment, risk_factor=RiskFactorFactory(assessment=assessment, factor=factors[0]))
    with django_assert_num_queries(ASSESSMENT_PAGE_QUERIES):
        client.get(url("detail", case.pk, assessment.pk))
    for factor in factors[1:8]:
        rated = RiskFactorFactory(assessment=assessment, factor=factor, rating="high", evidence="Seen")
        NeedFactory(assessment=assessment, risk_factor=rated, needs_concurrent_attention=True)
    with django_assert_num_queries(ASSESSMENT_PAGE_QUERIES):
        response = client.get(url("detail", case.pk, assessment.pk))
    assert len(response.context["suggested_goals"]) == 7


def test_the_case_page_costs_the_same_queries_with_no_assessment_as_with_many(
    client, alice, case, django_assert_num_queries
):
    client.force_login(alice)
    cost_without_assessments = case_page_queries(client, case)
    assess(case, 6)
    AssessmentFactory(case=case, assessed_on=TODAY)
    with django_assert_num_queries(cost_without_assessments):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert len(response.context["risk_history"]) == 6
    assert response.context["draft_assessment"] is not None


# --- the assessment pages in Norwegian Bokmål -----------------------------------------------------------


def norwegian_text(response: Any) -> str:
    """What a Norwegian reader sees: tags as spaces, whitespace squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]*>", " ", response.content.decode()))).strip()


@pytest.fixture
def back_to_english() -> Any:
    """A Norwegian request leaves Norwegian active in this thread (the locale middleware does not switch back)."""
    yield
    translation.deactivate()


@pytest.mark.usefixtures("back_to_english")
def test_a_norwegian_reader_sees_the_assessment_its_dates_and_its_risk_in_norwegian(client, alice, things):
    client.force_login(alice)
    response = client.get(draft_url("detail", things), HTTP_ACCEPT_LANGUAGE="nb")
    detail = norwegian_text(response)
    listing = norwegian_text(client.get(url("list", things.case.pk), HTTP_ACCEPT_LANGUAGE="nb"))
    assert "<h1>Kartlegging fra 2. mars 2026</h1>" in response.content.decode()
    assert "Ny kartlegging etter kartleggingen fra 2. februar 2026" in detail
    assert "Rusmiddelproblemer Høy" in detail and "Foreslåtte mål for planen" in detail
    assert "Samlet risiko: middels den 2. februar 2026." in listing


@pytest.mark.usefixtures("back_to_english")
def test_a_norwegian_reader_is_told_in_norwegian_what_is_missing_before_completing(client, alice, things):
    Assessment.objects.filter(pk=things.draft.pk).update(overall_risk="")
    client.force_login(alice)
    page = norwegian_text(client.post(draft_url("complete", things), HTTP_ACCEPT_LANGUAGE="nb"))
    assert "Denne kartleggingen kan ikke fullføres ennå Samlet risikonivå : Velg samlet risikonivå." in page

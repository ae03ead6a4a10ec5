"""The service plan pages: what a worker sees, what a bad form says and leaves alone, htmx pieces, and what it costs.

Who may open or change each page is the access matrix's job (tests/access); these tests sign in as alice,
the case's worker (or her supervisor for the team's overdue list).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.assessments.models import Assessment, Need
from kinplan.assessments.tests.factories import AssessmentFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, Person, TeamMember
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory, TeamMemberFactory
from kinplan.planning import services
from kinplan.planning.models import Agreement, Goal, NeedDeferral, Plan, PlanTransition, Step
from kinplan.planning.tests.factories import CompletedAssessmentFactory, GoalFactory, NeedFactory, StepFactory

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    """The date `n` days from today (before it when negative)."""
    return TODAY + datetime.timedelta(days=n)


# --- a draft plan, written backwards, and the pages around it --------------------------------------


@dataclass
class Draft:
    """Alice's case with a completed assessment and a draft plan answering it."""

    case: Case
    assessment: Assessment
    housing: Need  # answered by `home`
    drinking: Need  # not yet addressed
    plan: Plan
    home: Goal  # a long-term goal, target in 180 days
    shelter: Goal  # an intermediate goal on the way to `home`, target in 60 days
    step: Step  # towards `shelter`, due in 10 days; passes the good test
    mother: Person
    mother_member: TeamMember  # on the Child and Family Team; her agreement is required


@pytest.fixture
def draft(alice: User, case: Case) -> Draft:
    mother = case.participants.get(role=Participant.Role.PARENT).person
    mother.given_name, mother.family_name = "Hine", "Ngata"
    mother.save()
    assessment = CompletedAssessmentFactory(case=case)
    housing = NeedFactory(assessment=assessment, title="A secure home")
    drinking = NeedFactory(assessment=assessment, title="Mum's drinking")
    plan = services.plan_create(
        actor=alice, case=case, data={"permanency_goal": "reunification", "alternative_goal": "kinship_care"}
    )
    home = services.goal_add(
        actor=alice, plan=plan, data={"title": "A safe, stable home", "target_date": days(180)}, needs=[housing]
    )
    shelter = services.goal_add(
        actor=alice, plan=plan, parent=home, data={"title": "Temporary shelter and an income", "target_date": days(60)}
    )
    step = services.step_add(
        actor=alice,
        goal=shelter,
        data={
            "what": "Apply for the accommodation supplement",
            "kind": "form",
            "responsible": "family",
            "responsible_person": mother,
            "due_on": days(10),
            "costs_money": False,
        },
    )
    member = TeamMemberFactory(case=case, person=mother, role=TeamMember.Role.PARENT)
    return Draft(case, assessment, housing, drinking, plan, home, shelter, step, mother, member)


@pytest.fixture
def signed_in(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def url(name: str, d: Draft, *args: Any) -> str:
    return reverse(f"planning:{name}", args=[d.case.pk, *args])


def agree(alice: User, d: Draft) -> Plan:
    """The mother agrees in person and the plan is marked agreed."""
    services.agreement_record(actor=alice, plan=d.plan, member=d.mother_member, position="agrees", method="in_person")
    return services.plan_transition(actor=alice, plan=d.plan, to="agreed")


def revise(alice: User, d: Draft) -> Plan:
    """Agree and activate the plan, then start version 2."""
    agree(alice, d)
    services.plan_transition(actor=alice, plan=d.plan, to="active")
    return services.plan_revise(actor=alice, plan=d.plan, note="Dad is back in contact")


WATCHED = (Plan, Goal, Step, Agreement, NeedDeferral, PlanTransition, AuditEvent)


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row (and its last change) a plan form could write, so a refusal that wrote anything shows up."""
    snapshot = {}
    for model in WATCHED:
        stamped = any(f.name == "updated_at" for f in model._meta.fields)
        snapshot[model.__name__] = sorted(model.objects.values_list("pk", *(["updated_at"] if stamped else [])))
    snapshot["Goal.needs"] = sorted(Goal.needs.through.objects.values_list("goal_id", "need_id"))
    return snapshot


def step_html(page: str, step: Step) -> str:
    """One step's item on the plan page: from its <li> to the next step's (or the end of its list)."""
    start = page.index(f'id="step-{step.pk}"')
    ends = [i for i in (page.find('<li class="step ', start), page.find("</ol>", start)) if i != -1]
    return page[start : min(ends)]


def text(html: str) -> str:
    """What a reader sees: tags as spaces, entities read, whitespace squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]*>", " ", html))).strip()


# --- starting a plan -------------------------------------------------------------------------------


class TestStartingAPlan:
    def test_the_form_preselects_the_latest_completed_assessment(self, signed_in, case):
        # given an older completed assessment, the latest completed one, and a newer draft
        CompletedAssessmentFactory(case=case, assessed_on=days(-90))
        latest = CompletedAssessmentFactory(case=case, assessed_on=days(-30))
        draft_assessment = AssessmentFactory(case=case, assessed_on=days(-1))
        # when
        response = signed_in.get(reverse("planning:new", args=[case.pk]))
        # then the latest completed one is chosen and the draft is not offered
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<option value="{latest.pk}" selected>' in page
        assert f'<option value="{draft_assessment.pk}"' not in page

    def test_starting_the_plan_saves_a_draft_answering_that_assessment_and_opens_it(self, signed_in, case):
        # given
        latest = CompletedAssessmentFactory(case=case)
        form = {"permanency_goal": "reunification", "alternative_goal": "kinship_care", "assessment": latest.pk}
        # when
        response = signed_in.post(reverse("planning:new", args=[case.pk]), {**form, "starts_on": TODAY})
        # then
        assert response.status_code == 302
        assert response.url == reverse("planning:plan", args=[case.pk])
        plan = Plan.objects.get(case=case)
        assert (plan.status, plan.version, plan.assessment, plan.alternative_goal) == (
            "draft",
            1,
            latest,
            "kinship_care",
        )

    def test_a_second_plan_for_the_same_case_is_refused_with_a_clear_message(self, signed_in, draft):
        # given
        before = state()
        # when
        response = signed_in.post(url("new", draft), {"permanency_goal": "adoption", "starts_on": TODAY})
        # then
        assert response.status_code == 400
        message = "This case already has a plan: open it, or revise it to make a new version."
        assert f"<li>{escape(message)}</li>" in response.content.decode()
        assert state() == before

    def test_opening_the_form_again_goes_to_the_plan_that_exists(self, signed_in, draft):
        response = signed_in.get(url("new", draft), follow=True)
        assert response.redirect_chain == [(url("plan", draft), 302)]
        assert "This case already has a plan." in response.content.decode()

    def test_a_case_without_a_plan_offers_to_start_one(self, signed_in, case):
        page = signed_in.get(reverse("planning:plan", args=[case.pk])).content.decode()
        assert "This case has no service plan yet." in page
        assert reverse("planning:new", args=[case.pk]) in page


# --- bad input: a 400, the message beside the field it is about, nothing written --------------------


@dataclass(frozen=True)
class Refusal:
    """A post a form or a service refuses, and the message the worker reads where they need it."""

    name: str
    url: Callable[[Draft], str]
    data: Callable[[Draft], dict[str, Any]]
    field: Callable[[Draft], str] | None  # the html id of the field the message sits under; None: above the form
    message: str
    given: Callable[[User, Draft], Any] = lambda alice, d: None

    def __str__(self) -> str:
        return self.name


def plan_form(**overrides: Any) -> dict[str, Any]:
    return {"permanency_goal": "reunification", "alternative_goal": "kinship_care", "starts_on": TODAY, **overrides}


def step_form(**overrides: Any) -> dict[str, Any]:
    return {"kind": "task", "what": "See the budget advisor", "responsible": "worker", **overrides}


def by_id(name: str) -> Callable[[Draft], str]:
    return lambda d: f"id_{name}"


REFUSALS = [
    Refusal(
        "plan ends before it starts",
        lambda d: url("edit", d),
        lambda d: plan_form(ends_on=days(-1)),
        by_id("ends_on"),
        "The plan cannot end before it starts.",
    ),
    Refusal(
        "alternative goal same as the main one",
        lambda d: url("edit", d),
        lambda d: plan_form(alternative_goal="reunification"),
        by_id("alternative_goal"),
        "The alternative permanency goal must differ from the main one.",
    ),
    Refusal(
        "goal without a title",
        lambda d: url("goal_new", d),
        lambda d: {"title": "", "track": "main"},
        by_id("title"),
        "This field is required.",
    ),
    Refusal(
        "intermediate goal dated after its long-term goal",
        lambda d: url("intermediate_new", d, d.home.pk),
        lambda d: {"title": "A job", "target_date": days(200)},
        by_id("target_date"),
        f"An intermediate goal is reached on the way: set a date by {days(180):%-d %b %Y}, "
        "the long-term goal's target.",
    ),
    Refusal(
        "long-term goal moved before its intermediate goal",
        lambda d: url("goal_edit", d, d.home.pk),
        lambda d: {"title": "A safe, stable home", "track": "main", "target_date": days(30), "needs": [d.housing.pk]},
        by_id("target_date"),
        "Some intermediate goals are due after this date; move them first.",
    ),
    Refusal(
        "step due before it starts",
        lambda d: url("step_new", d, d.shelter.pk),
        lambda d: step_form(starts_on=days(20), due_on=days(10)),
        lambda d: f"g{d.shelter.pk}_due_on",
        "A step cannot be due before it starts.",
    ),
    Refusal(
        "step with a negative cost",
        lambda d: url("step_new", d, d.shelter.pk),
        lambda d: step_form(costs_money="true", cost="-5"),
        lambda d: f"g{d.shelter.pk}_cost",
        "A cost cannot be negative.",
    ),
    Refusal(
        "step with a quantity of zero",
        lambda d: url("step_new", d, d.shelter.pk),
        lambda d: step_form(kind="service", quantity="0"),
        lambda d: f"g{d.shelter.pk}_quantity",
        "A quantity must be more than zero.",
    ),
    Refusal(
        "step that costs nothing, with a cost",
        lambda d: url("step_edit", d, d.step.pk),
        lambda d: step_form(costs_money="false", cost="40"),
        by_id("cost"),
        "A step that costs nothing cannot have a cost; tick 'costs money' or clear the cost.",
    ),
    Refusal(
        "step done with no result",
        lambda d: url("step_action", d, d.step.pk, "done"),
        lambda d: {"result": "  ", "completed_on": TODAY},
        lambda d: f"s{d.step.pk}_result",
        "Record the result: what happened, in a sentence or two.",
    ),
    Refusal(
        "step done on a date in the future",
        lambda d: url("step_action", d, d.step.pk, "done"),
        lambda d: {"result": "Form handed in", "completed_on": days(1)},
        lambda d: f"s{d.step.pk}_completed_on",
        "A step cannot be done on a date in the future.",
    ),
    Refusal(
        "step not done, without what happened",
        lambda d: url("step_action", d, d.step.pk, "not-done"),
        lambda d: {"result": ""},
        lambda d: f"s{d.step.pk}_result",
        "Say what happened instead.",
    ),
    Refusal(
        "step cancelled without a reason",
        lambda d: url("step_action", d, d.step.pk, "cancel"),
        lambda d: {"reason": ""},
        lambda d: f"s{d.step.pk}_reason",
        "Say why the step is no longer needed.",
    ),
    Refusal(
        "need left for later without a reason",
        lambda d: url("need_defer", d, d.drinking.pk),
        lambda d: {"reason": " "},
        lambda d: f"n{d.drinking.pk}_reason",
        "Say why this need is left for later.",
    ),
    Refusal(
        "disagreement without a reason",
        lambda d: url("agreement", d, d.mother_member.pk),
        lambda d: {"position": "disagrees", "method": "phone", "reason": ""},
        lambda d: f"m{d.mother_member.pk}_reason",
        "Record why they disagree.",
    ),
    Refusal(
        "agreement without how it was given",
        lambda d: url("agreement", d, d.mother_member.pk),
        lambda d: {"position": "agrees", "method": ""},
        lambda d: f"m{d.mother_member.pk}_method",
        "Record how they gave their view (in person, phone, video or in writing).",
    ),
    Refusal(
        "new goal on an agreed plan",
        lambda d: url("goal_new", d),
        lambda d: {"title": "Dad and the children reconnect", "track": "main"},
        None,
        "This plan is agreed: start a revision (a new version) to change it, "
        "so the team can be consulted on the changes.",
        given=agree,
    ),
    Refusal(
        "step edited on an agreed plan",
        lambda d: url("step_edit", d, d.step.pk),
        lambda d: step_form(due_on=days(12)),
        None,
        "This plan is agreed: start a revision (a new version) to change it, "
        "so the team can be consulted on the changes.",
        given=agree,
    ),
    Refusal(
        "revising a draft",
        lambda d: url("revise", d),
        lambda d: {"note": "Dad is back"},
        None,
        "Only the current plan, once agreed, is revised; a draft can be changed as it is.",
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_bad_input_is_refused_with_its_message_beside_the_field_and_nothing_is_written(
    signed_in, alice, draft, refusal
):
    # given
    refusal.given(alice, draft)
    before = state()
    # when
    response = signed_in.post(refusal.url(draft), refusal.data(draft))
    # then
    assert response.status_code == 400
    page = response.content.decode()
    if refusal.field is None:
        assert re.search(
            rf'class="error-summary" role="alert">.*<li>{re.escape(escape(refusal.message))}</li>', page, re.S
        )
    else:
        assert f'<p class="field-error" id="{refusal.field(draft)}_error">{escape(refusal.message)}</p>' in page
    assert state() == before


class TestMovingThePlan:
    def test_agreeing_while_someone_required_has_not_agreed_is_refused_and_names_them(
        self, signed_in, alice, case, draft, bob
    ):
        # given the mother disagrees and the lawyer has not been asked
        lawyer = TeamMemberFactory(case=case, person=None, user=bob, role=TeamMember.Role.LAWYER_FOR_CHILD)
        services.agreement_record(
            actor=alice,
            plan=draft.plan,
            member=draft.mother_member,
            position="disagrees",
            method="phone",
            reason="Wants the children home sooner",
        )
        before = state()
        # when
        response = signed_in.post(url("move", draft), {"to": "agreed"})
        # then the plan page says who is still waiting, and nothing moved
        assert response.status_code == 400
        move_error = re.search(r'id="move-error">(.*?)</div>', response.content.decode(), re.S)
        assert move_error is not None
        assert text(move_error.group(1)) == (
            "The plan's status did not change Not everyone whose agreement is required has agreed yet: "
            f"{lawyer.member_name} (not yet asked); Hine Ngata (disagrees)."
        )
        assert state() == before

    def test_once_everyone_required_agrees_the_plan_is_agreed(self, signed_in, alice, draft):
        # given
        services.agreement_record(
            actor=alice, plan=draft.plan, member=draft.mother_member, position="agrees", method="video"
        )
        # when
        response = signed_in.post(url("move", draft), {"to": "agreed", "note": "Agreed at the hui"})
        # then
        assert (response.status_code, response.url) == (302, url("plan", draft))
        draft.plan.refresh_from_db()
        assert draft.plan.status == "agreed"
        assert PlanTransition.objects.get(plan=draft.plan).note == "Agreed at the hui"

    def test_a_move_the_page_does_not_offer_is_refused(self, signed_in, draft):
        before = state()
        response = signed_in.post(url("move", draft), {"to": "teleported"})
        assert response.status_code == 400
        assert "Choose one of the moves offered on the plan page." in response.content.decode()
        assert state() == before


# --- htmx: only the piece that changed; without htmx, a redirect to it ------------------------------


class TestHtmx:
    def test_adding_a_step_returns_only_the_new_step(self, signed_in, draft):
        # when
        response = signed_in.post(
            url("step_new", draft, draft.shelter.pk), step_form(due_on=days(20)), HTTP_HX_REQUEST="true"
        )
        # then
        assert response.status_code == 200
        step = Step.objects.get(what="See the budget advisor")
        page = response.content.decode()
        assert "<html" not in page
        assert page.count('<li class="step ') == 1 and f'id="step-{step.pk}"' in page
        assert f'id="add-step-{draft.shelter.pk}" hx-swap-oob="true"' in page  # the add link comes back below it

    def test_adding_a_step_redraws_the_plans_figures_and_its_goals_progress(self, signed_in, draft):
        # when
        response = signed_in.post(
            url("step_new", draft, draft.shelter.pk), step_form(due_on=days(20)), HTTP_HX_REQUEST="true"
        )
        # then: the figures at a glance and both goals' progress count the new step, swapped in out of band
        page = response.content.decode()
        assert '<section class="glance" id="glance" aria-labelledby="glance-h" hx-swap-oob="true">' in page
        assert "0 of 2 steps done" in text(page.split('id="glance"')[1])
        for goal in (draft.shelter, draft.home):
            assert f'<div class="goal-progress" id="goal-progress-{goal.pk}" hx-swap-oob="true">' in page
        assert page.count('class="goal-progress"') == 2

    def test_marking_a_step_done_in_place_redraws_the_progress(self, signed_in, draft, alice):
        # given
        agree(alice, draft)
        # when
        response = signed_in.post(
            url("step_action", draft, draft.step.pk, "done"),
            {"result": "Granted from next week", "completed_on": TODAY.isoformat()},
            HTTP_HX_REQUEST="true",
        )
        # then
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count('<li class="step ') == 1
        glance = text(page.split('id="glance"')[1])
        assert "1 of 1 step done (100%)" in glance
        progress = page.split(f'id="goal-progress-{draft.shelter.pk}"')[1]
        assert 'value="100"' in progress.split("</div>")[0]

    def test_a_refused_step_returns_the_inline_form_with_its_errors_in_place(self, signed_in, draft):
        # given
        before = state()
        # when
        response = signed_in.post(
            url("step_new", draft, draft.shelter.pk),
            step_form(what="", starts_on=days(20), due_on=days(10)),
            HTTP_HX_REQUEST="true",
        )
        # then
        assert response.status_code == 400
        assert response.headers["HX-Retarget"] == f"#add-step-{draft.shelter.pk}"
        assert response.headers["HX-Reswap"] == "innerHTML"
        page = response.content.decode()
        assert "<html" not in page and page.lstrip().startswith("<form")
        assert f'id="g{draft.shelter.pk}_what_error">This field is required.</p>' in page
        assert state() == before

    def test_marking_a_step_done_returns_only_that_step_showing_its_result(self, signed_in, draft):
        # when
        response = signed_in.post(
            url("step_action", draft, draft.step.pk, "done"),
            {"result": "Supplement granted: $120 a week", "completed_on": days(-1)},
            HTTP_HX_REQUEST="true",
        )
        # then
        assert response.status_code == 200
        page = response.content.decode()
        assert "<html" not in page and page.count('<li class="step ') == 1
        assert f'<li class="step step-done" id="step-{draft.step.pk}">' in page
        assert "Result Supplement granted: $120 a week" in text(page)
        draft.step.refresh_from_db()
        assert (draft.step.status, draft.step.completed_on) == ("done", days(-1))

    def test_a_refused_result_returns_that_step_with_the_form_and_its_error(self, signed_in, draft):
        # given
        before = state()
        # when
        response = signed_in.post(
            url("step_action", draft, draft.step.pk, "not-done"), {"result": ""}, HTTP_HX_REQUEST="true"
        )
        # then
        assert response.status_code == 400
        page = response.content.decode()
        assert "<html" not in page and page.count('<li class="step ') == 1
        assert f'<p class="field-error" id="s{draft.step.pk}_result_error">Say what happened instead.</p>' in page
        assert state() == before

    def test_recording_a_view_returns_only_that_members_row(self, signed_in, draft):
        # when
        response = signed_in.post(
            url("agreement", draft, draft.mother_member.pk),
            {"position": "disagrees", "method": "phone", "reason": "Wants the children home sooner"},
            HTTP_HX_REQUEST="true",
        )
        # then
        assert response.status_code == 200
        page = response.content.decode()
        assert "<html" not in page
        assert page.count('class="agreement-row ') == 1
        assert f'id="agreement-{draft.mother_member.pk}"' in page
        assert "Disagrees By phone Why: “Wants the children home sooner” Saved." in text(page)

    @pytest.mark.parametrize(
        ("name", "args", "data", "anchor"),
        [
            ("step_new", lambda d: [d.shelter.pk], step_form(due_on=days(20)), "step-{new}"),
            ("step_action", lambda d: [d.step.pk, "done"], {"result": "Granted"}, "step-{step}"),
            ("agreement", lambda d: [d.mother_member.pk], {"position": "agrees", "method": "in_person"}, "agreement"),
        ],
        ids=["add a step", "mark a step done", "record a view"],
    )
    def test_without_htmx_the_same_posts_redirect_to_the_plan_page_anchor(
        self, signed_in, draft, name, args, data, anchor
    ):
        # when
        response = signed_in.post(url(name, draft, *args(draft)), data)
        # then
        assert response.status_code == 302
        new = Step.objects.filter(what="See the budget advisor").values_list("pk", flat=True).first()
        assert response.url == url("plan", draft) + "#" + anchor.format(new=new, step=draft.step.pk)


# --- the plan page ----------------------------------------------------------------------------------


def plan_page(client: Client, d: Draft, **params: Any) -> str:
    response = client.get(url("plan", d), params)
    assert response.status_code == 200
    return response.content.decode()


class TestThePlanPage:
    def test_the_good_test_warns_beside_the_step_that_fails_it_with_the_reasons(self, signed_in, alice, draft):
        # given a counselling service that names no one, no timing, no quantity and no cost
        vague = services.step_add(
            actor=alice, goal=draft.home, data={"what": "Counselling", "kind": "service", "responsible": "provider"}
        )
        # when
        page = plan_page(signed_in, draft)
        # then the vague step carries the warning and every reason; the good step carries none
        warned = text(step_html(page, vague))
        assert "Warning: this step does not pass the good test yet." in warned
        for reason in (
            "It names no one: say who will do or provide it.",
            "It has no timing: give a due date, start date or timeline.",
            "It has no quantity: say how much (e.g. 6 sessions).",
            "Say whether it costs money, and if so how much.",
        ):
            assert reason in warned
        assert "good test" not in step_html(page, draft.step)
        assert "1 step needs more detail" in text(page)

    def test_progress_shows_steps_done_the_overdue_and_the_upcoming(self, signed_in, alice, draft):
        # given five steps: one done, one cancelled (not counted), one overdue, one due soon, one later
        StepFactory(goal=draft.home, what="Sign the tenancy", status="done", result="Signed", completed_on=TODAY)
        StepFactory(goal=draft.home, what="Ask the church for a bond", status="cancelled", result="Not needed")
        late = StepFactory(goal=draft.home, what="Book the budget advisor", due_on=days(-3))
        StepFactory(goal=draft.home, what="Visit the new school", due_on=days(60))
        # when
        page = text(plan_page(signed_in, draft))
        # then
        assert "1 of 4 steps done (25%)" in page
        assert "Book the budget advisor — due " in page and "3 days overdue" in page
        upcoming = page[page.index("Due in the next 14 days") : page.index("The good test")]
        assert "Apply for the accommodation supplement" in upcoming
        assert "Visit the new school" not in upcoming and late.what not in upcoming

    def test_needs_show_as_addressed_deferred_with_their_reason_or_not_yet_addressed(self, signed_in, alice, draft):
        # given
        school = NeedFactory(assessment=draft.assessment, title="School attendance")
        services.need_defer(actor=alice, plan=draft.plan, need=draft.drinking, reason="Mum is already in a programme")
        # when
        page = text(plan_page(signed_in, draft))
        # then
        assert f"Not yet addressed 1 {school.title}" in page
        assert "Addressed by a goal 1 A secure home by A safe, stable home" in page
        assert "Left for later 1 Mum's drinking Why: Mum is already in a programme" in page

    def test_after_a_revision_changes_a_step_the_page_lists_it_and_who_to_consult_again(self, signed_in, alice, draft):
        # given version 2, with the application's due date moved
        revision = revise(alice, draft)
        moved = Step.objects.get(goal__plan=revision, lineage=draft.step.lineage)
        services.step_update(actor=alice, step=moved, data={"due_on": days(21)})
        # when
        page = text(plan_page(signed_in, draft))
        # then
        changed = page[page.index("Changed since the team agreed") : page.index("Agreement of the Child and Family")]
        assert "Compared with version 1" in changed
        assert f"Changed step: Apply for the accommodation supplement due on: {days(10)} → {days(21)}" in changed
        assert (
            "Consult again: Hine Ngata agreed to the earlier version and has not yet agreed to these changes."
            in changed
        )

    def test_a_revision_with_no_changes_yet_lists_none(self, signed_in, alice, draft):
        revise(alice, draft)
        assert "Changed since the team agreed" not in plan_page(signed_in, draft)


# The paths of every link and form that changes a plan.
EDITING_LINKS = ("edit/", "goals/new/", "steps/new/", "intermediate/new/", "/move/", "/revise/", "/status/", "/start/")
EDITING_LINKS += ("/done/", "/not-done/", "/cancel/", "/defer/", "/withdraw/", "/agreement/")


class TestVersions:
    def test_an_earlier_version_is_shown_read_only(self, signed_in, alice, draft):
        # given
        revise(alice, draft)
        # when
        page = plan_page(signed_in, draft, version=1)
        # then
        assert "<h1>Service plan <small>version 1</small></h1>" in page
        assert "You are reading version 1, which a later version replaced." in page
        for editing in EDITING_LINKS:
            assert editing not in page, editing
        assert "Apply for the accommodation supplement" in page

    def test_the_current_version_links_to_the_earlier_one(self, signed_in, alice, draft):
        revise(alice, draft)
        page = plan_page(signed_in, draft)
        assert "<h1>Service plan <small>version 2</small></h1>" in page
        assert f'<a href="{url("plan", draft)}?version=1">Version 1</a>' in page

    def test_a_version_that_does_not_exist_is_a_404(self, signed_in, draft):
        for version in ("2", "0", "first"):
            assert signed_in.get(url("plan", draft), {"version": version}).status_code == 404
            assert signed_in.get(url("timeline", draft), {"version": version}).status_code == 404


class TestTimeline:
    def test_the_timeline_draws_one_row_per_goal_and_step_and_the_same_as_a_table(self, signed_in, alice, draft):
        # given two goals and two steps
        StepFactory(goal=draft.home, what="Sign the tenancy", due_on=days(-2))
        # when
        response = signed_in.get(url("timeline", draft))
        # then
        assert response.status_code == 200
        page = response.content.decode()
        svg = page[page.index('<svg class="timeline-svg"') : page.index("</svg>")]
        assert svg.count('<rect class="tl-band') == 4
        assert svg.count('<polygon class="tl-goal') == 2 and svg.count('<circle class="tl-step') == 2
        assert 'class="tl-step step-planned overdue"' in svg
        table = page[page.index('<table class="list timeline-table">') :]
        rows = [text(row) for row in re.findall(r"<tr class=.*?</tr>", table, re.S)]
        assert rows == [
            f"A safe, stable home Long-term goal target {days(180):%-d %b %Y} Not started",
            f"Sign the tenancy Step ({alice}) due {days(-2):%-d %b %Y} Planned — overdue",
            f"Temporary shelter and an income Intermediate goal target {days(60):%-d %b %Y} Not started",
            f"Apply for the accommodation supplement Step (Hine Ngata) due {days(10):%-d %b %Y} Planned",
        ]


# --- the overdue list -------------------------------------------------------------------------------


def overdue_step(worker: User, what: str, due: int = -5) -> Step:
    """A step `due` days from today in a current plan of a new case of `worker`'s."""
    plan = services.plan_create(actor=worker, case=CaseFactory(worker=worker), data={"permanency_goal": "remain_home"})
    return StepFactory(goal=GoalFactory(plan=plan), what=what, due_on=days(due))


class TestTheOverdueList:
    def test_a_supervisor_sees_overdue_steps_in_the_teams_cases_and_no_other_teams(
        self, client, supervisor, alice, bob, other_team, charlie
    ):
        # given
        alices = overdue_step(alice, "Alice's overdue step")
        bobs = overdue_step(bob, "Bob's overdue step", due=-1)
        overdue_step(UserFactory(team=other_team), "West team's overdue step")
        overdue_step(charlie, "Another site's overdue step")
        client.force_login(supervisor)
        # when
        response = client.get(reverse("planning:overdue"))
        # then
        page = response.content.decode()
        assert response.context["tab"] == "team"
        assert [s.pk for s in response.context["page"].object_list] == [alices.pk, bobs.pk]  # oldest first
        assert "<h1>My team's overdue steps</h1>" in page
        assert "West team" not in page and "Another site" not in page
        assert "5 days overdue" in text(page)

    def test_the_supervisors_own_tab_lists_only_cases_they_hold(self, client, supervisor, alice):
        # given
        overdue_step(alice, "Alice's overdue step")
        own = overdue_step(supervisor, "Sam's overdue step")
        client.force_login(supervisor)
        # when
        response = client.get(reverse("planning:overdue"), {"tab": "mine"})
        # then
        assert [s.pk for s in response.context["page"].object_list] == [own.pk]
        tabs = re.findall(r'<a href="\?tab=(\w+)"[^>]*>([^<]+)</a>', response.content.decode())
        assert tabs == [("team", "My team"), ("mine", "My cases")]

    def test_steps_not_overdue_are_not_listed(self, client, alice, draft):
        # given: due today, due later, overdue but done, overdue but cancelled
        for what, due_on, extra in (
            ("Due today", TODAY, {}),
            ("Due next week", days(7), {}),
            ("Done late", days(-9), {"status": "done", "result": "Done", "completed_on": TODAY}),
            ("Cancelled", days(-9), {"status": "cancelled", "result": "Not needed"}),
        ):
            StepFactory(goal=draft.home, what=what, due_on=due_on, **extra)
        client.force_login(alice)
        # when
        response = client.get(reverse("planning:overdue"))
        # then
        assert list(response.context["page"].object_list) == []
        assert "No overdue steps. Everything in the plans is on time." in response.content.decode()


# --- query counts do not grow with the plan ---------------------------------------------------------


def grow(d: Draft, steps: int) -> None:
    """Add `steps` steps over new long-term and intermediate goals that answer needs, done by different people,
    and team members with their views, so every prefetch on the page has rows to load."""
    for n in range(steps):
        if n % 10 == 0:
            need = NeedFactory(assessment=d.assessment)
            goal = GoalFactory(plan=d.plan, parent=d.home if n % 20 else None, title=f"Goal {n}")
            goal.needs.add(need)
            member = TeamMemberFactory(case=d.case, person=ParticipantFactory(case=d.case).person)
            Agreement.objects.create(
                plan=d.plan, member=member, position="agrees", method="phone", recorded_by=d.case.worker
            )
        who = {"responsible_user": UserFactory()} if n % 2 else {"responsible_person": d.mother}
        StepFactory(goal=goal, due_on=days(n - 50), **who)


# The plan page, 18: the session and the user (2); the case, through what alice may see, and the log of her
# viewing it (2); the current plan's id, then the plan with its case, assessment, author and previous version (2);
# its goals, their needs, their steps with who does them, its deferrals, agreements and status changes (6); the
# assessment's needs, for coverage and again for suggested goals (2); the team (1); the versions (1); whether
# alice may change the case, for the buttons (1); and her site, for the navigation (1).
PLAN_PAGE_QUERIES = 20
# The timeline, 13: the plan page's first 12 (it loads the plan the same way) and the site for the navigation.
TIMELINE_QUERIES = 15
# The overdue list for a supervisor, 7: the session and the user; their team's cases; the ids of the overdue steps
# (the pager's count); the site for the navigation; the page's steps with their goal, plan, case, worker and who
# does them; and the children of those cases.
OVERDUE_QUERIES = 7
# The caseload, as pinned in cases' tests: the plan columns are annotations on the cases' own query.
from kinplan.cases.tests.test_views import CASELOAD_QUERIES  # noqa: E402


def test_the_plan_page_costs_the_same_queries_for_5_steps_as_for_100(signed_in, draft, django_assert_num_queries):
    # given five steps
    for _ in range(4):
        StepFactory(goal=draft.home)
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        response = signed_in.get(url("plan", draft))
    assert response.context["progress"].total == 5
    # when the plan has a hundred
    grow(draft, 95)
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        response = signed_in.get(url("plan", draft))
    # then
    assert response.context["progress"].total == 100


def test_the_timeline_costs_the_same_queries_for_5_steps_as_for_100(signed_in, draft, django_assert_num_queries):
    for _ in range(4):
        StepFactory(goal=draft.home)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = signed_in.get(url("timeline", draft))
    assert sum(row["kind"] == "step" for row in response.context["chart"]["rows"]) == 5
    grow(draft, 95)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = signed_in.get(url("timeline", draft))
    assert sum(row["kind"] == "step" for row in response.context["chart"]["rows"]) == 100


def test_the_overdue_list_costs_the_same_queries_for_2_steps_as_for_30(
    client, supervisor, alice, bob, django_assert_num_queries
):
    client.force_login(supervisor)
    for n in range(2):
        overdue_step(alice if n % 2 else bob, f"Late {n}", due=-n - 1)
    with django_assert_num_queries(OVERDUE_QUERIES):
        response = client.get(reverse("planning:overdue"))
    assert len(response.context["page"].object_list) == 2
    for n in range(2, 30):
        step = overdue_step(UserFactory(team=supervisor.team), f"Late {n}", due=-n - 1)
        ParticipantFactory(case=step.goal.plan.case, role=Participant.Role.CHILD)  # a second child
    with django_assert_num_queries(OVERDUE_QUERIES):
        response = client.get(reverse("planning:overdue"))
    assert len(response.context["page"].object_list) == 30


# --- the caseload's Plan and Next due columns -------------------------------------------------------


def caseload_cells(client: Client, case: Case) -> dict[str, str]:
    """The caseload row of `case`, as the text of its Plan and Next due cells."""
    page = client.get(reverse("cases:caseload")).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    row = next(r for r in rows if f'href="{reverse("cases:detail", args=[case.pk])}"' in r)
    cells = [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return {"plan": cells[4], "next_due": cells[5]}


def set_reviews(alice: User, d: Draft, *, case_review: int | None, plan_review: int | None) -> None:
    Case.objects.filter(pk=d.case.pk).update(next_review_on=days(case_review) if case_review is not None else None)
    services.plan_update(
        actor=alice, plan=d.plan, data={"next_review_on": days(plan_review) if plan_review is not None else None}
    )


class TestTheCaseload:
    def test_the_plan_column_shows_the_status_steps_done_and_overdue(self, signed_in, alice, draft):
        # given five steps: two done, one cancelled (not counted), one overdue and the draft's own step
        for what in ("Sign the tenancy", "Move in"):
            StepFactory(goal=draft.home, what=what, status="done", result="Done", completed_on=TODAY)
        StepFactory(goal=draft.home, status="cancelled", result="Not needed", due_on=days(-20))
        StepFactory(goal=draft.shelter, due_on=days(-2))
        # when
        cells = caseload_cells(signed_in, draft.case)
        # then
        assert cells["plan"] == "Draft 2 of 4 steps done 1 overdue"
        assert (
            f'<a class="overdue-text" href="{url("plan", draft)}">1 overdue</a>'
            in signed_in.get(reverse("cases:caseload")).content.decode()
        )

    def test_a_case_without_a_plan_says_so_and_its_next_due_is_its_own_review(self, signed_in, case):
        Case.objects.filter(pk=case.pk).update(next_review_on=days(9))
        assert caseload_cells(signed_in, case) == {"plan": "No plan", "next_due": f"{days(9):%-d %b %Y} case review"}

    @pytest.mark.parametrize(
        ("case_review", "plan_review", "step_due", "due_in", "what"),
        [
            (5, 20, 30, 5, "case review"),
            (30, 7, 20, 7, "plan review"),
            (30, 20, 3, 3, "a plan step"),
            (None, None, 12, 12, "a plan step"),
            (None, 15, None, 15, "plan review"),
        ],
        ids=["case review", "plan review", "next step", "step only", "plan review only"],
    )
    def test_next_due_is_the_earliest_of_the_case_review_the_plan_review_and_the_next_open_step(
        self, signed_in, alice, draft, case_review, plan_review, step_due, due_in, what
    ):
        # given the draft's own step moved out of the way, and a done step due before all of them (not counted)
        Step.objects.filter(pk=draft.step.pk).update(due_on=days(90))
        if step_due is not None:
            StepFactory(goal=draft.home, due_on=days(step_due))
        StepFactory(goal=draft.home, due_on=days(1), status="done", result="Done", completed_on=TODAY)
        set_reviews(alice, draft, case_review=case_review, plan_review=plan_review)
        # when
        cells = caseload_cells(signed_in, draft.case)
        # then
        assert cells["next_due"] == f"{days(due_in):%-d %b %Y} {what}"

    def test_a_next_due_date_in_the_past_is_flagged_overdue(self, signed_in, alice, draft):
        StepFactory(goal=draft.home, due_on=days(-4))
        set_reviews(alice, draft, case_review=10, plan_review=None)
        assert caseload_cells(signed_in, draft.case)["next_due"] == f"{days(-4):%-d %b %Y} a plan step · overdue"

    def test_steps_and_reviews_of_an_earlier_version_or_a_closed_plan_do_not_count(self, signed_in, alice, draft):
        # given version 1 with an overdue step and a review, replaced by version 2 where that step is cancelled
        late = StepFactory(goal=draft.home, due_on=days(-6))
        set_reviews(alice, draft, case_review=40, plan_review=-1)
        revision = revise(alice, draft)
        services.step_cancel(
            actor=alice, step=Step.objects.get(goal__plan=revision, lineage=late.lineage), reason="Not needed"
        )
        services.plan_update(actor=alice, plan=revision, data={"next_review_on": days(25)})
        # then only version 2 counts
        assert caseload_cells(signed_in, draft.case) == {
            "plan": "Draft 0 of 1 steps done",
            "next_due": f"{days(10):%-d %b %Y} a plan step",
        }
        # when version 2 is closed, only the case's own review is due
        services.plan_transition(actor=alice, plan=revision, to="closed")
        assert caseload_cells(signed_in, draft.case)["next_due"] == f"{days(40):%-d %b %Y} case review"

    def test_the_plan_columns_cost_the_same_queries_for_3_planned_cases_as_for_20(
        self, signed_in, alice, django_assert_num_queries
    ):
        # given
        def planned_cases(how_many: int) -> None:
            for n in range(how_many):
                step = overdue_step(alice, f"Late {n}", due=-n - 1)
                StepFactory(goal=step.goal, status="done", result="Done", completed_on=TODAY)

        planned_cases(3)
        with django_assert_num_queries(CASELOAD_QUERIES):
            response = signed_in.get(reverse("cases:caseload"))
        assert len(response.context["page"].object_list) == 3
        # when
        planned_cases(17)
        with django_assert_num_queries(CASELOAD_QUERIES):
            response = signed_in.get(reverse("cases:caseload"))
        # then
        cases = list(response.context["page"].object_list)
        assert len(cases) == 20
        assert {(c.plan_steps, c.plan_steps_done, c.plan_steps_overdue) for c in cases} == {(2, 1, 1)}


# --- the plan pages in Norwegian Bokmål --------------------------------------------------------------


def in_norwegian(response: Any) -> str:
    """A page's text, with the no-break spaces Norwegian numbers are grouped with read as spaces."""
    return text(response.content.decode()).replace("\xa0", " ")


@pytest.fixture
def back_to_english() -> Any:
    """A Norwegian request leaves Norwegian active in this thread (the locale middleware does not switch back)."""
    yield
    translation.deactivate()


@pytest.mark.usefixtures("back_to_english")
class TestInNorwegian:
    def test_the_plan_page_reads_in_norwegian_with_its_dates_and_money(self, signed_in, draft):
        # given a step that is 3 days late and costs $1,200.50
        StepFactory(
            goal=draft.home,
            what="Book the budget advisor",
            due_on=days(-3),
            costs_money=True,
            cost="1200.50",
            funder="site",
        )
        # when a Norwegian reader opens the plan
        page = in_norwegian(signed_in.get(url("plan", draft), HTTP_ACCEPT_LANGUAGE="nb"))
        # then its words, dates and amounts are Norwegian
        with translation.override("nb"):
            due = formats.date_format(days(10), "DATE_FORMAT")
        assert "Tiltaksplan versjon 1" in page and "Mål og tiltak" in page
        assert "Book the budget advisor — frist" in page and "3 dager over fristen" in page
        assert (
            f"Apply for the accommodation supplement Planlagt Hvem Et familiemedlem: Hine Ngata Når frist {due}" in page
        )
        assert "$1 200,50 · betales av kontoret" in page
        assert "Enighet i barnets team" in page
        # and in English the same amount is grouped the English way
        english = in_norwegian(signed_in.get(url("plan", draft), HTTP_ACCEPT_LANGUAGE="en-nz"))
        assert "$1,200.50 · paid by the site" in english

    def test_the_good_test_and_the_rules_speak_norwegian(self, signed_in, draft):
        # given a step that names no one and has no date
        step = StepFactory(
            goal=draft.home, what="Find a tutor", responsible="other", responsible_user=None, due_on=None
        )
        # when a Norwegian reader opens the plan and tries to agree it before the mother has agreed
        page = signed_in.get(url("plan", draft), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
        refused = in_norwegian(signed_in.post(url("move", draft), {"to": "agreed"}, HTTP_ACCEPT_LANGUAGE="nb"))
        # then the warnings and the refusal are in Norwegian
        warned = text(step_html(page, step))
        assert "Advarsel: dette tiltaket består ikke kvalitetstesten ennå." in warned
        assert "Ingen er navngitt: oppgi hvem som skal gjøre eller levere det." in warned
        assert "Ikke alle som må være enige, har sagt seg enige ennå: Hine Ngata (ikke spurt ennå)." in refused

    def test_the_timeline_and_overdue_list_read_in_norwegian(self, signed_in, draft):
        StepFactory(goal=draft.home, what="Book the budget advisor", due_on=days(-3))
        timeline = in_norwegian(signed_in.get(url("timeline", draft), HTTP_ACCEPT_LANGUAGE="nb"))
        overdue = in_norwegian(signed_in.get(reverse("planning:overdue"), HTTP_ACCEPT_LANGUAGE="nb"))
        assert "Tidslinjen som tabell" in timeline and "Langsiktig mål" in timeline
        assert "Mine forfalte tiltak" in overdue and "3 dager over fristen" in overdue

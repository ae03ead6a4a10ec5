"""The service plan's rules, tested where they live (seeds 000, 001, 003)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import TeamMemberFactory, child_of
from kinplan.core.errors import InvalidTransition
from kinplan.planning import services
from kinplan.planning.models import Agreement, Goal, Plan, PlanTransition, Step
from kinplan.planning.quality import item_issues
from kinplan.planning.selectors import changes_since_agreement, need_coverage, plan_page
from kinplan.planning.tests.factories import CompletedAssessmentFactory, NeedFactory, StepFactory

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def plan(alice, case):
    return services.plan_create(
        actor=alice, case=case, data={"permanency_goal": "reunification", "alternative_goal": "kinship_care"}
    )


@pytest.fixture
def mother_member(case):
    mother = case.participants.get(role="parent").person
    return TeamMemberFactory(case=case, person=mother, role="parent")


def housing_goal(alice, plan):
    home = services.goal_add(
        actor=alice, plan=plan, data={"title": "A safe, stable home", "target_date": datetime.date(2027, 6, 1)}
    )
    shelter = services.goal_add(
        actor=alice,
        plan=plan,
        parent=home,
        data={"title": "Temporary shelter and an income", "target_date": datetime.date(2027, 1, 15)},
    )
    return home, shelter


class TestCreatingAPlan:
    def test_a_case_gets_a_draft_plan_with_main_and_alternative_permanency_goals(self, alice, plan):
        assert (plan.version, plan.status, plan.is_current) == (1, "draft", True)
        assert (plan.permanency_goal, plan.alternative_goal) == ("reunification", "kinship_care")
        assert AuditEvent.objects.filter(event="plan.created", case=plan.case).exists()

    def test_a_case_has_one_current_plan(self, alice, case, plan):
        with pytest.raises(ValidationError):
            services.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
        with pytest.raises(IntegrityError), transaction.atomic():
            Plan.objects.create(case=case, version=9, created_by=alice, permanency_goal="adoption")

    def test_the_alternative_goal_must_differ_from_the_main_one(self, alice, charlie_case, charlie):
        with pytest.raises(ValidationError):
            services.plan_create(
                actor=charlie, case=charlie_case, data={"permanency_goal": "adoption", "alternative_goal": "adoption"}
            )
        assert not Plan.objects.exists()

    def test_the_plan_answers_the_latest_completed_assessment(self, alice, case):
        CompletedAssessmentFactory(case=case, assessed_on=datetime.date(2026, 1, 1))
        latest = CompletedAssessmentFactory(case=case, assessed_on=datetime.date(2026, 3, 1))
        plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "remain_home"})
        assert plan.assessment == latest

    def test_outsiders_cannot_plan(self, bob, case):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=bob, case=case, data={"permanency_goal": "reunification"})


class TestWritingBackwards:
    def test_long_term_goals_come_first_then_intermediate_goals_that_lead_to_them(self, alice, plan):
        home, shelter = housing_goal(alice, plan)
        assert home.is_long_term and not shelter.is_long_term
        assert list(home.intermediate_goals.all()) == [shelter]

    def test_an_intermediate_goal_cannot_be_due_after_its_long_term_goal(self, alice, plan):
        home, _ = housing_goal(alice, plan)
        with pytest.raises(ValidationError) as error:
            services.goal_add(
                actor=alice, plan=plan, parent=home, data={"title": "Late", "target_date": datetime.date(2027, 9, 1)}
            )
        assert "target_date" in error.value.message_dict

    def test_an_intermediate_goal_is_on_its_long_term_goals_track(self, alice, plan):
        # given
        home, shelter = housing_goal(alice, plan)
        before = Goal.objects.count()
        # when / then: neither a new nor an existing intermediate goal may leave its long-term goal's track
        with pytest.raises(ValidationError) as error:
            services.goal_add(actor=alice, plan=plan, parent=home, data={"title": "x", "track": "alternative"})
        assert "track" in error.value.message_dict
        with pytest.raises(ValidationError):
            services.goal_update(actor=alice, goal=shelter, data={"track": "alternative"})
        assert Goal.objects.count() == before
        shelter.refresh_from_db()
        assert shelter.track == "main"

    def test_moving_a_long_term_goal_to_the_other_track_moves_its_intermediate_goals(self, alice, plan):
        # given
        home, shelter = housing_goal(alice, plan)
        # when
        services.goal_update(actor=alice, goal=home, data={"track": "alternative"})
        # then
        shelter.refresh_from_db()
        assert shelter.track == "alternative"
        assert AuditEvent.objects.get(event="plan.goal.updated").changes == {"track": ["main", "alternative"]}

    def test_goals_nest_two_levels_only(self, alice, plan):
        _, shelter = housing_goal(alice, plan)
        with pytest.raises(ValidationError):
            services.goal_add(actor=alice, plan=plan, parent=shelter, data={"title": "Too deep"})

    def test_every_need_is_addressed_by_a_goal_or_deferred_with_a_reason(self, alice, case):
        assessment = CompletedAssessmentFactory(case=case)
        drinking, housing, school = (
            NeedFactory(assessment=assessment, title=t) for t in ("Alcohol", "Housing", "School")
        )
        plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
        services.goal_add(actor=alice, plan=plan, data={"title": "Sober and supported"}, needs=[drinking])
        with pytest.raises(ValidationError):
            services.need_defer(actor=alice, plan=plan, need=housing, reason="  ")
        services.need_defer(actor=alice, plan=plan, need=housing, reason="Nan's home is secure for a year")
        coverage = need_coverage(plan=plan)
        assert coverage["addressed"] == [drinking]
        assert [d.need for d in coverage["deferred"]] == [housing]
        assert coverage["unaddressed"] == [school]

    def test_a_goal_answers_needs_of_this_plans_assessment_only(self, alice, case):
        CompletedAssessmentFactory(case=case)
        plan = services.plan_create(actor=alice, case=case, data={"permanency_goal": "reunification"})
        with pytest.raises(ValidationError):
            services.goal_add(actor=alice, plan=plan, data={"title": "x"}, needs=[NeedFactory()])


class TestSteps:
    def test_a_step_says_who_what_when_how_much_and_the_cost(self, alice, case, plan):
        _, shelter = housing_goal(alice, plan)
        mother = case.participants.get(role="parent").person
        step = services.step_add(
            actor=alice,
            goal=shelter,
            data={
                "what": "Apply for the accommodation supplement",
                "kind": "form",
                "responsible": "family",
                "responsible_person": mother,
                "due_on": datetime.date(2026, 12, 7),
                "client_instructions": "Bring your bank statements to the office.",
                "worker_helps": True,
                "worker_help": "I will fill in the form with you.",
                "costs_money": False,
            },
        )
        assert step.funder == Step.Funder.NO_COST
        assert item_issues(step) == []
        assert AuditEvent.objects.get(event="plan.step.added").changes["what"] == [
            None,
            "Apply for the accommodation supplement",
        ]

    def test_the_good_test_flags_each_gap_with_its_reason(self, alice, plan):
        home, _ = housing_goal(alice, plan)
        vague = services.step_add(
            actor=alice, goal=home, data={"what": "Counselling", "kind": "service", "responsible": "provider"}
        )
        assert {i.code for i in item_issues(vague)} == {"names_no_one", "no_timing", "no_quantity", "no_cost"}
        costed = services.step_update(
            actor=alice,
            step=vague,
            data={
                "responsible_name": "Te Whare Ora counselling",
                "timeline": "weekly from January",
                "quantity": Decimal("8"),
                "unit": "session",
                "costs_money": True,
            },
        )
        assert [i.code for i in item_issues(costed)] == ["no_cost"]
        priced = services.step_update(actor=alice, step=costed, data={"cost": Decimal("960.00"), "funder": "site"})
        assert item_issues(priced) == []
        assert plan_page(plan=Plan.objects.get(pk=plan.pk), today=TODAY)["quality_warnings"] == 0

    def test_the_person_named_must_be_in_the_case(self, alice, plan, charlie_case):
        home, _ = housing_goal(alice, plan)
        with pytest.raises(ValidationError) as error:
            services.step_add(
                actor=alice,
                goal=home,
                data={"what": "x", "responsible": "family", "responsible_person": child_of(charlie_case)},
            )
        assert "responsible_person" in error.value.message_dict

    def test_bad_numbers_are_refused_and_nothing_is_saved(self, alice, plan):
        home, _ = housing_goal(alice, plan)
        for bad in (
            {"quantity": Decimal("-1")},
            {"cost": Decimal("-5"), "costs_money": True},
            {"costs_money": False, "cost": Decimal("10")},
            {"starts_on": datetime.date(2027, 2, 1), "due_on": datetime.date(2027, 1, 1)},
        ):
            with pytest.raises(ValidationError):
                services.step_add(actor=alice, goal=home, data={"what": "x", "responsible": "worker", **bad})
        assert not Step.objects.exists()

    def test_completing_a_step_needs_its_result(self, alice, plan):
        home, _ = housing_goal(alice, plan)
        step = StepFactory(goal=home)
        with pytest.raises(ValidationError):
            services.step_complete(actor=alice, step=step, result="  ")
        step.refresh_from_db()
        assert step.status == "planned"
        done = services.step_complete(actor=alice, step=step, result="Form handed in; decision due in 2 weeks")
        assert (done.status, done.completed_on) == ("done", timezone.localdate())
        with pytest.raises(ValidationError):
            services.step_complete(actor=alice, step=done, result="again")

    def test_a_step_cannot_be_done_in_the_future(self, alice, plan):
        home, _ = housing_goal(alice, plan)
        with pytest.raises(ValidationError):
            services.step_complete(
                actor=alice,
                step=StepFactory(goal=home),
                result="ok",
                on=timezone.localdate() + datetime.timedelta(days=1),
            )

    def test_a_step_names_only_staff_of_the_cases_site_or_support_service(self, alice, bob, charlie, plan):
        # given a goal in alice's plan
        home, _ = housing_goal(alice, plan)
        data = {"what": "Drive Mum to the appointment", "responsible": "other"}
        # when the step names charlie, from another site
        with pytest.raises(ValidationError) as refused:
            services.step_add(actor=alice, goal=home, data=data | {"responsible_user": charlie})
        # then it is refused, and bob from her own team may be named
        assert refused.value.message_dict == {
            "responsible_user": ["Choose someone at this case's site or its support service."]
        }
        assert services.step_add(actor=alice, goal=home, data=data | {"responsible_user": bob}).responsible_user == bob


class TestAgreementAndStates:
    def test_a_plan_is_agreed_only_when_every_required_member_agrees(self, alice, case, plan, mother_member):
        lawyer = TeamMemberFactory(case=case, person=None, user=alice, role="social_worker")
        housing_goal(alice, plan)
        with pytest.raises(InvalidTransition) as error:
            services.plan_transition(actor=alice, plan=plan, to="agreed")
        assert "not yet asked" in str(error.value)
        services.agreement_record(
            actor=alice,
            plan=plan,
            member=mother_member,
            position="disagrees",
            method="phone",
            reason="Wants more time with the children",
        )
        services.agreement_record(actor=alice, plan=plan, member=lawyer, position="agrees", method="in_person")
        with pytest.raises(InvalidTransition) as error:
            services.plan_transition(actor=alice, plan=plan, to="agreed")
        assert "disagrees" in str(error.value)
        services.agreement_record(actor=alice, plan=plan, member=mother_member, position="agrees", method="in_person")
        agreed = services.plan_transition(actor=alice, plan=plan, to="agreed")
        assert agreed.status == "agreed" and agreed.agreed_at and agreed.agreed_content["goals"]

    def test_a_disagreement_needs_a_reason_and_a_position_needs_how_it_was_given(self, alice, plan, mother_member):
        with pytest.raises(ValidationError):
            services.agreement_record(
                actor=alice, plan=plan, member=mother_member, position="disagrees", method="phone"
            )
        with pytest.raises(ValidationError):
            services.agreement_record(actor=alice, plan=plan, member=mother_member, position="agrees")
        assert not Agreement.objects.exists()

    def test_an_unagreed_plan_cannot_be_activated(self, alice, plan):
        with pytest.raises(InvalidTransition):
            services.plan_transition(actor=alice, plan=plan, to="active")
        plan.refresh_from_db()
        assert plan.status == "draft" and not PlanTransition.objects.exists()

    def test_a_plan_without_a_team_or_goals_cannot_be_agreed(self, alice, plan):
        with pytest.raises(InvalidTransition):
            services.plan_transition(actor=alice, plan=plan, to="agreed")

    def test_the_states_run_draft_agreed_active_review_and_every_move_is_logged(self, alice, plan, mother_member):
        housing_goal(alice, plan)
        services.agreement_record(actor=alice, plan=plan, member=mother_member, position="agrees", method="video")
        for to in ("agreed", "active", "under_review", "active", "closed"):
            plan = services.plan_transition(actor=alice, plan=plan, to=to)
        moves = list(PlanTransition.objects.filter(plan=plan).values_list("from_status", "to_status"))
        assert moves == [
            ("draft", "agreed"),
            ("agreed", "active"),
            ("active", "under_review"),
            ("under_review", "active"),
            ("active", "closed"),
        ]
        with pytest.raises(InvalidTransition):
            services.plan_transition(actor=alice, plan=plan, to="active")

    def test_an_agreed_plan_is_not_edited_in_place(self, alice, plan, mother_member):
        home, _ = housing_goal(alice, plan)
        services.agreement_record(actor=alice, plan=plan, member=mother_member, position="agrees", method="video")
        services.plan_transition(actor=alice, plan=plan, to="agreed")
        with pytest.raises(ValidationError) as error:
            services.goal_add(actor=alice, plan=Plan.objects.get(pk=plan.pk), data={"title": "New"})
        assert "start a revision" in str(error.value)
        home.refresh_from_db()
        # progress is still recorded on an agreed plan
        services.goal_set_status(actor=alice, goal=home, status="in_progress")


class TestRevision:
    def test_revising_makes_a_new_version_shows_what_changed_and_who_to_consult_again(
        self, alice, case, plan, mother_member
    ):
        home, shelter = housing_goal(alice, plan)
        step = StepFactory(goal=shelter, what="Visit Work and Income")
        services.step_complete(actor=alice, step=step, result="Benefit granted")
        services.agreement_record(actor=alice, plan=plan, member=mother_member, position="agrees", method="video")
        services.plan_transition(actor=alice, plan=plan, to="agreed")
        services.plan_transition(actor=alice, plan=plan, to="active")
        # when
        revision = services.plan_revise(actor=alice, plan=plan, note="Dad is back in contact")
        # then the old version is kept, superseded, and the new one is the current draft with the same progress
        plan.refresh_from_db()
        assert (plan.status, plan.is_current) == ("superseded", False)
        assert (revision.version, revision.status, revision.is_current) == (2, "draft", True)
        copied = Step.objects.get(goal__plan=revision)
        assert (copied.lineage, copied.status, copied.result) == (step.lineage, "done", "Benefit granted")
        assert changes_since_agreement(plan=revision)["changes"] == []
        # when the revision changes
        new_home = Goal.objects.get(plan=revision, lineage=home.lineage)
        services.goal_update(actor=alice, goal=new_home, data={"title": "A safe home near the kura"})
        services.goal_add(actor=alice, plan=revision, data={"title": "Dad and the children reconnect"})
        # then the changes since agreement are listed and the mother must be consulted again
        since = changes_since_agreement(plan=Plan.objects.get(pk=revision.pk))
        assert {(c["kind"], c["change"]) for c in since["changes"]} == {("goal", "changed"), ("goal", "added")}
        assert since["consult_again"] == [mother_member.member_name]
        assert since["last_agreed"] == plan

    def test_a_draft_is_changed_not_revised(self, alice, plan):
        with pytest.raises(InvalidTransition):
            services.plan_revise(actor=alice, plan=plan)
        assert Plan.objects.count() == 1


class TestStepsWithProviders:
    """Seed 002/003: a service item names its provider and is priced from what the provider charges."""

    def test_choosing_a_service_names_its_provider_gives_its_unit_and_prices_the_step(self, alice, plan):
        from kinplan.providers.tests.factories import ProviderServiceFactory

        # given a provider charging $60 a session
        offer = ProviderServiceFactory(unit="session", unit_cost=Decimal("60"))
        home, _ = housing_goal(alice, plan)
        # when a step takes 8 sessions of it
        step = services.step_add(
            actor=alice,
            goal=home,
            data={
                "what": "In-home parenting support",
                "kind": "service",
                "responsible": "provider",
                "provider_service": offer,
                "quantity": Decimal("8"),
                "due_on": datetime.date(2027, 3, 1),
                "funder": "site",
            },
        )
        # then it is priced at 8 × $60, paid by the site, and passes the good test
        assert (step.provider, step.unit, step.cost, step.costs_money) == (
            offer.provider,
            "session",
            Decimal("480.00"),
            True,
        )
        assert step.responsible_label == offer.provider.name
        assert item_issues(step) == []

    def test_a_new_quantity_reprices_a_step_priced_by_its_service(self, alice, plan):
        from kinplan.providers.tests.factories import ProviderServiceFactory

        # given 8 sessions at $60
        offer = ProviderServiceFactory(unit="session", unit_cost=Decimal("60"))
        home, _ = housing_goal(alice, plan)
        step = services.step_add(
            actor=alice,
            goal=home,
            data={
                "what": "Parenting support",
                "kind": "service",
                "responsible": "provider",
                "provider_service": offer,
                "quantity": Decimal("8"),
                "due_on": datetime.date(2027, 3, 1),
            },
        )
        # when it becomes 5 sessions
        step = services.step_update(actor=alice, step=step, data={"quantity": Decimal("5")})
        # then it costs 5 × $60
        assert step.cost == Decimal("300.00")

    def test_a_free_service_costs_nothing_and_a_fixed_sum_costs_its_sum(self, alice, plan):
        from kinplan.providers.tests.factories import ProviderServiceFactory

        home, _ = housing_goal(alice, plan)
        free = ProviderServiceFactory(unit_cost=Decimal("0"))
        grant = ProviderServiceFactory(unit="fixed_sum", unit_cost=Decimal("250"))
        base = {"kind": "service", "responsible": "provider", "due_on": datetime.date(2027, 3, 1)}
        no_cost = services.step_add(
            actor=alice, goal=home, data=base | {"what": "Group", "provider_service": free, "quantity": Decimal("6")}
        )
        fixed = services.step_add(
            actor=alice, goal=home, data=base | {"what": "Grant", "provider_service": grant, "quantity": Decimal("1")}
        )
        assert (no_cost.costs_money, no_cost.funder) == (False, "no_cost")
        assert fixed.cost == Decimal("250.00")

    def test_a_service_that_another_provider_offers_is_refused(self, alice, plan):
        from kinplan.providers.tests.factories import ProviderFactory, ProviderServiceFactory

        home, _ = housing_goal(alice, plan)
        with pytest.raises(ValidationError) as refused:
            services.step_add(
                actor=alice,
                goal=home,
                data={
                    "what": "x",
                    "responsible": "provider",
                    "provider": ProviderFactory(),
                    "provider_service": ProviderServiceFactory(),
                },
            )
        assert refused.value.message_dict == {"provider_service": ["Choose a service that this provider offers."]}

    def test_another_cases_informal_support_cannot_provide_a_step(self, alice, plan, charlie_case):
        from kinplan.providers.models import Provider

        theirs = Provider.objects.create(name="Charlie's nan", kind="informal", case=charlie_case)
        home, _ = housing_goal(alice, plan)
        with pytest.raises(ValidationError) as refused:
            services.step_add(actor=alice, goal=home, data={"what": "x", "responsible": "other", "provider": theirs})
        assert "provider" in refused.value.message_dict

    def test_a_provider_no_longer_active_stays_on_old_steps_but_cannot_be_chosen_anew(self, alice, plan):
        from kinplan.providers.tests.factories import ProviderFactory

        home, _ = housing_goal(alice, plan)
        provider = ProviderFactory()
        step = services.step_add(
            actor=alice, goal=home, data={"what": "x", "responsible": "provider", "provider": provider}
        )
        provider.is_active = False
        provider.save()
        services.step_update(actor=alice, step=step, data={"what": "x, renamed", "provider": provider})
        with pytest.raises(ValidationError) as refused:
            services.step_add(
                actor=alice, goal=home, data={"what": "y", "responsible": "provider", "provider": provider}
            )
        assert refused.value.message_dict == {"provider": ["This provider is no longer active; choose another."]}

    def test_the_plan_totals_its_costs_by_who_pays(self, alice, plan, case):
        from kinplan.planning.selectors import plan_costs

        home, _ = housing_goal(alice, plan)
        base = {"kind": "service", "responsible": "other", "responsible_name": "Someone", "costs_money": True}
        for what, cost, funder in (("A", "100", "site"), ("B", "50", "site"), ("C", "300", "support_service")):
            services.step_add(
                actor=alice, goal=home, data=base | {"what": what, "cost": Decimal(cost), "funder": funder}
            )
        services.step_add(actor=alice, goal=home, data=base | {"what": "D"})  # costs money, amount not known yet
        services.step_add(actor=alice, goal=home, data=base | {"what": "Nan has them Tuesdays", "costs_money": False})
        costs = plan_costs(list(Step.objects.filter(goal__plan=plan)))
        assert costs.by_funder == {"site": Decimal("150.00"), "support_service": Decimal("300.00")}
        assert (costs.total, costs.unpriced, costs.no_cost) == (Decimal("450.00"), 1, 1)

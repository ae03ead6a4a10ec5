"""Assessments and service plans for the demo families, made through the real services so that every
rule holds and the history reads as a worker's would.

Most families are assessed (some twice, a few with a reassessment in draft) and most assessed families
have a plan: drafts still being agreed, agreed and active plans with steps done, overdue and coming up,
plans under review, and revised plans whose changes the team must be consulted on again.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from kinplan.accounts.models import User
from kinplan.assessments import services as assessing
from kinplan.assessments.models import Assessment, Need
from kinplan.cases.models import Case, Relationship, TeamMember
from kinplan.demo import practice as p
from kinplan.planning import services as planning
from kinplan.planning.models import Agreement, Goal, Plan, Step
from kinplan.providers.models import Provider

RISK_BY_RATING = {"low": "low", "medium": "medium", "high": "high"}
METHODS = [m for m, _ in Agreement.Method.choices]


class PracticeBuilder:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        self.directory: dict[str, Provider] = {}  # the demo's providers by name, once built

    def days(self, start: datetime.date, offset: int) -> datetime.date:
        return start + datetime.timedelta(days=offset)

    # --- assessments --------------------------------------------------------------------------------

    def assess_and_plan(self, case: Case, worker: User) -> None:
        """Assess `case` and, for most families, plan with them; how far along depends on how long it is open."""
        roll = self.rng.random()
        # The current assessment is recent whenever the case opened: a worker reassesses an older case.
        recent = self.today - datetime.timedelta(days=self.rng.randint(25, 260))
        first_on = min(max(self.days(case.opened_on, self.rng.randint(5, 20)), recent), self.today)
        if roll < 0.08:
            return  # just opened: nothing recorded yet
        if roll < 0.14:
            self.assessment(case, worker, first_on, self.rng.sample(p.NEEDS, 3), complete=False)
            return
        chosen = self.rng.sample(p.NEEDS, self.rng.choice([2, 3, 3, 4]))
        assessment = self.assessment(case, worker, first_on, chosen)
        if roll < 0.2:
            return  # assessed; the plan comes next
        plan = self.plan(case, worker, assessment, chosen)
        self.reassess_later(case, worker, assessment, plan)

    def assessment(
        self, case: Case, worker: User, on: datetime.date, chosen: list[p.NeedT], *, complete: bool = True
    ) -> Assessment:
        rng = self.rng
        assessment = assessing.assessment_create(
            actor=worker,
            case=case,
            data={
                "assessed_on": on,
                "strengths": rng.choice(p.STRENGTHS),
                "needs_summary": "; ".join(t.need for t in chosen) + ".",
                "history": rng.choice(p.HISTORY),
                "current_situation": case.summary,
                "family_view": rng.choice(p.FAMILY_VIEWS),
                "worker_view": rng.choice(p.WORKER_VIEWS),
            },
        )
        for template in chosen:
            factor = assessing.risk_factor_set(
                actor=worker,
                assessment=assessment,
                factor=template.factor,
                rating=template.rating,
                evidence=template.evidence,
            )
            assessing.need_add(
                actor=worker,
                assessment=assessment,
                data={
                    "title": template.need,
                    "detail": template.detail,
                    "needs_concurrent_attention": template.concurrent,
                    "risk_factor": factor,
                },
            )
        self.decide(assessment, worker, chosen, complete=complete)
        return assessment

    def decide(self, assessment: Assessment, worker: User, chosen: list[p.NeedT], *, complete: bool) -> None:
        ratings = {t.rating for t in chosen}
        level = "high" if "high" in ratings else "medium" if "medium" in ratings else "low"
        if level == "high" and sum(t.rating == "high" for t in chosen) >= 2 and self.rng.random() < 0.4:
            level = "critical"
        assessing.assessment_update(
            actor=worker,
            assessment=assessment,
            data={
                "overall_risk": level,
                "risk_reasoning": f"{chosen[0].evidence} {self.rng.choice(p.WORKER_VIEWS)}",
                "safety_decision": "safe_with_plan" if level in ("high", "critical") else "safe",
            },
        )
        if complete:
            assessing.assessment_complete(actor=worker, assessment=assessment)

    def reassess_later(self, case: Case, worker: User, first: Assessment, plan: Plan) -> None:
        """Some families are reassessed a few months into the plan: usually the risk has come down."""
        on = self.days(plan.starts_on, self.rng.randint(90, 200))
        if on > self.today or self.rng.random() < 0.55:
            return
        first.refresh_from_db()  # the services decided and completed a locked copy
        again = assessing.assessment_create(actor=worker, case=case, data={"assessed_on": on}, start_from=first)
        lower = {"critical": "high", "high": "medium", "medium": "low", "low": "low"}[first.overall_risk]
        data = {
            "overall_risk": lower if self.rng.random() < 0.75 else first.overall_risk,
            "risk_reasoning": "Progress on the plan: the steps done have reduced the pressure at home.",
            "safety_decision": "safe",
        }
        assessing.assessment_update(actor=worker, assessment=again, data=data)
        if self.rng.random() < 0.85:
            assessing.assessment_complete(actor=worker, assessment=again)

    # --- plans --------------------------------------------------------------------------------------

    def plan(self, case: Case, worker: User, assessment: Assessment, chosen: list[p.NeedT]) -> Plan:
        rng = self.rng
        starts_on = min(self.days(assessment.assessed_on, rng.randint(5, 20)), self.today)
        concurrent = rng.random() < 0.4
        main = "reunification" if concurrent else rng.choice(["remain_home", "remain_home", "reunification"])
        plan = planning.plan_create(
            actor=worker,
            case=case,
            data={
                "permanency_goal": main,
                "permanency_goal_detail": "The children are safe and thriving in their parents' care.",
                "alternative_goal": "kinship_care" if concurrent else "",
                "starts_on": starts_on,
                "next_review_on": self.days(starts_on, rng.choice([90, 120, 180])),
                "assessment": assessment,
            },
        )
        needs = {n.title: n for n in assessment.needs.all()}
        addressed = chosen[: rng.choice([1, 2, 2, 3])]
        for template in addressed:
            self.goal(plan, worker, template, needs[template.need])
        for template in chosen[len(addressed) :]:
            if rng.random() < 0.7:
                planning.need_defer(
                    actor=worker, plan=plan, need=needs[template.need], reason=rng.choice(p.DEFERRAL_REASONS)
                )
        if concurrent:
            self.alternative_goal(plan, worker)
        self.agree_and_follow(plan, worker)
        return plan

    def goal(self, plan: Plan, worker: User, template: p.NeedT, need: Need) -> None:
        target = self.days(plan.starts_on, template.goal_due)
        goal = planning.goal_add(
            actor=worker,
            plan=plan,
            data={"title": template.goal, "description": template.goal_description, "target_date": target},
            needs=[need],
        )
        for intermediate in template.intermediates:
            sub = planning.goal_add(
                actor=worker,
                plan=plan,
                parent=goal,
                data={
                    "title": intermediate.title,
                    "target_date": min(self.days(plan.starts_on, intermediate.due), target),
                },
            )
            for step in intermediate.steps:
                planning.step_add(actor=worker, goal=sub, data=self.step_data(plan, worker, step))

    def alternative_goal(self, plan: Plan, worker: User) -> None:
        title, description = p.ALTERNATIVE_GOAL
        goal = planning.goal_add(
            actor=worker,
            plan=plan,
            data={
                "title": title,
                "description": description,
                "track": Goal.Track.ALTERNATIVE,
                "target_date": self.days(plan.starts_on, 240),
            },
        )
        for step in (
            p.StepT(
                "Kinship care assessment of Nan",
                "form",
                "worker",
                "worker",
                "Nan: the assessor will visit you at home twice.",
                due=60,
                result="Nan approved as a kinship caregiver.",
            ),
            p.StepT(
                "Caregiver training for Nan",
                "service",
                "provider",
                "Kinship Carers Support",
                "Three Saturday-morning workshops at the community hall.",
                start=60,
                due=120,
                quantity="3",
                unit="session",
                cost="0",
                funder="no_cost",
                service="kinship_care",
            ),
        ):
            planning.step_add(actor=worker, goal=goal, data=self.step_data(plan, worker, step))

    def step_data(self, plan: Plan, worker: User, step: p.StepT) -> dict[str, Any]:
        data: dict[str, Any] = {
            "what": step.what,
            "kind": step.kind,
            "responsible": step.responsible,
            "client_instructions": step.instructions,
            "worker_helps": bool(step.worker_help),
            "worker_help": step.worker_help,
            "timeline": step.timeline,
            "unit": step.unit,
            "frequency": step.frequency,
        }
        if step.start is not None:
            data["starts_on"] = self.days(plan.starts_on, step.start)
        if step.due is not None:
            data["due_on"] = self.days(plan.starts_on, step.due)
        if step.quantity is not None:
            data["quantity"] = Decimal(step.quantity)
        if step.cost is not None:
            data |= {"costs_money": Decimal(step.cost) > 0, "cost": Decimal(step.cost), "funder": step.funder}
        elif step.kind != "service":
            data["costs_money"] = False
        data |= self.doer(plan.case, worker, step)
        return data

    def doer(self, case: Case, worker: User, step: p.StepT) -> dict[str, Any]:
        """Who does the step: the worker, a person in the case by their relationship, or a provider by name."""
        if step.who == "worker":
            return {"responsible_user": worker}
        kinds = {
            "mother": [Relationship.Kind.MOTHER],
            "father": [Relationship.Kind.FATHER, Relationship.Kind.MOTHER],
            "nan": [Relationship.Kind.GRANDPARENT],
            "aunt": [Relationship.Kind.AUNT_UNCLE, Relationship.Kind.GRANDPARENT],
        }.get(step.who)
        if kinds:
            relations = {r.kind: r.person for r in case.relationships.filter(archived_at__isnull=True)}
            person = next((relations[k] for k in kinds if k in relations), None)
            return {"responsible_person": person} if person else {"responsible_name": "A family member"}
        provider = self.directory.get(step.who)
        if provider is None:
            return {"responsible_name": step.who}
        offer = next((o for o in provider.services.all() if o.service_type.code == step.service), None)
        return {"provider": provider, "provider_service": offer} if offer else {"provider": provider}

    # --- agreement and progress ----------------------------------------------------------------------

    def agree_and_follow(self, plan: Plan, worker: User) -> None:
        roll = self.rng.random()
        members = list(plan.case.team_members.filter(archived_at__isnull=True, is_required=True))
        if roll < 0.15:
            self.consult(plan, worker, members, everyone=False)
            return
        self.consult(plan, worker, members, everyone=True)
        plan = planning.plan_transition(
            actor=worker, plan=plan, to=Plan.Status.AGREED, note="Agreed at the whānau hui."
        )
        if roll < 0.22:
            return
        plan = planning.plan_transition(actor=worker, plan=plan, to=Plan.Status.ACTIVE)
        self.progress(plan, worker)
        if roll > 0.9 and plan.next_review_on and plan.next_review_on <= self.today:
            planning.plan_transition(actor=worker, plan=plan, to=Plan.Status.UNDER_REVIEW, note="Review date reached.")
        elif roll > 0.84:
            self.revise(plan, worker, members)

    def consult(self, plan: Plan, worker: User, members: list[TeamMember], *, everyone: bool) -> None:
        for index, member in enumerate(members):
            if everyone or index % 3 == 0:
                position, reason = Agreement.Position.AGREES, ""
            elif index % 3 == 1 and member.person_id:
                position, reason = Agreement.Position.DISAGREES, self.rng.choice(p.DISAGREEMENTS)
            else:
                continue  # not yet asked
            planning.agreement_record(
                actor=worker,
                plan=plan,
                member=member,
                position=position,
                method=self.rng.choice(METHODS),
                reason=reason,
            )

    def progress(self, plan: Plan, worker: User) -> None:
        """Steps whose time has come are mostly done, some not done, some still open (overdue)."""
        for step in Step.objects.filter(goal__plan=plan).order_by("due_on", "id"):
            due = step.due_on or step.starts_on
            if due is None or due > self.today:
                if step.starts_on and step.starts_on <= self.today and self.rng.random() < 0.6:
                    planning.step_start(actor=worker, step=step)
                continue
            roll = self.rng.random()
            if roll < 0.72:
                done_on = max(min(due, self.today) - datetime.timedelta(days=self.rng.randint(0, 4)), plan.starts_on)
                result = self.result_for(step)
                planning.step_complete(actor=worker, step=step, result=result, on=done_on)
            elif roll < 0.8:
                planning.step_mark_not_done(actor=worker, step=step, result="The family could not make it; rebooked.")
        for goal in Goal.objects.filter(plan=plan, parent__isnull=False).prefetch_related("steps"):
            steps = list(goal.steps.all())
            if steps and all(s.status == Step.Status.DONE for s in steps):
                planning.goal_set_status(actor=worker, goal=goal, status=Goal.Status.ACHIEVED)
            elif any(s.status != Step.Status.PLANNED for s in steps):
                planning.goal_set_status(actor=worker, goal=goal, status=Goal.Status.IN_PROGRESS)

    def result_for(self, step: Step) -> str:
        for template in p.NEEDS:
            for intermediate in template.intermediates:
                for candidate in intermediate.steps:
                    if candidate.what == step.what:
                        return candidate.result
        return "Done as planned."

    def revise(self, plan: Plan, worker: User, members: list[TeamMember]) -> None:
        """A revision: a new draft with a changed step; some of the team have been consulted again."""
        revision = planning.plan_revise(actor=worker, plan=plan, note="Dad is back in contact; steps rescheduled.")
        open_step = Step.objects.filter(goal__plan=revision, status=Step.Status.PLANNED).order_by("due_on").first()
        if open_step is not None:
            new_due = max(self.today, open_step.due_on or self.today) + datetime.timedelta(days=21)
            with contextlib.suppress(ValidationError):  # a step starting after the new date keeps its date
                planning.step_update(actor=worker, step=open_step, data={"due_on": new_due})
        for member in members[: len(members) // 2]:
            planning.agreement_record(
                actor=worker, plan=revision, member=member, position=Agreement.Position.AGREES, method="phone"
            )

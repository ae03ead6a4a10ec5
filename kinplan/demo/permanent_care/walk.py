"""Walking each story's family through the permanent care services, one step at a time as the person who acts."""

from __future__ import annotations

from typing import Any

from kinplan.accounts.models import Organisation, User
from kinplan.demo import data as d
from kinplan.demo.permanent_care.approval import ApprovalSteps
from kinplan.demo.permanent_care.families import FamilySteps, add_kaupapa_maori_counselling, choose_case
from kinplan.demo.permanent_care.handover import HandOverSteps
from kinplan.demo.permanent_care.planning import PlanningSteps
from kinplan.demo.permanent_care.stories import PATHS, STORIES
from kinplan.permanent_care import services


def add_to_demo(ctx: Any) -> None:
    """Walk each story's family through the permanent care services (run once, after every family is built)."""
    support = Organisation.objects.get(name=d.SUPPORT_SERVICE)
    add_kaupapa_maori_counselling(ctx.directory, User.objects.get(username=d.ADMINISTRATOR))
    taken: set[int] = set()
    for story in STORIES:
        worker = User.objects.get(username=story.worker)
        case = choose_case(ctx, story, worker, support, taken)
        taken.add(case.pk)
        Walk(ctx, story, case, worker, support).run()


class Walk(FamilySteps, PlanningSteps, ApprovalSteps, HandOverSteps):
    """One family's story: its steps (PATHS) run in order, each through a service as the person who does it."""

    def run(self) -> None:
        self.household()
        self.custody_order()  # the child is in the chief executive's custody until the court discharges it
        self.arrangement = services.arrangement_start(
            actor=self.worker,
            case=self.case,
            data={
                "child": self.child,
                "caregiver": self.nan,
                "support_service": self.support,
                "intention_noted_on": self.noticed,
                "referral_notes": f"{self.nan.given_name} has cared for {self.child.given_name} since the custody "
                "order and wants to give a permanent home. The whānau hui supports it.",
            },
        )
        for step in PATHS[self.story.goal]:
            name, _, rung = step.partition(":")
            getattr(self, name)(*([int(rung)] if rung else []))
            self.arrangement.refresh_from_db()

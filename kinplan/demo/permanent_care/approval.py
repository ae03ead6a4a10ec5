"""Approval of the plan and the escalation ladder when the support service does not approve it."""

from __future__ import annotations

from decimal import Decimal

from kinplan.accounts.models import User
from kinplan.demo.permanent_care.base import WalkBase
from kinplan.demo.permanent_care.content import REFUSALS, RUNGS
from kinplan.meetings import services as meetings
from kinplan.meetings.models import Meeting
from kinplan.permanent_care import services
from kinplan.permanent_care.models import EscalationStep, SupportItem
from kinplan.permanent_care.selectors import live_items

Role = User.Role
Outcome = EscalationStep.Outcome


class ApprovalSteps(WalkBase):
    """The site manager signs off, the support manager approves or refuses, and the ladder's rungs are recorded."""

    def submit(self) -> None:
        services.submit_for_approval(actor=self.worker, arrangement=self.arrangement)

    def site_signs(self) -> None:
        services.approval_decide(
            actor=self.site_manager,
            arrangement=self.arrangement,
            decision="approved",
            comment="The uniform grant comes from the site's permanency budget.",
        )

    def approve(self) -> None:
        services.approval_decide(
            actor=self.manager, arrangement=self.arrangement, decision="approved", comment="Costs within our limits."
        )

    def respite_item(self) -> SupportItem:
        return live_items(self.arrangement).get(what__startswith="Respite care")

    def refuse(self) -> None:
        item = self.respite_item()
        comment = REFUSALS.format(what=item.what, qty=item.quantity.normalize(), unit=item.unit)
        services.approval_decide(
            actor=self.manager, arrangement=self.arrangement, decision="not_approved", comment=comment
        )

    def rung_actor(self, rung: int) -> User:
        if rung == 3:
            return User.objects.get(role=Role.SUPERVISOR, team_id=self.case.team_id)
        if rung == 5:
            return self.site_manager
        return self.worker

    def escalate(self, rung: int, outcome: str = Outcome.UNRESOLVED, summary: str = "") -> None:
        method, text = RUNGS[rung]
        services.escalation_record(
            actor=self.rung_actor(rung),
            arrangement=self.arrangement,
            rung=rung,
            data={
                "held_on": self.today,
                "method": method,
                "caseworker_involved": rung in (2, 3, 4),
                "outcome": outcome,
                "summary": summary or text.format(cw=self.caseworker.get_full_name(), carer=self.nan.given_name),
            },
        )

    def consult_booked(self) -> None:
        """The supervisor's case consult (rung 3) is in the diary."""
        day = self.days(self.rng.randint(2, 6))
        data = self.meeting_data(Meeting.Kind.CASE_CONSULT, day, 14) | {
            "place": "Supervisor's office and by phone",
            "purpose": "Escalation step 3: the supervisor's case consult on the respite nights the support service "
            "did not approve.",
        }
        meetings.meeting_schedule(actor=self.worker, case=self.case, data=data)

    def changes_agreed(self) -> None:
        summary = (
            f"Reconvened with {self.caseworker.get_full_name()} by conference call: respite reduced to 12 nights, "
            f"one weekend a month; {self.nan.given_name}'s sister covers the school holidays."
        )
        self.escalate(2, Outcome.RESOLVED_WITH_CHANGES, summary)

    def change_plan(self) -> None:
        item = self.respite_item()
        unit_cost = item.provider_service.unit_cost if item.provider_service else Decimal(120)
        services.item_update(
            actor=self.worker, item=item, data={"quantity": Decimal(12), "cost": Decimal(12) * unit_cost}
        )

    def follow_ups(self) -> None:
        """The changes are discussed with Nan first; the rest of the whānau are still to hear them."""
        for follow_up in self.arrangement.follow_ups.filter(person=self.nan)[:1]:
            services.follow_up_record(
                actor=self.worker,
                follow_up=follow_up,
                data={
                    "discussed_on": self.today,
                    "method": "in_person",
                    "note": f"{self.nan.given_name} is happy with 12 nights now her sister can help.",
                },
            )

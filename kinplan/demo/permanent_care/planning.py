"""From referral to ready for court: the reassessed needs, the discussion, the plan, its meeting and agreement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinplan.assessments import services as assessing
from kinplan.assessments.models import Assessment, Need
from kinplan.demo.permanent_care.base import WalkBase
from kinplan.demo.permanent_care.content import BELONGING, GPS, NEED_TITLES
from kinplan.meetings import services as meetings
from kinplan.meetings.models import Meeting, MeetingParticipant
from kinplan.permanent_care import services
from kinplan.permanent_care.models import Objective, SupportItem
from kinplan.providers.models import Provider, ProviderService

Item = SupportItem
Participation = MeetingParticipant.Participation


class PlanningSteps(WalkBase):
    """The worker refers, the support service allocates and discusses, and the whānau plan the supports."""

    # --- referral, allocation, discussion -------------------------------------------------------------------------

    def send(self) -> None:
        services.referral_send(actor=self.worker, arrangement=self.arrangement)

    def allocate(self) -> None:
        services.caseworker_allocate(actor=self.manager, arrangement=self.arrangement, caseworker=self.caseworker)

    def discuss(self) -> None:
        level = "attends_key" if self.caseworker_attends else "outcomes_only"
        services.discussion_record(
            actor=self.caseworker,
            arrangement=self.arrangement,
            data={
                "held_on": self.today,
                "method": self.rng.choice(["in_person", "phone", "video"]),
                "supports_discussed": f"Counselling for {self.child.given_name} with {self.counsellor}; respite for "
                f"{self.nan.given_name} with {self.iwi_provider}; staying close to family and culture; school costs.",
                "resources_and_costs": f"{self.counsellor} counselling is about $100 a session. The service funds "
                "respite up to 12 nights in the first year; the site usually covers uniforms.",
                "participation_level": level,
            },
        )

    # --- the permanency reassessment: the child's own needs, which the plan's objectives meet ---------------------

    def reassess(self) -> list[Need]:
        """A permanency reassessment: the child's own needs in Nan's care, which the plan's objectives meet."""
        w, child, nan = self.worker, self.child.given_name, self.nan.given_name
        latest = (
            self.case.assessments.filter(status=Assessment.Status.COMPLETED).order_by("-assessed_on", "-id").first()
        )
        on = min(max(self.noticed, latest.assessed_on if latest else self.case.opened_on), self.today)
        data = {
            "assessed_on": on,
            "current_situation": f"{child} has lived with {nan} since the custody order; {nan} intends to give "
            "a permanent home.",
            "strengths": f"{nan} is steady and loving, and the wider whānau are close by.",
        }
        assessment = assessing.assessment_create(actor=w, case=self.case, data=data, start_from=latest)
        if latest is None:
            assessing.risk_factor_set(
                actor=w,
                assessment=assessment,
                factor="child_development",
                rating="medium",
                evidence=f"{child} is behind at school after two changes of home this year.",
            )
        titles = [
            (f"{child}'s grief and loss after leaving home", f"{child} wakes at night and is angry after contact."),
            (NEED_TITLES[self.culture].format(child=child), f"{nan} wants {child} to know where they come from."),
            (
                f"A stable home with {nan}, who needs regular breaks",
                f"{nan} works part time and cares alone most days.",
            ),
            (f"{child} settles at school", "New uniform, stationery and a school that knows the story."),
        ]
        needs = [
            assessing.need_add(actor=w, assessment=assessment, data={"title": title, "detail": detail})
            for title, detail in titles
        ]
        assessing.assessment_update(
            actor=w,
            assessment=assessment,
            data={
                "overall_risk": "low",
                "risk_reasoning": f"{child} is safe and well cared for with {nan}; the needs are about the move and "
                "the years ahead.",
                "safety_decision": "safe",
            },
        )
        assessing.assessment_complete(actor=w, assessment=assessment)
        return needs

    # --- the plan -------------------------------------------------------------------------------------------------

    def offer(self, provider: Provider, *codes: str) -> ProviderService | None:
        offers = {
            o.service_type.code: o for o in provider.services.filter(is_active=True).select_related("service_type")
        }
        return next((offers[c] for c in codes if c in offers), None)

    def objective(self, need: Need, title: str) -> Objective:
        return services.objective_add(
            actor=self.worker, arrangement=self.arrangement, data={"need": need, "title": title}
        )

    def item(self, objective: Objective, **data: Any) -> SupportItem:
        return services.item_add(actor=self.worker, objective=objective, data=data)

    def set_dates(self) -> None:
        services.plan_set_dates(
            actor=self.worker,
            arrangement=self.arrangement,
            data={"starts_on": self.starts, "ends_on": self.ends, "review_on": self.review_on},
        )

    def counselling(self, objective: Objective) -> None:
        provider = self.counsellor
        already = self.rng.random() < 0.3
        maori = provider.kind == Provider.Kind.IWI and self.culture == "maori"
        kind = "Kaupapa Māori counselling" if maori else "Counselling"
        self.item(
            objective,
            what=f"{kind} for {self.child.given_name}",
            provider=provider,
            provider_service=self.offer(provider, "therapeutic"),
            quantity=Decimal(10),
            starts_on=self.days(-28 if already else 14, self.starts),
            due_on=self.days(180, self.starts),
            timeline="fortnightly",
            funder=Item.Funder.SUPPORT_SERVICE,
            started_before_discharge=already,
            caregiver_instructions=f"Sessions are after school on Tuesdays at {provider}; {self.nan.given_name} can "
            "come to the first and last. Ring them the day before if you cannot make it.",
        )

    def plan(self) -> None:
        child, nan = self.child.given_name, self.nan.given_name
        grief, whanau, respite, school = self.reassess()
        self.set_dates()
        self.counselling(self.objective(grief, f"{child} feels safe and settled, and can talk about what happened"))
        title, supports = BELONGING[self.culture]
        belonging = self.objective(whanau, title.format(child=child))
        for what, who, when, quantity, unit in supports:
            self.item(
                belonging,
                kind=Item.Kind.INFORMAL,
                what=what,
                provider_name=who.format(kin=self.koro_name or "Uncle"),
                timeline=when,
                quantity=Decimal(quantity),
                unit=unit,
                costs_money=False,
            )
        self.respite(self.objective(respite, f"{nan} has regular breaks so {child}'s home stays stable"))
        ready = self.objective(school, f"{child} has what they need for school")
        self.item(
            ready,
            kind=Item.Kind.FINANCIAL,
            what="School uniform, shoes and stationery",
            provider_name="The school's uniform shop",
            due_on=self.days(30, self.starts),
            quantity=Decimal(1),
            unit="item",
            costs_money=True,
            cost=Decimal("350"),
            funder=Item.Funder.SITE,
        )
        self.universal_services()

    def respite(self, objective: Objective) -> None:
        iwi = self.iwi_provider
        offer = self.offer(iwi, "respite_care", "in_home")
        nights = 24 if self.story.goal.startswith(("rung", "changes")) else 12
        self.item(
            objective,
            what=f"Respite care with {iwi.name}",
            provider=iwi,
            provider_service=offer,
            quantity=Decimal(nights),
            starts_on=self.days(30, self.starts),
            due_on=self.days(330, self.starts),
            timeline="one weekend a month",
            funder=Item.Funder.SUPPORT_SERVICE,
            caregiver_instructions="Book each weekend a fortnight ahead with the respite coordinator.",
        )
        workshops = self.ctx.directory.get("Kinship Carers Support")
        if workshops is not None:
            self.item(
                objective,
                what=f"Caregiver workshops for {self.nan.given_name}",
                provider=workshops,
                provider_service=self.offer(workshops, "kinship_care"),
                quantity=Decimal(3),
                starts_on=self.days(20, self.starts),
                due_on=self.days(120, self.starts),
                caregiver_instructions="Three Saturday mornings at the community hall.",
            )

    def universal_services(self) -> None:
        maori = self.culture == "maori"
        listed = [
            (f"GP: {GPS.get(self.region, GPS['Wellington'])}", "Enrolled; free visits for under-14s."),
            (
                "Working for Families and the Unsupported Child's Benefit",
                f"{self.nan.given_name} applies through Work and Income (0800 559 009); the caseworker can help.",
            ),
            ("Kura" if maori else "School", "Enrolled; the learning support coordinator knows the plan."),
        ]
        little = next((p for p in self.siblings if p.age is not None and p.age < 5), None)
        if little is not None:
            early = "Kōhanga reo" if maori else "Early childhood education"
            listed.append((f"{early} for {little.given_name}", "20 Hours ECE from age three; enrolled for mornings."))
        for name, how in listed:
            services.universal_service_add(
                actor=self.worker, arrangement=self.arrangement, data={"name": name, "how_to_access": how}
            )

    def plan_begun(self) -> None:
        """Planning under way: what stands before court shows (a support still to name, no universal services, the
        meeting next week, nobody asked to agree yet)."""
        grief, _, respite, _ = self.reassess()
        self.set_dates()
        self.counselling(self.objective(grief, f"{self.child.given_name} feels safe and settled"))
        self.objective(respite, f"{self.nan.given_name} has regular breaks")
        day = self.days(self.rng.randint(4, 9))
        meeting = meetings.meeting_schedule(
            actor=self.worker, case=self.case, data=self.meeting_data(Meeting.Kind.PERMANENT_CARE, day, 10)
        )
        meetings.participants_invite_team(actor=self.worker, meeting=meeting)
        meetings.participant_add(actor=self.worker, meeting=meeting, user=self.caseworker)

    # --- the planning meeting, agreement, ready for court ---------------------------------------------------------

    def meeting(self) -> None:
        w = self.worker
        meeting = meetings.meeting_schedule(
            actor=w, case=self.case, data=self.meeting_data(Meeting.Kind.PERMANENT_CARE, self.met_on, 10)
        )
        meetings.participants_invite_team(actor=w, meeting=meeting)
        way = Participation.ABSENT
        if self.caseworker_attends:
            way = self.rng.choice([Participation.IN_PERSON, Participation.PHONE])
        caseworker = meetings.participant_add(actor=w, meeting=meeting, user=self.caseworker, participation=way)
        for place in meeting.participants.filter(participation=Participation.NOT_RECORDED):
            way = Participation.IN_PERSON if self.rng.random() < 0.75 else Participation.PHONE
            meetings.participation_record(actor=w, participant=place, participation=way)
        explainer = self.caseworker if self.caseworker_attends else w
        meetings.support_role_record(actor=w, meeting=meeting, explained_by=explainer, explained_on=self.met_on)
        supports = " and ".join(what.lower() for what, *_ in BELONGING[self.culture][1])
        decisions = (
            f"Counselling with {self.counsellor} for {self.child.given_name}; respite one weekend a month "
            f"for {self.nan.given_name}; {supports}; the site covers the uniform. "
            f"{explainer.get_full_name()} explained how the support service administers and reviews the plan."
        )
        meetings.meeting_transition(actor=w, meeting=meeting, to=Meeting.Status.HELD, decisions=decisions)
        if not self.caseworker_attends:
            meetings.outcome_record(
                actor=w, participant=caseworker, method="email", sent_on=min(self.days(1, self.met_on), self.today)
            )

    def agree(self) -> None:
        for member in self.case.team_members.filter(archived_at__isnull=True, is_required=True):
            personal = member.user_id or member.person_id == self.nan.pk
            method = "in_person" if personal else self.rng.choice(["in_person", "phone", "in_writing"])
            services.agreement_record(
                actor=self.worker, arrangement=self.arrangement, member=member, position="agrees", method=method
            )

    def ready(self) -> None:
        services.mark_ready_for_court(
            actor=self.worker,
            arrangement=self.arrangement,
            court_step=f"Application to discharge the custody order (s101) and for a parenting order for "
            f"{self.nan.full_name} (Care of Children Act s48), filed at the {self.court}.",
            court_step_on=self.filed_on,
        )

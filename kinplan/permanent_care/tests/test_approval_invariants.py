"""The approval rounds and the escalation ladder over many random sequences of actions (hypothesis, stateful).

Whoever acts — the right managers or the wrong ones, approving or not, climbing the ladder at any rung with any
outcome, resubmitting, reopening — a manager decides at most once a round; only the site's manager signs off and only
the support service's manager approves; the ladder is climbed one rung at a time from the first, by the role each
rung belongs to; a determination ends its dispute (and a declined one closes the plan for good); a plan is approved
only with both approvals of its round or the national manager's determination; and a refused action changes nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from kinplan.accounts.models import Organisation, User
from kinplan.accounts.tests.factories import OrganisationFactory, UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.permanent_care import services
from kinplan.permanent_care.models import ApprovalDecision, EscalationStep, SupportArrangement
from kinplan.permanent_care.selectors import next_rung
from kinplan.permanent_care.tests.factories import Family, Staff, agree_all, arrangement_at, days

S = SupportArrangement.Status
Kind, Decision = ApprovalDecision.Kind, ApprovalDecision.Decision
Outcome = EscalationStep.Outcome
DETERMINATIONS = {Outcome.DETERMINED_APPROVED, Outcome.DETERMINED_WITH_CHANGES, Outcome.DETERMINED_DECLINED}
ACTORS = (
    "worker",
    "supervisor",
    "site_manager",
    "other_site_manager",
    "caseworker",
    "support_manager",
    "other_support_manager",
    "national_manager",
)
# Mostly the people whose turn it is, so that runs climb the ladder and reach the later rounds.
MANAGERS = st.sampled_from(["support_manager", "site_manager", *ACTORS])
DECISIONS = st.sampled_from([Decision.NOT_APPROVED, Decision.APPROVED, "maybe"])
COMMENTS = st.sampled_from(["Costs too high.", "", " "])
RUNGS = st.sampled_from([None, None, None, 0, 1, 2, 3, 4, 5, 6, 7])  # None: the next rung, as it should be
RUNG_HOLDER = {3: "supervisor", 5: "site_manager", 6: "national_manager"}  # the social worker has the others
OUTCOMES = st.sampled_from([Outcome.UNRESOLVED, Outcome.UNRESOLVED, *Outcome.values])


@pytest.fixture
def people(staff, other_site_manager) -> dict[str, User]:
    other_service = OrganisationFactory(name="Another Support Service", kind=Organisation.Kind.SUPPORT_SERVICE)
    other_support_manager = UserFactory(
        role=User.Role.SUPPORT_MANAGER, team=None, site=None, organisation=other_service
    )
    return {
        "worker": staff.worker,
        "supervisor": staff.supervisor,
        "site_manager": staff.site_manager,
        "other_site_manager": other_site_manager,
        "caseworker": staff.caseworker,
        "support_manager": staff.support_manager,
        "other_support_manager": other_support_manager,
        "national_manager": staff.national_manager,
    }


def state(arrangement: SupportArrangement) -> tuple[object, ...]:
    arrangement.refresh_from_db()
    return (
        arrangement.status,
        arrangement.approval_round,
        arrangement.agreement_round,
        arrangement.decisions.count(),
        arrangement.escalation_steps.count(),
        arrangement.transitions.count(),
        AuditEvent.objects.count(),
    )


def check_rules(arrangement: SupportArrangement) -> None:
    arrangement.refresh_from_db()
    case = arrangement.case
    decisions = list(arrangement.decisions.select_related("decided_by"))
    # one decision of each kind a round, by the manager whose decision it is
    kinds = [(d.round, d.kind) for d in decisions]
    assert len(kinds) == len(set(kinds)), f"two decisions of a kind in one round: {kinds}"
    for d in decisions:
        assert d.round <= arrangement.approval_round
        if d.kind == Kind.SITE_SIGN_OFF:
            assert (d.decided_by.role, d.decided_by.site_id) == (User.Role.SITE_MANAGER, case.site_id)
        else:
            assert d.decided_by.role == User.Role.SUPPORT_MANAGER
            assert d.decided_by.organisation_id == arrangement.support_service_id
    # the ladder: one rung at a time from the first, for a round the support-service manager did not approve
    steps = list(arrangement.escalation_steps.order_by("dispute", "id"))
    last_steps = {}
    for dispute, climbed in itertools.groupby(steps, key=lambda s: s.dispute):
        climbed = list(climbed)
        assert [s.rung for s in climbed] == list(range(1, len(climbed) + 1)), "a rung was skipped or repeated"
        assert all(s.outcome == Outcome.UNRESOLVED for s in climbed[:-1]), "the ladder went on after it ended"
        assert all((s.rung == 6) == (s.outcome in DETERMINATIONS) for s in climbed)
        assert any(
            d.round == dispute and d.kind == Kind.SUPPORT_SERVICE and d.decision == Decision.NOT_APPROVED
            for d in decisions
        ), "a ladder without a refusal to climb from"
        last_steps[dispute] = climbed[-1]
    if any(s.outcome == Outcome.DETERMINED_DECLINED for s in last_steps.values()):
        assert arrangement.status == S.CLOSED, "a declined determination is final"
    # approved only with both approvals of the round, or by the national manager's determination
    if arrangement.status == S.APPROVED:
        this_round = {d.kind: d.decision for d in decisions if d.round == arrangement.approval_round}
        determined = last_steps.get(arrangement.approval_round)
        assert this_round == {Kind.SITE_SIGN_OFF: Decision.APPROVED, Kind.SUPPORT_SERVICE: Decision.APPROVED} or (
            determined is not None
            and determined.outcome in (Outcome.DETERMINED_APPROVED, Outcome.DETERMINED_WITH_CHANGES)
        ), f"approved without its approvals: {this_round}, {determined and determined.outcome}"


class ApprovalMachine(RuleBasedStateMachine):
    """Actions on one plan that starts awaiting approval; the test binds `arrangement` and `people`."""

    arrangement: SupportArrangement
    people: dict[str, User]
    family: Family
    staff: Staff

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.atomic()  # each run starts from the same plan
        self.savepoint.__enter__()
        self.determined: set[int] = set()  # the rounds whose dispute a determination ended

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def attempt(self, name: str, action: Callable[[], object]) -> bool:
        """Run `action`; a refusal must change nothing. True if it was done."""
        before = state(self.arrangement)
        try:
            with transaction.atomic():
                action()
        except (ValidationError, PermissionDenied):
            assert state(self.arrangement) == before, f"a refused {name} changed something"
            return False
        return True

    def round(self) -> int:
        self.arrangement.refresh_from_db()
        return self.arrangement.approval_round

    @rule(who=MANAGERS, decision=DECISIONS, comment=COMMENTS)
    def decide(self, who: str, decision: str, comment: str) -> None:
        round_ = self.round()
        done = self.attempt(
            "decision",
            lambda: services.approval_decide(
                actor=self.people[who], arrangement=self.arrangement, decision=decision, comment=comment
            ),
        )
        assert not (done and round_ in self.determined), "a decision after the national manager's determination"

    @rule(
        rung=RUNGS,
        who=st.sampled_from([None, None, None, *ACTORS]),  # None: the person whose rung it is
        outcome=OUTCOMES,
        caseworker_involved=st.sampled_from([True, False]),
        method=st.sampled_from(["phone", "in_person", "smoke signals"]),
    )
    def escalate(self, rung: int | None, who: str | None, outcome: str, caseworker_involved: bool, method: str) -> None:
        round_ = self.round()
        rung = (next_rung(self.arrangement) or 1) if rung is None else rung
        who = who or RUNG_HOLDER.get(rung, "worker")
        data = {
            "held_on": timezone.localdate(),
            "method": method,
            "outcome": outcome,
            "caseworker_involved": caseworker_involved,
            "summary": "Discussed the costs.",
        }
        done = self.attempt(
            f"rung {rung}",
            lambda: services.escalation_record(
                actor=self.people[who], arrangement=self.arrangement, rung=rung, data=data
            ),
        )
        assert not (done and round_ in self.determined), "a rung after the national manager's determination"
        if done and outcome in DETERMINATIONS:
            self.determined.add(round_)

    @rule()
    def resubmit(self) -> None:
        """The social worker discusses the changes with everyone, gets the plan agreed again and resubmits it."""
        worker = self.people["worker"]
        discussed = {"discussed_on": timezone.localdate(), "method": "phone", "note": "Fine."}
        record = services.follow_up_record
        for follow_up in self.arrangement.follow_ups.filter(discussed_on__isnull=True):
            self.attempt("follow-up", lambda f=follow_up: record(actor=worker, follow_up=f, data=discussed))
        self.arrangement.refresh_from_db()
        if self.arrangement.status == S.PLANNING:
            agree_all(self.arrangement, self.family, self.staff)
        self.attempt(
            "ready for court",
            lambda: services.mark_ready_for_court(
                actor=worker, arrangement=self.arrangement, court_step="SGO applied for", court_step_on=days(-1)
            ),
        )
        self.attempt("submission", lambda: services.submit_for_approval(actor=worker, arrangement=self.arrangement))

    @rule(
        approve=st.booleans(),
        outcome=st.sampled_from([Outcome.UNRESOLVED] * 5 + Outcome.values),
        determination=st.sampled_from(sorted(DETERMINATIONS)),
    )
    def advance(self, approve: bool, outcome: str, determination: str) -> None:
        """The usual next move, so that runs reach refusals, the upper rungs and determinations."""
        status = self.arrangement.status if self.round() else None
        if status == S.AWAITING_APPROVAL:
            missing = {Kind.SITE_SIGN_OFF, Kind.SUPPORT_SERVICE} - set(
                self.arrangement.decisions.filter(round=self.arrangement.approval_round).values_list("kind", flat=True)
            )
            who = "support_manager" if Kind.SUPPORT_SERVICE in missing and not approve else "site_manager"
            who = "support_manager" if who == "site_manager" and Kind.SITE_SIGN_OFF not in missing else who
            decision = Decision.APPROVED if approve else Decision.NOT_APPROVED
            self.decide(who, decision, "Costs too high.")
        elif status == S.NOT_APPROVED:
            last_rung = next_rung(self.arrangement) == EscalationStep.Rung.NATIONAL_DETERMINATION
            self.escalate(None, None, determination if last_rung else outcome, True, "phone")
        elif status in (S.PLANNING, S.READY_FOR_COURT):
            self.resubmit()

    @rule(who=st.sampled_from(["worker", "worker", "caseworker"]))
    def reopen(self, who: str) -> None:
        self.attempt(
            "reopening",
            lambda: services.planning_reopen(
                actor=self.people[who], arrangement=self.arrangement, reason="Nan wants respite."
            ),
        )

    @invariant()
    def rules_hold(self) -> None:
        check_rules(self.arrangement)
        event(f"reached {self.arrangement.status}")
        step = self.arrangement.escalation_steps.order_by("-id").first()
        if step:
            event(f"rung {step.rung}: {step.outcome}")


def test_any_sequence_of_decisions_and_escalations_keeps_the_approval_rules(family, staff, people):
    # given a plan awaiting approval
    arrangement = arrangement_at(S.AWAITING_APPROVAL, family, staff)
    machine = type(
        "Machine",
        (ApprovalMachine,),
        {"arrangement": arrangement, "people": people, "family": family, "staff": staff},
    )
    # when anyone does anything, in any order; then the rules hold after every action
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=40,
            stateful_step_count=35,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


def climb_to_the_national_manager(arrangement: SupportArrangement, people: dict[str, User]) -> None:
    """Rungs 1 to 5, none resolving the dispute."""
    holders = {3: "supervisor", 5: "site_manager"}
    for rung in range(1, 6):
        data = {"held_on": timezone.localdate(), "method": "phone", "outcome": Outcome.UNRESOLVED}
        data |= {"caseworker_involved": True, "summary": "Talked it through; no agreement."}
        who = people[holders.get(rung, "worker")]
        services.escalation_record(actor=who, arrangement=arrangement, rung=rung, data=data)


@pytest.mark.parametrize(
    "determination, ends",
    [(Outcome.DETERMINED_APPROVED, S.APPROVED), (Outcome.DETERMINED_DECLINED, S.CLOSED)],
)
def test_the_national_managers_determination_is_final(family, staff, people, determination, ends):
    # given a plan the support-service manager did not approve, and a dispute no rung resolved
    arrangement = arrangement_at(S.NOT_APPROVED, family, staff)
    climb_to_the_national_manager(arrangement, people)
    # when the national manager determines it
    data = {"held_on": timezone.localdate(), "method": "in_writing", "outcome": determination}
    data |= {"summary": "My determination, with reasons."}
    services.escalation_record(actor=people["national_manager"], arrangement=arrangement, rung=6, data=data)
    arrangement.refresh_from_db()
    assert arrangement.status == ends
    before = state(arrangement)
    # then nobody can decide again, or climb further, in this dispute
    for who in ("site_manager", "support_manager"):
        with pytest.raises(ValidationError):
            services.approval_decide(
                actor=people[who], arrangement=arrangement, decision=Decision.NOT_APPROVED, comment="No."
            )
    for rung in (6, 1):
        with pytest.raises(ValidationError):
            services.escalation_record(actor=people["national_manager"], arrangement=arrangement, rung=rung, data=data)
    with pytest.raises(ValidationError):
        services.submit_for_approval(actor=people["worker"], arrangement=arrangement)
    assert state(arrangement) == before
    check_rules(arrangement)

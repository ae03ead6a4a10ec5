"""The referral state machine over many random sequences of moves (hypothesis).

Whatever a worker presses, in whatever order: the referral only ever reaches a status the table allows from
where it was; each move is logged in order; a refused move changes nothing; declined and withdrawn referrals
carry their reason; nothing is sent without current consent and the information; and once final, it stays.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory
from kinplan.referrals import services
from kinplan.referrals.models import ALLOWED_TRANSITIONS, Consent, Referral, ReferralTransition
from kinplan.referrals.tests.factories import ProviderServiceFactory

Status = Referral.Status
CONSENT = ("consent", None, None)
# Runs start from a referral at each stage of its life, so random tails explore every status.
OPENINGS = st.sampled_from(
    [
        [],
        [CONSENT],
        [CONSENT, ("move", Status.SENT, "")],
        [CONSENT, ("move", Status.SENT, ""), ("move", Status.ACKNOWLEDGED, "")],
        [CONSENT, ("move", Status.SENT, ""), ("move", Status.WAITLISTED, "")],
        [CONSENT, ("move", Status.SENT, ""), ("move", Status.ACCEPTED, ""), ("move", Status.STARTED, "")],
    ]
)
TAILS = st.lists(
    st.one_of(
        st.tuples(st.just("move"), st.sampled_from(Status.values), st.sampled_from(["", "They are full."])),
        st.tuples(st.just("advance"), st.none(), st.none()),
        st.just(CONSENT),
        st.tuples(st.just("clear_information"), st.none(), st.none()),
    ),
    max_size=12,
)
ACTIONS = st.tuples(OPENINGS, TAILS).map(lambda parts: parts[0] + parts[1])
# The usual next move, so that long runs reach the later statuses.
USUAL = {
    Status.DRAFTED: Status.SENT,
    Status.SENT: Status.ACKNOWLEDGED,
    Status.ACKNOWLEDGED: Status.ACCEPTED,
    Status.WAITLISTED: Status.ACCEPTED,
    Status.ACCEPTED: Status.STARTED,
    Status.STARTED: Status.COMPLETED,
}


def world_state(referral: Referral) -> tuple[object, ...]:
    referral.refresh_from_db()
    return (
        referral.status,
        referral.updated_at,
        ReferralTransition.objects.count(),
        Consent.objects.count(),
        AuditEvent.objects.count(),
    )


class TestReferralStateMachine(TestCase):
    @settings(max_examples=100, deadline=None)
    @given(actions=ACTIONS)
    def test_any_sequence_of_moves_only_reaches_statuses_the_table_allows(self, actions):
        worker = UserFactory()
        case = CaseFactory(worker=worker)
        person = ParticipantFactory(case=case).person
        offer = ProviderServiceFactory()
        referral = services.referral_create(
            actor=worker,
            case=case,
            data={
                "person": person,
                "provider": offer.provider,
                "provider_service": offer,
                "reason": "Support",
                "information_sent": "Name",
            },
        )
        for name, to, note in actions:
            before = world_state(referral)
            try:
                self.act(worker, referral, name, to, note)
            except ValidationError:
                assert world_state(referral) == before, f"a refused {name} {to or ''} changed something"
            self.check_invariants(referral)
        event(f"ended {Referral.objects.get(pk=referral.pk).status}")

    @staticmethod
    def act(worker, referral: Referral, name: str, to: str | None, note: str | None) -> None:
        if name == "move":
            services.referral_transition(actor=worker, referral=referral, to=to, note=note or "")
        elif name == "advance":
            status = Referral.objects.get(pk=referral.pk).status
            services.referral_transition(actor=worker, referral=referral, to=USUAL.get(status, Status.WITHDRAWN))
        elif name == "consent":
            today = timezone.localdate()
            services.consent_record(
                actor=worker,
                referral=referral,
                data={
                    "given_by": referral.person,
                    "shares": "Name and phone.",
                    "given_on": today,
                    "expires_on": today + datetime.timedelta(days=90),
                    "method": "verbal",
                },
            )
        elif name == "clear_information":
            services.referral_update(actor=worker, referral=referral, data={"information_sent": ""})

    @staticmethod
    def check_invariants(referral: Referral) -> None:
        referral.refresh_from_db()
        status = Status.DRAFTED
        for move in referral.transitions.order_by("at", "id"):
            assert move.from_status == status
            assert move.to_status in ALLOWED_TRANSITIONS[status], f"{status} → {move.to_status} is not allowed"
            status = move.to_status
            if move.to_status == Status.SENT:
                consent = referral.consents.filter(is_current=True).first()
                assert consent is not None and consent.covers(move.on), "sent without current consent"
        assert status == referral.status
        assert referral.status != Status.DECLINED or referral.decline_reason
        assert referral.status != Status.WITHDRAWN or referral.withdrawal_reason
        assert referral.sent_on is None or referral.information_sent
        assert referral.consents.filter(is_current=True).count() <= 1

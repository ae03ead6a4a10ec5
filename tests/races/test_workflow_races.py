"""Two people moving the same referral, meeting, court order, hearing or assessment at the same moment: one
decision, and the other a clean refusal — never two moves, never a server error."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kinplan.assessments import services as assessments
from kinplan.assessments.models import Assessment
from kinplan.assessments.tests.factories import AssessmentFactory, RiskFactorFactory
from kinplan.court import services as court
from kinplan.court.models import CourtOrder, Hearing, OrderTransition
from kinplan.court.services import hearings as hearing_services
from kinplan.court.services import orders as order_services
from kinplan.court.tests.factories import CourtOrderFactory, HearingFactory
from kinplan.meetings import services as meetings
from kinplan.meetings.models import Meeting, MeetingParticipant, MeetingTransition
from kinplan.meetings.services import meetings as meeting_services
from kinplan.meetings.tests.factories import MeetingFactory, MeetingParticipantFactory
from kinplan.referrals import services as referrals
from kinplan.referrals.models import Referral, ReferralTransition
from kinplan.referrals.services import transitions as referral_transitions
from kinplan.referrals.tests.factories import ProviderServiceFactory
from tests.races.helpers import RACE, at_once

pytestmark = RACE
TODAY = timezone.localdate()


def test_accepting_and_declining_a_referral_at_once_gives_one_answer(alice, supervisor, case, slow_history):
    # given a referral sent to the provider
    offer = ProviderServiceFactory()
    mother = case.participants.get(role="parent").person
    details = {"person": mother, "provider": offer.provider, "provider_service": offer}
    details |= {"reason": "Parenting support", "information_sent": "Name and phone."}
    referral = referrals.referral_create(actor=alice, case=case, data=details)
    consent = {"given_by": mother, "shares": "Name and phone.", "given_on": TODAY, "method": "verbal"}
    referrals.consent_record(actor=alice, referral=referral, data=consent | {"expires_on": TODAY.replace(year=2099)})
    referrals.referral_transition(actor=alice, referral=referral, to="sent")
    slow_history(referral_transitions)
    # when the provider's yes and no are recorded at the same moment
    outcome = at_once(
        lambda: referrals.referral_transition(
            actor=alice, referral=Referral.objects.get(pk=referral.pk), to="accepted"
        ),
        lambda: referrals.referral_transition(
            actor=supervisor, referral=Referral.objects.get(pk=referral.pk), to="declined", note="They are full."
        ),
    )
    # then one answer stands, and the log holds it once
    answer = outcome.once()
    referral.refresh_from_db()
    assert referral.status == answer.status
    assert ReferralTransition.objects.filter(referral=referral, from_status="sent").count() == 1


def test_two_people_recording_a_meeting_as_held_at_once_record_it_once(alice, supervisor, case, slow_history):
    # given a meeting that took place yesterday, with how everyone took part
    meeting = MeetingFactory(case=case, decisions="Tāmati stays with Nan.")
    MeetingParticipantFactory(meeting=meeting, participation=MeetingParticipant.Participation.IN_PERSON)
    slow_history(meeting_services)
    # when
    outcome = at_once(
        lambda: meetings.meeting_transition(actor=alice, meeting=Meeting.objects.get(pk=meeting.pk), to="held"),
        lambda: meetings.meeting_transition(actor=supervisor, meeting=Meeting.objects.get(pk=meeting.pk), to="held"),
    )
    # then
    outcome.once()
    assert MeetingTransition.objects.filter(meeting=meeting, to_status="held").count() == 1


def test_two_people_discharging_an_order_at_once_discharge_it_once(alice, supervisor, case, slow_history):
    # given
    order = CourtOrderFactory(case=case)
    slow_history(order_services)
    # when
    outcome = at_once(
        lambda: court.order_discharge(actor=alice, order=CourtOrder.objects.get(pk=order.pk), on=TODAY),
        lambda: court.order_discharge(
            actor=supervisor, order=CourtOrder.objects.get(pk=order.pk), on=TODAY - datetime.timedelta(days=1)
        ),
    )
    # then
    outcome.once()
    assert OrderTransition.objects.filter(order=order, to_status="discharged").count() == 1


def test_two_outcomes_for_one_hearing_at_once_record_one(alice, supervisor, case, slow_history):
    # given a hearing that took place today
    hearing = HearingFactory(case=case, date=TODAY)
    slow_history(hearing_services)
    # when one records it held and the other adjourned
    outcome = at_once(
        lambda: court.hearing_record_outcome(
            actor=alice, hearing=Hearing.objects.get(pk=hearing.pk), status="held", outcome="Orders continue."
        ),
        lambda: court.hearing_record_outcome(
            actor=supervisor,
            hearing=Hearing.objects.get(pk=hearing.pk),
            status="adjourned",
            outcome="The judge is away.",
            adjourned_to=TODAY + datetime.timedelta(days=14),
        ),
    )
    # then one outcome, and no second hearing from a losing adjournment
    recorded = outcome.once()
    hearing.refresh_from_db()
    assert hearing.status == recorded.status
    assert Hearing.objects.filter(case=case).count() == (2 if recorded.status == "adjourned" else 1)


def test_completing_an_assessment_twice_at_once_completes_it_once(alice, supervisor, case, slow_history):
    # given a draft with everything completion needs
    draft = AssessmentFactory(
        case=case,
        assessed_on=case.opened_on,
        overall_risk="medium",
        risk_reasoning="Nan is close by.",
        safety_decision="safe_with_plan",
    )
    RiskFactorFactory(assessment=draft)
    slow_history(assessments)
    # when
    outcome = at_once(
        lambda: assessments.assessment_complete(actor=alice, assessment=Assessment.objects.get(pk=draft.pk)),
        lambda: assessments.assessment_complete(actor=supervisor, assessment=Assessment.objects.get(pk=draft.pk)),
    )
    # then
    done = outcome.once()
    draft.refresh_from_db()
    assert (draft.status, draft.completed_by) == ("completed", done.completed_by)


def test_two_people_starting_an_assessment_at_once_start_one_draft(alice, supervisor, case, slow_history):
    # given
    slow_history(assessments)
    data = {"assessed_on": case.opened_on}
    # when
    outcome = at_once(
        lambda: assessments.assessment_create(actor=alice, case=case, data=data),
        lambda: assessments.assessment_create(actor=supervisor, case=case, data=data),
    )
    # then one draft; the other is told there is one already
    outcome.once()
    assert Assessment.objects.filter(case=case, status="draft").count() == 1

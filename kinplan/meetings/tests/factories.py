from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from kinplan.cases.models import TeamMember
from kinplan.cases.tests.factories import CaseFactory
from kinplan.meetings.models import Meeting, MeetingAction, MeetingParticipant


def hours_from_now(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planning meeting of a case, yesterday, still scheduled (so it may be recorded as held)."""

    class Meta:
        model = Meeting

    case = factory.SubFactory(CaseFactory)
    kind = Meeting.Kind.PLANNING
    starts_at = factory.LazyFunction(lambda: hours_from_now(-24))
    place = "The family home"
    purpose = "Plan the next three months with the whānau."
    created_by = factory.LazyAttribute(lambda m: m.case.worker)


class HeldMeetingFactory(MeetingFactory):
    status = Meeting.Status.HELD
    decisions = "Tāmati stays with Nan while Mum finishes the programme."


class MeetingParticipantFactory(factory.django.DjangoModelFactory):
    """Someone invited by name (pass team_member=, person= or user= with name="" for the others)."""

    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Guest {n}")
    role = TeamMember.Role.OTHER


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAction

    meeting = factory.SubFactory(HeldMeetingFactory)
    what = factory.Sequence(lambda n: f"Action {n}")
    who_name = "Te Whare Ora"

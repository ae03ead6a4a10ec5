"""Every rule of referrals, in the services: who may be referred, to whom and for what; consent; the lifecycle;
and what counts as waiting too long. Refusals name the field and change nothing; every change is in history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, Person, Relationship
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory, RelationshipFactory
from kinplan.core.errors import InvalidTransition
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory
from kinplan.providers.models import Provider, ProviderService
from kinplan.referrals import selectors, services
from kinplan.referrals.models import ALLOWED_TRANSITIONS, Consent, Referral, ReferralTransition
from kinplan.referrals.tests.conftest import TODAY, consent, days, draft
from kinplan.referrals.tests.factories import (
    ConsentFactory,
    ProviderFactory,
    ProviderServiceFactory,
    ReferralFactory,
    ServiceTypeFactory,
)

pytestmark = pytest.mark.django_db
Status = Referral.Status


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row a referral write could touch, with its last change, so a refusal that wrote anything shows."""
    return {
        "referrals": sorted(Referral.objects.values_list("pk", "updated_at", "status")),
        "consents": sorted(Consent.objects.values_list("pk", "updated_at", "is_current")),
        "transitions": sorted(ReferralTransition.objects.values_list("pk")),
        "history": sorted(AuditEvent.objects.values_list("pk")),
    }


def refused(call: Any) -> dict[str, list[str]]:
    """Run `call`, which must be refused, and return the messages by field."""
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# --- drafting a referral -----------------------------------------------------------------------------


def test_a_referral_is_drafted_with_its_service_type_taken_from_the_service_and_is_in_history(
    alice, case, mother, offer
):
    # when
    referral = draft(alice, case, mother, offer)
    # then
    assert (referral.status, referral.service_type, referral.status_on) == (Status.DRAFTED, offer.service_type, TODAY)
    event = AuditEvent.objects.get(event="referral.created")
    assert (event.case, event.actor, event.target_id) == (case, alice, str(referral.pk))
    assert event.changes["person"] == [None, "Hine Ngata"]
    assert event.changes["provider"] == [None, "Te Whare Ora"]
    assert event.changes["status"] == [None, "drafted"]


def test_a_referral_to_a_provider_without_a_listed_service_needs_the_kind_of_service(alice, case, mother, offer):
    # given
    before = state()
    # when / then
    errors = refused(lambda: draft(alice, case, mother, offer, provider_service=None))
    assert errors == {"service_type": ["Choose the kind of service the referral is for."]}
    assert state() == before
    # and with the kind given, it is drafted
    referral = draft(alice, case, mother, offer, provider_service=None, service_type=offer.service_type)
    assert referral.provider_service is None and referral.service_type == offer.service_type


def test_a_service_type_that_differs_from_the_chosen_service_is_refused(alice, case, mother, offer):
    other = ServiceTypeFactory(name="Budgeting")
    errors = refused(lambda: draft(alice, case, mother, offer, service_type=other))
    assert list(errors) == ["service_type"]


def test_everything_missing_is_said_at_once_by_field(alice, case, offer):
    errors = refused(
        lambda: services.referral_create(
            actor=alice, case=case, data={"person": None, "provider": None, "reason": "  "}
        )
    )
    assert errors == {
        "person": ["Choose the family member you are referring."],
        "provider": ["Choose the provider you are referring them to."],
        "reason": ["Say why you are referring them: what you hope the service will help with."],
    }


@pytest.mark.parametrize(
    "who, message",
    [
        ("stranger", "Choose someone who is part of this case."),
        ("removed", "Choose someone who is part of this case."),
        ("professional", "Professionals are not referred: choose a family member."),
    ],
)
def test_only_a_current_family_member_of_the_case_can_be_referred(alice, case, offer, who, message):
    # given
    if who == "stranger":
        person = ParticipantFactory(case=CaseFactory()).person
    else:
        role = Participant.Role.PROFESSIONAL if who == "professional" else Participant.Role.WHANAU
        participant = ParticipantFactory(case=case, role=role)
        if who == "removed":
            participant.archived_at = timezone.now()
            participant.save()
        person = participant.person
    before = state()
    # when / then
    assert refused(lambda: draft(alice, case, person, offer)) == {"person": [message]}
    assert state() == before


def test_an_inactive_provider_is_refused(alice, case, mother, offer):
    Provider.objects.filter(pk=offer.provider_id).update(is_active=False)
    offer.provider.refresh_from_db()
    errors = refused(lambda: draft(alice, case, mother, offer))
    assert errors == {"provider": ["Te Whare Ora is no longer active in the directory: choose another provider."]}


def test_a_case_refers_to_its_own_informal_supports_but_not_another_case_s(alice, case, mother, offer):
    # given
    nan = Provider.objects.create(name="Nan Mere", kind=Provider.Kind.INFORMAL, case=case)
    elsewhere = Provider.objects.create(name="Aunty Rose", kind=Provider.Kind.INFORMAL, case=CaseFactory())
    common = {"provider_service": None, "service_type": offer.service_type}
    # when / then
    referral = draft(alice, case, mother, offer, provider=nan, **common)
    assert referral.provider == nan
    errors = refused(lambda: draft(alice, case, mother, offer, provider=elsewhere, **common))
    assert errors == {"provider": ["Choose a provider from the directory or one of this case's informal supports."]}


def test_the_service_must_be_one_the_provider_offers_now(alice, case, mother, offer):
    # given
    someone_elses = ProviderServiceFactory()
    stopped = ProviderServiceFactory(provider=offer.provider, is_active=False, name="Old programme")
    # when / then
    assert refused(lambda: draft(alice, case, mother, someone_elses, provider=offer.provider)) == {
        "provider_service": ["Choose a service that Te Whare Ora offers."]
    }
    assert refused(lambda: draft(alice, case, mother, stopped)) == {
        "provider_service": ["Te Whare Ora no longer offers Old programme: choose another service."]
    }


def test_a_retired_service_type_is_refused(alice, case, mother, offer):
    retired = ServiceTypeFactory(is_active=False)
    errors = refused(lambda: draft(alice, case, mother, offer, provider_service=None, service_type=retired))
    assert errors == {"service_type": ["This service type is retired: choose a current one."]}


def test_the_plan_step_served_must_be_in_the_case_s_current_plan(alice, case, mother, offer):
    # given
    step = StepFactory(goal=GoalFactory(plan=PlanFactory(case=case)))
    old_plan = PlanFactory(case=case, is_current=False, version=2)
    old_step = StepFactory(goal=GoalFactory(plan=old_plan))
    other_case_step = StepFactory()
    # when / then
    assert draft(alice, case, mother, offer, step=step).step == step
    for wrong in (old_step, other_case_step):
        assert refused(lambda w=wrong: draft(alice, case, mother, offer, step=w)) == {
            "step": ["Choose a step of this case's current plan."]
        }


def test_a_closed_case_refers_no_one(alice, case, mother, offer):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_on=TODAY)
    case.refresh_from_db()
    assert refused(lambda: draft(alice, case, mother, offer)) == {
        "__all__": ["This case is closed: reopen it before referring anyone."]
    }


@pytest.mark.parametrize("who", ["bob", "national_manager", "support_caseworker"])
def test_only_those_who_may_change_the_case_refer(request, case, mother, offer, who):
    # given
    user: User = request.getfixturevalue(who)
    if who == "support_caseworker":
        Case.objects.filter(pk=case.pk).update(support_worker=user, support_service=user.organisation)
    before = state()
    # when / then
    with pytest.raises(PermissionDenied):
        draft(user, case, mother, offer)
    assert state() == before


@pytest.mark.parametrize("who", ["supervisor", "site_manager"])
def test_the_supervisor_and_site_manager_may_refer(request, case, mother, offer, who):
    assert draft(request.getfixturevalue(who), case, mother, offer).status == Status.DRAFTED


def test_a_drafted_referral_changes_with_its_before_and_after_in_history(alice, referral, offer):
    # given
    other = ProviderServiceFactory(provider__name="Barnardos", name="Family start", service_type__name="Budgeting")
    # when
    services.referral_update(
        actor=alice, referral=referral, data={"provider": other.provider, "provider_service": other}
    )
    # then
    referral.refresh_from_db()
    assert (referral.provider, referral.service_type) == (other.provider, other.service_type)
    event = AuditEvent.objects.get(event="referral.updated")
    assert event.changes["provider"] == ["Te Whare Ora", "Barnardos"]
    assert event.changes["service_type"] == [offer.service_type.name, "Budgeting"]
    assert event.changes["provider_service"] == [str(offer), str(other)]


def test_saving_a_referral_unchanged_writes_no_history(alice, referral):
    before = AuditEvent.objects.count()
    services.referral_update(actor=alice, referral=referral, data={"reason": referral.reason})
    assert AuditEvent.objects.count() == before


def test_a_sent_referral_no_longer_changes(alice, referral):
    # given
    services.referral_transition(actor=alice, referral=referral, to=Status.SENT)
    before = state()
    # when / then
    errors = refused(lambda: services.referral_update(actor=alice, referral=referral, data={"reason": "Other"}))
    assert errors == {"__all__": ["This referral is sent: the referral can only change before it is sent."]}
    assert state() == before


# --- consent ------------------------------------------------------------------------------------------


def test_the_person_referred_consents_and_it_is_in_history(alice, case, mother, offer):
    # given
    referral = draft(alice, case, mother, offer)
    # when
    given = consent(alice, referral, method="in_writing")
    # then
    assert (given.given_by, given.is_current, given.recorded_by) == (mother, True, alice)
    event = AuditEvent.objects.get(event="referral.consent.recorded")
    assert event.changes["given_by"] == [None, "Hine Ngata"]
    assert event.changes["method"] == [None, "in_writing"]


def test_replacing_consent_keeps_the_earlier_one_and_records_what_changed(alice, referral):
    # when
    services.consent_record(
        actor=alice,
        referral=referral,
        data={
            "given_by": referral.person,
            "shares": "Name only.",
            "given_on": TODAY,
            "expires_on": days(30),
            "method": "electronic",
        },
    )
    # then
    consents = list(referral.consents.order_by("pk"))
    assert [(c.is_current, c.shares) for c in consents] == [
        (False, "Name, phone and the reason."),
        (True, "Name only."),
    ]
    event = AuditEvent.objects.get(event="referral.consent.replaced")
    assert event.changes == {
        "shares": ["Name, phone and the reason.", "Name only."],
        "expires_on": [str(days(180)), str(days(30))],
        "method": ["verbal", "electronic"],
    }


def test_a_parent_or_caregiver_consents_for_a_child_but_whanau_without_that_role_do_not(
    alice, case, mother, child, offer
):
    # given a referral of the child; the mother is recorded as the child's mother
    RelationshipFactory(case=case, person=mother, child=child, kind=Relationship.Kind.MOTHER)
    carer = ParticipantFactory(case=case, role=Participant.Role.CAREGIVER).person
    uncle = ParticipantFactory(case=case, role=Participant.Role.WHANAU).person
    referral = draft(alice, case, child, offer)
    # when / then
    assert consent(alice, referral, given_by=mother).given_by == mother
    assert consent(alice, referral, given_by=carer).given_by == carer
    assert consent(alice, referral, given_by=child).given_by == child
    errors = refused(lambda: consent(alice, referral, given_by=uncle))
    assert errors == {
        "given_by": [f"Consent for {child} is given by them or by their parent, guardian or caregiver in this case."]
    }


def test_only_an_adult_themselves_consents_to_their_own_referral(alice, case, mother, child, offer):
    referral = draft(alice, case, mother, offer)
    assert refused(lambda: consent(alice, referral, given_by=child)) == {
        "given_by": ["Only Hine Ngata can consent to their own referral."]
    }


@pytest.mark.parametrize(
    "data, errors",
    [
        ({"given_on": days(1)}, {"given_on": ["Consent cannot be given on a day in the future."]}),
        ({"expires_on": TODAY}, {"expires_on": ["Consent must be valid until a day after it was given."]}),
        (
            {"given_on": days(-60), "expires_on": days(-1)},
            {"expires_on": ["This consent has already expired: record a current one."]},
        ),
        (
            {"given_on": None, "expires_on": None},
            {
                "given_on": ["Enter the day consent was given."],
                "expires_on": ["Enter the day the consent is valid until."],
            },
        ),
        ({"shares": " "}, {"shares": ["Say what may be shared with the provider."]}),
        ({"method": ""}, {"method": ["Choose how consent was given."]}),
        ({"given_by": None}, {"given_by": ["Choose who gave consent."]}),
    ],
    ids=[
        "given-in-the-future",
        "valid-only-one-day",
        "already-expired",
        "no-dates",
        "no-shares",
        "no-method",
        "no-one",
    ],
)
def test_consent_with_a_missing_or_impossible_detail_is_refused_and_nothing_is_saved(
    alice, case, mother, offer, data, errors
):
    # given
    referral = draft(alice, case, mother, offer)
    before = state()
    # when / then
    assert refused(lambda: consent(alice, referral, **data)) == errors
    assert state() == before


def test_consent_is_not_recorded_once_the_referral_is_sent(alice, referral):
    services.referral_transition(actor=alice, referral=referral, to=Status.SENT)
    before = state()
    assert refused(lambda: consent(alice, referral)) == {
        "__all__": ["This referral is sent: its consent can only change before it is sent."]
    }
    assert state() == before


def test_a_reader_of_the_case_cannot_record_consent(national_manager, alice, case, mother, offer):
    referral = draft(alice, case, mother, offer)
    with pytest.raises(PermissionDenied):
        consent(national_manager, referral)


# --- the lifecycle: every move the table allows, and every one it refuses ------------------------------

PATHS: dict[str, list[str]] = {
    Status.DRAFTED: [],
    Status.SENT: [Status.SENT],
    Status.ACKNOWLEDGED: [Status.SENT, Status.ACKNOWLEDGED],
    Status.WAITLISTED: [Status.SENT, Status.WAITLISTED],
    Status.ACCEPTED: [Status.SENT, Status.ACCEPTED],
    Status.DECLINED: [Status.SENT, Status.DECLINED],
    Status.STARTED: [Status.SENT, Status.ACCEPTED, Status.STARTED],
    Status.COMPLETED: [Status.SENT, Status.ACCEPTED, Status.STARTED, Status.COMPLETED],
    Status.WITHDRAWN: [Status.WITHDRAWN],
}
NOTE = {Status.DECLINED: "No places this term.", Status.WITHDRAWN: "Mum chose another provider."}
PAIRS = [(start, to) for start in Status.values for to in Status.values]


def move(actor: User, referral: Referral, to: str, **kwargs: Any) -> Referral:
    return services.referral_transition(actor=actor, referral=referral, to=to, note=NOTE.get(to, ""), **kwargs)


def walk(actor: User, referral: Referral, status: str) -> Referral:
    for to in PATHS[status]:
        referral = move(actor, referral, to)
    return referral


@pytest.mark.parametrize("start, to", PAIRS, ids=[f"{a}-to-{b}" for a, b in PAIRS])
def test_each_move_happens_exactly_when_the_table_allows_it(alice, referral, start, to):
    # given
    referral = walk(alice, referral, start)
    before = state()
    if to in ALLOWED_TRANSITIONS[start]:
        # when
        moved = move(alice, referral, to)
        # then it is recorded, with who, when, from and to, and in history
        last = moved.transitions.order_by("pk").last()
        assert (moved.status, moved.status_on) == (to, TODAY)
        assert (last.from_status, last.to_status, last.actor, last.on, last.note) == (
            start,
            to,
            alice,
            TODAY,
            NOTE.get(to, ""),
        )
        event = AuditEvent.objects.filter(event=f"referral.{to}").latest("pk")
        assert event.changes["status"] == [start, to]
    else:
        # when / then it is refused by name, and nothing changes
        with pytest.raises(InvalidTransition) as caught:
            move(alice, referral, to)
        assert list(caught.value.message_dict) == ["to"]
        assert state() == before


def test_a_refused_move_says_what_the_referral_can_become(alice, referral):
    with pytest.raises(InvalidTransition) as caught:
        move(alice, referral, Status.ACCEPTED)
    assert caught.value.message_dict == {
        "to": ["A referral that is drafted cannot become accepted; it can become sent or withdrawn."]
    }
    completed = walk(alice, referral, Status.COMPLETED)
    with pytest.raises(InvalidTransition) as caught:
        move(alice, completed, Status.WITHDRAWN)
    assert caught.value.message_dict == {"to": ["A referral that is completed cannot change any more."]}


def test_sending_without_consent_or_information_lists_everything_missing(alice, case, mother, offer):
    # given
    referral = draft(alice, case, mother, offer, information_sent="")
    before = state()
    # when / then
    with pytest.raises(InvalidTransition) as caught:
        move(alice, referral, Status.SENT)
    assert caught.value.message_dict == {
        "to": [
            "Before the referral can be sent: record the consent of the person referred (or of their parent or "
            "caregiver); fill in the information to send to the provider."
        ]
    }
    assert state() == before


def test_sending_is_refused_once_the_consent_has_expired(alice, case, mother, offer):
    # given consent given a year ago, which expired last week
    referral = draft(alice, case, mother, offer)
    ConsentFactory(referral=referral, given_by=mother, given_on=days(-365), expires_on=days(-7))
    # when / then
    with pytest.raises(InvalidTransition) as caught:
        move(alice, referral, Status.SENT)
    assert caught.value.messages == [
        f"Before the referral can be sent: the consent expired on {days(-7):%-d %b %Y}: record it again."
    ]
    # but it could be sent on a day the consent still covered
    assert move(alice, referral, Status.SENT, on=days(-8)).sent_on == days(-8)


def test_sending_on_a_day_before_consent_was_given_is_refused(alice, referral):
    with pytest.raises(InvalidTransition) as caught:
        move(alice, referral, Status.SENT, on=days(-3))
    assert caught.value.messages == [
        f"Before the referral can be sent: the consent was only given on {TODAY:%-d %b %Y}."
    ]


def test_consent_from_someone_who_no_longer_may_give_it_does_not_send_the_referral(alice, case, referral):
    # given the referral is now of the child's uncle, whom the mother's consent for herself does not cover
    uncle = ParticipantFactory(case=case, role=Participant.Role.WHANAU).person
    services.referral_update(actor=alice, referral=referral, data={"person": uncle})
    # when / then
    with pytest.raises(InvalidTransition) as caught:
        move(alice, referral, Status.SENT)
    assert caught.value.messages == [
        f"Before the referral can be sent: Hine Ngata cannot consent for {uncle}: record their consent again."
    ]


@pytest.mark.parametrize(
    "to, message, field",
    [
        (Status.DECLINED, "Say why the provider declined.", "decline_reason"),
        (Status.WITHDRAWN, "Say why the referral is withdrawn.", "withdrawal_reason"),
    ],
)
def test_declining_and_withdrawing_need_the_reason_which_is_kept(alice, referral, to, message, field):
    # given
    referral = move(alice, referral, Status.SENT)
    before = state()
    # when / then a move without a reason is refused
    with pytest.raises(InvalidTransition) as caught:
        services.referral_transition(actor=alice, referral=referral, to=to, note="  ")
    assert caught.value.message_dict == {"note": [message]}
    assert state() == before
    # and with one, the reason is kept on the referral
    moved = services.referral_transition(actor=alice, referral=referral, to=to, note="They are full.")
    assert getattr(moved, field) == "They are full."


def test_a_move_is_recorded_on_the_day_it_happened_but_never_in_the_future_or_before_the_last(alice, referral):
    # given it was sent five days ago
    referral = move(alice, referral, Status.SENT, on=days(0))
    referral = Referral.objects.get(pk=referral.pk)
    # when / then
    with pytest.raises(InvalidTransition) as caught:
        move(alice, referral, Status.ACKNOWLEDGED, on=days(1))
    assert caught.value.message_dict == {"on": ["This day is in the future: record the move once it has happened."]}
    with pytest.raises(InvalidTransition) as caught:
        move(alice, referral, Status.ACKNOWLEDGED, on=days(-1))
    assert caught.value.message_dict == {
        "on": [f"The referral became sent on {TODAY:%-d %b %Y}: it cannot become acknowledged before that."]
    }


def test_the_first_answer_is_remembered_when_a_waitlisted_referral_is_accepted(alice, case, mother, offer):
    # given a referral sent 30 days ago with consent from then
    referral = draft(alice, case, mother, offer)
    consent(alice, referral, given_on=days(-30))
    move(alice, referral, Status.SENT, on=days(-30))
    # when waitlisted, then accepted
    move(alice, referral, Status.WAITLISTED, on=days(-20))
    accepted = move(alice, referral, Status.ACCEPTED, on=days(-2))
    # then
    assert (accepted.sent_on, accepted.answered_on, accepted.status_on) == (days(-30), days(-20), days(-2))
    assert [(t.to_status, t.on) for t in accepted.transitions.all()] == [
        ("sent", days(-30)),
        ("waitlisted", days(-20)),
        ("accepted", days(-2)),
    ]


def test_a_reader_cannot_move_a_referral(national_manager, alice, referral):
    before = state()
    with pytest.raises(PermissionDenied):
        move(national_manager, referral, Status.SENT)
    assert state() == before


# --- waiting too long ------------------------------------------------------------------------------------


def sent_on(alice: User, case: Case, person: Person, offer: ProviderService, sent: int, *then: tuple[str, int]):
    """A referral sent `sent` days ago (consent from then), then moved to each (status, days ago)."""
    referral = draft(alice, case, person, offer)
    consent(alice, referral, given_on=days(-sent))
    referral = move(alice, referral, Status.SENT, on=days(-sent))
    for to, ago in then:
        referral = move(alice, referral, to, on=days(-ago))
    return referral


@pytest.mark.parametrize(
    "sent, then, too_long",
    [
        (10, (), False),
        (11, (), True),
        (11, ((Status.ACKNOWLEDGED, 5),), True),
        (9, ((Status.ACKNOWLEDGED, 5),), False),
        (60, ((Status.WAITLISTED, 42),), False),
        (60, ((Status.WAITLISTED, 43),), True),
        (60, ((Status.ACCEPTED, 50),), False),
        (60, ((Status.DECLINED, 50),), False),
    ],
    ids=[
        "sent-10-days",
        "sent-11-days",
        "acknowledged-no-answer",
        "acknowledged-recently-sent",
        "waitlisted-42",
        "waitlisted-43",
        "accepted",
        "declined",
    ],
)
def test_a_referral_waits_too_long_after_10_days_with_no_answer_or_42_on_a_waitlist(
    alice, case, mother, offer, sent, then, too_long
):
    # given
    referral = sent_on(alice, case, mother, offer, sent, *then)
    # then the model and the database agree
    assert referral.is_waiting_too_long(TODAY) is too_long
    flagged = Referral.objects.filter(selectors.waiting_too_long_filter(TODAY))
    assert flagged.filter(pk=referral.pk).exists() is too_long


def test_the_days_a_provider_has_to_answer_are_a_setting(settings, alice, case, mother, offer):
    # given
    settings.KINPLAN_REFERRAL_ANSWER_DAYS = 3
    # when
    referral = sent_on(alice, case, mother, offer, 4)
    # then
    assert referral.is_waiting_too_long(TODAY) and referral.days_waiting(TODAY) == 4
    assert Referral.objects.filter(selectors.waiting_too_long_filter(TODAY)).get() == referral


def test_a_drafted_referral_is_not_waiting(alice, referral):
    assert referral.days_waiting(TODAY) is None and not referral.is_waiting_too_long(TODAY)


# --- reads -----------------------------------------------------------------------------------------------


def test_the_information_draft_says_who_born_when_how_to_reach_them_and_why(alice, case, mother):
    # given
    mother.date_of_birth, mother.preferred_contact, mother.phone = datetime.date(1990, 3, 4), "text", "021 555 0101"
    mother.preferred_language = "te reo Māori"
    # when
    text = selectors.information_draft(person=mother, reason="Parenting support.", today=datetime.date(2026, 3, 3))
    # then
    assert text.splitlines() == [
        "Name: Hine Ngata",
        "Date of birth: 4 March 1990 (age 35)",
        "Preferred language: te reo Māori",
        "Contact: Text message, 021 555 0101",
        "Reason for referral: Parenting support.",
    ]


def test_the_case_s_referrals_are_read_in_the_same_queries_for_2_as_for_20(
    alice, case, mother, offer, django_assert_num_queries
):
    # given a service known by its type's name, not one of its own
    ProviderService.objects.filter(pk=offer.pk).update(name="")
    for _ in range(2):
        consent(alice, draft(alice, case, mother, offer))

    def shown() -> int:
        section = selectors.case_section(case=case)
        render_to_string("referrals/partials/_case_section.html", {**section, "case": case})
        return len(section["referrals"])

    with django_assert_num_queries(2):
        assert shown() == 2
    # when
    for _ in range(18):
        consent(alice, draft(alice, case, mother, offer))
    # then
    with django_assert_num_queries(2):
        assert shown() == 20


def test_referral_factories_make_a_consistent_referral():
    referral = ConsentFactory().referral
    assert referral.provider == referral.provider_service.provider
    assert referral.case.participants.filter(person=referral.person).exists()
    assert isinstance(ReferralFactory().provider, Provider) and ProviderFactory().is_active

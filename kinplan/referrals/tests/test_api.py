"""The referrals JSON API at /api/v1/: a referral drafted, consented to, sent and followed to its end; rules
refused with a 422 naming the field the client sent and nothing saved; the list across one's cases with its
"waiting too long" filter and keyset paging; and history on every write.

Who may call each endpoint is the access matrix's job (tests/access); these tests sign in as alice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Participant, Person
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory
from kinplan.planning.tests.factories import StepFactory
from kinplan.providers.models import ProviderService
from kinplan.referrals import selectors
from kinplan.referrals.models import Referral
from kinplan.referrals.tests.conftest import TODAY, consent, days, draft
from kinplan.referrals.tests.factories import ProviderServiceFactory, ServiceTypeFactory
from kinplan.referrals.tests.test_services import move, state

pytestmark = pytest.mark.django_db
API = "/api/v1"
Status = Referral.Status


@pytest.fixture
def api(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def call(client: Client, method: str, path: str, payload: Any = None) -> Any:
    kwargs: dict[str, Any] = {} if method == "GET" else {"content_type": "application/json"}
    if payload is not None:
        kwargs["data"] = payload
    return getattr(client, method.lower())(f"{API}{path}", **kwargs)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def field_errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Please correct the errors below."
    return body["errors"]


def history(event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event))


# --- a referral, from draft to completed -------------------------------------------------------------


def test_a_referral_is_drafted_consented_sent_and_followed_to_its_end_with_history_at_each_step(
    api, alice, case, mother, offer
):
    # when the worker drafts it without writing the information to send
    body = {"person_id": mother.pk, "provider_id": offer.provider_id, "provider_service_id": offer.pk}
    made = ok(call(api, "POST", f"/cases/{case.pk}/referrals", body | {"reason": "Parenting support."}), 201)
    # then it is a draft, its service type from the service, its information drafted from the case
    assert (made["status"], made["service_type_id"], made["service_label"]) == (
        "drafted",
        offer.service_type_id,
        offer.label,
    )
    assert made["information_sent"] == selectors.information_draft(person=mother, reason="Parenting support.")
    assert made["missing_before_sending"] == [
        "record the consent of the person referred (or of their parent or caregiver)"
    ]
    assert len(history("referral.created")) == 1
    # when the mother consents
    given = {
        "given_by_id": mother.pk,
        "shares": "Name and phone.",
        "given_on": str(days(-1)),
        "expires_on": str(days(90)),
        "method": "verbal",
    }
    recorded = ok(call(api, "POST", f"/referrals/{made['id']}/consent", given), 201)
    assert (recorded["given_by_name"], recorded["is_current"], recorded["expired"]) == ("Hine Ngata", True, False)
    assert len(history("referral.consent.recorded")) == 1
    # and it is sent yesterday, acknowledged, accepted, started and completed
    moves = [
        ("sent", str(days(-1))),
        ("acknowledged", None),
        ("accepted", None),
        ("started", None),
        ("completed", None),
    ]
    for to, on in moves:
        moved = ok(call(api, "POST", f"/referrals/{made['id']}/transition", {"to": to, "note": f"{to}!", "on": on}))
        assert moved["status"] == to
        assert len(history(f"referral.{to}")) == 1
    # then it reads back with its consent and every move
    full = ok(call(api, "GET", f"/referrals/{made['id']}"))
    assert (full["sent_on"], full["answered_on"], full["days_waiting"], full["waiting_too_long"]) == (
        str(days(-1)),
        str(TODAY),
        None,
        False,
    )
    assert full["consent"]["id"] == recorded["id"] and [c["id"] for c in full["consents"]] == [recorded["id"]]
    assert [(t["from_status"], t["to_status"], t["note"], t["actor"]) for t in full["transitions"]] == [
        ("drafted", "sent", "sent!", str(alice)),
        ("sent", "acknowledged", "acknowledged!", str(alice)),
        ("acknowledged", "accepted", "accepted!", str(alice)),
        ("accepted", "started", "started!", str(alice)),
        ("started", "completed", "completed!", str(alice)),
    ]
    assert full["transitions"][0]["on"] == str(days(-1))
    # and the case lists it
    assert [r["id"] for r in ok(call(api, "GET", f"/cases/{case.pk}/referrals"))] == [made["id"]]


def test_a_drafted_referral_is_changed_and_its_before_and_after_kept(api, referral):
    # given
    other = ProviderServiceFactory(provider__name="Barnardos")
    # when
    body = {"provider_id": other.provider_id, "provider_service_id": other.pk, "reason": "Budgeting."}
    changed = ok(call(api, "PATCH", f"/referrals/{referral.pk}", body))
    # then
    assert (changed["provider_name"], changed["reason"]) == ("Barnardos", "Budgeting.")
    [event] = history("referral.updated")
    assert event.changes["provider"] == ["Te Whare Ora", "Barnardos"]
    assert event.changes["reason"] == ["Parenting support while Mum is sober.", "Budgeting."]


def test_information_sent_explicitly_is_kept_as_written(api, case, mother, offer):
    body = {
        "person_id": mother.pk,
        "provider_id": offer.provider_id,
        "provider_service_id": offer.pk,
        "reason": "Support.",
        "information_sent": "Only her first name.",
    }
    assert ok(call(api, "POST", f"/cases/{case.pk}/referrals", body), 201)["information_sent"] == "Only her first name."


# --- refusals: a 422 naming the field the client sent, nothing saved --------------------------------------


@dataclass(frozen=True)
class Refusal:
    name: str
    method: str
    path: Callable[[Referral], str]
    payload: Callable[[Referral, dict[str, Any]], dict[str, Any]]
    errors: Callable[[Referral, dict[str, Any]], dict[str, list[str]]]
    given: Callable[[User, Referral], Any] = lambda alice, r: None

    def __str__(self) -> str:
        return self.name


def create(r: Referral) -> str:
    return f"/cases/{r.case_id}/referrals"


def base(r: Referral) -> dict[str, Any]:
    return {
        "person_id": r.person_id,
        "provider_id": r.provider_id,
        "provider_service_id": r.provider_service_id,
        "reason": "Support.",
    }


def consent_body(r: Referral) -> dict[str, Any]:
    return {
        "given_by_id": r.person_id,
        "shares": "Name.",
        "given_on": str(TODAY),
        "expires_on": str(days(30)),
        "method": "verbal",
    }


REFUSALS = [
    Refusal(
        "a person not in the case",
        "POST",
        create,
        lambda r, x: base(r) | {"person_id": x["stranger"]},
        lambda r, x: {"person_id": [f"No person with id {x['stranger']} in this case."]},
    ),
    Refusal(
        "a professional",
        "POST",
        create,
        lambda r, x: base(r) | {"person_id": x["professional"]},
        lambda r, x: {"person_id": ["Professionals are not referred: choose a family member."]},
    ),
    Refusal(
        "an unknown provider",
        "POST",
        create,
        lambda r, x: base(r) | {"provider_id": 99999},
        lambda r, x: {"provider_id": ["No provider with id 99999."]},
    ),
    Refusal(
        "another case's informal support",
        "POST",
        create,
        lambda r, x: (
            base(r) | {"provider_id": x["elsewhere"], "provider_service_id": None, "service_type_id": r.service_type_id}
        ),
        lambda r, x: {"provider_id": ["Choose a provider from the directory or one of this case's informal supports."]},
    ),
    Refusal(
        "another provider's service",
        "POST",
        create,
        lambda r, x: base(r) | {"provider_service_id": x["other_offer"]},
        lambda r, x: {"provider_service_id": [f"Choose a service that {r.provider} offers."]},
    ),
    Refusal(
        "no kind of service",
        "POST",
        create,
        lambda r, x: base(r) | {"provider_service_id": None},
        lambda r, x: {"service_type_id": ["Choose the kind of service the referral is for."]},
    ),
    Refusal(
        "a type that differs from the service's",
        "POST",
        create,
        lambda r, x: base(r) | {"service_type_id": x["other_type"]},
        lambda r, x: {
            "service_type_id": [f"The service chosen is {r.service_type}: leave the type out, or choose it."]
        },
    ),
    Refusal(
        "no reason",
        "POST",
        create,
        lambda r, x: base(r) | {"reason": " "},
        lambda r, x: {"reason": ["Say why you are referring them: what you hope the service will help with."]},
    ),
    Refusal(
        "a step of another case",
        "POST",
        create,
        lambda r, x: base(r) | {"step_id": x["other_step"]},
        lambda r, x: {"step_id": [f"No step with id {x['other_step']} in this case."]},
    ),
    Refusal(
        "a reason emptied",
        "PATCH",
        lambda r: f"/referrals/{r.pk}",
        lambda r, x: {"reason": None},
        lambda r, x: {"reason": ["Say why you are referring them: what you hope the service will help with."]},
    ),
    Refusal(
        "a change after sending",
        "PATCH",
        lambda r: f"/referrals/{r.pk}",
        lambda r, x: {"reason": "Other."},
        lambda r, x: {"__all__": ["This referral is sent: the referral can only change before it is sent."]},
        given=lambda alice, r: move(alice, r, Status.SENT),
    ),
    Refusal(
        "consent from someone who may not give it",
        "POST",
        lambda r: f"/referrals/{r.pk}/consent",
        lambda r, x: consent_body(r) | {"given_by_id": x["child"]},
        lambda r, x: {"given_by_id": ["Only Hine Ngata can consent to their own referral."]},
    ),
    Refusal(
        "consent given in the future",
        "POST",
        lambda r: f"/referrals/{r.pk}/consent",
        lambda r, x: consent_body(r) | {"given_on": str(days(1))},
        lambda r, x: {"given_on": ["Consent cannot be given on a day in the future."]},
    ),
    Refusal(
        "consent ending before it starts",
        "POST",
        lambda r: f"/referrals/{r.pk}/consent",
        lambda r, x: consent_body(r) | {"expires_on": str(TODAY)},
        lambda r, x: {"expires_on": ["Consent must be valid until a day after it was given."]},
    ),
    Refusal(
        "a move the table does not allow",
        "POST",
        lambda r: f"/referrals/{r.pk}/transition",
        lambda r, x: {"to": "completed"},
        lambda r, x: {"to": ["A referral that is drafted cannot become completed; it can become sent or withdrawn."]},
    ),
    Refusal(
        "sending without information",
        "POST",
        lambda r: f"/referrals/{r.pk}/transition",
        lambda r, x: {"to": "sent"},
        lambda r, x: {"to": ["Before the referral can be sent: fill in the information to send to the provider."]},
        given=lambda alice, r: Referral.objects.filter(pk=r.pk).update(information_sent=""),
    ),
    Refusal(
        "withdrawing without a reason",
        "POST",
        lambda r: f"/referrals/{r.pk}/transition",
        lambda r, x: {"to": "withdrawn", "note": ""},
        lambda r, x: {"note": ["Say why the referral is withdrawn."]},
    ),
    Refusal(
        "a move dated tomorrow",
        "POST",
        lambda r: f"/referrals/{r.pk}/transition",
        lambda r, x: {"to": "sent", "on": str(days(1))},
        lambda r, x: {"on": ["This day is in the future: record the move once it has happened."]},
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_a_refused_write_answers_422_naming_the_field_sent_and_saves_nothing(
    api, alice, case, child, referral, refusal
):
    # given
    refusal.given(alice, referral)
    elsewhere = CaseFactory()
    ids = {
        "stranger": ParticipantFactory(case=elsewhere).person_id,
        "professional": ParticipantFactory(case=case, role=Participant.Role.PROFESSIONAL).person_id,
        "elsewhere": type(referral.provider).objects.create(name="Aunty", kind="informal", case=elsewhere).pk,
        "other_offer": ProviderServiceFactory().pk,
        "other_type": ServiceTypeFactory().pk,
        "other_step": StepFactory().pk,
        "child": child.pk,
    }
    before = state()
    # when
    response = call(api, refusal.method, refusal.path(referral), refusal.payload(referral, ids))
    # then
    assert field_errors(response) == refusal.errors(referral, ids)
    assert state() == before


@pytest.mark.parametrize(
    "path, payload, field",
    [
        ("/transition", {"to": "nowhere"}, "to"),
        ("/transition", {"to": "sent", "on": "yesterday"}, "on"),
        (
            "/consent",
            {"given_by_id": "her", "given_on": "2026-01-01", "expires_on": "2026-02-01", "method": "verbal"},
            "given_by_id",
        ),
        (
            "/consent",
            {"given_by_id": 1, "given_on": "2026-01-01", "expires_on": "2026-02-01", "method": "telepathy"},
            "method",
        ),
    ],
)
def test_input_that_does_not_fit_the_schema_is_refused_naming_the_field(api, referral, path, payload, field):
    before = state()
    response = call(api, "POST", f"/referrals/{referral.pk}{path}", payload)
    assert response.status_code == 422
    assert field in {str(part) for error in response.json()["detail"] for part in error["loc"]}
    assert state() == before


def test_a_referral_of_a_case_you_may_not_see_is_a_404(client, charlie, referral):
    client.force_login(charlie)
    assert call(client, "GET", f"/referrals/{referral.pk}").status_code == 404
    assert call(client, "GET", "/referrals/99999").status_code == 404


# --- the list across one's cases: waiting too long, and paging ------------------------------------------------


def sent(worker: User, case: Case, person: Person, offer: ProviderService, days_ago: int) -> Referral:
    referral = draft(worker, case, person, offer)
    consent(worker, referral, given_on=days(-days_ago))
    return move(worker, referral, Status.SENT, on=days(-days_ago))


def test_the_list_filters_the_referrals_waiting_too_long_longest_waiting_first(api, alice, case, mother, offer):
    # given
    fresh = sent(alice, case, mother, offer, 3)
    late = sent(alice, case, mother, offer, 12)
    later = sent(alice, case, mother, offer, 30)
    waitlisted = move(alice, sent(alice, case, mother, offer, 90), Status.WAITLISTED, on=days(-50))
    draft(alice, case, mother, offer)
    # when
    everything = ok(call(api, "GET", "/referrals"))
    waiting = ok(call(api, "GET", "/referrals?waiting_too_long=true"))
    # then
    assert len(everything["items"]) == 5
    assert [(r["id"], r["waiting_too_long"], r["days_waiting"]) for r in waiting["items"]] == [
        (waitlisted.pk, True, 50),
        (later.pk, True, 30),
        (late.pk, True, 12),
    ]
    assert waiting["items"][0]["case_name"] == case.name and waiting["items"][0]["worker_name"] == str(alice)
    assert fresh.pk not in {r["id"] for r in waiting["items"]}
    assert [r["id"] for r in ok(call(api, "GET", "/referrals?status=waitlisted"))["items"]] == [waitlisted.pk]


def test_the_list_pages_by_keyset_without_gaps_or_repeats(api, alice, case, mother, offer):
    # given seven referrals, some sent on the same day
    made = [sent(alice, case, mother, offer, days_ago) for days_ago in (20, 15, 15, 15, 12, 11, 11)]
    # when
    seen, after, pages = [], 0, 0
    while True:
        page = ok(call(api, "GET", f"/referrals?waiting_too_long=true&limit=3&after={after}"))
        seen += [r["id"] for r in page["items"]]
        pages += 1
        if page["next_after"] is None:
            break
        after = page["next_after"]
    # then
    assert pages == 3 and seen == [r.pk for r in made]


def test_an_after_that_is_not_a_referral_you_may_see_is_refused_by_name(api, referral):
    assert field_errors(call(api, "GET", "/referrals?after=99999")) == {
        "after": ["Pass the next_after of the previous page."]
    }


def test_the_list_costs_the_same_queries_for_2_referrals_as_for_20(
    api, alice, case, mother, offer, django_assert_num_queries
):
    for n in range(2):
        sent(alice, case, mother, offer, n)
    with django_assert_num_queries(4):  # session, user, referrals with everything shown, their current consents
        assert len(ok(call(api, "GET", "/referrals"))["items"]) == 2
    for n in range(18):
        sent(alice, case, mother, ProviderServiceFactory(), n)
    with django_assert_num_queries(4):
        assert len(ok(call(api, "GET", "/referrals"))["items"]) == 20

"""The referral pages: the case section, drafting one (with the provider search and its cultural matches),
consent, the lifecycle buttons, and the list across one's cases with its highlight — what a bad form says and
leaves alone, the htmx pieces, and what the lists cost.

Who may open or change each page is the access matrix's job (tests/access); these tests sign in as alice, the
case's worker (or her supervisor for the team's list).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import escape

from kinplan.accounts.models import User
from kinplan.accounts.tests.factories import UserFactory
from kinplan.audit.models import AuditEvent
from kinplan.cases.models import Case, Iwi
from kinplan.cases.tests.factories import CaseFactory, ParticipantFactory
from kinplan.providers.models import ProviderService
from kinplan.referrals import selectors
from kinplan.referrals.models import Consent, Referral, ReferralTransition
from kinplan.referrals.tests.conftest import TODAY, consent, days, draft
from kinplan.referrals.tests.factories import ProviderFactory, ProviderServiceFactory
from kinplan.referrals.tests.test_services import move

pytestmark = pytest.mark.django_db
Status = Referral.Status


@pytest.fixture
def signed_in(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def url(name: str, referral: Referral | None = None, case: Case | None = None) -> str:
    if referral is not None:
        return reverse(f"referrals:{name}", args=[referral.case_id, referral.pk])
    return reverse(f"referrals:{name}", args=[case.pk])


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row a referral page could write, with its last change."""
    return {
        "referrals": sorted(Referral.objects.values_list("pk", "updated_at", "status")),
        "consents": sorted(Consent.objects.values_list("pk", "updated_at", "is_current")),
        "transitions": sorted(ReferralTransition.objects.values_list("pk")),
        "history": sorted(AuditEvent.objects.values_list("pk")),
    }


def text(response: Any) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def field_error(response: Any, field: str) -> list[str]:
    """The messages shown next to `field` (the `<id>_error` paragraphs a form renders)."""
    page = response.content.decode()
    return [unescape(m) for m in re.findall(rf'id="[a-z_]*{field}_error">(.*?)</p>', page)]


# --- the case page's Referrals section ------------------------------------------------------------------


def test_the_case_section_lists_each_referral_and_highlights_the_ones_waiting_too_long(
    signed_in, alice, case, mother, offer
):
    # given one referral sent 15 days ago with no answer, and one sent yesterday
    late = draft(alice, case, mother, offer)
    consent(alice, late, given_on=days(-15))
    move(alice, late, Status.SENT, on=days(-15))
    recent = draft(alice, case, mother, offer, reason="Budgeting")
    consent(alice, recent)
    move(alice, recent, Status.SENT)
    # when
    response = signed_in.get(reverse("cases:detail", args=[case.pk]))
    # then
    page = response.content.decode()
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page[page.index('id="referrals-h"') :], re.S)
    late_row = next(r for r in rows if url("detail", late) in r)
    recent_row = next(r for r in rows if url("detail", recent) in r)
    assert 'class="waiting-too-long"' in late_row and "15 days — too long" in late_row
    assert "waiting-too-long" not in recent_row and "0 days" in recent_row
    assert "1 referral waiting too long" in text(response)
    assert url("new", case=case) in page


def test_a_reader_of_the_case_sees_its_referrals_but_is_not_offered_to_refer(client, national_manager, alice, referral):
    client.force_login(national_manager)
    response = client.get(reverse("cases:detail", args=[referral.case_id]))
    page = response.content.decode()
    assert url("detail", referral) in page and url("new", case=referral.case) not in page


# --- drafting a referral -----------------------------------------------------------------------------------


def test_the_new_referral_page_offers_providers_with_their_cultural_match_first(signed_in, case, mother, offer):
    # given the mother affiliates to Ngāti Porou, as does one provider
    porou = Iwi.objects.get_or_create(name="Ngāti Porou")[0]
    mother.iwi.add(porou)
    matched = ProviderServiceFactory(provider__name="Whānau Ora Tairāwhiti", name="Navigator")
    matched.provider.iwi.add(porou)
    # when
    response = signed_in.get(url("new", case=case))
    # then
    page = text(response)
    assert response.status_code == 200
    assert page.index("Whānau Ora Tairāwhiti") < page.index("Te Whare Ora")
    assert "Cultural match: Ngāti Porou" in page
    assert f'value="service:{matched.pk}"' in response.content.decode()


def test_the_provider_search_narrows_the_choices(signed_in, case, offer):
    other = ProviderFactory(name="Barnardos")
    response = signed_in.get(url("new", case=case) + "?q=whare")
    page = response.content.decode()
    assert f'value="provider:{offer.provider_id}"' in page and f'value="provider:{other.pk}"' not in page


def test_a_referral_drafted_without_the_information_to_send_starts_from_the_draft_built_from_the_case(
    signed_in, alice, case, mother, offer
):
    # when
    response = signed_in.post(
        url("new", case=case),
        {"person": mother.pk, "offer": f"service:{offer.pk}", "reason": "Parenting support.", "information_sent": ""},
    )
    # then
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == url("detail", referral)
    assert (referral.person, referral.provider_service, referral.status) == (mother, offer, Status.DRAFTED)
    assert referral.information_sent == selectors.information_draft(person=mother, reason="Parenting support.")


def test_a_provider_without_a_listed_service_is_referred_to_for_the_kind_chosen(signed_in, case, mother, offer):
    response = signed_in.post(
        url("new", case=case),
        {
            "person": mother.pk,
            "offer": f"provider:{offer.provider_id}",
            "service_type": offer.service_type_id,
            "reason": "Counselling.",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().service_type == offer.service_type


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"reason": ""}, "reason", "Say why you are referring them: what you hope the service will help with."),
        ({"person": ""}, "person", "Choose the family member you are referring."),
        ({"offer": ""}, "offer", "Choose the provider you are referring them to."),
        ({"offer": "provider:99999"}, "offer", "Choose a provider from the list."),
        (
            {"offer": "provider:{provider}", "service_type": ""},
            "service_type",
            "Choose the kind of service the referral is for.",
        ),
        ({"offer": "service:{stopped}"}, "offer", "Te Whare Ora no longer offers Old: choose another service."),
        (
            {"person": "{professional}"},
            "person",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
    ids=["no-reason", "no-person", "no-provider", "unknown-provider", "no-kind", "stopped-service", "professional"],
)
def test_a_bad_referral_form_answers_400_with_the_message_by_the_field_and_writes_nothing(
    signed_in, case, mother, offer, data, field, message
):
    # given
    ids = {
        "provider": offer.provider_id,
        "stopped": ProviderServiceFactory(provider=offer.provider, name="Old", is_active=False).pk,
        "professional": ParticipantFactory(case=case, role="professional").person_id,
    }
    form = {"person": mother.pk, "offer": f"service:{offer.pk}", "reason": "Parenting support."}
    form |= {name: value.format(**ids) for name, value in data.items()}
    before = state()
    # when
    response = signed_in.post(url("new", case=case), form)
    # then
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert state() == before


def test_fill_in_a_draft_puts_the_draft_in_the_form_and_saves_nothing(signed_in, case, mother, offer):
    # given
    before = state()
    form = {"person": mother.pk, "offer": f"service:{offer.pk}", "reason": "Budgeting.", "action": "draft"}
    # when
    response = signed_in.post(url("new", case=case), form)
    # then the whole form comes back, the chosen provider still chosen, with the draft to check
    assert response.status_code == 200
    expected = selectors.information_draft(person=mother, reason="Budgeting.")
    assert escape(expected) in response.content.decode()
    assert f'value="service:{offer.pk}" checked' in response.content.decode()
    assert state() == before
    # and with htmx, only the information field comes back
    partial = signed_in.post(url("new", case=case), form, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and partial.content.decode().lstrip().startswith('<div id="information">')
    assert escape(expected) in partial.content.decode()


def test_fill_in_a_draft_asks_who_is_referred_first(signed_in, case, offer):
    response = signed_in.post(url("new", case=case), {"action": "draft", "reason": "x"}, headers={"HX-Request": "true"})
    assert "Choose who you are referring, then fill in the draft." in response.content.decode()


def test_a_drafted_referral_is_changed_from_its_page(signed_in, alice, referral, mother, offer):
    # given
    other = ProviderServiceFactory(provider__name="Barnardos")
    # when
    form = {"person": mother.pk, "offer": f"service:{other.pk}", "reason": "Budgeting.", "information_sent": "Name."}
    response = signed_in.post(url("change", referral), form)
    # then
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.provider, referral.reason, referral.information_sent) == (other.provider, "Budgeting.", "Name.")
    assert AuditEvent.objects.filter(event="referral.updated").exists()


def test_the_change_page_keeps_the_current_provider_chosen_even_if_it_left_the_directory(signed_in, referral, offer):
    type(offer.provider).objects.filter(pk=offer.provider_id).update(is_active=False)
    response = signed_in.get(url("change", referral))
    assert f'value="service:{offer.pk}" checked' in response.content.decode()


def test_a_sent_referral_cannot_be_changed_and_the_page_says_so(signed_in, alice, referral, mother, offer):
    # given
    move(alice, referral, Status.SENT)
    before = state()
    # when
    form = {"person": mother.pk, "offer": f"service:{offer.pk}", "reason": "Other."}
    response = signed_in.post(url("change", referral), form)
    # then
    assert response.status_code == 400
    assert "This referral has been sent: it can no longer change." in text(response)
    assert "This referral is sent: the referral can only change before it is sent." in text(response)
    assert state() == before


# --- the referral page: consent and the lifecycle -------------------------------------------------------------


def test_the_referral_page_shows_what_sending_still_needs_and_offers_only_the_moves_the_table_allows(
    signed_in, alice, case, mother, offer
):
    # given
    referral = draft(alice, case, mother, offer, information_sent="")
    # when
    response = signed_in.get(url("detail", referral))
    # then
    page = text(response)
    assert "Before it can be sent:" in page
    assert "Record the consent of the person referred" in page and "Fill in the information to send" in page
    buttons = re.findall(r'<button type="submit" name="to" value="(\w+)"', response.content.decode())
    assert buttons == ["sent", "withdrawn"]


def test_consent_is_recorded_from_the_referral_page(signed_in, alice, case, mother, offer):
    # given
    referral = draft(alice, case, mother, offer)
    form = {
        "given_by": mother.pk,
        "shares": "Name and phone.",
        "given_on": TODAY.isoformat(),
        "expires_on": days(90).isoformat(),
        "method": "in_writing",
    }
    # when
    response = signed_in.post(url("consent", referral), form)
    # then
    assert response.status_code == 302 and response.url == url("detail", referral) + "#consent"
    given = referral.consents.get()
    assert (given.given_by, given.method, given.expires_on) == (mother, "in_writing", days(90))


def test_bad_consent_answers_400_by_the_field_and_saves_nothing(signed_in, alice, case, mother, child, offer):
    # given
    referral = draft(alice, case, mother, offer)
    before = state()
    form = {"given_by": child.pk, "shares": "", "given_on": days(2).isoformat(), "expires_on": "", "method": "verbal"}
    # when
    response = signed_in.post(url("consent", referral), form)
    # then
    assert response.status_code == 400
    assert field_error(response, "given_by") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert state() == before
    # when only the dates and what may be shared are wrong, the service says so by each field
    response = signed_in.post(url("consent", referral), form | {"given_by": mother.pk})
    assert response.status_code == 400
    assert field_error(response, "given_on") == ["Consent cannot be given on a day in the future."]
    assert field_error(response, "expires_on") == ["Enter the day the consent is valid until."]
    assert field_error(response, "shares") == ["Say what may be shared with the provider."]
    assert state() == before


def test_with_htmx_the_consent_section_changes_in_place(signed_in, alice, case, mother, offer):
    # given
    referral = draft(alice, case, mother, offer)
    form = {"given_by": mother.pk, "shares": "Name.", "given_on": TODAY.isoformat(), "method": "verbal"}
    htmx = {"HX-Request": "true"}
    # when it is refused, then saved
    refused = signed_in.post(url("consent", referral), form, headers=htmx)
    saved = signed_in.post(url("consent", referral), form | {"expires_on": days(30).isoformat()}, headers=htmx)
    # then
    assert refused.status_code == 400 and refused.content.decode().startswith('<section class="consent')
    assert "Enter the day the consent is valid until." in refused.content.decode()
    assert saved.status_code == 200 and "Consent recorded." in saved.content.decode()
    assert "Replace the consent" in saved.content.decode()
    assert referral.consents.get().shares == "Name."


def test_sending_from_the_page_moves_the_referral_and_lists_the_move(signed_in, alice, referral):
    # when
    response = signed_in.post(url("move", referral), {"to": "sent", "note": "Emailed", "on": TODAY.isoformat()})
    # then
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.sent_on) == (Status.SENT, TODAY)
    page = signed_in.get(url("detail", referral))
    history = text(page)[text(page).index("Its history") :]
    assert "Drafted Sent Emailed" in history


@pytest.mark.parametrize(
    "form, message",
    [
        ({"to": "accepted"}, "A referral that is drafted cannot become accepted; it can become sent or withdrawn."),
        ({"to": "withdrawn", "note": ""}, "Say why the referral is withdrawn."),
        ({"to": "sent", "on": "tomorrow"}, "Choose one of the moves offered, and a valid day."),
        ({"to": "nowhere"}, "Choose one of the moves offered, and a valid day."),
    ],
    ids=["not-in-the-table", "no-reason", "bad-day", "unknown-status"],
)
def test_a_refused_move_answers_400_with_the_reason_and_changes_nothing(signed_in, referral, form, message):
    before = state()
    response = signed_in.post(url("move", referral), form)
    assert response.status_code == 400
    assert message in text(response)
    assert state() == before


def test_sending_without_consent_says_what_is_missing(signed_in, alice, case, mother, offer):
    referral = draft(alice, case, mother, offer)
    response = signed_in.post(url("move", referral), {"to": "sent"})
    assert response.status_code == 400
    assert "Before the referral can be sent: record the consent of the person referred" in text(response)


def test_the_referral_page_reads_in_norwegian_for_a_user_who_chose_it(signed_in, alice, referral):
    # given alice reads Kinplan in Norwegian Bokmål, and the referral has been sent
    alice.language = "nb"
    alice.save(update_fields=["language"])
    move(alice, referral, Status.SENT)
    # when
    response = signed_in.get(url("detail", referral))
    # then the page, its dates, its price and its moves are Norwegian
    page = text(response)
    assert "Henvisning av Hine Ngata til Te Whare Ora" in page and "Historikk" in page
    with translation.override("nb"):
        since = formats.date_format(TODAY, "DATE_FORMAT")  # e.g. "3. mars 2025"
    assert f"siden {since}" in page
    assert "$60,00 per økt" in page and "Tilbyderen har akseptert" in page
    assert "Before it can be sent" not in page and "Its history" not in page
    # and a refused move says why in Norwegian
    refused = signed_in.post(url("move", referral), {"to": "completed"})
    assert refused.status_code == 400
    assert "En henvisning med status «sendt» kan ikke få status «fullført»" in text(refused)


def test_the_referral_page_shows_a_price_and_dates_in_new_zealand_english(signed_in, alice, referral):
    move(alice, referral, Status.SENT)
    page = text(signed_in.get(url("detail", referral)))
    assert "$60.00 a session" in page
    assert f"since {TODAY:%-d %b %Y}" in page


# --- the referrals list -----------------------------------------------------------------------------------------


def sent_referral(worker: User, days_ago: int, offer: ProviderService, **case_fields: Any) -> Referral:
    """A referral in a new case of `worker`'s, sent `days_ago` days ago and not answered."""
    case = CaseFactory(worker=worker, **case_fields)
    person = ParticipantFactory(case=case).person
    referral = draft(worker, case, person, offer)
    consent(worker, referral, given_on=days(-days_ago))
    return move(worker, referral, Status.SENT, on=days(-days_ago))


def list_rows(response: Any) -> list[str]:
    page = response.content.decode()
    return re.findall(r"<tr[^>]*>.*?</tr>", page[page.index("<tbody>") :], re.S)


def test_the_list_puts_the_referrals_waiting_too_long_first_and_highlights_them(signed_in, alice, offer):
    # given
    recent = sent_referral(alice, 2, offer)
    late = sent_referral(alice, 20, offer)
    quiet = CaseFactory(worker=alice)
    draft(alice, quiet, ParticipantFactory(case=quiet).person, offer)  # drafted: not waiting
    # when
    response = signed_in.get(reverse("referrals:list"))
    # then
    rows = list_rows(response)
    assert [r.pk for r in response.context["page"].object_list][:2] == [late.pk, recent.pk]
    assert 'class="waiting-too-long"' in rows[0] and "20 days — too long" in rows[0]
    assert "waiting-too-long" not in rows[1]


def test_the_waiting_filter_shows_only_the_referrals_waiting_too_long(signed_in, alice, offer):
    sent_referral(alice, 2, offer)
    late = sent_referral(alice, 20, offer)
    response = signed_in.get(reverse("referrals:list") + "?show=waiting")
    assert [r.pk for r in response.context["page"].object_list] == [late.pk]


def test_ended_referrals_leave_the_list_unless_all_are_asked_for(signed_in, alice, offer):
    done = sent_referral(alice, 30, offer)
    move(alice, done, Status.DECLINED, on=days(-20))
    assert list(signed_in.get(reverse("referrals:list")).context["page"].object_list) == []
    assert [r.pk for r in signed_in.get(reverse("referrals:list") + "?show=all").context["page"].object_list] == [
        done.pk
    ]


def test_a_supervisor_sees_the_team_s_referrals_and_can_switch_to_their_own(client, supervisor, alice, offer):
    # given
    mine = sent_referral(supervisor, 3, offer)
    alices = sent_referral(alice, 4, offer)
    sent_referral(UserFactory(), 5, offer)  # another team's
    client.force_login(supervisor)
    # when / then
    team = client.get(reverse("referrals:list"))
    assert {r.pk for r in team.context["page"].object_list} == {mine.pk, alices.pk}
    assert "My team's referrals" in text(team)
    own = client.get(reverse("referrals:list") + "?scope=mine")
    assert [r.pk for r in own.context["page"].object_list] == [mine.pk]


LIST_QUERIES = 6  # session, user, count, referrals (with case, worker, person, provider, service), consents


def test_the_list_costs_the_same_queries_for_2_referrals_as_for_20(signed_in, alice, offer, django_assert_num_queries):
    # given
    for n in range(2):
        sent_referral(alice, n * 7, offer)
    with django_assert_num_queries(LIST_QUERIES):
        response = signed_in.get(reverse("referrals:list"))
    assert len(response.context["page"].object_list) == 2
    # when
    for n in range(18):
        sent_referral(alice, n, ProviderServiceFactory())
    # then
    with django_assert_num_queries(LIST_QUERIES):
        response = signed_in.get(reverse("referrals:list"))
    assert len(response.context["page"].object_list) == 20


def test_someone_with_no_caseload_sees_an_empty_list(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("referrals:list"))
    assert response.status_code == 200 and "No referrals yet. The social worker refers the family" in text(response)
    assert reverse("providers:directory") not in text(response).split("No referrals yet.")[1]

"""The permanent care pages: what waits for each role, who sees which form, what a refusal says and leaves alone,
and the path from referral to hand-over through the forms."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.permanent_care import services
from kinplan.permanent_care.models import (
    ApprovalDecision,
    ArrangementTransition,
    EscalationStep,
    Objective,
    SupportArrangement,
    SupportItem,
)
from kinplan.permanent_care.tests.factories import (
    arrangement_at,
    discharge,
    family_for_permanent_care,
    good_item,
    planning_meeting,
)
from kinplan.permanent_care.tests.factories import days as _days

pytestmark = pytest.mark.django_db

S = SupportArrangement.Status
TODAY = timezone.localdate().isoformat()


def url(name: str, a: SupportArrangement, *args: Any) -> str:
    return reverse(f"permanent_care:{name}", args=[a.case_id, a.pk, *args])


def text(html: str | bytes) -> str:
    """What a reader sees: no styles or tags, entities read, whitespace squeezed."""
    html = html.decode() if isinstance(html, bytes) else html
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]*>", " ", html))).strip()


def page(client: Client, user: User, a: SupportArrangement) -> str:
    client.force_login(user)
    response = client.get(url("arrangement", a))
    assert response.status_code == 200
    return response.content.decode()


def actions(html: str) -> list[str]:
    """The permanent care endpoints the page has a form for."""
    return re.findall(r'<form method="post" action="[^"]*/permanent-care/\d+/([^"]*)"', html)


def waiting(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("permanent_care:waiting"))
    assert response.status_code == 200
    return text(response.content)


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row a permanent care form could write, so a refusal that wrote anything shows up."""
    return {
        "arrangements": sorted(SupportArrangement.objects.values_list("pk", "status", "updated_at")),
        "transitions": sorted(ArrangementTransition.objects.values_list("pk")),
        "objectives": sorted(Objective.objects.values_list("pk", "updated_at")),
        "items": sorted(SupportItem.objects.values_list("pk", "updated_at")),
        "decisions": sorted(ApprovalDecision.objects.values_list("pk")),
        "steps": sorted(EscalationStep.objects.values_list("pk")),
        "audit": sorted(AuditEvent.objects.values_list("pk")),
    }


def unresolved(rung: int, **extra: Any) -> dict[str, Any]:
    return {
        "held_on": timezone.localdate(),
        "method": "phone",
        "outcome": "unresolved",
        "summary": f"Step {rung}: no agreement on the counselling costs.",
        "caseworker_involved": True,
    } | extra


def climb_to(a: SupportArrangement, staff, rung: int) -> SupportArrangement:
    """Record every rung before `rung` as unresolved, each by the role it belongs to."""
    who = {1: staff.worker, 2: staff.worker, 3: staff.supervisor, 4: staff.worker, 5: staff.site_manager}
    for step in range(1, rung):
        services.escalation_record(actor=who[step], arrangement=a, rung=step, data=unresolved(step))
    a.refresh_from_db()
    return a


# --- what waits for whom ------------------------------------------------------------------------------


class TestTheWaitingPage:
    def test_the_social_worker_sees_their_draft_referral_with_its_case(self, client, staff, family):
        # given
        a = arrangement_at(S.REFERRAL_DRAFT, family, staff)
        # when
        seen = waiting(client, staff.worker)
        # then
        assert "Waiting for you Plan Case Status What waits Aroha Ngata" in seen
        assert "Check the referral pack and send it to the support service" in seen
        assert family.case.reference in seen
        client.force_login(staff.worker)
        html = client.get(reverse("permanent_care:waiting")).content.decode()
        assert url("arrangement", a) in html

    def test_the_support_service_sees_a_referral_to_allocate_and_the_caseworker_a_discussion(
        self, client, staff, family
    ):
        a = arrangement_at(S.REFERRED, family, staff)
        assert "Allocate a caseworker to this referral" in waiting(client, staff.support_manager)
        assert "Allocate a caseworker to this referral" in waiting(client, staff.caseworker)
        services.caseworker_allocate(actor=staff.support_manager, arrangement=a, caseworker=staff.caseworker)
        assert "Record your discussion of possible supports" in waiting(client, staff.caseworker)

    def test_the_support_manager_and_the_site_manager_see_a_plan_to_approve_and_sign_off(self, client, staff, family):
        arrangement_at(S.AWAITING_APPROVAL, family, staff)
        assert "Approve the plan's content and costs" in waiting(client, staff.support_manager)
        site = waiting(client, staff.site_manager)
        assert "Sign off the items the site resources" in site
        assert "Approve the plan's content" not in site

    def test_the_supervisor_sees_the_case_consult_at_rung_3(self, client, staff, family):
        # given rungs 1 and 2 did not resolve the dispute
        climb_to(arrangement_at(S.NOT_APPROVED, family, staff), staff, 3)
        # then
        assert "Escalation step 3: Supervisor's case consult" in waiting(client, staff.supervisor)
        assert "Escalation step" not in waiting(client, staff.worker)

    def test_the_national_manager_sees_the_final_determination_at_rung_6(self, client, staff, family):
        climb_to(arrangement_at(S.NOT_APPROVED, family, staff), staff, 6)
        assert "Escalation step 6: National manager's final determination" in waiting(client, staff.national_manager)

    def test_with_nothing_waiting_the_page_says_what_to_do_next(self, client, bob, staff):
        seen = waiting(client, bob)
        assert "Nothing waits for you" in seen
        assert "Start a permanent care support plan" in seen
        assert "No permanent care support plans in the cases you can see" in seen

    def test_it_costs_the_same_queries_for_one_plan_as_for_two(self, client, staff, family):
        arrangement_at(S.AWAITING_APPROVAL, family, staff)
        client.force_login(staff.support_manager)
        path = reverse("permanent_care:waiting")
        with CaptureQueriesContext(connection) as one:
            client.get(path)
        arrangement_at(S.REFERRED, family_for_permanent_care(staff.worker), staff)
        with CaptureQueriesContext(connection) as two:
            seen = text(client.get(path).content)
        assert "Approve the plan's content and costs" in seen and "Allocate a caseworker" in seen
        assert len(two) == len(one)

    def test_every_signed_in_page_links_to_it(self, client, alice):
        client.force_login(alice)
        html = client.get(reverse("permanent_care:waiting")).content.decode()
        assert f'href="{reverse("permanent_care:waiting")}"' in html
        assert ">Permanent care</a>" in html


# --- the case page and starting a plan ------------------------------------------------------------------


class TestStarting:
    def test_the_case_page_offers_to_start_a_plan_to_its_editors_only(self, client, staff, family):
        client.force_login(staff.worker)
        seen = text(client.get(reverse("cases:detail", args=[family.case.pk])).content)
        assert "Start a permanent care support plan" in seen
        client.force_login(staff.national_manager)
        seen = text(client.get(reverse("cases:detail", args=[family.case.pk])).content)
        assert "No permanent care support plan." in seen
        assert "Start a permanent care support plan" not in seen

    def test_the_case_page_shows_the_plan_and_its_status(self, client, staff, family):
        a = arrangement_at(S.REFERRED, family, staff)
        client.force_login(staff.worker)
        html = client.get(reverse("cases:detail", args=[family.case.pk])).content.decode()
        assert url("arrangement", a) in html
        assert "Referred — waiting for a caseworker" in text(html)

    def test_a_bad_start_says_why_and_starts_nothing(self, client, staff, family):
        client.force_login(staff.worker)
        data = {"child": family.child.pk, "caregiver": family.caregiver.pk, "support_service": staff.support_service.pk}
        response = client.post(
            reverse("permanent_care:start", args=[family.case.pk]), data | {"intention_noted_on": "2999-01-01"}
        )
        assert response.status_code == 400
        assert "This date cannot be in the future." in text(response.content)
        assert not SupportArrangement.objects.exists()

    def test_only_the_case_editors_may_start(self, client, staff, family):
        client.force_login(staff.national_manager)
        assert client.get(reverse("permanent_care:start", args=[family.case.pk])).status_code == 403


# --- who sees what ------------------------------------------------------------------------------------


class TestWhoSeesWhat:
    def test_an_outsider_gets_404_on_the_page_and_its_forms(self, client, charlie, staff, family):
        a = arrangement_at(S.PLANNING, family, staff)
        client.force_login(charlie)
        assert client.get(url("arrangement", a)).status_code == 404
        assert client.post(url("withdraw", a), {"reason": "x"}).status_code == 404
        assert client.get(url("letter", a)).status_code == 404

    def test_the_national_manager_reads_the_plan_without_a_single_form(self, client, staff, family):
        a = arrangement_at(S.PLANNING, family, staff)
        html = page(client, staff.national_manager, a)
        assert actions(html) == []
        assert "Before the plan is ready for court" in text(html)

    def test_the_social_worker_leads_planning(self, client, staff, family):
        a = arrangement_at(S.PLANNING, family, staff)
        shown = actions(page(client, staff.worker, a))
        assert {"dates/", "objectives/", "universal-services/", "agreement/", "ready-for-court/", "withdraw/"} <= set(
            shown
        )
        assert "decide/" not in shown

    def test_the_caseworker_sees_no_approval_and_the_support_manager_decides(self, client, staff, family):
        a = arrangement_at(S.AWAITING_APPROVAL, family, staff)
        assert actions(page(client, staff.caseworker, a)) == []
        assert "decide/" in actions(page(client, staff.support_manager, a))
        assert "Your sign-off (site manager)" in text(page(client, staff.site_manager, a))

    def test_the_review_form_is_for_the_reviewer_alone(self, client, staff, family):
        a = arrangement_at(S.IN_PLACE, family, staff)
        assert "review/" in actions(page(client, staff.caseworker, a))
        assert "review/" not in actions(page(client, staff.support_manager, a))
        assert "review/" not in actions(page(client, staff.worker, a))

    def test_the_plan_shows_its_supports_costs_and_site_sign_off(self, client, staff, family):
        a = arrangement_at(S.APPROVED, family, staff)
        seen = text(page(client, staff.worker, a))
        assert "Trauma counselling for Aroha Service Te Whare Awhina" in seen
        assert "10 session $1,200.00 The support service" in seen
        assert "Informal support Rawiri Ngata (uncle) Every second weekend 12 visit No cost" in seen
        assert "The support service $1,200.00" in seen
        assert "Site manager's sign-off: Approved by" in seen
        assert "Reviewer " + str(staff.caseworker) in seen


# --- refusals: the message, and nothing written -----------------------------------------------------------


class TestRefusals:
    def test_a_support_naming_no_provider_is_refused_as_a_contingency(self, client, staff, family):
        # given
        a = arrangement_at(S.PLANNING, family, staff)
        services.plan_set_dates(
            actor=staff.worker,
            arrangement=a,
            data={"starts_on": _days(30), "ends_on": _days(360), "review_on": _days(200)},
        )
        objective = services.objective_add(
            actor=staff.worker, arrangement=a, data={"need": family.needs[0], "title": "Aroha feels safe"}
        )
        before = state()
        client.force_login(staff.worker)
        # when
        response = client.post(
            url("item_add", a, objective.pk),
            {"kind": "service", "what": "Counselling if needed", "quantity": "6", "costs_money": "false"},
        )
        # then
        assert response.status_code == 400
        seen = text(response.content)
        assert "This is a contingency arrangement, so it cannot be in the plan" in seen
        assert "It names no one" in seen
        assert state() == before

    def test_dates_for_a_13_month_plan_are_refused(self, client, staff, family):
        a = arrangement_at(S.PLANNING, family, staff)
        before = state()
        client.force_login(staff.worker)
        response = client.post(
            url("dates_set", a),
            {
                "starts_on": _days(30).isoformat(),
                "ends_on": _days(430).isoformat(),
                "review_on": _days(200).isoformat(),
            },
        )
        assert response.status_code == 400
        assert "covers at most the first 12 months after discharge" in text(response.content)
        assert state() == before

    def test_a_review_after_the_plan_ends_is_refused(self, client, staff, family):
        a = arrangement_at(S.PLANNING, family, staff)
        before = state()
        client.force_login(staff.worker)
        response = client.post(
            url("dates_set", a),
            {
                "starts_on": _days(30).isoformat(),
                "ends_on": _days(300).isoformat(),
                "review_on": _days(320).isoformat(),
            },
        )
        assert response.status_code == 400
        assert "The review date must fall inside the plan's span" in text(response.content)
        assert state() == before

    def test_a_referral_with_gaps_lists_them_before_the_button_and_is_not_sent(self, client, staff, family):
        # given the caregiver has no phone or email
        family.caregiver.phone = ""
        family.caregiver.save()
        a = arrangement_at(S.REFERRAL_DRAFT, family, staff)
        html = page(client, staff.worker, a)
        gap = "A phone number or email for the caregiver (Mere Ngata)."
        assert text(html).index(gap) < text(html).index("Send referral")
        assert re.search(r'<button type="submit" class="primary" disabled[^>]*>Send referral</button>', html)
        before = state()
        # when it is posted anyway
        response = client.post(url("referral_send", a))
        # then
        assert response.status_code == 400
        seen = text(response.content)
        assert "Record these details in the case before sending the referral:" in seen
        assert gap in seen
        assert state() == before

    def test_approving_before_everyone_agrees_is_refused_with_why(self, client, staff, family):
        a = arrangement_at(S.PLANNING, family, staff)
        before = state()
        client.force_login(staff.support_manager)
        response = client.post(url("decide", a), {"decision": "approved"})
        assert response.status_code == 400
        assert "it can be approved only once everyone has agreed it" in text(response.content)
        assert state() == before

    def test_a_social_worker_cannot_approve(self, client, staff, family):
        a = arrangement_at(S.AWAITING_APPROVAL, family, staff)
        client.force_login(staff.worker)
        assert client.post(url("decide", a), {"decision": "approved"}).status_code == 403

    def test_sending_before_the_orders_are_discharged_is_refused_with_why(self, client, staff, family):
        a = arrangement_at(S.APPROVED, family, staff)
        before = state()
        client.force_login(staff.worker)
        response = client.post(url("send", a))
        assert response.status_code == 400
        assert "The chief executive's orders have not been discharged" in text(response.content)
        assert state() == before

    def test_sending_before_approval_is_refused_with_why(self, client, staff, family):
        a = arrangement_at(S.READY_FOR_COURT, family, staff)
        client.force_login(staff.worker)
        response = client.post(url("send", a))
        assert response.status_code == 400
        assert "it is sent to the support service only once the site manager has signed it off" in text(
            response.content
        )

    def test_withdrawing_needs_a_reason(self, client, staff, family):
        a = arrangement_at(S.PLANNING, family, staff)
        client.force_login(staff.worker)
        assert client.post(url("withdraw", a), {"reason": ""}).status_code == 400
        response = client.post(url("withdraw", a), {"reason": "Nan is moving overseas."})
        assert response.status_code == 302
        a.refresh_from_db()
        assert a.status == S.WITHDRAWN


# --- the escalation ladder ----------------------------------------------------------------------------------


class TestTheLadder:
    def test_all_six_rungs_show_in_order_with_the_form_for_the_next_only(self, client, staff, family):
        a = climb_to(arrangement_at(S.NOT_APPROVED, family, staff), staff, 2)
        html = page(client, staff.worker, a)
        seen = text(html)
        labels = [str(label) for _, label in EscalationStep.Rung.choices]
        positions = [seen.index(label) for label in labels]
        assert positions == sorted(positions)
        assert "Step 1: no agreement on the counselling costs." in seen
        assert actions(html).count("escalation/2/") == 1
        assert "escalation/1/" not in actions(html) and "escalation/3/" not in actions(html)
        assert 'value="resolved_unchanged"' in html and 'value="determined_approved"' not in html

    def test_rung_3_is_the_supervisors_and_recorded_through_the_form(self, client, staff, family):
        a = climb_to(arrangement_at(S.NOT_APPROVED, family, staff), staff, 3)
        assert "escalation/3/" not in actions(page(client, staff.worker, a))
        body = {"held_on": TODAY, "method": "in_person", "outcome": "unresolved", "summary": "Consult held."}
        client.force_login(staff.worker)
        assert client.post(url("rung_record", a, 3), body).status_code == 403
        client.force_login(staff.supervisor)
        response = client.post(url("rung_record", a, 3), body)
        assert response.status_code == 302
        assert response["Location"].endswith("#escalation")
        assert a.escalation_steps.filter(rung=3, recorded_by=staff.supervisor).exists()

    def test_the_national_manager_chooses_among_the_three_determinations(self, client, staff, family):
        a = climb_to(arrangement_at(S.NOT_APPROVED, family, staff), staff, 6)
        html = page(client, staff.national_manager, a)
        assert actions(html) == ["escalation/6/"]
        outcomes = re.findall(r'name="outcome" value="([a-z_]+)"', html)
        assert outcomes == ["determined_approved", "determined_with_changes", "determined_declined"]

    def test_changes_from_the_ladder_are_discussed_with_each_participant(self, client, staff, family):
        a = arrangement_at(S.NOT_APPROVED, family, staff)
        services.escalation_record(
            actor=staff.worker, arrangement=a, rung=1, data=unresolved(1, outcome="resolved_with_changes")
        )
        follow_up = a.follow_ups.first()
        client.force_login(staff.worker)
        response = client.post(
            url("follow_up_record", a, follow_up.pk), {"discussed_on": TODAY, "method": "phone", "note": "Fine."}
        )
        assert response.status_code == 302
        follow_up.refresh_from_db()
        assert follow_up.is_done


# --- the path through the forms --------------------------------------------------------------------------


def post(client: Client, user: User, path: str, data: dict[str, Any] | None = None) -> None:
    client.force_login(user)
    response = client.post(path, data or {})
    assert response.status_code == 302, text(response.content)[:2000]


def test_a_plan_goes_from_referral_to_hand_over_through_the_forms(client, staff, family):
    # the social worker starts the plan and sends the referral
    client.force_login(staff.worker)
    start = {
        "child": family.child.pk,
        "caregiver": family.caregiver.pk,
        "support_service": staff.support_service.pk,
        "intention_noted_on": _days(-20).isoformat(),
    }
    response = client.post(reverse("permanent_care:start", args=[family.case.pk]), start)
    a = SupportArrangement.objects.get()
    assert response["Location"] == url("arrangement", a) + "#referral"
    post(client, staff.worker, url("referral_send", a))
    # the support manager allocates; the caseworker records the discussion
    post(client, staff.support_manager, url("allocate", a), {"caseworker": staff.caseworker.pk})
    discussion = {
        "held_on": TODAY,
        "method": "phone",
        "supports_discussed": "Counselling; marae visits.",
        "participation_level": "attends_key",
    }
    post(client, staff.caseworker, url("discussion_add", a), discussion)
    a.refresh_from_db()
    assert (a.status, a.caseworker, a.reviewer) == (S.PLANNING, staff.caseworker, staff.caseworker)
    # the social worker builds the plan
    dates = {"starts_on": _days(30), "ends_on": _days(360), "review_on": _days(200)}
    post(client, staff.worker, url("dates_set", a), {k: v.isoformat() for k, v in dates.items()})
    post(client, staff.worker, url("objective_add", a), {"need": family.needs[0].pk, "title": "Aroha feels safe"})
    objective = a.objectives.get()
    item = good_item(family)
    item |= {"provider": family.provider.pk, "provider_service": family.offer.pk, "costs_money": "true"}
    item |= {"starts_on": item["starts_on"].isoformat(), "due_on": item["due_on"].isoformat()}
    post(client, staff.worker, url("item_add", a, objective.pk), item)
    post(client, staff.worker, url("universal_add", a), {"name": "Porirua Health GP"})
    planning_meeting(family, staff)
    for member in family.members:
        post(
            client,
            staff.worker,
            url("agreement_add", a),
            {"member": member.pk, "position": "agrees", "method": "in_person"},
        )
    court = {"court_step": "Special guardianship order applied for", "court_step_on": TODAY}
    post(client, staff.worker, url("ready_for_court", a), court)
    post(client, staff.worker, url("submit", a))
    # both managers approve; the orders are discharged; the plan is sent and the letter recorded
    post(client, staff.site_manager, url("decide", a), {"decision": "approved"})
    post(client, staff.support_manager, url("decide", a), {"decision": "approved"})
    discharge(family, staff)
    post(client, staff.worker, url("send", a))
    client.force_login(staff.caseworker)
    assert client.get(url("letter", a))["Content-Type"] == "application/pdf"
    post(client, staff.caseworker, url("letter_sent", a), {"sent_on": TODAY, "method": "post"})
    a.refresh_from_db()
    assert a.status == S.IN_PLACE
    assert SupportItem.objects.get().cost == 1200


def test_the_support_service_records_purchases_and_deliveries_and_sees_its_spend(client, staff, family):
    a = arrangement_at(S.IN_PLACE, family, staff)
    item = SupportItem.objects.get(funder="support_service")
    purchase = {
        "provider": family.provider.pk,
        "provider_service": family.offer.pk,
        "quantity": "10",
        "unit": "session",
        "cost": "1200",
        "period_start": _days(40).isoformat(),
        "period_end": _days(200).isoformat(),
        "reference": "PO-77",
    }
    post(client, staff.caseworker, url("purchase_add", a, item.pk), purchase)
    bought = item.purchases.get()
    response = client.post(url("delivery_add", a, bought.pk), {"delivered_on": TODAY, "quantity": "20", "cost": "2400"})
    assert response.status_code == 400
    assert "Only 10 of 10 bought remain to be delivered." in text(response.content)
    seen = text(page(client, staff.caseworker, a))
    assert "Approved (resourced by the support service) $1,200.00 Committed (purchased) $1,200.00" in seen
    assert "Delivered $0.00 Remaining $0.00" in seen

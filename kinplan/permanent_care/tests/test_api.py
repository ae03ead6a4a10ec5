"""The permanent care API at /api/v1/: the whole path from referral to a completed review, driven by the person
who does each step; what waits for each role; 404 for what a user may not see, 403 for what they may see but not
do, 422 naming the field sent for what the rules refuse — and nothing saved after any refusal."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent, RecordView
from kinplan.cases.models import Case
from kinplan.meetings.tests.factories import MeetingFactory
from kinplan.permanent_care import models as m
from kinplan.permanent_care import services
from kinplan.permanent_care.models import SupportArrangement
from kinplan.permanent_care.selectors import one_year_after
from kinplan.permanent_care.tests.factories import (
    Family,
    Staff,
    arrangement_at,
    days,
    discharge,
    planning_meeting,
)

pytestmark = pytest.mark.django_db

S = SupportArrangement.Status
API = "/api/v1"
PC = "/permanent-care/arrangements"
TODAY = timezone.localdate


def call(client: Client, user: User, method: str, path: str, payload: Any = None):
    """`method path` as `user`, with `payload` as the JSON body."""
    client.force_login(user)
    kwargs: dict[str, Any] = {} if method == "GET" else {"content_type": "application/json"}
    if payload is not None:
        kwargs["data"] = payload
    return getattr(client, method.lower())(f"{API}{path}", **kwargs)


def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def field_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Please correct the errors below.", body
    return body["errors"]


WATCHED = (
    m.SupportArrangement,
    m.ArrangementTransition,
    m.Discussion,
    m.Objective,
    m.SupportItem,
    m.UniversalService,
    m.SupportAgreement,
    m.ApprovalDecision,
    m.EscalationStep,
    m.FollowUp,
    m.Purchase,
    m.Delivery,
    m.Review,
    m.FurtherSupport,
    Case,
    AuditEvent,
)


def state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the permanent care writes touch, with when it last changed: equal before and after a refusal."""
    snapshot = {}
    for model in WATCHED:
        stamped = [f.name for f in model._meta.fields if f.name in ("updated_at", "status", "archived_at")]
        snapshot[model.__name__] = sorted(model.objects.values_list("pk", *stamped))
    return snapshot


@pytest.fixture
def api(client: Client) -> Client:
    return client


def at(status: str, family: Family, staff: Staff) -> SupportArrangement:
    return arrangement_at(status, family, staff)


def rungs(a: SupportArrangement, staff: Staff, upto: int) -> None:
    """Record the escalation ladder's rungs 1..`upto`, each unresolved, by the role each belongs to."""
    who = {1: staff.worker, 2: staff.worker, 3: staff.supervisor, 4: staff.worker, 5: staff.site_manager}
    for rung in range(1, upto + 1):
        a.refresh_from_db()
        services.escalation_record(
            actor=who[rung],
            arrangement=a,
            rung=rung,
            data={
                "held_on": TODAY(),
                "method": "conference_call",
                "caseworker_involved": True,
                "outcome": "unresolved",
                "summary": f"Step {rung}: still no agreement on the counselling costs.",
            },
        )


# --- the whole path ---------------------------------------------------------------------------------------------


def test_a_plan_goes_from_referral_to_a_completed_review_through_the_api(api, family, staff):
    w, cw, sm = staff.worker, staff.caseworker, staff.support_manager
    # when the social worker starts the plan and sends the referral
    started = ok(
        call(
            api,
            w,
            "POST",
            f"/cases/{family.case.pk}/permanent-care",
            {
                "child_id": family.child.pk,
                "caregiver_id": family.caregiver.pk,
                "support_service_id": staff.support_service.pk,
                "intention_noted_on": days(-30).isoformat(),
            },
        ),
        201,
    )
    url = f"{PC}/{started['id']}"
    assert (started["status"], started["referral_gaps"]) == ("referral_draft", [])
    assert started["referral_pack"]["child"]["name"] == "Aroha Ngata"
    notes = {"referral_notes": "Nan has had Aroha for 2 years."}
    assert ok(call(api, w, "PATCH", f"{url}/referral", notes))["referral_notes"] == notes["referral_notes"]
    assert ok(call(api, w, "POST", f"{url}/referral/send"))["status"] == "referred"
    # and the support service allocates its caseworker, who records the discussion
    allocated = ok(call(api, sm, "POST", f"{url}/allocate", {"caseworker_id": cw.pk}))
    assert (allocated["status"], allocated["caseworker_id"], allocated["reviewer_id"]) == ("allocated", cw.pk, cw.pk)
    discussion = {
        "held_on": TODAY().isoformat(),
        "method": "phone",
        "supports_discussed": "Counselling; marae visits.",
        "participation_level": "attends_key",
    }
    assert ok(call(api, cw, "POST", f"{url}/discussions", discussion), 201)["arrangement_status"] == "planning"
    # and the social worker builds the plan
    dates = {"starts_on": days(30).isoformat(), "ends_on": days(360).isoformat(), "review_on": days(200).isoformat()}
    ok(call(api, w, "PATCH", f"{url}/dates", dates))
    objective = ok(
        call(
            api,
            w,
            "POST",
            f"{url}/objectives",
            {"need_id": family.needs[0].pk, "title": "Aroha feels safe and settled"},
        ),
        201,
    )
    item = ok(
        call(
            api,
            w,
            "POST",
            f"/permanent-care/objectives/{objective['id']}/items",
            {
                "what": "Trauma counselling for Aroha",
                "provider_id": family.provider.pk,
                "provider_service_id": family.offer.pk,
                "starts_on": days(40).isoformat(),
                "due_on": days(200).isoformat(),
                "quantity": 10,
                "costs_money": True,
                "funder": "support_service",
            },
        ),
        201,
    )
    assert (item["cost"], item["unit"], item["responsible"]) == ("1200.00", "session", "Te Whare Awhina")
    ok(call(api, w, "POST", f"{url}/universal-services", {"name": "Porirua Health GP"}), 201)
    planning_meeting(family, staff)
    waiting = ok(call(api, w, "GET", url))["readiness_problems"]
    assert len(waiting) == 1 and waiting[0].startswith("Everyone must agree before the plan goes to court")
    for member in family.members:
        agreed = {"member_id": member.pk, "position": "agrees", "method": "in_person"}
        ok(call(api, w, "POST", f"{url}/agreements", agreed), 201)
    court = {"court_step": "Special guardianship order applied for", "court_step_on": days(-2).isoformat()}
    assert ok(call(api, w, "POST", f"{url}/ready-for-court", court))["status"] == "ready_for_court"
    assert ok(call(api, w, "POST", f"{url}/submit"))["status"] == "awaiting_approval"
    # and both managers approve
    signed = ok(call(api, staff.site_manager, "POST", f"{url}/decisions", {"decision": "approved"}), 201)
    assert (signed["kind"], signed["arrangement_status"]) == ("site_sign_off", "awaiting_approval")
    approved = ok(call(api, sm, "POST", f"{url}/decisions", {"decision": "approved"}), 201)
    assert (approved["kind"], approved["costs_approved"], approved["arrangement_status"]) == (
        "support_service",
        "1200.00",
        "approved",
    )
    # and, the orders discharged, the plan goes to the support service, which administers it
    discharge(family, staff)
    sent = ok(call(api, w, "POST", f"{url}/send"))
    assert (sent["status"], sent["discharged_on"]) == ("sent", TODAY().isoformat())
    ok(call(api, cw, "POST", f"{url}/letter", {"sent_on": TODAY().isoformat(), "method": "post"}))
    purchase = ok(
        call(
            api,
            cw,
            "POST",
            f"{url}/purchases",
            {
                "item_id": item["id"],
                "quantity": 10,
                "cost": "1200",
                "period_start": TODAY().isoformat(),
                "period_end": days(200).isoformat(),
                "reference": "PO-881",
            },
        ),
        201,
    )
    assert (purchase["provider_id"], purchase["cost"], purchase["delivered"]) == (family.provider.pk, "1200.00", "0.00")
    delivery = {"delivered_on": TODAY().isoformat(), "quantity": 4, "cost": 480}
    ok(call(api, cw, "POST", f"/permanent-care/purchases/{purchase['id']}/deliveries", delivery), 201)
    review = {"reviewed_on": TODAY().isoformat(), "findings": "Aroha is settled at Nan's.", "outcome": "complete"}
    assert ok(call(api, cw, "POST", f"{url}/reviews", review), 201)["arrangement_status"] == "closed"
    further = {
        "agreed_on": TODAY().isoformat(),
        "starts_on": days(361).isoformat(),
        "supports": "Counselling top-up, 4 sessions.",
        "negotiated_with": "Mere Ngata",
    }
    ok(call(api, sm, "POST", f"{url}/further-support", further), 201)
    # then the plan reads back whole
    full = ok(call(api, w, "GET", url))
    assert [t["to_status"] for t in full["transitions"]] == [
        "referred",
        "allocated",
        "planning",
        "ready_for_court",
        "awaiting_approval",
        "approved",
        "sent",
        "in_place",
        "closed",
    ]
    assert full["transitions"][1]["actor"] == str(sm) and full["transitions"][0]["from_status"] == "referral_draft"
    assert full["spend"] == {
        "approved": "1200.00",
        "committed": "1200.00",
        "delivered": "480.00",
        "remaining": "0.00",
        "over_approved": False,
    }
    assert full["purchases"][0]["delivered"] == "4.00" and len(full["purchases"][0]["deliveries"]) == 1
    assert [d["kind"] for d in full["decisions"]] == ["site_sign_off", "support_service"]
    assert [r["outcome"] for r in full["reviews"]] == ["complete"]
    assert full["further_support"][0]["starts_on"] == days(361).isoformat()
    assert full["letter_method"] == "post" and full["readiness_problems"] == []


def test_the_arrangement_in_full_shows_the_plan_its_costs_and_who_has_agreed(api, family, staff):
    # given a plan being agreed
    a = at(S.READY_FOR_COURT, family, staff)
    # when
    full = ok(call(api, staff.worker, "GET", f"{PC}/{a.pk}"))
    # then
    (objective,) = full["objectives"]
    counselling, marae = objective["items"]
    assert objective["need_id"] == family.needs[0].pk and objective["need_title"] == family.needs[0].title
    assert counselling["etag"].startswith(f"permanent_care.supportitem.{counselling['id']}.")
    assert counselling | {"id": None, "objective_id": None, "etag": None} == {
        "id": None,
        "objective_id": None,
        "etag": None,
        "position": 1,
        "kind": "service",
        "what": "Trauma counselling for Aroha",
        "provider_id": family.provider.pk,
        "provider_service_id": family.offer.pk,
        "provider_name": "",
        "responsible": "Te Whare Awhina",
        "starts_on": days(40).isoformat(),
        "due_on": days(200).isoformat(),
        "timeline": "",
        "quantity": "10.00",
        "unit": "session",
        "costs_money": True,
        "cost": "1200.00",
        "funder": "support_service",
        "started_before_discharge": False,
        "caregiver_instructions": "",
    }
    assert (marae["funder"], marae["responsible"]) == ("no_cost", "Rawiri Ngata (uncle)")
    assert full["costs"] == {"total": "1200.00", "by_funder": {"support_service": "1200.00"}, "site_item_ids": []}
    assert {(row["member"], row["position"], row["method"]) for row in full["agreements"]} == {
        (str(family.caregiver), "agrees", "in_person"),
        (str(staff.worker), "agrees", "in_person"),
    }
    assert (full["court_step"], full["agreement_round"], full["approval_round"]) == (
        "Special guardianship order applied for",
        1,
        0,
    )
    assert full["readiness_problems"] == [] and full["next_rung"] is None
    assert [u["name"] for u in full["universal_services"]] == ["Porirua Health GP"]
    assert full["discussions"][0]["participation_level"] == "attends_key"


def test_a_referral_with_a_detail_missing_lists_it_and_is_not_sent(api, family, staff):
    # given the caregiver has no phone or email recorded
    a = at(S.REFERRAL_DRAFT, family, staff)
    family.caregiver.phone = ""
    family.caregiver.save()
    gap = f"A phone number or email for the caregiver ({family.caregiver.full_name})."
    assert ok(call(api, staff.worker, "GET", f"{PC}/{a.pk}"))["referral_gaps"] == [gap]
    before = state()
    # when
    response = call(api, staff.worker, "POST", f"{PC}/{a.pk}/referral/send")
    # then
    assert field_errors(response) == {"__all__": ["Record these details in the case before sending the referral:", gap]}
    assert state() == before


def test_the_plan_is_changed_while_planning_and_agreement_is_asked_again(api, family, staff):
    # given an agreed plan, reopened
    a = at(S.READY_FOR_COURT, family, staff)
    w = staff.worker
    reopened = ok(call(api, w, "POST", f"{PC}/{a.pk}/reopen", {"reason": "Add respite care."}))
    assert (reopened["status"], reopened["agreement_round"]) == ("planning", 2)
    objective = a.objectives.get()
    counselling = objective.items.order_by("position").first()
    # when its content changes
    changed = ok(call(api, w, "PATCH", f"/permanent-care/items/{counselling.pk}", {"quantity": "12"}))
    renamed = ok(call(api, w, "PATCH", f"/permanent-care/objectives/{objective.pk}", {"title": "Aroha is settled"}))
    full = ok(call(api, w, "POST", f"/permanent-care/items/{counselling.pk}/remove"))
    service = a.universal_services.get()
    full = ok(call(api, w, "POST", f"/permanent-care/universal-services/{service.pk}/remove"))
    # then
    assert (changed["quantity"], changed["cost"]) == (
        "12.00",
        "1440.00",
    )  # 12 sessions at $120: re-priced by the service
    assert renamed["title"] == "Aroha is settled"
    assert [i["what"] for i in full["objectives"][0]["items"]] == ["Weekend visits to the marae with Uncle Rawiri"]
    assert full["universal_services"] == [] and all(row["position"] is None for row in full["agreements"])
    gone = ok(call(api, w, "POST", f"/permanent-care/objectives/{objective.pk}/remove"))
    assert gone["objectives"] == []
    before = state()
    assert field_errors(call(api, w, "PATCH", f"/permanent-care/objectives/{objective.pk}", {"title": "x"})) == {
        "__all__": ["This objective was removed from the plan."]
    }
    assert state() == before


def test_a_plan_is_withdrawn_only_with_a_reason(api, family, staff):
    a = at(S.PLANNING, family, staff)
    before = state()
    assert field_errors(call(api, staff.worker, "POST", f"{PC}/{a.pk}/withdraw", {})) == {
        "reason": ["Say why the plan is withdrawn."]
    }
    assert state() == before
    withdrawn = ok(call(api, staff.worker, "POST", f"{PC}/{a.pk}/withdraw", {"reason": "Nan has moved overseas."}))
    assert (withdrawn["status"], withdrawn["closed_reason"]) == ("withdrawn", "Nan has moved overseas.")


def test_the_ladder_with_changes_sends_the_plan_back_with_follow_ups_to_discuss(api, family, staff):
    # given the support service's manager did not approve
    a = at(S.NOT_APPROVED, family, staff)
    meeting = MeetingFactory(case=family.case)
    # when the first rung resolves the dispute with changes
    step = ok(
        call(
            api,
            staff.worker,
            "POST",
            f"{PC}/{a.pk}/escalation",
            {
                "rung": 1,
                "held_on": TODAY().isoformat(),
                "method": "phone",
                "meeting_id": meeting.pk,
                "outcome": "resolved_with_changes",
                "summary": "Counselling cut to 8 sessions.",
            },
        ),
        201,
    )
    # then
    assert (step["rung"], step["meeting_id"], step["arrangement_status"]) == (1, meeting.pk, "planning")
    full = ok(call(api, staff.worker, "GET", f"{PC}/{a.pk}"))
    assert {f["who"] for f in full["follow_ups"]} == {str(family.caregiver), str(staff.worker)}
    assert [s["rung_label"] for s in full["escalation_steps"]] == ["Consult the allocated caseworker"]
    # and each follow-up is recorded
    first = full["follow_ups"][0]
    done = ok(
        call(
            api,
            staff.worker,
            "POST",
            f"/permanent-care/follow-ups/{first['id']}",
            {"discussed_on": TODAY().isoformat(), "method": "phone", "note": "Nan is happy with 8."},
        )
    )
    assert (done["done"], done["method"], done["note"]) == (True, "phone", "Nan is happy with 8.")
    before = state()
    again = call(api, staff.worker, "POST", f"/permanent-care/follow-ups/{first['id']}", {"method": "phone"})
    assert field_errors(again) == {"__all__": ["This discussion is already recorded."]}
    assert state() == before


# --- lists, and what waits for whom -----------------------------------------------------------------------------

WAITING = [
    (S.REFERRAL_DRAFT, 0, "worker", "Check the referral pack and send it to the support service"),
    (S.REFERRED, 0, "support_manager", "Allocate a caseworker to this referral"),
    (S.REFERRED, 0, "caseworker", "Allocate a caseworker to this referral"),
    (S.ALLOCATED, 0, "caseworker", "Record your discussion of possible supports with the social worker"),
    (S.AWAITING_APPROVAL, 0, "site_manager", "Sign off the items the site resources"),
    (S.AWAITING_APPROVAL, 0, "support_manager", "Approve the plan's content and costs"),
    (S.NOT_APPROVED, 0, "worker", "Escalation step 1: Consult the allocated caseworker"),
    (S.NOT_APPROVED, 2, "supervisor", "Escalation step 3: Supervisor's case consult"),
    (S.NOT_APPROVED, 5, "national_manager", "Escalation step 6: National manager's final determination"),
    (S.SENT, 0, "caseworker", "Send the caregiver the acknowledgement letter"),
]


@pytest.mark.parametrize(("status", "climbed", "role", "what"), WAITING, ids=[f"{w[2]} at {w[0]}" for w in WAITING])
def test_each_role_sees_what_waits_for_them(api, family, staff, status, climbed, role, what):
    # given
    a = at(status, family, staff)
    rungs(a, staff, climbed)
    # when
    waiting = ok(call(api, getattr(staff, role), "GET", "/permanent-care/waiting"))
    # then
    assert waiting == [
        {"arrangement_id": a.pk, "case_id": family.case.pk, "child": str(family.child), "status": status, "what": what}
    ]


@pytest.mark.parametrize("role", ["supervisor", "site_manager", "national_manager", "charlie"])
def test_nothing_waits_for_those_with_no_move_to_make(api, family, staff, charlie, role):
    at(S.PLANNING, family, staff)
    user = charlie if role == "charlie" else getattr(staff, role)
    assert ok(call(api, user, "GET", "/permanent-care/waiting")) == []


def test_the_list_shows_what_the_user_may_see_filtered_by_status(api, family, staff, charlie):
    a = at(S.PLANNING, family, staff)
    listed = ok(call(api, staff.worker, "GET", "/permanent-care/arrangements"))
    assert [(row["id"], row["status"], row["child"]) for row in listed] == [(a.pk, "planning", str(family.child))]
    assert ok(call(api, staff.worker, "GET", "/permanent-care/arrangements?status=planning"))[0]["id"] == a.pk
    assert ok(call(api, staff.worker, "GET", "/permanent-care/arrangements?status=approved")) == []
    assert ok(call(api, staff.caseworker, "GET", "/permanent-care/arrangements"))[0]["id"] == a.pk
    assert ok(call(api, charlie, "GET", "/permanent-care/arrangements")) == []
    assert call(api, staff.worker, "GET", "/permanent-care/arrangements?status=soon").status_code == 422
    assert [row["id"] for row in ok(call(api, staff.worker, "GET", f"/cases/{family.case.pk}/permanent-care"))] == [
        a.pk
    ]


def test_reads_are_logged_as_views_of_the_childs_record(api, family, staff):
    a = at(S.PLANNING, family, staff)
    for path in (f"{PC}/{a.pk}", f"/cases/{family.case.pk}/permanent-care"):
        seen = RecordView.objects.filter(user=staff.worker, case=family.case, channel="api").count()
        ok(call(api, staff.worker, "GET", path))
        assert RecordView.objects.filter(user=staff.worker, case=family.case, channel="api").count() == seen + 1


# --- 404: what the user may not see -------------------------------------------------------------------------------


@pytest.fixture
def handed_over(family, staff) -> dict[str, Any]:
    """An arrangement in place with a purchase, and the ids of its pieces."""
    a = at(S.IN_PLACE, family, staff)
    item = m.SupportItem.objects.filter(objective__arrangement=a, funder="support_service").get()
    purchase = services.purchase_record(
        actor=staff.caseworker,
        arrangement=a,
        item=item,
        data={"quantity": 10, "cost": 1200, "period_start": TODAY(), "period_end": days(200)},
    )
    return {"a": a.pk, "objective": item.objective_id, "item": item.pk, "purchase": purchase.pk, "case": a.case_id}


OUTSIDER_PATHS = [
    ("GET", "{PC}/{a}", None),
    ("GET", "/cases/{case}/permanent-care", None),
    ("PATCH", "{PC}/{a}/dates", {"review_on": "2030-01-01"}),
    ("PATCH", "/permanent-care/objectives/{objective}", {"title": "Mine now"}),
    ("POST", "/permanent-care/objectives/{objective}/remove", None),
    ("PATCH", "/permanent-care/items/{item}", {"what": "Mine now"}),
    ("POST", "/permanent-care/items/{item}/remove", None),
    (
        "POST",
        "/permanent-care/purchases/{purchase}/deliveries",
        {"delivered_on": "2026-01-01", "quantity": 1, "cost": 1},
    ),
    ("POST", "{PC}/{a}/reviews", {"reviewed_on": "2026-01-01", "findings": "x", "outcome": "complete"}),
]


@pytest.mark.parametrize(("method", "path", "payload"), OUTSIDER_PATHS, ids=[f"{p[0]} {p[1]}" for p in OUTSIDER_PATHS])
def test_an_outsider_gets_404_for_the_arrangement_and_its_pieces(api, charlie, handed_over, method, path, payload):
    before = state()
    response = call(api, charlie, method, path.format(PC=PC, **handed_over), payload)
    assert response.status_code == 404, response.content
    assert state() == before


def test_an_outsider_gets_404_for_a_follow_up(api, family, staff, charlie, bob):
    a = at(S.NOT_APPROVED, family, staff)
    services.escalation_record(
        actor=staff.worker,
        arrangement=a,
        rung=1,
        data={"held_on": TODAY(), "method": "phone", "outcome": "resolved_with_changes", "summary": "Fewer sessions."},
    )
    follow_up = a.follow_ups.first()
    before = state()
    for outsider in (charlie, bob):
        body = {"discussed_on": TODAY().isoformat(), "method": "phone"}
        assert call(api, outsider, "POST", f"/permanent-care/follow-ups/{follow_up.pk}", body).status_code == 404
    assert state() == before


# --- 403: what the user may see but not do ------------------------------------------------------------------------

FORBIDDEN = [
    (S.AWAITING_APPROVAL, "supervisor", "POST", "decisions", {"decision": "approved"}),
    (S.REFERRED, "worker", "POST", "allocate", "caseworker"),
    (S.PLANNING, "support_manager", "PATCH", "dates", {"review_on": days(100).isoformat()}),
    (S.READY_FOR_COURT, "caseworker", "POST", "submit", None),
    (S.NOT_APPROVED, "national_manager", "POST", "escalation", {"rung": 1, "held_on": TODAY().isoformat()}),
    (S.APPROVED, "support_manager", "POST", "send", None),
    (
        S.IN_PLACE,
        "site_manager",
        "POST",
        "reviews",
        {"reviewed_on": TODAY().isoformat(), "findings": "x", "outcome": "complete"},
    ),
]


@pytest.mark.parametrize(
    ("status", "role", "method", "path", "payload"), FORBIDDEN, ids=[f"{f[1]} {f[3]} at {f[0]}" for f in FORBIDDEN]
)
def test_a_role_that_may_only_look_is_refused_with_403_and_nothing_changes(
    api, family, staff, status, role, method, path, payload
):
    # given
    a = at(status, family, staff)
    if payload == "caseworker":
        payload = {"caseworker_id": staff.caseworker.pk}
    before = state()
    # when
    response = call(api, getattr(staff, role), method, f"{PC}/{a.pk}/{path}", payload)
    # then
    assert response.status_code == 403, response.content
    assert response.json()["detail"]
    assert state() == before


# --- 422: what the rules refuse, by the field sent ----------------------------------------------------------------


def test_a_plan_longer_than_12_months_is_refused_on_ends_on(api, family, staff):
    a = at(S.PLANNING, family, staff)
    starts = days(30)
    before = state()
    thirteen_months = one_year_after(starts) + datetime.timedelta(days=31)
    body = {"starts_on": starts.isoformat(), "ends_on": thirteen_months.isoformat(), "review_on": days(200).isoformat()}
    errors = field_errors(call(api, staff.worker, "PATCH", f"{PC}/{a.pk}/dates", body))
    assert list(errors) == ["ends_on"]
    assert errors["ends_on"][0].startswith("A permanent care support plan covers at most the first 12 months")
    assert state() == before


def test_a_review_date_after_the_plan_ends_is_refused_on_review_on(api, family, staff):
    a = at(S.PLANNING, family, staff)
    before = state()
    body = {"starts_on": days(30).isoformat(), "ends_on": days(300).isoformat(), "review_on": days(301).isoformat()}
    errors = field_errors(call(api, staff.worker, "PATCH", f"{PC}/{a.pk}/dates", body))
    assert list(errors) == ["review_on"]
    assert errors["review_on"][0].startswith("The review date must fall inside the plan's span")
    assert state() == before


def test_a_support_naming_no_provider_is_a_contingency_arrangement_and_refused(api, family, staff):
    a = at(S.PLANNING, family, staff)
    objective = services.objective_add(
        actor=staff.worker, arrangement=a, data={"need": family.needs[1], "title": "Aroha knows her marae"}
    )
    before = state()
    body = {"what": "Respite if Nan needs a break", "timeline": "As needed", "quantity": 4, "costs_money": False}
    errors = field_errors(call(api, staff.worker, "POST", f"/permanent-care/objectives/{objective.pk}/items", body))
    assert "contingency arrangement" in errors["__all__"][0]
    assert errors["provider_id"] == ["It names no one: say who will do or provide it."]
    assert state() == before


@pytest.mark.parametrize("status", [S.PLANNING, S.READY_FOR_COURT])
def test_a_plan_is_not_approved_before_it_is_agreed_and_submitted(api, family, staff, status):
    a = at(status, family, staff)
    before = state()
    response = call(api, staff.support_manager, "POST", f"{PC}/{a.pk}/decisions", {"decision": "approved"})
    assert "it can be approved only once everyone has agreed it" in field_errors(response)["__all__"][0]
    assert state() == before


def test_the_plan_is_not_sent_before_the_orders_are_discharged(api, family, staff):
    a = at(S.APPROVED, family, staff)
    before = state()
    errors = field_errors(call(api, staff.worker, "POST", f"{PC}/{a.pk}/send"))
    assert errors["__all__"][0].startswith("The chief executive's orders have not been discharged")
    assert state() == before


def test_the_escalation_ladder_is_climbed_in_order(api, family, staff):
    a = at(S.NOT_APPROVED, family, staff)
    before = state()
    body = {"rung": 2, "held_on": TODAY().isoformat(), "method": "phone", "outcome": "unresolved", "summary": "x"}
    assert field_errors(call(api, staff.worker, "POST", f"{PC}/{a.pk}/escalation", body)) == {
        "__all__": [
            "The escalation ladder is followed in order: the next step is 1 — Consult the allocated caseworker."
        ]
    }
    assert state() == before


@pytest.mark.parametrize("bought", [10, 12])
def test_a_delivery_beyond_what_was_bought_is_refused(api, staff, handed_over, bought):
    purchase = services.purchase_record(
        actor=staff.caseworker,
        arrangement=SupportArrangement.objects.get(pk=handed_over["a"]),
        item=m.SupportItem.objects.get(pk=handed_over["item"]),
        data={"quantity": bought, "cost": 100 * bought, "period_start": TODAY(), "period_end": days(200)},
    )
    before = state()
    body = {"delivered_on": TODAY().isoformat(), "quantity": bought + 1, "cost": 100}
    path = f"/permanent-care/purchases/{purchase.pk}/deliveries"
    assert field_errors(call(api, staff.caseworker, "POST", path, body)) == {
        "quantity": [f"Only {bought} of {bought} bought remain to be delivered."]
    }
    assert state() == before


def test_further_support_inside_the_plan_is_refused_as_an_extension(api, family, staff, handed_over):
    before = state()
    body = {
        "agreed_on": TODAY().isoformat(),
        "starts_on": days(100).isoformat(),
        "supports": "x",
        "negotiated_with": "Mere",
    }
    errors = field_errors(call(api, staff.support_manager, "POST", f"{PC}/{handed_over['a']}/further-support", body))
    assert list(errors) == ["starts_on"] and "not an extension" in errors["starts_on"][0]
    assert state() == before


UNKNOWN = 999_999
UNKNOWN_IDS = [
    (S.PLANNING, "POST", "{PC}/{a}/objectives", {"need_id": UNKNOWN, "title": "x"}, "need_id"),
    (
        S.PLANNING,
        "POST",
        "{PC}/{a}/agreements",
        {"member_id": UNKNOWN, "position": "agrees", "method": "phone"},
        "member_id",
    ),
    (S.REFERRED, "POST", "{PC}/{a}/allocate", {"caseworker_id": UNKNOWN}, "caseworker_id"),
    (S.REFERRAL_DRAFT, "PATCH", "{PC}/{a}/referral", {"caregiver_id": UNKNOWN}, "caregiver_id"),
    (
        S.PLANNING,
        "POST",
        "/permanent-care/objectives/{objective}/items",
        {"what": "x", "provider_id": UNKNOWN},
        "provider_id",
    ),
    (S.IN_PLACE, "POST", "{PC}/{a}/purchases", {"item_id": UNKNOWN}, "item_id"),
    (S.NOT_APPROVED, "POST", "{PC}/{a}/escalation", {"rung": 1, "meeting_id": UNKNOWN}, "meeting_id"),
]
PURCHASE = {"quantity": 1, "cost": 1, "period_start": "2030-01-01", "period_end": "2030-01-02"}


@pytest.mark.parametrize(
    ("status", "method", "path", "payload", "field"), UNKNOWN_IDS, ids=[u[-1] for u in UNKNOWN_IDS]
)
def test_an_unknown_id_is_refused_on_the_field_sent(api, family, staff, status, method, path, payload, field):
    # given
    a = at(status, family, staff)
    objective = (
        services.objective_add(actor=staff.worker, arrangement=a, data={"need": family.needs[1], "title": "Marae"})
        if status == S.PLANNING
        else None
    )
    actor = {S.REFERRED: staff.support_manager, S.IN_PLACE: staff.caseworker}.get(status, staff.worker)
    body = payload | (PURCHASE if field == "item_id" else {})
    before = state()
    # when
    response = call(api, actor, method, path.format(PC=PC, a=a.pk, objective=objective and objective.pk), body)
    # then
    errors = field_errors(response)
    assert list(errors) == [field]
    assert str(UNKNOWN) in errors[field][0]
    assert state() == before


def test_a_need_or_meeting_of_another_case_is_refused_as_not_in_this_case(api, family, staff, charlie_case):
    a = at(S.NOT_APPROVED, family, staff)
    elsewhere = MeetingFactory(case=charlie_case)
    before = state()
    body = {"rung": 1, "held_on": TODAY().isoformat(), "method": "phone", "meeting_id": elsewhere.pk}
    assert field_errors(call(api, staff.worker, "POST", f"{PC}/{a.pk}/escalation", body)) == {
        "meeting_id": [f"No meeting with id {elsewhere.pk} in this case."]
    }
    assert state() == before


def test_a_need_not_identified_in_a_completed_assessment_is_refused_on_need_id(api, family, staff):
    from kinplan.assessments.tests.factories import NeedFactory

    a = at(S.PLANNING, family, staff)
    draft_need = NeedFactory(assessment__case=family.case)
    before = state()
    errors = field_errors(
        call(api, staff.worker, "POST", f"{PC}/{a.pk}/objectives", {"need_id": draft_need.pk, "title": "x"})
    )
    assert list(errors) == ["need_id"] and errors["need_id"][0].startswith("Choose an identified need of the child")
    assert state() == before


# --- the schema ---------------------------------------------------------------------------------------------------


def test_the_openapi_schema_documents_the_permanent_care_endpoints(api, alice):
    schema = ok(call(api, alice, "GET", "/openapi.json"))
    paths = schema["paths"]
    for path, method in (
        ("/api/v1/permanent-care/waiting", "get"),
        ("/api/v1/permanent-care/arrangements", "get"),
        ("/api/v1/cases/{case_id}/permanent-care", "post"),
        ("/api/v1/permanent-care/arrangements/{arrangement_id}", "get"),
        ("/api/v1/permanent-care/arrangements/{arrangement_id}/referral", "patch"),
        ("/api/v1/permanent-care/arrangements/{arrangement_id}/decisions", "post"),
        ("/api/v1/permanent-care/arrangements/{arrangement_id}/escalation", "post"),
        ("/api/v1/permanent-care/objectives/{objective_id}/items", "post"),
        ("/api/v1/permanent-care/items/{item_id}", "patch"),
        ("/api/v1/permanent-care/follow-ups/{follow_up_id}", "post"),
        ("/api/v1/permanent-care/purchases/{purchase_id}/deliveries", "post"),
        ("/api/v1/permanent-care/arrangements/{arrangement_id}/further-support", "post"),
    ):
        assert method in paths[path], path
        assert paths[path][method]["tags"] == ["permanent care"]
    assert schema["info"]["title"] == "Kinplan API"

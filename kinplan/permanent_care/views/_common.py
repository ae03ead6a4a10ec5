"""Shared by the permanent care pages: the case and its plan, the page with its forms, a posted form's answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.core.forms import save_or_show_errors
from kinplan.permanent_care import forms as f
from kinplan.permanent_care import permissions as can
from kinplan.permanent_care import selectors
from kinplan.permanent_care.models import ALLOWED_TRANSITIONS, CONTENT_EDITABLE, SupportArrangement

S = SupportArrangement.Status
ALLOCATABLE = frozenset(
    {S.REFERRED, S.ALLOCATED, S.PLANNING, S.READY_FOR_COURT, S.AWAITING_APPROVAL, S.NOT_APPROVED, S.APPROVED}
    | {S.SENT, S.IN_PLACE}
)
LETTER_READY = frozenset({S.SENT, S.IN_PLACE, S.CLOSED})

# Each form of the page, by key: how to build it (bound to the post, or empty for the page).
FormMaker = Callable[[Case, SupportArrangement, User, Any], BaseForm]
FORMS: dict[str, FormMaker] = {
    "referral": lambda c, a, u, d: f.ReferralForm(d, instance=a, case=c, auto_id="referral_%s"),
    "referral_send": lambda c, a, u, d: f.ConfirmForm(d, auto_id="send_referral_%s"),
    "allocate": lambda c, a, u, d: f.AllocateForm(d, arrangement=a, user=u, auto_id="allocate_%s"),
    "discussion": lambda c, a, u, d: f.DiscussionForm(d, auto_id="discussion_%s"),
    "dates": lambda c, a, u, d: f.DatesForm(d, arrangement=a, auto_id="dates_%s"),
    "objective": lambda c, a, u, d: f.ObjectiveForm(d, case=c, auto_id="objective_%s"),
    "universal": lambda c, a, u, d: f.UniversalServiceForm(d, auto_id="universal_%s"),
    "agreement": lambda c, a, u, d: f.AgreementForm(d, case=c, auto_id="agreement_%s"),
    "court_step": lambda c, a, u, d: f.CourtStepForm(
        d, auto_id="court_step_%s", initial={"court_step": a.court_step, "court_step_on": a.court_step_on}
    ),
    "submit": lambda c, a, u, d: f.ConfirmForm(d, auto_id="submit_%s"),
    "decide": lambda c, a, u, d: f.DecisionForm(d, auto_id="decide_%s"),
    "send": lambda c, a, u, d: f.ConfirmForm(d, auto_id="send_%s"),
    "letter": lambda c, a, u, d: f.LetterForm(d, auto_id="letter_%s"),
    "review": lambda c, a, u, d: f.ReviewForm(d, auto_id="review_%s"),
    "further": lambda c, a, u, d: f.FurtherSupportForm(d, auto_id="further_%s"),
    "withdraw": lambda c, a, u, d: f.ReasonForm(d, auto_id="withdraw_%s"),
    "reopen": lambda c, a, u, d: f.ReasonForm(d, auto_id="reopen_%s"),
    "remove": lambda c, a, u, d: f.ConfirmForm(d, auto_id="remove_%s"),
}


# --- finding things ------------------------------------------------------------------------------------


def found(request: HttpRequest, pk: int, arr_pk: int) -> tuple[Case, SupportArrangement]:
    """The case if the user may see it (404 otherwise, and the view is logged), and its arrangement."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    related = ("case__site", "case__worker", "child", "caregiver", "support_service", "caseworker", "reviewer")
    arrangement = get_object_or_404(SupportArrangement.objects.select_related(*related), pk=arr_pk, case=case)
    return case, arrangement


def page_url(arrangement: SupportArrangement, anchor: str = "") -> str:
    url = reverse("permanent_care:arrangement", args=[arrangement.case_id, arrangement.pk])
    return url + (f"#{anchor}" if anchor else "")


# --- the page ------------------------------------------------------------------------------------------


def _can(user: User, a: SupportArrangement) -> dict[str, bool]:
    return {
        "lead": can.can_lead(user, a),
        "allocate": can.can_allocate(user, a),
        "discuss": can.can_record_discussion(user, a),
        "sign_off": can.can_sign_off_site(user, a),
        "approve": can.can_approve_support(user, a),
        "administer": can.can_administer(user, a),
        "review": can.can_review(user, a),
    }


def _shown(user: User, a: SupportArrangement, may: dict[str, bool], page: dict[str, Any]) -> dict[str, bool]:
    """Which forms this user sees now: what their role may do, at this point of the process."""
    status, lead, decided, rung = a.status, may["lead"], page["this_round"], page["next_rung"]
    deciding = (may["sign_off"] and "site_sign_off" not in decided) or (
        may["approve"] and "support_service" not in decided
    )
    return {
        "referral": lead and status == S.REFERRAL_DRAFT,
        "allocate": may["allocate"] and status in ALLOCATABLE and (may["approve"] or a.caseworker_id is None),
        "discussion": may["discuss"] and status in (S.ALLOCATED, S.PLANNING),
        "content": lead and status in CONTENT_EDITABLE,
        "planning": lead and status == S.PLANNING,
        "submit": lead and status == S.READY_FOR_COURT,
        "decide": status == S.AWAITING_APPROVAL and deciding,
        "rung": bool(rung) and can.can_record_rung(user, a, rung),
        "follow_ups": lead,
        "send": lead and status == S.APPROVED,
        "letter": may["administer"] and status == S.SENT,
        "purchases": may["administer"] and status in (S.SENT, S.IN_PLACE),
        "review": may["review"] and status == S.IN_PLACE,
        "further": may["administer"] and status in (S.IN_PLACE, S.CLOSED) and a.sent_at is not None,
        "withdraw": lead and S.WITHDRAWN in ALLOWED_TRANSITIONS[status],
        "reopen": lead and status in (S.READY_FOR_COURT, S.APPROVED),
    }


# Where each posted form shows on the page (by `_shown`'s flags): a refusal of a form the user no longer sees
# there is shown at the top of the page.
SHOWN_BY = {
    "referral": "referral",
    "referral_send": "referral",
    "dates": "content",
    "objective": "content",
    "universal": "content",
    "remove": "content",
    "item": "content",
    "agreement": "planning",
    "court_step": "planning",
    "follow_up": "follow_ups",
    "purchase": "purchases",
    "delivery": "purchases",
}


def _stray_errors(bound: dict[str, BaseForm], shown: dict[str, bool]) -> list[str]:
    stray = []
    for key, form in bound.items():
        flag = SHOWN_BY.get(key.split("-")[0], key)
        if not shown.get(flag):
            stray += [message for errors in form.errors.values() for message in errors]
    return stray


def _attach_forms(case: Case, a: SupportArrangement, page: dict[str, Any], bound: dict[str, BaseForm]) -> None:
    """The forms that belong to one thing on the page: a support per objective, a purchase per support, a
    delivery per purchase, a record per follow-up, the next rung of the ladder."""
    for objective in page["objectives"]:
        key = f"item-{objective.pk}"
        objective.item_form = bound.get(key) or f.ItemForm(case=case, auto_id=f"o{objective.pk}_%s")
    for follow_up in page["follow_ups"]:
        key = f"follow_up-{follow_up.pk}"
        follow_up.form = bound.get(key) or f.FollowUpForm(auto_id=f"fu{follow_up.pk}_%s")
    for row in page["spend"].rows if page["spend"] else []:
        item = row["item"]
        row["form"] = bound.get(f"purchase-{item.pk}") or f.PurchaseForm(item=item, auto_id=f"p{item.pk}_%s")
        for purchase in row["purchases"]:
            key = f"delivery-{purchase.pk}"
            purchase.form = bound.get(key) or f.DeliveryForm(auto_id=f"d{purchase.pk}_%s")
    rung = page["next_rung"]
    page["rung_form"] = bound.get("rung") or (rung and f.RungForm(arrangement=a, rung=rung, auto_id="rung_%s"))


def render_page(
    request: HttpRequest, case: Case, a: SupportArrangement, bound: dict[str, BaseForm] | None = None
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    page = selectors.arrangement_page(a)
    may = _can(user, a)
    forms = {key: bound.get(key) or make(case, a, user, None) for key, make in FORMS.items()}
    _attach_forms(case, a, page, bound)
    shown = _shown(user, a, may, page)
    context = {"case": case, "a": a, "can": may, "show": shown, "forms": forms, **page}
    context["stray_errors"] = _stray_errors(bound, shown)
    context["letter_ready"] = a.status in LETTER_READY and a.sent_at is not None
    return render(request, "permanent_care/arrangement.html", context, status=400 if bound else 200)


@dataclass
class Posted:
    """One posted form of the arrangement's page, and what to do with it.

    The arrangement's page carries every form of the process; each posts to its own endpoint, which calls one
    service and goes back to the page (at the form's anchor). A refusal re-renders the page with the posted form and
    the service's message beside the field it names; nothing is written. What a user may not do is not shown to them,
    and if posted anyway the service refuses it (403).
    """

    request: HttpRequest
    case: Case
    a: SupportArrangement
    key: str
    form: BaseForm

    @property
    def actor(self) -> User:
        return self.request.user  # type: ignore[return-value]

    @property
    def data(self) -> dict[str, Any]:
        return self.form.cleaned_data

    def details(self) -> dict[str, Any]:
        return self.form.details()  # type: ignore[attr-defined]

    def answer(self, call: Callable[[], Any], done: str, anchor: str) -> HttpResponse:
        """Call the service if the form is valid: then back to the page at `anchor`; else the page again, with
        the form and why (nothing written)."""
        if save_or_show_errors(self.form, call) is None:
            self.a.refresh_from_db()
            return render_page(self.request, self.case, self.a, {self.key: self.form})
        messages.success(self.request, done)
        return redirect(page_url(self.a, anchor))


def posted(request: HttpRequest, pk: int, arr_pk: int, key: str, make: FormMaker | None = None) -> Posted:
    case, a = found(request, pk, arr_pk)
    form = (make or FORMS[key])(case, a, request.user, request.POST)
    return Posted(request, case, a, key, form)

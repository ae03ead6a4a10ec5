"""Permanent care support plan pages: parse, authorise, call one service or selector, render.

The arrangement's page carries every form of the process; each posts to its own endpoint, which calls one
service and goes back to the page (at the form's anchor). A refusal re-renders the page with the posted form and
the service's message beside the field it names; nothing is written. What a user may not do is not shown to them,
and if posted anyway the service refuses it (403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.permanent_care import forms as f
from kinplan.permanent_care import permissions as can
from kinplan.permanent_care import selectors, services
from kinplan.permanent_care.letter import letter_pdf
from kinplan.permanent_care.models import (
    ALLOWED_TRANSITIONS,
    CONTENT_EDITABLE,
    FollowUp,
    Objective,
    Purchase,
    SupportArrangement,
    SupportItem,
    UniversalService,
)
from kinplan.permanent_care.services.plan import LEAD_ONLY

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
    "dates": lambda c, a, u, d: f.DatesForm(
        d, auto_id="dates_%s", initial={"starts_on": a.starts_on, "ends_on": a.ends_on, "review_on": a.review_on}
    ),
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


def _found(request: HttpRequest, pk: int, arr_pk: int) -> tuple[Case, SupportArrangement]:
    """The case if the user may see it (404 otherwise, and the view is logged), and its arrangement."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    related = ("case__site", "case__worker", "child", "caregiver", "support_service", "caseworker", "reviewer")
    arrangement = get_object_or_404(SupportArrangement.objects.select_related(*related), pk=arr_pk, case=case)
    return case, arrangement


def _url(arrangement: SupportArrangement, anchor: str = "") -> str:
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


def _page(
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
class _Posted:
    """One posted form of the arrangement's page, and what to do with it."""

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
            return _page(self.request, self.case, self.a, {self.key: self.form})
        messages.success(self.request, done)
        return redirect(_url(self.a, anchor))


def _posted(request: HttpRequest, pk: int, arr_pk: int, key: str, make: FormMaker | None = None) -> _Posted:
    case, a = _found(request, pk, arr_pk)
    form = (make or FORMS[key])(case, a, request.user, request.POST)
    return _Posted(request, case, a, key, form)


# --- lists and the case section ------------------------------------------------------------------------


@login_required
def waiting(request: HttpRequest) -> HttpResponse:
    """What waits for the user in the permanent care process, then every plan they may see."""
    context = {
        "waiting": selectors.waiting_for(request.user),
        "arrangements": list(selectors.arrangements_visible_to(request.user)),
    }
    return render(request, "permanent_care/waiting.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Begin a plan when a caregiver says they intend a permanent living arrangement: the referral is drafted."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), "Only the case's social worker, supervisor or site manager can do this.")
    form = f.ReferralForm(request.POST if request.method == "POST" else None, case=case)
    arrangement = request.method == "POST" and save_or_show_errors(
        form, lambda: services.arrangement_start(actor=request.user, case=case, data=form.details())
    )
    if arrangement:
        messages.success(request, "Permanent care support plan started: check the referral pack, then send it.")
        return redirect(_url(arrangement, "referral"))
    status = 400 if form.is_bound else 200
    return render(request, "permanent_care/start.html", {"case": case, "form": form}, status=status)


@login_required
def arrangement(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    """The plan from referral to review: what it is, where it stands, and what each person does next."""
    case, a = _found(request, pk, arr_pk)
    return _page(request, case, a)


@login_required
def letter(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    """The acknowledgement letter to the caregiver, as a PDF, once the plan is with the support service."""
    case, a = _found(request, pk, arr_pk)
    if a.status not in LETTER_READY or a.sent_at is None:
        return render(request, "permanent_care/letter_unavailable.html", {"case": case, "a": a}, status=404)
    response = HttpResponse(letter_pdf(a), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="acknowledgement-letter-{case.reference or case.pk}.pdf"'
    return response


# --- the referral, allocation and discussion -------------------------------------------------------------


@login_required
@require_POST
def referral_change(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "referral")
    return p.answer(
        lambda: services.referral_update(actor=p.actor, arrangement=p.a, data=p.details()),
        "Referral saved.",
        "referral",
    )


@login_required
@require_POST
def referral_send(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "referral_send")
    return p.answer(
        lambda: services.referral_send(actor=p.actor, arrangement=p.a),
        f"Referral sent to {p.a.support_service}.",
        "referral",
    )


@login_required
@require_POST
def allocate(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "allocate")
    return p.answer(
        lambda: services.caseworker_allocate(actor=p.actor, arrangement=p.a, **p.data),
        "Caseworker allocated.",
        "allocation",
    )


@login_required
@require_POST
def discussion_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "discussion")
    return p.answer(
        lambda: services.discussion_record(actor=p.actor, arrangement=p.a, data=p.details()),
        "Discussion recorded.",
        "discussions",
    )


# --- the plan's content ------------------------------------------------------------------------------------


@login_required
@require_POST
def dates_set(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "dates")
    return p.answer(
        lambda: services.plan_set_dates(actor=p.actor, arrangement=p.a, data=p.data),
        "The plan's dates are saved.",
        "plan",
    )


@login_required
@require_POST
def objective_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "objective")
    return p.answer(
        lambda: services.objective_add(actor=p.actor, arrangement=p.a, data=p.data), "Objective added.", "objectives"
    )


@login_required
@require_POST
def objective_remove(request: HttpRequest, pk: int, arr_pk: int, objective_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "remove")
    objective = get_object_or_404(Objective, pk=objective_pk, arrangement=p.a)
    return p.answer(
        lambda: services.objective_remove(actor=p.actor, objective=objective),
        "Objective removed, with its supports.",
        "objectives",
    )


def _item_form(objective_pk: int) -> FormMaker:
    return lambda c, a, u, d: f.ItemForm(d, case=c, auto_id=f"o{objective_pk}_%s")


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int, arr_pk: int, objective_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, f"item-{objective_pk}", _item_form(objective_pk))
    objective = get_object_or_404(Objective, pk=objective_pk, arrangement=p.a, archived_at__isnull=True)
    return p.answer(
        lambda: services.item_add(actor=p.actor, objective=objective, data=p.details()),
        "Support added.",
        f"objective-{objective.pk}",
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, arr_pk: int, item_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "remove")
    item = get_object_or_404(SupportItem.objects.select_related("objective"), pk=item_pk, objective__arrangement=p.a)
    return p.answer(
        lambda: services.item_remove(actor=p.actor, item=item), "Support removed.", f"objective-{item.objective_id}"
    )


def _leading(request: HttpRequest, pk: int, arr_pk: int) -> tuple[Case, SupportArrangement]:
    """As `_found`, for a page that changes the plan: 403 for those who may only read it."""
    case, a = _found(request, pk, arr_pk)
    ensure(can.can_lead(request.user, a), LEAD_ONLY)
    return case, a


def _fixed(a: SupportArrangement) -> str:
    """Why the plan's content cannot change now, or '' (the service refuses a change with its own words)."""
    if a.status in CONTENT_EDITABLE:
        return ""
    reopen = " Reopen planning to change it." if a.status in (S.READY_FOR_COURT, S.APPROVED) else ""
    return f"The plan is {a.get_status_display().lower()}: its content is fixed.{reopen}"


def _edit_page(request: HttpRequest, case: Case, a: SupportArrangement, form: BaseForm, **extra: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"case": case, "a": a, "form": form, "fixed": _fixed(a), **extra}
    return render(request, "permanent_care/edit.html", context, status=status)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int, arr_pk: int, objective_pk: int) -> HttpResponse:
    """Change an objective: its wording, or the identified need it meets."""
    case, a = _leading(request, pk, arr_pk)
    objective = get_object_or_404(Objective, pk=objective_pk, arrangement=a, archived_at__isnull=True)
    form = f.ObjectiveForm(_data(request), instance=objective, case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.objective_update(actor=request.user, objective=objective, data=form.cleaned_data)
    ):
        messages.success(request, "Objective saved.")
        return redirect(_url(a, f"objective-{objective.pk}"))
    return _edit_page(request, case, a, form, title="Change the objective", thing=objective.title)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, arr_pk: int, item_pk: int) -> HttpResponse:
    """Change a support; it passes the good test as when it was added, or nothing changes."""
    case, a = _leading(request, pk, arr_pk)
    item = get_object_or_404(
        SupportItem.objects.select_related("objective"),
        pk=item_pk,
        objective__arrangement=a,
        objective__archived_at__isnull=True,
        archived_at__isnull=True,
    )
    form = f.ItemForm(_data(request), instance=item, case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.item_update(actor=request.user, item=item, data=form.details())
    ):
        messages.success(request, "Support saved.")
        return redirect(_url(a, f"objective-{item.objective_id}"))
    return _edit_page(request, case, a, form, title="Change the support", thing=item.what, support=True)


@login_required
@require_POST
def universal_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "universal")
    return p.answer(
        lambda: services.universal_service_add(actor=p.actor, arrangement=p.a, data=p.data),
        "Universal service listed.",
        "universal",
    )


@login_required
@require_POST
def universal_remove(request: HttpRequest, pk: int, arr_pk: int, service_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "remove")
    service = get_object_or_404(UniversalService, pk=service_pk, arrangement=p.a)
    return p.answer(
        lambda: services.universal_service_remove(actor=p.actor, service=service),
        "Universal service removed.",
        "universal",
    )


# --- agreement, the court step, approval and escalation -------------------------------------------------


@login_required
@require_POST
def agreement_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "agreement")
    return p.answer(
        lambda: services.agreement_record(actor=p.actor, arrangement=p.a, **p.data), "Agreement recorded.", "agreement"
    )


@login_required
@require_POST
def ready_for_court(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "court_step")
    return p.answer(
        lambda: services.mark_ready_for_court(actor=p.actor, arrangement=p.a, **p.data),
        "Everyone agrees: the plan is ready for court.",
        "court-step",
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "submit")
    return p.answer(
        lambda: services.submit_for_approval(actor=p.actor, arrangement=p.a), "Submitted for approval.", "approval"
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "decide")
    return p.answer(
        lambda: services.approval_decide(actor=p.actor, arrangement=p.a, **p.data), "Decision recorded.", "approval"
    )


@login_required
@require_POST
def rung_record(request: HttpRequest, pk: int, arr_pk: int, rung: int) -> HttpResponse:
    p = _posted(
        request, pk, arr_pk, "rung", lambda c, a, u, d: f.RungForm(d, arrangement=a, rung=rung, auto_id="rung_%s")
    )
    return p.answer(
        lambda: services.escalation_record(actor=p.actor, arrangement=p.a, rung=rung, data=p.data),
        f"Escalation step {rung} recorded.",
        "escalation",
    )


@login_required
@require_POST
def follow_up_record(request: HttpRequest, pk: int, arr_pk: int, follow_up_pk: int) -> HttpResponse:
    p = _posted(
        request,
        pk,
        arr_pk,
        f"follow_up-{follow_up_pk}",
        lambda c, a, u, d: f.FollowUpForm(d, auto_id=f"fu{follow_up_pk}_%s"),
    )
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("arrangement__case"), pk=follow_up_pk, arrangement=p.a
    )
    return p.answer(
        lambda: services.follow_up_record(actor=p.actor, follow_up=follow_up, data=p.data),
        f"Discussion with {follow_up.who} recorded.",
        "follow-ups",
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "reopen")
    return p.answer(
        lambda: services.planning_reopen(actor=p.actor, arrangement=p.a, **p.data),
        "Planning reopened: everyone is asked to agree again.",
        "plan",
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "withdraw")
    return p.answer(
        lambda: services.arrangement_withdraw(actor=p.actor, arrangement=p.a, **p.data),
        "The plan is withdrawn.",
        "status",
    )


# --- hand-over, the letter, purchases, review ------------------------------------------------------------


@login_required
@require_POST
def send(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "send")
    return p.answer(
        lambda: services.arrangement_send(actor=p.actor, arrangement=p.a),
        f"The plan is sent to {p.a.support_service}.",
        "handover",
    )


@login_required
@require_POST
def letter_sent(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "letter")
    return p.answer(
        lambda: services.letter_record_sent(actor=p.actor, arrangement=p.a, **p.data),
        "Acknowledgement letter recorded: the plan is in place.",
        "handover",
    )


@login_required
@require_POST
def purchase_add(request: HttpRequest, pk: int, arr_pk: int, item_pk: int) -> HttpResponse:
    case, a = _found(request, pk, arr_pk)
    item = get_object_or_404(SupportItem.objects.select_related("objective"), pk=item_pk, objective__arrangement=a)
    form = f.PurchaseForm(request.POST, item=item, auto_id=f"p{item.pk}_%s")
    p = _Posted(request, case, a, f"purchase-{item.pk}", form)
    return p.answer(
        lambda: services.purchase_record(actor=p.actor, arrangement=a, item=item, data=p.details()),
        "Purchase recorded.",
        "purchases",
    )


@login_required
@require_POST
def delivery_add(request: HttpRequest, pk: int, arr_pk: int, purchase_pk: int) -> HttpResponse:
    p = _posted(
        request,
        pk,
        arr_pk,
        f"delivery-{purchase_pk}",
        lambda c, a, u, d: f.DeliveryForm(d, auto_id=f"d{purchase_pk}_%s"),
    )
    purchase = get_object_or_404(Purchase.objects.select_related("arrangement__case"), pk=purchase_pk, arrangement=p.a)
    return p.answer(
        lambda: services.delivery_record(actor=p.actor, purchase=purchase, data=p.details()),
        "Delivery recorded.",
        "purchases",
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "review")
    return p.answer(
        lambda: services.review_record(actor=p.actor, arrangement=p.a, data=p.details()), "Review recorded.", "review"
    )


@login_required
@require_POST
def further_support(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = _posted(request, pk, arr_pk, "further")
    return p.answer(
        lambda: services.further_support_record(actor=p.actor, arrangement=p.a, data=p.details()),
        "Further support recorded.",
        "further",
    )

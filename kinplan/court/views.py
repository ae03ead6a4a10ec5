"""Court pages: parse, authorise, call one service or selector, render.

Recording a condition's compliance and linking its plan steps happen in place with htmx (only the condition
changes); every form also works as a plain post and redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.court import forms as f
from kinplan.court import selectors, services
from kinplan.court.models import CourtOrder, Hearing, OrderCondition
from kinplan.court.services._common import day

# --- finding things: reads log the view; writes need a case the user may change -----------------------


def _editable_case(request: HttpRequest, pk: int) -> Case:
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case's court orders and hearings."))
    return case


def _order(case: Case, order_pk: int) -> CourtOrder:
    return get_object_or_404(CourtOrder.objects.select_related("case"), pk=order_pk, case=case)


def _condition(case: Case, condition_pk: int) -> OrderCondition:
    return get_object_or_404(OrderCondition.objects.select_related("order__case"), pk=condition_pk, order__case=case)


def _hearing(case: Case, hearing_pk: int) -> Hearing:
    return get_object_or_404(Hearing.objects.select_related("case", "order"), pk=hearing_pk, case=case)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _order_url(order: CourtOrder, anchor: str = "") -> str:
    return reverse("court:order", args=[order.case_id, order.pk]) + (f"#{anchor}" if anchor else "")


def _court_url(case: Case, anchor: str = "") -> str:
    return reverse("court:case", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _form_page(request: HttpRequest, case: Case, form: BaseForm, title: str, **extra: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "court/form.html", {"case": case, "form": form, "title": title, **extra}, status=status)


def _locked(obj: CourtOrder | Hearing) -> str:
    """Why an ended order or a hearing that is over cannot change, or ''."""
    status = obj.get_status_display().lower()
    if isinstance(obj, CourtOrder):
        return (
            "" if obj.is_in_force else _("This court order is %(status)s: it is kept as it was.") % {"status": status}
        )
    return "" if obj.is_scheduled else _("This hearing is %(status)s: it is kept as it was.") % {"status": status}


# --- the court page and an order's page ---------------------------------------------------------------


@login_required
def court_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Every order of the case at a glance, and every hearing."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    context = {"case": case, "can_edit": can_edit_case(request.user, case)}
    return render(
        request, "court/case_court.html", context | selectors.case_court(case=case, today=timezone.localdate())
    )


def _compliance_form(condition: OrderCondition, data: Any = None) -> f.ComplianceForm:
    initial = {"compliance": condition.compliance, "note": condition.note}
    return f.ComplianceForm(data, initial=initial, auto_id=f"c{condition.pk}_%s")


@login_required
def order_detail(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """An order: its details, conditions with compliance and the plan steps that satisfy them, hearings, history."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    order = selectors.order_with_conditions(case=case, order_pk=order_pk)
    context = {"case": case, "today": timezone.localdate(), **selectors.order_page(order=order)}
    context["can_edit"] = can_edit_case(request.user, case)
    context["can_change"] = context["can_edit"] and order.is_in_force
    for condition in context["conditions"]:
        condition.compliance_form = _compliance_form(condition)
    return render(request, "court/order_detail.html", context)


# --- orders ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an order the court made, with its conditions."""
    case = _editable_case(request, pk)
    form = f.NewOrderForm(_data(request), case=case)
    order = request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.order_create(
            actor=request.user, case=case, data=form.details(), conditions=form.cleaned_data["conditions"]
        ),
    )
    if order:
        messages.success(request, _("%(order)s recorded.") % {"order": order.get_kind_display()})
        return redirect(_order_url(order))
    return _form_page(request, case, form, _("Record a court order"), submit=_("Record the order"))


@login_required
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Correct an order's details while it is in force."""
    case = _editable_case(request, pk)
    order = _order(case, order_pk)
    form = f.OrderForm(_data(request), instance=order, case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.order_update(actor=request.user, order=order, data=form.details())
    ):
        messages.success(request, _("Order saved."))
        return redirect(_order_url(order))
    title = _("Edit the order: %(order)s") % {"order": order}
    return _form_page(request, case, form, title, order=order, locked=_locked(order))


@login_required
@require_http_methods(["GET", "POST"])
def order_end(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Record that an order was discharged, expired or was replaced by another order."""
    case = _editable_case(request, pk)
    order = _order(case, order_pk)
    form = f.OrderEndForm(_data(request), order=order)
    ended = request.method == "POST" and save_or_show_errors(
        form, lambda: services.order_end(actor=request.user, order=order, **form.cleaned_data)
    )
    if ended:
        messages.success(request, _("The order is now %(status)s.") % {"status": ended.get_status_display().lower()})
        return redirect(_order_url(ended))
    title = _("Discharge or end the order: %(order)s") % {"order": order}
    return _form_page(request, case, form, title, order=order, locked=_locked(order), submit=_("Record it"))


# --- conditions ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def condition_add(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    case = _editable_case(request, pk)
    order = _order(case, order_pk)
    form = f.ConditionForm(_data(request), auto_id="new_condition_%s")
    condition = request.method == "POST" and save_or_show_errors(
        form, lambda: services.condition_add(actor=request.user, order=order, text=form.cleaned_data["text"])
    )
    if condition:
        messages.success(request, _("Condition added."))
        return redirect(_order_url(order, f"condition-{condition.pk}"))
    title = _("Add a condition to the order: %(order)s") % {"order": order}
    return _form_page(request, case, form, title, order=order, locked=_locked(order))


@login_required
@require_http_methods(["GET", "POST"])
def condition_edit(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    """Change a condition's wording (after a variation, or a typing slip)."""
    case = _editable_case(request, pk)
    condition = _condition(case, condition_pk)
    form = f.ConditionForm(_data(request), instance=condition)
    if request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.condition_update(actor=request.user, condition=condition, text=form.cleaned_data["text"]),
    ):
        messages.success(request, _("Condition saved."))
        return redirect(_order_url(condition.order, f"condition-{condition.pk}"))
    order = condition.order
    title = _("Change the condition's wording")
    return _form_page(request, case, form, title, order=order, locked=_locked(order))


def _condition_answer(
    request: HttpRequest, case: Case, condition: OrderCondition, *, form: BaseForm, action: str, saved: bool
) -> HttpResponse:
    """The condition as it now stands: with htmx the piece of page, without it the order page (when saved) or
    the condition's own page with the form and its errors."""
    if saved and not request.htmx:
        messages.success(request, _("Saved."))
        return redirect(_order_url(condition.order, f"condition-{condition.pk}"))
    piece = selectors.condition_piece(condition=condition)
    shown = piece["condition"]
    shown.compliance_form = form if action == "compliance" and not saved else _compliance_form(shown)
    shown.steps_form = form if action == "steps" and not saved else None
    context = {"case": case, "can_change": shown.order.is_in_force, "today": timezone.localdate(), "saved": saved}
    context |= piece | {"open": "" if saved else action, "order": shown.order}
    template = "court/partials/_condition.html" if request.htmx else "court/condition_action.html"
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def condition_compliance(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    """Record how far the condition is complied with, as checked on a date; in place with htmx."""
    case = _editable_case(request, pk)
    condition = _condition(case, condition_pk)
    form = _compliance_form(condition, _data(request))
    saved = request.method == "POST" and save_or_show_errors(
        form, lambda: services.condition_record_compliance(actor=request.user, condition=condition, **form.cleaned_data)
    )
    return _condition_answer(request, case, condition, form=form, action="compliance", saved=bool(saved))


@login_required
@require_http_methods(["GET", "POST"])
def condition_steps(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    """Link the condition to the steps of the current plan that satisfy it (unticked steps are unlinked)."""
    case = _editable_case(request, pk)
    condition = _condition(case, condition_pk)
    form = f.ConditionStepsForm(_data(request), case=case, auto_id=f"c{condition.pk}_%s")
    saved = request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.condition_set_steps(actor=request.user, condition=condition, steps=form.cleaned_data["steps"]),
    )
    return _condition_answer(request, case, condition, form=form, action="steps", saved=bool(saved))


# --- hearings --------------------------------------------------------------------------------------


def _hearing_initial(request: HttpRequest, case: Case) -> dict[str, Any]:
    """A hearing about an order (?order=N) starts with the order and its court."""
    raw = request.GET.get("order", "")
    order = CourtOrder.objects.filter(case=case, pk=raw).first() if raw.isdigit() else None
    return {"order": order.pk, "court": order.court} if order else {}


@login_required
@require_http_methods(["GET", "POST"])
def hearing_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a hearing in the case's diary."""
    case = _editable_case(request, pk)
    form = f.HearingForm(_data(request), case=case, initial=_hearing_initial(request, case))
    hearing = request.method == "POST" and save_or_show_errors(
        form, lambda: services.hearing_schedule(actor=request.user, case=case, data=form.details())
    )
    if hearing:
        messages.success(request, _("Hearing on %(date)s scheduled.") % {"date": day(hearing.date)})
        return redirect(_court_url(case, f"hearing-{hearing.pk}"))
    return _form_page(request, case, form, _("Schedule a hearing"), submit=_("Schedule it"))


@login_required
@require_http_methods(["GET", "POST"])
def hearing_edit(request: HttpRequest, pk: int, hearing_pk: int) -> HttpResponse:
    """Change a scheduled hearing's date, time, court, purpose or order."""
    case = _editable_case(request, pk)
    hearing = _hearing(case, hearing_pk)
    form = f.HearingForm(_data(request), instance=hearing, case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.hearing_update(actor=request.user, hearing=hearing, data=form.details())
    ):
        messages.success(request, _("Hearing saved."))
        return redirect(_court_url(case, f"hearing-{hearing.pk}"))
    title = _("Change the hearing on %(date)s") % {"date": day(hearing.date)}
    return _form_page(request, case, form, title, locked=_locked(hearing))


@login_required
@require_http_methods(["GET", "POST"])
def hearing_outcome(request: HttpRequest, pk: int, hearing_pk: int) -> HttpResponse:
    """Record what happened: held (with the outcome), adjourned (why, and to when) or cancelled (why)."""
    case = _editable_case(request, pk)
    hearing = _hearing(case, hearing_pk)
    form = f.HearingOutcomeForm(_data(request))
    recorded = request.method == "POST" and save_or_show_errors(
        form, lambda: services.hearing_record_outcome(actor=request.user, hearing=hearing, **form.cleaned_data)
    )
    if recorded:
        status = recorded.get_status_display().lower()
        messages.success(request, _("The hearing is recorded as %(status)s.") % {"status": status})
        return redirect(_court_url(case, f"hearing-{hearing.pk}"))
    title = _("Record the hearing on %(date)s: %(purpose)s") % {"date": day(hearing.date), "purpose": hearing.purpose}
    return _form_page(request, case, form, title, hearing=hearing, locked=_locked(hearing), submit=_("Record it"))

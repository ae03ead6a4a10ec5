"""The permanent care pages one opens: what waits, starting a plan, the plan, its letter, the edit pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.documents.pdf import pdf_response
from kinplan.permanent_care import forms as f
from kinplan.permanent_care import permissions as can
from kinplan.permanent_care import selectors, services
from kinplan.permanent_care.letter import letter_pdf
from kinplan.permanent_care.models import CONTENT_EDITABLE, Objective, SupportArrangement, SupportItem
from kinplan.permanent_care.services.plan import LEAD_ONLY
from kinplan.permanent_care.views._common import LETTER_READY, S, found, page_url, render_page

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
    ensure(
        can_edit_case(request.user, case), _("Only the case's social worker, supervisor or site manager can do this.")
    )
    form = f.ReferralForm(request.POST if request.method == "POST" else None, case=case)
    arrangement = request.method == "POST" and save_or_show_errors(
        form, lambda: services.arrangement_start(actor=request.user, case=case, data=form.details())
    )
    if arrangement:
        messages.success(request, _("Permanent care support plan started: check the referral pack, then send it."))
        return redirect(page_url(arrangement, "referral"))
    status = 400 if form.is_bound else 200
    return render(request, "permanent_care/start.html", {"case": case, "form": form}, status=status)


@login_required
def arrangement(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    """The plan from referral to review: what it is, where it stands, and what each person does next."""
    case, a = found(request, pk, arr_pk)
    return render_page(request, case, a)


@login_required
def letter(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    """The acknowledgement letter to the caregiver, as a PDF, once the plan is with the support service."""
    case, a = found(request, pk, arr_pk)
    if a.status not in LETTER_READY or a.sent_at is None:
        return render(request, "permanent_care/letter_unavailable.html", {"case": case, "a": a}, status=404)
    return pdf_response(letter_pdf(a), _("acknowledgement letter"), case.reference or case.pk)


# --- the edit pages -----------------------------------------------------------------------------------


def _leading(request: HttpRequest, pk: int, arr_pk: int) -> tuple[Case, SupportArrangement]:
    """As `found`, for a page that changes the plan: 403 for those who may only read it."""
    case, a = found(request, pk, arr_pk)
    ensure(can.can_lead(request.user, a), LEAD_ONLY)
    return case, a


def _fixed(a: SupportArrangement) -> str:
    """Why the plan's content cannot change now, or '' (the service refuses a change with its own words)."""
    if a.status in CONTENT_EDITABLE:
        return ""
    status = a.get_status_display().lower()
    if a.status in (S.READY_FOR_COURT, S.APPROVED):
        return _("The plan is %(status)s: its content is fixed. Reopen planning to change it.") % {"status": status}
    return _("The plan is %(status)s: its content is fixed.") % {"status": status}


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
        messages.success(request, _("Objective saved."))
        return redirect(page_url(a, f"objective-{objective.pk}"))
    return _edit_page(request, case, a, form, title=_("Change the objective"), thing=objective.title)


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
        messages.success(request, _("Support saved."))
        return redirect(page_url(a, f"objective-{item.objective_id}"))
    return _edit_page(request, case, a, form, title=_("Change the support"), thing=item.what, support=True)

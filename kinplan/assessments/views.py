"""Assessment pages: parse, authorise, call one service, render.

Reads need the case to be visible (else 404, and every view is logged); changes also need
`can_edit_case` (else 403). Draft-only rules (a completed assessment is read-only) live in the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kinplan.assessments import forms as f
from kinplan.assessments import selectors, services
from kinplan.assessments.models import Assessment, Need, RiskFactor
from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors

NOT_YOURS = gettext_lazy("You cannot change this case's assessments.")


def _case(request: HttpRequest, pk: int, *, edit: bool = False) -> Case:
    case = case_get_for_user_or_404(request.user, pk, request=request)
    if edit:
        ensure(can_edit_case(request.user, case), NOT_YOURS)
    return case


def _assessment(case: Case, a_pk: int) -> Assessment:
    return get_object_or_404(selectors.assessments_for_case(case=case), pk=a_pk)


def _detail_url(assessment: Assessment, anchor: str = "") -> str:
    url = reverse("assessments:detail", args=[assessment.case_id, assessment.pk])
    return f"{url}#{anchor}" if anchor else url


def _read_only(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    """A completed assessment's edit pages send the reader back to it, saying why."""
    if request.method == "GET" and not assessment.is_draft:
        messages.info(request, _("This assessment is completed and read-only. Start a reassessment to record changes."))
        return redirect(_detail_url(assessment))
    return None


def _form_page(request: HttpRequest, case: Case, assessment: Assessment | None, form: Any, title: str) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"case": case, "assessment": assessment, "form": form, "title": title}
    return render(request, "assessments/form.html", context, status=status)


def _detail_context(request: HttpRequest, case: Case, assessment: Assessment) -> dict[str, Any]:
    can_edit = can_edit_case(request.user, case)
    return {
        "case": case,
        "assessment": assessment,
        "can_edit": can_edit,
        "editable": can_edit and assessment.is_draft,
        "suggested_goals": selectors.suggested_goals(assessment=assessment),
        "completion_errors": services.assessment_completion_errors(assessment) if assessment.is_draft else {},
    }


# --- assessments ---------------------------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every assessment of the case, newest first, and how the overall risk level changed."""
    case = _case(request, pk)
    assessments = list(selectors.assessments_for_case(case=case))
    context = {
        "case": case,
        "assessments": assessments,
        "draft": next((a for a in assessments if a.is_draft), None),
        "risk_history": selectors.risk_history(case=case),
        "can_edit": can_edit_case(request.user, case),
    }
    return render(request, "assessments/assessment_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft: afresh, or from the last completed assessment."""
    case = _case(request, pk, edit=True)
    latest = selectors.latest_assessment(case=case)
    form = f.AssessmentStartForm(request.POST or None, latest=latest, initial={"start_from_latest": bool(latest)})
    created = request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.assessment_create(
            actor=request.user,
            case=case,
            data={"assessed_on": form.cleaned_data["assessed_on"]},
            start_from=latest if form.cleaned_data.get("start_from_latest") else None,
        ),
    )
    if created:
        messages.success(request, _("Draft assessment started."))
        return redirect("assessments:edit", pk=case.pk, a_pk=created.pk)
    draft = case.assessments.filter(status=Assessment.Status.DRAFT).first()
    context = {"case": case, "form": form, "latest": latest, "draft": draft}
    return render(request, "assessments/assessment_new.html", context, status=400 if form.errors else 200)


@login_required
def assessment_detail(request: HttpRequest, pk: int, a_pk: int) -> HttpResponse:
    """One assessment: read-only once completed, with who wrote and completed it and when."""
    case = _case(request, pk)
    assessment = _assessment(case, a_pk)
    return render(request, "assessments/assessment_detail.html", _detail_context(request, case, assessment))


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int, a_pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True)
    assessment = _assessment(case, a_pk)
    if refused := _read_only(request, assessment):
        return refused
    form = f.AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.assessment_update(actor=request.user, assessment=assessment, data=form.cleaned_data)
    ):
        messages.success(request, _("Assessment saved."))
        return redirect(_detail_url(assessment))
    title = _("Edit the assessment of %(date)s") % {"date": date_format(assessment.assessed_on, "DATE_FORMAT")}
    return _form_page(request, case, assessment, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_complete(request: HttpRequest, pk: int, a_pk: int) -> HttpResponse:
    """Confirm, then complete: the assessment becomes read-only and joins the risk history."""
    case = _case(request, pk, edit=True)
    assessment = _assessment(case, a_pk)
    if refused := _read_only(request, assessment):
        return refused
    errors = services.assessment_completion_errors(assessment) if assessment.is_draft else {}
    if request.method == "POST":
        try:
            services.assessment_complete(actor=request.user, assessment=assessment)
        except ValidationError as error:
            errors = dict(error.message_dict) if hasattr(error, "error_dict") else {"__all__": error.messages}
        else:
            messages.success(request, _("Assessment completed. It is now read-only."))
            return redirect(_detail_url(assessment))
    context = {"case": case, "assessment": assessment, "errors": _labelled(errors)}
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/assessment_complete.html", context, status=status)


LABELS = {
    "overall_risk": gettext_lazy("Overall risk level"),
    "risk_reasoning": gettext_lazy("Reasoning"),
    "safety_decision": gettext_lazy("Safety decision"),
    "risk_factors": gettext_lazy("Risk factors"),
    "__all__": "",
}


def _labelled(errors: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, message) pairs for the completion checklist."""
    pairs = []
    for field, messages_ in errors.items():
        for message in [messages_] if isinstance(messages_, str) else messages_:
            pairs.append((LABELS.get(field, field.replace("_", " ").capitalize()), message))
    return pairs


# --- risk factors and needs ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def risk_factor_add(request: HttpRequest, pk: int, a_pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True)
    assessment = _assessment(case, a_pk)
    if refused := _read_only(request, assessment):
        return refused
    form = f.RiskFactorForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.risk_factor_set(actor=request.user, assessment=assessment, **form.cleaned_data)
    ):
        messages.success(request, _("Risk factor rated."))
        return redirect(_detail_url(assessment, "risk-factors-h"))
    return _form_page(request, case, assessment, form, _("Rate a risk factor"))


@login_required
@require_http_methods(["GET", "POST"])
def risk_factor_edit(request: HttpRequest, pk: int, a_pk: int, f_pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True)
    assessment = _assessment(case, a_pk)
    factor = get_object_or_404(RiskFactor, pk=f_pk, assessment=assessment)
    if refused := _read_only(request, assessment):
        return refused
    form = f.RiskFactorEditForm(request.POST or None, instance=factor)
    if request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.risk_factor_set(
            actor=request.user, assessment=assessment, factor=factor.factor, **form.cleaned_data
        ),
    ):
        messages.success(request, _("%(factor)s saved.") % {"factor": factor.get_factor_display()})
        return redirect(_detail_url(assessment, "risk-factors-h"))
    title = _("Rate %(factor)s") % {"factor": factor.get_factor_display().lower()}
    return _form_page(request, case, assessment, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def need_add(request: HttpRequest, pk: int, a_pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True)
    assessment = _assessment(case, a_pk)
    if refused := _read_only(request, assessment):
        return refused
    form = f.NeedForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.need_add(actor=request.user, assessment=assessment, data=form.cleaned_data)
    ):
        messages.success(request, _("Need added."))
        return redirect(_detail_url(assessment, "needs-h"))
    return _form_page(request, case, assessment, form, _("Add a need"))


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int, a_pk: int, n_pk: int) -> HttpResponse:
    case = _case(request, pk, edit=True)
    assessment = _assessment(case, a_pk)
    need = get_object_or_404(Need, pk=n_pk, assessment=assessment)
    if refused := _read_only(request, assessment):
        return refused
    form = f.NeedForm(request.POST or None, instance=need, assessment=assessment)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.need_update(actor=request.user, need=need, data=form.cleaned_data)
    ):
        messages.success(request, _("Need saved."))
        return redirect(_detail_url(assessment, "needs-h"))
    return _form_page(request, case, assessment, form, _("Edit “%(title)s”") % {"title": need.title})


REMOVABLE: dict[str, dict[str, Any]] = {
    "risk-factors": {
        "model": RiskFactor,
        "remove": lambda actor, obj: services.risk_factor_remove(actor=actor, risk_factor=obj),
    },
    "needs": {"model": Need, "remove": lambda actor, obj: services.need_remove(actor=actor, need=obj)},
}


@login_required
@require_http_methods(["GET", "POST"])
def finding_remove(request: HttpRequest, pk: int, a_pk: int, kind: str, obj_pk: int) -> HttpResponse:
    """Remove a risk factor or need from a draft after a confirmation (htmx: inline, returning the findings)."""
    spec = REMOVABLE[kind]
    case = _case(request, pk, edit=True)
    assessment = _assessment(case, a_pk)
    obj = get_object_or_404(spec["model"], pk=obj_pk, assessment=assessment)
    if refused := _read_only(request, assessment):
        return refused
    error = None
    if request.method == "POST":
        try:
            spec["remove"](request.user, obj)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if request.htmx:
                fresh = _assessment(case, a_pk)
                return render(request, "assessments/partials/_findings.html", _detail_context(request, case, fresh))
            messages.success(request, _("“%(item)s” removed.") % {"item": obj})
            return redirect(_detail_url(assessment, "findings"))
    context = {"case": case, "assessment": assessment, "obj": obj, "error": error}
    return render(request, "assessments/confirm_remove.html", context, status=400 if error else 200)

"""FHIR downloads of a plan and the import of a care plan as a draft: parse, authorise, call one thing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.fhir.forms import ImportForm
from kinplan.fhir.importer import plan_import
from kinplan.fhir.responses import fhir_response
from kinplan.fhir.selectors import service_plan_export, support_plan_export


def _version(request: HttpRequest) -> int | None:
    raw = request.GET.get("version") or None
    if raw is not None and not raw.isdigit():
        raise Http404(_("No such version."))
    return int(raw) if raw else None


@login_required
def plan_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The current plan (or ?version=N) as a FHIR Bundle."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    version = _version(request)
    try:
        bundle = service_plan_export(case=case, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("planning:plan", args=[case.pk]))
    return fhir_response(bundle, f"{case.reference or case.pk}-plan" + (f"-v{version}" if version else ""))


@login_required
def arrangement_download(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    """A permanent care support plan as a FHIR Bundle."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    bundle = support_plan_export(case=case, arrangement_id=arr_pk)
    return fhir_response(bundle, f"{case.reference or case.pk}-permanent-care-{arr_pk}")


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a FHIR care plan as the case's draft plan: all of it, or nothing and every problem shown."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case's plan."))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if form.is_valid():
        try:
            plan_import(actor=request.user, case=case, raw=form.cleaned_data["file"].read())
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("Care plan imported as a draft: check it, then agree it with the team."))
            return redirect(reverse("planning:plan", args=[case.pk]))
    status = 400 if problems or form.errors else 200
    return render(request, "fhir/import.html", {"case": case, "form": form, "problems": problems}, status=status)

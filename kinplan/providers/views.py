"""Directory and informal-support pages: parse, authorise, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.providers import forms as f
from kinplan.providers import selectors, services
from kinplan.providers.models import Provider


def _case_for_matching(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The case whose family the search is ranked for (?case=ID), if the user may open it."""
    raw = request.GET.get("case", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such case.")
    return case_get_for_user_or_404(request.user, int(raw), request=request)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Search providers by service, area and cultural match; for a case, the family's matches come first."""
    case = _case_for_matching(request)
    form = f.DirectorySearchForm(request.GET or None)
    matches = None
    if form.is_valid():
        data = form.cleaned_data
        matches = selectors.provider_search(
            user=request.user,
            case=case,
            service_type=data["service_type"],
            area=data["area"],
            culture=data["culture"],
            query=data["q"],
        )
    context = {"form": form, "matches": matches, "case": case}
    template = "providers/partials/_results.html" if request.htmx else "providers/directory.html"
    return render(request, template, context)


@login_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_detail(user=request.user, pk=pk)
    if provider is None:
        raise Http404("No such provider.")
    if provider.case_id:  # an informal support is part of its case's record
        case_get_for_user_or_404(request.user, provider.case_id, request=request)
    can_edit = request.user.has_perm("providers.change_provider", provider)
    return render(request, "providers/provider_detail.html", {"provider": provider, "can_edit": can_edit})


@login_required
@require_http_methods(["GET", "POST"])
def informal_support_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a relative or friend who helps the family."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case."))
    form = f.InformalSupportForm(request.POST or None, case=case)
    support = request.method == "POST" and save_or_show_errors(
        form,
        lambda: services.informal_support_add(
            actor=request.user, case=case, person=form.cleaned_data["person"], data=form.details()
        ),
    )
    if support:
        messages.success(request, _("%(name)s is recorded as an informal support.") % {"name": support.name})
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, _("Add an informal support"))


@login_required
@require_http_methods(["GET", "POST"])
def informal_support_edit(request: HttpRequest, pk: int, support_pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), _("You cannot change this case."))
    support = get_object_or_404(Provider, pk=support_pk, case=case)
    form = f.InformalSupportForm(request.POST or None, instance=support, case=case)
    if request.method == "POST" and save_or_show_errors(
        form, lambda: services.provider_update(actor=request.user, provider=support, data=form.details())
    ):
        messages.success(request, _("Informal support saved."))
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, _("Edit “%(name)s”") % {"name": support.name})


def _form_page(request: HttpRequest, case, form, title: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "providers/form.html", {"case": case, "form": form, "title": title}, status=status)

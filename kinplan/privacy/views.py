"""Privacy pages: subject access exports, the retention review, erasure requests and their decisions.

Parse, authorise, call one service or selector, render. What the user may not reach is a 404; what they may see
but not do is a 403; bad input shows the form again with its messages (400). Exports, erasure requests and
decisions need a recent sign-in (kinplan.accounts.reauth).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinplan.accounts.reauth import recent_sign_in_required
from kinplan.cases.models import Case, Person
from kinplan.cases.permissions import cases_in_role_scope, people_visible_to, person_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.privacy import forms as f
from kinplan.privacy import selectors, services
from kinplan.privacy.documents import subject_access_json, subject_access_pdf
from kinplan.privacy.models import ErasureRequest
from kinplan.privacy.permissions import (
    PRIVACY_ROLES,
    can_export_subject_access,
    can_request_case_erasure,
    can_request_person_erasure,
    can_review_retention,
    may_decide_on_visible_request,
)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, template: str, form: BaseForm, **context: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


# --- subject access -------------------------------------------------------------------------------------


def _exportable(request: HttpRequest, pk: int, *, log_view: bool) -> Person:
    """The person, if the user may export them (else 404 or 403). The preview page logs the look at the person;
    a download is logged by the export service instead, once."""
    if log_view:
        person = person_get_for_user_or_404(request.user, pk, request=request)
    else:
        person = people_visible_to(request.user).filter(pk=pk).first()
        if person is None:
            raise Http404(_("No such person."))
    ensure(
        can_export_subject_access(request.user, person),
        _("Only a site manager or a national manager exports what Kinplan holds about a person."),
    )
    return person


@login_required
@recent_sign_in_required
@require_GET
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """What an export of this person's record will hold, with the JSON and PDF downloads."""
    person = _exportable(request, pk, log_view=True)
    record = selectors.subject_access_record(person, for_user=request.user)
    return render(request, "privacy/subject_access.html", {"person": person, "record": record})


def _export(request: HttpRequest, pk: int, file_format: str) -> tuple[Person, dict[str, Any]]:
    person = _exportable(request, pk, log_view=False)
    record = selectors.subject_access_record(person, for_user=request.user)
    services.subject_access_exported(
        actor=request.user, person=person, record=record, file_format=file_format, path=request.path
    )
    return person, record


@login_required
@recent_sign_in_required
@require_GET
def subject_access_json_download(request: HttpRequest, pk: int) -> HttpResponse:
    person, record = _export(request, pk, "json")
    return subject_access_json(record, person)


@login_required
@recent_sign_in_required
@require_GET
def subject_access_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    person, record = _export(request, pk, "pdf")
    return subject_access_pdf(record, person, request.user)


# --- retention --------------------------------------------------------------------------------------------


@login_required
@require_GET
def retention_review(request: HttpRequest) -> HttpResponse:
    """The site's closed cases kept longer than the retention period: keep each, or ask for its erasure."""
    ensure(can_review_retention(request.user), _("Only a site manager reviews how long closed cases are kept."))
    today = timezone.localdate()
    cases = list(selectors.cases_due_for_retention_review(request.user, today)[: settings.KINPLAN_PAGE_SIZE])
    context = {"cases": cases, "years": settings.KINPLAN_RETENTION_YEARS, "cutoff": selectors.retention_cutoff(today)}
    return render(request, "privacy/retention.html", context)


def _closed_case(request: HttpRequest, pk: int) -> Case:
    case = selectors.retention_case_for(request.user, pk)
    if case is None:
        raise Http404(_("No such closed case."))
    return case


@login_required
@require_http_methods(["GET", "POST"])
def retention_keep(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep a closed case for a further period, with the reason."""
    case = _closed_case(request, pk)
    ensure(can_review_retention(request.user), _("Only a site manager reviews how long closed cases are kept."))
    form = f.KeepForm(_data(request))
    kept = request.method == "POST" and save_or_show_errors(
        form, lambda: services.retention_keep(actor=request.user, case=case, **form.cleaned_data)
    )
    if kept:
        messages.success(request, _("Case %(reference)s is kept until %(date)s.") % _keep_words(case, kept))
        return redirect("privacy:retention")
    reviews = selectors.retention_reviews_of(case)
    return _form_page(request, "privacy/retention_keep.html", form, case=case, reviews=reviews)


def _keep_words(case: Case, review: Any) -> dict[str, Any]:
    return {"reference": case.reference or case.pk, "date": date_format(review.keep_until, "DATE_FORMAT")}


# --- erasure -------------------------------------------------------------------------------------------------


def _person_in_reach(request: HttpRequest, pk: int) -> Person:
    person = Person.objects.filter(participations__case__in=cases_in_role_scope(request.user)).filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person."))
    return person


def _request_form(request: HttpRequest, subject: dict[str, Any], label: str) -> HttpResponse:
    form = f.ErasureRequestForm(_data(request))
    made = request.method == "POST" and save_or_show_errors(
        form, lambda: services.erasure_request_create(actor=request.user, reason=form.cleaned_data["reason"], **subject)
    )
    if made:
        messages.success(request, _("Erasure requested: two other managers must approve it."))
        return redirect("privacy:erasure_detail", pk=made.pk)
    return _form_page(request, "privacy/erasure_new.html", form, subject_label=label, **subject)


@login_required
@recent_sign_in_required
@require_http_methods(["GET", "POST"])
def case_erasure_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the erasure of a closed case."""
    case = _closed_case(request, pk)
    ensure(can_request_case_erasure(request.user, case), _("You cannot ask for the erasure of this case."))
    return _request_form(request, {"case": case}, _("Case %(reference)s") % {"reference": case.reference or case.pk})


@login_required
@recent_sign_in_required
@require_http_methods(["GET", "POST"])
def person_erasure_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the erasure of a person whose cases are all closed."""
    person = _person_in_reach(request, pk)
    ensure(can_request_person_erasure(request.user, person), _("You cannot ask for the erasure of this person."))
    return _request_form(request, {"person": person}, _("Person %(id)s") % {"id": person.pk})


@login_required
@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    """The erasure requests in the manager's reach: those waiting for their decision first."""
    ensure(request.user.role in PRIVACY_ROLES, _("Only site managers and national managers decide on erasure."))
    requests = list(selectors.erasure_request_list(request.user)[: settings.KINPLAN_PAGE_SIZE])
    waiting = {r.pk for r in selectors.erasure_requests_waiting_for(request.user)}
    rows = [{"request": r, "subject": selectors.subject_label(r), "yours": r.pk in waiting} for r in requests]
    return render(request, "privacy/erasure_list.html", {"rows": rows, "waiting": len(waiting)})


def _visible_request(request: HttpRequest, pk: int) -> ErasureRequest:
    found = selectors.erasure_request_for(request.user, pk)
    if found is None:
        raise Http404(_("No such erasure request."))
    return found


@login_required
@require_GET
def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request: its subject's reference and dates, the reason, the decisions and the moves."""
    erasure_request = _visible_request(request, pk)
    context = {
        "erasure": erasure_request,
        "summary": selectors.erasure_summary(erasure_request),
        "may_decide": may_decide_on_visible_request(request.user, erasure_request),
        "form": f.DecisionForm(),
    }
    return render(request, "privacy/erasure_detail.html", context)


@login_required
@recent_sign_in_required
@require_POST
def erasure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse: the second approval carries the erasure out."""
    erasure_request = _visible_request(request, pk)
    form = f.DecisionForm(request.POST)
    decided = save_or_show_errors(
        form, lambda: services.erasure_decide(actor=request.user, request=erasure_request, **form.cleaned_data)
    )
    if decided:
        messages.success(request, _decided_message(decided))
        return redirect("privacy:erasure_detail", pk=decided.pk)
    context = {
        "erasure": erasure_request,
        "summary": selectors.erasure_summary(erasure_request),
        "may_decide": True,
    }
    return _form_page(request, "privacy/erasure_detail.html", form, **context)


def _decided_message(erasure_request: ErasureRequest) -> str:
    if erasure_request.status == ErasureRequest.Status.CARRIED_OUT:
        return _("Approved. The erasure has been carried out; the history keeps a record of it.")
    if erasure_request.status == ErasureRequest.Status.REFUSED:
        return _("Refused. The request is closed.")
    return _("Approved. One more approval carries the erasure out.")

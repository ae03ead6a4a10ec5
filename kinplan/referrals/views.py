"""Referral pages: parse, authorise, call one service or selector, render.

Every form works as a plain post and redirect; with htmx, recording consent swaps the consent section in place
and "Fill in a draft" swaps in the information to send.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import CASE_EDITOR_ROLES, can_edit_case, case_get_for_user_or_404
from kinplan.cases.selectors import SCOPE_LABELS, scopes_for
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.providers.selectors import ProviderMatch, provider_search
from kinplan.referrals import forms as f
from kinplan.referrals import selectors, services
from kinplan.referrals.models import ALLOWED_TRANSITIONS, Referral, answer_days, waitlist_days
from kinplan.referrals.services._common import NOT_YOURS

Status = Referral.Status
# The lifecycle buttons, in the order a referral usually goes.
MOVE_LABELS = {
    Status.SENT: gettext_lazy("Mark as sent"),
    Status.ACKNOWLEDGED: gettext_lazy("Provider acknowledged it"),
    Status.ACCEPTED: gettext_lazy("Provider accepted"),
    Status.WAITLISTED: gettext_lazy("Waitlisted"),
    Status.DECLINED: gettext_lazy("Provider declined"),
    Status.STARTED: gettext_lazy("Service started"),
    Status.COMPLETED: gettext_lazy("Service completed"),
    Status.WITHDRAWN: gettext_lazy("Withdraw"),
}


# --- finding things: reads log the view; writes need a case the user may change ------------------------


def _editable_case(request: HttpRequest, pk: int) -> Case:
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(can_edit_case(request.user, case), NOT_YOURS)
    return case


def _referral(case: Case, referral_pk: int) -> Referral:
    referral = get_object_or_404(Referral.objects.select_related("person", "provider"), pk=referral_pk, case=case)
    referral.case = case
    return referral


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _detail_url(referral: Referral, anchor: str = "") -> str:
    return reverse("referrals:detail", args=[referral.case_id, referral.pk]) + (f"#{anchor}" if anchor else "")


# --- the referral page ------------------------------------------------------------------------------------


def _moves(referral: Referral) -> list[tuple[str, str]]:
    allowed = ALLOWED_TRANSITIONS[referral.status]
    return [(to, label) for to, label in MOVE_LABELS.items() if to in allowed]


def _render_detail(
    request: HttpRequest,
    case: Case,
    referral: Referral,
    *,
    move_error: str = "",
    consent_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    page = selectors.referral_page(referral=referral)
    loaded = page["referral"]
    can_edit = can_edit_case(request.user, case)
    drafted = loaded.status == Status.DRAFTED
    context = {
        **page,
        "case": case,
        "today": today,
        "can_edit": can_edit,
        "drafted": drafted,
        "moves": _moves(loaded) if can_edit else [],
        "move_error": move_error,
        "missing": selectors.missing_before_sending(loaded, today) if drafted else [],
        "consent_form": consent_form
        or (f.ConsentForm(referral=loaded, auto_id="consent_%s") if can_edit and drafted else None),
    }
    return render(request, "referrals/detail.html", context, status=status)


@login_required
def referral_detail(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """The referral: details, consent, the moves it can make next, and every move so far."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    return _render_detail(request, case, _referral(case, referral_pk))


@login_required
@require_POST
def referral_move(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """Move the referral on; a refusal shows why, on the referral page, and changes nothing."""
    case = _editable_case(request, pk)
    referral = _referral(case, referral_pk)
    form = f.TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the moves offered, and a valid day."))
        data = form.cleaned_data
        moved = services.referral_transition(
            actor=request.user, referral=referral, to=data["to"], note=data["note"], on=data["on"]
        )
    except ValidationError as error:
        return _render_detail(request, case, referral, move_error=" ".join(error.messages), status=400)
    messages.success(request, _("The referral is now %(status)s.") % {"status": moved.get_status_display().lower()})
    return redirect(_detail_url(moved))


@login_required
@require_POST
def consent_record(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """Record (or replace) the consent of a drafted referral; with htmx, the consent section changes in place."""
    case = _editable_case(request, pk)
    referral = _referral(case, referral_pk)
    form = f.ConsentForm(request.POST, referral=referral, auto_id="consent_%s")
    saved = save_or_show_errors(
        form, lambda: services.consent_record(actor=request.user, referral=referral, data=form.details())
    )
    if request.htmx:
        context = {**selectors.referral_page(referral=referral), "case": case, "today": timezone.localdate()}
        context |= {"can_edit": True, "drafted": context["referral"].status == Status.DRAFTED, "saved": bool(saved)}
        context["consent_form"] = f.ConsentForm(referral=referral, auto_id="consent_%s") if saved else form
        return render(request, "referrals/partials/_consent.html", context, status=200 if saved else 400)
    if saved:
        messages.success(request, _("Consent recorded."))
        return redirect(_detail_url(referral, "consent"))
    return _render_detail(request, case, referral, consent_form=form, status=400)


# --- drafting: a new referral, and changes while drafted ---------------------------------------------------


def _search(request: HttpRequest, case: Case) -> tuple[f.ProviderSearchForm, list[Any]]:
    search = f.ProviderSearchForm(request.GET or None)
    matches = provider_search(user=request.user, case=case, **search.filters())
    return search, matches


def _form_page(request: HttpRequest, case: Case, form: f.ReferralForm, **extra: Any) -> HttpResponse:
    search, matches = _search(request, case)
    chosen: Referral | None = extra.get("referral")
    if chosen is not None and all(match.provider.pk != chosen.provider_id for match in matches):
        offers = [chosen.provider_service] if chosen.provider_service_id else []
        matches.insert(0, ProviderMatch(provider=chosen.provider, offers=offers))  # the current choice, kept
    context = {"case": case, "form": form, "search": search, "matches": matches, **extra}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "referrals/form.html", context, status=status)


def _drafted_information(
    request: HttpRequest, case: Case, form: f.ReferralForm, page: dict[str, Any]
) -> HttpResponse | None:
    """ "Fill in a draft": the form again, its information built from the person and reason chosen; nothing saved."""
    if request.POST.get("action") != "draft":
        return None
    form.is_valid()
    person = form.cleaned_data.get("person")
    if person is None:
        form.add_error("person", _("Choose who you are referring, then fill in the draft."))
    else:
        data = request.POST.copy()
        data["information_sent"] = selectors.information_draft(person=person, reason=form.cleaned_data["reason"])
        form = f.ReferralForm(data, case=case, initial=form.initial)
        form.is_valid()
    if request.htmx:
        return render(request, "referrals/partials/_information.html", {"form": form})
    return _form_page(request, case, form, **page)


def _with_draft(form: f.ReferralForm) -> dict[str, Any]:
    """The form's details; an empty 'information to send' starts from the draft built from the case."""
    data = form.details()
    if not data["information_sent"] and data["person"] is not None:
        data["information_sent"] = selectors.information_draft(person=data["person"], reason=data["reason"])
    return data


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer a family member: find the provider (cultural matches first), then who, why and what is sent."""
    case = _editable_case(request, pk)
    form = f.ReferralForm(_data(request), case=case)
    page = {"title": _("Refer someone"), "submit": _("Save the draft")}
    if request.method == "POST" and (drafted := _drafted_information(request, case, form, page)):
        return drafted
    referral = request.method == "POST" and save_or_show_errors(
        form, f.on_offer(lambda: services.referral_create(actor=request.user, case=case, data=_with_draft(form)))
    )
    if referral:
        messages.success(request, _("Referral drafted. Record the consent, check what will be sent, then send it."))
        return redirect(_detail_url(referral))
    return _form_page(request, case, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def referral_change(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """Change a drafted referral: who, to whom, the service, why, what is sent or the plan step."""
    case = _editable_case(request, pk)
    referral = _referral(case, referral_pk)
    form = f.ReferralForm(_data(request), case=case, referral=referral)
    locked = "" if referral.status == Status.DRAFTED else _("This referral has been sent: it can no longer change.")
    page = {
        "title": _("Change the referral of %(person)s") % {"person": referral.person},
        "submit": _("Save"),
        "referral": referral,
    }
    page["locked"] = locked
    if request.method == "POST" and (drafted := _drafted_information(request, case, form, page)):
        return drafted
    saved = request.method == "POST" and save_or_show_errors(
        form, f.on_offer(lambda: services.referral_update(actor=request.user, referral=referral, data=form.details()))
    )
    if saved:
        messages.success(request, _("Referral saved."))
        return redirect(_detail_url(referral))
    return _form_page(request, case, form, **page)


# --- the referrals across the user's cases -------------------------------------------------------------------

SHOW = {
    "live": gettext_lazy("Not yet ended"),
    "waiting": gettext_lazy("Waiting too long"),
    "all": gettext_lazy("All"),
}


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals in the user's cases (mine / my team / my site as the role allows), waiting too long first."""
    user: User = request.user  # type: ignore[assignment]
    scopes = scopes_for(user)
    scope = request.GET.get("scope") if request.GET.get("scope") in scopes else (scopes[0] if scopes else "")
    show = request.GET.get("show") if request.GET.get("show") in SHOW else "live"
    today = timezone.localdate()
    referrals = (
        selectors.referral_list_page(user=user, today=today, scope=scope, show=show)
        if scopes
        else Referral.objects.none()
    )
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": today,
        "scope": scope,
        "scopes": [(s, SCOPE_LABELS[s]) for s in scopes],
        "show": show,
        "shows": list(SHOW.items()),
        "answer_days": answer_days(),
        "waitlist_days": waitlist_days(),
        # Only those who may change a case refer from it: the empty list tells them how.
        "may_refer": user.role in CASE_EDITOR_ROLES,
    }
    return render(request, "referrals/list.html", context)

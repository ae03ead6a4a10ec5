"""Case-note pages: parse, authorise, call one service or selector, render.

A note the user may not read (a confidential one) is a 404 like one that does not exist; acts they may see but not
do are 403s; bad input shows the form again with its messages (400) and saves nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinplan.cases.models import Case
from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.core.errors import ensure
from kinplan.core.forms import save_or_show_errors
from kinplan.notes import forms as f
from kinplan.notes import selectors, services
from kinplan.notes.models import CaseNote
from kinplan.notes.permissions import (
    may_change_confidentiality_on_open_case,
    may_strike_out_on_open_case,
    may_write_on_open_case,
    sees_confidential_on_open_case,
)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _list_url(case: Case) -> str:
    return reverse("notes:list", args=[case.pk])


def _note_url(note: CaseNote) -> str:
    return reverse("notes:detail", args=[note.case_id, note.pk])


def _form_page(request: HttpRequest, case: Case, form: BaseForm, title: str, **extra: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "notes/form.html", {"case": case, "form": form, "title": title, **extra}, status=status)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def note_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's notes the user may read, newest first, filtered by kind and person; a count of the others."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    filter_form = f.NoteFilterForm(request.GET, case=case)
    chosen = filter_form.cleaned_data if filter_form.is_valid() else {}
    filters = selectors.NoteFilters(kind=chosen.get("kind", ""), about=chosen.get("about"))
    notes = selectors.note_list(user=request.user, case=case, filters=filters)
    page = Paginator(notes, settings.KINPLAN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "case": case,
        "page": page,
        "notes": selectors.with_actions(list(page.object_list), user=request.user, case=case),
        "filter_form": filter_form,
        "query": _without_page(request),
        "hidden": selectors.hidden_confidential_count(user=request.user, case=case),
        "can_write": may_write_on_open_case(request.user, case),
        "sees_confidential": sees_confidential_on_open_case(request.user),
    }
    return render(request, "notes/list.html", context)


@login_required
@require_GET
def note_detail(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    """One note, with what may be done to it and its history."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    note = selectors.note_for(user=request.user, case=case, note_pk=note_pk)
    context = {"case": case, "note": note, "history": selectors.note_history(note=note)}
    return render(request, "notes/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a note on the case (optionally confidential, with the reason)."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    ensure(may_write_on_open_case(request.user, case), _("You cannot write notes on this case."))
    form = f.NoteForm(_data(request), case=case)
    note = request.method == "POST" and save_or_show_errors(
        form, lambda: services.note_create(actor=request.user, case=case, **form.details())
    )
    if note:
        messages.success(request, _("Note saved."))
        return redirect(_list_url(case))
    return _form_page(request, case, form, _("Write a note"), submit=_("Save the note"), writing=True)


@login_required
@require_http_methods(["GET", "POST"])
def note_strike_out(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    """Strike out a wrong note, with the reason: it stays in the record, crossed out."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    note = selectors.note_for(user=request.user, case=case, note_pk=note_pk)
    ensure(may_strike_out_on_open_case(request.user, note), _("You cannot strike out this note."))
    form = f.StrikeOutForm(_data(request))
    struck = request.method == "POST" and save_or_show_errors(
        form, lambda: services.note_strike_out(actor=request.user, note=note, **form.cleaned_data)
    )
    if struck:
        messages.success(request, _("The note is struck out. Write a new note for what is right."))
        return redirect(_list_url(case))
    return _form_page(request, case, form, _("Strike out a note"), note=note, submit=_("Strike it out"))


@login_required
@require_http_methods(["GET", "POST"])
def note_confidentiality(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    """Mark a note confidential, or make a confidential note readable to everyone on the case again."""
    case = case_get_for_user_or_404(request.user, pk, request=request)
    note = selectors.note_for(user=request.user, case=case, note_pk=note_pk)
    ensure(may_change_confidentiality_on_open_case(request.user, note), _("You cannot change who may read this note."))
    initial = {"confidential": "no" if note.is_confidential else "yes"}
    form = f.ConfidentialityForm(_data(request), initial=initial)
    changed = request.method == "POST" and save_or_show_errors(
        form, lambda: services.note_set_confidential(actor=request.user, note=note, **form.cleaned_data)
    )
    if changed:
        done = (
            _("The note is now confidential.")
            if changed.is_confidential
            else _("Everyone on the case may read the note now.")
        )
        messages.success(request, done)
        return redirect(_note_url(changed))
    return _form_page(request, case, form, _("Who may read this note"), note=note)

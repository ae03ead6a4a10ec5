"""Posts that shape the plan: referral, allocation, discussions, its content, agreement, the court step."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinplan.permanent_care import forms as f
from kinplan.permanent_care import services
from kinplan.permanent_care.models import Objective, SupportItem, UniversalService
from kinplan.permanent_care.views._common import FormMaker, posted

# --- the referral, allocation and discussion -------------------------------------------------------------


@login_required
@require_POST
def referral_change(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "referral")
    return p.answer(
        lambda: services.referral_update(actor=p.actor, arrangement=p.a, data=p.details()),
        _("Referral saved."),
        "referral",
    )


@login_required
@require_POST
def referral_send(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "referral_send")
    return p.answer(
        lambda: services.referral_send(actor=p.actor, arrangement=p.a),
        _("Referral sent to %(service)s.") % {"service": p.a.support_service},
        "referral",
    )


@login_required
@require_POST
def allocate(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "allocate")
    return p.answer(
        lambda: services.caseworker_allocate(actor=p.actor, arrangement=p.a, **p.data),
        _("Caseworker allocated."),
        "allocation",
    )


@login_required
@require_POST
def discussion_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "discussion")
    return p.answer(
        lambda: services.discussion_record(actor=p.actor, arrangement=p.a, data=p.details()),
        _("Discussion recorded."),
        "discussions",
    )


# --- the plan's content ------------------------------------------------------------------------------------


@login_required
@require_POST
def dates_set(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "dates")
    return p.answer(
        lambda: services.plan_set_dates(actor=p.actor, arrangement=p.a, data=p.data),
        _("The plan's dates are saved."),
        "plan",
    )


@login_required
@require_POST
def objective_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "objective")
    return p.answer(
        lambda: services.objective_add(actor=p.actor, arrangement=p.a, data=p.data), _("Objective added."), "objectives"
    )


@login_required
@require_POST
def objective_remove(request: HttpRequest, pk: int, arr_pk: int, objective_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "remove")
    objective = get_object_or_404(Objective, pk=objective_pk, arrangement=p.a)
    return p.answer(
        lambda: services.objective_remove(actor=p.actor, objective=objective),
        _("Objective removed, with its supports."),
        "objectives",
    )


def _item_form(objective_pk: int) -> FormMaker:
    return lambda c, a, u, d: f.ItemForm(d, case=c, auto_id=f"o{objective_pk}_%s")


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int, arr_pk: int, objective_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, f"item-{objective_pk}", _item_form(objective_pk))
    objective = get_object_or_404(Objective, pk=objective_pk, arrangement=p.a, archived_at__isnull=True)
    return p.answer(
        lambda: services.item_add(actor=p.actor, objective=objective, data=p.details()),
        _("Support added."),
        f"objective-{objective.pk}",
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, arr_pk: int, item_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "remove")
    item = get_object_or_404(SupportItem.objects.select_related("objective"), pk=item_pk, objective__arrangement=p.a)
    return p.answer(
        lambda: services.item_remove(actor=p.actor, item=item), _("Support removed."), f"objective-{item.objective_id}"
    )


@login_required
@require_POST
def universal_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "universal")
    return p.answer(
        lambda: services.universal_service_add(actor=p.actor, arrangement=p.a, data=p.data),
        _("Universal service listed."),
        "universal",
    )


@login_required
@require_POST
def universal_remove(request: HttpRequest, pk: int, arr_pk: int, service_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "remove")
    service = get_object_or_404(UniversalService, pk=service_pk, arrangement=p.a)
    return p.answer(
        lambda: services.universal_service_remove(actor=p.actor, service=service),
        _("Universal service removed."),
        "universal",
    )


# --- agreement, the court step, reopening and withdrawal ----------------------------------------------


@login_required
@require_POST
def agreement_add(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "agreement")
    return p.answer(
        lambda: services.agreement_record(actor=p.actor, arrangement=p.a, **p.data),
        _("Agreement recorded."),
        "agreement",
    )


@login_required
@require_POST
def ready_for_court(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "court_step")
    return p.answer(
        lambda: services.mark_ready_for_court(actor=p.actor, arrangement=p.a, **p.data),
        _("Everyone agrees: the plan is ready for court."),
        "court-step",
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "reopen")
    return p.answer(
        lambda: services.planning_reopen(actor=p.actor, arrangement=p.a, **p.data),
        _("Planning reopened: everyone is asked to agree again."),
        "plan",
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "withdraw")
    return p.answer(
        lambda: services.arrangement_withdraw(actor=p.actor, arrangement=p.a, **p.data),
        _("The plan is withdrawn."),
        "status",
    )

"""Posts after approval: the hand-over, the letter, purchases and deliveries, the review, further support."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinplan.permanent_care import forms as f
from kinplan.permanent_care import services
from kinplan.permanent_care.models import Purchase, SupportItem
from kinplan.permanent_care.views._common import Posted, found, posted


@login_required
@require_POST
def send(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "send")
    return p.answer(
        lambda: services.arrangement_send(actor=p.actor, arrangement=p.a),
        _("The plan is sent to %(service)s.") % {"service": p.a.support_service},
        "handover",
    )


@login_required
@require_POST
def letter_sent(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "letter")
    return p.answer(
        lambda: services.letter_record_sent(actor=p.actor, arrangement=p.a, **p.data),
        _("Acknowledgement letter recorded: the plan is in place."),
        "handover",
    )


@login_required
@require_POST
def purchase_add(request: HttpRequest, pk: int, arr_pk: int, item_pk: int) -> HttpResponse:
    case, a = found(request, pk, arr_pk)
    item = get_object_or_404(SupportItem.objects.select_related("objective"), pk=item_pk, objective__arrangement=a)
    form = f.PurchaseForm(request.POST, item=item, auto_id=f"p{item.pk}_%s")
    p = Posted(request, case, a, f"purchase-{item.pk}", form)
    return p.answer(
        lambda: services.purchase_record(actor=p.actor, arrangement=a, item=item, data=p.details()),
        _("Purchase recorded."),
        "purchases",
    )


@login_required
@require_POST
def delivery_add(request: HttpRequest, pk: int, arr_pk: int, purchase_pk: int) -> HttpResponse:
    p = posted(
        request,
        pk,
        arr_pk,
        f"delivery-{purchase_pk}",
        lambda c, a, u, d: f.DeliveryForm(d, auto_id=f"d{purchase_pk}_%s"),
    )
    purchase = get_object_or_404(Purchase.objects.select_related("arrangement__case"), pk=purchase_pk, arrangement=p.a)
    return p.answer(
        lambda: services.delivery_record(actor=p.actor, purchase=purchase, data=p.details()),
        _("Delivery recorded."),
        "purchases",
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "review")
    return p.answer(
        lambda: services.review_record(actor=p.actor, arrangement=p.a, data=p.details()),
        _("Review recorded."),
        "review",
    )


@login_required
@require_POST
def further_support(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "further")
    return p.answer(
        lambda: services.further_support_record(actor=p.actor, arrangement=p.a, data=p.details()),
        _("Further support recorded."),
        "further",
    )

"""Posts that decide the plan: submitting it, the decisions, the escalation ladder, the follow-ups."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinplan.permanent_care import forms as f
from kinplan.permanent_care import services
from kinplan.permanent_care.models import FollowUp
from kinplan.permanent_care.views._common import posted


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "submit")
    return p.answer(
        lambda: services.submit_for_approval(actor=p.actor, arrangement=p.a), _("Submitted for approval."), "approval"
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, arr_pk: int) -> HttpResponse:
    p = posted(request, pk, arr_pk, "decide")
    return p.answer(
        lambda: services.approval_decide(actor=p.actor, arrangement=p.a, **p.data), _("Decision recorded."), "approval"
    )


@login_required
@require_POST
def rung_record(request: HttpRequest, pk: int, arr_pk: int, rung: int) -> HttpResponse:
    p = posted(
        request, pk, arr_pk, "rung", lambda c, a, u, d: f.RungForm(d, arrangement=a, rung=rung, auto_id="rung_%s")
    )
    return p.answer(
        lambda: services.escalation_record(actor=p.actor, arrangement=p.a, rung=rung, data=p.data),
        _("Escalation step %(rung)s recorded.") % {"rung": rung},
        "escalation",
    )


@login_required
@require_POST
def follow_up_record(request: HttpRequest, pk: int, arr_pk: int, follow_up_pk: int) -> HttpResponse:
    p = posted(
        request,
        pk,
        arr_pk,
        f"follow_up-{follow_up_pk}",
        lambda c, a, u, d: f.FollowUpForm(d, auto_id=f"fu{follow_up_pk}_%s"),
    )
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("arrangement__case"), pk=follow_up_pk, arrangement=p.a
    )
    return p.answer(
        lambda: services.follow_up_record(actor=p.actor, follow_up=follow_up, data=p.data),
        _("Discussion with %(who)s recorded.") % {"who": follow_up.who},
        "follow-ups",
    )

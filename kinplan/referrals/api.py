"""API endpoints for referrals: a case's referrals, drafting one, its consent, its moves, and the list across the
cases you may see (with the ones waiting too long for an answer).

A referral of a case the user may not see is a 404 (looking at one is logged as a view of the case); the services
refuse changes the user may see but not make (403) and moves or input the rules do not allow (422, by field).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Person
from kinplan.cases.permissions import case_for_api, cases_visible_to
from kinplan.cases.schemas import Page
from kinplan.core.api import listed_after, referenced
from kinplan.planning.models import Step
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.referrals import schemas as s
from kinplan.referrals import selectors, services
from kinplan.referrals.models import Consent, Referral, ReferralTransition
from kinplan.referrals.permissions import referral_get_for_user_or_404

router = Router(tags=["referrals"])


def _referral_for(request: HttpRequest, referral_id: int) -> Referral:
    return referral_get_for_user_or_404(request.user, referral_id, request=request, channel="api")


def _in_full(referral_id: int) -> Referral:
    """The referral with what ReferralDetailOut shows, in a fixed number of queries."""
    consents = Consent.objects.select_related("given_by")
    return (
        Referral.objects.select_related(
            "person", "provider", "provider_service__service_type", "service_type", "created_by"
        )
        .prefetch_related(
            Prefetch("consents", queryset=consents),
            Prefetch("consents", queryset=consents.filter(is_current=True), to_attr="current_consents"),
            Prefetch("transitions", queryset=ReferralTransition.objects.select_related("actor")),
        )
        .get(pk=referral_id)
    )


# Ids the client sends, and the model field each names.
IDS = {
    "person_id": ("person", Person),
    "provider_id": ("provider", Provider),
    "provider_service_id": ("provider_service", ProviderService),
    "service_type_id": ("service_type", ServiceType),
    "step_id": ("step", Step),
}


# What a rule about a model field is called in the API, even when the client left that field out.
API_NAMES = {name: sent for sent, (name, _model) in IDS.items()} | {"given_by": "given_by_id"}


@contextmanager
def _named_for_the_api() -> Iterator[None]:
    """Errors by the names the API uses (`person_id`, not `person`)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {API_NAMES.get(name, name): errors for name, errors in error.error_dict.items()}
        ) from error


def _referral_data(payload: s.ReferralIn | s.ReferralPatch, case: Case, *, partial: bool) -> dict[str, Any]:
    """The payload as the service's data: each id as the object it names (unknown ids refused by field name)."""
    data = payload.dict(exclude_unset=partial)
    scoped = {"person_id": {"participations__case": case}, "step_id": {"goal__plan__case": case}}
    for sent, (name, model) in IDS.items():
        if sent in data:
            data[name] = referenced(model, data.pop(sent), sent, **scoped.get(sent, {}))
    for text in ("reason", "information_sent"):
        if text in data and data[text] is None:
            data[text] = ""
    if not partial and not data.get("information_sent"):
        data.pop("information_sent", None)  # the create endpoint drafts it from the case
    return data


# --- a case's referrals ------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/referrals", response=list[s.ReferralOut], summary="A case's referrals, newest first")
def list_case_referrals(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    return list(selectors.case_referrals(case=case_for_api(request, case_id)))


@router.post(
    "/cases/{case_id}/referrals",
    response={201: s.ReferralDetailOut},
    summary="Draft a referral of a family member to a provider",
)
def create_referral(request: HttpRequest, case_id: int, payload: s.ReferralIn):  # type: ignore[no-untyped-def]
    case = case_for_api(request, case_id)
    data = _referral_data(payload, case, partial=False)
    if "information_sent" not in data and data.get("person") is not None:
        data["information_sent"] = selectors.information_draft(person=data["person"], reason=data.get("reason", ""))
    with _named_for_the_api():
        referral = services.referral_create(actor=request.user, case=case, data=data)
    return 201, _in_full(referral.pk)


# --- one referral --------------------------------------------------------------------------------------------


@router.get("/referrals/{referral_id}", response=s.ReferralDetailOut, summary="A referral, its consents and moves")
def get_referral(request: HttpRequest, referral_id: int):  # type: ignore[no-untyped-def]
    return _in_full(_referral_for(request, referral_id).pk)


@router.patch("/referrals/{referral_id}", response=s.ReferralDetailOut, summary="Change a drafted referral")
def update_referral(request: HttpRequest, referral_id: int, payload: s.ReferralPatch):  # type: ignore[no-untyped-def]
    referral = _referral_for(request, referral_id)
    data = _referral_data(payload, referral.case, partial=True)
    with _named_for_the_api():
        services.referral_update(actor=request.user, referral=referral, data=data)
    return _in_full(referral.pk)


@router.post(
    "/referrals/{referral_id}/consent",
    response={201: s.ConsentOut},
    summary="Record (or replace) the consent of a drafted referral",
)
def record_consent(request: HttpRequest, referral_id: int, payload: s.ConsentIn):  # type: ignore[no-untyped-def]
    referral = _referral_for(request, referral_id)
    data = payload.dict()
    data["given_by"] = referenced(Person, data.pop("given_by_id"), "given_by_id", participations__case=referral.case)
    with _named_for_the_api():
        return 201, services.consent_record(actor=request.user, referral=referral, data=data)


@router.post(
    "/referrals/{referral_id}/transition",
    response=s.ReferralDetailOut,
    summary="Move a referral: drafted → sent → acknowledged → accepted / declined / waitlisted → started → "
    "completed, or withdrawn",
)
def transition_referral(request: HttpRequest, referral_id: int, payload: s.TransitionIn):  # type: ignore[no-untyped-def]
    referral = _referral_for(request, referral_id)
    services.referral_transition(actor=request.user, referral=referral, to=payload.to, note=payload.note, on=payload.on)
    return _in_full(referral.pk)


# --- across the cases the user may see -------------------------------------------------------------------------


@router.get(
    "/referrals",
    response=Page[s.ReferralListOut],
    summary="Referrals in the cases you may see, the longest waiting first; waiting_too_long=true for those "
    "waiting too long for an answer or a place",
)
def list_referrals(
    request: HttpRequest,
    waiting_too_long: bool = False,
    status: Referral.Status | None = None,
    after: int = 0,
    limit: int = Query(50, ge=1, le=200),
):  # type: ignore[no-untyped-def]
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    show = "waiting" if waiting_too_long else "all"
    referrals = selectors.referrals_for(user=user, today=today, show=show, status=status or "")
    if after:
        visible = selectors.with_waiting(Referral.objects.filter(case__in=cases_visible_to(user)), today)
        referrals = referrals.filter(listed_after(visible, after, "waiting_from"))
    items = list(referrals.order_by("waiting_from", "id")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_after": items[-1].pk if more and items else None}

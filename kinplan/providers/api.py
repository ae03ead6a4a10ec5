"""API endpoints for the service catalogue, the provider directory and a case's informal supports.

Anyone signed in reads the catalogue and the directory; administrators change them. An informal support is
part of its case: read with the case, changed by those who may change the case.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from kinplan.cases.models import Iwi, Person
from kinplan.cases.permissions import case_get_for_user_or_404
from kinplan.core.api import blank_for_null
from kinplan.providers import schemas as s
from kinplan.providers import selectors, services
from kinplan.providers.models import Provider, ProviderService, ServiceType

router = Router(tags=["services and providers"])


def _service_type(pk: int | None, field: str = "service_type_id") -> ServiceType | None:
    if pk is None:
        return None
    found = ServiceType.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("No service type with id %(id)s.") % {"id": pk}})
    return found


def _iwi(names: list[str] | None) -> list[Iwi] | None:
    if names is None:
        return None
    found = {i.name: i for i in Iwi.objects.filter(name__in=names)}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValidationError({"iwi": _("Not in the iwi list: %(names)s.") % {"names": ", ".join(unknown)}})
    return [found[n] for n in names]


def _provider(request: HttpRequest, pk: int) -> Provider:
    provider = selectors.provider_detail(user=request.user, pk=pk)
    if provider is None:
        raise Http404("Not found.")
    if provider.case_id:  # an informal support is part of its case: looking at it is logged
        case_get_for_user_or_404(request.user, provider.case_id, request=request, channel="api")
    return provider


def _offer_data(payload: s.OfferIn | s.OfferPatch) -> dict[str, Any]:
    data = blank_for_null(payload.dict(exclude_unset=True), ProviderService)
    if "service_type_id" in data:
        data["service_type"] = _service_type(data.pop("service_type_id"))
    return data


# --- the catalogue -------------------------------------------------------------------------------


@router.get("/service-types", response=list[s.ServiceTypeOut], summary="The service catalogue")
def list_service_types(request: HttpRequest, include_retired: bool = False):  # type: ignore[no-untyped-def]
    return list(selectors.service_types(include_retired=include_retired))


@router.post("/service-types", response={201: s.ServiceTypeOut}, summary="Add a service type (administrators)")
def create_service_type(request: HttpRequest, payload: s.ServiceTypeIn):  # type: ignore[no-untyped-def]
    return 201, services.service_type_create(actor=request.user, data=payload.dict())


@router.patch(
    "/service-types/{service_type_id}",
    response=s.ServiceTypeOut,
    summary="Change or retire a service type (administrators)",
)
def update_service_type(request: HttpRequest, service_type_id: int, payload: s.ServiceTypePatch):  # type: ignore[no-untyped-def]
    service_type = ServiceType.objects.filter(pk=service_type_id).first()
    if service_type is None:
        raise Http404("Not found.")
    data = blank_for_null(payload.dict(exclude_unset=True), ServiceType)
    return services.service_type_update(actor=request.user, service_type=service_type, data=data)


# --- the directory -------------------------------------------------------------------------------


@router.get(
    "/providers",
    response=list[s.ProviderMatchOut],
    summary="Search providers by service, area and cultural match (with case_id, the family's matches first)",
)
def search_providers(
    request: HttpRequest,
    service_type_id: int | None = None,
    area: str = Query("", max_length=100),
    culture: str = Query("", max_length=100, description="e.g. Māori, Samoan, an iwi's name"),
    q: str = Query("", max_length=100),
    case_id: int | None = None,
):  # type: ignore[no-untyped-def]
    case = case_get_for_user_or_404(request.user, case_id, request=request, channel="api") if case_id else None
    matches = selectors.provider_search(
        user=request.user,
        service_type=_service_type(service_type_id),
        area=area,
        culture=culture,
        query=q,
        case=case,
    )
    for match in matches:
        match.provider.cultural_match = match.cultural_match  # type: ignore[attr-defined]
    return [m.provider for m in matches]


@router.get("/providers/{provider_id}", response=s.ProviderOut, summary="One provider and the services it offers")
def get_provider(request: HttpRequest, provider_id: int):  # type: ignore[no-untyped-def]
    return _provider(request, provider_id)


@router.post("/providers", response={201: s.ProviderOut}, summary="Add a provider to the directory (administrators)")
def create_provider(request: HttpRequest, payload: s.ProviderIn):  # type: ignore[no-untyped-def]
    data = payload.dict(exclude={"iwi"})
    provider = services.provider_create(actor=request.user, data=data, iwi=_iwi(payload.iwi) or [])
    return 201, provider


@router.patch(
    "/providers/{provider_id}",
    response=s.ProviderOut,
    summary="Change a provider (administrators) or an informal support (those who may change its case)",
)
def update_provider(request: HttpRequest, provider_id: int, payload: s.ProviderPatch):  # type: ignore[no-untyped-def]
    provider = _provider(request, provider_id)
    data = blank_for_null(payload.dict(exclude_unset=True, exclude={"iwi"}), Provider)
    iwi = _iwi(payload.iwi) if "iwi" in payload.model_fields_set else None
    updated = services.provider_update(actor=request.user, provider=provider, data=data, iwi=iwi)
    return selectors.provider_detail(user=request.user, pk=updated.pk)


@router.post(
    "/providers/{provider_id}/services",
    response={201: s.OfferOut},
    summary="Record a service a provider offers (administrators)",
)
def add_offer(request: HttpRequest, provider_id: int, payload: s.OfferIn):  # type: ignore[no-untyped-def]
    provider = _provider(request, provider_id)
    return 201, services.provider_service_add(actor=request.user, provider=provider, data=_offer_data(payload))


@router.patch(
    "/provider-services/{offer_id}",
    response=s.OfferOut,
    summary="Change a service offered: unit, cost, waitlist; is_active false stops it (administrators)",
)
def update_offer(request: HttpRequest, offer_id: int, payload: s.OfferPatch):  # type: ignore[no-untyped-def]
    offer = ProviderService.objects.select_related("provider", "service_type").filter(pk=offer_id).first()
    if offer is None:
        raise Http404("Not found.")
    _provider(request, offer.provider_id)
    return services.provider_service_update(actor=request.user, offer=offer, data=_offer_data(payload))


# --- a case's informal supports --------------------------------------------------------------------


@router.get("/cases/{case_id}/informal-supports", response=list[s.ProviderOut], summary="A case's informal supports")
def list_informal_supports(request: HttpRequest, case_id: int):  # type: ignore[no-untyped-def]
    case = case_get_for_user_or_404(request.user, case_id, request=request, channel="api")
    return list(selectors.informal_supports(case=case).prefetch_related("iwi", "services__service_type"))


@router.post(
    "/cases/{case_id}/informal-supports",
    response={201: s.ProviderOut},
    summary="Record a relative or friend who helps the family",
)
def add_informal_support(request: HttpRequest, case_id: int, payload: s.InformalSupportIn):  # type: ignore[no-untyped-def]
    case = case_get_for_user_or_404(request.user, case_id, request=request, channel="api")
    person = None
    if payload.person_id is not None:
        person = Person.objects.filter(pk=payload.person_id, participations__case=case).first()
        if person is None:
            raise ValidationError({"person_id": _("Choose someone who is part of this case.")})
    data = payload.dict(exclude={"person_id"})
    return 201, services.informal_support_add(actor=request.user, case=case, data=data, person=person)

"""Every change to the service catalogue, the provider directory and a case's informal supports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Case, Iwi, Person
from kinplan.cases.permissions import can_edit_case
from kinplan.core.errors import ensure
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.providers.permissions import can_edit_provider, can_manage_directory

SERVICE_TYPE_FIELDS = ("name", "code", "category", "description", "is_active")
PROVIDER_FIELDS = (
    "name",
    "kind",
    "description",
    "phone",
    "email",
    "website",
    "address",
    "area_served",
    "languages",
    "cultural_focus",
    "is_active",
)
INFORMAL_FIELDS = ("name", "relationship", "description", "phone", "email", "address", "is_active")
PROVIDER_SERVICE_FIELDS = ("service_type", "name", "description", "unit", "unit_cost", "capacity_note", "is_active")
NOT_YOURS = gettext_lazy("Only administrators keep the service catalogue and the provider directory.")


# --- the catalogue -------------------------------------------------------------------------------


@transaction.atomic
def service_type_create(*, actor: User, data: Mapping[str, Any]) -> ServiceType:
    """Add a kind of help to the catalogue."""
    ensure(can_manage_directory(actor), NOT_YOURS)
    service_type = ServiceType()
    apply_changes(service_type, data, SERVICE_TYPE_FIELDS)
    audit_record(
        actor=actor,
        event="catalogue.service_type.created",
        target=service_type,
        changes=created_changes(service_type, data.keys()),
    )
    return service_type


@transaction.atomic
def service_type_update(*, actor: User, service_type: ServiceType, data: Mapping[str, Any]) -> ServiceType:
    """Change a service type; `is_active: False` retires it (old records keep it, new ones cannot choose it)."""
    ensure(can_manage_directory(actor), NOT_YOURS)
    service_type = ServiceType.objects.select_for_update().get(pk=service_type.pk)
    changes = apply_changes(service_type, data, SERVICE_TYPE_FIELDS)
    if changes:
        retired = changes.get("is_active") == [True, False]
        event = "catalogue.service_type.retired" if retired else "catalogue.service_type.updated"
        audit_record(actor=actor, event=event, target=service_type, changes=changes)
    return service_type


# --- the directory -------------------------------------------------------------------------------


def _set_iwi(provider: Provider, iwi: Iterable[Iwi] | None) -> dict[str, list[Any]]:
    if iwi is None:
        return {}
    before = sorted(str(i) for i in provider.iwi.all())
    provider.iwi.set(list(iwi))
    after = sorted(str(i) for i in provider.iwi.all())
    return {"iwi": [before, after]} if before != after else {}


@transaction.atomic
def provider_create(*, actor: User, data: Mapping[str, Any], iwi: Iterable[Iwi] = ()) -> Provider:
    """Add an organisation (NGO, Iwi provider, community or government agency) to the directory."""
    ensure(can_manage_directory(actor), NOT_YOURS)
    if data.get("kind") == Provider.Kind.INFORMAL:
        raise ValidationError({"kind": _("An informal support is added from its case, not to the directory.")})
    provider = Provider()
    apply_changes(provider, data, PROVIDER_FIELDS)
    changes = created_changes(provider, data.keys()) | _set_iwi(provider, iwi)
    audit_record(actor=actor, event="directory.provider.created", target=provider, changes=changes)
    return provider


@transaction.atomic
def provider_update(
    *, actor: User, provider: Provider, data: Mapping[str, Any], iwi: Iterable[Iwi] | None = None
) -> Provider:
    """Change a provider's details (`is_active: False` takes it out of searches); an informal support
    is changed by those who may change its case."""
    ensure(can_edit_provider(actor, provider), _("You cannot change this case.") if provider.is_informal else NOT_YOURS)
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    allowed = INFORMAL_FIELDS if provider.is_informal else PROVIDER_FIELDS
    if not provider.is_informal and data.get("kind") == Provider.Kind.INFORMAL:
        raise ValidationError({"kind": _("A directory provider cannot become an informal support.")})
    changes = apply_changes(provider, data, allowed) | _set_iwi(provider, iwi)
    if changes:
        event = "case.informal_support.updated" if provider.is_informal else "directory.provider.updated"
        audit_record(actor=actor, event=event, target=provider, case=provider.case, changes=changes)
    return provider


@transaction.atomic
def provider_service_add(*, actor: User, provider: Provider, data: Mapping[str, Any]) -> ProviderService:
    """Record a service a directory provider offers, with its unit and unit cost."""
    ensure(can_edit_provider(actor, provider), NOT_YOURS)
    offer = ProviderService(provider=provider)
    apply_changes(offer, data, PROVIDER_SERVICE_FIELDS, check=_check_offer)
    audit_record(
        actor=actor,
        event="directory.provider_service.created",
        target=offer,
        case=provider.case,
        changes=created_changes(offer, ("provider", *data.keys())),
    )
    return offer


@transaction.atomic
def provider_service_update(*, actor: User, offer: ProviderService, data: Mapping[str, Any]) -> ProviderService:
    """Change a service offered (unit, cost, waitlist); `is_active: False` stops offering it."""
    ensure(can_edit_provider(actor, offer.provider), NOT_YOURS)
    offer = ProviderService.objects.select_for_update().select_related("provider", "service_type").get(pk=offer.pk)
    before_type = offer.service_type_id
    changes = apply_changes(offer, data, PROVIDER_SERVICE_FIELDS, check=lambda o: _check_offer(o, before_type))
    if changes:
        audit_record(
            actor=actor,
            event="directory.provider_service.updated",
            target=offer,
            case=offer.provider.case,
            changes=changes,
        )
    return offer


def _check_offer(offer: ProviderService, previous_type: int | None = None) -> None:
    """A new offer, or a change of its type, must use a service type that is not retired."""
    current = ServiceType.objects.filter(pk=offer.service_type_id, is_active=True).exists()  # as stored now
    if offer.service_type_id != previous_type and not current:
        raise ValidationError({"service_type": _("This service type is retired; choose a current one.")})


# --- a case's informal supports --------------------------------------------------------------------


@transaction.atomic
def informal_support_add(*, actor: User, case: Case, data: Mapping[str, Any], person: Person | None = None) -> Provider:
    """Record a relative or friend who helps the family (often at no cost); they may be a person in the case."""
    ensure(can_edit_case(actor, case), _("You cannot change this case."))
    if person is not None and not case.participants.filter(person=person, archived_at__isnull=True).exists():
        raise ValidationError({"person": _("Choose someone who is part of this case.")})
    data = dict(data)
    if person is not None and not (data.get("name") or "").strip():
        data["name"] = person.full_name
    support = Provider(kind=Provider.Kind.INFORMAL, case=case, person=person)
    apply_changes(support, data, INFORMAL_FIELDS)
    audit_record(
        actor=actor,
        event="case.informal_support.added",
        target=support,
        case=case,
        changes=created_changes(support, ("person", *data.keys())),
    )
    return support

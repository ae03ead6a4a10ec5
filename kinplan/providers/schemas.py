"""API shapes for the service catalogue, the provider directory and informal supports."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

from kinplan.core.api import VersionedOut
from kinplan.providers.models import Provider, ProviderService, ServiceType


class ServiceTypeOut(VersionedOut):
    id: int
    code: str
    name: str
    category: ServiceType.Category
    description: str
    is_active: bool


class ServiceTypeIn(Schema):
    code: str = Field(..., min_length=1, max_length=60, description="A short identifier, e.g. 'respite_care'.")
    name: str = Field(..., min_length=1, max_length=120)
    category: ServiceType.Category
    description: str = ""


class ServiceTypePatch(Schema):
    name: str | None = None
    category: ServiceType.Category | None = None
    description: str | None = None
    is_active: bool | None = Field(None, description="false retires the type: old records keep it.")


class OfferOut(VersionedOut):
    id: int
    service_type_id: int
    service_type: str
    name: str
    description: str
    unit: ProviderService.Unit
    unit_cost: Decimal
    capacity_note: str
    is_active: bool

    @staticmethod
    def resolve_service_type(obj: ProviderService) -> str:
        return obj.service_type.name


class OfferIn(Schema):
    service_type_id: int
    name: str = ""
    description: str = ""
    unit: ProviderService.Unit = ProviderService.Unit.SESSION
    unit_cost: Decimal = Field(Decimal("0"), description="NZ$ for one unit; 0 for free.")
    capacity_note: str = ""


class OfferPatch(Schema):
    service_type_id: int | None = None
    name: str | None = None
    description: str | None = None
    unit: ProviderService.Unit | None = None
    unit_cost: Decimal | None = None
    capacity_note: str | None = None
    is_active: bool | None = None


class ProviderOut(VersionedOut):
    id: int
    name: str
    kind: Provider.Kind
    case_id: int | None = Field(None, description="For an informal support: its case.")
    person_id: int | None
    relationship: str
    description: str
    phone: str
    email: str
    website: str
    address: str
    area_served: str
    languages: str
    cultural_focus: str
    iwi: list[str]
    is_active: bool
    services: list[OfferOut]

    @staticmethod
    def resolve_iwi(obj: Provider) -> list[str]:
        return [i.name for i in obj.iwi.all()]

    @staticmethod
    def resolve_services(obj: Provider) -> list[ProviderService]:
        return list(getattr(obj, "active_offers", None) or obj.services.all())


class ProviderMatchOut(ProviderOut):
    cultural_match: list[str] = Field(..., description="Why it suits the family of ?case_id: shared iwi, language…")


class ProviderIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: Provider.Kind
    description: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    area_served: str = ""
    languages: str = ""
    cultural_focus: str = ""
    iwi: list[str] = Field(default_factory=list, description="Iwi names, as listed at /iwi.")


class ProviderPatch(Schema):
    name: str | None = None
    kind: Provider.Kind | None = None
    relationship: str | None = None
    description: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    area_served: str | None = None
    languages: str | None = None
    cultural_focus: str | None = None
    iwi: list[str] | None = None
    is_active: bool | None = None


class InformalSupportIn(Schema):
    person_id: int | None = Field(None, description="A person in the case; or give a name.")
    name: str = ""
    relationship: str = ""
    description: str = Field("", description="What they help with.")
    phone: str = ""
    email: str = ""
    address: str = ""

"""The catalogue and the directory in /manage/: administrators add and retire; every save is in history.

Informal supports are part of a case's record, which administrators do not see, so they are left out.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from kinplan.accounts.admin import AuditedAdmin, admin_site
from kinplan.providers.models import Provider, ProviderService, ServiceType


@admin.register(ServiceType, site=admin_site)
class ServiceTypeAdmin(AuditedAdmin):
    list_display = ["name", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Provider, site=admin_site)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "kind", "area_served", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "area_served", "cultural_focus"]
    filter_horizontal = ["iwi"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a web address typed without https://
    fields = [
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
        "iwi",
        "is_active",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Provider]:
        return super().get_queryset(request).filter(case__isnull=True)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "kind":  # informal supports are added from their case
            kwargs["choices"] = [c for c in Provider.Kind.choices if c[0] != Provider.Kind.INFORMAL]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(ProviderService, site=admin_site)
class ProviderServiceAdmin(AuditedAdmin):
    list_display = ["__str__", "unit", "unit_cost", "capacity_note", "is_active"]
    list_filter = ["service_type", "is_active"]
    search_fields = ["provider__name", "name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProviderService]:
        return super().get_queryset(request).filter(provider__case__isnull=True).select_related("provider")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "provider":
            kwargs["queryset"] = Provider.objects.filter(case__isnull=True)
        elif db_field.name == "service_type":
            kwargs["queryset"] = ServiceType.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

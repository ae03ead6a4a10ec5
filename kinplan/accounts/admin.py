"""User, site and team management for administrators, through Django's admin, with every save audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kinplan.accounts.models import Organisation, Site, Team, User
from kinplan.audit.services import audit_record
from kinplan.cases.models import Iwi


def may_manage(user: Any) -> bool:
    """Administrators (and the bootstrap superuser) manage users, sites and teams; Django's is_staff plays no part."""
    return bool(
        user.is_active
        and user.is_authenticated
        and (user.is_superuser or getattr(user, "role", None) == User.Role.ADMINISTRATOR)
    )


class KinplanAdminLoginForm(AdminAuthenticationForm):
    """The /manage/ sign-in admits whoever `may_manage`, not whoever has is_staff."""

    def confirm_login_allowed(self, user: Any) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        if not may_manage(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class KinplanAdminSite(admin.AdminSite):
    site_header = _("Kinplan administration")
    site_title = _("Kinplan administration")
    index_title = _("Users, sites, teams and reference lists")
    login_form = KinplanAdminLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        return may_manage(request.user)


admin_site = KinplanAdminSite(name="admin")


class AuditedAdmin(admin.ModelAdmin):
    """Administrators may manage these records; every save is in history; nothing is deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    has_add_permission = has_module_permission  # type: ignore[assignment]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The stored row, not form.initial, so a changed team reads "East → West" rather than "1 → West".
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        before = {name: str(getattr(stored, name, form.initial.get(name))) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        changes = {
            name: [before[name] if change else None, str(form.cleaned_data.get(name))]
            for name in form.changed_data
            if "password" not in name
        }
        event = f"{obj._meta.model_name}.{'updated' if change else 'created'}"
        audit_record(actor=request.user, event=f"admin.{event}", target=obj, changes=changes)


@admin.register(User, site=admin_site)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "site", "team", "is_active"]
    list_filter = ["role", "site", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:2],
        (_("Role and place"), {"fields": ("role", "organisation", "site", "team", "phone")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("Role and place"), {"fields": ("first_name", "last_name", "email", "role", "organisation", "site", "team")}),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "child_term", "family_term"]


@admin.register(Site, site=admin_site)
class SiteAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "region", "is_active"]
    list_filter = ["organisation", "is_active"]


@admin.register(Team, site=admin_site)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "site", "is_active"]
    list_filter = ["site", "is_active"]


@admin.register(Iwi, site=admin_site)
class IwiAdmin(AuditedAdmin):
    list_display = ["name", "region"]
    search_fields = ["name"]

"""User, site and team management for administrators, through Django's admin, with every save audited; and the
sign-in lockouts, read-only, with a way to unlock a username."""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Exists, Max, OuterRef, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinplan.accounts.forms import UnlockForm
from kinplan.accounts.models import Organisation, Site, Team, User
from kinplan.accounts.services import sign_in_lockout_clear, two_factor_device_remove
from kinplan.accounts.signin import lockout_minutes, two_factor_satisfied
from kinplan.audit.services import audit_record
from kinplan.cases.models import Iwi
from kinplan.core.forms import StaleSaveRefused


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
        """Administrators, with their second factor when their role needs one (the middleware asks for it first)."""
        return may_manage(request.user) and two_factor_satisfied(request)

    def get_urls(self) -> list[Any]:
        own: list[URLPattern] = [
            path("sign-in-lockouts/", self.admin_view(sign_in_lockouts), name="sign_in_lockouts"),
            path("sign-in-lockouts/unlock/", self.admin_view(sign_in_unlock), name="sign_in_unlock"),
        ]
        return own + super().get_urls()

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        """The index also lists the sign-in lockouts (django-axes' records, shown read-only on their own page)."""
        apps = super().get_app_list(request, app_label)
        if app_label is None and self.has_permission(request):
            url = reverse("admin:sign_in_lockouts")
            lockouts = {"name": _("Sign-in lockouts"), "object_name": "AccessAttempt", "admin_url": url}
            lockouts |= {"add_url": None, "view_only": True, "perms": {"view": True}}
            apps.append(
                {
                    "name": _("Sign-in security"),
                    "app_label": "sign_in",
                    "app_url": url,
                    "has_module_perms": True,
                    "models": [lockouts],
                }
            )
        return apps


admin_site = KinplanAdminSite(name="admin")


class AuditedAdmin(admin.ModelAdmin):
    """Administrators may manage these records; every save is in history; nothing is deleted; a save over a change
    someone made after the page was opened is refused (kinplan.core.concurrency)."""

    change_form_template = "admin/kinplan_change_form.html"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (StaleSaveRefused, form), {}) if obj is not None else form

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
    list_display = ["username", "first_name", "last_name", "role", "site", "team", "is_active", "two_factor"]
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
    actions = ["turn_off_two_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(devices))

    @admin.display(description=_("Two-factor"), boolean=True)
    def two_factor(self, user: User) -> bool:
        return bool(getattr(user, "has_two_factor", False))

    @admin.action(description=_("Turn off two-factor authentication (lost phone)"))
    def turn_off_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            two_factor_device_remove(actor=request.user, user=user)
        self.message_user(request, gettext("Two-factor authentication is off for the chosen users."))


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


# --- sign-in lockouts (django-axes), read-only ------------------------------------------------------


def sign_in_lockouts(request: HttpRequest) -> HttpResponse:
    """Usernames with failed sign-ins (locked or not) and the latest failures, for administrators."""
    cool_off = datetime.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    limit = settings.AXES_FAILURE_LIMIT
    attempts = (
        AccessAttempt.objects.values("username")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .order_by("-last_attempt")[:200]
    )
    now = timezone.now()
    for attempt in attempts:
        until = attempt["last_attempt"] + cool_off
        attempt["locked_until"] = until if attempt["failures"] >= limit and until > now else None
    context = {
        **admin_site.each_context(request),
        "title": _("Sign-in lockouts"),
        "attempts": attempts,
        "failures": AccessFailureLog.objects.order_by("-attempt_time")[:100],
        "failure_limit": limit,
        "lockout_minutes": lockout_minutes(),
    }
    return render(request, "accounts/admin/sign_in_lockouts.html", context)


@require_POST
def sign_in_unlock(request: HttpRequest) -> HttpResponse:
    """Forget a username's failed sign-ins so they can sign in now (in history)."""
    form = UnlockForm(request.POST)
    if form.is_valid():
        username = form.cleaned_data["username"]
        try:
            sign_in_lockout_clear(actor=request.user, username=username)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("%(username)s can sign in again.") % {"username": username})
    return redirect("admin:sign_in_lockouts")

"""Who works in Kinplan: organisations, their sites and teams, users with one role each, API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import TimeStampedModel


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        AGENCY = "agency", _("Statutory agency")
        SUPPORT_SERVICE = "support_service", _("Permanent Caregiver Support Service")

    class ChildTerm(models.TextChoices):
        CHILD = "child", _("child")
        MOKOPUNA = "mokopuna", "mokopuna"
        YOUNG_PERSON = "young_person", _("young person")

    class FamilyTerm(models.TextChoices):
        FAMILY = "family", _("family")
        WHANAU = "whanau", "whānau"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.AGENCY)
    child_term = models.CharField(
        _("word for a child"),
        max_length=20,
        choices=ChildTerm.choices,
        default=ChildTerm.CHILD,
        help_text=_("How this organisation's screens and documents name the child the case is about."),
    )
    family_term = models.CharField(
        _("word for a family"),
        max_length=20,
        choices=FamilyTerm.choices,
        default=FamilyTerm.FAMILY,
        help_text=_("How this organisation's screens and documents name the child's family."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="accounts_site_unique_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class Team(TimeStampedModel):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="accounts_team_unique_name_per_site")]

    def __str__(self) -> str:
        return f"{self.name} ({self.site.name})"


class User(AbstractUser):
    class Role(models.TextChoices):
        SOCIAL_WORKER = "social_worker", _("Social worker")
        SUPERVISOR = "supervisor", _("Supervisor")
        SITE_MANAGER = "site_manager", _("Site manager")
        SUPPORT_CASEWORKER = "support_caseworker", _("Support-service caseworker")
        SUPPORT_MANAGER = "support_manager", _("Support-service manager")
        NATIONAL_MANAGER = "national_manager", _("National manager")
        ADMINISTRATOR = "administrator", _("Administrator")

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    phone = models.CharField(max_length=50, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of your screens. Blank follows your browser."),
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class ApiToken(TimeStampedModel):
    """A personal token for scripts; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

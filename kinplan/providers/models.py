"""The service catalogue and the provider directory: what help exists, who offers it, where, at what cost.

Directory providers (NGOs, Iwi providers, community and government agencies) are shared by every site;
an informal support (a named relative or friend) belongs to one case and is seen only with it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from kinplan.core.models import TimeStampedModel
from kinplan.core.text import normalise_name


class ServiceType(TimeStampedModel):
    """A kind of help in the catalogue (seed 002); administrators add types and retire old ones."""

    class Category(models.TextChoices):
        FAMILY_PRESERVATION = "family_preservation", "Family preservation"
        FINANCIAL = "financial", "Financial assistance"
        HOUSING = "housing", "Housing"
        EDUCATION = "education", "Education"
        EMPLOYMENT = "employment", "Employment"
        HEALTH = "health", "Health and wellbeing"
        UNIVERSAL = "universal", "Universal and community services"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=24, choices=Category.choices)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Retired types stay on old records but are not offered.")

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Provider(TimeStampedModel):
    class Kind(models.TextChoices):
        NGO = "ngo", "NGO"
        IWI = "iwi", "Iwi provider"
        COMMUNITY = "community", "Community agency"
        GOVERNMENT = "government", "Government agency"
        INFORMAL = "informal", "Informal support (relative or friend)"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="informal_supports",
        help_text="For an informal support: the case it belongs to.",
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supports_given",
        help_text="For an informal support: the person in the case who gives it.",
    )
    relationship = models.CharField(max_length=100, blank=True, help_text="e.g. 'Grandmother', 'Family friend'.")
    description = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)
    area_served = models.CharField(
        max_length=300, blank=True, help_text="Suburbs, towns or regions, e.g. 'Porirua, Hutt Valley'."
    )
    languages = models.CharField(max_length=200, blank=True, help_text="e.g. 'English, te reo Māori, Samoan'.")
    cultural_focus = models.CharField(max_length=200, blank=True, help_text="e.g. 'Kaupapa Māori', 'Pasifika'.")
    iwi = models.ManyToManyField("cases.Iwi", blank=True, related_name="providers")
    is_active = models.BooleanField(default=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="informal") & Q(case__isnull=False)) | (~Q(kind="informal") & Q(case__isnull=True)),
                name="providers_provider_informal_iff_case",
                violation_error_message="An informal support belongs to one case; a directory provider to none.",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(kind="informal"),
                name="providers_provider_person_only_informal",
                violation_error_message="Only an informal support is a person in the case.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Derived, not a rule: the folded text that directory search compares (macrons and case ignored).
        self.search_text = normalise_name(
            " ".join((self.name, self.area_served, self.languages, self.cultural_focus, self.description))
        )
        super().save(*args, **kwargs)

    @property
    def is_informal(self) -> bool:
        return self.kind == self.Kind.INFORMAL


class ProviderService(TimeStampedModel):
    """A service a provider offers: its unit, the cost of one unit, and how soon a family can start."""

    class Unit(models.TextChoices):
        SESSION = "session", "session"
        HOUR = "hour", "hour"
        NIGHT = "night", "night"
        ITEM = "item", "item"
        FIXED_SUM = "fixed_sum", "fixed sum"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField(max_length=200, blank=True, help_text="The programme's own name, e.g. 'Incredible Years'.")
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.SESSION)
    unit_cost = models.DecimalField(
        "Cost of one unit (NZ$)",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text="0 for free.",
        validators=[MinValueValidator(Decimal("0"), message="A unit cost cannot be negative.")],
    )
    capacity_note = models.CharField(
        "Capacity or waitlist", max_length=200, blank=True, help_text="e.g. 'Waitlist about 6 weeks'."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service_type__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0),
                name="providers_providerservice_cost_not_negative",
                violation_error_message="A unit cost cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.provider}"

    @property
    def label(self) -> str:
        return self.name or str(self.service_type)

    @property
    def is_free(self) -> bool:
        return self.unit_cost == 0

"""The service catalogue and the provider directory: what help exists, who offers it, where, at what cost.

Directory providers (NGOs, Iwi providers, community and government agencies) are shared by every site;
an informal support (a named relative or friend) belongs to one case and is seen only with it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import TimeStampedModel
from kinplan.core.text import normalise_name

# The names of the catalogue a new installation starts with (migration 0002), marked so that they read in the
# reader's language. A type an administrator adds or renames shows as it is written.
SEEDED_NAMES = (
    gettext_noop("In-home services"),
    gettext_noop("Crisis intervention"),
    gettext_noop("Respite care"),
    gettext_noop("Parent support groups"),
    gettext_noop("Family group conferencing"),
    gettext_noop("Kinship care support"),
    gettext_noop("Wraparound services"),
    gettext_noop("Therapeutic services"),
    gettext_noop("Transitional services"),
    gettext_noop("Parenting programme"),
    gettext_noop("Financial assistance"),
    gettext_noop("Budgeting and financial mentoring"),
    gettext_noop("Housing support"),
    gettext_noop("Education support"),
    gettext_noop("Employment and training"),
    gettext_noop("Alcohol and drug treatment"),
    gettext_noop("Mental health services"),
    gettext_noop("Family violence support"),
    gettext_noop("Universal and community services"),
    gettext_noop("Cultural support and connection"),
)


class ServiceType(TimeStampedModel):
    """A kind of help in the catalogue (seed 002); administrators add types and retire old ones."""

    class Category(models.TextChoices):
        FAMILY_PRESERVATION = "family_preservation", _("Family preservation")
        FINANCIAL = "financial", _("Financial assistance")
        HOUSING = "housing", _("Housing")
        EDUCATION = "education", _("Education")
        EMPLOYMENT = "employment", _("Employment")
        HEALTH = "health", _("Health and wellbeing")
        UNIVERSAL = "universal", _("Universal and community services")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("is active"), default=True, help_text=_("Retired types stay on old records but are not offered.")
    )

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return gettext(self.name) if self.name else ""  # a seeded name in the reader's language


class Provider(TimeStampedModel):
    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        IWI = "iwi", _("Iwi provider")
        COMMUNITY = "community", _("Community agency")
        GOVERNMENT = "government", _("Government agency")
        INFORMAL = "informal", _("Informal support (relative or friend)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="informal_supports",
        help_text=_("For an informal support: the case it belongs to."),
    )
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supports_given",
        help_text=_("For an informal support: the person in the case who gives it."),
    )
    relationship = models.CharField(
        _("relationship"), max_length=100, blank=True, help_text=_("e.g. 'Grandmother', 'Family friend'.")
    )
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    area_served = models.CharField(
        _("area served"),
        max_length=300,
        blank=True,
        help_text=_("Suburbs, towns or regions, e.g. 'Porirua, Hutt Valley'."),
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("e.g. 'English, te reo Māori, Samoan'.")
    )
    cultural_focus = models.CharField(
        _("cultural focus"), max_length=200, blank=True, help_text=_("e.g. 'Kaupapa Māori', 'Pasifika'.")
    )
    iwi = models.ManyToManyField("cases.Iwi", verbose_name=_("iwi"), blank=True, related_name="providers")
    is_active = models.BooleanField(_("is active"), default=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="informal") & Q(case__isnull=False)) | (~Q(kind="informal") & Q(case__isnull=True)),
                name="providers_provider_informal_iff_case",
                violation_error_message=_("An informal support belongs to one case; a directory provider to none."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(kind="informal"),
                name="providers_provider_person_only_informal",
                violation_error_message=_("Only an informal support is a person in the case."),
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
        SESSION = "session", _("session")
        HOUR = "hour", _("hour")
        NIGHT = "night", _("night")
        ITEM = "item", _("item")
        FIXED_SUM = "fixed_sum", _("fixed sum")

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services"
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("service type"), on_delete=models.PROTECT, related_name="offers"
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("The programme's own name, e.g. 'Incredible Years'.")
    )
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.SESSION)
    unit_cost = models.DecimalField(
        _("Cost of one unit (NZ$)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("0 for free."),
        validators=[MinValueValidator(Decimal("0"), message=_("A unit cost cannot be negative."))],
    )
    capacity_note = models.CharField(
        _("Capacity or waitlist"), max_length=200, blank=True, help_text=_("e.g. 'Waitlist about 6 weeks'.")
    )
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        ordering = ["service_type__name", "id"]
        verbose_name = _("provider service")
        verbose_name_plural = _("provider services")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0),
                name="providers_providerservice_cost_not_negative",
                violation_error_message=_("A unit cost cannot be negative."),
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

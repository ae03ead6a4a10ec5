"""A case: the child(ren) at its centre, the people around them, households, relationships and the team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.core.models import ArchivableModel, TimeStampedModel
from kinplan.core.text import normalise_name


def validate_not_in_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(gettext("A date of birth cannot be in the future."))


def validate_not_after_today(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(gettext("This date cannot be in the future."))


def validate_plausible_birth_date(value: datetime.date) -> None:
    if value.year < 1900:
        raise ValidationError(gettext("Enter a date of birth after 1900."))


def age_on(born: datetime.date | None, on: datetime.date) -> int | None:
    """Whole years from `born` to `on`; None when the date of birth is unknown."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Iwi(models.Model):
    """A tribe a person may affiliate with (several allowed)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.CharField(_("region"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("iwi")
        verbose_name_plural = _("iwi")

    def __str__(self) -> str:
        return self.name


class Person(ArchivableModel):
    """Someone in a case: a child, a parent, whānau, a caregiver, a household member, a professional."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        ANOTHER = "another", _("Another gender")
        NOT_STATED = "not_stated", _("Not stated")

    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        POST = "post", _("Post")
        IN_PERSON = "in_person", _("In person")
        THROUGH_CAREGIVER = "through_caregiver", _("Through their caregiver")

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_not_in_future, validate_plausible_birth_date]
    )
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, default=Gender.NOT_STATED)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=200, blank=True, help_text=_("As the person describes it, e.g. Māori; Samoan.")
    )
    iwi = models.ManyToManyField(Iwi, verbose_name=_("iwi"), blank=True, related_name="people")
    preferred_language = models.CharField(_("preferred language"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    address_is_confidential = models.BooleanField(
        _("withhold this address"),
        default=False,
        help_text=_(
            "Only the social workers, supervisors and site managers on the person's cases see it. A permanent-care "
            "referral, sent on purpose, still carries a caregiver's address to the support service."
        ),
    )
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=20, choices=ContactMethod.choices, blank=True
    )
    contact_notes = models.TextField(
        _("contact notes"), blank=True, help_text=_("When and how to reach them; anything to avoid.")
    )
    organisation_name = models.CharField(
        _("organisation name"), max_length=200, blank=True, help_text=_("For professionals and providers.")
    )
    search_name = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        # Derived, not a rule: the folded name that search and duplicate checks compare.
        self.search_name = self.folded_name()
        super().save(*args, **kwargs)

    def folded_name(self) -> str:
        return normalise_name(f"{self.given_name} {self.preferred_name} {self.family_name}")

    @property
    def full_name(self) -> str:
        if self.preferred_name and self.preferred_name != self.given_name:
            return f"{self.given_name} ({self.preferred_name}) {self.family_name}"
        return f"{self.given_name} {self.family_name}"

    @property
    def age(self) -> int | None:
        return age_on(self.date_of_birth, timezone.localdate())


class Case(ArchivableModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200, help_text=_("Usually the child's or family's name."))
    site = models.ForeignKey("accounts.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("The allocated social worker."),
        verbose_name=_("worker"),
    )
    support_service = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_cases",
        verbose_name=_("support service"),
    )
    support_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_cases",
        help_text=_("The support-service caseworker allocated to this case."),
        verbose_name=_("support worker"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate, validators=[validate_not_after_today])
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Why we are involved, in a few sentences."))
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    is_restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the users named on the case see it; anyone else must give a reason to open it."),
    )
    restricted_reason = models.TextField(_("why it is restricted"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["worker", "status"], name="cases_case_worker_status"),
            models.Index(fields=["team", "status"], name="cases_case_team_status"),
            models.Index(fields=["site", "status"], name="cases_case_site_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True) | Q(status="closed", closed_on__isnull=False),
                name="cases_case_closed_on_iff_closed",
                violation_error_message=_("A closed case needs the date it closed; an open case has none."),
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gte=models.F("opened_on")),
                name="cases_case_review_after_opened",
                violation_error_message=_("The next review cannot be before the case opened."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="cases_case_closed_after_opened",
                violation_error_message=_("A case cannot close before it opened."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or 'New case'} {self.name}"


class RestrictedCaseMember(TimeStampedModel):
    """A user named on a restricted case: they open it as before, without breaking the glass."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="named_users")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_restrictedcasemember_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


class GlassBreak(models.Model):
    """Emergency access to a restricted case by someone not named on it: who, when, why, until when.
    Append-only; the site manager is told of each one."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="cases_glassbreak_user_expiry")]

    def __str__(self) -> str:
        return f"{self.user} opened {self.case} ({self.at:%Y-%m-%d %H:%M})"


class Household(ArchivableModel):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="households")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. 'Grandparents' home' or 'Mum's flat'."))
    address = models.TextField(_("address"), blank=True)
    address_is_confidential = models.BooleanField(
        _("withhold this address"),
        default=False,
        help_text=_(
            "Only the social workers, supervisors and site managers on the case see it. A permanent-care referral, "
            "sent on purpose, still carries the caregiver's address to the support service."
        ),
    )
    is_childs_home = models.BooleanField(_("is childs home"), default=False, help_text=_("The child lives here now."))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-is_childs_home", "name", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.name


class Participant(ArchivableModel):
    """A person's place in a case: their role, and the household they live in."""

    class Role(models.TextChoices):
        CHILD = "child", _("Child (mokopuna)")
        PARENT = "parent", _("Parent")
        WHANAU = "whanau", _("Whānau / kin")
        CAREGIVER = "caregiver", _("Caregiver")
        HOUSEHOLD_MEMBER = "household_member", _("Household member")
        PROFESSIONAL = "professional", _("Professional")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["role", "person__family_name", "person__given_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=Q(archived_at__isnull=True),
                name="cases_participant_once_per_case",
                violation_error_message=_("This person is already part of this case."),
            )
        ]
        indexes = [models.Index(fields=["case", "role"], name="cases_participant_case_role")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Relationship(ArchivableModel):
    """How one person in a case is related to one of its children."""

    class Kind(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        PARENT = "parent", _("Parent")
        STEP_PARENT = "step_parent", _("Step-parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        AUNT_UNCLE = "aunt_uncle", _("Aunt / uncle")
        SIBLING = "sibling", _("Sibling")
        HALF_SIBLING = "half_sibling", _("Half-sibling")
        COUSIN = "cousin", _("Cousin")
        WHANGAI = "whangai", _("Whāngai parent")
        OTHER_WHANAU = "other_whanau", _("Other whānau / kin")
        CAREGIVER = "caregiver", _("Caregiver (not kin)")
        FAMILY_FRIEND = "family_friend", _("Family friend")
        PROFESSIONAL = "professional", _("Professional")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="relationships")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="relationships")
    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.PROTECT, related_name="relationships_as_child"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["child__given_name", "kind", "id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("child")),
                name="cases_relationship_not_to_self",
                violation_error_message=_("A person cannot be related to themselves."),
            ),
            models.UniqueConstraint(
                fields=["case", "person", "child"],
                condition=Q(archived_at__isnull=True),
                name="cases_relationship_once_per_pair",
                violation_error_message=_("This relationship is already recorded; edit it instead."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s is %(kind)s of %(child)s") % {
            "person": self.person,
            "kind": self.get_kind_display().lower(),
            "child": self.child,
        }


class TeamMember(ArchivableModel):
    """A member of the Child and Family Team: a person in the case or a Kinplan user."""

    class Role(models.TextChoices):
        CHILD = "child", _("Child (mokopuna)")
        PARENT = "parent", _("Parent")
        WHANAU = "whanau", _("Whānau")
        CAREGIVER = "caregiver", _("Caregiver")
        LAWYER_FOR_CHILD = "lawyer_for_child", _("Lawyer for child")
        PROVIDER = "provider", _("Provider")
        PROFESSIONAL = "professional", _("Professional")
        CULTURAL_ADVISOR = "cultural_advisor", _("Cultural advisor")
        SOCIAL_WORKER = "social_worker", _("Social worker")
        SUPPORT_CASEWORKER = "support_caseworker", _("Support-service caseworker")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="team_members")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="team_roles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    is_required = models.BooleanField(
        _("is required"), default=True, help_text=_("Their agreement is needed before a plan is agreed.")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(user__isnull=True))
                | (Q(person__isnull=True) & Q(user__isnull=False)),
                name="cases_teammember_person_xor_user",
                violation_error_message=_("Choose either a person in the case or a Kinplan user, not both."),
            ),
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=Q(archived_at__isnull=True, person__isnull=False),
                name="cases_teammember_person_once",
                violation_error_message=_("This person is already on the team."),
            ),
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(archived_at__isnull=True, user__isnull=False),
                name="cases_teammember_user_once",
                violation_error_message=_("This user is already on the team."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name} — {self.get_role_display()}"

    @property
    def member_name(self) -> str:
        return str(self.person or self.user)

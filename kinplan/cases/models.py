"""A case: the child(ren) at its centre, the people around them, households, relationships and the team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kinplan.core.models import ArchivableModel
from kinplan.core.text import normalise_name


def validate_not_in_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError("A date of birth cannot be in the future.")


def validate_not_after_today(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError("This date cannot be in the future.")


def validate_plausible_birth_date(value: datetime.date) -> None:
    if value.year < 1900:
        raise ValidationError("Enter a date of birth after 1900.")


def age_on(born: datetime.date | None, on: datetime.date) -> int | None:
    """Whole years from `born` to `on`; None when the date of birth is unknown."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Iwi(models.Model):
    """A tribe a person may affiliate with (several allowed)."""

    name = models.CharField(max_length=120, unique=True)
    region = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "iwi"

    def __str__(self) -> str:
        return self.name


class Person(ArchivableModel):
    """Someone in a case: a child, a parent, whānau, a caregiver, a household member, a professional."""

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        ANOTHER = "another", "Another gender"
        NOT_STATED = "not_stated", "Not stated"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        POST = "post", "Post"
        IN_PERSON = "in_person", "In person"
        THROUGH_CAREGIVER = "through_caregiver", "Through their caregiver"

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(
        null=True, blank=True, validators=[validate_not_in_future, validate_plausible_birth_date]
    )
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_STATED)
    ethnicity = models.CharField(
        max_length=200, blank=True, help_text="As the person describes it, e.g. Māori; Samoan."
    )
    iwi = models.ManyToManyField(Iwi, blank=True, related_name="people")
    preferred_language = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    preferred_contact = models.CharField(max_length=20, choices=ContactMethod.choices, blank=True)
    contact_notes = models.TextField(blank=True, help_text="When and how to reach them; anything to avoid.")
    organisation_name = models.CharField(max_length=200, blank=True, help_text="For professionals and providers.")
    search_name = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name_plural = "people"

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
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    name = models.CharField(max_length=200, help_text="Usually the child's or family's name.")
    site = models.ForeignKey("accounts.Site", on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text="The allocated social worker.",
    )
    support_service = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_cases",
    )
    support_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_cases",
        help_text="The support-service caseworker allocated to this case.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(default=timezone.localdate, validators=[validate_not_after_today])
    closed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="Why we are involved, in a few sentences.")
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["worker", "status"], name="cases_case_worker_status"),
            models.Index(fields=["team", "status"], name="cases_case_team_status"),
            models.Index(fields=["site", "status"], name="cases_case_site_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True) | Q(status="closed", closed_on__isnull=False),
                name="cases_case_closed_on_iff_closed",
                violation_error_message="A closed case needs the date it closed; an open case has none.",
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gte=models.F("opened_on")),
                name="cases_case_review_after_opened",
                violation_error_message="The next review cannot be before the case opened.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="cases_case_closed_after_opened",
                violation_error_message="A case cannot close before it opened.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or 'New case'} {self.name}"


class Household(ArchivableModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(max_length=200, help_text="e.g. 'Grandparents' home' or 'Mum's flat'.")
    address = models.TextField(blank=True)
    is_childs_home = models.BooleanField(default=False, help_text="The child lives here now.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-is_childs_home", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Participant(ArchivableModel):
    """A person's place in a case: their role, and the household they live in."""

    class Role(models.TextChoices):
        CHILD = "child", "Child (mokopuna)"
        PARENT = "parent", "Parent"
        WHANAU = "whanau", "Whānau / kin"
        CAREGIVER = "caregiver", "Caregiver"
        HOUSEHOLD_MEMBER = "household_member", "Household member"
        PROFESSIONAL = "professional", "Professional"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["role", "person__family_name", "person__given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=Q(archived_at__isnull=True),
                name="cases_participant_once_per_case",
                violation_error_message="This person is already part of this case.",
            )
        ]
        indexes = [models.Index(fields=["case", "role"], name="cases_participant_case_role")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Relationship(ArchivableModel):
    """How one person in a case is related to one of its children."""

    class Kind(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        AUNT_UNCLE = "aunt_uncle", "Aunt / uncle"
        SIBLING = "sibling", "Sibling"
        HALF_SIBLING = "half_sibling", "Half-sibling"
        COUSIN = "cousin", "Cousin"
        WHANGAI = "whangai", "Whāngai parent"
        OTHER_WHANAU = "other_whanau", "Other whānau / kin"
        CAREGIVER = "caregiver", "Caregiver (not kin)"
        FAMILY_FRIEND = "family_friend", "Family friend"
        PROFESSIONAL = "professional", "Professional"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="relationships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_as_child")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["child__given_name", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("child")),
                name="cases_relationship_not_to_self",
                violation_error_message="A person cannot be related to themselves.",
            ),
            models.UniqueConstraint(
                fields=["case", "person", "child"],
                condition=Q(archived_at__isnull=True),
                name="cases_relationship_once_per_pair",
                violation_error_message="This relationship is already recorded; edit it instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} of {self.child}"


class TeamMember(ArchivableModel):
    """A member of the Child and Family Team: a person in the case or a Kinplan user."""

    class Role(models.TextChoices):
        CHILD = "child", "Child (mokopuna)"
        PARENT = "parent", "Parent"
        WHANAU = "whanau", "Whānau"
        CAREGIVER = "caregiver", "Caregiver"
        LAWYER_FOR_CHILD = "lawyer_for_child", "Lawyer for child"
        PROVIDER = "provider", "Provider"
        PROFESSIONAL = "professional", "Professional"
        CULTURAL_ADVISOR = "cultural_advisor", "Cultural advisor"
        SOCIAL_WORKER = "social_worker", "Social worker"
        SUPPORT_CASEWORKER = "support_caseworker", "Support-service caseworker"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="team_members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="team_roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="team_roles"
    )
    role = models.CharField(max_length=24, choices=Role.choices)
    is_required = models.BooleanField(default=True, help_text="Their agreement is needed before a plan is agreed.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(user__isnull=True))
                | (Q(person__isnull=True) & Q(user__isnull=False)),
                name="cases_teammember_person_xor_user",
                violation_error_message="Choose either a person in the case or a Kinplan user, not both.",
            ),
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=Q(archived_at__isnull=True, person__isnull=False),
                name="cases_teammember_person_once",
                violation_error_message="This person is already on the team.",
            ),
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(archived_at__isnull=True, user__isnull=False),
                name="cases_teammember_user_once",
                violation_error_message="This user is already on the team.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name} — {self.get_role_display()}"

    @property
    def member_name(self) -> str:
        return str(self.person or self.user)

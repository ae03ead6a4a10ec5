"""API input and output shapes for cases, people, relationships and team members."""

from __future__ import annotations

import datetime
from typing import Any, Generic, TypeVar

from ninja import Field, Schema

from kinplan.cases.models import Case, Household, Participant, Person, Relationship, TeamMember
from kinplan.cases.permissions import can_see_confidential
from kinplan.core.api import VersionedOut

T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    next_after: int | None = Field(None, description="Pass as ?after= to get the next page; null on the last page.")


def _address_for(obj: Person | Household, context: dict[str, Any] | None) -> str:
    """The address, unless it is withheld and the reader's role does not see confidential details."""
    if not obj.address_is_confidential:
        return obj.address
    request = (context or {}).get("request")
    return obj.address if request is not None and can_see_confidential(request.user) else ""


ADDRESS_WITHHELD_HELP = "True when the address is withheld: only the case's statutory staff see it (else it is empty)."


class PersonOut(VersionedOut):
    id: int
    given_name: str
    family_name: str
    preferred_name: str
    full_name: str
    date_of_birth: datetime.date | None
    age: int | None
    gender: Person.Gender
    ethnicity: str
    iwi: list[str]
    preferred_language: str
    phone: str
    email: str
    address: str
    address_withheld: bool = Field(..., alias="address_is_confidential", description=ADDRESS_WITHHELD_HELP)
    preferred_contact: str
    contact_notes: str
    organisation_name: str

    @staticmethod
    def resolve_iwi(obj: Person) -> list[str]:
        return [iwi.name for iwi in obj.iwi.all()]

    @staticmethod
    def resolve_address(obj: Person, context: dict[str, Any]) -> str:
        return _address_for(obj, context)


class PersonIn(Schema):
    given_name: str = Field(..., min_length=1, max_length=100)
    family_name: str = Field(..., min_length=1, max_length=100)
    preferred_name: str = ""
    date_of_birth: datetime.date | None = None
    gender: Person.Gender = Person.Gender.NOT_STATED
    ethnicity: str = ""
    iwi: list[str] = Field(default_factory=list, description="Iwi names, as listed at /api/v1/iwi.")
    preferred_language: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    address_is_confidential: bool = Field(False, description="Withhold the address (see address_withheld).")
    preferred_contact: Person.ContactMethod | None = None
    contact_notes: str = ""
    organisation_name: str = ""


class PersonPatch(Schema):
    given_name: str | None = Field(None, min_length=1, max_length=100)
    family_name: str | None = Field(None, min_length=1, max_length=100)
    preferred_name: str | None = None
    date_of_birth: datetime.date | None = None
    gender: Person.Gender | None = None
    ethnicity: str | None = None
    iwi: list[str] | None = None
    preferred_language: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    address_is_confidential: bool | None = None
    preferred_contact: Person.ContactMethod | None = None
    contact_notes: str | None = None
    organisation_name: str | None = None


class PersonSearchOut(Schema):
    people: list[PersonOut]
    hidden_matches: int = Field(
        ..., description="Matches in records you may not open, counted up to 100: ask your site manager."
    )
    more_hidden_matches: bool = Field(False, description="There are more than `hidden_matches` of them.")


class ChildOut(Schema):
    id: int
    full_name: str
    date_of_birth: datetime.date | None
    age: int | None


class CaseOut(VersionedOut):
    id: int
    reference: str | None
    name: str
    status: Case.Status
    site_id: int
    team_id: int | None
    worker_id: int | None
    worker_name: str | None
    support_worker_id: int | None
    opened_on: datetime.date
    closed_on: datetime.date | None
    summary: str
    next_review_on: datetime.date | None
    archived: bool
    is_restricted: bool
    children: list[ChildOut]

    @staticmethod
    def resolve_worker_name(obj: Case) -> str | None:
        return str(obj.worker) if obj.worker_id else None

    @staticmethod
    def resolve_archived(obj: Case) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_children(obj: Case) -> list[Person]:
        participants = getattr(obj, "child_participants", None)
        if participants is None:
            participants = obj.participants.filter(role=Participant.Role.CHILD, archived_at__isnull=True)
        return [p.person for p in participants]


class CaseIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    child_id: int | None = Field(None, description="An existing person (found with /people/search).")
    child: PersonIn | None = Field(None, description="A new child's details, when child_id is not given.")
    team_id: int | None = None
    worker_id: int | None = None
    summary: str = ""
    opened_on: datetime.date | None = None
    next_review_on: datetime.date | None = None


class CasePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    team_id: int | None = None
    worker_id: int | None = None
    summary: str | None = None
    next_review_on: datetime.date | None = None
    status: Case.Status | None = None
    closed_on: datetime.date | None = None


class ParticipantOut(VersionedOut):
    id: int
    person: PersonOut
    role: Participant.Role
    household_id: int | None
    notes: str


class ParticipantIn(Schema):
    role: Participant.Role
    person_id: int | None = Field(None, description="Someone already known (found with /people/search).")
    person: PersonIn | None = Field(None, description="A new person's details, when person_id is not given.")
    household_id: int | None = None


class ParticipantPatch(Schema):
    role: Participant.Role | None = None
    household_id: int | None = None
    notes: str | None = None


class HouseholdOut(VersionedOut):
    id: int
    name: str
    address: str
    address_withheld: bool = Field(..., alias="address_is_confidential", description=ADDRESS_WITHHELD_HELP)
    is_childs_home: bool
    notes: str

    @staticmethod
    def resolve_address(obj: Household, context: dict[str, Any]) -> str:
        return _address_for(obj, context)


class HouseholdIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    address: str = ""
    address_is_confidential: bool = Field(False, description="Withhold the address (see address_withheld).")
    is_childs_home: bool = False
    notes: str = ""


class HouseholdPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    address: str | None = None
    address_is_confidential: bool | None = Field(None, description="Withhold the address (see address_withheld).")
    is_childs_home: bool | None = None
    notes: str | None = None


class RelationshipOut(VersionedOut):
    id: int
    person_id: int
    person_name: str
    child_id: int
    child_name: str
    kind: Relationship.Kind
    notes: str

    @staticmethod
    def resolve_person_name(obj: Relationship) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_child_name(obj: Relationship) -> str:
        return obj.child.full_name


class RelationshipIn(Schema):
    person_id: int
    child_id: int
    kind: Relationship.Kind
    notes: str = ""


class RelationshipPatch(Schema):
    kind: Relationship.Kind | None = None
    notes: str | None = None


class TeamMemberOut(VersionedOut):
    id: int
    person_id: int | None
    user_id: int | None
    name: str
    role: TeamMember.Role
    is_required: bool
    notes: str

    @staticmethod
    def resolve_name(obj: TeamMember) -> str:
        return obj.member_name


class TeamMemberIn(Schema):
    role: TeamMember.Role
    person_id: int | None = None
    user_id: int | None = None
    is_required: bool = True
    notes: str = ""


class TeamMemberPatch(Schema):
    role: TeamMember.Role | None = None
    is_required: bool | None = None
    notes: str | None = None


class HistoryOut(Schema):
    id: int
    at: datetime.datetime
    actor: str | None
    event: str
    target_type: str
    target_id: str
    target_label: str
    changes: dict[str, list[object]]

    @staticmethod
    def resolve_actor(obj) -> str | None:  # type: ignore[no-untyped-def]
        return str(obj.actor) if obj.actor_id else None


class IwiOut(Schema):
    id: int
    name: str
    region: str


class NamedUserOut(Schema):
    id: int
    name: str


class RestrictionOut(Schema):
    restricted: bool = Field(..., alias="is_restricted")
    reason: str = Field(..., alias="restricted_reason")
    named_users: list[NamedUserOut]

    @staticmethod
    def resolve_named_users(obj: Case) -> list[dict[str, Any]]:
        return [{"id": m.user_id, "name": str(m.user)} for m in obj.named_users.select_related("user")]


class RestrictionIn(Schema):
    restricted: bool
    reason: str = Field("", max_length=2000)
    named_user_ids: list[int] = Field(
        default_factory=list, description="Users to name on the case; you and the allocated worker always are."
    )


class BreakGlassIn(Schema):
    reason: str = Field(..., max_length=2000, description="Why you need to open the case now (15 characters or more).")


class GlassBreakOut(Schema):
    id: int
    case_id: int
    case_reference: str | None
    user_id: int
    user_name: str
    reason: str
    at: datetime.datetime
    expires_at: datetime.datetime

    @staticmethod
    def resolve_case_reference(obj: Any) -> str | None:
        return obj.case.reference

    @staticmethod
    def resolve_user_name(obj: Any) -> str:
        return str(obj.user)


class RestrictedCaseOut(Schema):
    id: int
    reference: str | None
    site: str
    opened_on: datetime.date

    @staticmethod
    def resolve_site(obj: Case) -> str:
        return obj.site.name

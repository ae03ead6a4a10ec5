"""Every change to cases, people, households, relationships and the Child and Family Team."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import Team, User
from kinplan.audit.services import apply_changes, audit_record, created_changes, diff, snapshot
from kinplan.cases.models import (
    Case,
    GlassBreak,
    Household,
    Iwi,
    Participant,
    Person,
    Relationship,
    RestrictedCaseMember,
    TeamMember,
)
from kinplan.cases.permissions import (
    can_create_case,
    can_edit_case,
    can_edit_person,
    can_restrict_case,
    can_view_person,
    cases_in_role_scope,
    people_visible_to,
    restricted_cases_hidden_from,
    staff_for_case,
)
from kinplan.core.errors import ensure

M = TypeVar("M", bound=models.Model)

CASE_FIELDS = ("name", "team", "worker", "summary", "next_review_on", "status", "closed_on", "opened_on")
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "preferred_language",
    "phone",
    "email",
    "address",
    "address_is_confidential",
    "preferred_contact",
    "contact_notes",
    "organisation_name",
)
HOUSEHOLD_FIELDS = ("name", "address", "address_is_confidential", "is_childs_home", "notes")
PARTICIPANT_FIELDS = ("role", "household", "notes")
RELATIONSHIP_FIELDS = ("person", "child", "kind", "notes")
TEAM_MEMBER_FIELDS = ("role", "is_required", "notes")


def _create(instance: M, data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, list[Any]]:
    """Validate and save a new `instance` with `data`; its history shows every field as set."""
    apply_changes(instance, data, allowed)
    return created_changes(instance, data.keys())


def _archive(*, actor: User, instance: M, event: str, case: Case) -> M:
    if instance.archived_at is None:  # type: ignore[attr-defined]
        instance.archived_at = timezone.now()  # type: ignore[attr-defined]
        instance.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            event=event,
            target=instance,
            case=case,
            changes={"archived_at": [None, str(instance.archived_at)]},
        )  # type: ignore[attr-defined]
    return instance


# --- cases ---------------------------------------------------------------------------------------


def _check_case_staffing(case: Case) -> None:
    """The team belongs to the case's site; the worker is an active social worker there."""
    errors: dict[str, str] = {}
    if case.team_id and case.team.site_id != case.site_id:
        errors["team"] = _("Choose a team at this case's site.")
    if case.worker_id:
        worker = case.worker
        if not worker.is_active or worker.role not in (User.Role.SOCIAL_WORKER, User.Role.SUPERVISOR):
            errors["worker"] = _("The allocated worker must be an active social worker or supervisor.")
        elif worker.site_id != case.site_id:
            errors["worker"] = _("Choose a worker at this case's site.")
    if errors:
        raise ValidationError(errors)


def _assign_reference(case: Case) -> None:
    case.reference = f"KP-{case.pk:06d}"
    case.save(update_fields=["reference"])


@transaction.atomic
def case_create(
    *,
    actor: User,
    name: str,
    child: Person | None = None,
    child_details: Mapping[str, Any] | None = None,
    child_iwi: Iterable[Iwi] = (),
    team: Team | None = None,
    worker: User | None = None,
    summary: str = "",
    opened_on: datetime.date | None = None,
    next_review_on: datetime.date | None = None,
) -> Case:
    """Open a case at the actor's site around one child: an existing person they can see, or a new one."""
    ensure(can_create_case(actor), _("Your role cannot open cases."))
    if (child is None) == (child_details is None):
        raise ValidationError(_("Choose an existing child or enter a new child's details, not both."))
    if child is not None and not can_view_person(actor, child):
        raise ValidationError({"child": _("You cannot add a person you do not have access to.")})
    default_worker = actor if actor.role == User.Role.SOCIAL_WORKER else None
    case = Case(
        name=name.strip(),
        site_id=actor.site_id,
        team=team or actor.team,
        worker=worker or default_worker,
        summary=summary,
        opened_on=opened_on or timezone.localdate(),
        next_review_on=next_review_on,
    )
    case.full_clean(exclude=["reference"])
    _check_case_staffing(case)
    case.save()
    _assign_reference(case)
    audit_record(
        actor=actor, event="case.created", target=case, case=case, changes=diff({}, snapshot(case, CASE_FIELDS))
    )
    if child is None:
        child = _person_create(actor=actor, case=case, details=child_details or {}, iwi=child_iwi)
    _participant_add(actor=actor, case=case, person=child, role=Participant.Role.CHILD)
    return case


@transaction.atomic
def case_update(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """Change a case's details; closing needs the date it closed, reopening clears it."""
    ensure(can_edit_case(actor, case), _("You cannot change this case."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    data = dict(data)
    if data.get("status") == Case.Status.OPEN:
        data["closed_on"] = None
    changes = apply_changes(case, data, CASE_FIELDS)
    _check_case_staffing(case)
    if case.is_restricted and "worker" in changes and case.worker_id:
        # A restricted case's newly allocated worker is named on it, or they could not open their own case.
        before_named = _named_user_ids(case)
        RestrictedCaseMember.objects.get_or_create(case=case, user_id=case.worker_id, defaults={"added_by": actor})
        after_named = _named_user_ids(case)
        if after_named != before_named:
            changes["named_users"] = [_user_names(before_named), _user_names(after_named)]
    if changes:
        audit_record(actor=actor, event="case.updated", target=case, case=case, changes=changes)
    return case


@transaction.atomic
def case_archive(*, actor: User, case: Case) -> Case:
    """Archive a case (it leaves every list; its history stays)."""
    ensure(can_edit_case(actor, case), _("You cannot archive this case."))
    return _archive(actor=actor, instance=case, event="case.archived", case=case)


# --- people --------------------------------------------------------------------------------------


def _set_iwi(person: Person, iwi: Iterable[Iwi]) -> dict[str, list[Any]]:
    before = sorted(str(i) for i in person.iwi.all())
    person.iwi.set(list(iwi))
    after = sorted(str(i) for i in person.iwi.all())
    return {"iwi": [before, after]} if before != after else {}


def _person_create(*, actor: User, case: Case, details: Mapping[str, Any], iwi: Iterable[Iwi]) -> Person:
    person = Person()
    changes = _create(person, details, PERSON_FIELDS)
    changes.update(_set_iwi(person, iwi))
    audit_record(actor=actor, event="person.created", target=person, case=case, changes=changes)
    return person


def _participant_add(
    *, actor: User, case: Case, person: Person, role: str, household: Household | None = None
) -> Participant:
    if household is not None and household.case_id != case.pk:
        raise ValidationError({"household": _("Choose a household in this case.")})
    participant = Participant(case=case, person=person, role=role, household=household)
    participant.full_clean()
    participant.save()
    audit_record(
        actor=actor,
        event="case.participant.added",
        target=participant,
        case=case,
        changes=diff({}, snapshot(participant, ("person", "role", "household"))),
    )
    return participant


@transaction.atomic
def person_create(
    *,
    actor: User,
    case: Case,
    role: str,
    details: Mapping[str, Any],
    iwi: Iterable[Iwi] = (),
    household: Household | None = None,
) -> Participant:
    """Record a new person and add them to `case` in `role`."""
    ensure(can_edit_case(actor, case), _("You cannot add people to this case."))
    person = _person_create(actor=actor, case=case, details=details, iwi=iwi)
    return _participant_add(actor=actor, case=case, person=person, role=role, household=household)


@transaction.atomic
def participant_add(
    *, actor: User, case: Case, person: Person, role: str, household: Household | None = None
) -> Participant:
    """Add someone already known to Kinplan (found by search-before-create) to `case`."""
    ensure(can_edit_case(actor, case), _("You cannot add people to this case."))
    if not people_visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("You cannot add a person you do not have access to.")})
    return _participant_add(actor=actor, case=case, person=person, role=role, household=household)


@transaction.atomic
def participant_update(*, actor: User, participant: Participant, data: Mapping[str, Any]) -> Participant:
    """Change someone's role in a case or the household they live in."""
    case = participant.case
    ensure(can_edit_case(actor, case), _("You cannot change this case."))
    household = data.get("household")
    if household is not None and household.case_id != case.pk:
        raise ValidationError({"household": _("Choose a household in this case.")})
    if (
        participant.role == Participant.Role.CHILD
        and data.get("role", Participant.Role.CHILD) != Participant.Role.CHILD
    ):
        _ensure_another_child(participant)
    changes = apply_changes(participant, data, PARTICIPANT_FIELDS)
    if changes:
        audit_record(actor=actor, event="case.participant.updated", target=participant, case=case, changes=changes)
    return participant


def _ensure_another_child(participant: Participant) -> None:
    others = participant.case.participants.filter(role=Participant.Role.CHILD, archived_at__isnull=True)
    if not others.exclude(pk=participant.pk).exists():
        raise ValidationError(_("A case needs at least one child: add another child first."))


@transaction.atomic
def participant_archive(*, actor: User, participant: Participant) -> Participant:
    """Take someone out of a case with their relationships and team seat there (all kept in history).

    A case always keeps at least one child.
    """
    case = participant.case
    ensure(can_edit_case(actor, case), _("You cannot change this case."))
    if participant.role == Participant.Role.CHILD:
        _ensure_another_child(participant)
    person_links = case.relationships.filter(archived_at__isnull=True).filter(
        models.Q(person=participant.person) | models.Q(child=participant.person)
    )
    for relationship in person_links:
        _archive(actor=actor, instance=relationship, event="case.relationship.archived", case=case)
    for member in case.team_members.filter(archived_at__isnull=True, person=participant.person):
        _archive(actor=actor, instance=member, event="case.team_member.archived", case=case)
    return _archive(actor=actor, instance=participant, event="case.participant.archived", case=case)


@transaction.atomic
def person_update(
    *, actor: User, person: Person, data: Mapping[str, Any], iwi: Iterable[Iwi] | None = None, case: Case | None = None
) -> Person:
    """Change a person's details; every case they are in shows the change."""
    ensure(can_edit_person(actor, person), _("You cannot change this person's details."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = apply_changes(person, data, PERSON_FIELDS)
    if iwi is not None:
        changes.update(_set_iwi(person, iwi))
    if changes:
        for case_id in _case_ids_of(person, case):
            audit_record(actor=actor, event="person.updated", target=person, case=Case(pk=case_id), changes=changes)
    return person


def _case_ids_of(person: Person, case: Case | None) -> list[int]:
    """The cases whose history should show a change to `person` (all the cases they are in)."""
    ids = list(person.participations.filter(archived_at__isnull=True).values_list("case_id", flat=True))
    return ids or ([case.pk] if case else [])


# --- households ----------------------------------------------------------------------------------


@transaction.atomic
def household_create(*, actor: User, case: Case, data: Mapping[str, Any]) -> Household:
    """Record a household in a case."""
    ensure(can_edit_case(actor, case), _("You cannot change this case."))
    household = Household(case=case)
    changes = _create(household, data, HOUSEHOLD_FIELDS)
    audit_record(actor=actor, event="case.household.created", target=household, case=case, changes=changes)
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, data: Mapping[str, Any]) -> Household:
    """Change a household's name, address or notes."""
    ensure(can_edit_case(actor, household.case), _("You cannot change this case."))
    changes = apply_changes(household, data, HOUSEHOLD_FIELDS)
    if changes:
        audit_record(
            actor=actor, event="case.household.updated", target=household, case=household.case, changes=changes
        )
    return household


@transaction.atomic
def household_archive(*, actor: User, household: Household) -> Household:
    """Archive a household; its members stay in the case, living nowhere recorded."""
    ensure(can_edit_case(actor, household.case), _("You cannot change this case."))
    household.members.filter(archived_at__isnull=True).update(household=None)
    return _archive(actor=actor, instance=household, event="case.household.archived", case=household.case)


# --- relationships -------------------------------------------------------------------------------


def _check_relationship(relationship: Relationship) -> None:
    active = relationship.case.participants.filter(archived_at__isnull=True)
    errors = {}
    if not active.filter(person_id=relationship.child_id, role=Participant.Role.CHILD).exists():
        errors["child"] = _("Choose one of this case's children.")
    if not active.filter(person_id=relationship.person_id).exists():
        errors["person"] = _("Choose someone who is part of this case.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def relationship_create(*, actor: User, case: Case, data: Mapping[str, Any]) -> Relationship:
    """Record how a person in the case is related to one of its children."""
    ensure(can_edit_case(actor, case), _("You cannot change this case."))
    relationship = Relationship(case=case)
    for name in ("person", "child"):
        if name in data:
            setattr(relationship, name, data[name])
    if relationship.person_id and relationship.child_id:
        _check_relationship(relationship)
    changes = _create(relationship, data, RELATIONSHIP_FIELDS)
    audit_record(actor=actor, event="case.relationship.created", target=relationship, case=case, changes=changes)
    return relationship


@transaction.atomic
def relationship_update(*, actor: User, relationship: Relationship, data: Mapping[str, Any]) -> Relationship:
    """Change the kind of a relationship or its notes."""
    ensure(can_edit_case(actor, relationship.case), _("You cannot change this case."))
    changes = apply_changes(relationship, data, ("kind", "notes"))
    if changes:
        audit_record(
            actor=actor, event="case.relationship.updated", target=relationship, case=relationship.case, changes=changes
        )
    return relationship


@transaction.atomic
def relationship_archive(*, actor: User, relationship: Relationship) -> Relationship:
    """Withdraw a relationship recorded in error or no longer true (kept in history)."""
    ensure(can_edit_case(actor, relationship.case), _("You cannot change this case."))
    return _archive(actor=actor, instance=relationship, event="case.relationship.archived", case=relationship.case)


# --- Child and Family Team -----------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *,
    actor: User,
    case: Case,
    role: str,
    person: Person | None = None,
    user: User | None = None,
    is_required: bool = True,
    notes: str = "",
) -> TeamMember:
    """Add a person in the case, or a Kinplan user, to the Child and Family Team."""
    ensure(can_edit_case(actor, case), _("You cannot change this case."))
    if person is not None and not case.participants.filter(person=person, archived_at__isnull=True).exists():
        raise ValidationError({"person": _("Add this person to the case first.")})
    if user is not None and not user.is_active:
        raise ValidationError({"user": _("This user account is not active.")})
    if user is not None and not staff_for_case(case).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Choose someone at this case's site or its support service.")})
    member = TeamMember(case=case, person=person, user=user, role=role, is_required=is_required, notes=notes)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        event="case.team_member.added",
        target=member,
        case=case,
        changes=diff({}, snapshot(member, ("person", "user", "role", "is_required"))),
    )
    return member


@transaction.atomic
def team_member_update(*, actor: User, member: TeamMember, data: Mapping[str, Any]) -> TeamMember:
    """Change a team member's role, whether their agreement is required, or notes."""
    ensure(can_edit_case(actor, member.case), _("You cannot change this case."))
    changes = apply_changes(member, data, TEAM_MEMBER_FIELDS)
    if changes:
        audit_record(actor=actor, event="case.team_member.updated", target=member, case=member.case, changes=changes)
    return member


@transaction.atomic
def team_member_archive(*, actor: User, member: TeamMember) -> TeamMember:
    """Take someone off the Child and Family Team (kept in history)."""
    ensure(can_edit_case(actor, member.case), _("You cannot change this case."))
    return _archive(actor=actor, instance=member, event="case.team_member.archived", case=member.case)


# --- restricted cases and breaking the glass --------------------------------------------------------------

# A reason for emergency access must say something: at least this many characters.
GLASS_BREAK_REASON_MIN = 15


def _named_user_ids(case: Case) -> list[int]:
    return sorted(case.named_users.values_list("user_id", flat=True))


@transaction.atomic
def case_restriction_set(
    *, actor: User, case: Case, restricted: bool, reason: str = "", named_users: Iterable[User] = ()
) -> Case:
    """Restrict a case to the users named on it (the actor and the allocated worker always are), change who is
    named, or lift the restriction. Only someone who could see the case by their role can be named."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    ensure(can_restrict_case(actor, case), _("Only the case's supervisor or site manager can restrict it."))
    reason = reason.strip()
    before = {"is_restricted": case.is_restricted, "restricted_reason": case.restricted_reason}
    before_named = _named_user_ids(case)
    if not restricted:
        case.is_restricted, case.restricted_reason = False, ""
        case.named_users.all().delete()
    else:
        if not reason:
            raise ValidationError({"restricted_reason": _("Say why this case is restricted.")})
        named = {user.pk: user for user in named_users} | {actor.pk: actor}
        if case.worker_id:
            named[case.worker_id] = case.worker
        for user in named.values():
            if not cases_in_role_scope(user).filter(pk=case.pk).exists():
                raise ValidationError(
                    {
                        "named_users": _("%(user)s cannot see this case in their role, so they cannot be named on it.")
                        % {"user": user}
                    }
                )
        case.is_restricted, case.restricted_reason = True, reason
        case.named_users.exclude(user_id__in=named).delete()
        known = set(case.named_users.values_list("user_id", flat=True))
        RestrictedCaseMember.objects.bulk_create(
            RestrictedCaseMember(case=case, user_id=user_id, added_by=actor)
            for user_id in named
            if user_id not in known
        )
    case.save(update_fields=["is_restricted", "restricted_reason", "updated_at"])
    after = {"is_restricted": case.is_restricted, "restricted_reason": case.restricted_reason}
    changes = diff(before, after)
    after_named = _named_user_ids(case)
    if after_named != before_named:
        changes["named_users"] = [_user_names(before_named), _user_names(after_named)]
    if changes:
        event = {(False, True): "case.restricted", (True, False): "case.unrestricted"}.get(
            (before["is_restricted"], case.is_restricted), "case.restriction_changed"
        )
        audit_record(actor=actor, event=event, target=case, case=case, changes=changes)
    return case


def _user_names(user_ids: list[int]) -> list[str]:
    return sorted(str(user) for user in User.objects.filter(pk__in=user_ids))


@transaction.atomic
def case_break_glass(*, actor: User, case: Case, reason: str) -> GlassBreak:
    """Open a restricted case one is not named on, for KINPLAN_BREAK_GLASS_HOURS, giving the reason. The access
    is logged in history, and the case's site managers are told (see the notifications app)."""
    reason = reason.strip()
    ensure(
        restricted_cases_hidden_from(actor).filter(pk=case.pk).exists(),
        _("You can open this case already, or your role does not reach it."),
    )
    if len(reason) < GLASS_BREAK_REASON_MIN:
        raise ValidationError(
            {
                "reason": _("Say why you need to open this case, in a sentence (at least %(count)d characters).")
                % {"count": GLASS_BREAK_REASON_MIN}
            }
        )
    expires_at = timezone.now() + datetime.timedelta(hours=settings.KINPLAN_BREAK_GLASS_HOURS)
    glass_break = GlassBreak(case=case, user=actor, reason=reason, expires_at=expires_at)
    glass_break.full_clean()
    glass_break.save()
    audit_record(
        actor=actor,
        event="case.glass_broken",
        target=case,
        case=case,
        changes={"reason": [None, reason], "until": [None, expires_at.isoformat(timespec="minutes")]},
    )
    return glass_break

"""Starting the process: the referral to the support service, allocation of a caseworker, their discussion with
the social worker (seed 003: referring, and engagement with the caseworker); and withdrawing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinplan.accounts.models import Organisation, User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Case, Participant
from kinplan.core.errors import ensure
from kinplan.permanent_care import permissions as can
from kinplan.permanent_care.models import Discussion, SupportArrangement
from kinplan.permanent_care.selectors import referral_gaps, referral_pack
from kinplan.permanent_care.services._common import S, ensure_status, locked, move

REFERRAL_FIELDS = ("child", "caregiver", "support_service", "intention_noted_on", "referral_notes")


def _check_referral(arrangement: SupportArrangement) -> None:
    errors: dict[str, str] = {}
    roles = dict(
        Participant.objects.filter(case=arrangement.case, archived_at__isnull=True).values_list("person_id", "role")
    )
    if roles.get(arrangement.child_id) != Participant.Role.CHILD:
        errors["child"] = _("Choose a child in this case.")
    if arrangement.caregiver_id and roles.get(arrangement.caregiver_id) != Participant.Role.CAREGIVER:
        errors["caregiver"] = _("Choose a caregiver in this case (add them to the case as a caregiver first).")
    if arrangement.support_service_id and arrangement.support_service.kind != Organisation.Kind.SUPPORT_SERVICE:
        errors["support_service"] = _("Choose a Permanent Caregiver Support Service.")
    noted = arrangement.intention_noted_on
    if noted and noted > timezone.localdate():
        errors["intention_noted_on"] = _("This date cannot be in the future.")
    elif noted and noted < arrangement.case.opened_on:
        errors["intention_noted_on"] = _("This date cannot be before the case opened.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def arrangement_start(*, actor: User, case: Case, data: Mapping[str, Any]) -> SupportArrangement:
    """Begin a permanent care support plan for a child whose caregiver intends a permanent living arrangement:
    the referral is drafted from the case. One plan under way per child."""
    arrangement = SupportArrangement(case=case, created_by=actor)
    ensure(
        can.can_lead(actor, arrangement), _("Only the case's social worker, supervisor or site manager can do this.")
    )
    Case.objects.select_for_update().filter(pk=case.pk).first()  # serialise starts per case
    child = data.get("child")
    if (
        child is not None
        and SupportArrangement.objects.filter(case=case, child=child)
        .exclude(status__in=[S.CLOSED, S.WITHDRAWN])
        .exists()
    ):
        raise ValidationError({"child": _("This child already has a permanent care support plan under way.")})
    apply_changes(arrangement, data, REFERRAL_FIELDS, check=_check_referral)
    audit_record(
        actor=actor,
        event="permanent_care.started",
        target=arrangement,
        case=case,
        changes=created_changes(arrangement, ("status", *REFERRAL_FIELDS)),
    )
    return arrangement


@transaction.atomic
def referral_update(*, actor: User, arrangement: SupportArrangement, data: Mapping[str, Any]) -> SupportArrangement:
    """Change who the referral is about, the service it goes to, or its notes, before it is sent."""
    ensure(can.can_lead(actor, arrangement), _("Only the case's social worker can change the referral."))
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.REFERRAL_DRAFT,
        refusal=_("The plan is %(status)s: it cannot have its referral changed (it has been sent) now."),
    )
    changes = apply_changes(arrangement, data, REFERRAL_FIELDS, check=_check_referral)
    if changes:
        audit_record(
            actor=actor,
            event="permanent_care.referral.updated",
            target=arrangement,
            case=arrangement.case,
            changes=changes,
        )
    return arrangement


@transaction.atomic
def referral_send(*, actor: User, arrangement: SupportArrangement) -> SupportArrangement:
    """Send the referral pack, assembled from the case, to the support service. Refused while any required
    detail is missing (each one listed). The case now shows to the service's manager."""
    ensure(can.can_lead(actor, arrangement), _("Only the case's social worker can send the referral."))
    arrangement = locked(arrangement)
    ensure_status(arrangement, S.REFERRAL_DRAFT, refusal=_("The plan is %(status)s: it cannot be referred again now."))
    pack = referral_pack(arrangement)
    gaps = referral_gaps(pack)
    if gaps:
        raise ValidationError([_("Record these details in the case before sending the referral:"), *gaps])
    arrangement.referral_pack, arrangement.referred_at = pack, timezone.now()
    move(
        actor=actor,
        arrangement=arrangement,
        to=S.REFERRED,
        note=_("Referred to %(service)s") % {"service": arrangement.support_service},
    )
    arrangement.save()
    case = Case.objects.select_for_update().get(pk=arrangement.case_id)
    if case.support_service_id != arrangement.support_service_id:
        before = str(case.support_service) if case.support_service_id else None
        case.support_service = arrangement.support_service
        case.save(update_fields=["support_service", "updated_at"])
        audit_record(
            actor=actor,
            event="case.updated",
            target=case,
            case=case,
            changes={"support_service": [before, str(arrangement.support_service)]},
        )
    return arrangement


def _check_caseworker(arrangement: SupportArrangement, caseworker: User | None) -> None:
    if (
        caseworker is None
        or not caseworker.is_active
        or caseworker.role != User.Role.SUPPORT_CASEWORKER
        or caseworker.organisation_id != arrangement.support_service_id
    ):
        raise ValidationError(
            {"caseworker": _("Choose an active caseworker of %(service)s.") % {"service": arrangement.support_service}}
        )


@transaction.atomic
def caseworker_allocate(*, actor: User, arrangement: SupportArrangement, caseworker: User | None) -> SupportArrangement:
    """The support service allocates a caseworker; the plan's review is assigned to them. The manager may
    re-allocate later; a caseworker may take an unallocated referral."""
    ensure(can.can_allocate(actor, arrangement), _("Only the support service's manager or caseworkers allocate."))
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.REFERRED,
        S.ALLOCATED,
        S.PLANNING,
        S.READY_FOR_COURT,
        S.AWAITING_APPROVAL,
        S.NOT_APPROVED,
        S.APPROVED,
        S.SENT,
        S.IN_PLACE,
        refusal=_("The plan is %(status)s: it cannot have a caseworker allocated now."),
    )
    _check_caseworker(arrangement, caseworker)
    if actor.role == User.Role.SUPPORT_CASEWORKER and caseworker != actor:
        raise ValidationError(
            {"caseworker": _("A caseworker can take a referral themselves; the manager allocates others.")}
        )
    before = str(arrangement.caseworker) if arrangement.caseworker_id else None
    arrangement.caseworker, arrangement.reviewer, arrangement.allocated_at = caseworker, caseworker, timezone.now()
    if arrangement.status == S.REFERRED:
        move(
            actor=actor,
            arrangement=arrangement,
            to=S.ALLOCATED,
            note=_("Allocated to %(caseworker)s") % {"caseworker": caseworker},
        )
    arrangement.save()
    audit_record(
        actor=actor,
        event="permanent_care.caseworker.assigned",
        target=arrangement,
        case=arrangement.case,
        changes={"caseworker": [before, str(caseworker)], "reviewer": [before, str(caseworker)]},
    )
    case = Case.objects.select_for_update().get(pk=arrangement.case_id)
    if case.support_worker_id != caseworker.pk:  # type: ignore[union-attr]
        old = str(case.support_worker) if case.support_worker_id else None
        case.support_worker = caseworker
        case.save(update_fields=["support_worker", "updated_at"])
        audit_record(
            actor=actor,
            event="case.updated",
            target=case,
            case=case,
            changes={"support_worker": [old, str(caseworker)]},
        )
    return arrangement


DISCUSSION_FIELDS = ("held_on", "method", "supports_discussed", "resources_and_costs", "participation_level")


def _check_discussion(discussion: Discussion) -> None:
    arrangement = discussion.arrangement
    if discussion.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("This date cannot be in the future.")})
    referred = timezone.localdate(arrangement.referred_at) if arrangement.referred_at else None
    if referred and discussion.held_on < referred:
        raise ValidationError(
            {"held_on": _("The discussion follows the referral (%(date)s).") % {"date": date_format(referred)}}
        )


@transaction.atomic
def discussion_record(*, actor: User, arrangement: SupportArrangement, data: Mapping[str, Any]) -> Discussion:
    """Record the caseworker and social worker's discussion of the case and possible supports, and the
    caseworker's agreed level of participation in planning. The first one opens planning."""
    ensure(can.can_record_discussion(actor, arrangement), _("Only the social worker or the allocated caseworker."))
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.ALLOCATED,
        S.PLANNING,
        refusal=_("The plan is %(status)s: it cannot have a discussion recorded now."),
    )
    discussion = Discussion(arrangement=arrangement, recorded_by=actor)
    apply_changes(discussion, data, DISCUSSION_FIELDS, check=_check_discussion)
    before = arrangement.participation_level
    arrangement.participation_level = discussion.participation_level
    if arrangement.status == S.ALLOCATED:
        move(actor=actor, arrangement=arrangement, to=S.PLANNING, note=_("Discussion with the caseworker recorded"))
    arrangement.save()
    audit_record(
        actor=actor,
        event="permanent_care.discussion.recorded",
        target=discussion,
        case=arrangement.case,
        changes=created_changes(discussion, DISCUSSION_FIELDS)
        | ({"participation_level": [before or None, discussion.participation_level]}),
    )
    return discussion


@transaction.atomic
def arrangement_withdraw(*, actor: User, arrangement: SupportArrangement, reason: str) -> SupportArrangement:
    """Stop the process before hand-over (e.g. the caregiver no longer intends a permanent arrangement)."""
    ensure(can.can_lead(actor, arrangement), _("Only the case's social worker can withdraw the plan."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the plan is withdrawn.")})
    arrangement = locked(arrangement)
    arrangement.closed_reason = reason.strip()
    move(actor=actor, arrangement=arrangement, to=S.WITHDRAWN, note=reason.strip())
    arrangement.save()
    return arrangement

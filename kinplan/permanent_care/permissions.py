"""Who may do what in a permanent care support plan (seed 003). Services refuse with these; templates hide
buttons with them. Seeing an arrangement is seeing its case (`cases.permissions`)."""

from __future__ import annotations

import rules

from kinplan.accounts.models import User
from kinplan.cases.permissions import can_edit_case, can_view_case
from kinplan.permanent_care.models import EscalationStep, SupportArrangement

Role = User.Role
Rung = EscalationStep.Rung
SUPPORT_ROLES = frozenset({Role.SUPPORT_MANAGER, Role.SUPPORT_CASEWORKER})
# Whose move each rung of the escalation ladder is (`can_record_rung` adds which one of them).
RUNG_HELD_BY = {
    Rung.CONSULT_CASEWORKER: Role.SOCIAL_WORKER,
    Rung.RECONVENE_PLANNING: Role.SOCIAL_WORKER,
    Rung.SUPERVISOR_CONSULT: Role.SUPERVISOR,
    Rung.RECONVENE_ON_CONSULT: Role.SOCIAL_WORKER,
    Rung.MANAGERS_DISCUSS: Role.SITE_MANAGER,
    Rung.NATIONAL_DETERMINATION: Role.NATIONAL_MANAGER,
}


@rules.predicate
def can_view_arrangement(user: User, arrangement: SupportArrangement) -> bool:
    return can_view_case(user, arrangement.case)


@rules.predicate
def can_lead(user: User, arrangement: SupportArrangement) -> bool:
    """The site's social worker leads the planning (their supervisor and site manager may act for them)."""
    return can_edit_case(user, arrangement.case)


@rules.predicate
def is_support_staff(user: User, arrangement: SupportArrangement) -> bool:
    """The support service's manager, or its caseworker allocated to this arrangement."""
    if not user.is_authenticated or user.organisation_id != arrangement.support_service_id:
        return False
    return user.role == Role.SUPPORT_MANAGER or (
        user.role == Role.SUPPORT_CASEWORKER and arrangement.caseworker_id == user.pk
    )


@rules.predicate
def can_allocate(user: User, arrangement: SupportArrangement) -> bool:
    """The support service's manager, or one of its caseworkers taking an unallocated referral."""
    if not user.is_authenticated or user.organisation_id != arrangement.support_service_id:
        return False
    if user.role == Role.SUPPORT_MANAGER:
        return True
    return user.role == Role.SUPPORT_CASEWORKER and arrangement.caseworker_id in (None, user.pk)


@rules.predicate
def can_record_discussion(user: User, arrangement: SupportArrangement) -> bool:
    return can_lead(user, arrangement) or (user.is_authenticated and arrangement.caseworker_id == user.pk)


@rules.predicate
def can_sign_off_site(user: User, arrangement: SupportArrangement) -> bool:
    return user.is_authenticated and user.role == Role.SITE_MANAGER and user.site_id == arrangement.case.site_id


@rules.predicate
def can_approve_support(user: User, arrangement: SupportArrangement) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.SUPPORT_MANAGER
        and user.organisation_id == arrangement.support_service_id
    )


def can_record_rung(user: User, arrangement: SupportArrangement, rung: int) -> bool:
    """Each rung of the ladder belongs to one role (RUNG_HELD_BY): the social worker (1, 2, 4), the supervisor (3),
    the site manager (5) and the national manager (6)."""
    if not user.is_authenticated:
        return False
    case = arrangement.case
    if rung == Rung.SUPERVISOR_CONSULT:
        return user.role == Role.SUPERVISOR and case.team_id is not None and user.team_id == case.team_id
    if rung == Rung.MANAGERS_DISCUSS:
        return can_sign_off_site(user, arrangement)
    if rung == Rung.NATIONAL_DETERMINATION:
        return user.role == Role.NATIONAL_MANAGER
    return can_lead(user, arrangement)


@rules.predicate
def can_administer(user: User, arrangement: SupportArrangement) -> bool:
    """After hand-over the support service resources, oversees and reviews the plan."""
    return is_support_staff(user, arrangement)


@rules.predicate
def can_review(user: User, arrangement: SupportArrangement) -> bool:
    return user.is_authenticated and arrangement.reviewer_id == user.pk


rules.add_perm("permanent_care.view_arrangement", can_view_arrangement)
rules.add_perm("permanent_care.lead", can_lead)
rules.add_perm("permanent_care.allocate", can_allocate)
rules.add_perm("permanent_care.discuss", can_record_discussion)
rules.add_perm("permanent_care.sign_off_site", can_sign_off_site)
rules.add_perm("permanent_care.approve", can_approve_support)
rules.add_perm("permanent_care.administer", can_administer)
rules.add_perm("permanent_care.review", can_review)

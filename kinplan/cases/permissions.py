"""Who may see and change which case: the one place these rules live.

Reads of a case someone may not see are 404s (we do not confirm it exists); writes they may
see but not make are 403s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import record_view_log
from kinplan.cases.models import Case, GlassBreak, Participant, Person, RestrictedCaseMember

if TYPE_CHECKING:
    from django.http import HttpRequest

Role = User.Role

# The roles that may change a case they can see, and create one at their site.
CASE_EDITOR_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.SITE_MANAGER})
# The roles that see confidential notes and withheld addresses on the cases they can open.
CONFIDENTIAL_READER_ROLES = CASE_EDITOR_ROLES
# The roles that restrict a case to named users.
RESTRICTING_ROLES = frozenset({Role.SUPERVISOR, Role.SITE_MANAGER})


def _unallocated_referrals(user: User) -> Q:
    """A support caseworker also sees cases referred to their service and waiting for a caseworker (seed 003),
    so one of them can take the referral."""
    if not user.organisation_id:
        return Q(pk__in=[])
    return Q(support_service_id=user.organisation_id, support_worker__isnull=True)


def case_scope(user: User) -> Q | None:
    """The filter over cases that `user`'s role and place allow; None means no case at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    scopes: dict[str, Q | None] = {
        Role.SOCIAL_WORKER: Q(worker_id=user.pk),
        Role.SUPERVISOR: Q(team_id=user.team_id) if user.team_id else None,
        Role.SITE_MANAGER: Q(site_id=user.site_id) if user.site_id else None,
        Role.SUPPORT_CASEWORKER: Q(support_worker_id=user.pk) | _unallocated_referrals(user),
        Role.SUPPORT_MANAGER: Q(support_service_id=user.organisation_id) if user.organisation_id else None,
        Role.NATIONAL_MANAGER: Q(),
        Role.ADMINISTRATOR: None,
    }
    return scopes.get(user.role)


def restriction_allows(user: User) -> Q:
    """A restricted case is open only to the users named on it and to those whose emergency access (breaking
    the glass) has not yet run out; every other case is open to the role's scope as before."""
    named = RestrictedCaseMember.objects.filter(user_id=user.pk).values("case_id")
    broken_glass = GlassBreak.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values("case_id")
    return Q(is_restricted=False) | Q(pk__in=named) | Q(pk__in=broken_glass)


def cases_in_role_scope(user: User) -> QuerySet[Case]:
    """Every case `user`'s role and place reach, restricted ones included: those they may ask to open."""
    scope = case_scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case (archived included) that `user` may open."""
    return cases_in_role_scope(user).filter(restriction_allows(user))


def restricted_cases_hidden_from(user: User) -> QuerySet[Case]:
    """Restricted cases in `user`'s scope that they are not named on: they may break the glass to open one."""
    return cases_in_role_scope(user).filter(is_restricted=True).exclude(restriction_allows(user))


class CaseRestricted(PermissionDenied):
    """The case is restricted and `user` is not named on it: they may open it by giving a reason."""

    def __init__(self, case: Case) -> None:
        super().__init__(
            _(
                "Case %(reference)s is restricted. To open it, give your reason (break the glass); it is logged and "
                "your site manager is told."
            )
            % {"reference": case.reference}
        )
        self.case = case

    @property
    def page(self) -> tuple[str, dict[str, object]]:
        """The page the web shows instead of a bare refusal: the case's reference and the reason form."""
        from kinplan.cases.forms import BreakGlassForm  # the forms import this module

        return "cases/restricted.html", {"case": self.case, "form": BreakGlassForm()}


def people_visible_to(user: User) -> QuerySet[Person]:
    """People who take part in a case `user` may open."""
    return Person.objects.filter(visible_person(user))


def person_ids_visible_to(user: User) -> QuerySet[Participant]:
    """The ids of people_visible_to(user), for `pk__in=` when they are few (a caseload or a team's): no person rows
    read, nothing sorted or made distinct."""
    return Participant.objects.filter(case__in=cases_visible_to(user), archived_at__isnull=True).values("person_id")


def visible_person(user: User) -> Exists:
    """A condition on Person: `user` may see them (they take part in a case `user` may open). As EXISTS it is a
    semi-join, and negated an anti-join, however many people `user` may see (NOT IN over half a million ids is
    neither, and takes minutes on PostgreSQL)."""
    return Exists(
        Participant.objects.filter(person=OuterRef("pk"), archived_at__isnull=True, case__in=cases_visible_to(user))
    )


def person_out_of_reach(user: User) -> Q:
    """A condition on Person: they take part only in cases `user` may not open. For a role that reaches every case
    those are the restricted ones `user` is not named on, few, so the search starts from them."""
    hidden = ~Q(visible_person(user))
    if case_scope(user) == Q():
        in_closed_case = Participant.objects.filter(
            person=OuterRef("pk"), archived_at__isnull=True, case__in=restricted_cases_hidden_from(user)
        )
        return Q(Exists(in_closed_case)) & hidden
    return hidden


def staff_for_case(case: Case) -> QuerySet[User]:
    """Kinplan users who may be named in a case's work (team, plan steps): active staff of the case's site
    and of the support service on the case. Nobody else is offered, so no one's name leaks across sites."""
    place = Q(site_id=case.site_id)
    if case.support_service_id:
        place |= Q(organisation_id=case.support_service_id, site__isnull=True)
    return User.objects.filter(place, is_active=True).exclude(role=Role.ADMINISTRATOR)


@rules.predicate
def can_view_case(user: User, case: Case) -> bool:
    return case is not None and cases_visible_to(user).filter(pk=case.pk).exists()


@rules.predicate
def can_edit_case(user: User, case: Case) -> bool:
    return user.is_authenticated and user.role in CASE_EDITOR_ROLES and can_view_case(user, case)


@rules.predicate
def can_create_case(user: User) -> bool:
    return user.is_authenticated and user.role in CASE_EDITOR_ROLES and user.site_id is not None


@rules.predicate
def can_view_person(user: User, person: Person) -> bool:
    return person is not None and people_visible_to(user).filter(pk=person.pk).exists()


@rules.predicate
def can_edit_person(user: User, person: Person) -> bool:
    """A person may be changed by anyone who may change a case they take part in."""
    if not (user.is_authenticated and user.role in CASE_EDITOR_ROLES):
        return False
    editable_cases = cases_visible_to(user).filter(participants__person=person, participants__archived_at__isnull=True)
    return editable_cases.exists()


@rules.predicate
def can_restrict_case(user: User, case: Case) -> bool:
    """The case's supervisor or site manager decides whether it is restricted and who is named on it."""
    return user.is_authenticated and user.role in RESTRICTING_ROLES and can_view_case(user, case)


@rules.predicate
def can_see_confidential(user: User, case: Case | None = None) -> bool:
    """Confidential notes and withheld addresses are for the statutory staff on the case (its social worker,
    supervisor and site manager); support services, national managers and every document made for a family or
    a provider go without them. `case` None asks of the role alone (the caller already checked the case)."""
    if not (user.is_authenticated and user.role in CONFIDENTIAL_READER_ROLES):
        return False
    return case is None or can_view_case(user, case)


rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.restrict_case", can_restrict_case)
rules.add_perm("cases.view_confidential", can_see_confidential)
rules.add_perm("cases.change_case", can_edit_case)
rules.add_perm("cases.add_case", can_create_case)
rules.add_perm("cases.view_person", can_view_person)
rules.add_perm("cases.change_person", can_edit_person)


def case_get_for_user_or_404(user: User, pk: int, *, request: HttpRequest | None = None, channel: str = "web") -> Case:
    """The case if `user` may see it (and log that they looked), else 404."""
    try:
        case = cases_in_role_scope(user).select_related("site", "team__site", "worker", "support_worker").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such case.")) from None
    if case.is_restricted and not Case.objects.filter(restriction_allows(user), pk=case.pk).exists():
        raise CaseRestricted(case)
    record_view_log(user=user, case=case, channel=channel, path=request.path if request else "")
    return case


def case_for_api(request: HttpRequest, case_id: int) -> Case:
    """`case_get_for_user_or_404` for an API request: the view is logged as read through the API."""
    return case_get_for_user_or_404(request.user, case_id, request=request, channel="api")


def person_get_for_user_or_404(
    user: User, pk: int, *, request: HttpRequest | None = None, channel: str = "web"
) -> Person:
    """The person if `user` may see a case they are in (and log the view), else 404."""
    try:
        person = people_visible_to(user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such person.")) from None
    record_view_log(user=user, person=person, channel=channel, path=request.path if request else "")
    return person

"""Who may export what Kinplan holds about a person, review retention, and ask for and approve erasure.

- Subject access: site managers, for people in a case at their site that they may open, and national managers,
  for people in any case they may open. The export goes to the person (or whoever acts for them), so it is a
  manager's act, not a case worker's; administrators see no case content anywhere in Kinplan and export nothing.
- Retention review: the site manager of the case's site.
- Erasure: requested by the site manager of the site (of the case, or of a case the person takes part in) or by a
  national manager; approved by two different people of those same roles, neither of them the requester. A
  refusal by either approver ends the request. Managers see the requests in their reach, and only the subject's
  reference and dates: restricted cases included, since nothing of their content is shown.

Reads of something the user may not reach are 404s; acts they may see but not do are 403s.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Person
from kinplan.cases.permissions import can_view_person, cases_in_role_scope
from kinplan.privacy.models import ErasureRequest

Role = User.Role

# The roles that export a person's record, ask for erasure and approve it.
PRIVACY_ROLES = frozenset({Role.SITE_MANAGER, Role.NATIONAL_MANAGER})


def _manager(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in PRIVACY_ROLES)


@rules.predicate
def can_export_subject_access(user: User, person: Person) -> bool:
    """A site or national manager who may open a case the person takes part in."""
    return person is not None and _manager(user) and can_view_person(user, person)


@rules.predicate
def can_review_retention(user: User) -> bool:
    return bool(user.is_authenticated and user.role == Role.SITE_MANAGER and user.site_id)


def cases_for_erasure(user: User) -> QuerySet[Case]:
    """The cases whose erasure `user` may ask for and decide on: their role's reach, restricted ones included."""
    if not _manager(user):
        return Case.objects.none()
    return cases_in_role_scope(user)


def people_for_erasure(user: User) -> QuerySet[Person]:
    """The people whose erasure `user` may ask for and decide on: those in a case of `cases_for_erasure`."""
    return Person.objects.filter(participations__case__in=cases_for_erasure(user)).distinct()


@rules.predicate
def can_request_case_erasure(user: User, case: Case) -> bool:
    return case is not None and cases_for_erasure(user).filter(pk=case.pk).exists()


@rules.predicate
def can_request_person_erasure(user: User, person: Person) -> bool:
    return person is not None and people_for_erasure(user).filter(pk=person.pk).exists()


def erasure_requests_visible_to(user: User) -> QuerySet[ErasureRequest]:
    """The requests whose subject is in `user`'s reach."""
    if not _manager(user):
        return ErasureRequest.objects.none()
    if user.role == Role.NATIONAL_MANAGER:
        return ErasureRequest.objects.all()
    reach = Q(case__in=cases_for_erasure(user)) | Q(person__in=people_for_erasure(user))
    return ErasureRequest.objects.filter(reach)


def may_decide_on_visible_request(user: User, request: ErasureRequest) -> bool:
    """Whether `user` (who may see the request) may approve or refuse it: a manager other than the requester who
    has not decided yet, while it waits."""
    if not _manager(user) or request.requested_by_id == user.pk or request.status != ErasureRequest.Status.REQUESTED:
        return False
    return not any(decision.decided_by_id == user.pk for decision in request.decisions.all())  # uses a prefetch


@rules.predicate
def can_decide_erasure(user: User, request: ErasureRequest) -> bool:
    if request is None or not erasure_requests_visible_to(user).filter(pk=request.pk).exists():
        return False
    return may_decide_on_visible_request(user, request)


rules.add_perm("privacy.export_subject_access", can_export_subject_access)
rules.add_perm("privacy.review_retention", can_review_retention)
rules.add_perm("privacy.request_case_erasure", can_request_case_erasure)
rules.add_perm("privacy.request_person_erasure", can_request_person_erasure)
rules.add_perm("privacy.decide_erasure", can_decide_erasure)

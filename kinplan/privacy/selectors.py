"""Reads for privacy: what Kinplan holds about a person (subject access), the closed cases due for a retention
review, and the erasure requests a manager may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Case as Switch
from django.db.models import Exists, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.cases.models import Case, Person
from kinplan.cases.permissions import cases_in_role_scope
from kinplan.privacy.models import OPEN_STATUSES, ErasureRequest, RetentionReview
from kinplan.privacy.permissions import (
    can_review_retention,
    erasure_requests_visible_to,
    may_decide_on_visible_request,
)
from kinplan.privacy.subject_access import subject_access_record  # noqa: F401  (re-exported: the SAR selector)

# --- retention ----------------------------------------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for 29 February in a year that has none)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_cutoff(today: datetime.date) -> datetime.date:
    """Cases closed before this day have been closed longer than KINPLAN_RETENTION_YEARS."""
    return years_before(today, settings.KINPLAN_RETENTION_YEARS)


def _erasure_decided(today: datetime.date) -> Q:
    """Cases with an erasure waiting or done, or kept by a review until after `today`."""
    waiting_or_done = ErasureRequest.objects.filter(
        case=OuterRef("pk"), status__in=[*OPEN_STATUSES, ErasureRequest.Status.CARRIED_OUT]
    )
    kept = RetentionReview.objects.filter(
        case=OuterRef("pk"), outcome=RetentionReview.Outcome.KEEP, keep_until__gt=today
    )
    return Q(Exists(waiting_or_done)) | Q(Exists(kept))


def cases_due_for_retention_review(user: User, today: datetime.date) -> QuerySet[Case]:
    """Closed cases at `user`'s site (site managers only) closed longer than the retention period ago, with no
    erasure waiting or done and no decision to keep them that still runs; longest closed first."""
    if not can_review_retention(user):
        return Case.objects.none()
    return (
        cases_in_role_scope(user)
        .filter(status=Case.Status.CLOSED, closed_on__lt=retention_cutoff(today))
        .exclude(_erasure_decided(today))
        .annotate(last_kept_until=Max("retention_reviews__keep_until"))
        .select_related("site")
        .order_by("closed_on", "pk")
    )


def retention_case_for(user: User, pk: int) -> Case | None:
    """A closed case in `user`'s role reach (for the retention and erasure pages), or None."""
    return cases_in_role_scope(user).filter(pk=pk, status=Case.Status.CLOSED).select_related("site").first()


def retention_reviews_of(case: Case) -> QuerySet[RetentionReview]:
    return case.retention_reviews.select_related("decided_by")


# --- erasure ------------------------------------------------------------------------------------------


def erasure_request_list(user: User) -> QuerySet[ErasureRequest]:
    """The requests `user` may see, those waiting first, newest first."""
    return (
        erasure_requests_visible_to(user)
        .select_related("case__site", "person", "requested_by")
        .prefetch_related("decisions__decided_by")
        .annotate(
            done=Switch(
                When(status=ErasureRequest.Status.REQUESTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("done", "-created_at", "-pk")
    )


def erasure_requests_waiting_for(user: User) -> list[ErasureRequest]:
    """The waiting requests `user` may still approve or refuse."""
    waiting = erasure_request_list(user).filter(status=ErasureRequest.Status.REQUESTED)
    return [request for request in waiting if may_decide_on_visible_request(user, request)]


def erasure_request_for(user: User, pk: int) -> ErasureRequest | None:
    return (
        erasure_requests_visible_to(user)
        .select_related("case__site", "person", "requested_by")
        .prefetch_related("decisions__decided_by", "transitions__actor")
        .filter(pk=pk)
        .first()
    )


def subject_label(request: ErasureRequest) -> str:
    """How the pages name a request's subject: the case's reference, or the person's record number (erased or not,
    a name is not shown: approvers decide on the reference and dates)."""
    if request.case_id:
        return _("Case %(reference)s") % {"reference": request.case.reference or request.case_id}
    return _("Person %(id)s") % {"id": request.person_id}


def person_cases(person: Person) -> QuerySet[Case]:
    """Every case a person takes part in (archived participations included), for the erasure rule."""
    return Case.objects.filter(participants__person=person).distinct().order_by("opened_on", "pk")


def erasure_summary(request: ErasureRequest) -> dict[str, Any]:
    """The facts an approver decides on: the subject's reference, and the dates of the cases concerned."""
    cases = [request.case] if request.case_id else list(person_cases(request.person))
    return {
        "subject": subject_label(request),
        "cases": [
            {"reference": case.reference or case.pk, "opened_on": case.opened_on, "closed_on": case.closed_on}
            for case in cases
        ],
    }

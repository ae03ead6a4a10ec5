"""What the audit screen, its export and its API read: history and access-log entries in the reader's scope.

Administrators see every entry. A site manager sees entries about their site's cases (and the people in them),
and what their site's staff did outside any case; never another site's cases. Entries about a restricted case
of their site that they are not named on are listed with the content hidden (see `hidden_from`).

The entries and the event names are report reads: they go to the read replica when one is configured
(`reports_database`), the scope's subqueries with them in the same query. What decides what the reader may see
(`hidden_from`) and the result of the check the reader has just run (`last_verification`) read the primary.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.audit.models import AppendOnlyModel, AuditEvent, RecordView
from kinplan.cases.models import Case, Participant
from kinplan.cases.permissions import people_visible_to, restricted_cases_hidden_from
from kinplan.core.db import reports_database

Role = User.Role
CHANGES, VIEWS = "changes", "views"
CHANNELS = ("web", "api")
E = TypeVar("E", bound=AppendOnlyModel)


@dataclass(frozen=True)
class AuditFilters:
    """The audit screen's filters; empty means no filter."""

    who: int | None = None  # the actor (changes) or the reader (views)
    case: str = ""  # a case reference
    event: str = ""  # a dotted event name (changes)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # inclusive
    channel: str = ""  # web or api (views)


def _site_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(site_id=user.site_id).values("pk")


def _site_staff(user: User) -> QuerySet[User]:
    return User.objects.filter(site_id=user.site_id).values("pk")


def events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """History entries `user` may audit."""
    events = AuditEvent.objects.all()
    if user.role == Role.ADMINISTRATOR:
        return events
    if user.role != Role.SITE_MANAGER or not user.site_id:
        return events.none()
    return events.filter(
        Q(case_id__in=_site_cases(user)) | Q(case__isnull=True, actor_id__in=_site_staff(user)),
    )


def views_visible_to(user: User) -> QuerySet[RecordView]:
    """Access-log entries `user` may audit."""
    views = RecordView.objects.all()
    if user.role == Role.ADMINISTRATOR:
        return views
    if user.role != Role.SITE_MANAGER or not user.site_id:
        return views.none()
    site_people = Participant.objects.filter(case__site_id=user.site_id).values("person_id")
    return views.filter(Q(case_id__in=_site_cases(user)) | Q(case__isnull=True, person_id__in=site_people))


def _dated(entries: QuerySet[E], filters: AuditFilters) -> QuerySet[E]:
    zone = timezone.get_current_timezone()
    if filters.date_from:
        entries = entries.filter(at__gte=datetime.datetime.combine(filters.date_from, datetime.time(), zone))
    if filters.date_to:
        day_after = filters.date_to + datetime.timedelta(days=1)
        entries = entries.filter(at__lt=datetime.datetime.combine(day_after, datetime.time(), zone))
    if filters.case:
        entries = entries.filter(case__reference__iexact=filters.case)
    return entries


def filtered_events(*, user: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """History entries in scope that match `filters`, newest first, with who and which case."""
    events = _dated(events_visible_to(user), filters)
    if filters.who:
        events = events.filter(actor_id=filters.who)
    if filters.event:
        events = events.filter(event=filters.event)
    return events.select_related("actor", "case").order_by("-seq").using(reports_database())


def filtered_views(*, user: User, filters: AuditFilters) -> QuerySet[RecordView]:
    """Access-log entries in scope that match `filters`, newest first, with who, which case and which person."""
    views = _dated(views_visible_to(user), filters)
    if filters.who:
        views = views.filter(user_id=filters.who)
    if filters.channel:
        views = views.filter(channel=filters.channel)
    return views.select_related("user", "case", "person").order_by("-seq").using(reports_database())


def page_of(entries: QuerySet[E], *, before: int | None, size: int) -> tuple[list[E], int | None]:
    """One page of `entries` (newest first) older than seq `before`, and the cursor of the next page (or None)."""
    if before:
        entries = entries.filter(seq__lt=before)
    items = list(entries[: size + 1])
    more = len(items) > size
    items = items[:size]
    return items, (items[-1].seq if more and items else None)


def event_names(*, user: User) -> list[str]:
    """The dotted event names present in `user`'s scope, for the filter."""
    names = events_visible_to(user).using(reports_database()).order_by().values_list("event", flat=True)
    return sorted(names.distinct())


def users_in_scope(*, user: User) -> QuerySet[User]:
    """The people whose acts `user` may filter by: everyone for administrators, the site's staff for managers."""
    users = User.objects.order_by("first_name", "last_name", "username")
    return users if user.role == Role.ADMINISTRATOR else users.filter(site_id=user.site_id or 0)


@dataclass(frozen=True)
class Hidden:
    """Cases and people whose entries a site manager sees only by reference: restricted, not named on them."""

    case_ids: frozenset[int] = frozenset()
    person_ids: frozenset[int] = frozenset()


def hidden_from(*, user: User) -> Hidden:
    """Administrators see every entry as stored; a site manager not named on a restricted case of their site sees
    that entries about it exist (and who made them) but not what they say."""
    if user.role != Role.SITE_MANAGER:
        return Hidden()
    case_ids = frozenset(restricted_cases_hidden_from(user).values_list("pk", flat=True))
    if not case_ids:
        return Hidden()
    visible = people_visible_to(user).values("pk")
    people = Participant.objects.filter(case_id__in=case_ids).exclude(person_id__in=visible)
    return Hidden(case_ids, frozenset(people.values_list("person_id", flat=True)))


def last_verification() -> AuditEvent | None:
    """The latest check of the chains from the audit screen."""
    return AuditEvent.objects.filter(event="audit.verified").select_related("actor").order_by("-seq").first()

"""Reads over cases and people, each starting from what the user may see."""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinplan.accounts.models import User
from kinplan.audit.models import AuditEvent
from kinplan.cases.due_dates import due_date_annotations
from kinplan.cases.models import Case, GlassBreak, Participant, Person
from kinplan.cases.permissions import (
    cases_visible_to,
    person_ids_visible_to,
    person_out_of_reach,
    restricted_cases_hidden_from,
    visible_person,
)
from kinplan.core.text import normalise_name
from kinplan.planning.models import Plan

Role = User.Role


class Scope:
    MINE = "mine"
    TEAM = "team"
    SITE = "site"
    ALL = "all"


SCOPE_LABELS = {
    Scope.MINE: _("My caseload"),
    Scope.TEAM: _("My team"),
    Scope.SITE: _("My site"),
    Scope.ALL: _("All I can see"),
}


def scopes_for(user: User) -> list[str]:
    """The caseload tabs that make sense for `user`'s role."""
    by_role = {
        Role.SOCIAL_WORKER: [Scope.MINE],
        Role.SUPERVISOR: [Scope.TEAM, Scope.MINE],
        Role.SITE_MANAGER: [Scope.SITE, Scope.TEAM],
        Role.SUPPORT_CASEWORKER: [Scope.MINE],
        Role.SUPPORT_MANAGER: [Scope.ALL],
        Role.NATIONAL_MANAGER: [Scope.ALL],
    }
    scopes = by_role.get(user.role, [])
    # A "My team" tab for someone with no team would list every case with no team instead.
    return scopes if user.team_id else [s for s in scopes if s != Scope.TEAM]


def children_prefetch() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=Participant.objects.filter(role=Participant.Role.CHILD, archived_at__isnull=True)
        .select_related("person")
        .order_by("person__date_of_birth", "person__given_name"),
        to_attr="child_participants",
    )


def caseload_cases(*, user: User, scope: str, status: str = Case.Status.OPEN, search: str = "") -> QuerySet[Case]:
    """The visible, unarchived cases in `scope` (and `status`, matching `search`): the caseload's rows, unordered and
    with nothing computed, for counting and for the API's list."""
    cases = cases_visible_to(user).filter(archived_at__isnull=True)
    if scope == Scope.MINE:
        cases = cases.filter(Q(worker=user) | Q(support_worker=user))
    elif scope == Scope.TEAM:
        cases = cases.filter(team_id=user.team_id) if user.team_id else cases.none()
    elif scope == Scope.SITE:
        cases = cases.filter(site_id=user.site_id)
    if status:
        cases = cases.filter(status=status)
    if search:
        cases = cases.filter(_case_search_filter(search))
    return cases


def caseload(
    *, user: User, scope: str, status: str = Case.Status.OPEN, search: str = "", today: datetime.date | None = None
) -> QuerySet[Case]:
    """The caseload list: caseload_cases soonest due first, each with its next due date, children loaded in one
    query. The plan progress of the cases shown is added by `with_plan_progress`, once a page is chosen: counted
    here, it would aggregate the steps of every case in the list to show fifty."""
    today = today or timezone.localdate()
    return (
        caseload_cases(user=user, scope=scope, status=status, search=search)
        .annotate(**due_date_annotations(today))
        .select_related("worker", "team", "site")
        .prefetch_related(children_prefetch())
        .order_by(F("next_due").asc(nulls_last=True), "name", "id")
    )


OPEN_STEP_STATUSES = ("planned", "in_progress")


def with_plan_progress(cases: Iterable[Case], today: datetime.date | None = None) -> list[Case]:
    """`cases`, each with its current plan's status (`plan_status`, None without a plan) and its steps: counted
    (cancelled ones aside) `plan_steps`, `plan_steps_done` and `plan_steps_overdue`; in one query."""
    today = today or timezone.localdate()
    cases = list(cases)
    steps = "goals__steps__status"
    progress = {
        plan["case_id"]: plan
        for plan in Plan.objects.filter(case__in=[case.pk for case in cases], is_current=True)
        .values("case_id", "status")
        .annotate(
            counted=Count("goals__steps", filter=~Q(**{steps: "cancelled"})),
            done=Count("goals__steps", filter=Q(**{steps: "done"})),
            overdue=Count(
                "goals__steps",
                filter=Q(**{f"{steps}__in": OPEN_STEP_STATUSES, "goals__steps__due_on__lt": today}),
            ),
        )
    }
    for case in cases:
        plan = progress.get(case.pk, {})
        case.plan_status = plan.get("status")
        case.plan_steps = plan.get("counted", 0)
        case.plan_steps_done = plan.get("done", 0)
        case.plan_steps_overdue = plan.get("overdue", 0)
    return cases


# A word this long may also match a name it nearly spells (PostgreSQL; shorter words must appear as typed).
NEAR_MISS_MIN_LENGTH = 4
# Roles that see a caseload or a team's: their search starts from the few people they may see and checks each one's
# name, rather than reading every match in the country through the index and throwing most away.
NARROW_REACH_ROLES = frozenset(
    {User.Role.SOCIAL_WORKER, User.Role.SUPERVISOR, User.Role.SUPPORT_CASEWORKER, User.Role.SUPPORT_MANAGER}
)
# Matches in records the user may not open are counted up to this many ("more than 100" is all anyone needs).
HIDDEN_MATCHES_COUNTED_TO = 100


def name_matches(words: list[str], field: str = "search_name", *, by_index: bool = True, near: bool = True) -> Q:
    """Every word (folded: see normalise_name) appears in the folded name in `field`; on PostgreSQL a longer word
    may instead nearly match one of the name's words (trigram word-similarity at least
    settings.KINPLAN_NAME_SIMILARITY: "tamiti" finds "Tāmati"). `by_index` reads the trigram index (cases
    migration 0007), for searching many people; otherwise each name is compared, for a few. SQLite keeps the
    plain, exact path, as does `near=False`."""
    query = Q()
    for word in words:
        found = Q(**{f"{field}__contains": word})
        if near and connection.vendor == "postgresql" and len(word) >= NEAR_MISS_MIN_LENGTH:
            if by_index:  # the operator %> reads the index, with the same threshold (set on the connection)
                found |= Q(**{f"{field}__trigram_word_similar": word})
            else:
                found |= Q(GreaterThanOrEqual(TrigramWordSimilarity(word, field), settings.KINPLAN_NAME_SIMILARITY))
        query &= found
    return query


def name_rank(words: list[str], field: str = "search_name") -> Any | None:
    """How well the name matches (PostgreSQL): the sum of each word's similarity, best first; None on SQLite."""
    if connection.vendor != "postgresql" or not words:
        return None
    return reduce(operator.add, (TrigramWordSimilarity(word, field) for word in words))


def _case_search_filter(search: str) -> Q:
    folded = normalise_name(search)
    query = Q(reference__iexact=search.strip()) | Q(name__icontains=search.strip())
    if folded:
        matching_people = Participant.objects.filter(archived_at__isnull=True).filter(
            name_matches(folded.split(), "person__search_name")
        )
        query |= Q(pk__in=matching_people.values("case_id"))
    return query


def case_detail(*, case: Case) -> dict[str, object]:
    """Everything the case page shows, in a fixed number of queries."""
    participants = list(
        case.participants.filter(archived_at__isnull=True)
        .select_related("person", "household")
        .prefetch_related("person__iwi")
    )
    return {
        "children": [p for p in participants if p.role == Participant.Role.CHILD],
        "participants": participants,
        "households": list(case.households.filter(archived_at__isnull=True)),
        "relationships": list(case.relationships.filter(archived_at__isnull=True).select_related("person", "child")),
        "team_members": list(case.team_members.filter(archived_at__isnull=True).select_related("person", "user")),
        "history": list(case_history(case=case)[:50]),
    }


def case_history(*, case: Case) -> QuerySet[AuditEvent]:
    """The case's history, newest first, with who did each thing."""
    return AuditEvent.objects.filter(case=case).select_related("actor")


@dataclass(frozen=True)
class PersonSearchResult:
    people: list[Person]
    hidden_matches: int  # matches in records the user may not open: counted (to HIDDEN_MATCHES_COUNTED_TO), never shown
    more_hidden_matches: bool = False  # and there are more than that


def person_search(
    *, user: User, query: str, date_of_birth: datetime.date | None = None, limit: int = 20
) -> PersonSearchResult:
    """Search-before-create: people whose name matches every word of `query`, ignoring case and marks (and, on
    PostgreSQL, a small typo), best match first."""
    words = normalise_name(query).split()
    if not words and date_of_birth is None:
        return PersonSearchResult(people=[], hidden_matches=0)
    everyone = Person.objects.filter(archived_at__isnull=True)
    if date_of_birth is not None:
        everyone = everyone.filter(date_of_birth=date_of_birth)
    seen = visible_person(user)
    narrow = user.role in NARROW_REACH_ROLES
    visible = everyone.filter(
        Q(pk__in=person_ids_visible_to(user)) if narrow else seen, name_matches(words, by_index=not narrow)
    )
    rank = name_rank(words)
    order = ("family_name", "given_name", "id")
    if rank is not None:
        visible, order = visible.annotate(rank=rank), ("-rank", *order)
    people = list(visible.prefetch_related("iwi").order_by(*order)[:limit])
    # Out of reach: the names as typed (a near miss there is no reason to call the site manager).
    hidden = everyone.filter(name_matches(words, near=False), person_out_of_reach(user)).order_by()
    counted = hidden[: HIDDEN_MATCHES_COUNTED_TO + 1].count()
    return PersonSearchResult(
        people=people,
        hidden_matches=min(counted, HIDDEN_MATCHES_COUNTED_TO),
        more_hidden_matches=counted > HIDDEN_MATCHES_COUNTED_TO,
    )


def person_cases(*, user: User, person: Person) -> QuerySet[Participant]:
    """The cases `user` may open that `person` takes part in, with their role in each."""
    return Participant.objects.filter(
        person=person, archived_at__isnull=True, case__in=cases_visible_to(user)
    ).select_related("case")


# --- restricted cases -------------------------------------------------------------------------------------

# How far back the glass-break report reaches.
GLASS_BREAK_REPORT_DAYS = 90


def restricted_hidden_count(*, user: User) -> int:
    """How many restricted cases `user`'s role reaches that they are not named on (the caseload says so)."""
    return restricted_cases_hidden_from(user).count()


def restricted_cases_for(*, user: User) -> QuerySet[Case]:
    """Those restricted cases, by reference only: their names and people stay hidden until the glass is broken."""
    return (
        restricted_cases_hidden_from(user)
        .select_related("site", "team")
        .only("pk", "reference", "opened_on", "status", "site__name", "team__name")
        .order_by("reference")
    )


def glass_breaks_reported_to(*, user: User) -> QuerySet[GlassBreak]:
    """Emergency openings of restricted cases at a site manager's site in the last GLASS_BREAK_REPORT_DAYS."""
    if user.role != Role.SITE_MANAGER or not user.site_id:
        return GlassBreak.objects.none()
    since = timezone.now() - datetime.timedelta(days=GLASS_BREAK_REPORT_DAYS)
    return GlassBreak.objects.filter(case__site_id=user.site_id, at__gte=since).select_related("case", "user")

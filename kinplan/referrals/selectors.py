"""Reads over referrals: a case's referrals, the list across a user's cases, who may consent, the draft to send.

Each list owns its select_related / prefetch_related, so a page's query count does not grow with its data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Case, DateField, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kinplan.accounts.models import User
from kinplan.cases.models import Case as KinCase
from kinplan.cases.models import Participant, Person, Relationship
from kinplan.cases.permissions import cases_visible_to
from kinplan.cases.selectors import Scope
from kinplan.planning.models import Step
from kinplan.referrals.models import (
    AWAITING_ANSWER,
    LIVE,
    Consent,
    Referral,
    ReferralTransition,
    answer_days,
    waitlist_days,
)

Status = Referral.Status

# Who may consent for a child, besides the child: a parent, guardian or caregiver in the case.
GUARDIAN_KINDS = (
    Relationship.Kind.MOTHER,
    Relationship.Kind.FATHER,
    Relationship.Kind.PARENT,
    Relationship.Kind.STEP_PARENT,
    Relationship.Kind.WHANGAI,
    Relationship.Kind.CAREGIVER,
)
GUARDIAN_ROLES = (Participant.Role.PARENT, Participant.Role.CAREGIVER)


# --- who can be referred, and who may consent ----------------------------------------------------------


def family_members(*, case: KinCase) -> QuerySet[Person]:
    """The people a case may refer: its current participants other than professionals."""
    return (
        Person.objects.filter(participations__case=case, participations__archived_at__isnull=True)
        .exclude(participations__case=case, participations__role=Participant.Role.PROFESSIONAL)
        .distinct()
    )


def consent_givers(*, case: KinCase, person: Person) -> QuerySet[Person]:
    """Who may consent to `person`'s referral: they themselves and, for a child in the case, a parent, guardian
    or caregiver in the case (by their relationship to the child, or their role in the case)."""
    current = Participant.objects.filter(case=case, archived_at__isnull=True)
    is_child = current.filter(person=person, role=Participant.Role.CHILD).exists()
    allowed = Q(pk=person.pk)
    if is_child:
        guardians = Relationship.objects.filter(
            case=case, child=person, kind__in=GUARDIAN_KINDS, archived_at__isnull=True
        ).values("person_id")
        carers = current.filter(role__in=GUARDIAN_ROLES).values("person_id")
        allowed |= Q(pk__in=guardians) | Q(pk__in=carers)
    in_case = current.values("person_id")
    return Person.objects.filter(allowed, pk__in=in_case).distinct()


def information_draft(*, person: Person, reason: str = "", today: datetime.date | None = None) -> str:
    """A first draft of what to send the provider: who, born when (and age), how to reach them, and why."""
    today = today or timezone.localdate()
    lines = [_("Name: %(name)s") % {"name": person.full_name}]
    if person.date_of_birth:
        age = (
            today.year
            - person.date_of_birth.year
            - ((today.month, today.day) < (person.date_of_birth.month, person.date_of_birth.day))
        )
        # The day of birth in full, as the reader's language writes it (e.g. "3 March 2014").
        born = date_format(person.date_of_birth, pgettext("date format of a date of birth", "j F Y"))
        lines.append(_("Date of birth: %(date)s (age %(age)s)") % {"date": born, "age": age})
    if person.preferred_language:
        lines.append(_("Preferred language: %(language)s") % {"language": person.preferred_language})
    lines.append(_("Contact: %(contact)s") % {"contact": _contact(person)})
    lines.append(_("Reason for referral: %(reason)s") % {"reason": reason.strip() or _("(say why)")})
    return "\n".join(lines)


def _contact(person: Person) -> str:
    """Their contact preference, with the number or address that goes with it."""
    how = person.get_preferred_contact_display() if person.preferred_contact else _("not recorded")
    detail = {
        Person.ContactMethod.PHONE: person.phone,
        Person.ContactMethod.TEXT: person.phone,
        Person.ContactMethod.EMAIL: person.email,
    }.get(person.preferred_contact, "")
    return f"{how}, {detail}" if detail else how


# --- the waiting rule, in the database ------------------------------------------------------------------


def _days_before(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


def waiting_too_long_filter(today: datetime.date) -> Q:
    """Sent or acknowledged with no answer for more than the answer days; waitlisted for more than the
    waitlist days."""
    no_answer = Q(status__in=AWAITING_ANSWER, sent_on__lt=_days_before(today, answer_days()))
    waitlisted = Q(status=Status.WAITLISTED, status_on__lt=_days_before(today, waitlist_days()))
    return no_answer | waitlisted


def with_waiting(referrals: QuerySet[Referral], today: datetime.date) -> QuerySet[Referral]:
    """Annotate `waiting_from` (sent day while awaiting an answer, else the current status's day; never null)
    and `too_long` (the waiting rule), for ordering and keyset paging."""
    return referrals.annotate(
        waiting_from=Case(
            When(status__in=AWAITING_ANSWER, then=F("sent_on")), default=F("status_on"), output_field=DateField()
        ),
        too_long=Case(
            When(waiting_too_long_filter(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


# --- lists -------------------------------------------------------------------------------------------------


def _current_consent() -> Prefetch:
    return Prefetch(
        "consents",
        queryset=Consent.objects.filter(is_current=True).select_related("given_by"),
        to_attr="current_consents",
    )


def _loaded(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related(  # a service with no name of its own is labelled by its type
        "person", "provider", "provider_service__service_type", "service_type", "step", "created_by"
    ).prefetch_related(_current_consent())


def case_referrals(*, case: KinCase) -> QuerySet[Referral]:
    """A case's referrals, newest first, with who, to whom, for what and the current consent (fixed queries)."""
    return _loaded(Referral.objects.filter(case=case)).order_by("-created_at", "-id")


def referrals_for(
    *,
    user: User,
    today: datetime.date,
    scope: str = Scope.ALL,
    show: str = "live",
    status: str = "",
) -> QuerySet[Referral]:
    """Referrals in the unarchived cases `user` may see (those in `scope`): live ones (not yet ended) by
    default, only those waiting too long with show="waiting", or every one with show="all"."""
    cases = cases_visible_to(user).filter(archived_at__isnull=True)
    if scope == Scope.MINE:
        cases = cases.filter(Q(worker=user) | Q(support_worker=user))
    elif scope == Scope.TEAM:
        cases = cases.filter(team_id=user.team_id) if user.team_id else cases.none()
    elif scope == Scope.SITE:
        cases = cases.filter(site_id=user.site_id)
    referrals = Referral.objects.filter(case__in=cases)
    if show == "waiting":
        referrals = referrals.filter(waiting_too_long_filter(today))
    elif show == "live":
        referrals = referrals.filter(status__in=LIVE)
    if status:
        referrals = referrals.filter(status=status)
    return with_waiting(_loaded(referrals).select_related("case__worker"), today)


def referral_list_page(*, user: User, today: datetime.date, scope: str, show: str) -> QuerySet[Referral]:
    """The referrals page: those waiting too long first, then the longest waiting (or least recently moved)."""
    referrals = referrals_for(user=user, today=today, scope=scope, show=show)
    return referrals.order_by(F("too_long").desc(), "waiting_from", "id")


def referral_page(*, referral: Referral) -> dict[str, Any]:
    """Everything the referral page shows: the referral, its consents (current first) and its moves."""
    loaded = (
        Referral.objects.select_related(
            "case", "person", "provider", "provider_service__service_type", "service_type", "step__goal", "created_by"
        )
        .prefetch_related(
            Prefetch("consents", queryset=Consent.objects.select_related("given_by", "recorded_by")),
            Prefetch("transitions", queryset=ReferralTransition.objects.select_related("actor")),
        )
        .get(pk=referral.pk)
    )
    consents = list(loaded.consents.all())
    return {
        "referral": loaded,
        "consent": next((c for c in consents if c.is_current), None),
        "earlier_consents": [c for c in consents if not c.is_current],
        "transitions": list(loaded.transitions.all()),
    }


def current_consent(referral: Referral) -> Consent | None:
    """The referral's current consent, from the list prefetch when there is one."""
    prefetched = getattr(referral, "current_consents", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return referral.consents.filter(is_current=True).select_related("given_by").first()


def missing_before_sending(referral: Referral, on: datetime.date) -> list[str]:
    """What must be done before `referral` can be sent on `on`: consent that covers the day, and the
    information to send. Empty when it is ready."""
    missing = []
    consent = current_consent(referral)
    if consent is None:
        missing.append(_("record the consent of the person referred (or of their parent or caregiver)"))
    elif on > consent.expires_on:
        missing.append(
            _("the consent expired on %(date)s: record it again") % {"date": date_format(consent.expires_on)}
        )
    elif on < consent.given_on:
        missing.append(_("the consent was only given on %(date)s") % {"date": date_format(consent.given_on)})
    if not referral.information_sent.strip():
        missing.append(_("fill in the information to send to the provider"))
    return missing


def plan_steps(*, case: KinCase) -> QuerySet[Step]:
    """The steps of the case's current plan that a referral may serve."""
    return (
        Step.objects.filter(goal__plan__case=case, goal__plan__is_current=True)
        .exclude(status=Step.Status.CANCELLED)
        .select_related("goal")
        .order_by("goal__position", "goal_id", "position", "id")
    )


def case_section(*, case: KinCase) -> dict[str, Any]:
    """The case page's Referrals section: every referral, with how many wait too long (one query, plus consents)."""
    today = timezone.localdate()
    referrals = list(case_referrals(case=case))
    waiting = sum(r.is_waiting_too_long(today) for r in referrals)
    return {"referrals": referrals, "referrals_waiting": waiting, "referrals_today": today}

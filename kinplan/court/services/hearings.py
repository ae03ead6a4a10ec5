"""Hearings: scheduling one, changing it while it is scheduled, and recording what happened."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import apply_changes, audit_record, created_changes
from kinplan.cases.models import Case
from kinplan.core.errors import InvalidTransition
from kinplan.court.models import HEARING_TRANSITIONS, Hearing
from kinplan.court.services._common import day, ensure_can_change, with_data

HEARING_FIELDS = ("order", "date", "time", "court", "purpose", "notes")
Status = Hearing.Status
OUTCOME_NEEDED: dict[str, Any] = {
    Status.HELD: gettext_lazy("Record the outcome: what the court decided or directed."),
    Status.ADJOURNED: gettext_lazy("Say why it was adjourned and what happens next."),
    Status.CANCELLED: gettext_lazy("Say why the hearing was cancelled."),
}


def _check_hearing(hearing: Hearing) -> None:
    if hearing.order_id and hearing.order.case_id != hearing.case_id:
        raise ValidationError({"order": _("Choose an order of this case.")})


@transaction.atomic
def hearing_schedule(*, actor: User, case: Case, data: Mapping[str, Any]) -> Hearing:
    """Put a hearing in the case's diary (it shows as a due date until its outcome is recorded)."""
    ensure_can_change(actor, case)
    hearing = Hearing(case=case, created_by=actor)
    _check_hearing(with_data(hearing, data))
    apply_changes(hearing, data, HEARING_FIELDS)
    audit_record(
        actor=actor,
        event="court.hearing.scheduled",
        target=hearing,
        case=case,
        changes=created_changes(hearing, ("status", *HEARING_FIELDS)),
    )
    return hearing


def _ensure_scheduled(hearing: Hearing) -> None:
    if not hearing.is_scheduled:
        raise ValidationError(
            _("This hearing is %(status)s: it is kept as it was. Schedule a new hearing instead.")
            % {"status": hearing.get_status_display().lower()}
        )


@transaction.atomic
def hearing_update(*, actor: User, hearing: Hearing, data: Mapping[str, Any]) -> Hearing:
    """Change a scheduled hearing's date, time, court, purpose or order."""
    ensure_can_change(actor, hearing.case)
    hearing = Hearing.objects.select_for_update(of=("self",)).select_related("case", "order").get(pk=hearing.pk)
    _ensure_scheduled(hearing)
    _check_hearing(with_data(hearing, data))
    changes = apply_changes(hearing, data, HEARING_FIELDS)
    if changes:
        audit_record(actor=actor, event="court.hearing.updated", target=hearing, case=hearing.case, changes=changes)
    return hearing


def _check_outcome(hearing: Hearing, status: str, outcome: str, adjourned_to: datetime.date | None) -> None:
    errors: dict[str, Any] = {}
    if status == Status.HELD and hearing.date > timezone.localdate():
        errors["status"] = _("This hearing is on %(date)s: it cannot be held before then.") % {
            "date": day(hearing.date)
        }
    if status in OUTCOME_NEEDED and not outcome:
        errors["outcome"] = OUTCOME_NEEDED[status]
    if adjourned_to is not None and status != Status.ADJOURNED:
        errors["adjourned_to"] = _("Only an adjourned hearing has a new date.")
    elif adjourned_to is not None and adjourned_to <= hearing.date:
        errors["adjourned_to"] = _("An adjourned hearing resumes after %(date)s.") % {"date": day(hearing.date)}
    if errors:
        raise ValidationError(errors)


def _adjourn_to(actor: User, hearing: Hearing, on: datetime.date) -> Hearing:
    """The hearing it resumes at: same court, purpose and order, on the new date."""
    data = {"order": hearing.order, "date": on, "court": hearing.court, "purpose": hearing.purpose}
    return hearing_schedule(actor=actor, case=hearing.case, data=data)


@transaction.atomic
def hearing_record_outcome(
    *, actor: User, hearing: Hearing, status: str, outcome: str, adjourned_to: datetime.date | None = None
) -> Hearing:
    """Record what happened at a scheduled hearing: held (not before its date), adjourned (to a new date, which is
    scheduled) or cancelled; each needs its outcome or reason."""
    ensure_can_change(actor, hearing.case)
    hearing = Hearing.objects.select_for_update(of=("self",)).select_related("case", "order").get(pk=hearing.pk)
    if status not in HEARING_TRANSITIONS.get(hearing.status, frozenset()):
        raise InvalidTransition(
            _("A hearing that is %(status)s cannot be recorded as %(to)s.")
            % {
                "status": hearing.get_status_display().lower(),
                "to": Status(status).label.lower() if status in Status.values else status,
            }
        )
    outcome = (outcome or "").strip()
    _check_outcome(hearing, status, outcome, adjourned_to)
    next_hearing = _adjourn_to(actor, hearing, adjourned_to) if adjourned_to else None
    changes = apply_changes(
        hearing,
        {"status": status, "outcome": outcome, "adjourned_to": next_hearing},
        ("status", "outcome", "adjourned_to"),
    )
    audit_record(actor=actor, event=f"court.hearing.{status}", target=hearing, case=hearing.case, changes=changes)
    return hearing

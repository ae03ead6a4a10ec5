"""Moving a referral on: drafted → sent → acknowledged → accepted / declined / waitlisted → started → completed,
or withdrawn on the way, as ALLOWED_TRANSITIONS says; each move recorded with who, when and on what day."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record
from kinplan.core.errors import InvalidTransition
from kinplan.referrals.models import ALLOWED_TRANSITIONS, ANSWERS, Referral, ReferralTransition
from kinplan.referrals.selectors import consent_givers, current_consent, missing_before_sending
from kinplan.referrals.services._common import ensure_can_refer

Status = Referral.Status
# The moves that need a reason, and where it is kept.
REASON_NEEDED = {
    Status.DECLINED: ("decline_reason", gettext_lazy("Say why the provider declined.")),
    Status.WITHDRAWN: ("withdrawal_reason", gettext_lazy("Say why the referral is withdrawn.")),
}


def _label(status: str) -> str:
    return Status(status).label.lower() if status in Status.values else status


def _check_move(referral: Referral, to: str) -> None:
    allowed = ALLOWED_TRANSITIONS[referral.status]
    if to in allowed:
        return
    now = _label(referral.status)
    if not allowed:
        raise InvalidTransition({"to": _("A referral that is %(status)s cannot change any more.") % {"status": now}})
    either = pgettext("between the statuses a referral can become", "or")
    offered = f" {either} ".join(sorted(_label(s) for s in allowed))
    raise InvalidTransition(
        {
            "to": _("A referral that is %(status)s cannot become %(to)s; it can become %(allowed)s.")
            % {"status": now, "to": _label(to), "allowed": offered}
        }
    )


def _check_day(referral: Referral, to: str, on: datetime.date) -> None:
    if on > timezone.localdate():
        raise InvalidTransition({"on": _("This day is in the future: record the move once it has happened.")})
    if referral.status != Status.DRAFTED and on < referral.status_on:
        raise InvalidTransition(
            {
                "on": _("The referral became %(status)s on %(date)s: it cannot become %(to)s before that.")
                % {"status": _label(referral.status), "date": date_format(referral.status_on), "to": _label(to)}
            }
        )


def _check_sending(referral: Referral, on: datetime.date) -> None:
    """Sent only with consent that covers the day, from someone who may give it, and the information to send."""
    missing = missing_before_sending(referral, on)
    consent = current_consent(referral)
    givers = consent_givers(case=referral.case, person=referral.person)
    if consent is not None and not missing and not givers.filter(pk=consent.given_by_id).exists():
        missing.append(
            _("%(giver)s cannot consent for %(person)s: record their consent again")
            % {"giver": consent.given_by, "person": referral.person}
        )
    if missing:
        raise InvalidTransition(
            {"to": _("Before the referral can be sent: %(missing)s.") % {"missing": "; ".join(missing)}}
        )


@transaction.atomic
def referral_transition(
    *, actor: User, referral: Referral, to: str, note: str = "", on: datetime.date | None = None
) -> Referral:
    """Move the referral to `to` on day `on` (today by default), as the table allows. Sending needs current
    consent and the information to send; declining and withdrawing need the reason (the note)."""
    ensure_can_refer(actor, referral.case)
    referral = Referral.objects.select_for_update().select_related("case", "person").get(pk=referral.pk)
    note, on = (note or "").strip(), on or timezone.localdate()
    _check_move(referral, to)
    _check_day(referral, to, on)
    if to in REASON_NEEDED and not note:
        raise InvalidTransition({"note": REASON_NEEDED[to][1]})
    if to == Status.SENT:
        _check_sending(referral, on)
    from_status, from_on = referral.status, referral.status_on
    referral.status, referral.status_on, referral.status_changed_at = to, on, timezone.now()
    if to == Status.SENT:
        referral.sent_on = on
    if to in ANSWERS and referral.answered_on is None:
        referral.answered_on = on
    if to in REASON_NEEDED:
        setattr(referral, REASON_NEEDED[to][0], note)
    referral.save()
    ReferralTransition.objects.create(
        referral=referral, from_status=from_status, to_status=to, on=on, actor=actor, note=note
    )
    changes = {"status": [from_status, to], "status_on": [str(from_on), str(on)]} | (
        {"note": [None, note]} if note else {}
    )
    audit_record(actor=actor, event=f"referral.{to}", target=referral, case=referral.case, changes=changes)
    return referral

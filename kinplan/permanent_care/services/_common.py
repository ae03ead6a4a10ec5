"""Helpers shared by the permanent care services: the locked arrangement, its state machine, content rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record
from kinplan.core.errors import InvalidTransition
from kinplan.permanent_care.models import (
    ALLOWED_TRANSITIONS,
    CONTENT_EDITABLE,
    ArrangementTransition,
    SupportAgreement,
    SupportArrangement,
)

S = SupportArrangement.Status


def locked(arrangement: SupportArrangement) -> SupportArrangement:
    """The arrangement re-read under a row lock: two people acting at once get one outcome, not two."""
    return (
        SupportArrangement.objects.select_for_update()
        .select_related("case", "child", "caregiver")
        .get(pk=arrangement.pk)
    )


def label(status: str) -> str:
    """The status as it reads inside a sentence, in the reader's language."""
    return str(S(status).label).lower() if status in S.values else status


def ensure_status(arrangement: SupportArrangement, *allowed: str, refusal: str) -> None:
    """Refuse unless the plan is in one of the `allowed` statuses; `refusal` is the whole sentence, already
    translated, with a %(status)s placeholder for where the plan stands."""
    if arrangement.status not in allowed:
        raise InvalidTransition(refusal % {"status": label(arrangement.status)})


def move(*, actor: User, arrangement: SupportArrangement, to: str, note: str = "") -> None:
    """Move the arrangement to `to` if the table allows it; keep the move in the log and the history.
    The caller has locked the row and checked the move's own conditions; it saves the arrangement."""
    from_status = arrangement.status
    if to not in ALLOWED_TRANSITIONS.get(from_status, frozenset()):
        raise InvalidTransition(
            _("A plan that is %(from)s cannot become %(to)s.") % {"from": label(from_status), "to": label(to)}
        )
    arrangement.status = to
    ArrangementTransition.objects.create(
        arrangement=arrangement, from_status=from_status, to_status=to, actor=actor, note=note
    )
    audit_record(
        actor=actor,
        event=f"permanent_care.{to}",
        target=arrangement,
        case=arrangement.case,
        changes={"status": [from_status, to]} | ({"note": [None, note]} if note else {}),
    )


def ensure_content_editable(arrangement: SupportArrangement) -> None:
    if arrangement.status not in CONTENT_EDITABLE:
        status = label(arrangement.status)
        if arrangement.status in (S.READY_FOR_COURT, S.APPROVED):
            message = _(
                "The plan is %(status)s: its content is fixed. Reopen planning to change it; everyone is then asked "
                "to agree again."
            )
        else:
            message = _("The plan is %(status)s: its content is fixed. It changes only through planning.")
        raise ValidationError(message % {"status": status})


def content_changed(*, actor: User, arrangement: SupportArrangement) -> None:
    """Agreement is to the plan as it stands: once it changes, everyone is asked again (a new round)."""
    if SupportAgreement.objects.filter(arrangement=arrangement, round=arrangement.agreement_round).exists():
        arrangement.agreement_round += 1
        arrangement.save(update_fields=["agreement_round", "updated_at"])
        audit_record(
            actor=actor,
            event="permanent_care.agreement.reopened",
            target=arrangement,
            case=arrangement.case,
            changes={"agreement_round": [arrangement.agreement_round - 1, arrangement.agreement_round]},
        )

"""Recording each Child and Family Team member's position on the plan (seed 000: the team owns it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record, diff, snapshot
from kinplan.cases.models import TeamMember
from kinplan.planning.models import Agreement, Plan
from kinplan.planning.services._common import ensure_can_plan

AGREEMENT_FIELDS = ("position", "method", "reason")


def _check_position(agreement: Agreement) -> None:
    """The database's rules on a position, checked first so each message shows beside its field."""
    errors: dict[str, str] = {}
    if agreement.position != Agreement.Position.NOT_ASKED and not agreement.method:
        errors["method"] = _("Record how they gave their view (in person, phone, video or in writing).")
    if agreement.position == Agreement.Position.DISAGREES and not agreement.reason:
        errors["reason"] = _("Record why they disagree.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_record(
    *, actor: User, plan: Plan, member: TeamMember, position: str, method: str = "", reason: str = ""
) -> Agreement:
    """Record a member's position (agrees / disagrees with reason / not yet asked) and how they gave it."""
    ensure_can_plan(actor, plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT or not plan.is_current:
        raise ValidationError(_("Views are recorded on the current draft; revise the plan to consult the team again."))
    if member.case_id != plan.case_id or member.archived_at is not None:
        raise ValidationError({"member": _("Choose a current member of this case's Child and Family Team.")})
    agreement = Agreement.objects.filter(plan=plan, member=member).first()
    before = snapshot(agreement, AGREEMENT_FIELDS) if agreement else {}
    agreement = agreement or Agreement(plan=plan, member=member)
    agreement.position, agreement.method, agreement.reason = position, method, reason.strip()
    if position == Agreement.Position.NOT_ASKED:
        agreement.method, agreement.reason = "", ""
    agreement.recorded_by = actor
    _check_position(agreement)
    agreement.full_clean()
    agreement.save()
    changes = diff(before, snapshot(agreement, AGREEMENT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            event="plan.agreement.recorded",
            target=agreement,
            case=plan.case,
            changes={"member": [None, member.member_name]} | changes,
        )
    return agreement

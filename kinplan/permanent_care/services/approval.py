"""Approval (seed 003): the site manager signs off what the site resources, the support-service manager
approves content and costs; and when the plan is not approved, the escalation ladder, strictly in order, with
the follow-ups any change brings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record, created_changes
from kinplan.core.errors import InvalidTransition, ensure
from kinplan.permanent_care import permissions as can
from kinplan.permanent_care.models import (
    ApprovalDecision,
    EscalationStep,
    FollowUp,
    SupportAgreement,
    SupportArrangement,
)
from kinplan.permanent_care.selectors import (
    decisions_this_round,
    next_rung,
    open_follow_ups,
    plan_costs,
    readiness_problems,
)
from kinplan.permanent_care.services._common import S, label, locked, move

Kind, Decision = ApprovalDecision.Kind, ApprovalDecision.Decision
Rung, Outcome = EscalationStep.Rung, EscalationStep.Outcome


@transaction.atomic
def submit_for_approval(*, actor: User, arrangement: SupportArrangement) -> SupportArrangement:
    """Send the agreed plan to the site manager and the support-service manager (a new approval round). After
    the national manager's determination with changes, the changed plan is approved: the determination binds."""
    ensure(can.can_lead(actor, arrangement), _("Only the case's social worker can submit the plan for approval."))
    arrangement = locked(arrangement)
    if arrangement.status != S.READY_FOR_COURT:
        raise InvalidTransition(
            _(
                "The plan is %(status)s: it goes for approval once everyone has agreed it and it is marked ready for "
                "court."
            )
            % {"status": label(arrangement.status)}
        )
    waiting = open_follow_ups(arrangement)
    if waiting:
        raise InvalidTransition(
            _("Discuss the changes with everyone first: %(people)s.") % {"people": "; ".join(f.who for f in waiting)}
        )
    problems = readiness_problems(arrangement)
    if problems:
        raise InvalidTransition([_("The plan no longer meets every rule:"), *problems])
    if arrangement.binding_determination_pending:
        arrangement.binding_determination_pending = False
        move(
            actor=actor,
            arrangement=arrangement,
            to=S.APPROVED,
            note=_("Approved under the national manager's binding determination, with the changes made."),
        )
    else:
        arrangement.approval_round += 1
        move(
            actor=actor,
            arrangement=arrangement,
            to=S.AWAITING_APPROVAL,
            note=_("Approval round %(round)s") % {"round": arrangement.approval_round},
        )
    arrangement.save()
    return arrangement


def _decision_kind(actor: User, arrangement: SupportArrangement) -> str:
    if can.can_sign_off_site(actor, arrangement):
        return Kind.SITE_SIGN_OFF
    if can.can_approve_support(actor, arrangement):
        return Kind.SUPPORT_SERVICE
    raise PermissionDenied(
        _("Only this site's manager (sign-off) or the support service's manager (approval) decides on the plan.")
    )


@transaction.atomic
def approval_decide(
    *, actor: User, arrangement: SupportArrangement, decision: str, comment: str = ""
) -> ApprovalDecision:
    """Record the site manager's sign-off or the support-service manager's approval (append-only). Both
    approving approves the plan; the support-service manager not approving opens the escalation ladder; the
    site manager not signing off returns the plan to planning."""
    kind = _decision_kind(actor, arrangement)
    arrangement = locked(arrangement)
    if arrangement.status != S.AWAITING_APPROVAL:
        raise InvalidTransition(
            _(
                "The plan is %(status)s: it can be approved only once everyone has agreed it, it is ready for court "
                "and the social worker has submitted it for approval."
            )
            % {"status": label(arrangement.status)}
        )
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose approved or not approved.")})
    comment = (comment or "").strip()
    if decision == Decision.NOT_APPROVED and not comment:
        raise ValidationError({"comment": _("Say what is not approved and why, so it can be resolved.")})
    if kind in decisions_this_round(arrangement):
        raise InvalidTransition(
            _("The site manager's sign-off has already been recorded for this round.")
            if kind == Kind.SITE_SIGN_OFF
            else _("The support-service manager's approval has already been recorded for this round.")
        )
    costs = plan_costs(arrangement)
    record = ApprovalDecision.objects.create(
        arrangement=arrangement,
        round=arrangement.approval_round,
        kind=kind,
        decision=decision,
        comment=comment,
        decided_by=actor,
        site_items=[f"{i.what} ({i.cost if i.cost is not None else _('no cost')})" for i in costs.site_items]
        if kind == Kind.SITE_SIGN_OFF
        else [],
        costs_approved=costs.total if kind == Kind.SUPPORT_SERVICE else None,
    )
    audit_record(
        actor=actor,
        event=f"permanent_care.decision.{kind}",
        target=record,
        case=arrangement.case,
        changes=created_changes(record, ("round", "kind", "decision", "comment", "costs_approved")),
    )
    _after_decision(actor, arrangement, record)
    return record


def _after_decision(actor: User, arrangement: SupportArrangement, record: ApprovalDecision) -> None:
    decisions = decisions_this_round(arrangement)
    if record.decision == Decision.NOT_APPROVED and record.kind == Kind.SUPPORT_SERVICE:
        move(actor=actor, arrangement=arrangement, to=S.NOT_APPROVED, note=record.comment)
    elif record.decision == Decision.NOT_APPROVED:
        arrangement.agreement_round += 1
        move(
            actor=actor,
            arrangement=arrangement,
            to=S.PLANNING,
            note=_("Site manager did not sign off: %(comment)s") % {"comment": record.comment},
        )
    elif all(kind in decisions and decisions[kind].decision == Decision.APPROVED for kind in Kind.values):
        move(actor=actor, arrangement=arrangement, to=S.APPROVED, note=_("Signed off by the site and approved"))
    else:
        return
    arrangement.save()


# --- the escalation ladder ---------------------------------------------------------------------------------

RUNG_OUTCOMES = {Outcome.RESOLVED_UNCHANGED, Outcome.RESOLVED_WITH_CHANGES, Outcome.UNRESOLVED}
DETERMINATIONS = {Outcome.DETERMINED_APPROVED, Outcome.DETERMINED_WITH_CHANGES, Outcome.DETERMINED_DECLINED}
# Who records each rung, as the refusal says it to anyone else.
_SOCIAL_WORKERS_RUNG = gettext_lazy("Step %(rung)s of the ladder is for the case's social worker.")
RUNG_ROLE = {
    Rung.CONSULT_CASEWORKER: _SOCIAL_WORKERS_RUNG,
    Rung.RECONVENE_PLANNING: _SOCIAL_WORKERS_RUNG,
    Rung.SUPERVISOR_CONSULT: gettext_lazy("Step %(rung)s of the ladder is for the case team's supervisor."),
    Rung.RECONVENE_ON_CONSULT: _SOCIAL_WORKERS_RUNG,
    Rung.MANAGERS_DISCUSS: gettext_lazy("Step %(rung)s of the ladder is for the site manager."),
    Rung.NATIONAL_DETERMINATION: gettext_lazy("Step %(rung)s of the ladder is for the national manager."),
}
STEP_FIELDS = ("held_on", "method", "caseworker_involved", "meeting", "outcome", "summary")


def _check_rung(arrangement: SupportArrangement, rung: int, data: Mapping[str, Any]) -> None:
    expected = next_rung(arrangement)
    if rung != expected:
        if expected is None:
            raise InvalidTransition(_("This dispute's ladder has already ended."))
        raise InvalidTransition(
            _("The escalation ladder is followed in order: the next step is %(rung)s — %(label)s.")
            % {"rung": expected, "label": Rung(expected).label}
        )
    errors: dict[str, str] = {}
    allowed = DETERMINATIONS if rung == Rung.NATIONAL_DETERMINATION else RUNG_OUTCOMES
    if data.get("outcome") not in allowed:
        errors["outcome"] = (
            _("Record the national manager's determination.")
            if rung == Rung.NATIONAL_DETERMINATION
            else _("Record whether this step resolved the dispute, with or without changes, or not.")
        )
    if data.get("method") not in EscalationStep.Method.values:
        errors["method"] = _("Say how it took place (in person, conference call, video, phone or in writing).")
    if rung == Rung.RECONVENE_PLANNING and not data.get("caseworker_involved"):
        errors["caseworker_involved"] = _(
            "Planning is reconvened with the support service's caseworker involved (a conference call will do)."
        )
    held_on = data.get("held_on")
    refused_on = _refused_on(arrangement)
    if held_on is None:
        errors["held_on"] = _("Give the date.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("This date cannot be in the future.")
    elif refused_on and held_on < refused_on:
        errors["held_on"] = _("This step follows the decision not to approve (%(date)s).") % {
            "date": date_format(refused_on)
        }
    if not (data.get("summary") or "").strip():
        errors["summary"] = _("Summarise what was discussed and decided, and any changes.")
    meeting = data.get("meeting")
    if meeting is not None and meeting.case_id != arrangement.case_id:
        errors["meeting"] = _("Choose a meeting of this case.")
    if errors:
        raise ValidationError(errors)


def _refused_on(arrangement: SupportArrangement) -> Any:
    refusal = ApprovalDecision.objects.filter(
        arrangement=arrangement, round=arrangement.approval_round, decision=Decision.NOT_APPROVED
    ).first()
    return timezone.localdate(refusal.decided_at) if refusal else None


@transaction.atomic
def escalation_record(
    *, actor: User, arrangement: SupportArrangement, rung: int, data: Mapping[str, Any]
) -> EscalationStep:
    """Record one rung of the ladder (seed 003), strictly in order, by the role it belongs to. Resolved
    unchanged: the plan goes back for approval. Resolved with changes: back to planning, with follow-ups to
    discuss the changes with the caregivers and participants. The national manager's determination binds."""
    arrangement = locked(arrangement)
    if arrangement.status != S.NOT_APPROVED:
        raise InvalidTransition(
            _(
                "The plan is %(status)s: the escalation ladder is for a plan the support-service manager did not "
                "approve."
            )
            % {"status": label(arrangement.status)}
        )
    if rung not in Rung.values:
        raise ValidationError({"rung": _("Choose a step of the escalation ladder (1 to 6).")})
    ensure(can.can_record_rung(actor, arrangement, rung), RUNG_ROLE[rung] % {"rung": rung})
    _check_rung(arrangement, rung, data)
    step = EscalationStep.objects.create(
        arrangement=arrangement,
        dispute=arrangement.approval_round,
        rung=rung,
        recorded_by=actor,
        held_on=data["held_on"],
        method=data["method"],
        caseworker_involved=bool(data.get("caseworker_involved")),
        meeting=data.get("meeting"),
        outcome=data["outcome"],
        summary=data["summary"].strip(),
    )
    audit_record(
        actor=actor,
        event="permanent_care.escalation.recorded",
        target=step,
        case=arrangement.case,
        changes={"rung": [None, rung]} | created_changes(step, STEP_FIELDS),
    )
    _after_rung(actor, arrangement, step)
    return step


def _after_rung(actor: User, arrangement: SupportArrangement, step: EscalationStep) -> None:
    note = _("Escalation step %(rung)s: %(outcome)s") % {"rung": step.rung, "outcome": step.get_outcome_display()}
    if step.outcome == Outcome.UNRESOLVED:
        return
    if step.outcome == Outcome.RESOLVED_UNCHANGED:
        arrangement.approval_round += 1
        move(actor=actor, arrangement=arrangement, to=S.AWAITING_APPROVAL, note=note)
    elif step.outcome in (Outcome.RESOLVED_WITH_CHANGES, Outcome.DETERMINED_WITH_CHANGES):
        arrangement.agreement_round += 1
        arrangement.binding_determination_pending = step.outcome == Outcome.DETERMINED_WITH_CHANGES
        _create_follow_ups(arrangement, step)
        move(actor=actor, arrangement=arrangement, to=S.PLANNING, note=note)
    elif step.outcome == Outcome.DETERMINED_APPROVED:
        move(actor=actor, arrangement=arrangement, to=S.APPROVED, note=note)
    else:  # DETERMINED_DECLINED
        arrangement.closed_reason = step.summary
        move(actor=actor, arrangement=arrangement, to=S.CLOSED, note=note)
    arrangement.save()


def _create_follow_ups(arrangement: SupportArrangement, step: EscalationStep) -> list[FollowUp]:
    """One follow-up for the caregiver and each planning participant (the required team members)."""
    members = list(
        arrangement.case.team_members.filter(archived_at__isnull=True, is_required=True).select_related(
            "person", "user"
        )
    )
    follow_ups = [
        FollowUp(arrangement=arrangement, escalation_step=step, member=m, person=m.person, who=m.member_name)
        for m in members
    ]
    if not any(m.person_id == arrangement.caregiver_id for m in members):
        follow_ups.append(
            FollowUp(
                arrangement=arrangement,
                escalation_step=step,
                person=arrangement.caregiver,
                who=_("%(name)s (caregiver)") % {"name": arrangement.caregiver},
            )
        )
    return FollowUp.objects.bulk_create(follow_ups)


@transaction.atomic
def follow_up_record(*, actor: User, follow_up: FollowUp, data: Mapping[str, Any]) -> FollowUp:
    """Record that the changes were discussed with this caregiver or participant: when, how, what they said."""
    arrangement = follow_up.arrangement
    ensure(can.can_lead(actor, arrangement), _("Only the case's social worker records these discussions."))
    locked(arrangement)
    follow_up = FollowUp.objects.select_for_update().select_related("escalation_step").get(pk=follow_up.pk)
    if follow_up.is_done:
        raise ValidationError(_("This discussion is already recorded."))
    errors: dict[str, str] = {}
    on, method = data.get("discussed_on"), data.get("method")
    if on is None:
        errors["discussed_on"] = _("Give the date the changes were discussed.")
    elif on > timezone.localdate():
        errors["discussed_on"] = _("This date cannot be in the future.")
    elif on < follow_up.escalation_step.held_on:
        errors["discussed_on"] = _("The discussion follows the change it is about.")
    if method not in SupportAgreement.Method.values:
        errors["method"] = _("Record how (in person, phone, video or in writing).")
    if errors:
        raise ValidationError(errors)
    follow_up.discussed_on, follow_up.method = on, method
    follow_up.note, follow_up.done_by = (data.get("note") or "").strip(), actor
    follow_up.save()
    audit_record(
        actor=actor,
        event="permanent_care.follow_up.recorded",
        target=follow_up,
        case=arrangement.case,
        changes={"who": [None, follow_up.who], "discussed_on": [None, str(on)], "method": [None, method]},
    )
    return follow_up

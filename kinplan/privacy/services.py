"""Privacy writes: recording a subject access export, retention decisions, erasure requests and their decisions.

Each checks the permission, writes in one transaction and records history. An erasure request moves
requested → approved → carried_out, or requested → refused, as ALLOWED_TRANSITIONS says; each move is locked
(select_for_update) and logged (ErasureTransition), so two approvers deciding at once make one outcome.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.audit.services import audit_record, record_view_log
from kinplan.cases.models import Case, Person
from kinplan.core.errors import InvalidTransition, ensure
from kinplan.privacy import erasure
from kinplan.privacy.models import (
    ALLOWED_TRANSITIONS,
    APPROVALS_NEEDED,
    ErasureDecision,
    ErasureRequest,
    ErasureTransition,
    RetentionReview,
)
from kinplan.privacy.permissions import (
    can_decide_erasure,
    can_export_subject_access,
    can_request_case_erasure,
    can_request_person_erasure,
    can_review_retention,
)
from kinplan.privacy.selectors import cases_due_for_retention_review, person_cases, years_after

Status = ErasureRequest.Status
# A case is kept for at most this many more years at one review.
LONGEST_KEEP_YEARS = 25


@transaction.atomic
def subject_access_exported(
    *, actor: User, person: Person, record: dict[str, Any], file_format: str, channel: str = "web", path: str = ""
) -> None:
    """Record that `actor` exported what Kinplan holds about `person`: in history and in the access log."""
    ensure(can_export_subject_access(actor, person), _("You cannot export what Kinplan holds about this person."))
    changes = {
        "format": [None, file_format],
        "sections": [None, [section["key"] for section in record["sections"]]],
        "withheld": [None, record["withheld"]["total"]],
    }
    audit_record(actor=actor, event="privacy.subject_access_exported", target=person, changes=changes)
    record_view_log(user=actor, person=person, channel=channel, path=path)


# --- retention ----------------------------------------------------------------------------------------


def _ensure_reviewable(actor: User, case: Case) -> None:
    ensure(can_review_retention(actor), _("Only a site manager reviews how long closed cases are kept."))
    ensure(case.site_id == actor.site_id, _("Only the site manager of the case's site reviews how long it is kept."))
    if case.status != Case.Status.CLOSED:
        raise ValidationError(_("Only a closed case is reviewed for retention."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    return reason


@transaction.atomic
def retention_keep(
    *, actor: User, case: Case, years: int, reason: str, today: datetime.date | None = None
) -> RetentionReview:
    """Keep a closed case for `years` more years: it is not due for review again until then."""
    _ensure_reviewable(actor, case)
    if not 1 <= years <= LONGEST_KEEP_YEARS:
        raise ValidationError({"years": _("Keep it for 1 to %(most)d years.") % {"most": LONGEST_KEEP_YEARS}})
    today = today or timezone.localdate()
    review = RetentionReview.objects.create(
        case=case,
        decided_by=actor,
        outcome=RetentionReview.Outcome.KEEP,
        keep_until=years_after(today, years),
        reason=_reason(reason),
    )
    changes = {"outcome": [None, review.outcome], "keep_until": [None, str(review.keep_until)], "years": [None, years]}
    audit_record(actor=actor, event="privacy.retention.kept", target=case, case=case, changes=changes)
    return review


# --- erasure requests ---------------------------------------------------------------------------------


def _check_case_subject(actor: User, case: Case) -> None:
    ensure(can_request_case_erasure(actor, case), _("You cannot ask for the erasure of this case."))
    if case.status != Case.Status.CLOSED:
        raise ValidationError(_("Only a closed case can be erased: close it first."))


def _check_person_subject(actor: User, person: Person) -> None:
    ensure(can_request_person_erasure(actor, person), _("You cannot ask for the erasure of this person."))
    open_cases = [case.reference or str(case.pk) for case in person_cases(person) if case.status != Case.Status.CLOSED]
    if open_cases:
        raise ValidationError(
            _("A person can be erased only when every case they take part in is closed; still open: %(cases)s.")
            % {"cases": ", ".join(open_cases)}
        )


def _check_not_erased(case: Case | None, person: Person | None) -> None:
    done = ErasureRequest.objects.filter(status=Status.CARRIED_OUT)
    if (case and done.filter(case=case).exists()) or (person and done.filter(person=person).exists()):
        raise ValidationError(_("This has already been erased."))


@transaction.atomic
def erasure_request_create(
    *, actor: User, reason: str, case: Case | None = None, person: Person | None = None
) -> ErasureRequest:
    """Ask for the erasure of a closed case, or of a person whose cases are all closed; two other managers must
    approve it. A case due for its retention review gets the review recorded too."""
    if (case is None) == (person is None):
        raise ValidationError(_("Choose one case or one person to erase."))
    if case is not None:
        _check_case_subject(actor, case)
    else:
        _check_person_subject(actor, person)  # type: ignore[arg-type]
    _check_not_erased(case, person)
    due = case is not None and cases_due_for_retention_review(actor, timezone.localdate()).filter(pk=case.pk).exists()
    request = ErasureRequest(case=case, person=person, requested_by=actor, reason=(reason or "").strip())
    request.full_clean()
    request.save()
    if due:
        RetentionReview.objects.create(
            case=case, decided_by=actor, outcome=RetentionReview.Outcome.ERASURE_REQUESTED, reason=request.reason
        )
    changes = {
        "subject": [None, "case" if case else "person"],
        "subject_id": [None, (case or person).pk],  # type: ignore[union-attr]
        "status": [None, request.status],
    }
    audit_record(actor=actor, event="privacy.erasure.requested", target=request, case=case, changes=changes)
    return request


def _move(request: ErasureRequest, *, to: str, actor: User, note: str = "") -> None:
    """One step of the state machine, on a row the caller has locked."""
    if to not in ALLOWED_TRANSITIONS[request.status]:
        raise InvalidTransition(
            _("An erasure request that is %(status)s cannot become %(to)s.")
            % {"status": request.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    ErasureTransition.objects.create(request=request, actor=actor, from_status=request.status, to_status=to, note=note)
    before, request.status = request.status, to
    if to == Status.CARRIED_OUT:
        request.carried_out_at = timezone.now()
    request.save(update_fields=["status", "carried_out_at", "updated_at"])
    audit_record(
        actor=actor,
        event=f"privacy.erasure.{to}",
        target=request,
        case=request.case,
        changes={"status": [before, to]},
    )


def _record_decision(request: ErasureRequest, *, actor: User, decision: str, comment: str) -> ErasureDecision:
    made = ErasureDecision(request=request, decided_by=actor, decision=decision, comment=(comment or "").strip())
    made.full_clean()
    made.save()
    audit_record(
        actor=actor,
        event="privacy.erasure.decided",
        target=request,
        case=request.case,
        changes={"decision": [None, decision]},
    )
    return made


@transaction.atomic
def erasure_decide(*, actor: User, request: ErasureRequest, decision: str, comment: str = "") -> ErasureRequest:
    """Approve or refuse an erasure request. A refusal ends it; the second approval (by someone other than the
    requester and the first approver) carries it out in this same transaction."""
    # Only the request's own row is locked (its case and person are nullable: PostgreSQL locks no outer join).
    request = ErasureRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status != Status.REQUESTED:
        raise InvalidTransition(_("This request has already been decided."))
    ensure(can_decide_erasure(actor, request), _("You cannot decide on this erasure request."))
    _record_decision(request, actor=actor, decision=decision, comment=comment)
    if decision == ErasureDecision.Decision.REFUSE:
        _move(request, to=Status.REFUSED, actor=actor)
        return request
    approvals = request.decisions.filter(decision=ErasureDecision.Decision.APPROVE).select_related("decided_by")
    if approvals.count() >= APPROVALS_NEEDED:
        approvers = [approval.decided_by for approval in approvals]
        _move(request, to=Status.APPROVED, actor=actor)
        erasure.carry_out(request, actor=actor, approvers=approvers)
        _move(request, to=Status.CARRIED_OUT, actor=actor)
    return request

"""Every change to an assessment: drafting it, rating risk factors, recording needs, completing it.

A completed assessment is read-only; what has changed since goes in a reassessment, which may start
from the case's latest completed assessment. Every write is checked against the case's permissions
and recorded in the case's history with each field's before and after.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.assessments.models import Assessment, Need, RiskFactor, RiskLevel
from kinplan.audit.services import apply_changes, audit_record, created_changes, diff, snapshot
from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case
from kinplan.core.errors import ensure

M = TypeVar("M", bound=models.Model)

TEXT_FIELDS = ("strengths", "needs_summary", "history", "current_situation", "family_view", "worker_view")
DECISION_FIELDS = ("overall_risk", "risk_reasoning", "safety_decision")
ASSESSMENT_FIELDS = ("assessed_on", *TEXT_FIELDS, *DECISION_FIELDS)
COMPLETION_FIELDS = ("status", "completed_at", "completed_by")
RISK_FACTOR_FIELDS = ("factor", "rating", "evidence")
NEED_FIELDS = ("title", "detail", "needs_concurrent_attention", "risk_factor")


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _ensure_can_edit(actor: User, assessment: Assessment) -> None:
    ensure(can_edit_case(actor, assessment.case), _("You cannot change this case's assessments."))


def _read_only_message(assessment: Assessment) -> str:
    completed = timezone.localtime(assessment.completed_at) if assessment.completed_at else None
    if completed is None:
        return _(
            "This assessment was completed and can no longer be changed. "
            "Start a reassessment to record what has changed."
        )
    return _(
        "This assessment was completed on %(date)s and can no longer be changed. "
        "Start a reassessment to record what has changed."
    ) % {"date": _day(completed.date())}


def _lock_draft(assessment: Assessment) -> Assessment:
    """The assessment, locked for this transaction, if it is still a draft; a completed one is read-only."""
    locked = Assessment.objects.select_for_update(of=("self",)).select_related("case").get(pk=assessment.pk)
    if not locked.is_draft:
        raise ValidationError(_read_only_message(locked))
    return locked


def _check_dates(assessment: Assessment) -> None:
    """An assessment is not dated before the case opened, nor before the assessment it starts from."""
    errors: dict[str, str] = {}
    if assessment.assessed_on < assessment.case.opened_on:
        errors["assessed_on"] = _("An assessment cannot be dated before the case opened (%(date)s).") % {
            "date": _day(assessment.case.opened_on)
        }
    elif assessment.based_on_id and assessment.assessed_on < assessment.based_on.assessed_on:
        errors["assessed_on"] = _("A reassessment cannot be dated before the assessment it starts from (%(date)s).") % {
            "date": _day(assessment.based_on.assessed_on)
        }
    if errors:
        raise ValidationError(errors)


# --- assessments ---------------------------------------------------------------------------------


def _check_start_from(case: Case, start_from: Assessment) -> None:
    latest = case.assessments.filter(status=Assessment.Status.COMPLETED).order_by("-assessed_on", "-id").first()
    if latest is None or latest.pk != start_from.pk:
        raise ValidationError({"start_from": _("A reassessment starts from this case's latest completed assessment.")})


def _copy_findings(source: Assessment, target: Assessment) -> dict[str, list[Any]]:
    """Copy `source`'s risk factors and needs (each need under its copied factor) into `target`."""
    copies: dict[int, RiskFactor] = {}
    for factor in source.risk_factors.all():
        copies[factor.pk] = RiskFactor.objects.create(
            assessment=target, factor=factor.factor, rating=factor.rating, evidence=factor.evidence
        )
    needs = [
        Need.objects.create(
            assessment=target,
            risk_factor=copies.get(need.risk_factor_id) if need.risk_factor_id else None,
            title=need.title,
            detail=need.detail,
            needs_concurrent_attention=need.needs_concurrent_attention,
        )
        for need in source.needs.all()
    ]
    changes: dict[str, list[Any]] = {}
    if copies:
        changes["risk_factors"] = [None, sorted(str(factor) for factor in copies.values())]
    if needs:
        changes["needs"] = [None, sorted(need.title for need in needs)]
    return changes


@transaction.atomic
def assessment_create(
    *, actor: User, case: Case, data: Mapping[str, Any] | None = None, start_from: Assessment | None = None
) -> Assessment:
    """Start a draft assessment of `case`, authored by `actor`; one draft per case at a time.

    A reassessment starts from the case's latest completed assessment: its texts, risk factors and
    needs are copied so the worker begins from what is known. The risk level, reasoning and safety
    decision are not copied: each assessment makes its own.
    """
    ensure(can_edit_case(actor, case), _("You cannot assess this case."))
    Case.objects.select_for_update().filter(pk=case.pk).first()  # two starts at once: one draft, one refusal
    if start_from is not None:
        _check_start_from(case, start_from)
    assessment = Assessment(case=case, author=actor, based_on=start_from)
    if start_from is not None:
        for name in TEXT_FIELDS:
            setattr(assessment, name, getattr(start_from, name))
    apply_changes(assessment, data or {}, ASSESSMENT_FIELDS, check=_check_dates)
    changes = created_changes(assessment, ("assessed_on", "author", "based_on", *TEXT_FIELDS, *DECISION_FIELDS))
    if start_from is not None:
        changes.update(_copy_findings(start_from, assessment))
    audit_record(actor=actor, event="assessment.created", target=assessment, case=case, changes=changes)
    return assessment


@transaction.atomic
def assessment_update(*, actor: User, assessment: Assessment, data: Mapping[str, Any]) -> Assessment:
    """Change a draft assessment's date, texts or risk decision; a completed one is read-only."""
    _ensure_can_edit(actor, assessment)
    assessment = _lock_draft(assessment)
    changes = apply_changes(assessment, data, ASSESSMENT_FIELDS, check=_check_dates)
    if changes:
        audit_record(actor=actor, event="assessment.updated", target=assessment, case=assessment.case, changes=changes)
    return assessment


def assessment_completion_errors(assessment: Assessment) -> dict[str, str]:
    """What must still be recorded before `assessment` can be completed (empty when it is ready)."""
    errors: dict[str, str] = {}
    if not assessment.overall_risk:
        errors["overall_risk"] = _("Choose the overall risk level.")
    if not assessment.safety_decision:
        errors["safety_decision"] = _("Record the safety decision.")
    if not assessment.risk_reasoning.strip():
        if assessment.safety_decision == Assessment.SafetyDecision.UNSAFE:
            errors["risk_reasoning"] = _(
                "An unsafe decision needs its reasoning: "
                "what makes the child unsafe and what protective action follows."
            )
        elif assessment.overall_risk == RiskLevel.CRITICAL:
            errors["risk_reasoning"] = _("A critical risk level needs the reasoning behind it.")
        else:
            errors["risk_reasoning"] = _("Explain the reasoning behind the risk level and the safety decision.")
    if not assessment.risk_factors.exists():
        errors["risk_factors"] = _("Rate at least one risk factor before completing.")
    return errors


@transaction.atomic
def assessment_complete(*, actor: User, assessment: Assessment) -> Assessment:
    """Complete a draft: it needs the overall level, reasoning, safety decision and a rated risk factor.

    From then on it is read-only and dated in the case's risk history.
    """
    _ensure_can_edit(actor, assessment)
    assessment = _lock_draft(assessment)
    if Assessment.Status.COMPLETED not in Assessment.ALLOWED_TRANSITIONS[assessment.status]:
        raise ValidationError(_read_only_message(assessment))
    errors = assessment_completion_errors(assessment)
    if errors:
        raise ValidationError(errors)
    before = snapshot(assessment, COMPLETION_FIELDS)
    assessment.status = Assessment.Status.COMPLETED
    assessment.completed_at, assessment.completed_by = timezone.now(), actor
    assessment.full_clean()
    assessment.save(update_fields=[*COMPLETION_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        event="assessment.completed",
        target=assessment,
        case=assessment.case,
        changes=diff(before, snapshot(assessment, COMPLETION_FIELDS)),
    )
    return assessment


# --- risk factors --------------------------------------------------------------------------------


def _check_risk_factor(factor: RiskFactor) -> None:
    """'Other' says what it is; a high rating says why."""
    if factor.factor == RiskFactor.Factor.OTHER and not factor.evidence:
        raise ValidationError({"evidence": _("Say what the other risk factor is and what it is based on.")})
    if factor.rating == RiskFactor.Rating.HIGH and not factor.evidence:
        raise ValidationError({"evidence": _("A high rating needs the evidence behind it.")})


@transaction.atomic
def risk_factor_set(*, actor: User, assessment: Assessment, factor: str, rating: str, evidence: str = "") -> RiskFactor:
    """Rate a risk factor in a draft assessment, or change its rating and evidence if already rated."""
    _ensure_can_edit(actor, assessment)
    assessment = _lock_draft(assessment)
    existing = assessment.risk_factors.filter(factor=factor).first()
    if existing is not None:
        changes = apply_changes(
            existing, {"rating": rating, "evidence": evidence}, RISK_FACTOR_FIELDS, _check_risk_factor
        )
        if changes:
            audit_record(
                actor=actor,
                event="assessment.risk_factor.updated",
                target=existing,
                case=assessment.case,
                changes=changes,
            )
        return existing
    created = RiskFactor(assessment=assessment)
    apply_changes(
        created, {"factor": factor, "rating": rating, "evidence": evidence}, RISK_FACTOR_FIELDS, _check_risk_factor
    )
    audit_record(
        actor=actor,
        event="assessment.risk_factor.added",
        target=created,
        case=assessment.case,
        changes=created_changes(created, RISK_FACTOR_FIELDS),
    )
    return created


@transaction.atomic
def risk_factor_remove(*, actor: User, risk_factor: RiskFactor) -> Assessment:
    """Take a risk factor out of a draft assessment; needs under it stay, under no factor."""
    _ensure_can_edit(actor, risk_factor.assessment)
    assessment = _lock_draft(risk_factor.assessment)
    for need in risk_factor.needs.all():
        changes = apply_changes(need, {"risk_factor": None}, NEED_FIELDS)
        audit_record(actor=actor, event="assessment.need.updated", target=need, case=assessment.case, changes=changes)
    # A draft's row may go, but its history stays: record what it was before deleting it.
    audit_record(
        actor=actor,
        event="assessment.risk_factor.removed",
        target=risk_factor,
        case=assessment.case,
        changes={name: [value, None] for name, value in snapshot(risk_factor, RISK_FACTOR_FIELDS).items() if value},
    )
    risk_factor.delete()
    return assessment


# --- needs ---------------------------------------------------------------------------------------


def _check_need(need: Need) -> None:
    if need.risk_factor_id and need.risk_factor.assessment_id != need.assessment_id:
        raise ValidationError({"risk_factor": _("Choose a risk factor rated in this assessment.")})


@transaction.atomic
def need_add(*, actor: User, assessment: Assessment, data: Mapping[str, Any]) -> Need:
    """Record a need found in a draft assessment, optionally under one of its risk factors."""
    _ensure_can_edit(actor, assessment)
    assessment = _lock_draft(assessment)
    need = Need(assessment=assessment)
    apply_changes(need, data, NEED_FIELDS, _check_need)
    audit_record(
        actor=actor,
        event="assessment.need.added",
        target=need,
        case=assessment.case,
        changes=created_changes(need, NEED_FIELDS),
    )
    return need


@transaction.atomic
def need_update(*, actor: User, need: Need, data: Mapping[str, Any]) -> Need:
    """Change a need in a draft assessment."""
    _ensure_can_edit(actor, need.assessment)
    assessment = _lock_draft(need.assessment)
    need = assessment.needs.get(pk=need.pk)  # a fresh copy: a refused change leaves the caller's alone
    changes = apply_changes(need, data, NEED_FIELDS, _check_need)
    if changes:
        audit_record(actor=actor, event="assessment.need.updated", target=need, case=assessment.case, changes=changes)
    return need


@transaction.atomic
def need_remove(*, actor: User, need: Need) -> Assessment:
    """Take a need out of a draft assessment (its history stays)."""
    _ensure_can_edit(actor, need.assessment)
    assessment = _lock_draft(need.assessment)
    audit_record(
        actor=actor,
        event="assessment.need.removed",
        target=need,
        case=assessment.case,
        changes={name: [value, None] for name, value in snapshot(need, NEED_FIELDS).items() if value},
    )
    need.delete()
    return assessment

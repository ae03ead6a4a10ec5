"""The plan's content (seed 003): its span and review date, objectives for the child's identified needs, the
supports that pass the good test, the universal services listed; agreement; "ready for court"."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.assessments.models import Assessment, Need
from kinplan.audit.services import apply_changes, audit_record, created_changes, diff, snapshot
from kinplan.cases.models import TeamMember
from kinplan.core.errors import InvalidTransition, ensure
from kinplan.permanent_care import permissions as can
from kinplan.permanent_care.models import (
    Objective,
    SupportAgreement,
    SupportArrangement,
    SupportItem,
    UniversalService,
)
from kinplan.permanent_care.selectors import contingency_message, readiness_problems, span_problems
from kinplan.permanent_care.services._common import (
    S,
    content_changed,
    ensure_content_editable,
    ensure_status,
    locked,
    move,
)
from kinplan.planning.quality import item_issues
from kinplan.planning.services.steps import priced_by_service

LEAD_ONLY = gettext_lazy("Only the case's social worker, supervisor or site manager can change the plan.")


def _editable(actor: User, arrangement: SupportArrangement) -> SupportArrangement:
    ensure(can.can_lead(actor, arrangement), LEAD_ONLY)
    arrangement = locked(arrangement)
    ensure_content_editable(arrangement)
    return arrangement


# --- span and review date -------------------------------------------------------------------------------------

DATE_FIELDS = ("starts_on", "ends_on", "review_on")


@transaction.atomic
def plan_set_dates(*, actor: User, arrangement: SupportArrangement, data: Mapping[str, Any]) -> SupportArrangement:
    """Set when the plan starts (the discharge of the chief executive's orders), ends (at most 12 months
    later) and is reviewed (inside that span)."""
    arrangement = _editable(actor, arrangement)
    candidate = copy.copy(arrangement)
    for name, value in data.items():
        if name in DATE_FIELDS:
            setattr(candidate, name, value)
    # A date not given now is still checked when it is set: moving only the start must not stretch the plan
    # past 12 months or leave the review date outside it. A date still blank is for later.
    problems = {
        k: v
        for k, v in span_problems(candidate).items()
        if k in data or (k in DATE_FIELDS and getattr(candidate, k) is not None)
    }
    if problems:
        raise ValidationError(problems)
    changes = apply_changes(arrangement, data, DATE_FIELDS)
    if changes:
        audit_record(
            actor=actor, event="permanent_care.dates.set", target=arrangement, case=arrangement.case, changes=changes
        )
        content_changed(actor=actor, arrangement=arrangement)
    return arrangement


# --- objectives: one identified need of the child each ----------------------------------------------------

OBJECTIVE_FIELDS = ("need", "title", "description")


def _check_objective(objective: Objective) -> None:
    if not Need.objects.filter(
        pk=objective.need_id,
        assessment__case_id=objective.arrangement.case_id,
        assessment__status=Assessment.Status.COMPLETED,
    ).exists():
        raise ValidationError(
            {
                "need": _(
                    "Choose an identified need of the child from a completed assessment of this case: the plan "
                    "supports identified needs only."
                )
            }
        )


@transaction.atomic
def objective_add(*, actor: User, arrangement: SupportArrangement, data: Mapping[str, Any]) -> Objective:
    """Add an objective: what the support achieves for one identified need of the child."""
    arrangement = _editable(actor, arrangement)
    if data.get("need") is None:
        raise ValidationError({"need": _("Choose the identified need of the child this objective meets.")})
    position = (arrangement.objectives.aggregate(n=Max("position"))["n"] or 0) + 1
    objective = Objective(arrangement=arrangement, position=position)
    apply_changes(objective, data, OBJECTIVE_FIELDS, check=_check_objective)
    audit_record(
        actor=actor,
        event="permanent_care.objective.added",
        target=objective,
        case=arrangement.case,
        changes=created_changes(objective, OBJECTIVE_FIELDS),
    )
    content_changed(actor=actor, arrangement=arrangement)
    return objective


@transaction.atomic
def objective_update(*, actor: User, objective: Objective, data: Mapping[str, Any]) -> Objective:
    arrangement = _editable(actor, objective.arrangement)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if objective.archived_at is not None:
        raise ValidationError(_("This objective was removed from the plan."))
    changes = apply_changes(objective, data, OBJECTIVE_FIELDS, check=_check_objective)
    if changes:
        audit_record(
            actor=actor,
            event="permanent_care.objective.updated",
            target=objective,
            case=arrangement.case,
            changes=changes,
        )
        content_changed(actor=actor, arrangement=arrangement)
    return objective


@transaction.atomic
def objective_remove(*, actor: User, objective: Objective) -> Objective:
    """Take an objective, and its supports, out of the plan (kept in history)."""
    arrangement = _editable(actor, objective.arrangement)
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if objective.archived_at is None:
        now = timezone.now()
        objective.archived_at = now
        objective.save(update_fields=["archived_at", "updated_at"])
        objective.items.filter(archived_at__isnull=True).update(archived_at=now)
        audit_record(
            actor=actor,
            event="permanent_care.objective.removed",
            target=objective,
            case=arrangement.case,
            changes={"archived_at": [None, str(now)]},
        )
        content_changed(actor=actor, arrangement=arrangement)
    return objective


# --- supports: the good test is a hard rule here ------------------------------------------------------------

ITEM_FIELDS = (
    "kind",
    "what",
    "provider",
    "provider_service",
    "provider_name",
    "starts_on",
    "due_on",
    "timeline",
    "quantity",
    "unit",
    "costs_money",
    "cost",
    "funder",
    "started_before_discharge",
    "caregiver_instructions",
)
# The good test's field names, as the item's form names them.
ISSUE_FIELD = {"responsible": "provider"}
RESOURCED = (SupportItem.Funder.SITE, SupportItem.Funder.SUPPORT_SERVICE)


def _provider_errors(item: SupportItem, arrangement: SupportArrangement, data: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if item.provider_id and item.provider.case_id not in (None, arrangement.case_id):
        errors["provider"] = _("Choose a provider from the directory or one of this case's informal supports.")
    elif item.provider_id and "provider" in data and not item.provider.is_active:
        errors["provider"] = _("This provider is no longer active; choose another.")
    if item.provider_service_id and item.provider_service.provider_id != item.provider_id:
        errors["provider_service"] = _("Choose a service that this provider offers.")
    return errors


def _money_errors(item: SupportItem) -> dict[str, str]:
    errors: dict[str, str] = {}
    if item.quantity is not None and item.quantity <= 0:
        errors["quantity"] = _("A quantity must be more than zero.")
    if item.cost is not None and item.cost < 0:
        errors["cost"] = _("A cost cannot be negative.")
    if item.costs_money is False and item.cost not in (None, 0):
        errors["cost"] = _("A support that costs nothing has no cost; say it costs money, or clear the cost.")
    if item.costs_money and item.funder in ("", SupportItem.Funder.NO_COST):
        errors["funder"] = _("Say who resources it: the site, the support service or another funder.")
    if item.started_before_discharge and item.funder not in RESOURCED:
        errors["funder"] = _(
            "A support already under way before discharge says who resources it: the site or the support service."
        )
    return errors


def _date_errors(item: SupportItem, arrangement: SupportArrangement) -> dict[str, str]:
    errors: dict[str, str] = {}
    start, end = arrangement.starts_on, arrangement.ends_on
    if item.starts_on and item.due_on and item.due_on < item.starts_on:
        errors["due_on"] = _("A support cannot end before it starts.")
    if start and item.started_before_discharge and item.starts_on and item.starts_on >= start:
        errors["starts_on"] = _("A support already under way started before discharge (%(date)s).") % {
            "date": date_format(start)
        }
    elif start and not item.started_before_discharge and item.starts_on and item.starts_on < start:
        errors["starts_on"] = _(
            "The plan starts at discharge (%(date)s). If this support is already under way, tick "
            "'started before discharge' and say who resources it."
        ) % {"date": date_format(start)}
    if end and item.due_on and item.due_on > end:
        errors["due_on"] = _("Supports are provided within the plan's span: it ends on %(date)s.") % {
            "date": date_format(end)
        }
    return errors


def _checked_item(item: SupportItem, arrangement: SupportArrangement, data: Mapping[str, Any]) -> dict[str, Any]:
    """The item as it would be with `data`, checked: provider, money, dates, and the good test (refused)."""
    data = priced_by_service(item, dict(data))
    candidate = copy.copy(item)
    for name, value in data.items():
        setattr(candidate, name, value)
    if candidate.costs_money is False:
        data["funder"] = candidate.funder = SupportItem.Funder.NO_COST
    errors = (
        _provider_errors(candidate, arrangement, data) | _money_errors(candidate) | _date_errors(candidate, arrangement)
    )
    if errors:
        raise ValidationError(errors)
    message = contingency_message(candidate)
    if message:
        fields = {ISSUE_FIELD.get(i.field, i.field): i.message for i in item_issues(candidate, strict=True)}
        raise ValidationError({"__all__": message} | fields)
    return data


def _live_objective(objective: Objective, arrangement: SupportArrangement) -> None:
    if objective.arrangement_id != arrangement.pk or objective.archived_at is not None:
        raise ValidationError({"objective": _("Choose an objective of this plan.")})


@transaction.atomic
def item_add(*, actor: User, objective: Objective, data: Mapping[str, Any]) -> SupportItem:
    """Add a support under an objective. Refused, with why, unless it names who provides it, when, how much,
    and the cost where it costs: otherwise it is a contingency arrangement (seed 003's good test)."""
    arrangement = _editable(actor, objective.arrangement)
    _live_objective(objective, arrangement)
    position = (objective.items.aggregate(n=Max("position"))["n"] or 0) + 1
    item = SupportItem(objective=objective, position=position)
    apply_changes(item, _checked_item(item, arrangement, data), ITEM_FIELDS)
    audit_record(
        actor=actor,
        event="permanent_care.item.added",
        target=item,
        case=arrangement.case,
        changes=created_changes(item, ("objective", *ITEM_FIELDS)),
    )
    content_changed(actor=actor, arrangement=arrangement)
    return item


@transaction.atomic
def item_update(*, actor: User, item: SupportItem, data: Mapping[str, Any]) -> SupportItem:
    """Change a support; the same rules as adding it."""
    arrangement = _editable(actor, item.objective.arrangement)
    item = SupportItem.objects.select_for_update().select_related("objective").get(pk=item.pk)
    _live_objective(item.objective, arrangement)
    if item.archived_at is not None:
        raise ValidationError(_("This support was removed from the plan."))
    changes = apply_changes(item, _checked_item(item, arrangement, data), ITEM_FIELDS)
    if changes:
        audit_record(
            actor=actor, event="permanent_care.item.updated", target=item, case=arrangement.case, changes=changes
        )
        content_changed(actor=actor, arrangement=arrangement)
    return item


@transaction.atomic
def item_remove(*, actor: User, item: SupportItem) -> SupportItem:
    arrangement = _editable(actor, item.objective.arrangement)
    item = SupportItem.objects.select_for_update().get(pk=item.pk)
    if item.archived_at is None:
        item.archived_at = timezone.now()
        item.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            event="permanent_care.item.removed",
            target=item,
            case=arrangement.case,
            changes={"archived_at": [None, str(item.archived_at)]},
        )
        content_changed(actor=actor, arrangement=arrangement)
    return item


# --- universal services -------------------------------------------------------------------------------------


@transaction.atomic
def universal_service_add(*, actor: User, arrangement: SupportArrangement, data: Mapping[str, Any]) -> UniversalService:
    """List a universal service the caregiver can access (seed 003: these are outlined in the plan)."""
    arrangement = _editable(actor, arrangement)
    service = UniversalService(arrangement=arrangement)
    apply_changes(service, data, ("name", "how_to_access"))
    audit_record(
        actor=actor,
        event="permanent_care.universal_service.added",
        target=service,
        case=arrangement.case,
        changes=created_changes(service, ("name", "how_to_access")),
    )
    content_changed(actor=actor, arrangement=arrangement)
    return service


@transaction.atomic
def universal_service_remove(*, actor: User, service: UniversalService) -> UniversalService:
    arrangement = _editable(actor, service.arrangement)
    service = UniversalService.objects.select_for_update().get(pk=service.pk)
    if service.archived_at is None:
        service.archived_at = timezone.now()
        service.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            event="permanent_care.universal_service.removed",
            target=service,
            case=arrangement.case,
            changes={"archived_at": [None, str(service.archived_at)]},
        )
        content_changed(actor=actor, arrangement=arrangement)
    return service


# --- agreement, the court step, and reopening ----------------------------------------------------------------

AGREEMENT_FIELDS = ("position", "method", "reason")


@transaction.atomic
def agreement_record(
    *, actor: User, arrangement: SupportArrangement, member: TeamMember, position: str, method: str, reason: str = ""
) -> SupportAgreement:
    """Record a planning participant's position on the plan as it stands, and how they gave it (in person,
    by phone, video or in writing)."""
    ensure(can.can_lead(actor, arrangement), LEAD_ONLY)
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.PLANNING,
        refusal=_(
            "The plan is %(status)s: it cannot have agreement recorded (agreement is recorded while planning) now."
        ),
    )
    if member.case_id != arrangement.case_id or member.archived_at is not None:
        raise ValidationError({"member": _("Choose a current member of this case's Child and Family Team.")})
    errors = {}
    if position not in SupportAgreement.Position.values:
        errors["position"] = _("Choose whether they agree or disagree.")
    if method not in SupportAgreement.Method.values:
        errors["method"] = _("Record how they gave their view (in person, phone, video or in writing).")
    if position == SupportAgreement.Position.DISAGREES and not (reason or "").strip():
        errors["reason"] = _("Record why they disagree.")
    if errors:
        raise ValidationError(errors)
    agreement = SupportAgreement.objects.filter(
        arrangement=arrangement, round=arrangement.agreement_round, member=member
    ).first()
    before = snapshot(agreement, AGREEMENT_FIELDS) if agreement else {}
    agreement = agreement or SupportAgreement(arrangement=arrangement, round=arrangement.agreement_round, member=member)
    agreement.position, agreement.method, agreement.reason = position, method, (reason or "").strip()
    agreement.recorded_by = actor
    agreement.full_clean()
    agreement.save()
    changes = diff(before, snapshot(agreement, AGREEMENT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            event="permanent_care.agreement.recorded",
            target=agreement,
            case=arrangement.case,
            changes={"member": [None, member.member_name]} | changes,
        )
    return agreement


@transaction.atomic
def mark_ready_for_court(
    *, actor: User, arrangement: SupportArrangement, court_step: str, court_step_on: datetime.date | None
) -> SupportArrangement:
    """Everyone has agreed the plan as it stands and it meets every rule: record the court step (what goes to
    court to finalise the permanent living arrangement) and mark the plan ready for court."""
    ensure(can.can_lead(actor, arrangement), LEAD_ONLY)
    arrangement = locked(arrangement)
    ensure_status(
        arrangement, S.PLANNING, refusal=_("The plan is %(status)s: it cannot be marked ready for court now.")
    )
    errors = {}
    if not (court_step or "").strip():
        errors["court_step"] = _("Record the court step: what goes to court to finalise the living arrangement.")
    if court_step_on is None:
        errors["court_step_on"] = _("Give the date of the court step (filed or set down).")
    elif court_step_on < arrangement.case.opened_on:
        errors["court_step_on"] = _("This date cannot be before the case opened.")
    if errors:
        raise ValidationError(errors)
    problems = readiness_problems(arrangement)
    if problems:
        raise InvalidTransition([_("The plan is not ready for court yet:"), *problems])
    before = snapshot(arrangement, ("court_step", "court_step_on"))
    arrangement.court_step, arrangement.court_step_on = court_step.strip(), court_step_on
    move(actor=actor, arrangement=arrangement, to=S.READY_FOR_COURT, note=arrangement.court_step)
    arrangement.save()
    audit_record(
        actor=actor,
        event="permanent_care.court_step.recorded",
        target=arrangement,
        case=arrangement.case,
        changes=diff(before, snapshot(arrangement, ("court_step", "court_step_on"))),
    )
    return arrangement


@transaction.atomic
def planning_reopen(*, actor: User, arrangement: SupportArrangement, reason: str) -> SupportArrangement:
    """Take an agreed (or approved, not yet sent) plan back into planning to change it. Everyone is asked to
    agree again, and it goes for approval again."""
    ensure(can.can_lead(actor, arrangement), LEAD_ONLY)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what needs to change.")})
    arrangement = locked(arrangement)
    ensure_status(
        arrangement,
        S.READY_FOR_COURT,
        S.APPROVED,
        refusal=_("The plan is %(status)s: it cannot be reopened for planning now."),
    )
    arrangement.agreement_round += 1
    move(actor=actor, arrangement=arrangement, to=S.PLANNING, note=reason.strip())
    arrangement.save()
    return arrangement

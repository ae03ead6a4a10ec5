"""Helpers shared by the planning services."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from kinplan.accounts.models import User
from kinplan.cases.permissions import can_edit_case
from kinplan.core.errors import ensure
from kinplan.planning.models import Plan

M = TypeVar("M", bound=models.Model)

# Plans whose content (goals, steps, permanency goals) may still be edited: only drafts.
EDITABLE = frozenset({Plan.Status.DRAFT})
# Plans on which progress (a step done, a goal achieved) may be recorded.
IN_FORCE = frozenset({Plan.Status.DRAFT, Plan.Status.AGREED, Plan.Status.ACTIVE, Plan.Status.UNDER_REVIEW})


def ensure_can_plan(actor: User, plan: Plan) -> None:
    ensure(can_edit_case(actor, plan.case), _("You cannot change this case's plan."))


def locked(plan: Plan) -> Plan:
    """The plan re-read under a row lock. Content edits and progress take it before they check where the plan
    stands, as its moves do: an edit made as the plan is agreed (or closed) waits, then sees the plan agreed, so
    nothing reaches an agreed plan that the team did not agree."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def ensure_editable(plan: Plan) -> None:
    """Content changes only on a current draft; an agreed plan changes through a new version."""
    if not plan.is_current:
        raise ValidationError(_("This is an earlier version of the plan; change the current version instead."))
    if plan.status not in EDITABLE:
        raise ValidationError(
            _(
                "This plan is %(status)s: start a revision (a new version) to change it, "
                "so the team can be consulted on the changes."
            )
            % {"status": plan.get_status_display().lower()}
        )


def ensure_in_force(plan: Plan) -> None:
    if not plan.is_current or plan.status not in IN_FORCE:
        raise ValidationError(_("Progress can only be recorded on the current plan while it is open."))

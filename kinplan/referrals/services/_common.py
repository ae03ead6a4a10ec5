"""Helpers shared by the referrals services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from kinplan.accounts.models import User
from kinplan.cases.models import Case
from kinplan.cases.permissions import can_edit_case
from kinplan.core.errors import ensure
from kinplan.referrals.models import Referral

NOT_YOURS = gettext_lazy("You cannot change this case's referrals.")


def ensure_can_refer(actor: User, case: Case) -> None:
    ensure(can_edit_case(actor, case), NOT_YOURS)


def ensure_drafted(referral: Referral, message: str) -> None:
    """What the provider has been sent cannot change after: only a drafted referral is changed. `message` says
    what cannot change, with %(status)s for the referral's status."""
    if referral.status != Referral.Status.DRAFTED:
        raise ValidationError(message % {"status": referral.get_status_display().lower()})

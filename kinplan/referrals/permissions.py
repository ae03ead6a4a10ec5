"""Who may see and change referrals: as with the rest of the case, readers read them and editors make them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import QuerySet
from django.http import Http404

from kinplan.accounts.models import User
from kinplan.cases.permissions import can_edit_case, case_get_for_user_or_404, cases_visible_to
from kinplan.referrals.models import Referral

if TYPE_CHECKING:
    from django.http import HttpRequest


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """The referrals of every case `user` may open."""
    return Referral.objects.filter(case__in=cases_visible_to(user))


@rules.predicate
def can_edit_referral(user: User, referral: Referral) -> bool:
    """A referral is made, changed and moved on by those who may change its case."""
    return referral is not None and can_edit_case(user, referral.case)


rules.add_perm("referrals.change_referral", can_edit_referral)


def referral_get_for_user_or_404(
    user: User, pk: int, *, request: HttpRequest | None = None, channel: str = "web"
) -> Referral:
    """The referral if `user` may see its case (logging that they looked at the case), else 404."""
    referral = Referral.objects.filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral.")
    referral.case = case_get_for_user_or_404(user, referral.case_id, request=request, channel=channel)
    return referral

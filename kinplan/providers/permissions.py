"""Who may see and change the service catalogue, the provider directory and a case's informal supports."""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from kinplan.accounts.models import User
from kinplan.cases.permissions import can_edit_case, cases_visible_to
from kinplan.providers.models import Provider


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def can_manage_directory(user: User) -> bool:
    """Administrators keep the catalogue and the directory (DESIGN: administrator — service catalogue, providers)."""
    return _signed_in(user) and user.role == User.Role.ADMINISTRATOR


def providers_visible_to(user: User) -> QuerySet[Provider]:
    """The directory for anyone signed in, and the informal supports of the cases `user` may open."""
    if not _signed_in(user):
        return Provider.objects.none()
    return Provider.objects.filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(user)))


@rules.predicate
def can_edit_provider(user: User, provider: Provider) -> bool:
    """A directory provider is the administrators'; an informal support is changed with its case."""
    if provider.is_informal:
        return provider.case is not None and can_edit_case(user, provider.case)
    return can_manage_directory(user)


rules.add_perm("providers.manage_directory", can_manage_directory)
rules.add_perm("providers.change_provider", can_edit_provider)

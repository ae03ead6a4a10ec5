"""Who may read the audit screen: administrators (everything) and site managers (their site)."""

from __future__ import annotations

import rules

from kinplan.accounts.models import User

Role = User.Role
AUDITOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.SITE_MANAGER})


@rules.predicate
def can_audit(user: User) -> bool:
    """Administrators audit everything; a site manager audits their own site's cases and staff."""
    return user.is_authenticated and user.is_active and user.role in AUDITOR_ROLES


@rules.predicate
def can_verify_chains(user: User) -> bool:
    """Checking the chains is the administrators' job."""
    return user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR


rules.add_perm("audit.view_audit", can_audit)
rules.add_rule("audit.view_audit", can_audit)  # the same question, asked by the menu without the permission backends
rules.add_perm("audit.verify_chains", can_verify_chains)

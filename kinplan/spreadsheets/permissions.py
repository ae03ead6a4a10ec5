"""Who may export and who may import.

Exports need no permission of their own: each reads only what its page shows the user. Importing cases is for site
managers: they open cases at their site and see every case there, so the duplicate check searches the same people
the new cases will join. Administrators are left out: they see no case (`cases.permissions.case_scope`) and may not
open one, so they could neither check duplicates nor own what they import.
"""

from __future__ import annotations

import rules

from kinplan.accounts.models import User
from kinplan.cases.permissions import can_create_case


@rules.predicate
def can_import_cases(user: User) -> bool:
    return bool(user.is_authenticated and user.role == User.Role.SITE_MANAGER and can_create_case(user))


rules.add_perm("spreadsheets.import_cases", can_import_cases)

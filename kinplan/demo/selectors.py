"""What the login page shows about the demo, when the demo data set is loaded."""

from __future__ import annotations

from kinplan.accounts.models import User
from kinplan.demo.data import DEMO_PASSWORD

DEMO_EMAIL_DOMAIN = "@demo.kinplan.invalid"
TOUR = ["aroha.sw", "hemi.sup", "mere.site", "pita.pcw", "ruth.psm", "helen.national", "admin"]


def demo_tour() -> dict[str, object] | None:
    """One demo login per role and the shared password, or None outside the demo."""
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=TOUR, email__endswith=DEMO_EMAIL_DOMAIN, is_active=True
        ).select_related("site")
    }
    if not users:
        return None
    return {"password": DEMO_PASSWORD, "users": [users[name] for name in TOUR if name in users]}

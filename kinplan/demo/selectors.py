"""What the login and code pages show about the demo, when the demo data set is loaded."""

from __future__ import annotations

from typing import Any

from django_otp.oath import TOTP, hotp

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


def is_demo_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.email or "").endswith(DEMO_EMAIL_DOMAIN))


def demo_current_code(user: Any) -> str | None:
    """The code a demo user's authenticator would show now ("123 456"), so the demo needs no phone; None for
    anyone who is not a demo user, or has no two-factor device."""
    from kinplan.accounts.signin import confirmed_device

    if not is_demo_user(user):
        return None
    device = confirmed_device(user)
    if device is None:
        return None
    # The current step's code, unless it has been used (by another visitor, say): then the next one, which the
    # device accepts too (it allows one step of clock drift).
    step = max(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t(), device.last_t + 1)
    code = f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
    return f"{code[:3]} {code[3:]}"

"""Two-factor devices for the demo's managers and administrator, so a demo runs with the production rule (their
roles must use two-factor) and no phone: the code page shows a demo user their current code."""

from __future__ import annotations

from django_otp.oath import totp

from kinplan.accounts.models import User
from kinplan.accounts.services import two_factor_device_add
from kinplan.accounts.signin import confirmed_device
from kinplan.accounts.two_factor import new_key
from kinplan.demo.selectors import DEMO_EMAIL_DOMAIN

# The production default of KINPLAN_TWO_FACTOR_ROLES: the demo follows it whatever this installation's setting.
DEMO_TWO_FACTOR_ROLES = [
    User.Role.SITE_MANAGER,
    User.Role.SUPPORT_MANAGER,
    User.Role.NATIONAL_MANAGER,
    User.Role.ADMINISTRATOR,
]


def demo_two_factor_devices() -> int:
    """Give every demo manager and administrator without one a confirmed authenticator device; returns how many."""
    users = User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN, role__in=DEMO_TWO_FACTOR_ROLES, is_active=True)
    added = 0
    for user in users.order_by("pk"):
        if confirmed_device(user) is None:
            key = new_key()
            two_factor_device_add(actor=user, key=key, code=f"{totp(bytes.fromhex(key)):06d}")
            added += 1
    return added

"""Moving a test client's session back in time, and the codes an authenticator app would show."""

from __future__ import annotations

from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinplan.accounts.models import User


def age_session(client: Any, *keys: str, seconds: int) -> None:
    """Pretend the session's `keys` (timestamps in kinplan.accounts.signin) were set `seconds` earlier."""
    session = client.session
    for key in keys:
        session[key] = int(session[key]) - seconds
    session.save()


def device_for(user: User) -> TOTPDevice:
    """A confirmed authenticator device that has not been used yet."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def code_for_key(key: str) -> str:
    return f"{totp(bytes.fromhex(key)):06d}"

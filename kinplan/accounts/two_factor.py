"""Setting up an authenticator app: a fresh secret, its QR code (an SVG data URI, so no network and nothing inline
for the Content Security Policy to refuse) and the same secret in letters for typing in by hand.

The secret travels in the setup form signed by Kinplan, so only a secret Kinplan made in the last half hour can
become someone's device; it is stored only once a code from the app proves the app holds it."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

import segno
from django.core import signing
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from kinplan.accounts.models import User

SALT = "kinplan.accounts.two_factor.setup"
SETUP_MAX_AGE = 30 * 60


def new_key() -> str:
    """A new random 20-byte secret, hex-encoded as django-otp stores it."""
    return default_key()


def sign_key(key: str) -> str:
    return signing.dumps(key, salt=SALT)


def unsign_key(secret: str) -> str | None:
    """The key inside a signed setup secret, or None if it was changed or is too old."""
    try:
        key = signing.loads(secret, salt=SALT, max_age=SETUP_MAX_AGE)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) else None


def config_uri(user: User, key: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key).config_url


def qr_data_uri(user: User, key: str) -> str:
    return segno.make(config_uri(user, key), error="m").svg_data_uri(scale=5, border=2)


def key_for_typing(key: str) -> str:
    """The secret as authenticator apps ask for it by hand: base32, in groups of four."""
    letters = b32encode(unhexlify(key.encode())).decode().rstrip("=")
    return " ".join(letters[i : i + 4] for i in range(0, len(letters), 4))

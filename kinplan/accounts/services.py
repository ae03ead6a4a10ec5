"""Changes to users' own settings and sign-in: API tokens, password, two-factor, lockouts."""

from __future__ import annotations

import datetime
import secrets
import time
from binascii import unhexlify

from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinplan.accounts.models import ApiToken, User
from kinplan.audit.services import audit_record
from kinplan.core.errors import ensure

TOKEN_PREFIX = "kp_"


@transaction.atomic
def api_token_create(*, actor: User, name: str, read_only: bool = False) -> tuple[ApiToken, str]:
    """Issue a personal API token; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that will use it.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100], prefix=raw[:10], digest=ApiToken.digest_of(raw), read_only=read_only
    )
    audit_record(
        actor=actor,
        event="account.api_token.created",
        target=token,
        changes={"name": [None, token.name], "read_only": [None, read_only]},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once; scripts using it get 401 from then on."""
    ensure(token.user_id == actor.pk, _("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            event="account.api_token.revoked",
            target=token,
            changes={"revoked_at": [None, str(token.revoked_at)]},
        )
    return token


# When a token was last used is kept to the minute: writing it on every request would make each read a write, and
# a script's concurrent requests would queue on the token's row.
TOKEN_USE_RECORDED_EVERY = datetime.timedelta(minutes=1)


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token for `raw`, with its user, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is not None and (token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RECORDED_EVERY):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- password, two-factor and lockouts -------------------------------------------------------------


def _administers(user: User) -> bool:
    return bool(user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR))


@transaction.atomic
def user_password_change(*, actor: User, new_password: str) -> User:
    """Change the actor's own password once the policy accepts it; history records that it changed, never a value."""
    try:
        validate_password(new_password, user=actor)
    except ValidationError as error:
        raise ValidationError({"new_password2": error.messages}) from error
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(actor=actor, event="account.password.changed", target=actor, changes={})
    return actor


def totp_matches(*, key: str, code: str, last_t: int = -1) -> TOTP | None:
    """The TOTP that accepts `code` for the hex `key` (one step of clock drift either way), or None."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp if totp.verify(int(code), tolerance=1, min_t=last_t + 1) else None


@transaction.atomic
def two_factor_device_add(*, actor: User, key: str, code: str) -> TOTPDevice:
    """Turn on two-factor for the actor once a code from their app proves it holds `key`; one device each."""
    if TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("Two-factor authentication is already on. Remove it first to move to a new phone."))
    totp = totp_matches(key=key, code=code)
    if totp is None:
        raise ValidationError({"code": _("That code is not right. Enter the code your app shows now.")})
    TOTPDevice.objects.filter(user=actor).delete()  # any unconfirmed leftovers
    device = TOTPDevice.objects.create(
        user=actor, name="Authenticator app", key=key, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    audit_record(actor=actor, event="account.two_factor.enabled", target=actor, changes={"two_factor": [False, True]})
    return device


@transaction.atomic
def two_factor_device_remove(*, actor: User, user: User) -> int:
    """Turn two-factor off for `user`: by themselves, or by an administrator when a phone is lost. Returns how many
    devices went."""
    ensure(actor.pk == user.pk or _administers(actor), _("Only an administrator can turn off someone else's codes."))
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit_record(
            actor=actor, event="account.two_factor.removed", target=user, changes={"two_factor": [True, False]}
        )
    return removed


@transaction.atomic
def sign_in_lockout_clear(*, actor: User, username: str) -> int:
    """Let a locked-out user sign in again before the cool-off ends (an administrator's call, kept in history).
    Returns how many failed attempts were forgotten."""
    ensure(_administers(actor), _("Only an administrator can unlock an account."))
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": _("There is no user called %(username)s.") % {"username": username}})
    attempts = AccessAttempt.objects.filter(username=username)
    failures = sum(attempts.values_list("failures_since_start", flat=True))
    attempts.delete()
    audit_record(actor=actor, event="account.sign_in.unlocked", target=user, changes={"failures": [failures, 0]})
    return failures

"""Changes to users' own settings: personal API tokens."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token for `raw`, with its user, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token

"""The checked upload kept between the dry run and the import, so the user does not upload it twice.

Named by its uploader and its SHA-256 (the confirmation carries only the digest, so no one reaches another's
file), in the database (`PendingImport`), removed once imported or after a day.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.utils import timezone

from kinplan.accounts.models import User
from kinplan.spreadsheets.models import PendingImport

KEPT_FOR = datetime.timedelta(days=1)
DIGEST = re.compile(r"^[0-9a-f]{64}$")


def keep(user: User, data: bytes, filename: str) -> str:
    """Keep the file for `user`; the digest names it to the import."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    digest = hashlib.sha256(data).hexdigest()
    PendingImport.objects.update_or_create(
        user=user, digest=digest, defaults={"data": data, "filename": filename[:200]}
    )
    return digest


def fetch(user: User, digest: str) -> PendingImport | None:
    if not DIGEST.match(digest):
        return None
    since = timezone.now() - KEPT_FOR
    return PendingImport.objects.filter(user=user, digest=digest, created_at__gte=since).first()


def forget(user: User, digest: str) -> None:
    PendingImport.objects.filter(user=user, digest=digest).delete()

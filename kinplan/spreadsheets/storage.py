"""A checked upload kept on the server between the dry run and the import, so the user does not upload it twice.

Kept under DATA_DIR/imports, readable by this process only, named by its uploader and its SHA-256 (the form carries
only that digest, so no one reaches another's file or a path), and removed once imported or after a day.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

from django.conf import settings

KEPT_FOR_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx|txt)$")


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(user_id: int, token: str) -> Path | None:
    return _folder() / f"{user_id}-{token}" if TOKEN.match(token) else None


def keep(user_id: int, data: bytes, filename: str) -> str:
    """Keep the file; the token names it to the import (and to no other user)."""
    _forget_old()
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "csv"
    token = f"{hashlib.sha256(data).hexdigest()}.{extension}"
    path = _path(user_id, token)
    if path is not None:
        path.touch(mode=0o600)
        path.write_bytes(data)
    return token


def fetch(user_id: int, token: str) -> bytes | None:
    path = _path(user_id, token)
    return path.read_bytes() if path is not None and path.is_file() else None


def forget(user_id: int, token: str) -> None:
    path = _path(user_id, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _forget_old() -> None:
    cutoff = time.time() - KEPT_FOR_SECONDS
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)

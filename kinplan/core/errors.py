"""Domain errors that the views and the API turn into clear messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def ensure(allowed: bool, message: str | None = None) -> None:
    """Refuse the action with PermissionDenied unless `allowed` (the message in the reader's language)."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do that."))


class InvalidTransition(ValidationError):
    """A workflow move that the state machine or a rule does not allow; the message says why."""

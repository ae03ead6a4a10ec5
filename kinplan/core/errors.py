"""Domain errors that the views and the API turn into clear messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


def ensure(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    """Refuse the action with PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


class InvalidTransition(ValidationError):
    """A workflow move that the state machine or a rule does not allow; the message says why."""

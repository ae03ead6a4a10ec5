"""Fixtures for the document tests. WeasyPrint is slow, so each module builds its records and renders each of its
documents once (module scope, rolled back at the end); the tests read the text back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def module_db(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """A database for the module's records: built once, rolled back when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)

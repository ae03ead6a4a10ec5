"""Races (PostgreSQL only): fixtures."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def service_catalogue(transactional_db: Any) -> None:
    """The service types a new installation starts with (a migration loads them; each race test's flush empties
    the tables)."""
    importlib.import_module("kinplan.providers.migrations.0002_seed_service_types").seed(apps, None)


@pytest.fixture
def slow_history(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make the given service modules pause while writing history, inside their transaction: whoever got there
    first is still at work when the other arrives, so a check made before the row is locked would pass twice."""

    def slow(*modules: ModuleType) -> None:
        for module in modules:
            write = module.audit_record

            def paused(*args: Any, _write: Any = write, **kwargs: Any) -> Any:
                time.sleep(0.3)
                return _write(*args, **kwargs)

            monkeypatch.setattr(module, "audit_record", paused)

    return slow

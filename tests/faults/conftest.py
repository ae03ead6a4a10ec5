"""Fault tests: real processes (the web server, the worker) against a database of their own, then a fault."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.support import ScratchDatabase


@pytest.fixture
def scratch_database(tmp_path: Path) -> Iterator[ScratchDatabase]:
    database = ScratchDatabase(tmp_path)
    try:
        yield database
    finally:
        database.drop()

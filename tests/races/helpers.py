"""Two people acting at the same moment, each on their own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from kinplan.core.concurrency import EditConflict

# SQLite lets one writer in at a time, so nothing there can overlap.
POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
# Committed transactions, as in production (conftest.py puts back the service catalogue the migrations load).
RACE = [POSTGRESQL_ONLY, pytest.mark.django_db(transaction=True)]


@dataclass
class Outcome:
    """What each of the people acting at once got: done (with what it returned), refused (a ValidationError or
    PermissionDenied the page shows as a message, or an EditConflict it shows as the merge), or failed (anything
    else: a server error)."""

    done: list[Any] = field(default_factory=list)
    refused: list[Exception] = field(default_factory=list)
    failed: list[BaseException] = field(default_factory=list)

    def once(self) -> Any:
        """Exactly one was done and every other one was refused cleanly; what the one done returned."""
        assert not self.failed, f"a server error: {self.failed!r}"
        assert len(self.done) == 1, f"done {len(self.done)} times; refused: {self.refused!r}"
        return self.done[0]


def at_once(*actions: Callable[[], Any]) -> Outcome:
    """Run each action in its own thread and connection, all released at the same moment."""
    start = threading.Barrier(len(actions))
    outcome = Outcome()
    lock = threading.Lock()

    def run(action: Callable[[], Any]) -> None:
        try:
            start.wait()
            result = action()
            with lock:
                outcome.done.append(result)
        except (ValidationError, PermissionDenied, EditConflict) as refusal:
            with lock:
                outcome.refused.append(refusal)
        except BaseException as error:  # reported by Outcome.once
            with lock:
                outcome.failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an action is still waiting (a deadlock?)"
    return outcome

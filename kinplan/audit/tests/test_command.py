"""`manage.py audit_verify` prints each chain's state and exits with 1 at a break."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinplan.audit.models import AuditEvent
from kinplan.audit.tests.conftest import tamper

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def test_intact_chains_are_reported_with_their_size(entries):
    output = run()
    assert f"History: {AuditEvent.objects.count():,} entries, chain intact" in output
    assert "Access log: 3 entries, chain intact" in output


def test_the_first_broken_link_is_named_and_the_command_fails(entries):
    events, _views = entries
    tamper("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"n": [null, 42]}', events[1].pk])
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify", stdout=out)
    assert failed.value.returncode == 1
    line = out.getvalue()
    assert f"History: BROKEN at seq {events[1].seq}, id {events[1].pk}" in line
    assert "its content was changed after it was written" in line
    assert "Access log: 3 entries, chain intact" in line


def test_a_missing_entry_is_named(entries):
    _events, views = entries
    tamper("DELETE FROM audit_recordview WHERE id = %s", [views[1].pk])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", "--chain", "access", stdout=out)
    assert f"Access log: BROKEN at seq {views[1].seq}, id {views[2].pk}" in out.getvalue()
    assert "the entry is missing" in out.getvalue()


def test_one_chain_can_be_checked_alone(entries):
    output = run("--chain", "history")
    assert "History:" in output and "Access log" not in output


def test_the_command_exits_with_status_1_from_the_shell(entries, tmp_path):
    """`manage.py audit_verify` itself (not call_command) exits 1 when a chain is broken."""
    from django.core.management import execute_from_command_line

    events, _views = entries
    tamper("UPDATE audit_auditevent SET event = 'x' WHERE id = %s", [events[0].pk])
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "audit_verify", "--chain", "history"])
    assert exited.value.code == 1

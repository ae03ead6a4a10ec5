"""`manage.py audit_verify`: walk the history and access-log chains and report the first broken link (exit 1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinplan.audit.chain import ACCESS, CHAINS, HISTORY, ChainReport, verify_chain


def describe(report: ChainReport) -> str:
    """One line for an intact chain; for a broken one, where and what."""
    if report.broken is None:
        redacted = f" ({report.redacted:,} redacted)" if report.redacted else ""
        return f"{report.label}: {report.entries:,} entries{redacted}, chain intact (head {report.head_hash[:16]}…)"
    broken = report.broken
    where = f"seq {broken.seq}" + (f", id {broken.entry_id}" if broken.entry_id is not None else "")
    when = f", written {broken.at.isoformat()}" if broken.at else ""
    return (
        f"{report.label}: BROKEN at {where}{when}: {broken.description} ({report.entries:,} entries before it verified)"
    )


class Command(BaseCommand):
    help = "Verify the hash chains of the history and the access log; exit status 1 at the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chain", choices=sorted(CHAINS), help="Verify only this chain (default: both).")

    def handle(self, *args: Any, **options: Any) -> None:
        names = [options["chain"]] if options["chain"] else [HISTORY, ACCESS]
        reports = [verify_chain(name) for name in names]
        for report in reports:
            line = describe(report)
            self.stdout.write(self.style.SUCCESS(line) if report.intact else self.style.ERROR(line))
        if not all(report.intact for report in reports):
            raise CommandError("The audit chain is broken: see above.", returncode=1)

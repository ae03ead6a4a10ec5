"""Compile the apps' translation catalogues that changed since they were last compiled."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kinplan.core.i18n import compile_stale_catalogues


class Command(BaseCommand):
    help = "Compile each app's locale/*/LC_MESSAGES/django.po to .mo where it changed."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = compile_stale_catalogues()
        if options["verbosity"] > 1 or compiled:
            self.stdout.write(f"Compiled {len(compiled)} translation catalogue(s).")

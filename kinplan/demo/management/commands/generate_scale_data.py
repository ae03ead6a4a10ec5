"""Generate a national agency's worth of data (kinplan.demo.scale): by default 100,000 cases."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from kinplan.demo.scale import SCALE_PASSWORD, ScaleSize, generate


class Command(BaseCommand):
    help = (
        "Add a realistic data set at national scale: sites, staff, providers, and cases with their families, "
        "plans, steps, referrals and history (default 100,000 cases, ~500,000 people, 1,000,000 steps)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=ScaleSize.cases, help="how many cases (the rest scales)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")

    def handle(self, *args: Any, cases: int, seed: int, no_progress: bool, **options: Any) -> None:
        size = ScaleSize().scaled(cases)
        started = time.monotonic()
        with tqdm(total=size.cases, unit="case", disable=no_progress, desc="Generating") as bar:
            counts = generate(size, seed=seed, progress=bar.update)
        seconds = time.monotonic() - started
        for label, rows in sorted(counts.rows.items()):
            self.stdout.write(f"{label:<28} {rows:>10,}")
        self.stdout.write(f"Done in {seconds:.0f} s. Every generated user's password is {SCALE_PASSWORD}.")

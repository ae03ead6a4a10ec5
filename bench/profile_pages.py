"""The benchmark's pages, timed in-process on the national data set, with their queries and (optionally) a profile.

    PYTHONPATH=. DATABASE_URL=postgres://... DJANGO_SECRET_KEY=x python bench/profile_pages.py [--runs 15]
        [--page caseload] [--profile] [--sql]

For each page: the median and slowest of the runs (ms), how many queries it makes and how long they take. With
--profile, a pyinstrument profile of one more run (pip install pyinstrument); with --sql, each query and its time.
Who opens what is chosen as bench/run.py chooses (bench/choose.py). Not a test: compare figures from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

from django.db import connection  # noqa: E402 (after django.setup)
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import BENCHMARK_PAGES  # noqa: E402
from kinplan.accounts.models import User  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def chosen() -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "bench/choose.py"], cwd=ROOT, check=True, text=True, capture_output=True, env=os.environ
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class Stopwatch:
    """Time spent inside some functions while it runs: the templates (each page's top-level render) and the PDF
    layout, so a page's time splits into SQL, templates, PDF and the rest (middleware, models, the view)."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {"templates": 0.0, "pdf": 0.0}
        self._patches: list[tuple[Any, str, Any]] = []

    def watch(self, owner: Any, name: str, key: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.ms[key] += (time.perf_counter() - started) * 1000

        self._patches.append((owner, name, original))
        setattr(owner, name, timed)

    def __enter__(self) -> Stopwatch:
        from django.template.backends.django import Template
        from weasyprint import HTML

        self.watch(Template, "render", "templates")
        self.watch(HTML, "write_pdf", "pdf")
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self._patches):
            setattr(owner, name, original)


def client_for(visitor: str, who: dict[str, str]) -> Client:
    if visitor == "token":
        return Client(SERVER_NAME="127.0.0.1", headers={"Authorization": f"Bearer {who['token']}"})
    client = Client(SERVER_NAME="127.0.0.1")
    if visitor:
        client.force_login(User.objects.get(username=who[visitor]))
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--page", action="append", help="only these pages (repeatable)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true")
    options = parser.parse_args()
    who = chosen()
    for page in BENCHMARK_PAGES:
        name, path = page.key, page.path.format(**who)
        if options.page and name not in options.page:
            continue
        client = client_for(page.visitor, who)
        client.get(path)  # warm
        times = []
        for _ in range(options.runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries, Stopwatch() as watch:
            started = time.perf_counter()
            response = client.get(path)
            total = (time.perf_counter() - started) * 1000
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        split = f"SQL {sql_ms:.0f} ms, templates {watch.ms['templates']:.0f} ms"
        split += f", PDF layout {watch.ms['pdf']:.0f} ms" if watch.ms["pdf"] else ""
        rest = total - sql_ms - watch.ms["templates"] - watch.ms["pdf"]
        print(
            f"{name:9} {response.status_code} median {statistics.median(times):6.1f} ms  slowest {max(times):6.1f} ms"
            f"  {len(queries)} queries  {path}\n          one more run: {total:.0f} ms = {split}, "
            f"the rest {rest:.0f} ms"
        )
        if options.sql:
            for query in queries.captured_queries:
                print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")
        if options.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(5):
                client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()

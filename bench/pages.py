"""The pages the benchmark opens, for bench/run.py, bench/profile_pages.py and the test that pins their queries
(kinplan/demo/tests/test_benchmark_queries.py). Plain data: importing it needs no Django set-up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchmarkPage:
    """A page the benchmark opens: `path` is formatted with benchmark_visitors(); `visitor` names who opens it
    ("" for nobody signed in, "token" for the API's bearer token); the targets are the issue's: p95 latency under
    the load, and for some pages a share of the minimal view's throughput."""

    key: str
    label: str
    path: str
    visitor: str
    target_p95_ms: float | None = 50.0
    target_share_of_floor: float | None = None


BENCHMARK_PAGES = (
    BenchmarkPage("login", "Login page", "/accounts/login/", ""),
    BenchmarkPage("dashboard", "Worker's dashboard", "/", "worker"),
    BenchmarkPage("team", "Supervisor's dashboard", "/", "supervisor"),
    BenchmarkPage("caseload", "My caseload", "/caseload/", "worker", target_share_of_floor=0.2),
    BenchmarkPage("case", "A case page", "/cases/{case}/", "worker", target_share_of_floor=0.2),
    BenchmarkPage("plan", "A plan page with 100 steps", "/cases/{plan_case}/plan/", "plan_worker"),
    BenchmarkPage("overdue", "Supervisor's overdue list", "/overdue/", "supervisor"),
    BenchmarkPage("search", "Person search (typo)", "/people/search/?q=tamiti+ngata", "worker", 30.0),
    BenchmarkPage("api", "API list of cases", "/api/v1/cases?limit=50", "token"),
    BenchmarkPage("pdf", "Family plan PDF", "/cases/{plan_case}/plan/family-plan.pdf", "plan_worker", 500.0),
)

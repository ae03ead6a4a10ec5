"""The benchmark: one command starts PostgreSQL and gunicorn on loopback, loads the national data set if it is
missing, drives each page with wrk, and writes bench/RESULTS.md.

    .venv/bin/python bench/run.py                 # 100,000 cases, 8 connections, 20 s a page
    .venv/bin/python bench/run.py --cases 2000 --seconds 5   # a quick look

Each figure is also given as a ratio to a minimal Django view served by the same gunicorn in the same run, so runs
on a noisy machine can be compared. Not a test: it asserts nothing and is never run by the test command.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PGDATA = BENCH / ".pg"  # kept between runs, with its data set (git ignores it)
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
from bench.pages import BENCHMARK_PAGES  # noqa: E402 (after the path)

PASSWORD = "kinplan-scale-2026"  # kinplan.demo.scale.SCALE_PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args: str, env: dict[str, str] | None = None, capture: bool = False) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, capture_output=capture)
    return done.stdout if capture else ""


# --- PostgreSQL -------------------------------------------------------------------------------------------


def pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        run("apt-get", "install", "-y", "-qq", "postgresql")
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return versions[-1]


def as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


def start_postgres(port: int) -> Path:
    binary = pg_bin()
    if not (PGDATA / "PG_VERSION").exists():
        PGDATA.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(PGDATA, "postgres")
        run(*as_postgres(str(binary / "initdb"), "-D", str(PGDATA), "-U", "kinplan", "--auth=trust", "-E", "UTF8"))
    # Tuned as docs/scaling.md says for production: the data set lives in memory (random reads cost little more
    # than sequential ones) and a sort of a few thousand rows stays out of temporary files.
    options = (
        f"-p {port} -k {PGDATA} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=16MB "
        "-c random_page_cost=1.1 -c effective_cache_size=8GB"
    )
    run(
        *as_postgres(
            str(binary / "pg_ctl"), "-D", str(PGDATA), "-l", str(PGDATA / "server.log"), "-w", "-o", options, "start"
        )
    )
    return binary


def stop_postgres(binary: Path) -> None:
    subprocess.run(as_postgres(str(binary / "pg_ctl"), "-D", str(PGDATA), "-m", "fast", "stop"), check=False)


# --- signing in -------------------------------------------------------------------------------------------


def sign_in(base: str, username: str) -> str:
    """Sign in through the login form; the Cookie header that carries the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"{base}/accounts/login/", data=body.encode(), headers={"Referer": base + "/"})
    opener.open(request)
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not sign in as {username}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- the pages ----------------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    headers: dict[str, str]
    target_p95_ms: float | None = 50.0
    target_share_of_floor: float | None = None


@dataclass
class Figures:
    p50: float
    p95: float
    p99: float
    rps: float
    errors: int


@dataclass
class Result:
    page: Page
    loaded: Figures  # under the load: `--connections` at once
    alone: Figures  # one request at a time: what one person waits on a quiet server


def pages(base: str, env: dict[str, str]) -> list[Page]:
    """Who opens what: read from the data set by a small Django script (bench/choose.py); the pages are
    bench/pages.py (which the query-count test opens too)."""
    chosen = json.loads(run(PYTHON, "bench/choose.py", env=env, capture=True).strip().splitlines()[-1])
    headers: dict[str, dict[str, str]] = {"": {}, "token": {"Authorization": f"Bearer {chosen['token']}"}}
    for visitor in {page.visitor for page in BENCHMARK_PAGES} - set(headers):
        headers[visitor] = {"Cookie": sign_in(base, chosen[visitor])}
    return [Page("Minimal Django view (the floor)", "/bench/minimal/", {}, None)] + [
        Page(
            page.label,
            page.path.format(**chosen),
            headers[page.visitor],
            page.target_p95_ms,
            page.target_share_of_floor,
        )
        for page in BENCHMARK_PAGES
    ]


def wrk(base: str, page: Page, seconds: int, connections: int) -> Figures:
    headers = [arg for name, value in page.headers.items() for arg in ("-H", f"{name}: {value}")]
    # wrk gives up on a response after 2 s by default and counts it an error: a PDF queued behind seven others
    # takes longer than that on two cores, and its latency is what is measured.
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    out = run(*command, "--latency", "-s", str(BENCH / "report.lua"), *headers, base + page.path, capture=True)
    figures = json.loads(out.strip().splitlines()[-1])
    ms = {name: figures[name] / 1000 for name in ("p50", "p95", "p99")}
    return Figures(**ms, rps=figures["rps"], errors=figures["errors"])


def drive(base: str, page: Page, seconds: int, connections: int) -> Result:
    wrk(base, page, 2, 1)  # warm up
    alone = wrk(base, page, max(seconds // 4, 3), 1)
    return Result(page, loaded=wrk(base, page, seconds, connections), alone=alone)


# --- the report ---------------------------------------------------------------------------------------------


def machine() -> str:
    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    kib = int(next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0"))
    system = f"{platform.platform()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} × {cpu}, {kib // 1024 // 1024} GiB, {system}"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(results: list[Result], cases: int, seconds: int, connections: int, pg_version: str) -> str:
    floor = results[0]
    lines = [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`.venv/bin/python bench/run.py --cases {cases} --seconds {seconds} --connections {connections}`.",
        f"Machine: {machine()}. {pg_version}. gunicorn, 4 sync workers, on loopback; wrk, {connections} "
        f"connections for {seconds} s a page, after one connection for {max(seconds // 4, 3)} s.",
        "",
        "| page | p50 ms | p95 ms | p99 ms | req/s | p95 ÷ floor | req/s ÷ floor | target | errors "
        "| alone: p50 ms | alone: p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        loaded, share = r.loaded, r.loaded.rps / floor.loaded.rps
        targets = []
        if r.page.target_p95_ms:
            targets.append(f"p95 ≤ {r.page.target_p95_ms:.0f} ms {met(loaded.p95 <= r.page.target_p95_ms)}")
        if r.page.target_share_of_floor:
            ok = share >= r.page.target_share_of_floor
            targets.append(f"req/s ≥ {r.page.target_share_of_floor:.0%} of floor {met(ok)}")
        lines.append(
            f"| {r.page.name} | {loaded.p50:.1f} | {loaded.p95:.1f} | {loaded.p99:.1f} | {loaded.rps:.0f} "
            f"| {loaded.p95 / floor.loaded.p95:.1f} | {share:.3f} | {'; '.join(targets)} "
            f"| {loaded.errors + r.alone.errors} | {r.alone.p50:.1f} | {r.alone.p95:.1f} |"
        )
    return "\n".join(lines) + "\n"


START, END = "<!-- bench/run.py writes from here -->", "<!-- to here -->"


def write_results(path: Path, table: str) -> None:
    """Put `table` between the markers in `path`, keeping what is written around it (what was changed, the
    profiles and what would meet each target); a new file gets just a heading."""
    text = path.read_text() if path.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text += f"\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    path.write_text(f"{before}{START}\n{table}{END}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        run("apt-get", "install", "-y", "-qq", "wrk")
    pg_port, web_port = free_port(), free_port()
    binary = start_postgres(pg_port)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://kinplan@127.0.0.1:{pg_port}/kinplan",
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DJANGO_SECRET_KEY": "kinplan-benchmark-only",
        "PYTHONPATH": str(ROOT),
    }
    server = None
    try:
        subprocess.run(
            as_postgres(str(binary / "createdb"), "-h", str(PGDATA), "-p", str(pg_port), "-U", "kinplan", "kinplan"),
            check=False,
            capture_output=True,
        )
        run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=env)
        run(PYTHON, "manage.py", "compile_catalogues", env=env, capture=True)
        run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
        have = int(run(PYTHON, "bench/choose.py", "--count", env=env, capture=True).strip().splitlines()[-1])
        if have < options.cases:
            run(PYTHON, "manage.py", "generate_scale_data", "--cases", str(options.cases - have), env=env)
            run(
                *as_postgres(
                    str(binary / "psql"),
                    "-h",
                    str(PGDATA),
                    "-p",
                    str(pg_port),
                    "-U",
                    "kinplan",
                    "-qc",
                    "VACUUM ANALYZE",
                    "kinplan",
                )
            )
        pg_version = run(str(binary / "postgres"), "--version", capture=True).strip()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{web_port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/minimal/")
                break
            except OSError:
                time.sleep(0.2)
        results = [drive(base, page, options.seconds, options.connections) for page in pages(base, env)]
        text = report(results, options.cases, options.seconds, options.connections, pg_version)
        write_results(Path(options.out), text)
        print(text)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        stop_postgres(binary)


if __name__ == "__main__":
    main()

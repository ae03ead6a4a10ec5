"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Fixtures:
- `browser` (session): one headless chromium for the whole run.
- `page` (test): a fresh browser context (own cookies) and page, with short explicit-wait timeouts;
  if the test fails, a screenshot of the page is saved under test-artifacts/ to help diagnose it. `open_page`
  gives one with other context options (JavaScript off, another viewport).
- `worker` (test): Tui Walker, social worker, with tests/e2e/support.py's PASSWORD.
- `screenshot` (test): `screenshot("caseload")` saves test-artifacts/<test>/NN-caseload.png and returns its path.
- `login` (test): log in through the real login form.
- `axe_source` (session): the text of axe-core's axe.min.js, installed from the npm registry by scripts/test.sh.

Every test here is marked `e2e` automatically; deselect them with `-m "not e2e"`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
CHROMIUM = os.environ.get("KINPLAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests `e2e` and run them after every other test.

    While Playwright's sync API is running, its event loop counts as running in this thread, so Django
    keeps a separate set of database connections for the thread (asgiref's Local switches storage) and
    refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The browser lives for the session, so
    running the browser tests last keeps every other test out of that mode; it also keeps their data,
    such as the iwi list seeded by a migration, from being flushed away by these transactional tests.
    """
    here = Path(__file__).parent
    browser_tests, others = [], []
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            browser_tests.append(item)
        else:
            others.append(item)
    items[:] = others + browser_tests


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Keep each phase's report on the item so `page` can tell, at teardown, whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _artifact_dir(request: pytest.FixtureRequest) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    return ARTIFACTS_DIR / name


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
    # calls that test code and the live server make while it runs.
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"chromium not found at {CHROMIUM}: run `bash scripts/test.sh`, which installs it, or set KINPLAN_CHROMIUM",
            pytrace=False,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
                # Close the connections Django opened while the loop ran (see pytest_collection_modifyitems):
                # left open, they stop the test database from being dropped at the end of the run.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextlib.contextmanager
def open_page(browser, request: pytest.FixtureRequest, **context_options):  # type: ignore[no-untyped-def]
    """A fresh browser context (own cookies) and page, with short explicit-wait timeouts and `context_options`
    (e.g. java_script_enabled=False); if the test fails, a screenshot of the page is saved under test-artifacts/."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-NZ", "timezone_id": "Pacific/Auckland"}
    context = browser.new_context(**(options | context_options))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            path = _artifact_dir(request) / "failure.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):  # a failed diagnostic must not hide the real failure
                page.screenshot(path=str(path), full_page=True)
        context.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    with open_page(browser, request) as page:
        yield page


@pytest.fixture
def worker(transactional_db):
    """Tui Walker, a social worker in the East team at the Wellington site, whose password is support.PASSWORD."""
    from kinplan.accounts.tests.factories import SiteFactory, TeamFactory, UserFactory
    from tests.e2e.support import PASSWORD

    team = TeamFactory(site=SiteFactory(name="Wellington"), name="East")
    user = UserFactory(username="tui.sw", first_name="Tui", last_name="Walker", team=team)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def screenshot(page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Save a full-page screenshot as test-artifacts/<test name>/NN-<label>.png and return the path."""
    folder = _artifact_dir(request)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    taken: list[Path] = []

    def take(label: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', label)}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take


@pytest.fixture
def login(page, live_server) -> Callable[[str, str], None]:
    """Log in through the real login form and wait until the app has redirected away from it."""
    from playwright.sync_api import expect

    def do_login(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return do_login


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, at the version tests/e2e/package-lock.json pins."""
    if not AXE.is_file():
        pytest.fail(
            f"axe-core not found at {AXE}: run `bash scripts/test.sh`, which installs it, or "
            "`npm ci --prefix tests/e2e`",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")

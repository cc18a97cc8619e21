"""Real-browser tests: a real server (gunicorn, production settings) on a throwaway
SQLite database, driven by Playwright through Debian's Chromium.

Skipped when /usr/bin/chromium (or CHROMIUM) is missing; `.ci/run` installs it.
Screenshots go to test-artifacts/screenshots/ (not committed); the path is printed.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
STAFF_USER = "e2e-staff"
STAFF_PASSWORD = "e2e-Staff-password-123"  # noqa: S105 - throwaway test account
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("E2E_REQUIRED"):  # CI: a missing browser is a failure, not a skip
        raise pytest.UsageError(f"E2E_REQUIRED is set but Chromium is not at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start the app as production would run it, on its own database."""
    workdir = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    database_url, drop_database = _server_database(workdir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="iop.settings",
        DJANGO_DEBUG="false",
        SECRET_KEY="e2e-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",  # plain http on loopback
        DATABASE_URL=database_url,
        CACHE_URL="locmemcache://e2e",
        STATIC_ROOT=str(workdir / "static"),
        DJANGO_SUPERUSER_USERNAME=STAFF_USER,
        DJANGO_SUPERUSER_PASSWORD=STAFF_PASSWORD,
        DJANGO_SUPERUSER_EMAIL="e2e@example.com",
    )
    python = sys.executable
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load_demo"],
        ["collectstatic", "--noinput", "-v0"],
        ["createsuperuser", "--noinput"],
    ):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "iop.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--threads", "4", "--access-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError((workdir / "server.log").read_text())
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()
    drop_database()


def _server_database(workdir: Path):
    """The server's own database: PostgreSQL when the suite runs on it, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir / 'e2e.sqlite3'}", lambda: None
    import psycopg2

    base, _, _name = url.rpartition("/")
    name = f"iop_e2e_{os.getpid()}"

    def execute(sql: str) -> None:
        conn = psycopg2.connect(f"{base}/postgres")
        conn.autocommit = True
        try:
            conn.cursor().execute(sql)
        finally:
            conn.close()

    execute(f"DROP DATABASE IF EXISTS {name}")
    execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}", lambda: execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nScreenshots: {ARTIFACTS}")
    return ARTIFACTS

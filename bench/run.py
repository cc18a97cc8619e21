"""Benchmark the catalogue at scale: `make bench`, or `.venv/bin/python bench/run.py`.

Creates a fresh database (a temporary SQLite file; or, when DATABASE_URL points to PostgreSQL,
a throwaway database `iop_bench_<pid>` on that server, dropped afterwards), migrates, generates
N synthetic programs (default 10,000), warms up, then times requests through the Django test
client: the server time around each request (middleware, view, queries, template) and the
query count. Prints a Markdown table, the command and the machine.

Settings are production-like: DEBUG off, a local-memory cache for sessions and lookups.
"""

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed here
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    return parser.parse_args()


def machine_facts(vendor_version: str) -> list[str]:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import django

    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; RAM: {ram}",
        f"OS: {platform.platform()}",
        f"Python {platform.python_version()}, Django {django.get_version()}, {vendor_version}",
    ]


def pg_admin(url: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def main() -> int:  # noqa: C901 - a script, read top to bottom
    args = parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    cleanup = None
    if base_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        name = f"iop_bench_{os.getpid()}"
        parts = urlsplit(base_url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        pg_admin(admin_url, f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def cleanup():
            from django.db import connections

            connections.close_all()
            pg_admin(admin_url, f"DROP DATABASE IF EXISTS {name}")
    else:
        handle, path = tempfile.mkstemp(prefix="iop_bench_", suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"

        def cleanup():
            Path(path).unlink(missing_ok=True)

    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "iop.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": "locmemcache://",
        "LOG_LEVEL": "ERROR",
    })
    try:
        return run(args)
    finally:
        cleanup()


def run(args) -> int:
    import django
    from django.conf import settings

    django.setup()
    # No collectstatic here: plain static URLs instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from iop.models import Program
    from iop.synthetic import programs_generate
    from screening.flow import EXTRAS_PAGE
    from screening.rules import live_rules

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    programs_generate(count=args.programs, seed=20261123)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            vendor_version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            vendor_version = "SQLite " + cursor.fetchone()[0]
    setup_seconds = time.perf_counter() - started

    client = Client()
    rules = live_rules()
    # Questionnaire version 2: a person who drinks daily, could not cut down, and has no
    # reliable transport (intensive outpatient, with transport help ranked first).
    answers = {
        "suicide_thoughts": "no", "suicide_behavior": "no", "harm_others": "no",
        "danger_now": "no", "age_group": "26_64", "pregnant": "no_or_na",
        "substances": ["alcohol"], "frequency": "daily", "alcohol_frequency": "4_plus_a_week",
        "alcohol_quantity": "3_4", "alcohol_binge": "monthly", "consequences": "no",
        "control": "many_times", "relapse": "no_or_na", "withdrawal": "none",
        "withdrawal_danger": "no", "psychosis": "no", "phq_interest": "not_at_all",
        "phq_mood": "not_at_all", "mental_health": "no", "medical": "no", "housing": "yes",
        "transport": "no", "support": "yes", "responsibilities": "no", "recent_treatment": "no",
        "readiness": "ready",
    }
    extras_url = f"/screening/step/{EXTRAS_PAGE}/"

    def answer_steps():
        """Untimed: the pages of questions, as the form's redirects lead (a page whose
        question the answers hide is skipped), and the extras page, so that "See my result"
        can be pressed on Check your answers."""
        url = f"/screening/step/{rules.page_keys[0]}/"
        for _ in range(len(rules.pages)):
            key = url.removeprefix("/screening/step/").strip("/")
            data = {k: answers[k] for k in rules.page(key).question_keys if k in answers}
            response = client.post(url, data, secure=True)
            assert response.status_code == 302, (key, response.status_code)
            url = response["Location"]
            if url == extras_url:
                response = client.post(extras_url, {"zip": "10001", "payment": "medicaid"},
                                       secure=True)
                assert response["Location"] == "/screening/check/", response["Location"]
                return
        raise AssertionError(f"the questions did not lead to {extras_url}")

    def see_my_result():
        """Timed: "See my result" on Check your answers (the result is worked out and
        programs matched, then the answers are erased) and follow the redirect to the result
        page."""
        with CaptureQueriesContext(connection) as post_queries:
            response = client.post("/screening/check/", secure=True)
        assert response.status_code == 302 and response["Location"] == "/screening/result/"
        with CaptureQueriesContext(connection) as get_queries:
            response = client.get("/screening/result/", secure=True)
        response.queries_shown = f"{len(post_queries)} + {len(get_queries)}"
        return response

    # Catalogue pages are read with a session cookie, so they are rendered every time (an
    # anonymous visitor would get them from the page cache, iop.cache): the server's own work.
    # The counts and rankings kept for the catalogue version are warm after the warm-up.
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "bench-no-such-session"

    def get(url, browser=reader):
        return lambda: browser.get(url, secure=True)

    detail = (Program.objects.filter(is_published=True).order_by("pk")
              .values_list("slug", flat=True)[args.programs // 2])
    # (label, URL shown, untimed preparation or None, timed requests)
    pages = [
        ("list page", "/programs/", None, get("/programs/")),
        ("keyword search", "/programs/?q=evening", None, get("/programs/?q=evening")),
        ("keyword search with a typo", "/programs/?q=evning", None, get("/programs/?q=evning")),
        ("near me: 10001, 25 mi, level + payment",
         "/programs/?near=10001&radius=25&level=iop&payment=medicaid", None,
         get("/programs/?near=10001&radius=25&level=iop&payment=medicaid")),
        ("program detail", f"/programs/{detail}/", None, get(f"/programs/{detail}/")),
        ("screening result with matching (ZIP 10001): POST + GET",
         "/screening/check/ → /screening/result/", answer_steps, see_my_result),
        ("screening result reloaded", "/screening/result/", None,
         get("/screening/result/", client)),
    ]

    rows = []
    for label, url, prepare, timed in pages:
        for _ in range(args.warmup):
            if prepare:
                prepare()
            assert timed().status_code == 200, url
        timings = []
        for _ in range(args.requests):
            if prepare:
                prepare()
            begin = time.perf_counter()
            response = timed()
            timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, url
        if prepare:
            prepare()
        with CaptureQueriesContext(connection) as ctx:
            response = timed()
        queries = getattr(response, "queries_shown", len(ctx.captured_queries))
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        rows.append((label, url, statistics.median(timings), p95, queries))

    command = " ".join([Path(sys.executable).name, "bench/run.py", *sys.argv[1:]])
    print()
    print(f"### {vendor_version} · {args.programs:,} synthetic programs · "
          f"{args.requests} requests per page (after {args.warmup} warm-up)")
    print()
    print("| page | URL | median ms | p95 ms | queries |")
    print("| --- | --- | ---: | ---: | ---: |")
    for label, url, median, p95, queries in rows:
        print(f"| {label} | `{url}` | {median:.1f} | {p95:.1f} | {queries} |")
    print()
    print(f"Command: `{command}` (DATABASE_URL={'PostgreSQL' if 'PostgreSQL' in vendor_version else 'SQLite temp file'}); "  # noqa: E501
          f"setup (migrate + generate + ANALYZE) {setup_seconds:.0f} s.")
    print("Server time = time around the Django test client's requests (middleware, view, "
          "queries, template; for the screening result, both requests and their queries); "
          "DEBUG off, local-memory cache. Catalogue pages are rendered for a visitor with a "
          "session (never from the page cache), with the counts and rankings kept for the "
          "catalogue version warm.")
    for fact in machine_facts(vendor_version):
        print(f"- {fact}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

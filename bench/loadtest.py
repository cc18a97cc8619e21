"""Load test: `make loadtest` (a benchmark, never part of `make test`).

Builds a throwaway PostgreSQL database (`iop_loadtest_<pid>` on --database-url's server) with
10,000 synthetic programs, starts `python -m iop.serve` (gunicorn, DEBUG off, Redis cache and
sessions) on loopback, and loads it:

- wrk on /healthz, the home page, the list, a search, a near-me search with filters and a
  program page — each page twice: as an anonymous visitor (served from the page cache) and
  with a session cookie (rendered every time: the uncached cost). Browsers' Accept-Encoding.
- the whole screening, by --connections Python threads (bench/http_screening.py: every step
  with its CSRF token, Check your answers, the result), timing each request.

Every run gets the same connections, a warm-up, then --duration seconds. Prints req/s,
p50/p99, errors, each row's ratio to /healthz and the app server's CPU time a request (its
processes' CPU over the run divided by the requests: req/s and the ratios move with whatever
else the machine runs, this much less), and checks that the outcomes stored equal
the screenings completed (nothing lost). LOADTEST_KEEP=1 keeps the database and prints its URL
(for `make profile`).
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_screening import Visitor, screening_walk  # noqa: E402

UNCACHED = {"Cookie": "sessionid=loadtest-no-such-session"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--programs", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page")
    parser.add_argument("--workers", default="", help="WEB_CONCURRENCY (default: core count)")
    return parser.parse_args()


def pg(url: str, sql: str):
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        cursor = conn.cursor()
        cursor.execute(sql)
        return cursor.fetchall() if cursor.description else None
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def cpu_seconds(root_pid: int | None) -> float:
    """CPU time (user + system) used so far by a process and its children (the gunicorn
    workers), those that ended included, from /proc; 0 without /proc or a process."""
    if root_pid is None:
        return 0.0
    parents, times = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        # utime, stime, and cutime, cstime: those of children that ended (gunicorn recycles
        # its workers now and then), so the total never goes down.
        times[int(entry.name)] = sum(int(value) for value in fields[11:15])
    tree, grown = {root_pid}, True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grown = True
    return sum(times.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def yardstick() -> float:
    """Milliseconds of CPU a fixed loop takes now: how fast this (shared) machine runs at the
    moment, to read the rows' numbers by."""
    started = time.process_time()
    total = 0
    for number in range(1_000_000):
        total += number
    return (time.process_time() - started) * 1000


def wrk(url: str, args, headers: dict, server_pid: int | None = None) -> dict:
    """wrk's req/s, p50, p99 and errors; and the app server's CPU time a request (its
    processes' CPU over the run / requests: unlike req/s, barely moved by other work on the
    machine)."""
    header_args = [arg for key, value in headers.items() for arg in ("-H", f"{key}: {value}")]
    command = ["wrk", "-t2", f"-c{args.connections}", "--latency", "--timeout", "5s",
               *header_args, url]
    subprocess.run([*command[:1], f"-d{args.warmup}s", *command[1:]],  # noqa: S603
                   capture_output=True, check=True)
    cpu_before = cpu_seconds(server_pid)
    out = subprocess.run([*command[:1], f"-d{args.duration}s", *command[1:]],  # noqa: S603
                         capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server_pid) - cpu_before
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)",
                    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"):
        match = re.search(pattern, out)
        if match:
            errors += sum(int(n) for n in match.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50": ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "errors": errors,
        "cpu_ms": cpu * 1000 / requests if requests and server_pid else 0.0,
        "yardstick": yardstick(),
    }


class TimedVisitor(Visitor):
    def __init__(self, base, timings, result_timings):
        super().__init__(base)
        self.timings, self.result_timings = timings, result_timings

    def request(self, path, data=None, headers=None):
        begin = time.perf_counter()
        answer = super().request(path, data, {"Accept-Encoding": "identity", **(headers or {})})
        elapsed = (time.perf_counter() - begin) * 1000
        self.timings.append(elapsed)
        if path == "/screening/result/":
            self.result_timings.append(elapsed)
        return answer


def screenings(base: str, args, seconds: int) -> dict:
    timings, result_timings, done, errors = [], [], [], []
    stop = time.monotonic() + seconds

    def person():
        while time.monotonic() < stop:
            try:
                screening_walk(TimedVisitor(base, timings, result_timings))
                done.append(1)
            except Exception as error:  # noqa: BLE001 - counted and shown
                errors.append(repr(error)[:200])

    threads = [threading.Thread(target=person) for _ in range(args.connections)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    timings.sort()
    return {
        "rps": len(timings) / elapsed, "p50": statistics.median(timings),
        "p99": timings[max(0, round(0.99 * len(timings)) - 1)], "errors": len(errors),
        "completed": len(done), "result_p50": statistics.median(result_timings or [0]),
        "first_errors": errors[:3],
    }


def main() -> int:  # noqa: C901 - a script, read top to bottom
    args = parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk (make loadtest does it)")
        return 1
    parts = urlsplit(args.database_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    name = f"iop_loadtest_{os.getpid()}"
    database_url = urlunsplit(parts._replace(path=f"/{name}"))
    workdir = Path(tempfile.mkdtemp(prefix="iop_loadtest_"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DATABASE_URL=database_url, CACHE_URL=args.cache_url, CACHE_KEY_PREFIX=name,
        SECRET_KEY=secrets.token_urlsafe(50), SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false", LOG_LEVEL="WARNING", STATIC_ROOT=str(workdir / "static"),
        PORT=str(port), SERVE_MIGRATE="0",
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = args.workers
    manage_env = {**env, "DJANGO_SETTINGS_MODULE": "iop.settings", "DJANGO_DEBUG": "false",
                  "ALLOWED_HOSTS": "127.0.0.1"}
    pg(admin_url, f"CREATE DATABASE {name}")
    server = None
    try:
        started = time.perf_counter()
        for command in (["migrate", "--noinput", "-v0"],
                        ["generate_programs", str(args.programs)]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT,  # noqa: S603
                           env=manage_env, check=True, stdout=subprocess.DEVNULL)
        pg(database_url, "ANALYZE")
        print(f"Database {name}: {args.programs:,} programs in "
              f"{time.perf_counter() - started:.0f} s")
        log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen([sys.executable, "-m", "iop.serve"], cwd=ROOT,  # noqa: S603
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/readyz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if server.poll() is not None:
                    print((workdir / "server.log").read_text())
                    return 1
                time.sleep(0.1)
        middle = int(args.programs // 2)
        slug = pg(database_url, "SELECT slug FROM iop_program WHERE is_published "  # noqa: S608
                                f"ORDER BY id OFFSET {middle} LIMIT 1")[0][0]
        browser = {"Accept-Encoding": "gzip, deflate, br"}
        pages = [
            ("/healthz", "/healthz"), ("home", "/"), ("program list", "/programs/"),
            ("search", "/programs/?q=evening"),
            ("near-me with filters", "/programs/?near=10001&radius=25&level=iop&payment=medicaid"),
            ("program page", f"/programs/{slug}/"),
        ]
        rows = []
        for label, path in pages:
            rows.append((label, path, "cached" if path != "/healthz" else "–",
                         wrk(base + path, args, browser, server.pid)))
        for label, path in pages[1:]:
            rows.append((label, path, "uncached",
                         wrk(base + path, args, {**browser, **UNCACHED}, server.pid)))
        # A question page (the tenth: the answers so far are in the session) and a result
        # reloaded, each read again and again by one person's session: measured by wrk like
        # the catalogue pages, unlike the whole screening below (Python threads).
        asking = Visitor(base)
        question = screening_walk(asking, stop_at=10)
        finished = Visitor(base)
        screening_walk(finished)
        for label, path, visitor in (("screening question", question, asking),
                                     ("screening result, reloaded", "/screening/result/",
                                      finished)):
            cookie = "; ".join(f"{c.name}={c.value}" for c in visitor.jar)
            rows.append((label, path, "never cached",
                         wrk(base + path, args, {**browser, "Cookie": cookie}, server.pid)))
        # /healthz again, last: this shared machine's speed drifts (by a third within one run,
        # on 2026-12-06), and a later row's ratio is only fair while it has not.
        rows.append(("/healthz again", "/healthz", "–", wrk(base + "/healthz", args, browser,
                                                               server.pid)))
        outcomes_before = pg(database_url, "SELECT count(*) FROM screening_screeningoutcome")[0][0]
        screening = screenings(base, args, args.duration)
        outcomes = pg(database_url, "SELECT count(*) FROM screening_screeningoutcome")[0][0]
        outcomes -= outcomes_before
        health = rows[0][3]["rps"]

        cores = os.cpu_count()
        print()
        print(f"### {args.programs:,} programs · PostgreSQL · gunicorn "
              f"{env.get('WEB_CONCURRENCY') or cores} workers on {cores} cores · Redis · "
              f"{args.connections} connections · {args.duration} s each after "
              f"{args.warmup} s warm-up")
        print()
        print("| page | URL | served | req/s | ratio to /healthz | p50 ms | p99 ms | errors "
              "| server CPU ms/request | yardstick ms |")
        print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for label, path, served, result in rows:
            print(f"| {label} | `{path}` | {served} | {result['rps']:,.0f} | "
                  f"{result['rps'] / health:.2f}× | {result['p50']:.1f} | {result['p99']:.1f} | "
                  f"{result['errors']} | {result['cpu_ms']:.2f} | {result['yardstick']:.0f} |")
        print(f"| whole screening (every request) | `/screening/…` → result | never cached | "
              f"{screening['rps']:,.0f} | {screening['rps'] / health:.2f}× | "
              f"{screening['p50']:.1f} | {screening['p99']:.1f} | {screening['errors']} | – | "
              f"{yardstick():.0f} |")
        print()
        print("Yardstick: the CPU time of a fixed Python loop, taken right after each row (the "
              "same code: a higher number is a slower machine at that moment).")
        print()
        print(f"Screenings completed: {screening['completed']}; outcomes stored: {outcomes} "
              f"({'nothing lost' if outcomes == screening['completed'] else 'MISMATCH'}); "
              f"result page p50 {screening['result_p50']:.1f} ms.")
        if screening["first_errors"]:
            print("First screening errors:", *screening["first_errors"], sep="\n  ")
        print(f"Command: `make loadtest` (bench/loadtest.py {' '.join(sys.argv[1:])}); "
              "the screening is driven by Python threads (urllib), which share the CPU.")
        if os.environ.get("LOADTEST_KEEP"):
            print(f"Kept: DATABASE_URL={database_url}")
        ok = outcomes == screening["completed"] and not any(r[3]["errors"] for r in rows)
        return 0 if ok and not screening["errors"] else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if not os.environ.get("LOADTEST_KEEP"):
            pg(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

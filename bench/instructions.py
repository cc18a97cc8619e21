"""Count the CPU instructions a page costs: `make instructions` or
`.venv/bin/python bench/instructions.py URL... [--against DIR]` against DATABASE_URL (a
database that already has the programs, for example one `make loadtest` keeps with
LOADTEST_KEEP=1).

Timings on a shared 2-core machine move by 20 % and more within minutes with the same code,
which hides changes of a few per cent. Instructions do not move: each URL is requested, in a
fresh process under valgrind's cachegrind (`--cache-sim=no`), `--requests` times after three
warm-up requests, and again with none; the difference divided by the requests is what one
request costs in the Django process (the database's own work is not counted). As bench/profile.py,
the page cache is bypassed (a session cookie) and the cache is local memory. `--against DIR`
counts the same in another checkout (for example a `git worktree` of the previous commit) and
prints the change.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
warnings.filterwarnings("ignore", message="No directory at")


def child(urls: list[str], requests: int) -> None:
    """Run under valgrind: set up Django, warm up, then request each URL `requests` times."""
    sys.path.insert(0, str(Path.cwd()))
    import gc

    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "instructions"  # no page cache
    gc.collect()
    for url in urls:
        for _ in range(3):
            assert client.get(url, secure=True).status_code == 200, url
    for url in urls:
        for _ in range(requests):
            client.get(url, secure=True)


def count(checkout: Path, url: str, requests: int) -> int:
    """The instructions of one child process in `checkout`."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
               "--cachegrind-out-file=/dev/null", sys.executable, str(Path(__file__).resolve()),
               "--child", str(requests), url]
    done = subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=False,  # noqa: S603
                          env={**os.environ, "PYTHONPATH": str(checkout)})
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or not found:
        sys.exit(f"valgrind failed for {url} in {checkout}:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_request(checkout: Path, url: str, requests: int) -> float:
    """Instructions one request of `url` costs in `checkout`, in thousands."""
    return (count(checkout, url, requests) - count(checkout, url, 0)) / requests / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--against", type=Path, help="another checkout to count the same in")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "iop.settings", "DJANGO_DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": "locmemcache://", "LOG_LEVEL": "ERROR",
    })
    if args.child is not None:
        child(args.urls, args.child)
        return 0
    if shutil.which("valgrind") is None:
        sys.exit("bench/instructions.py needs valgrind (Debian package valgrind)")
    print(f"Instructions a request (thousands), {args.requests} requests after 3 warm-up, "
          f"DATABASE_URL={os.environ.get('DATABASE_URL', '(SQLite)')}")
    header = "| page | this checkout |" + (f" {args.against} | change |" if args.against else "")
    print(header)
    print("| --- | ---: |" + (" ---: | ---: |" if args.against else ""))
    for url in args.urls:
        ours = per_request(ROOT, url, args.requests)
        if args.against:
            theirs = per_request(args.against.resolve(), url, args.requests)
            print(f"| `{url}` | {ours:,.0f} | {theirs:,.0f} | {(ours - theirs) / theirs:+.1%} |")
        else:
            print(f"| `{url}` | {ours:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

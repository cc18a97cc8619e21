"""Profile catalogue pages in-process with pyinstrument: `make profile` or
`.venv/bin/python bench/profile.py URL...` against DATABASE_URL (a database that already has
the programs, for example one `make loadtest` keeps with LOADTEST_KEEP=1).

Each URL is requested `--warmup` times, then `--requests` times under the profiler (the
page cache is bypassed: the view is what is measured); prints the median server time and the
profile's call tree (only frames over 2 % of the time).
"""

import argparse
import os
import secrets
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", message="No directory at")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-profile", action="store_true", help="only time the pages")
    args = parser.parse_args()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "iop.settings", "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40), "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false", "CACHE_URL": "locmemcache://", "LOG_LEVEL": "ERROR",
    })
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "profile"  # a session cookie: no page cache
    for url in args.urls:
        for _ in range(args.warmup):
            assert client.get(url, secure=True).status_code == 200, url
        profiler = None
        if not args.no_profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        timings = []
        for _ in range(args.requests):
            begin = time.perf_counter()
            client.get(url, secure=True)
            timings.append((time.perf_counter() - begin) * 1000)
        print(f"\n## {url}: median {statistics.median(timings):.1f} ms over {args.requests}")
        if profiler:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False,
                                       processor_options={"filter_threshold": 0.02}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

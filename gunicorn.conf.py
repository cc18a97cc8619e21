"""gunicorn settings for `make serve` (iop/serve.py) and production.

Every value can be changed from the environment: PORT and HOST (bind), WEB_CONCURRENCY
(workers; default: one per CPU core), GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS
(a worker is replaced after about this many requests). No access log by
default: see README "Access logs" for a format without query strings or addresses.
"""

import multiprocessing
import os

wsgi_app = "iop.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Load Django once and fork: faster start, shared memory. No connection is opened before the
# fork (Django connects on the first query).
preload_app = True
# Recycle workers now and then (bounds any slow growth of memory), not all at once. Under a
# spike a worker answers some 700 cached pages a second, so 20,000 recycled each one every
# half minute, and each recycle left one worker with the queue for a moment (p99 240 ms on a
# cached page in the load test): 200,000 is every five minutes at that rate.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
# Worker heartbeats in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108


def when_ready(server):
    """In the master, once the app is loaded and before any worker is forked: do what the
    first requests of each worker would otherwise do (iop.warm), then freeze what exists so
    the workers' garbage collections never walk it (and its memory stays shared)."""
    import gc

    from iop.warm import warm_up

    done = warm_up()
    gc.collect()
    gc.freeze()
    server.log.info("warmed up: %s; %s objects frozen", done, gc.get_freeze_count())

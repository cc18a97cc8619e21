"""`make serve`: run the app as production runs it, on 127.0.0.1:$PORT.

    PORT=8000 SECRET_KEY=... .venv/bin/python -m iop.serve

DEBUG is off; the development secret key (or none) is refused with a clear message before
anything starts. Then `collectstatic` (WhiteNoise serves the compressed, content-hashed
files with far-future caching), `migrate` (skip with SERVE_MIGRATE=0 when a release step
migrates once for several app servers) and gunicorn with gunicorn.conf.py (workers from the
core count, or WEB_CONCURRENCY). gunicorn replaces this process: stop it with Ctrl-C or
SIGTERM.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The same value as iop/settings.py's development key (tests/test_serve.py checks).
DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
MIN_SECRET_LENGTH = 32

REFUSED = """\
make serve: refusing to start without a production secret key.

  SECRET_KEY is {problem}. Production needs a long random SECRET_KEY of its own, set in the
  environment or in .env (never the development key, never committed). Make one with:

    .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))"

  then, for example:  SECRET_KEY=... make serve
  (Trying it on plain http at 127.0.0.1? Add SECURE_SSL_REDIRECT=false SECURE_COOKIES=false.)
"""


def secret_key_problem(environ) -> str | None:
    """Why the configured SECRET_KEY cannot serve production, or None when it can."""
    key = environ.get("SECRET_KEY", "")
    if not key:
        return "not set"
    if key == DEV_SECRET:
        return "the development key"
    if len(key) < MIN_SECRET_LENGTH:
        return f"shorter than {MIN_SECRET_LENGTH} characters"
    return None


def main() -> int:
    import environ

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    environ.Env.read_env(ROOT / ".env", overwrite=False)
    os.environ["DJANGO_SETTINGS_MODULE"] = "iop.settings"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.pop("DEBUG", None)
    problem = secret_key_problem(os.environ)
    if problem:
        sys.stderr.write(REFUSED.format(problem=problem))
        return 2
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    if os.environ.get("SERVE_MIGRATE", "1") != "0":
        call_command("migrate", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()  # nothing open when gunicorn forks its workers
    sys.stdout.flush()
    sys.stderr.flush()
    config = str(ROOT / "gunicorn.conf.py")
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", config])  # noqa: S606
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())

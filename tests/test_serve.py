"""`make serve` (iop/serve.py): production-style serving, and two app servers on one PostgreSQL
and one Redis — a screening started on one finishes on the other, and an admin edit made on
one shows on both at once (DESIGN §8)."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bench.http_screening import Visitor, screening_walk
from iop.serve import DEV_SECRET, secret_key_problem

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("SERVE_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = ("127.0.0.1", 6379)
STAFF = ("serve-staff", "serve-Staff-password-123")


def _clean_env(**changes) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "SECRET_KEY"))}
    env.update(changes)
    return env


def test_serve_refuses_the_development_secret_key(tmp_path):
    for key in (DEV_SECRET, "", "short"):
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "iop.serve"], cwd=ROOT, capture_output=True, text=True,
            env=_clean_env(SECRET_KEY=key, PORT="1"), timeout=60,
        )
        assert result.returncode == 2, result.stderr
        assert "refusing to start without a production secret key" in result.stderr
        assert "secrets.token_urlsafe" in result.stderr


def test_serve_knows_the_settings_development_key():
    from iop import settings

    assert settings._DEV_SECRET == DEV_SECRET
    assert secret_key_problem({"SECRET_KEY": secrets.token_urlsafe(50)}) is None


# --------------------------------------------------------------------------- two servers
# One module-scoped pair of servers (migrate once, then two `python -m iop.serve` with
# SERVE_MIGRATE=0, 2 workers each): every request below may land on any of four processes.


def _reachable(address) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


class _FormValues(HTMLParser):
    """What a browser would submit from the form with the given id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.values, self.in_form, self.done = {}, False, False
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.values[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def _form_values(html: str, form_id: str) -> dict:
    parser = _FormValues(form_id)
    parser.feed(html)
    return parser.values


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    if not _reachable(("127.0.0.1", 5432)) or not _reachable(REDIS):
        pytest.skip("two-server test needs PostgreSQL on 127.0.0.1:5432 and Redis on "
                    "127.0.0.1:6379 (SERVE_TEST_PG_URL for another server)")
    workdir = tmp_path_factory.mktemp("serve")
    name = f"iop_serve_{os.getpid()}"
    _pg(f"DROP DATABASE IF EXISTS {name}")
    _pg(f"CREATE DATABASE {name}")
    base_env = _clean_env(
        DATABASE_URL=PG_URL.rsplit("/", 1)[0] + f"/{name}",
        CACHE_URL="redis://127.0.0.1:6379/0", CACHE_KEY_PREFIX=f"serve-test-{os.getpid()}",
        SECRET_KEY=secrets.token_urlsafe(50), SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false", WEB_CONCURRENCY="2", LOG_LEVEL="WARNING",
        DJANGO_SUPERUSER_USERNAME=STAFF[0], DJANGO_SUPERUSER_PASSWORD=STAFF[1],
        DJANGO_SUPERUSER_EMAIL="serve@example.com",
    )
    manage_env = {**base_env, "DJANGO_SETTINGS_MODULE": "iop.settings", "DJANGO_DEBUG": "false",
                  "ALLOWED_HOSTS": "127.0.0.1"}
    processes, logs = [], []
    try:
        # Once per release, before the servers start: migrate, data, a staff login.
        for args in (["migrate", "--noinput", "-v0"], ["createsuperuser", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,  # noqa: S603
                           env=manage_env, check=True, capture_output=True)
        bases = []
        for index in range(2):
            port = _free_port()
            log = open(workdir / f"server{index}.log", "w")  # noqa: SIM115 - closed below
            logs.append(log)
            processes.append(subprocess.Popen(  # noqa: S603 - fixed arguments
                [sys.executable, "-m", "iop.serve"], cwd=ROOT, stdout=log,
                stderr=subprocess.STDOUT,
                env={**base_env, "PORT": str(port), "SERVE_MIGRATE": "0",
                     "STATIC_ROOT": str(workdir / f"static{index}")},
            ))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/readyz", timeout=1)  # noqa: S310
                    break
                except OSError:
                    if process.poll() is not None:
                        break
                    time.sleep(0.1)
            else:
                pytest.fail(f"{base} did not start")
            if process.poll() is not None:
                pytest.fail((workdir / f"server{bases.index(base)}.log").read_text())
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
        _pg(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_served_as_production_serves_it(two_servers):
    base = two_servers[0]
    visitor = Visitor(base)
    status, headers, body = visitor.request("/readyz")
    assert status == 200 and '"database": "ok"' in body and '"cache": "ok"' in body
    status, headers, body = visitor.request("/no-such-page/")
    assert status == 404 and "Traceback" not in body  # DEBUG is off
    status, headers, body = visitor.request("/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "content-hashed static files (collectstatic + manifest)"
    request = urllib.request.Request(  # noqa: S310 - loopback
        base + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
    request = urllib.request.Request(  # noqa: S310 - loopback
        base + "/programs/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        assert response.headers["Content-Encoding"] == "gzip" and response.headers["ETag"]
        assert "Set-Cookie" not in response.headers


def test_screening_started_on_one_server_finishes_on_the_other(two_servers):
    visitor = Visitor(two_servers[0])
    seen = []

    def switch(visitor, page_number):
        visitor.base = two_servers[page_number % 2]  # every other page on the other server
        seen.append(visitor.base)

    result = screening_walk(visitor, switch=switch)
    assert set(seen) == set(two_servers)
    assert "Intensive outpatient" in result
    # The answers are gone once the result is shown; the result stays, on both servers.
    for base in two_servers:
        visitor.base = base
        status, _headers, body = visitor.request("/screening/result/")
        assert status == 200 and "Intensive outpatient" in body


def test_admin_edit_on_one_server_shows_on_both_at_once(two_servers):
    first, second = two_servers
    for base in two_servers:  # both servers have the home page cached
        for _ in range(3):
            assert Visitor(base).request("/")[0] == 200
    staff = Visitor(first)
    status, _h, body = staff.request("/admin/login/")
    login = _form_values(body, "login-form")
    login.update(username=STAFF[0], password=STAFF[1])
    status, headers, _body = staff.request("/admin/login/?next=/admin/", login)
    assert status == 302, "staff sign-in"
    status, _h, body = staff.request("/admin/iop/crisisresource/")
    change = re.search(r'href="(/admin/iop/crisisresource/\d+/change/)"', body).group(1)
    status, _h, body = staff.request(change)
    data = _form_values(body, "crisisresource_form")
    data["number"] = "1-800-555-0142"
    data["_save"] = "Save"
    status, _headers, body = staff.request(change, data)
    assert status == 302, body[:3000]
    for base in (first, second):
        for _ in range(3):  # whichever worker answers
            status, _h, body = Visitor(base).request("/")
            assert 'href="tel:18005550142"' in body, base

"""Faults: a database outage gives a 503 page with the crisis lines; errors give the 500 page."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

OUTAGE_PATHS = [
    "/", "/programs/", "/programs/x/", "/programs/?q=help&near=10001&radius=25",
    "/levels-of-care/", "/levels-of-care/iop/", "/about-iop/", "/screening/",
    "/screening/step/suicide_thoughts/", "/screening/result/",
]

# Runs in a fresh process with production settings and a database on a closed port.
OUTAGE_SCRIPT = r"""
import json, sys
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
# No collectstatic here: plain static URLs instead of the production manifest.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
client = Client(raise_request_exception=False)
out = {}
for path in json.loads(sys.argv[1]):
    response = client.get(path, secure=True)
    out[path] = {
        "status": response.status_code,
        "body": response.content.decode(),
        "headers": dict(response.headers),
    }
response = client.post("/screening/step/suicide_thoughts/", {"suicide_thoughts": "no"}, secure=True)
out["POST /screening/step/suicide_thoughts/"] = {
    "status": response.status_code, "body": response.content.decode(), "headers": {},
}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def outage():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="iop.settings",
        DJANGO_DEBUG="false",
        SECRET_KEY="outage-test-" + "k" * 50,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/none",
        CACHE_URL="locmemcache://",
        CONN_MAX_AGE="0",
    )
    paths = [*OUTAGE_PATHS, "/healthz", "/readyz"]
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", OUTAGE_SCRIPT, json.dumps(paths)],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


@pytest.mark.parametrize("path", [*OUTAGE_PATHS, "POST /screening/step/suicide_thoughts/"])
def test_database_outage_gives_503_with_crisis_lines(outage, path):
    page = outage[0][path]
    assert page["status"] == 503, page["body"][:500]
    body = page["body"]
    assert 'href="tel:988"' in body and 'href="tel:911"' in body
    assert "Please try again" in body
    assert "Traceback" not in body


def test_outage_page_has_headers_and_is_not_cached(outage):
    headers = outage[0]["/"]["headers"]
    assert "no-store" in headers["Cache-Control"]
    assert headers["Retry-After"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Request-ID"] in outage[0]["/"]["body"]


def test_health_stays_up_and_readiness_reports_the_outage(outage):
    assert outage[0]["/healthz"]["status"] == 200
    ready = outage[0]["/readyz"]
    assert ready["status"] == 503
    assert json.loads(ready["body"])["database"] == "unavailable"


def test_outage_is_logged_with_request_ids(outage):
    log = outage[1]
    request_id = outage[0]["/"]["headers"]["X-Request-ID"]
    assert f"[{request_id}]" in log
    assert "database unavailable" in log


# --------------------------------------------------------------------------- in process


@pytest.mark.django_db
def test_database_error_in_a_view_gives_503_page(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("iop.views.level_list", down)
    response = client.get("/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "tel:988" in body and "tel:911" in body


@pytest.mark.django_db
def test_database_error_outside_a_view_gives_503_page(monkeypatch):
    """An outage met by a middleware goes through handler500, which also answers 503."""
    from iop import middleware

    def down(self, request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(middleware.PermissionsPolicyMiddleware, "__call__", down)
    response = Client(raise_request_exception=False).get("/about-iop/")
    assert response.status_code == 503
    assert "tel:988" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_give_the_500_page_with_crisis_lines(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("iop.views.level_list", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "tel:988" in body and "tel:911" in body
    assert "boom" not in body and "Traceback" not in body

"""Production settings (DEBUG off): HSTS, secure cookies, CSRF origins from the environment."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.test import Client, override_settings

SCRIPT = r"""
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "SESSION_COOKIE_SAMESITE": s.SESSION_COOKIE_SAMESITE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "CSRF_COOKIE_HTTPONLY": s.CSRF_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SAMESITE": s.CSRF_COOKIE_SAMESITE,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "SESSION_ENGINE": s.SESSION_ENGINE,
    "MESSAGE_STORAGE": s.MESSAGE_STORAGE,
    "CSP": s.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("upgrade-insecure-requests", False),
    "SECURE_REDIRECT_EXEMPT": s.SECURE_REDIRECT_EXEMPT,
    "TRUSTED_PROXY_COUNT": s.TRUSTED_PROXY_COUNT,
}))
"""


def production_settings(**extra) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="iop.settings", DJANGO_DEBUG="false",
        SECRET_KEY="p" * 60 + "-settings-test", ALLOWED_HOSTS="iop.example.org", **extra,
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", SCRIPT], cwd=settings.BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_hardened():
    s = production_settings(CSRF_TRUSTED_ORIGINS="https://iop.example.org,https://www.example.org")
    assert s["DEBUG"] is False
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_SSL_REDIRECT"]
    assert s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["CSRF_COOKIE_SECURE"] and s["CSRF_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_SAMESITE"] == s["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://iop.example.org", "https://www.example.org"]
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert s["MESSAGE_STORAGE"].endswith("SessionStorage")
    assert s["CSP"] is True
    assert s["TRUSTED_PROXY_COUNT"] == 0  # REMOTE_ADDR unless configured


def test_probes_over_plain_http_are_not_redirected_to_https(db):
    """A load balancer checks /healthz and /readyz over http; everything else goes to https."""
    s = production_settings()
    assert s["SECURE_SSL_REDIRECT"]
    with override_settings(SECURE_SSL_REDIRECT=True,
                           SECURE_REDIRECT_EXEMPT=s["SECURE_REDIRECT_EXEMPT"]):
        probe = Client()
        for path in ("/healthz", "/readyz"):
            assert probe.get(path).status_code == 200, path
            assert probe.head(path).status_code == 200, path
        for path in ("/", "/programs/", "/healthz/x", "/admin/login/"):
            response = probe.get(path)
            assert response.status_code == 301, path
            assert response["Location"].startswith("https://"), path


def test_development_settings_keep_the_same_headers():
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"

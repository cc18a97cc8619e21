"""Request plumbing for safety and privacy (DESIGN §7).

- ``RequestIdMiddleware`` gives every request an id: ``request.id``, the ``X-Request-ID``
  response header and the ``request_id`` of every log line written while it is handled.
- ``PermissionsPolicyMiddleware`` turns off browser features the site never uses.
- ``RequestSizeLimitMiddleware`` refuses oversized bodies before anything reads them (413).
- ``FriendlyErrorPageMiddleware`` gives a bare 405 (wrong method) the site's error page.
- ``csrf_failure`` (CSRF_FAILURE_VIEW) explains a refused form in plain words.
- ``DatabaseUnavailableMiddleware`` and ``server_error`` answer 503 with the crisis lines
  when the database cannot be reached, rendered without touching the database.
- ``PrivateExceptionReporterFilter`` keeps screening answers out of error reports.
"""

import contextvars
import logging
import re
import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.debug import SafeExceptionReporterFilter

from iop import crisis

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request) for the log format."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # django.request logs 4xx/5xx after the middleware has returned, with the request.
            request_id = getattr(getattr(record, "request", None), "id", None)
            record.request_id = request_id if isinstance(request_id, str) else _request_id.get()
        return True


class RequestIdMiddleware:
    """Use a sane incoming ``X-Request-ID`` (from a proxy) or make a new one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request.id
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """413 for a body larger than MAX_REQUEST_BODY_BYTES (by Content-Length), unread.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, which would be
    streamed to disk; nothing here accepts uploads, so the whole body is capped.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return error_page(request, "413.html", status=413)
        return self.get_response(request)


def error_page(request, template_name: str, *, status: int) -> HttpResponse:
    """A site error page (base.html, so the crisis lines show), never cached."""
    response = render(request, template_name, status=status)
    response["Cache-Control"] = "no-store"
    return response


class FriendlyErrorPageMiddleware:
    """A 405 with an empty body (``require_safe``, ``require_POST``…) gets the 405 page.

    The ``Allow`` header is kept. Sits after the session and auth middleware, so the page
    renders like any other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            friendly = error_page(request, "405.html", status=405)
            if response.has_header("Allow"):
                friendly["Allow"] = response["Allow"]
            return friendly
        return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was refused (an old page or a blocked cookie)."""
    return error_page(request, "403_csrf.html", status=403)


# --------------------------------------------------------------------------- database outage


def is_database_unavailable(error: BaseException | None) -> bool:
    """A failure to reach the database (not a bad query or a constraint)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    # Some drivers raise a plain DatabaseError while connecting; its cause tells.
    return isinstance(error, DatabaseError) and isinstance(
        error.__cause__, OperationalError | InterfaceError
    )


def _crisis_lines_without_database():
    """Staff-edited lines if the cache still has them, else the built-in national lines."""
    try:
        lines = cache.get(crisis.cache_key())
    except Exception:  # noqa: BLE001 - the cache may be down too; the page must still render
        lines = None
    return lines or crisis.FALLBACK


def service_unavailable(request=None) -> HttpResponse:
    """The 503 page: no database, no context processors, no URL reversing."""
    body = loader.render_to_string(
        "503.html",
        {"crisis_lines": _crisis_lines_without_database(),
         "request_id": getattr(request, "id", "")},
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that cannot reach the database gives the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.error(
                "database unavailable: %s on %s", type(exception).__name__, request.path
            )
            return service_unavailable(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: the self-contained 500 page, or 503 when the database is the cause.

    Reached for errors outside views (for example in a middleware), where
    DatabaseUnavailableMiddleware cannot see them.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    body = loader.get_template("500.html").render()
    response = HttpResponse(body, status=500)
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- error reports


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (debug pages, admin e-mails) never show what a person typed or chose.

    Every POST value is hidden, and the query string of public pages too (search text).
    """

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if meta.get("QUERY_STRING"):
            meta["QUERY_STRING"] = self.cleansed_substitute
        return meta

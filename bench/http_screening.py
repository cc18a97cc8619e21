"""A person taking the whole screening over real HTTP, as a browser would: cookies, the CSRF
token of each page, one question page after another, Check your answers, the result.

Standard library only (no Django): the two-server test (tests/test_serve.py) and the load test
(bench/loadtest.py) share it. `Visitor.base` may change between requests: the same cookies go
to every port on 127.0.0.1, as they would to every app server behind one host name.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

#: Questionnaire version 2: a person who drinks daily and could not cut down, with no reliable
#: transport (the same person as bench/run.py's; intensive outpatient is suggested).
ANSWERS = {
    "suicide_thoughts": "no", "suicide_behavior": "no", "harm_others": "no",
    "danger_now": "no", "age_group": "26_64", "pregnant": "no_or_na",
    "substances": ["alcohol"], "frequency": "daily", "alcohol_frequency": "4_plus_a_week",
    "alcohol_quantity": "3_4", "alcohol_binge": "monthly", "consequences": "no",
    "control": "many_times", "relapse": "no_or_na", "withdrawal": "none",
    "withdrawal_danger": "no", "psychosis": "no", "phq_interest": "not_at_all",
    "phq_mood": "not_at_all", "mental_health": "no", "medical": "no", "housing": "yes",
    "transport": "no", "support": "yes", "responsibilities": "no", "recent_treatment": "no",
    "readiness": "ready", "zip": "10001", "payment": "medicaid",
}
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_FIRST_STEP = re.compile(r'href="(/screening/step/[\w-]+/)"')
_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([\w-]+)"')
_FORM = re.compile(r'<form([^>]*)>(.*?)</form>', re.S)
_ACTION = re.compile(r'action="([^"]*)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        """(status, headers, body text) without following redirects."""
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(  # noqa: S310 - http(s) on a base the caller gives
            self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")


def _path_of(location: str) -> str:
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _own_form(body: str, path: str) -> str:
    """The page's own POST form (not "Start over" or "Leave this site")."""
    for attributes, inner in _FORM.findall(body):
        action = _ACTION.search(attributes)
        if 'method="post"' in attributes and (
            action is None or action.group(1) in ("", path, path.split("?")[0])
        ):
            return inner
    raise AssertionError(f"no form posting to {path}")


def screening_walk(visitor: Visitor, answers: dict | None = None, *, switch=None,
                   max_pages: int = 60, stop_at: int | None = None) -> str:
    """Take the screening from the start page to the result; returns the result page's HTML.
    With `stop_at` (a page number from 0), stop there instead and return that page's path,
    unanswered (the visitor's session then holds the earlier answers).

    `switch(visitor, page_number)` is called before each page and may change `visitor.base`.
    Raises AssertionError with the page and status when a step does not go as a browser's
    would."""
    answers = ANSWERS if answers is None else answers
    status, _headers, body = visitor.request("/screening/")
    assert status == 200, ("/screening/", status)
    path = _FIRST_STEP.search(body).group(1)
    for number in range(max_pages):
        if number == stop_at:
            return path
        if switch:
            switch(visitor, number)
        status, _headers, body = visitor.request(path)
        assert status == 200, (path, status)
        form = _own_form(body, path)
        data = {"csrfmiddlewaretoken": _TOKEN.search(form).group(1)}
        for name in dict.fromkeys(_FIELD.findall(form)):
            if name in answers:
                data[name] = answers[name]
        status, headers, body = visitor.request(path, data)
        assert status == 302, (path, status, body[:2000])
        path = _path_of(headers["Location"])
        if path == "/screening/result/":
            status, _headers, body = visitor.request(path)
            assert status == 200, (path, status)
            return body
    raise AssertionError(f"no result after {max_pages} pages")

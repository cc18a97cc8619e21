"""Privacy: no third-party origins, the privacy page, and outcome retention."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from screening.models import ScreeningOutcome

ROOT = Path(settings.BASE_DIR)
URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'<>)]*""")
# XML namespace names are identifiers, never fetched.
NAMESPACES = ("http://www.w3.org/",)
# Licence and documentation links inside the vendored files' comments and error messages;
# these files are served as they are and never request them.
VENDOR_DOC_HOSTS = ("getbootstrap.com", "github.com/twbs/", "github.com/floating-ui/")


def template_files():
    return sorted((ROOT / "templates").rglob("*.html"))


def static_files():
    return sorted(
        p for p in (ROOT / "static").rglob("*")
        if p.is_file() and p.suffix in {".css", ".js", ".svg", ".html", ".json", ".webmanifest"}
    )


class Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs))


def test_static_files_reference_no_third_party_origin():
    problems = []
    for path in static_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(ROOT).as_posix()
        for url in URL.findall(text):
            if url.startswith(NAMESPACES):
                continue
            host_path = url.split("//", 1)[1]
            if rel.startswith("static/vendor/") and host_path.startswith(VENDOR_DOC_HOSTS):
                continue
            problems.append(f"{rel}: {url}")
        if rel.endswith(".css"):
            for target in re.findall(r"""(?:url\(|@import)\s*["']?([^"')\s;]+)""", text):
                if target.startswith(("http:", "https:", "//")):
                    problems.append(f"{rel}: loads {target}")
    assert problems == []


def test_templates_only_link_out_with_noopener_noreferrer():
    """A URL to another site may appear only as a link a person clicks, never as a resource."""
    problems = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        anchors = Anchors()
        anchors.feed(text)
        outbound_hrefs = set()
        for attrs in anchors.anchors:
            href = (attrs.get("href") or "").strip()
            if href.startswith(("http:", "https:", "//")) or (
                href.startswith("{{") and "url" not in href and "get_absolute_url" not in href
                and "href" not in href
            ):
                outbound_hrefs.add(href)
                rel_words = set((attrs.get("rel") or "").split())
                if not {"noopener", "noreferrer"} <= rel_words:
                    problems.append(f"{rel}: <a href={href!r}> without rel=noopener noreferrer")
        for url in URL.findall(text):
            if url.startswith(NAMESPACES) or any(url in href for href in outbound_hrefs):
                continue
            problems.append(f"{rel}: {url} is not a plain outbound link")
        for resource in re.findall(
            r"""<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*"""
            r"""(?:src|href|data)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", text, re.I,
        ):
            problems.append(f"{rel}: loads {resource}")
    assert problems == []


@pytest.mark.django_db
def test_rendered_pages_load_nothing_from_other_origins(client, public_pages):
    resource = re.compile(
        r"""<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*"""
        r"""\s(?:src|href|data|srcset)\s*=\s*["']?([^"'\s>]+)""", re.I,
    )
    for path in public_pages:
        body = client.get(path).content.decode()
        for tag, target in resource.findall(body):
            if tag == "link" and target.startswith("http://testserver/"):
                continue  # this site's own address in another language (hreflang), not a load
            assert not target.startswith(("http:", "https:", "//")), (path, tag, target)
        anchors = Anchors()
        anchors.feed(body)
        for attrs in anchors.anchors:
            href = attrs.get("href") or ""
            if href.startswith(("http:", "https:", "//")):
                assert {"noopener", "noreferrer"} <= set((attrs.get("rel") or "").split()), (
                    path, href)


# --------------------------------------------------------------------------- privacy page


@pytest.mark.django_db
def test_privacy_page_explains_what_is_kept_and_the_cookies(client):
    response = client.get("/privacy/")
    assert response.status_code == 200
    body = re.sub(r"\s+", " ", response.content.decode())
    for words in ("sessionid", "csrftoken", "up to two hours", "never written to our database",
                  f"after {settings.OUTCOME_RETENTION_DAYS} days", "IP address"):
        assert words in body
    assert dict(response.cookies) == {}


@pytest.mark.django_db
def test_every_page_links_to_the_privacy_page(client):
    for path in ["/", "/programs/", "/screening/", "/no-such-page/"]:
        assert 'href="/privacy/"' in client.get(path).content.decode(), path


# --------------------------------------------------------------------------- retention


def make_outcome(days_ago: int) -> ScreeningOutcome:
    return ScreeningOutcome.objects.create(
        date=timezone.localdate() - timedelta(days=days_ago), questionnaire_version=1,
        level="iop", crisis=False, unmet_requirements=["transport"],
    )


@pytest.mark.django_db
def test_purge_outcomes_deletes_only_older_ones():
    old, edge, recent = make_outcome(400), make_outcome(30), make_outcome(1)
    out = StringIO()
    call_command("purge_outcomes", "--older-than", "30", stdout=out)
    assert "Deleted 1 outcome(s)" in out.getvalue()
    remaining = set(ScreeningOutcome.objects.values_list("pk", flat=True))
    assert remaining == {edge.pk, recent.pk}
    assert old.pk not in remaining


@pytest.mark.django_db
def test_purge_outcomes_defaults_to_the_retention_setting_and_has_a_dry_run():
    make_outcome(settings.OUTCOME_RETENTION_DAYS + 1)
    make_outcome(settings.OUTCOME_RETENTION_DAYS - 1)
    out = StringIO()
    call_command("purge_outcomes", "--dry-run", stdout=out)
    assert "1 outcome(s)" in out.getvalue() and ScreeningOutcome.objects.count() == 2
    call_command("purge_outcomes", stdout=StringIO())
    assert ScreeningOutcome.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["-1", "soon", "1.5", ""])
def test_purge_outcomes_refuses_bad_days(bad):
    with pytest.raises(CommandError):
        call_command("purge_outcomes", "--older-than", bad, stdout=StringIO())

"""Staff Markdown is rendered, and anything that could run script is removed."""

import re

import pytest

from iop.markdown import render_markdown
from tests.factories import make_program

DANGEROUS = ["<script", "onerror", "javascript:", "<iframe", "onload", "<style", "data:"]

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<p onclick="alert(1)" onmouseover="alert(1)">hi</p>',
    "<body onload=alert(1)>",
    '<object data="x"></object><embed src="x">',
    "<form action=https://evil.example><input name=password></form>",
    "**bold** <script>alert(1)</script> and [ok](https://example.org)",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_render_markdown_removes_script_vectors(text):
    html = render_markdown(text).lower()
    for needle in DANGEROUS:
        assert needle not in html, (needle, html)
    for tag in ("<img", "<svg", "<object", "<embed", "<form", "<input", "<body", "onclick"):
        assert tag not in html, (tag, html)


def test_render_markdown_keeps_bold_list_and_https_link():
    html = render_markdown(
        "Some **bold** and *soft* words.\n\n- one\n- two\n\n[Visit us](https://example.org/a?b=1)"
    )
    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert 'href="https://example.org/a?b=1"' in html
    assert ">Visit us</a>" in html


def test_render_markdown_links_get_safe_rel():
    html = render_markdown("[x](https://example.org)")
    assert 'rel="noopener noreferrer nofollow"' in html


def test_render_markdown_keeps_tel_and_mailto_links():
    html = render_markdown("[call](tel:5550100) or [mail](mailto:a@example.org)")
    assert 'href="tel:5550100"' in html
    assert 'href="mailto:a@example.org"' in html


def test_render_markdown_escapes_text_in_code():
    html = render_markdown("Use `<script>` carefully")
    assert "<code>&lt;script&gt;</code>" in html


def test_render_markdown_empty_input_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def without_jsonld(html: str) -> str:
    """The page less its schema.org data block (tests/iop/test_program_jsonld.py checks it)."""
    return re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", html)


@pytest.mark.django_db
def test_program_detail_with_xss_description_renders_safely(client):
    program = make_program(
        # Markdown first: an unclosed raw-HTML block (e.g. <body>) swallows what follows.
        description="**Still bold** and [site](https://example.org)\n\n" + "\n\n".join(ATTACKS),
    )
    response = client.get(program.get_absolute_url())
    assert response.status_code == 200
    html = without_jsonld(response.content.decode()).lower()
    for needle in (*DANGEROUS, "<svg", "<img", "onclick", "<object", "<form"):
        assert needle not in html, needle
    assert "<strong>still bold</strong>" in html
    assert 'href="https://example.org"' in html


@pytest.mark.django_db
def test_program_detail_plain_fields_are_escaped(client):
    program = make_program(
        name='Name <img src=x onerror=alert("n")>',
        summary='Summary <script>alert("s")</script>',
        accepting_note="<b onmouseover=alert(1)>soon</b>",
    )
    html = without_jsonld(client.get(program.get_absolute_url()).content.decode())
    assert "<img" not in html and "<script" not in html and "<b onmouseover" not in html
    assert "Name &lt;img src=x onerror=alert(&quot;n&quot;)&gt;" in html
    assert "&lt;script&gt;" in html
    list_html = client.get("/programs/").content.decode()
    assert "<img" not in list_html and "<script" not in list_html


@pytest.mark.django_db
def test_level_description_markdown_rendered_safely(client):
    from iop.models import LevelOfCare

    LevelOfCare.objects.filter(code="iop").update(
        description="**Safe** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    html = client.get("/levels-of-care/iop/").content.decode()
    assert "<strong>Safe</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:" not in html

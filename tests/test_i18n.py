"""Every word a person reads in a template is marked for translation."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Not words to translate: cookie names shown as code, HTML entities.
ALLOWED = {"sessionid", "csrftoken"}


def untranslated(source: str) -> list[str]:
    text = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", text, flags=re.S)
    text = re.sub(r"{%\s*block bodyclass\s*%}.*?{%\s*endblock\s*%}", " ", text)  # CSS classes
    text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    found = re.findall(r'\b(?:title|alt|aria-label|placeholder)="([^"]*[A-Za-z]{2,}[^"]*)"', text)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"&[a-z]+;", " ", text)
    found += [line.strip() for line in text.splitlines() if re.search(r"[A-Za-z]{2,}", line)]
    return [words for words in found if words not in ALLOWED]


def test_the_scan_finds_plain_text():
    assert untranslated("<p>Hello</p>") == ["Hello"]
    assert untranslated('<img alt="A photo" src="x">') == ["A photo"]
    assert untranslated("<p>{% translate 'Hello' %} {{ name }}</p>&rarr;") == []


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_template_text_is_marked_for_translation(path):
    assert untranslated(path.read_text()) == [], path

"""The url and translate tags with kept results (iop/templatetags/kept_url.py, kept_i18n.py)
write exactly what Django's own tags write: tag by tag, and page by page against the same
site rendered with Django's tags (kept_i18n pointed at Django's i18n library)."""

import copy
import re

import pytest
from django.conf import settings
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, set_script_prefix
from django.utils import translation

from tests.factories import make_program
from tests.screening.helpers import answer_pages, v2_answers

DJANGOS_I18N = {"kept_i18n": "django.templatetags.i18n"}


def _engines():
    """(this project's engine, the same engine with Django's own url and translate tags)."""
    options = {key: value for key, value in settings.TEMPLATES[0]["OPTIONS"].items()
               if key != "builtins"}
    options["libraries"] = DJANGOS_I18N
    params = {key: value for key, value in settings.TEMPLATES[0].items() if key != "BACKEND"}
    theirs = DjangoTemplates({**params, "NAME": "plain", "OPTIONS": options})
    return engines["django"].engine, theirs.engine


TRANSLATE = [
    '{% load kept_i18n %}{% translate "Find a program" %}',
    '{% load kept_i18n %}{% trans "Find a program" %}',
    '{% load kept_i18n %}{% translate "100% free & <private>" %}',
    '{% load kept_i18n %}{% translate "Find a program"|upper %}',
    '{% load kept_i18n %}{% translate "Find a program" noop %}',
    '{% load kept_i18n %}{% translate "May" context "month name" %}',
    '{% load kept_i18n %}{% translate "Find a program" as words %}[{{ words }}]',
    '{% load kept_i18n %}{% translate message %}',
    '{% load kept_i18n %}{% autoescape off %}{% translate "Find a program" %}{% endautoescape %}',
    '{% load kept_i18n %}{% get_current_language as code %}{{ code }}'
    '{% blocktranslate %}Questionnaire version {{ version }}.{% endblocktranslate %}',
]

# Every form of blocktranslate: the plural with variables shared by both parts and one only
# the plural names, trimmed, a counter of 1 and of many, a message that does not translate
# into a format string (Django renders it again untranslated), asvar, context, escaping.
BLOCKTRANSLATE = [
    '{% load kept_i18n %}{% blocktranslate count counter=total with zip=zip miles=radius '
    'trimmed %}{{ counter }} program within {{ miles }} miles of {{ zip }}{% plural %}'
    '{{ counter }} programs within {{ miles }} miles of {{ zip }}{% endblocktranslate %}',
    '{% load kept_i18n %}{% blocktranslate count counter=one trimmed %}{{ counter }} program'
    '{% plural %}{{ counter }} programs{% endblocktranslate %}',
    '{% load kept_i18n %}{% blocktranslate count counter=total %}one{% plural %}{{ counter }} '
    'and {{ name }}{% endblocktranslate %}',
    '{% load kept_i18n %}{% blocktranslate with n=version total=total %}Page {{ n }} of '
    '{{ total }}{% endblocktranslate %}',
    '{% load kept_i18n %}{% blocktranslate with q=text %}Programs for “{{ q }}”'
    '{% endblocktranslate %}',
    '{% load kept_i18n %}{% blocktranslate trimmed with city=text %}\n  {{ city }} · 100%\n'
    '  nearest first{% endblocktranslate %}',
    '{% load kept_i18n %}{% blocktranslate with n=total asvar words %}{{ n }} x'
    '{% endblocktranslate %}[{{ words }}]',
    '{% load kept_i18n %}{% blocktranslate context "month name" %}May{% endblocktranslate %}',
    '{% load kept_i18n %}{% autoescape off %}{% blocktranslate with q=text %}Programs for '
    '“{{ q }}”{% endblocktranslate %}{% endautoescape %}',
]

URLS = [
    '{% url "iop:program_list" %}',
    "{% url 'iop:program_detail' 'casa-verde' %}",
    '{% url "iop:program_detail" slug="casa-verde" %}',
    '{% url "iop:program_detail" slug=slug %}',
    '{% url name %}',
    '{% url "iop:program_list" as address %}[{{ address }}]',
    '{% url "no-such-view" as address %}[{{ address }}]',
    '{% url "admin:index" %}',
    '{% url "iop:level_detail" "iop" %}?a=1&b=2',
    '{% autoescape off %}{% url "iop:program_list" %}{% endautoescape %}',
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("source", TRANSLATE + BLOCKTRANSLATE + URLS)
def test_each_tag_writes_what_djangos_writes(source, language):
    ours, theirs = _engines()
    values = {"message": "Find a program", "slug": "casa-verde", "name": "iop:home",
              "version": 3, "total": 12345, "one": 1, "zip": "10001", "radius": 25,
              "text": "<b>café</b> & “más”"}
    with translation.override(language):
        for _ in range(2):  # the second time from what was kept
            assert ours.from_string(source).render(Context(values)) == (
                theirs.from_string(source).render(Context(values)))


def test_the_kept_words_follow_the_language():
    ours, _theirs = _engines()
    template = ours.from_string('{% load kept_i18n %}{% translate "Find a program" %} '
                                '{% url "iop:program_list" %}')
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("es"):
        spanish = template.render(Context())
    with translation.override("en"):
        assert template.render(Context()) == english == "Find a program /programs/"
    assert spanish.endswith(" /es/programs/") and not spanish.startswith("Find a program")


def test_a_name_that_does_not_reverse_raises_every_time():
    ours, _theirs = _engines()
    template = ours.from_string('{% url "no-such-view" %}')
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            template.render(Context())


def test_the_script_prefix_and_current_app_are_followed():
    ours, theirs = _engines()
    source = '{% url "iop:program_list" %} {% url "admin:index" %}'
    request = RequestFactory().get("/")
    request.current_app = "admin"
    try:
        for prefix in ("/", "/sub/", "/"):
            set_script_prefix(prefix)
            for context in (Context(), Context({"request": request})):
                assert ours.from_string(source).render(context) == (
                    theirs.from_string(source).render(copy.copy(context)))
            assert ours.from_string(source).render(Context()).startswith(f"{prefix}programs/")
    finally:
        set_script_prefix("/")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _pages(client, slug):
    paths = ["/", "/about-iop/", "/levels-of-care/", "/levels-of-care/iop/", "/privacy/",
             "/programs/", "/programs/?q=evening&level=iop", "/programs/?near=10001",
             f"/programs/{slug}/", "/screening/", "/programs/?radius=7"]
    bodies = {}
    for prefix in ("", "/es"):
        for path in paths:
            response = client.get(prefix + path)
            bodies[prefix + path] = (response.status_code, CSRF.sub("", response.content.decode()))
    return bodies


@pytest.mark.django_db
def test_every_page_is_the_same_with_djangos_own_tags(client):
    program = make_program(name="Casa Verde IOP", slug="casa-verde", services=["cbt"],
                           languages=["es", "en"], phone="555-010-0100")
    result = answer_pages(client, v2_answers(), stop_at_extras=False)
    assert result.status_code == 200
    ours = _pages(client, program.slug)
    ours["result"] = CSRF.sub("", client.get("/screening/result/").content.decode())
    plain = copy.deepcopy(settings.TEMPLATES)
    del plain[0]["OPTIONS"]["builtins"]
    plain[0]["OPTIONS"]["libraries"] = DJANGOS_I18N
    with override_settings(TEMPLATES=plain):
        assert "iop.templatetags.kept_url" not in engines["django"].engine.builtins
        theirs = _pages(client, program.slug)
        theirs["result"] = CSRF.sub("", client.get("/screening/result/").content.decode())
    assert ours.keys() == theirs.keys()
    for path in ours:
        assert ours[path] == theirs[path], path

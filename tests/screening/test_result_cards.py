"""Program cards on the screening result: what a person needs to act on one at once — a call
link, whether it takes new patients, and when the listing was last checked."""

import datetime
import re

import pytest

from iop.templatetags.iop_tags import tel_filter
from tests.factories import make_program
from tests.screening.helpers import answer_all, v2_answers

pytestmark = pytest.mark.django_db

IOP = v2_answers(frequency="daily", control="many_times")


def card_of(body: str, name: str) -> str:
    start = body.index(f">{name}</a>")
    return body[start:body.index("</article>", start)]


def test_result_card_has_a_call_link_openings_and_last_checked(client):
    make_program(name="Open Door IOP", phone="(555) 010-0123", accepting="waitlist",
                 accepting_note="About two weeks", last_verified=datetime.date(2026, 11, 2))
    make_program(name="Quiet IOP", accepting="yes")
    body = answer_all(client, IOP).content.decode()
    card = card_of(body, "Open Door IOP")
    assert 'href="tel:5550100123"' in card
    assert "Call (555) 010-0123" in card
    assert re.search(r"Waitlist.*About two weeks", card) or "About two weeks" in card
    assert "last checked with the program on" in card
    quiet = card_of(body, "Quiet IOP")
    assert "tel:" not in quiet
    assert "not been checked with the program yet" in quiet


@pytest.mark.parametrize(("phone", "href"), [
    ("(555) 010-0123", "5550100123"), ("+1 555 010 0123", "+15550100123"),
    ("555.010.0123 ext. 4", "5550100123;ext=4"), ("555-010-0123 x12", "5550100123;ext=12"),
    ("", ""),
])
def test_tel_filter_keeps_digits_and_a_leading_plus(phone, href):
    assert tel_filter(phone) == href


def test_card_programs_read_as_the_models_give_them(django_assert_num_queries):
    """The result's plain rows (result_views._cards_programs) hold what the Program models
    say, in each language: the opening note falls back to English, the date is a date."""
    from django.utils import translation

    from iop.models import Program
    from screening.result_views import _cards_programs

    worded = make_program(name="Worded IOP", phone="555-010-0199", accepting="waitlist",
                          accepting_note="About two weeks",
                          last_verified=datetime.date(2026, 11, 2))
    worded.accepting_note_es = "Unas dos semanas"
    worded.save()
    english = make_program(name="English IOP", accepting="no", accepting_note="Full until May")
    hidden = make_program(name="Hidden IOP", is_published=False)
    for language in ("en", "es"):
        with translation.override(language):
            with django_assert_num_queries(2):
                programs, _places = _cards_programs([worded.pk, english.pk, hidden.pk, worded.pk])
            assert set(programs) == {worded.pk, english.pk}
            for model in Program.objects.filter(pk__in=programs):
                row = programs[model.pk]
                assert (row.slug, row.name, row.phone, row.accepting, row.accepting_note,
                        row.last_verified) == (model.slug, model.name, model.phone,
                                               model.accepting, model.accepting_note,
                                               model.last_verified)
                assert row.get_absolute_url() == model.get_absolute_url()
    with translation.override("es"):
        programs, _places = _cards_programs([worded.pk, english.pk])
    assert programs[worded.pk].accepting_note == "Unas dos semanas"
    assert programs[english.pk].accepting_note == "Full until May"
    assert programs[worded.pk].last_verified == datetime.date(2026, 11, 2)


def test_result_card_says_the_checked_date(client):
    make_program(name="Open Door IOP", accepting="yes", last_verified=datetime.date(2026, 11, 2))
    card = card_of(answer_all(client, IOP).content.decode(), "Open Door IOP")
    assert "last checked with the program on Nov. 2, 2026." in card

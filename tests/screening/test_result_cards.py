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

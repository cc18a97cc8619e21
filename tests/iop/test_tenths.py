"""iop.i18n.tenths_formatter writes a number exactly as floatformat(number, 1) does, and
iop.i18n.date_text a date as date_format(date, "DATE_FORMAT")."""

import datetime

import pytest
from django.template.defaultfilters import floatformat
from django.test import override_settings
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import given, settings
from hypothesis import strategies as st

from iop.i18n import date_text, tenths_formatter

# Distances as the list and the result show them, ties at the half (2.25, 0.05) included.
miles = st.one_of(
    st.floats(min_value=-10, max_value=30_000, allow_nan=False),
    st.integers(min_value=0, max_value=300_000).map(lambda n: n / 100),
    st.integers(min_value=0, max_value=30_000).map(lambda n: n / 20),
)


@pytest.mark.parametrize("language", ["en", "es"])
@settings(max_examples=400, deadline=None)
@given(number=miles)
def test_as_floatformat_writes_it(language, number):
    with translation.override(language):
        assert tenths_formatter()(number) == floatformat(number, 1)


@pytest.mark.parametrize("number", [0, 0.0, 0.05, 0.15, 2.25, 99.95, -0.04, -0.05, 1e-9,
                                    12345.678, 1e16, float("inf"), float("nan")])
def test_edges_as_floatformat(number):
    assert tenths_formatter()(number) == floatformat(number, 1)


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_grouped_numbers_as_floatformat():
    with translation.override("es"):
        assert tenths_formatter()(12345.678) == floatformat(12345.678, 1) == "12,345.7"


@override_settings(LANGUAGE_CODE="de", LANGUAGES=[("de", "German")], FORMAT_MODULE_PATH=None)
def test_another_decimal_separator():
    with translation.override("de"):
        assert tenths_formatter()(2.25) == floatformat(2.25, 1) == "2,3"


@pytest.mark.parametrize("language", ["en", "es"])
@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_date_text_as_date_format(language, day):
    with translation.override(language):
        assert date_text(day) == date_format(day, "DATE_FORMAT")


def test_date_text_follows_the_language_of_the_moment():
    day = datetime.date(2026, 11, 2)
    with translation.override("en"):
        english = date_text(day)
    with translation.override("es"):
        spanish = date_text(day)
    assert (english, spanish) == ("Nov. 2, 2026", "2 de noviembre de 2026")

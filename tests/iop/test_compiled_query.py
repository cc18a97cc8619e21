"""iop.selectors.CompiledQuery: SQL compiled once, rows as the queryset gives them."""

import datetime

import pytest
from django.utils import translation

from iop.models import Location, Program, ProgramService
from iop.selectors import SEARCH_DOCUMENT_FIELDS, CompiledQuery, published_program
from tests.factories import make_program

pytestmark = pytest.mark.django_db

MARK = "compiled-query-marker"


def _fields(instance):
    return {field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
            if field.attname not in instance.get_deferred_fields()}


def test_instances_equal_the_querysets_own_with_converted_values():
    program = make_program(name="Compiled IOP", last_verified=datetime.date(2026, 11, 2),
                           telehealth=True, locations=2)
    queryset = Program.objects.defer(*SEARCH_DOCUMENT_FIELDS).filter(slug=MARK)
    compiled = CompiledQuery(queryset, MARK)
    (found,) = compiled.instances(program.slug)
    expected = queryset.model.objects.defer(*SEARCH_DOCUMENT_FIELDS).get(pk=program.pk)
    assert _fields(found) == _fields(expected)
    assert found.last_verified == datetime.date(2026, 11, 2)  # a date, on SQLite too
    assert found.telehealth is True
    assert found.get_deferred_fields() == expected.get_deferred_fields()
    assert found._state.adding is False and found._state.db == "default"
    assert compiled.instances("no-such-slug") == []


def test_the_same_sql_serves_every_value():
    first, second = make_program(locations=1), make_program(locations=3)
    compiled = CompiledQuery(Location.objects.filter(program_id=-1).order_by("pk"), -1)
    for program in (first, second, first):
        assert [location.pk for location in compiled.instances(program.pk)] == list(
            program.locations.order_by("pk").values_list("pk", flat=True))


def test_a_marker_must_be_exactly_one_parameter():
    with pytest.raises(ValueError, match="marker"):
        CompiledQuery(Program.objects.filter(slug="a"), MARK)
    with pytest.raises(ValueError, match="marker"):
        CompiledQuery(Program.objects.filter(slug=MARK, name=MARK), MARK)


def test_program_page_services_in_the_order_of_each_language():
    program = make_program(services=("cbt", "dbt", "case-management", "telehealth"))
    for language in ("en", "es"):
        with translation.override(language):
            expected = list(ProgramService.objects.filter(program=program).order_by(
                "service__category", "service__name", "pk").values_list("pk", flat=True))
            found = published_program(program.slug)
            assert [link.pk for link in found.program_services.all()] == expected, language

"""The program filter form's quicker copies and choice checks (iop.filters.shallow_copy,
_ValidValues) do what Django's and django-filter's own code does."""

import copy

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iop.filters import ProgramFilter, _ValidValues, shallow_copy
from iop.selectors import program_list_base


@pytest.fixture
def prepared_fields(db):
    # The form class django-filter makes of ProgramFilterForm and the filters' fields.
    return ProgramFilter(queryset=program_list_base()).get_form_class()._prepared_fields()


def _state(value) -> dict:
    return dict(vars(value))


def test_a_plain_object_copies_as_copy_copy_copies_it(prepared_fields):
    objects = [*prepared_fields.values(), *(field.widget for field in prepared_fields.values()),
               *ProgramFilter.base_filters.values()]
    for value in objects:
        ours, theirs = shallow_copy(value), copy.copy(value)
        assert type(ours) is type(theirs) is type(value)
        assert ours is not value and _state(ours) == _state(theirs) == _state(value)
        ours.label = "changed"
        assert getattr(value, "label", None) != "changed"  # the copy is its own object


def test_objects_with_slots_or_copy_hooks_go_to_copy_copy():
    class Slotted:
        __slots__ = ("a",)

        def __init__(self):
            self.a = 1

    class Hooked:
        def __init__(self):
            self.a = 1

        def __copy__(self):
            copied = Hooked()
            copied.a = "hooked"
            return copied

    class Stateful:
        def __init__(self):
            self.a = 1

        def __getstate__(self):
            return {"a": "from state"}

    assert shallow_copy(Slotted()).a == 1
    assert shallow_copy(Hooked()).a == "hooked"
    assert shallow_copy(Stateful()).a == "from state"
    listed = [1, [2]]
    assert shallow_copy(listed) == listed and shallow_copy(listed) is not listed


_VALUES = st.one_of(
    st.sampled_from(["", "iop", "php", "cbt", "medicaid", "es", "NY", "ny", "25", "50", "7",
                     "day", "evening", "nope", " iop", "IOP", "0", "1", "True"]),
    st.text(max_size=8),
)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_VALUES)
def test_the_kept_choice_check_agrees_with_djangos(prepared_fields, value):
    checked = 0
    for name, field in prepared_fields.items():
        if isinstance(field, forms.ChoiceField):
            assert isinstance(field.valid_value, _ValidValues), name
            djangos = type(field).valid_value(field, value)
            assert field.valid_value(value) is djangos, (name, value)
            checked += 1
    assert checked >= 8


def test_choice_options_in_groups_are_valid():
    check = _ValidValues([("", "Any"), ("Group", [("a", "A"), ("b", "B")]), (25, "25 miles")])
    assert check("a") and check("b") and check("25") and check("")
    assert not check("Group") and not check("c")


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {"level": "iop", "payment": "medicaid", "radius": "25", "near": "10001"},
    {"level": "nope", "service": ["cbt", "nope"], "radius": "7", "state": "XX"},
    {"schedule": "evening", "state": "NY", "service": ["cbt"], "language": "es"},
])
def test_the_filter_form_validates_as_before(query):
    """The same errors and cleaned values with the kept choice checks as with Django's."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in query.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    ours = ProgramFilter(data, queryset=program_list_base()).form
    ours.is_valid()
    theirs = ProgramFilter(data, queryset=program_list_base()).form
    for field in theirs.fields.values():
        if isinstance(field, forms.ChoiceField):
            field.valid_value = type(field).valid_value.__get__(field)
    theirs.is_valid()
    assert ours.errors == theirs.errors
    assert ours.cleaned_data == theirs.cleaned_data

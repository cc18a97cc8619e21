"""A program's telehealth states: typed by staff as they like, stored as sorted unique
two-letter codes, refused when not a US state; and the "only serves these populations" box."""

import pytest
from django.core.exceptions import ValidationError

from iop.models import Program
from tests.factories import make_program
from tests.iop.test_admin import _inline_management, _program_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("", ""), ("NY", "NY"), ("ny, nj", "NJ,NY"), (" NY ;NJ  ny,", "NJ,NY"),
     ("pr dc", "DC,PR")],
)
def test_telehealth_states_are_stored_sorted_unique_and_uppercase(typed, stored):
    program = make_program(telehealth=True, telehealth_states=typed)
    program.refresh_from_db()
    assert program.telehealth_states == stored


def test_telehealth_states_full_clean_refuses_unknown_codes_naming_them():
    program = Program(name="P", slug="p", summary="S.", telehealth=True,
                      telehealth_states="NY, XX, New York")
    with pytest.raises(ValidationError) as caught:
        program.full_clean()
    [error] = caught.value.error_dict["telehealth_states"]
    assert error.code == "invalid_state"
    assert "XX, NEW, YORK" in error.messages[0]


def test_telehealth_states_clean_normalizes():
    program = Program(name="P", slug="p", summary="S.", telehealth=True,
                      telehealth_states="nj ny NJ")
    program.full_clean(exclude=["levels"])
    assert program.telehealth_states == "NJ,NY"


def test_telehealth_state_codes_fall_back_to_the_locations_states():
    listed = make_program(telehealth=True, telehealth_states="CA,NY")
    by_location = make_program(telehealth=True, state="NJ", postal_code="07030")
    no_video = make_program(telehealth_states="NY")
    assert listed.telehealth_state_codes == ["CA", "NY"]
    assert by_location.telehealth_state_codes == ["NJ"]
    assert no_video.telehealth_state_codes == []


def _post(admin_client, **fields):
    data = _program_form(**fields)
    data.update(_inline_management("locations", 0))
    data.update(_inline_management("program_services", 0))
    return admin_client.post("/admin/iop/program/add/", data)


def test_admin_program_form_shows_telehealth_states_and_populations_only(admin_client):
    body = admin_client.get("/admin/iop/program/add/").content.decode()
    assert '<input type="text" name="telehealth_states"' in body
    assert "Leave blank to use the states of this program's locations." in body
    assert 'name="populations_only"' in body
    assert "only serves the populations listed" in body.lower()


def test_admin_saves_telehealth_states_normalized(admin_client):
    response = _post(admin_client, telehealth="on", telehealth_states="ny, nj",
                     populations_only="on")
    assert response.status_code == 302
    program = Program.objects.get(slug="riverbend-iop")
    assert (program.telehealth_states, program.populations_only) == ("NJ,NY", True)
    assert program.history.first().telehealth_states == "NJ,NY"  # audited


def test_admin_refuses_an_unknown_state_code(admin_client):
    response = _post(admin_client, telehealth="on", telehealth_states="NY, ZZ")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.has_error("telehealth_states", "invalid_state")
    assert "Not a US state code: ZZ." in response.content.decode()
    assert not Program.objects.filter(slug="riverbend-iop").exists()

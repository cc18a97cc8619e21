"""A location saved with a ZIP code and no coordinates is placed from the ZIP code; the
system check lists locations that still have none."""

import pytest
from django.core.exceptions import ValidationError

from iop.checks import locations_without_coordinates
from iop.geo import zip_lookup
from iop.models import LevelOfCare, Location
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _location(**fields):
    values = {"street": "1 Main Street", "city": "New York", "state": "NY",
              "postal_code": "10001", "latitude": None, "longitude": None, **fields}
    return Location(program=make_program(locations=0), **values)


def test_clean_fills_coordinates_from_zip():
    location = _location()
    location.full_clean()
    point = zip_lookup("10001")
    assert (location.latitude, location.longitude) == (point.latitude, point.longitude)
    assert location.coordinates_from_zip


def test_clean_keeps_given_coordinates():
    location = _location(latitude=40.0, longitude=-74.0)
    location.full_clean()
    assert (location.latitude, location.longitude) == (40.0, -74.0)
    assert not location.coordinates_from_zip


def test_clean_unknown_zip_is_error():
    with pytest.raises(ValidationError) as error:
        _location(postal_code="00000").full_clean()
    assert error.value.error_dict["postal_code"][0].code == "unknown_zip"


def test_clean_only_one_coordinate_is_error():
    with pytest.raises(ValidationError) as error:
        _location(latitude=40.0).full_clean()
    assert error.value.error_dict["__all__"][0].code == "partial_coordinates"


def test_clean_malformed_zip_reports_one_error():
    with pytest.raises(ValidationError) as error:
        _location(postal_code="ABCDE").full_clean()
    assert [e.code for e in error.value.error_dict["postal_code"]] == ["invalid_zip"]


def _program_with_location(admin_client, **location):
    program = make_program(locations=0, name="Placed IOP")
    url = "/admin/iop/location/add/"
    data = {"program": program.pk, "street": "5 Elm Street", "city": "New York", "state": "NY",
            "postal_code": "10001", "latitude": "", "longitude": "", "note_en": "", **location}
    return program, admin_client.post(url, data, follow=True)


def test_admin_location_add_fills_coordinates_and_says_so(admin_client):
    program, response = _program_with_location(admin_client)
    assert response.status_code == 200
    location = program.locations.get()
    assert location.latitude is not None and location.longitude is not None
    assert "filled in from ZIP code 10001" in response.content.decode()


def test_admin_location_unknown_zip_is_form_error(admin_client):
    program, response = _program_with_location(admin_client, postal_code="00000")
    assert "We could not place ZIP code 00000" in response.content.decode()
    assert not program.locations.exists()


def test_admin_program_inline_location_fills_coordinates(admin_client):
    data = {
        "name": "Inline Placed IOP", "slug": "inline-placed-iop", "summary_en": "Evenings.",
        "accepting": "yes", "age_min": "18", "physician": "none",
        "levels": [str(LevelOfCare.objects.get(code="iop").pk)],
        "locations-TOTAL_FORMS": "1", "locations-INITIAL_FORMS": "0",
        "locations-0-street": "9 Oak Street", "locations-0-city": "New York",
        "locations-0-state": "NY", "locations-0-postal_code": "10001",
        "locations-0-latitude": "", "locations-0-longitude": "",
        "program_services-TOTAL_FORMS": "0", "program_services-INITIAL_FORMS": "0",
    }
    response = admin_client.post("/admin/iop/program/add/", data, follow=True)
    body = response.content.decode()
    assert "filled in from ZIP code 10001" in body
    assert Location.objects.get(program__slug="inline-placed-iop").latitude is not None


def test_check_lists_locations_without_coordinates():
    assert locations_without_coordinates(databases=["default"]) == []
    program = make_program(name="Lost Clinic", latitude=None, longitude=None, locations=2)
    warnings = locations_without_coordinates(databases=["default"])
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning.id == "iop.W001"
    assert warning.msg.startswith("2 location(s) have no latitude and longitude")
    assert "Lost Clinic" in warning.msg and "ZIP code" in warning.hint
    assert program.locations.count() == 2


def test_check_skipped_without_database():
    make_program(latitude=None, longitude=None)
    assert locations_without_coordinates(databases=None) == []


def test_check_registered_with_django():
    from django.core import checks

    make_program(latitude=None, longitude=None)
    found = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    assert any(message.id == "iop.W001" for message in found)


def test_app_configs_in_use_have_plain_names():
    """iop/apps.py holds several AppConfig classes: "iop" must still get IopConfig (its
    ready() connects the signals and registers the checks), the others their plain names."""
    from django.apps import apps

    from iop.apps import IopConfig

    assert type(apps.get_app_config("iop")) is IopConfig
    assert apps.get_app_config("axes").verbose_name == "Sign-in protection"
    assert apps.get_app_config("otp_totp").verbose_name == "Two-step sign-in"
    assert apps.get_app_config("auth").verbose_name == "Staff accounts"

"""Catalogue models: database constraints, validation and small behaviours."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from iop.models import CrisisResource, LevelOfCare, Location, Program, ProgramService, Service
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _create_program(**fields):
    defaults = {"name": "Constraint Program", "slug": "constraint-program", "summary": "S."}
    return Program.objects.create(**{**defaults, **fields})


def test_program_age_min_above_age_max_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _create_program(age_min=40, age_max=18)


def test_program_age_min_equal_age_max_allowed():
    program = _create_program(age_min=18, age_max=18)
    assert program.pk is not None


def test_program_open_age_max_allowed():
    assert _create_program(age_min=65, age_max=None).pk is not None


def test_program_hours_min_above_hours_max_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _create_program(hours_min=20, hours_max=9)


def test_program_hours_above_week_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _create_program(hours_max=200)


def test_program_zero_sessions_per_week_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _create_program(sessions_per_week=0)


def test_program_age_above_120_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _create_program(age_min=130)


def test_level_hours_min_above_hours_max_rejected_by_database():
    level = LevelOfCare.objects.get(code="iop")
    level.hours_min, level.hours_max = 30, 10
    with pytest.raises(IntegrityError), transaction.atomic():
        level.save()


def test_program_invalid_accepting_rejected_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        _create_program(accepting="maybe")


def test_program_duplicate_slug_rejected_by_database():
    _create_program(slug="same-slug")
    with pytest.raises(IntegrityError), transaction.atomic():
        _create_program(name="Another", slug="same-slug")


def test_program_service_duplicate_rejected_by_database():
    program = make_program(services=["cbt"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramService.objects.create(program=program, service=Service.objects.get(slug="cbt"))


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(91, 0), (-90.5, 0), (0, 181), (0, -180.1)],
)
def test_location_invalid_coordinates_rejected_by_database(latitude, longitude):
    program = make_program(locations=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(
            program=program, street="1 Main St", city="Albany", state="NY",
            postal_code="12207", latitude=latitude, longitude=longitude,
        )


def test_location_edge_coordinates_allowed():
    program = make_program(locations=0)
    location = Location.objects.create(
        program=program, street="1 Pole Rd", city="Nowhere", state="AK",
        postal_code="99999", latitude=-90, longitude=180,
    )
    assert location.pk is not None


@pytest.mark.parametrize("postal_code", ["1234", "ABCDE", "12345-6789", "1234a"])
def test_location_full_clean_bad_zip_reports_postal_code_error(postal_code):
    program = make_program(locations=0)
    location = Location(
        program=program, street="1 Main St", city="Albany", state="NY", postal_code=postal_code
    )
    with pytest.raises(ValidationError) as excinfo:
        location.full_clean()
    errors = excinfo.value.error_dict
    assert list(errors) == ["postal_code"]
    assert errors["postal_code"][0].code in {"invalid_zip", "max_length"}


def test_location_full_clean_good_zip_passes():
    program = make_program(locations=0)
    Location(
        program=program, street="1 Main St", city="Albany", state="NY", postal_code="12207"
    ).full_clean()


def test_location_full_clean_unknown_state_reports_state_error():
    program = make_program(locations=0)
    location = Location(
        program=program, street="1 Main St", city="Albany", state="XX", postal_code="12207"
    )
    with pytest.raises(ValidationError) as excinfo:
        location.full_clean()
    assert list(excinfo.value.error_dict) == ["state"]


def test_program_full_clean_age_min_above_age_max_reports_constraint():
    program = Program(name="P", slug="p", summary="S.", age_min=40, age_max=18)
    with pytest.raises(ValidationError) as excinfo:
        program.full_clean()
    assert "Minimum age must not be more than maximum age." in str(excinfo.value)


def test_needs_verification_includes_never_and_stale_excludes_recent():
    today = timezone.localdate()
    days = settings.VERIFY_AFTER_DAYS
    never = make_program(last_verified=None)
    stale = make_program(last_verified=today - timedelta(days=days + 1))
    boundary = make_program(last_verified=today - timedelta(days=days))
    recent = make_program(last_verified=today - timedelta(days=3))

    due = set(Program.objects.needs_verification())

    assert due == {never, stale}
    assert boundary not in due and recent not in due


def test_is_verification_due_matches_queryset():
    today = timezone.localdate()
    days = settings.VERIFY_AFTER_DAYS
    cases = {
        None: True,
        today - timedelta(days=days + 1): True,
        today - timedelta(days=days): False,
        today: False,
    }
    for last_verified, expected in cases.items():
        program = make_program(last_verified=last_verified)
        assert program.is_verification_due is expected, last_verified
        assert Program.objects.needs_verification().filter(pk=program.pk).exists() is expected


def test_published_queryset_excludes_unpublished():
    shown = make_program(is_published=True)
    make_program(is_published=False)
    assert list(Program.objects.published()) == [shown]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, []),
        ({"schedule_day": True}, ["Daytime"]),
        ({"schedule_evening": True, "schedule_weekend": True}, ["Evenings", "Weekends"]),
        (
            {"schedule_day": True, "schedule_evening": True, "schedule_weekend": True},
            ["Daytime", "Evenings", "Weekends"],
        ),
    ],
)
def test_schedule_labels_lists_flagged_times_in_order(flags, expected):
    program = Program(**flags)
    assert [str(label) for label in program.schedule_labels] == expected


def test_medications_lists_offered_medicines():
    program = Program(offers_buprenorphine=True, offers_naltrexone=True)
    assert [str(m) for m in program.medications] == ["buprenorphine", "naltrexone"]


def test_crisis_resource_href_uses_tel_for_call_and_sms_for_text():
    call = CrisisResource.objects.get(slug="988-call")
    text = CrisisResource.objects.get(slug="988-text")
    helpline = CrisisResource.objects.get(slug="samhsa-helpline")
    assert call.href == "tel:988"
    assert text.href == "sms:988"
    assert helpline.href == "tel:18006624357"


def test_program_absolute_url_uses_slug():
    program = make_program(slug="my-program")
    assert program.get_absolute_url() == "/programs/my-program/"


def test_level_absolute_url_uses_code():
    assert LevelOfCare.objects.get(code="php").get_absolute_url() == "/levels-of-care/php/"

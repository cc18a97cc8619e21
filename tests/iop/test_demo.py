"""The load_demo command: fictional, published, varied, and safe to run twice."""

import pytest
from django.core.management import call_command

from iop.models import Location, Program, ProgramService

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "programs": Program.objects.count(),
        "locations": Location.objects.count(),
        "services": ProgramService.objects.count(),
        "levels": Program.levels.through.objects.count(),
        "payments": Program.payment_options.through.objects.count(),
        "languages": Program.languages.through.objects.count(),
    }


@pytest.fixture
def demo():
    call_command("load_demo")
    return Program.objects.filter(is_demo=True)


def test_load_demo_twice_gives_same_counts(demo):
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_load_demo_twice_keeps_program_ids(demo):
    ids = set(demo.values_list("pk", flat=True))
    call_command("load_demo")
    assert set(Program.objects.values_list("pk", flat=True)) == ids


def test_load_demo_reports_created_then_unchanged(capsys):
    call_command("load_demo")
    count = Program.objects.count()
    assert f"{count} created, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("load_demo")
    assert f"0 created, 0 updated, {count} unchanged" in capsys.readouterr().out


def test_load_demo_again_writes_nothing(demo):
    """No new audit history, no new service rows, the public "updated" date kept."""
    history = Program.history.count()
    stamps = dict(demo.values_list("pk", "updated_at"))
    service_ids = set(ProgramService.objects.values_list("pk", flat=True))
    location_ids = set(Location.objects.values_list("pk", flat=True))
    call_command("load_demo")
    assert Program.history.count() == history
    assert dict(demo.values_list("pk", "updated_at")) == stamps
    assert set(ProgramService.objects.values_list("pk", flat=True)) == service_ids
    assert set(Location.objects.values_list("pk", flat=True)) == location_ids


def test_load_demo_restores_an_edited_demo_program(demo, capsys):
    program = demo.order_by("pk").first()
    original_summary = program.summary
    program.summary = "Changed by hand."
    program.save()
    program.program_services.first().delete()
    program.levels.clear()
    capsys.readouterr()
    call_command("load_demo")
    assert "0 created, 1 updated" in capsys.readouterr().out
    program.refresh_from_db()
    assert program.summary == original_summary
    assert program.levels.exists()


def test_load_demo_creates_at_least_15_programs(demo):
    assert demo.count() >= 15
    assert Program.objects.count() == demo.count()


def test_load_demo_programs_span_at_least_five_states(demo):
    states = set(Location.objects.filter(program__in=demo).values_list("state", flat=True))
    assert len(states) >= 5


def test_load_demo_programs_are_published_and_marked_demo(demo):
    assert not demo.filter(is_published=False).exists()
    assert all("(Demo)" in name for name in demo.values_list("name", flat=True))


def test_load_demo_every_program_has_location_level_and_service(demo):
    for program in demo:
        assert program.locations.exists(), program
        assert program.levels.exists(), program
        assert program.program_services.exists(), program


def test_load_demo_programs_vary_in_level_payment_language(demo):
    levels = set(demo.values_list("levels__code", flat=True))
    payments = set(demo.values_list("payment_options__slug", flat=True))
    languages = set(demo.values_list("languages__code", flat=True))
    assert {"outpatient", "iop", "php"} <= levels
    assert {"medicaid", "medicare", "private-insurance", "sliding-fee"} <= payments
    assert len(languages - {None}) >= 4 and "es" in languages


def test_load_demo_programs_vary_in_schedule_and_telehealth(demo):
    assert demo.filter(schedule_evening=True).exists()
    assert demo.filter(schedule_weekend=True).exists()
    assert demo.filter(telehealth=True).exists()
    assert demo.filter(telehealth=False).exists()


def test_load_demo_programs_use_fictional_contacts(demo):
    for program in demo:
        assert not program.website or ".example" in program.website, program.website
        assert not program.email or program.email.endswith(".example"), program.email


def test_load_demo_listing_page_shows_demo_badge(client, demo):
    response = client.get("/programs/")
    assert response.status_code == 200
    assert "Demo listing (fictional)" in response.content.decode()
    assert response.context["total"] == demo.count()


def test_demo_file_uses_model_field_names():
    """iop/data/demo_programs.json names Program's fields, and its related rows' fields."""
    from iop.demo import demo_programs

    entries = demo_programs()
    assert len(entries) >= 15
    program_fields = {field.name for field in Program._meta.get_fields()}
    location_fields = {field.name for field in Location._meta.get_fields()}
    for entry in entries:
        assert entry["model"] == "iop.program"
        assert set(entry) <= {"model", "fields", "program_services", "locations"}
        assert set(entry["fields"]) <= program_fields, entry["fields"]["slug"]
        assert "slug" in entry["fields"] and "name" in entry["fields"]
        assert "(Demo)" not in entry["fields"]["name"]  # the loader adds the mark
        for row in entry["program_services"]:
            assert set(row) <= {"service", "note", "note_es"}
        for row in entry["locations"]:
            assert set(row) <= location_fields


def test_load_demo_keeps_populations_only_and_telehealth_states(demo):
    assert demo.filter(populations_only=True).exists()
    assert demo.exclude(telehealth_states="").filter(telehealth=True).exists()

"""HSDS round trip and schedules: what our export says imports back unchanged (export → import
→ export gives the same services; importing again changes nothing), and schedules and
telehealth from other systems' HSDS (3.0 ``schedules``, HSDS 2 ``regular_schedules``) become
our session times."""

from datetime import date
from unittest import mock

import pytest

from hsds.export import build_export
from hsds.importer import import_tables
from iop.models import Accreditation, Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db

SITE = "https://navigator.example.org"
_ENTITY_IDS = {"id", "service_id", "location_id", "link_id", "service_at_location_id"}


def _without_ids(value):
    """An exported object without the ids made from our primary keys (a copy has others)."""
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items()
                if key not in _ENTITY_IDS and not (key == "url" and str(item).startswith(SITE))}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


@pytest.fixture
def originals(settings):
    settings.SITE_URL = SITE
    everything = make_program(
        name="Riverbend IOP", organisation="Riverbend Health", services=["cbt", "telehealth"],
        populations=["veterans", "women"], populations_only=True,
        payments=["medicaid", "sliding-fee"], languages=["en", "es"], levels=("iop", "php"),
        locations=2, schedule_day=True, schedule_evening=True, telehealth=True,
        telehealth_states="NY,NJ,CT", hours_min=9, hours_max=12, sessions_per_week=3,
        length_weeks=12, phone="555-0100", website="https://riverbend.example.org",
        email="intake@riverbend.example.org", accepting="waitlist",
        accepting_note="About two weeks", age_min=18, age_max=64,
        last_verified=date(2026, 10, 1), description="Line one.\n\nLine *two*.",
    )
    everything.accreditations.set(Accreditation.objects.filter(slug__in=["carf", "ncqa"]))
    make_program(  # no organisation, no website, not accepting, min hours only
        name="Hilltop Teens", age_min=12, age_max=17, accepting="no", schedule_weekend=True,
        hours_min=6, levels=("outpatient",))
    make_program(  # telehealth in the states of its locations; max hours only
        name="Lakeside Video IOP", organisation="Lakeside", telehealth=True, hours_max=10,
        accepting="waitlist", populations=["adults"], sessions_per_week=2, state="NJ",
        city="Newark", postal_code="07102", latitude=40.73, longitude=-74.17)
    make_program(name="Plain Program", organisation="Plain Org")  # says little
    return list(Program.objects.order_by("pk"))


def test_export_import_export_gives_the_same_services(originals):
    exported = build_export(Program.objects.filter(pk__in=[p.pk for p in originals]))
    report = import_tables(exported)
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (4, 0, 0)
    assert report.rejected == [] and not report.unmapped, report.lines()
    copies = Program.objects.filter(source="hsds").order_by("pk")
    again = build_export(copies)
    assert _without_ids(again["services"]) == _without_ids(exported["services"])
    assert _without_ids(again["organizations"]) == _without_ids(exported["organizations"])
    riverbend = copies.get(name="Riverbend IOP")
    assert (riverbend.schedule_day, riverbend.schedule_evening, riverbend.schedule_weekend) == (
        True, True, False)
    assert riverbend.telehealth and riverbend.telehealth_states == "CT,NJ,NY"
    assert (riverbend.hours_min, riverbend.hours_max, riverbend.sessions_per_week,
            riverbend.length_weeks) == (9, 12, 3, 12)
    assert (riverbend.accepting, riverbend.accepting_note) == ("waitlist", "About two weeks")
    assert riverbend.populations_only and riverbend.description == "Line one.\n\nLine *two*."
    hilltop = copies.get(name="Hilltop Teens")
    assert hilltop.organisation == "" and hilltop.website == ""  # not our page of it
    assert (hilltop.hours_min, hilltop.hours_max, hilltop.accepting) == (6, None, "no")
    assert hilltop.schedule_weekend and not hilltop.telehealth
    lakeside = copies.get(name="Lakeside Video IOP")
    assert lakeside.telehealth and lakeside.telehealth_states == ""  # its locations' states
    assert (lakeside.hours_min, lakeside.hours_max, lakeside.sessions_per_week) == (None, 10, 2)


def test_importing_the_export_again_changes_nothing(originals):
    exported = build_export(Program.objects.all())
    import_tables(exported)
    before = {p.pk: p.updated_at for p in Program.objects.filter(source="hsds")}
    with mock.patch("hsds.importer.catalogue_changed") as changed:
        report = import_tables(exported)
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 4)
    assert report.lines()[0] == "0 created, 0 updated, 4 unchanged, 0 rejected."
    assert {p.pk: p.updated_at for p in Program.objects.filter(source="hsds")} == before
    changed.assert_not_called()  # nothing written, nothing to invalidate


def test_an_import_that_writes_invalidates_the_catalogue_cache(originals):
    exported = build_export(Program.objects.all())
    with mock.patch("hsds.importer.catalogue_changed") as changed:
        import_tables(exported, dry_run=True)
    changed.assert_not_called()
    with mock.patch("hsds.importer.catalogue_changed") as changed:
        import_tables(exported)
    changed.assert_called_once_with()


def test_a_location_without_coordinates_is_placed_by_its_zip_and_stays_unchanged():
    make_program(name="Unplaced", latitude=None, longitude=None, postal_code="10001")
    exported = build_export(Program.objects.all())
    assert "latitude" not in exported["locations"][0]
    import_tables(exported)
    location = Program.objects.get(source="hsds").locations.get()
    assert location.latitude is not None and location.longitude is not None
    report = import_tables(exported)
    assert (len(report.updated), len(report.unchanged)) == (0, 1)


# --------------------------------------------------------------------------- other systems


def _service(n, **extra):
    return {"id": f"svc-{n}", "name": f"Service {n}", "status": "active", **extra}


def _imported(*services, **tables):
    report = import_tables({"services": list(services), **tables})
    assert not report.rejected, report.rejected
    return report, {p.source_id: p for p in Program.objects.filter(source="hsds")}


def _times(program):
    return {code for code in ("day", "evening", "weekend")
            if getattr(program, f"schedule_{code}")}


@pytest.mark.parametrize("schedule, expected", [
    ({"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "18:00", "closes_at": "21:00"},
     {"evening"}),
    ({"byday": "TU,TH", "opens_at": "09:00", "closes_at": "12:00"}, {"day"}),
    ({"byday": "MO,TU,WE,TH,FR", "opens_at": "09:00:00", "closes_at": "20:30:00"},
     {"day", "evening"}),
    ({"byday": "SA", "opens_at": "09:00", "closes_at": "12:00"}, {"weekend"}),
    ({"byday": "FR,SA", "opens_at": "17:30", "closes_at": "19:30"}, {"evening", "weekend"}),
    ({"byday": "1SU,-1SA"}, {"weekend"}),
    ({"opens_at": "16:00", "closes_at": "19:00"}, {"evening"}),  # every day
    ({"opens_at": "20:00", "closes_at": "01:00"}, {"evening"}),  # past midnight
    ({"description": "Evening groups and Saturday sessions"}, {"evening", "weekend"}),
    ({"description": "Daytime program"}, {"day"}),
    ({"byday": "MO"}, set()),  # a day but no times: not known
])
def test_hsds_3_schedules_become_session_times(schedule, expected):
    _report, programs = _imported(_service(1, schedules=[{"id": "s1", **schedule}]))
    assert _times(programs["svc-1"]) == expected


@pytest.mark.parametrize("weekday, opens, closes, expected", [
    (6, "10:00", "12:00", {"weekend"}), (1, "18:00", "21:00", {"evening"}),
    ("Monday", "09:00", "13:00", {"day"}), ("Tuesday", "09:00", "21:00", {"day", "evening"}),
    ("7", "14:00", "16:00", {"weekend"}), ("sunday", "19:00", "21:00", {"weekend"}),
])
def test_hsds_2_regular_schedules_become_session_times(weekday, opens, closes, expected):
    regular = {"id": "r1", "weekday": weekday, "opens_at": opens, "closes_at": closes}
    _report, programs = _imported(_service(1, regular_schedules=[regular]))
    assert _times(programs["svc-1"]) == expected


def test_schedules_from_tables_locations_and_links_all_count():
    location = {"id": "loc-1", "location_type": "physical",
                "addresss": [{"id": "a1", "address_1": "1 Main St", "city": "New York",
                              "state_province": "NY", "postal_code": "10001", "country": "US",
                              "address_type": "physical"}],
                "schedules": [{"id": "ls", "byday": "SA", "opens_at": "10:00"}]}
    tables = {
        "locations": [location],
        "service_at_locations": [{"id": "sal-1", "service_id": "svc-1", "location_id": "loc-1",
                                  "schedules": [{"id": "ss", "opens_at": "18:30"}]}],
        "schedules": [{"id": "ts", "service_id": "svc-1", "byday": "MO",
                       "opens_at": "09:00", "closes_at": "11:00"}],
        "regular_schedules": [{"id": "rs", "service_id": "svc-2", "weekday": 2,
                               "opens_at": "19:00"}],
    }
    _report, programs = _imported(_service(1), _service(2), **tables)
    assert _times(programs["svc-1"]) == {"day", "evening", "weekend"}
    assert programs["svc-1"].locations.get().city == "New York"
    assert _times(programs["svc-2"]) == {"evening"}


def test_telehealth_from_attending_type_virtual_locations_and_service_areas():
    online = _service(1, schedules=[{"id": "s", "attending_type": "Online only"}],
                      service_areas=[{"id": "a", "name": "New Jersey"},
                                     {"id": "b", "name": "Somewhere", "extent": "ny"},
                                     {"id": "c", "name": "Greater Boston"}])
    virtual = _service(2, service_at_locations=[
        {"id": "l", "location": {"id": "v", "location_type": "virtual"}}])
    in_person = _service(3, schedules=[{"id": "s3", "attending_type": "in person"}],
                         service_areas=[{"id": "d", "name": "New York"}])
    _report, programs = _imported(online, virtual, in_person)
    assert programs["svc-1"].telehealth and programs["svc-1"].telehealth_states == "NJ,NY"
    assert programs["svc-2"].telehealth and programs["svc-2"].telehealth_states == ""
    assert not programs["svc-3"].telehealth and programs["svc-3"].telehealth_states == ""


def test_schedule_words_that_say_nothing_we_know_are_reported():
    report, programs = _imported(_service(1, schedules=[{"id": "s", "description": "Call us"}]))
    assert _times(programs["svc-1"]) == set()
    assert report.unmapped[("schedule", "Call us")] == 1
    assert "  schedule: Call us — 1" in report.lines()


def test_hours_that_the_catalogue_would_refuse_are_left_out():
    schedule = {"id": "s", "description": "200 hours a week, 30 sessions a week",
                "notes": "Typical length: about 500 weeks."}
    _report, programs = _imported(_service(1, schedules=[schedule]))
    program = programs["svc-1"]
    assert (program.hours_min, program.hours_max, program.sessions_per_week,
            program.length_weeks) == (None, None, None, None)

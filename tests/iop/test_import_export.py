"""Programs as CSV/XLSX (django-import-export): round trip, per-row errors, admin preview."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iop.models import Location, Program
from iop.resources import ProgramResource
from tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    first = make_program(
        name="Riverbend IOP", slug="riverbend-iop", services=["cbt", "group-counselling"],
        populations=["veterans"],
        payments=["medicaid", "self-pay"], languages=["en", "es"], levels=("iop", "php"),
        locations=2, schedule_evening=True, offers_buprenorphine=True, phone="555-0100",
        website="https://riverbend.example.org", accepting="waitlist",
        accepting_note="About two weeks", description="Line one.\n\nLine *two*.",
    )
    second = make_program(name="Hilltop", latitude=None, longitude=None, age_max=17, age_min=12)
    return first, second


def _export(fmt="csv"):
    dataset = ProgramResource().export()
    return dataset, getattr(dataset, fmt)


def _import(data, fmt="csv", dry_run=False):
    dataset = tablib.Dataset().load(data, format=fmt)
    return ProgramResource().import_data(dataset, dry_run=dry_run)


def _state():
    return [
        (p.slug, p.name, p.accepting, p.accepting_note, p.description,
         sorted(p.levels.values_list("code", flat=True)),
         sorted(p.program_services.values_list("service__slug", flat=True)),
         sorted(p.languages.values_list("code", flat=True)),
         sorted((loc.street, loc.city, loc.state, loc.postal_code, loc.latitude, loc.longitude)
                for loc in p.locations.all()))
        for p in Program.objects.order_by("slug")
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(programs, fmt):
    before = _state()
    location_ids = sorted(Location.objects.values_list("pk", flat=True))
    dataset, data = _export(fmt)
    assert "locations" in dataset.headers and "services" in dataset.headers
    result = _import(data, fmt)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2
    assert result.totals["update"] == 0 and result.totals["new"] == 0
    assert _state() == before
    assert sorted(Location.objects.values_list("pk", flat=True)) == location_ids


def test_export_lists_codes_and_locations(programs):
    dataset, _data = _export()
    row = next(dict(zip(dataset.headers, r, strict=True))
               for r in dataset if r[0] == "riverbend-iop")
    assert row["levels"] == "iop,php"
    assert row["services"] == "cbt,group-counselling"
    assert row["languages"] == "en,es"
    lines = row["locations"].splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("100 Main Street | New York | NY | 10001 | 40.75 | -73.99")


def test_import_creates_and_updates_with_services_and_locations(programs):
    dataset, _data = _export()
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    riverbend = next(r for r in rows if r["slug"] == "riverbend-iop")
    riverbend["services"] = "dbt"
    riverbend["locations"] = "1 New Road | Albany | ny | 12207 | 42.65 | -73.75 | Side door"
    new = dict(riverbend, slug="brand-new", name="Brand New IOP",
               locations="9 Elm St | Troy | NY | 12180")
    out = tablib.Dataset(headers=dataset.headers)
    for row in (riverbend, new):
        out.append([row[h] for h in dataset.headers])
    result = _import(out.csv)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert result.totals["update"] == 1 and result.totals["new"] == 1
    program = Program.objects.get(slug="riverbend-iop")
    assert list(program.program_services.values_list("service__slug", flat=True)) == ["dbt"]
    location = program.locations.get()
    assert (location.city, location.state, location.note) == ("Albany", "NY", "Side door")
    created = Program.objects.get(slug="brand-new")
    assert created.locations.get().latitude is None
    assert sorted(created.levels.values_list("code", flat=True)) == ["iop", "php"]


def test_bad_rows_are_reported_per_row_and_nothing_is_saved(programs):
    dataset, _data = _export()
    headers = dataset.headers
    rows = [dict(zip(headers, row, strict=True)) for row in dataset]
    bad = dict(rows[0], slug="bad-one", levels="iop,nonsense", languages="xx",
               services="cbt,made-up", locations="only two | parts", accepting="maybe")
    out = tablib.Dataset(headers=headers)
    out.append([bad[h] for h in headers])
    result = _import(out.csv)
    assert result.has_validation_errors()
    errors = result.invalid_rows[0].error_dict
    assert "nonsense" in " ".join(errors["levels"])
    assert "xx" in " ".join(errors["languages"])
    assert "made-up" in " ".join(errors["services"])
    assert "Location 1" in " ".join(errors["locations"])
    assert "accepting" in errors
    assert not Program.objects.filter(slug="bad-one").exists()


def test_a_location_with_a_bad_state_or_zip_is_an_error():
    from iop.resources import LocationsWidget

    widget = LocationsWidget()
    with pytest.raises(ValueError, match="not a US state"):
        widget.clean("1 Main | Town | ZZ | 12345")
    with pytest.raises(ValueError, match="5 digits"):
        widget.clean("1 Main | Town | NY | 123")
    with pytest.raises(ValueError, match="latitude"):
        widget.clean("1 Main | Town | NY | 12345 | 95 | 10")
    assert widget.clean("") == ()


def _staff(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "boss", "boss@example.org", "pw-long-enough-1")
    client.force_login(user)
    return user


def test_admin_import_preview_shows_changes_then_confirm_saves(
        client, django_user_model, programs):
    _staff(client, django_user_model)
    changelist = client.get(reverse("admin:iop_program_changelist"))
    assert changelist.status_code == 200
    content = changelist.content.decode()
    assert reverse("admin:iop_program_import") in content
    assert reverse("admin:iop_program_export") in content
    assert reverse("admin:iop_program_import_samhsa") in content

    dataset, _data = _export()
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    rows[0]["name"] = rows[0]["name"] + " renamed"
    out = tablib.Dataset(headers=dataset.headers)
    for row in rows:
        out.append([row[h] for h in dataset.headers])
    upload = SimpleUploadedFile("programs.csv", out.csv.encode(), content_type="text/csv")
    preview = client.post(reverse("admin:iop_program_import"),
                          {"import_file": upload, "format": "0", "resource": "0"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "renamed" in html and "Confirm import" in html
    assert not Program.objects.filter(name__endswith="renamed").exists()  # preview saves nothing
    form = preview.context["confirm_form"]
    confirm = client.post(reverse("admin:iop_program_process_import"), {
        name: form.initial.get(name) for name in form.fields
    })
    assert confirm.status_code == 302
    assert Program.objects.filter(name__endswith="renamed").count() == 1


def test_admin_import_preview_lists_row_errors(client, django_user_model, programs):
    _staff(client, django_user_model)
    dataset, _data = _export()
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    rows[0]["levels"] = "not-a-level"
    out = tablib.Dataset(headers=dataset.headers)
    out.append([rows[0][h] for h in dataset.headers])
    upload = SimpleUploadedFile("programs.csv", out.csv.encode(), content_type="text/csv")
    preview = client.post(reverse("admin:iop_program_import"),
                          {"import_file": upload, "format": "0", "resource": "0"})
    assert preview.status_code == 200
    assert "Unknown level of care: not-a-level" in preview.content.decode()


def test_admin_import_of_garbage_is_a_message_not_a_500(client, django_user_model):
    _staff(client, django_user_model)
    upload = SimpleUploadedFile("programs.xlsx", b"\x00\x01 not a spreadsheet",
                                content_type="application/vnd.ms-excel")
    response = client.post(reverse("admin:iop_program_import"),
                           {"import_file": upload, "format": "1", "resource": "0"})
    assert response.status_code == 200


def test_admin_export_downloads_csv(client, django_user_model, programs):
    _staff(client, django_user_model)
    response = client.post(reverse("admin:iop_program_export"), {
        "format": "0", "resource": "0", **{
            f"programresource_{name}": "on" for name in ProgramResource().fields
        },
    })
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = io.StringIO(response.content.decode())
    assert "riverbend-iop" in body.read()

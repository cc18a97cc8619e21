"""`manage.py import_hsds`: an export of this site comes back as unpublished copies, once."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from hsds.export import build_export, write_zip
from hsds.importer import import_tables, read_tables
from iop.models import Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command("import_hsds", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def exported(tmp_path):
    make_program(
        name="Riverbend IOP", organisation="Riverbend Health", services=["cbt"],
        populations=["veterans"], payments=["medicaid"], languages=["es"], levels=("iop",),
        phone="555-0100", website="https://riverbend.example.org", age_min=16, age_max=64,
        last_verified="2026-10-01",
    )
    path = tmp_path / "export.zip"
    path.write_bytes(write_zip(build_export()))
    return path


def test_import_of_an_export_creates_unpublished_programs_with_the_same_facts(exported):
    output = _run(str(exported))
    assert "1 created, 0 updated, 0 unchanged, 0 rejected." in output
    copy = Program.objects.get(source="hsds")
    assert not copy.is_published
    assert (copy.name, copy.organisation, copy.phone) == (
        "Riverbend IOP", "Riverbend Health", "555-0100")
    assert (copy.age_min, copy.age_max) == (16, 64)
    assert str(copy.last_verified) == "2026-10-01"
    assert list(copy.levels.values_list("code", flat=True)) == ["iop"]
    assert list(copy.program_services.values_list("service__slug", flat=True)) == ["cbt"]
    assert list(copy.populations.values_list("slug", flat=True)) == ["veterans"]
    assert list(copy.languages.values_list("code", flat=True)) == ["es"]
    assert list(copy.payment_options.values_list("slug", flat=True)) == ["medicaid"]
    location = copy.locations.get()
    assert (location.city, location.state, location.postal_code) == ("New York", "NY", "10001")


def test_reimport_of_the_same_file_changes_nothing(exported):
    _run(str(exported))
    copy = Program.objects.get(source="hsds")
    output = _run(str(exported))
    assert "0 created, 0 updated, 1 unchanged, 0 rejected." in output
    assert Program.objects.filter(source="hsds").count() == 1
    again = Program.objects.get(source="hsds")
    assert again.updated_at == copy.updated_at  # not even saved
    assert list(again.locations.values_list("pk", flat=True)) == list(
        copy.locations.values_list("pk", flat=True))


def test_reimport_of_a_changed_file_updates_in_place_and_keeps_locations(exported):
    _run(str(exported))
    copy = Program.objects.get(source="hsds")
    location_ids = list(copy.locations.values_list("pk", flat=True))
    tables = read_tables(exported)
    tables["services"][0]["phones"][0]["number"] = "555-0199"
    report = import_tables(tables)
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 1, 0)
    assert report.lines()[0] == "0 created, 1 updated, 0 unchanged, 0 rejected."
    copy.refresh_from_db()
    assert copy.phone == "555-0199"
    assert list(copy.locations.values_list("pk", flat=True)) == location_ids


def test_folder_and_single_file(exported, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    with zipfile.ZipFile(exported) as archive:
        archive.extractall(folder)
    assert "1 created, 0 updated, 0 unchanged" in _run(str(folder), "--dry-run")
    assert not Program.objects.filter(source="hsds").exists()
    assert "1 created" in _run(str(folder / "services.json"))


def test_invalid_services_are_rejected_with_reasons(exported):
    tables = read_tables(exported)
    tables["services"].append({"id": "broken", "name": "No status"})
    tables["services"].append("not an object")
    report = import_tables(tables)
    reasons = dict(report.rejected)
    assert "status" in reasons["broken"]
    assert "#3" in reasons
    assert len(report.created) == 1


@pytest.mark.parametrize("content, message", [
    (b"{oops", "not valid JSON"),
    (b"PK\x03\x04broken", "zip"),
])
def test_bad_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.zip"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run(str(path))


def test_zip_without_services_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("organizations.json", json.dumps([]))
    with pytest.raises(CommandError, match="No services.json"):
        _run(str(path))


def test_missing_path(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run(str(tmp_path / "nope.json"))

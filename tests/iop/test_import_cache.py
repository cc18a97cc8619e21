"""Every importer (import_samhsa and its admin upload, import_hsds, the admin CSV/XLSX
import) invalidates the catalogue page cache when it writes: a public page, fetched by a
visitor without a session cookie and cached before the import, shows the imported change
right after it."""

import io
import json
from unittest import mock

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hsds.export import build_export, dumps
from iop.models import Program
from iop.resources import ProgramResource
from iop.samhsa import SAMPLE_FILE, import_rows, read_file
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _cached_page(client, url) -> str:
    """The page as a visitor sees it, stored in the page cache (a second look costs no
    query)."""
    first = client.get(url)
    assert first.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries.captured_queries) == 0 and second.content == first.content, url
    return first.content.decode()


def _samhsa_rows():
    return read_file(SAMPLE_FILE.read_bytes())


# --------------------------------------------------------------------------- import_samhsa


def test_samhsa_reimport_shows_on_the_public_pages_at_once(client, tmp_path):
    import_rows(_samhsa_rows())
    maple = Program.objects.get(name__startswith="Maple Ridge")
    maple.is_published = True  # staff publish it
    maple.save()
    detail = f"/programs/{maple.slug}/"
    assert "217-555-0101" in _cached_page(client, detail)
    assert "Maple Ridge" in _cached_page(client, "/programs/")
    api_url = f"/api/hsds/services?full=true&search={maple.slug[:5]}"
    assert "217-555-0101" in _cached_page(client, api_url)

    rows = _samhsa_rows()
    rows[0]["phone"] = "217-555-0199"  # name and address make the facility's id: kept
    rows[0]["website"] = "https://maple-ridge-recovery.example.org"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps({"rows": rows}))
    out = io.StringIO()
    call_command("import_samhsa", str(path), stdout=out)
    assert "0 created, 1 updated, 4 unchanged" in out.getvalue()

    page = client.get(detail).content.decode()
    assert "217-555-0199" in page and "217-555-0101" not in page
    assert "maple-ridge-recovery.example.org" in page
    assert "217-555-0199" in client.get(api_url).content.decode()


def test_samhsa_admin_upload_shows_on_the_public_pages_at_once(admin_client, client):
    import_rows(_samhsa_rows())
    maple = Program.objects.get(name__startswith="Maple Ridge")
    maple.is_published = True
    maple.save()
    detail = f"/programs/{maple.slug}/"
    assert "217-555-0101" in _cached_page(client, detail)
    rows = _samhsa_rows()
    rows[0]["phone"] = "217-555-0177"
    upload = SimpleUploadedFile("changed.json", json.dumps({"rows": rows}).encode(),
                                "application/json")
    done = admin_client.post(reverse("admin:iop_program_import_samhsa"), {"file": upload})
    assert done.status_code == 200
    assert "217-555-0177" in client.get(detail).content.decode()


def test_samhsa_import_calls_catalogue_changed_only_when_it_writes():
    with mock.patch("iop.samhsa.catalogue_changed") as changed:
        import_rows(_samhsa_rows(), dry_run=True)
    changed.assert_not_called()
    with mock.patch("iop.samhsa.catalogue_changed") as changed:
        import_rows(_samhsa_rows())
    changed.assert_called_once_with()
    with mock.patch("iop.samhsa.catalogue_changed") as changed:
        report = import_rows(_samhsa_rows())
    assert not report.created and not report.updated
    changed.assert_not_called()  # nothing written


# --------------------------------------------------------------------------- import_hsds


def test_hsds_reimport_shows_on_the_public_pages_at_once(client, tmp_path):
    make_program(name="Riverbend IOP", organisation="Riverbend Health", phone="555-0100",
                 is_published=False)
    exported = build_export(Program.objects.all())
    folder = tmp_path / "export"
    folder.mkdir()
    for name, rows in exported.items():
        (folder / f"{name}.json").write_text(dumps(rows), encoding="utf-8")
    call_command("import_hsds", str(folder), stdout=io.StringIO())
    copy = Program.objects.get(source="hsds")
    copy.is_published = True
    copy.save()
    detail = f"/programs/{copy.slug}/"
    assert "555-0100" in _cached_page(client, detail)
    assert "555-0100" in _cached_page(client, "/api/hsds/services?full=true")

    exported["services"][0]["phones"][0]["number"] = "555-0142"
    exported["services"][0]["schedules"] = [{"id": "s", "byday": "SA", "opens_at": "10:00"}]
    (folder / "services.json").write_text(dumps(exported["services"]), encoding="utf-8")
    (folder / "schedules.json").write_text("[]", encoding="utf-8")
    out = io.StringIO()
    call_command("import_hsds", str(folder), stdout=out)
    assert "0 created, 1 updated, 0 unchanged, 0 rejected." in out.getvalue()

    page = client.get(detail).content.decode()
    assert "555-0142" in page and "555-0100" not in page
    assert "555-0142" in client.get("/api/hsds/services?full=true").content.decode()
    assert client.get("/programs/?schedule=weekend").content.decode().count(copy.name) >= 1


# --------------------------------------------------------------------------- admin CSV/XLSX


def _confirmed_csv_import(admin_client, dataset):
    upload = SimpleUploadedFile("programs.csv", dataset.csv.encode(), content_type="text/csv")
    preview = admin_client.post(reverse("admin:iop_program_import"),
                                {"import_file": upload, "format": "0", "resource": "0"})
    assert preview.status_code == 200 and "confirm_form" in preview.context, (
        preview.content.decode()[:2000])
    form = preview.context["confirm_form"]
    confirm = admin_client.post(reverse("admin:iop_program_process_import"), {
        name: form.initial.get(name) for name in form.fields})
    assert confirm.status_code == 302


def test_admin_csv_import_shows_on_the_public_pages_at_once(admin_client, client):
    program = make_program(name="Riverbend IOP", slug="riverbend-iop", phone="555-0100")
    detail = f"/programs/{program.slug}/"
    assert "555-0100" in _cached_page(client, detail)
    assert "Riverbend IOP" in _cached_page(client, "/programs/")
    dataset = ProgramResource().export()
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    rows[0]["name"] = "Riverbend Evening IOP"
    rows[0]["phone"] = "555-0163"
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([rows[0][h] for h in dataset.headers])
    _confirmed_csv_import(admin_client, changed)
    page = client.get(detail).content.decode()
    assert "Riverbend Evening IOP" in page and "555-0163" in page
    assert "Riverbend Evening IOP" in client.get("/programs/").content.decode()


def test_resource_import_calls_catalogue_changed_only_when_it_writes():
    make_program(name="Riverbend IOP", slug="riverbend-iop")
    dataset = ProgramResource().export()
    with mock.patch("iop.resources.catalogue_changed") as changed:
        ProgramResource().import_data(dataset)  # every row unchanged (skipped)
    changed.assert_not_called()
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    rows[0]["name"] = "Renamed"
    renamed = tablib.Dataset(headers=dataset.headers)
    renamed.append([rows[0][h] for h in dataset.headers])
    with mock.patch("iop.resources.catalogue_changed") as changed:
        ProgramResource().import_data(renamed, dry_run=True)
    changed.assert_not_called()
    with mock.patch("iop.resources.catalogue_changed") as changed:
        result = ProgramResource().import_data(renamed)
    assert not result.has_errors()
    changed.assert_called_once_with()
    assert Program.objects.get(slug="riverbend-iop").name == "Renamed"

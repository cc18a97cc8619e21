"""`manage.py import_samhsa FILE` and the admin upload page, on the shipped sample file."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from iop.models import Program
from iop.samhsa import SAMPLE_FILE, import_rows, read_file

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("import_samhsa", *args, stdout=out)
    return out.getvalue()


def test_sample_imports_unpublished_programs_mapped_onto_our_vocabulary():
    output = _run(str(SAMPLE_FILE))
    assert "5 created, 0 updated, 0 unchanged, 1 rejected." in output
    assert "Row 6: rejected" in output and "ZZ" in output
    assert Program.objects.filter(source="samhsa").count() == 5
    assert not Program.objects.filter(source="samhsa", is_published=True).exists()

    maple = Program.objects.get(name__startswith="Maple Ridge")
    assert maple.organisation == "Maple Ridge Recovery Center"
    assert set(maple.levels.values_list("code", flat=True)) == {"outpatient", "iop"}
    assert set(maple.payment_options.values_list("slug", flat=True)) == {
        "self-pay", "medicaid", "medicare", "private-insurance", "sliding-fee"}
    assert set(maple.populations.values_list("slug", flat=True)) >= {
        "veterans", "women", "co-occurring", "deaf-hard-of-hearing", "adults", "older-adults"}
    assert set(maple.languages.values_list("code", flat=True)) == {"es", "ase"}
    services = set(maple.program_services.values_list("service__slug", flat=True))
    assert {"cbt", "motivational-interviewing", "relapse-prevention", "group-counselling",
            "trauma-informed-care", "medication-assisted-treatment", "telehealth"} <= services
    assert maple.offers_buprenorphine and maple.offers_naltrexone and not maple.offers_methadone
    assert maple.telehealth and maple.state_licensed
    assert list(maple.accreditations.values_list("slug", flat=True)) == ["carf"]
    location = maple.locations.get()
    assert (location.street, location.postal_code) == ("410 Orchard Lane, Suite 200", "62701")
    assert location.latitude == pytest.approx(39.799)

    harbor = Program.objects.get(name="Harbor Light Health Services")
    assert set(harbor.levels.values_list("code", flat=True)) == {
        "residential", "withdrawal_management", "php"}
    assert harbor.offers_methadone and harbor.offers_buprenorphine
    assert harbor.website == "https://harbor-light.example.com"

    teens = Program.objects.get(name__startswith="Cedar Valley")
    assert (teens.age_min, teens.age_max) == (12, 17)
    desert = Program.objects.get(name="Desert Bloom Counseling")
    assert desert.locations.get().postal_code == "85701"  # no coordinates in the file


def test_what_did_not_map_is_reported():
    output = _run(str(SAMPLE_FILE), "--json")
    report = json.loads(output)
    unmapped = {(item["code"], item["value"]) for item in report["unmapped"]}
    assert ("OL", "Somali") in unmapped
    assert ("PHR", "Lofexidine") in unmapped
    assert ("SG", "Clients with HIV or AIDS") in unmapped
    assert any(name.startswith("FOP") for name in report["skipped_categories"])
    assert report["rejected"][0]["row"] == 6


def test_reimport_matches_and_adds_no_copies_and_keeps_staff_choices():
    _run(str(SAMPLE_FILE))
    maple = Program.objects.get(name__startswith="Maple Ridge")
    maple.is_published = True
    maple.summary = "Checked by staff."
    maple.save()
    output = _run(str(SAMPLE_FILE))
    assert "0 created, 0 updated, 5 unchanged" in output
    assert Program.objects.filter(source="samhsa").count() == 5

    rows = read_file(SAMPLE_FILE.read_bytes())
    rows[0]["phone"] = "217-555-0199"
    report = import_rows(rows)
    assert len(report.updated) == 1 and not report.created
    maple.refresh_from_db()
    assert maple.phone == "217-555-0199"
    assert maple.is_published and maple.summary == "Checked by staff."


def test_dry_run_saves_nothing():
    output = _run(str(SAMPLE_FILE), "--dry-run")
    assert "Dry run" in output and "5 created" in output
    assert not Program.objects.filter(source="samhsa").exists()


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not valid JSON"),
    (b'{"rows": "nope"}', 'no "rows" list'),
    (b"\xff\xfe\x00", "not valid JSON"),
])
def test_bad_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run(str(path))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run(str(tmp_path / "missing.json"))


def test_wrong_types_reject_the_row_not_the_file():
    rows = [
        "a string",
        {"name1": ["list"], "street1": "1 A St", "city": "X", "state": "NY", "zip": "10001"},
        {"name1": "Ok", "street1": "1 A St", "city": "X", "state": "NY", "zip": "10001",
         "latitude": "north", "longitude": "-73"},
        {"name1": "Fine <b>bold</b>", "street1": "1 A St", "city": "X", "state": "NY",
         "zip": "10001", "services": "not a list", "website": "not a url at all"},
    ]
    report = import_rows(rows)
    assert [n for n, _r in report.rejected] == [1, 2, 3]
    assert len(report.created) == 1
    program = Program.objects.get(source="samhsa")
    assert program.name == "Fine <b>bold</b>"  # kept as text; templates escape it
    assert program.website == ""


def _staff(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "boss", "boss@example.org", "pw-long-enough-1")
    client.force_login(user)


def test_admin_upload_checks_then_imports(client, django_user_model):
    _staff(client, django_user_model)
    url = reverse("admin:iop_program_import_samhsa")
    page = client.get(url)
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    upload = SimpleUploadedFile("sample.json", SAMPLE_FILE.read_bytes(), "application/json")
    checked = client.post(url, {"file": upload, "dry_run": "on"})
    html = checked.content.decode()
    assert checked.status_code == 200
    assert "nothing saved yet" in html and "Somali" in html and "Row 6" in html
    assert not Program.objects.filter(source="samhsa").exists()
    upload = SimpleUploadedFile("sample.json", SAMPLE_FILE.read_bytes(), "application/json")
    done = client.post(url, {"file": upload})
    assert done.status_code == 200
    assert Program.objects.filter(source="samhsa", is_published=False).count() == 5


def test_admin_upload_refuses_bad_and_large_files(client, django_user_model, settings):
    _staff(client, django_user_model)
    url = reverse("admin:iop_program_import_samhsa")
    bad = client.post(url, {"file": SimpleUploadedFile("x.json", b"[1, 2", "application/json")})
    assert bad.status_code == 200 and "not valid JSON" in bad.content.decode()
    settings.SAMHSA_UPLOAD_MAX_BYTES = 100
    big = client.post(url, {"file": SimpleUploadedFile("x.json", b" " * 200, "application/json")})
    assert big.status_code == 200 and "the limit is" in big.content.decode()


def test_admin_upload_is_staff_only_and_csrf_protected(client, django_user_model):
    url = reverse("admin:iop_program_import_samhsa")
    assert client.get(url).status_code == 302  # to the sign-in page
    user = django_user_model.objects.create_user("clerk", password="pw-long-enough-1",
                                                 is_staff=True)
    client.force_login(user)
    assert client.get(url).status_code == 403  # staff without permission on programs
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    _staff(strict, django_user_model)
    upload = SimpleUploadedFile("sample.json", SAMPLE_FILE.read_bytes(), "application/json")
    assert strict.post(url, {"file": upload}).status_code == 403

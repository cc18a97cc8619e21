"""Report a problem with a listing: the public form, its limits, and staff resolving it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.models import NOTE_MAX_LENGTH, ListingReport
from reports.services import note_clean, report_create, report_resolve
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _url(program):
    return f"/programs/{program.slug}/report/"


def test_program_page_links_to_report_form(client):
    program = make_program()
    body = client.get(program.get_absolute_url()).content.decode()
    assert f'href="{_url(program)}"' in body
    assert "Report a problem with this listing" in body


def test_report_form_page_is_accessible_markup(client):
    program = make_program(name="Harbor Light IOP")
    response = client.get(_url(program))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<fieldset" in body and "<legend" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert "Harbor Light IOP" in body
    assert "do not write your name" in body
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response[
        "Cache-Control"]


def test_report_post_stores_report_and_thanks(client):
    program = make_program()
    response = client.post(_url(program), {"kind": "phone", "note": "  The number is 555-0101. "})
    assert response.status_code == 302
    assert response["Location"] == f"/programs/{program.slug}/report/sent/"
    report = ListingReport.objects.get()
    assert (report.program, report.kind) == (program, "phone")
    assert report.note == "The number is 555-0101."
    assert report.status == "open" and report.resolution == ""
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your report" in thanks.content.decode()


def test_report_without_kind_shows_error_summary_and_keeps_note(client):
    program = make_program()
    response = client.post(_url(program), {"note": "It moved to Elm Street"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_kind_0"' in body
    assert "Choose what is wrong with this listing." in body
    assert "It moved to Elm Street" in body
    assert response.context["form"].errors.as_data()["kind"][0].code == "required"
    assert not ListingReport.objects.exists()


def test_report_unknown_kind_is_form_error(client):
    program = make_program()
    response = client.post(_url(program), {"kind": "hacked"})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["kind"][0].code == "invalid_choice"


def test_report_note_too_long_is_form_error(client):
    program = make_program()
    response = client.post(_url(program), {"kind": "other", "note": "x" * (NOTE_MAX_LENGTH + 1)})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["note"][0].code == "max_length"
    assert not ListingReport.objects.exists()


def test_note_clean_strips_control_characters_and_blank_runs():
    assert note_clean("a\x00b\x1b\r\n\r\n\r\n\r\nc  ") == "ab\n\nc"
    assert len(note_clean("y" * 2000)) == NOTE_MAX_LENGTH


def test_report_unpublished_or_unknown_program_is_404(client):
    draft = make_program(is_published=False)
    assert client.get(_url(draft)).status_code == 404
    assert client.post(_url(draft), {"kind": "phone"}).status_code == 404
    assert client.get("/programs/no-such-program/report/").status_code == 404
    assert not ListingReport.objects.exists()


def test_report_needs_csrf_token():
    program = make_program()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_url(program), {"kind": "phone"})
    assert response.status_code == 403
    assert not ListingReport.objects.exists()


def test_report_other_methods_refused(client):
    program = make_program()
    assert client.put(_url(program)).status_code == 405
    assert client.post(f"/programs/{program.slug}/report/sent/").status_code == 405


@override_settings(REPORTS_PER_HOUR=3)
def test_report_rate_limited_per_client_without_storing_address(client):
    program = make_program()
    for _ in range(3):
        assert client.post(_url(program), {"kind": "closed"}).status_code == 302
    response = client.post(_url(program), {"kind": "closed", "note": "Still closed"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "try again in an hour" in body
    assert "Still closed" in body  # what was typed is kept
    assert ListingReport.objects.count() == 3
    # Another address is not limited.
    other = client.post(_url(program), {"kind": "closed"}, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302
    # Nothing about the client is stored with a report.
    fields = {field.name for field in ListingReport._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "address", "session", "user_agent"}
    from django.core.cache import cache

    keys = list(cache._cache.keys())  # locmem: the addresses never appear in cache keys
    assert keys and not any("127.0.0.1" in key or "10.9.8.7" in key for key in keys)


FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.one_of(
    st.sampled_from(["", "phone", "other", "\x00", "<script>alert(1)</script>", "a" * 5000,
                     "' OR 1=1 --", "😀" * 300]),
    st.text(max_size=700),
)


@FUZZ
@given(kind=TEXT, note=TEXT, extra=st.dictionaries(st.text(max_size=10), TEXT, max_size=3))
def test_report_form_fuzz_never_500(kind, note, extra):
    from django.core.cache import cache

    cache.clear()  # keep the rate limit out of the way
    program = make_program()
    response = Client().post(_url(program), {**extra, "kind": kind, "note": note})
    assert response.status_code in {200, 302}
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    for report in ListingReport.objects.all():
        assert len(report.note) <= NOTE_MAX_LENGTH and "\x00" not in report.note


# ---------------------------------------------------------------- staff


def test_resolve_checked_updates_last_verified_and_history():
    program = make_program(last_verified=timezone.localdate() - timedelta(days=400))
    report = report_create(program=program, kind="phone")
    staff = User.objects.create_user("checker", is_staff=True)
    assert report_resolve(report=report, resolution="checked", user=staff)
    report.refresh_from_db()
    program.refresh_from_db()
    assert (report.status, report.resolution, report.resolved_by) == ("resolved", "checked", staff)
    assert report.resolved_at is not None
    assert program.last_verified == timezone.localdate()
    assert program.history.first().last_verified == timezone.localdate()
    assert report.history.count() == 2
    # Resolving again changes nothing.
    assert not report_resolve(report=report, resolution="no_change", user=staff)


def test_resolve_no_change_keeps_last_verified():
    old = timezone.localdate() - timedelta(days=400)
    program = make_program(last_verified=old)
    report = report_create(program=program, kind="other")
    report_resolve(report=report, resolution="no_change")
    program.refresh_from_db()
    assert program.last_verified == old


def test_admin_lists_open_reports_first(admin_client):
    program = make_program(name="Open Door IOP")
    report_create(program=program, kind="closed", note="Sign says closed")
    resolved = report_create(program=program, kind="phone", note="Fixed one")
    report_resolve(report=resolved, resolution="no_change")
    response = admin_client.get("/admin/reports/listingreport/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sign says closed" in body and "Fixed one" not in body
    assert "The program has closed" in body  # the kind in words, not "closed"
    every = admin_client.get("/admin/reports/listingreport/", {"status": "all"}).content.decode()
    assert "Fixed one" in every


def test_admin_action_resolve_checked(admin_client):
    program = make_program(last_verified=None)
    report = report_create(program=program, kind="not_accepting")
    response = admin_client.post("/admin/reports/listingreport/", {
        "action": "resolve_checked", "_selected_action": [report.pk],
    }, follow=True)
    assert "1 report resolved" in response.content.decode()
    report.refresh_from_db()
    program.refresh_from_db()
    assert report.resolution == "checked" and report.resolved_by.username == "admin"
    assert program.last_verified == timezone.localdate()


def test_admin_change_form_resolves_with_field(admin_client):
    program = make_program(last_verified=None)
    report = report_create(program=program, kind="address", note="Moved")
    url = f"/admin/reports/listingreport/{report.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "Moved" in page.content.decode()
    response = admin_client.post(url, {"resolution": "checked", "staff_note": "Called them"})
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    program.refresh_from_db()
    assert (report.status, report.staff_note) == ("resolved", "Called them")
    assert program.last_verified == timezone.localdate()
    # Resolved reports keep their resolution; the note can still be edited.
    assert admin_client.post(url, {"staff_note": "Called twice"}).status_code == 302
    report.refresh_from_db()
    assert (report.resolution, report.staff_note) == ("checked", "Called twice")


def test_admin_change_form_saves_staff_note_without_resolving(admin_client):
    report = report_create(program=make_program(), kind="other")
    url = f"/admin/reports/listingreport/{report.pk}/change/"
    response = admin_client.post(url, {"resolution": "", "staff_note": "Left a message"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.staff_note) == ("open", "Left a message")


def test_admin_cannot_add_reports(admin_client):
    assert admin_client.get("/admin/reports/listingreport/add/").status_code == 403


def test_content_editor_can_resolve_reports():
    editor = User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editor"))
    report = report_create(program=make_program(), kind="phone")
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/reports/listingreport/").status_code == 200
    response = client.post("/admin/reports/listingreport/", {
        "action": "resolve_no_change", "_selected_action": [report.pk],
    })
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolution == "no_change"

"""Staff editing in the admin: pages load, inline editing, actions and filters."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from iop.models import (
    CrisisResource,
    Language,
    LevelOfCare,
    PaymentOption,
    Program,
    Service,
)
from tests.factories import make_program

pytestmark = pytest.mark.django_db

MODELS = [
    "program", "levelofcare", "service", "population", "paymentoption", "accreditation",
    "language", "location", "crisisresource",
]


def _inline_management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _program_form(**overrides):
    data = {
        "name": "Riverbend IOP",
        "slug": "riverbend-iop",
        "organisation": "Riverbend Health",
        "summary_en": "Evening IOP by the river.",
        "description_en": "",
        "is_published": "on",
        "accepting": "yes",
        "accepting_note_en": "",
        "last_verified": "",
        "levels": [str(LevelOfCare.objects.get(code="iop").pk)],
        "hours_min": "9",
        "hours_max": "12",
        "sessions_per_week": "3",
        "length_weeks": "",
        "schedule_evening": "on",
        "age_min": "18",
        "age_max": "",
        "languages": [str(Language.objects.get(code="es").pk)],
        "payment_options": [str(PaymentOption.objects.get(slug="medicaid").pk)],
        "phone": "555-0100",
        "email": "",
        "website": "",
        "physician": "none",
    }
    # Translated fields are edited as their English column (iop/translation.py).
    data.update({f"{key}_en" if f"{key}_en" in data else key: value
                 for key, value in overrides.items()})
    return data


def test_admin_changelists_load_for_superuser(admin_client):
    make_program(services=["cbt"])  # something in every list
    for model in MODELS:
        response = admin_client.get(f"/admin/iop/{model}/")
        assert response.status_code == 200, model


def test_admin_changelist_search_and_filters_load(admin_client):
    make_program(name="Searchable Place", city="Buffalo", state="NY")
    response = admin_client.get(
        "/admin/iop/program/", {"q": "buffalo", "state": "NY", "is_published__exact": "1"}
    )
    assert response.status_code == 200
    assert [p.name for p in response.context["cl"].result_list] == ["Searchable Place"]


def test_admin_change_pages_load(admin_client):
    program = make_program(services=["cbt"], locations=2)
    urls = [
        f"/admin/iop/program/{program.pk}/change/",
        "/admin/iop/program/add/",
        f"/admin/iop/levelofcare/{LevelOfCare.objects.get(code='iop').pk}/change/",
        f"/admin/iop/service/{Service.objects.get(slug='cbt').pk}/change/",
        f"/admin/iop/location/{program.locations.first().pk}/change/",
        f"/admin/iop/crisisresource/{CrisisResource.objects.first().pk}/change/",
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_admin_add_program_with_inline_location_and_service(admin_client):
    cbt = Service.objects.get(slug="cbt")
    data = _program_form()
    data.update(_inline_management("locations", 1))
    data.update({
        "locations-0-street": "12 River Road",
        "locations-0-city": "Troy",
        "locations-0-state": "NY",
        "locations-0-postal_code": "12180",
        "locations-0-latitude": "42.73",
        "locations-0-longitude": "-73.69",
        "locations-0-note_en": "",
    })
    data.update(_inline_management("program_services", 1))
    data.update({"program_services-0-service": str(cbt.pk), "program_services-0-note_en": "Weekly"})

    response = admin_client.post("/admin/iop/program/add/", data)

    assert response.status_code == 302
    program = Program.objects.get(slug="riverbend-iop")
    assert program.is_published
    assert [str(location) for location in program.locations.all()] == [
        "12 River Road, Troy, NY 12180"
    ]
    assert [(ps.service.slug, ps.note) for ps in program.program_services.all()] == [
        ("cbt", "Weekly")
    ]
    assert list(program.levels.values_list("code", flat=True)) == ["iop"]
    assert list(program.languages.values_list("code", flat=True)) == ["es"]
    # And it is public now.
    assert admin_client.get("/programs/riverbend-iop/").status_code == 200


def test_admin_add_program_bad_zip_shows_error_and_creates_nothing(admin_client):
    data = _program_form()
    data.update(_inline_management("locations", 1))
    data.update({
        "locations-0-street": "12 River Road", "locations-0-city": "Troy",
        "locations-0-state": "NY", "locations-0-postal_code": "ABCDE",
    })
    data.update(_inline_management("program_services", 0))
    response = admin_client.post("/admin/iop/program/add/", data)
    assert response.status_code == 200
    assert "Enter a 5-digit US ZIP code" in response.content.decode()
    assert not Program.objects.filter(slug="riverbend-iop").exists()


def test_admin_add_program_age_range_reversed_shows_error(admin_client):
    data = _program_form(age_min="40", age_max="18")
    data.update(_inline_management("locations", 0))
    data.update(_inline_management("program_services", 0))
    response = admin_client.post("/admin/iop/program/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Program.objects.filter(slug="riverbend-iop").exists()


def test_admin_add_program_website_without_scheme_gets_https(admin_client):
    data = _program_form(website="riverbend.example")
    data.update(_inline_management("locations", 0))
    data.update(_inline_management("program_services", 0))
    assert admin_client.post("/admin/iop/program/add/", data).status_code == 302
    assert Program.objects.get(slug="riverbend-iop").website == "https://riverbend.example"


def test_admin_edit_program_summary(admin_client):
    program = make_program(
        name="Riverbend IOP", slug="riverbend-iop", services=["cbt"], locations=1,
        languages=["es"], payments=["medicaid"],
    )
    location = program.locations.get()
    program_service = program.program_services.get()
    data = _program_form(summary="A new, clearer summary.")
    data.update(_inline_management("locations", 1, initial=1))
    data.update({
        "locations-0-id": str(location.pk), "locations-0-program": str(program.pk),
        "locations-0-street": location.street, "locations-0-city": location.city,
        "locations-0-state": location.state, "locations-0-postal_code": location.postal_code,
    })
    data.update(_inline_management("program_services", 1, initial=1))
    data.update({
        "program_services-0-id": str(program_service.pk),
        "program_services-0-program": str(program.pk),
        "program_services-0-service": str(program_service.service_id),
        "program_services-0-note_en": "",
    })

    response = admin_client.post(f"/admin/iop/program/{program.pk}/change/", data)

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.summary == "A new, clearer summary."
    assert program.locations.count() == 1 and program.program_services.count() == 1
    assert "A new, clearer summary." in admin_client.get("/programs/").content.decode()


def _run_action(admin_client, action, programs):
    return admin_client.post(
        "/admin/iop/program/",
        {"action": action, "_selected_action": [str(p.pk) for p in programs]},
        follow=True,
    )


def test_admin_publish_action(admin_client):
    drafts = [make_program(is_published=False) for _ in range(2)]
    other = make_program(is_published=False)
    response = _run_action(admin_client, "publish", drafts)
    assert "2 programs published." in response.content.decode()
    assert Program.objects.filter(is_published=True).count() == 2
    other.refresh_from_db()
    assert not other.is_published


def test_admin_unpublish_action(admin_client):
    program = make_program(is_published=True)
    response = _run_action(admin_client, "unpublish", [program])
    assert "1 program unpublished." in response.content.decode()
    program.refresh_from_db()
    assert not program.is_published
    assert admin_client.get(program.get_absolute_url()).status_code == 404


def test_admin_mark_verified_action(admin_client):
    stale = make_program(last_verified=timezone.localdate() - timedelta(days=400))
    never = make_program(last_verified=None)
    response = _run_action(admin_client, "mark_verified_today", [stale, never])
    assert "2 programs marked verified." in response.content.decode()
    for program in (stale, never):
        program.refresh_from_db()
        assert program.last_verified == timezone.localdate()
        assert not program.is_verification_due


def test_admin_verification_filter_due_and_recent(admin_client):
    today = timezone.localdate()
    never = make_program(name="Never checked", last_verified=None)
    stale = make_program(
        name="Stale", last_verified=today - timedelta(days=settings.VERIFY_AFTER_DAYS + 1)
    )
    recent = make_program(name="Recent", last_verified=today - timedelta(days=10))

    due = admin_client.get("/admin/iop/program/", {"verification": "due"})
    assert due.status_code == 200
    assert set(due.context["cl"].result_list) == {never, stale}
    assert f"Over {settings.VERIFY_AFTER_DAYS} days ago, or never" in due.content.decode()

    fresh = admin_client.get("/admin/iop/program/", {"verification": "recent"})
    assert set(fresh.context["cl"].result_list) == {recent}


def test_admin_level_of_care_cannot_be_added_or_deleted(admin_client):
    level = LevelOfCare.objects.get(code="iop")
    assert admin_client.get("/admin/iop/levelofcare/add/").status_code == 403
    assert admin_client.get(f"/admin/iop/levelofcare/{level.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/iop/levelofcare/{level.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert LevelOfCare.objects.count() == 6
    changelist = admin_client.get("/admin/iop/levelofcare/").content.decode()
    assert "/admin/iop/levelofcare/add/" not in changelist


def test_admin_level_of_care_code_and_rank_read_only(admin_client):
    level = LevelOfCare.objects.get(code="iop")
    form = admin_client.get(f"/admin/iop/levelofcare/{level.pk}/change/").context["adminform"]
    assert "code" not in form.form.fields and "rank" not in form.form.fields


def test_admin_service_autocomplete_for_inline(admin_client):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "iop", "model_name": "programservice", "field_name": "service",
         "term": "dialectical"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Dialectical behavior therapy (DBT)"
    ]


def test_admin_crisis_edit_shows_on_site_immediately(admin_client, client):
    client.get("/")  # cache the crisis lines
    resource = CrisisResource.objects.get(slug="samhsa-helpline")
    resource.number = "1-800-555-0199"
    resource.save()
    assert 'href="tel:18005550199"' in client.get("/").content.decode()


def test_anonymous_admin_redirects_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_cannot_open_program_admin(client):
    response = client.get("/admin/iop/program/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

"""Faster without the page cache (issue 13): brotli, the counts kept per catalogue version,
rel=canonical on list and program pages, and the list cards worked out in Python."""

import gzip

import brotli
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from iop import geo
from iop.cache import accepted_encodings
from iop.models import Location
from iop.selectors import LIST_CARD_FIELDS, program_cards, program_list_base
from tests.factories import make_program

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br"


@pytest.fixture
def program(db):
    return make_program(name="Safe Harbour IOP", slug="safe-harbour-iop", services=["cbt"])


def _private_client():
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    return client


# --------------------------------------------------------------------------- compression


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip, deflate, br", {"br", "gzip"}),
    ("br", {"br"}),
    ("gzip", {"gzip"}),
    ("br;q=0, gzip;q=0.5", {"gzip"}),
    ("BR , GZIP;q=1.0", {"br", "gzip"}),
    ("*", {"br", "gzip"}),
    ("*;q=0.1, gzip;q=0", {"br"}),
    ("identity", set()),
    ("", set()),
    ("br;q=nonsense, gzip", {"gzip"}),
])
def test_accepted_encodings(header, expected):
    assert accepted_encodings(header) == expected


def test_anonymous_pages_are_brotli_when_the_client_accepts_it(client, program):
    plain = client.get("/programs/")
    for _ in range(2):  # rendered, then from the cache
        packed = client.get("/programs/", headers={"accept-encoding": BROWSER})
        assert packed["Content-Encoding"] == "br"
        assert brotli.decompress(packed.content) == plain.content
        assert "Accept-Encoding" in packed["Vary"]
        assert packed["ETag"] not in (plain["ETag"], "")
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
    only_gzip = client.get("/programs/", headers={"accept-encoding": "gzip, deflate"})
    assert only_gzip["Content-Encoding"] == "gzip"
    assert gzip.decompress(only_gzip.content) == plain.content
    # Each encoding has its own ETag, and each one validates.
    assert len({plain["ETag"], packed["ETag"], only_gzip["ETag"]}) == 3
    again = client.get("/programs/", headers={"accept-encoding": BROWSER,
                                              "if-none-match": packed["ETag"]})
    assert again.status_code == 304


def test_refused_brotli_is_not_sent(client, program):
    response = client.get("/programs/", headers={"accept-encoding": "br;q=0, gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert not client.get("/programs/", headers={"accept-encoding": "identity"}).has_header(
        "Content-Encoding"
    )


def test_private_pages_are_compressed_once_in_the_coding_asked_for(program):
    client = _private_client()
    plain = client.get("/programs/")
    packed = client.get("/programs/", headers={"accept-encoding": BROWSER})
    assert packed["Content-Encoding"] == "br"
    assert packed["Cache-Control"] == "private, no-cache"
    assert brotli.decompress(packed.content) == plain.content
    only_gzip = client.get("/programs/", headers={"accept-encoding": "gzip"})
    assert gzip.decompress(only_gzip.content) == plain.content


# --------------------------------------------------------------------------- counts


def _count_queries(captured):
    return [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("params", [
    {}, {"level": "iop"}, {"q": "harbour"}, {"near": "10001", "radius": "25"},
    {"near": "10001", "telehealth": "true"}, {"page": "2"},
])
def test_the_count_is_kept_for_the_catalogue_version(params, settings):
    settings.PROGRAMS_PER_PAGE = 2
    for n in range(5):
        make_program(name=f"Harbour {n}", telehealth=True)
    client = _private_client()  # rendered every time: no page cache
    first = client.get("/programs/", params)
    with CaptureQueriesContext(connection) as again:
        second = client.get("/programs/", params)
    assert first.context["total"] == second.context["total"] == 5
    assert _count_queries(again.captured_queries) == []
    # Page rows, then their levels and locations (one query; both in one for a ranked list,
    # a search or near-me); a search's spelling help is kept with its ranking, so it is not
    # looked up again either.
    ranked = "q" in params or "near" in params
    assert len(again.captured_queries) == (1 if ranked else 2)
    # An edit is a new catalogue version: counted again, and right.
    make_program(name="Harbour 5", telehealth=True)
    assert client.get("/programs/", params).context["total"] == 6


def test_counts_are_kept_per_filter(program):
    make_program(name="Other", levels=("php",))
    client = _private_client()
    assert client.get("/programs/").context["total"] == 2
    assert client.get("/programs/", {"level": "iop"}).context["total"] == 1
    assert client.get("/programs/", {"level": "php"}).context["total"] == 1
    # An invalid filter is ignored, so the count is that of the list without it.
    assert client.get("/programs/", {"level": "nope"}).context["total"] == 2


def test_page_past_the_end_still_shows_the_last_page(settings):
    settings.PROGRAMS_PER_PAGE = 2
    for n in range(3):
        make_program(name=f"Paged {n}")
    client = _private_client()
    for _ in range(2):  # counted, then from the kept count
        response = client.get("/programs/", {"page": "9"})
        assert response.context["page"].number == 2
        assert [card.name for card in response.context["programs"]] == ["Paged 2"]


# --------------------------------------------------------------------------- canonical


def _canonical(html: str) -> str:
    start = html.index('<link rel="canonical" href="') + len('<link rel="canonical" href="')
    return html[start:html.index('"', start)].replace("&amp;", "&")


@pytest.mark.parametrize(("query", "expected"), [
    ("", "/programs/"),
    ("?page=1", "/programs/"),
    ("?level=iop", "/programs/?level=iop"),
    ("?service=dbt&service=cbt&level=iop", "/programs/?level=iop&service=cbt&service=dbt"),
    ("?q=harbour", "/programs/"),
    ("?q=harbour&level=iop&page=2", "/programs/?level=iop"),
    ("?near=10001&radius=25&level=iop", "/programs/?level=iop"),
    ("?payment=medicaid&telehealth=true&state=NY", "/programs/"),
    ("?level=nope&service=cbt", "/programs/?service=cbt"),
    ("?page=2", "/programs/?page=2"),
    ("?page=2&utm_source=x&radius=50", "/programs/?page=2"),
])
def test_list_canonical_keeps_level_services_and_page(client, settings, query, expected):
    settings.PROGRAMS_PER_PAGE = 1
    make_program(name="One", services=("cbt", "dbt"))
    make_program(name="Two", services=("cbt", "dbt"))
    html = client.get(f"/programs/{query}").content.decode()
    assert _canonical(html) == f"http://testserver{expected}"
    assert html.count('rel="canonical"') == 1


def test_program_page_canonical_drops_the_way_back(client, program):
    html = client.get(f"{program.get_absolute_url()}?q=harbour&level=iop").content.decode()
    assert _canonical(html) == f"http://testserver{program.get_absolute_url()}"


# --------------------------------------------------------------------------- the cards


def test_cards_say_what_the_template_used_to_work_out(client):
    make_program(name="Two Sites", locations=2, schedule_day=True, schedule_evening=True,
                 telehealth=True, accepting="waitlist", organisation="Harbour Health")
    html = client.get("/programs/").content.decode()
    assert "New York, NY and 1 more location</dd>" in html
    assert "Daytime, Evenings · telehealth available" in html
    assert '<dd class="status-waitlist">Waitlist</dd>' in html
    assert "Harbour Health" in html and "Intensive outpatient (IOP)" in html


def test_cards_near_a_zip_show_the_nearest_city_and_distance(client):
    hoboken = geo.zip_lookup("07030")
    program = make_program(name="Two Cities", city="Philadelphia", state="PA",
                           latitude=39.95, longitude=-75.16)
    Location.objects.create(program=program, street="1 River St", city="Hoboken", state="NJ",
                            postal_code="07030", latitude=hoboken.latitude,
                            longitude=hoboken.longitude)
    html = client.get("/programs/", {"near": "10001"}).content.decode()
    assert "<strong>1.9 mi</strong> · Hoboken, NJ" in html
    assert "Hoboken, NJ and 1 more location" in html


def test_program_cards_read_levels_and_locations_in_one_query(django_assert_num_queries):
    for n in range(4):
        make_program(name=f"Card {n}", levels=("iop", "php"), locations=2)
    Location.objects.create(program=program_list_base().get(name="Card 0"), street="9 Far Road",
                            city="Albany", state="NY", postal_code="12207",
                            latitude=42.65, longitude=-73.75)
    rows = list(program_list_base().values(*LIST_CARD_FIELDS))
    program_cards(rows)  # the level names are read once per version of the lookup tables
    with django_assert_num_queries(1):
        cards = program_cards(rows, list_query="level=iop")
    assert [card.name for card in cards] == [f"Card {n}" for n in range(4)]
    assert cards[0].levels == ["Intensive outpatient (IOP)", "Partial hospitalization (PHP)"]
    assert cards[0].url.endswith("/?level=iop") and cards[0]["more_locations"]
    # The first location (by id) is the one shown; "and 2 more" counts only locations.
    assert cards[0].location == "New York, NY" and "2" in cards[0].more_locations
    assert "1" in cards[1].more_locations
    near_albany = geo.zip_lookup("12207")
    assert near_albany is not None
    albany = program_cards(rows[:1], near=near_albany, radius=25)[0]
    assert albany.nearest == "Albany, NY"
    with django_assert_num_queries(0):
        assert program_cards([]) == []


# --------------------------------------------------------------------------- program pages


def test_program_page_reads_four_queries_once_the_lookups_are_kept(django_assert_num_queries):
    program = make_program(populations=("veterans",), payments=("medicaid",),
                           languages=("es",), services=("cbt",), locations=2)
    client = _private_client()
    client.get(program.get_absolute_url())
    # The program, its services, its locations, and the ids of its levels, populations,
    # languages, payment options and accreditations (one query); their names are kept.
    with django_assert_num_queries(4):
        client.get(program.get_absolute_url())
    program.name = "Renamed IOP"
    program.save()  # a program edit leaves the lookup tables as they were
    with django_assert_num_queries(4):
        assert "Renamed IOP" in client.get(program.get_absolute_url()).content.decode()


def test_program_page_shows_lookup_edits_and_new_links_at_once():
    from iop.models import PaymentOption, Population

    program = make_program(populations=("veterans",), payments=("medicaid",))
    client = _private_client()
    html = client.get(program.get_absolute_url()).content.decode()
    assert "Veterans" in html and "Medicaid" in html
    veterans = Population.objects.get(slug="veterans")
    veterans.name = "Veterans and their families"
    veterans.save()
    program.payment_options.add(PaymentOption.objects.get(slug="medicare"))
    html = client.get(program.get_absolute_url()).content.decode()
    assert "Veterans and their families" in html and "Medicare" in html
    PaymentOption.objects.create(name="Brand new plan", slug="brand-new-plan")
    program.payment_options.add(PaymentOption.objects.get(slug="brand-new-plan"))
    assert "Brand new plan" in client.get(program.get_absolute_url()).content.decode()


def test_program_page_services_come_from_the_kept_services_and_show_edits_at_once():
    """The services of a program page: named from catalogue_services (kept per lookups
    version), by category then name, a renamed or new service shown at once; an unpublished
    or unknown program is a 404."""
    from iop.models import ProgramService, Service
    from iop.selectors import published_program

    program = make_program(services=("dbt", "cbt", "case-management"))
    client = _private_client()
    client.get(program.get_absolute_url())
    found = published_program(program.slug)
    links = list(found.program_services.all())
    expected = list(ProgramService.objects.filter(program=program).select_related("service")
                    .order_by("service__category", "service__name"))
    assert [link.pk for link in links] == [link.pk for link in expected]
    assert [link.service.name for link in links] == [link.service.name for link in expected]
    assert [location.pk for location in found.locations.all()] == list(
        program.locations.order_by("pk").values_list("pk", flat=True))
    cbt = Service.objects.get(slug="cbt")
    cbt.name = "Cognitive behavioral therapy (renamed)"
    cbt.save()
    new = Service.objects.create(name="Brand new service", slug="brand-new-service",
                                 category=cbt.category)
    ProgramService.objects.create(program=program, service=new)
    html = client.get(program.get_absolute_url()).content.decode()
    assert "Cognitive behavioral therapy (renamed)" in html and "Brand new service" in html
    program.is_published = False
    program.save()
    assert client.get(program.get_absolute_url()).status_code == 404
    assert published_program("no-such-program") is None


def test_program_page_lists_lookups_in_their_order():
    program = make_program(levels=("php", "outpatient", "iop"), languages=("zh", "es", "en"))
    html = Client().get(program.get_absolute_url()).content.decode()
    levels = [html.index(name) for name in ("Outpatient", "Intensive outpatient", "Partial")]
    assert levels == sorted(levels)
    assert "Chinese" in html and html.index("English") < html.index("Spanish")


@pytest.mark.skipif("es" not in dict(settings.LANGUAGES), reason="no Spanish pages")
def test_spanish_pages_keep_their_language_in_canonical_and_cards(client):
    program = make_program(name="Dos Sedes", locations=2)
    html = client.get("/es/programs/?q=dos&level=iop").content.decode()
    assert _canonical(html) == "http://testserver/es/programs/?level=iop"
    assert f'href="/es/programs/{program.slug}/?q=dos&amp;level=iop"' in html
    html = client.get(f"/es/programs/{program.slug}/").content.decode()
    assert _canonical(html) == f"http://testserver/es/programs/{program.slug}/"


# --------------------------------------------------------------------------- plain card rows


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_card_rows_are_the_rows_the_orm_gives(language):
    """card_rows_and_links and PublishedCardRows (plain SQL) give what program_list_base().values()
    gives, in every language: the summary translated, or the English one when the
    translation is empty; unpublished programs left out; list order and count."""
    from django.utils import translation

    from iop.selectors import PublishedCardRows, card_rows_and_links

    translated = make_program(name="B Translated", summary="In English.",
                              telehealth=True, schedule_evening=True, accepting="waitlist")
    translated.summary_es = "En español."
    translated.save()
    untranslated = make_program(name="A Untranslated", summary="Only English.", is_demo=True)
    hidden = make_program(name="C Hidden", is_published=False)
    ids = [translated.pk, untranslated.pk, hidden.pk]
    with translation.override(language):
        expected = list(program_list_base().values(*LIST_CARD_FIELDS))
        assert card_rows_and_links(ids)[0] == {row["id"]: row for row in expected}
        assert PublishedCardRows()[0:20] == expected
        assert PublishedCardRows()[1:20] == expected[1:]
        assert PublishedCardRows().count() == len(expected) == 2
    assert card_rows_and_links([]) == ({}, [])
    summaries = {row["name"]: row["summary"] for row in expected}
    assert summaries["A Untranslated"] == "Only English."
    assert summaries["B Translated"] == ("En español." if language == "es" else "In English.")


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_card_rows_and_links_in_one_query_are_the_two_queries(language,
                                                              django_assert_num_queries):
    """card_rows_and_links (one UNION ALL) gives what the ORM's values and program_cards' own
    links query give: the same rows with the same types (booleans, floats, None), and every level
    and location of the programs asked for, published or not (program_cards keeps the ones
    of the rows it shows)."""
    from django.utils import translation

    from iop.selectors import _card_links_sql, card_rows_and_links, rows_for_ids

    first = make_program(name="Two Places", locations=2, levels=("iop", "php"), telehealth=True,
                         summary="In English.")
    first.summary_es = "En español."
    first.save()
    second = make_program(name="No Place", locations=0, levels=(), is_demo=True)
    hidden = make_program(name="Hidden", is_published=False)
    ids = [first.pk, second.pk, hidden.pk]
    with translation.override(language):
        with django_assert_num_queries(1):
            rows, links = card_rows_and_links(ids)
        orm = {row["id"]: row
               for row in program_list_base().filter(pk__in=ids).values(*LIST_CARD_FIELDS)}
        assert rows == orm
        assert sorted(links, key=repr) == sorted(rows_for_ids(_card_links_sql(), ids), key=repr)
        for row in rows.values():
            assert [type(row[name]) for name in LIST_CARD_FIELDS] == [
                type(value) for value in orm[row["id"]].values()]
        cards = {card["name"]: card for card in program_cards(list(rows.values()), links=links)}
        assert cards == {card["name"]: card for card in program_cards(list(rows.values()))}
    assert len([link for link in links if link[0] == first.pk and link[2] is not None]) == 2
    assert {link[1] for link in links if link[0] == first.pk and link[1] is not None} == set(
        first.levels.values_list("pk", flat=True))
    assert all(isinstance(link[5], float) for link in links if link[2] is not None)
    assert card_rows_and_links([]) == ({}, [])


def test_the_plain_list_reads_its_page_as_plain_rows(settings):
    """No filter (or only a page number): the page of the list is read with plain SQL in name
    order, past the first page too."""
    settings.PROGRAMS_PER_PAGE = 2
    for name in ("Delta", "Alpha", "Charlie", "Bravo", "Echo"):
        make_program(name=f"{name} Program")
    client = _private_client()
    for params, names in (({}, ["Alpha", "Bravo"]), ({"page": "2"}, ["Charlie", "Delta"]),
                          ({"page": "3"}, ["Echo"]), ({"page": "9"}, ["Echo"])):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/programs/", params)
        assert [card["name"] for card in response.context["programs"]] == [
            f"{name} Program" for name in names]
        assert response.context["total"] == 5
        assert any(query["sql"].startswith("SELECT id, name, slug") and "LIMIT" in query["sql"]
                   for query in ctx.captured_queries)


# --------------------------------------------------------------------------- the filter form


def test_filter_forms_share_option_lists_but_not_fields():
    """The program filters' fields are prepared once per language and lookups version: each
    form still has its own field and widget objects (a change to one form's field is not seen
    by the next form)."""
    from iop.filters import ProgramFilter

    first = ProgramFilter({}).form
    first.fields["service"].widget.attrs["data-changed"] = "yes"
    first.fields["level"].label = "Changed"
    first.fields["level"].error_messages["invalid_choice"] = "changed"
    second = ProgramFilter({}).form
    assert second.fields["level"] is not first.fields["level"]
    assert second.fields["service"].widget is not first.fields["service"].widget
    assert "data-changed" not in second.fields["service"].widget.attrs
    assert second.fields["level"].label != "Changed"
    assert second.fields["level"].error_messages["invalid_choice"] != "changed"
    assert list(second.fields["level"].choices) == list(first.fields["level"].choices)


@pytest.mark.skipif("es" not in dict(settings.LANGUAGES), reason="no Spanish pages")
def test_filter_options_show_a_renamed_service_at_once_in_each_language():
    from iop.models import Service

    client = _private_client()
    service = Service.objects.get(slug="cbt")
    for path in ("/programs/", "/es/programs/"):  # the prepared fields are made
        assert client.get(path).status_code == 200
    service.name_en, service.name_es = "Thinking <skills>", "Habilidades <de pensamiento>"
    service.save()
    english = client.get("/programs/").content.decode()
    spanish = client.get("/es/programs/").content.decode()
    assert "Thinking &lt;skills&gt;</label>" in english
    assert "Habilidades &lt;de pensamiento&gt;</label>" in spanish
    # A chosen option is still checked / selected, and invalid values still refused.
    html = client.get("/programs/", {"service": "cbt", "level": "iop"}).content.decode()
    assert 'value="cbt" class="form-check-input" id="id_service_' in html
    assert ' checked' in html.split('value="cbt"', 1)[1].split(">", 1)[0]
    assert '<option value="iop" selected>' in html
    response = client.get("/programs/", {"level": "no-such-level"})
    assert response.status_code == 200 and response.context["form"].errors["level"]


@pytest.mark.skipif("es" not in dict(settings.LANGUAGES), reason="no Spanish pages")
def test_distance_options_and_their_error_are_worded_in_the_page_language():
    """The distance choices were worded once, in English, when the module was imported."""
    client = _private_client()
    english = client.get("/programs/").content.decode()
    spanish = client.get("/es/programs/").content.decode()
    assert '<option value="50">50 miles</option>' in english
    assert '<option value="50">50 millas</option>' in spanish
    assert "50 miles</option>" not in spanish
    refused = client.get("/es/programs/", {"near": "10001", "radius": "7"})
    assert "Elija 5, 10, 25, 50 o 100 millas." in refused.content.decode()
    refused = client.get("/programs/", {"near": "10001", "radius": "7"})
    assert "Choose 5, 10, 25, 50 or 100 miles." in refused.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_cards_kept_words_are_the_words_of_the_language(language):
    from django.utils import translation

    from iop.models import Program
    from iop.selectors import card_words

    with translation.override(language):
        words = card_words()
        assert words.distance == translation.gettext("%(miles)s mi")
        assert words.away == translation.gettext("%(miles)s mi away, so")
        assert words.accepting == {value: str(label) for value, label in Program.Accepting.choices}
        for day in (False, True):
            for evening in (False, True):
                for weekend in (False, True):
                    labels = Program.labels_of_schedule(day, evening, weekend)
                    assert words.schedules[(day, evening, weekend)] == ", ".join(
                        str(label) for label in labels)
                    # SQLite's raw rows give the flags as 0 and 1.
                    assert words.schedules[(int(day), int(evening), int(weekend))] == (
                        words.schedules[(day, evening, weekend)])
    with translation.override("es"):
        spanish = card_words()
    with translation.override("en"):
        assert card_words().schedules[(True, True, False)] == "Daytime, Evenings"
        assert spanish.schedules[(True, True, False)] != "Daytime, Evenings"


_PLACE = st.tuples(st.one_of(st.none(), st.floats(-80, 80)),
                   st.one_of(st.none(), st.floats(-179, 179)))


@hypothesis_settings(max_examples=200, deadline=None)
@given(places=st.lists(_PLACE, max_size=4),
       point=st.tuples(st.floats(-80, 80), st.floats(-179, 179)))
def test_the_nearest_place_is_the_one_at_the_least_distance(places, point):
    from types import SimpleNamespace

    places = [SimpleNamespace(latitude=lat, longitude=lng) for lat, lng in places]
    located = [place for place in places
               if place.latitude is not None and place.longitude is not None]
    nearest = geo.nearest_place(places, point)
    if not located:
        assert nearest is None
        return
    distances = [geo.haversine_miles(*point, place.latitude, place.longitude)
                 for place in located]
    assert nearest is located[distances.index(min(distances))]


def test_rows_for_ids_reads_the_rows_of_every_id_list():
    from iop.selectors import rows_for_ids

    programs = [make_program(name=f"Ids {index}", slug=f"ids-{index}") for index in range(3)]
    ids = [program.pk for program in programs]
    sql = ("SELECT id, slug FROM iop_program WHERE id IN ({ids}) UNION ALL "
           "SELECT id, name FROM iop_program WHERE id IN ({ids}) ORDER BY 1, 2")
    rows = rows_for_ids(sql, [ids[2], ids[0]])
    assert rows == sorted([(ids[0], "Ids 0"), (ids[0], "ids-0"), (ids[2], "Ids 2"),
                           (ids[2], "ids-2")])
    assert rows_for_ids("SELECT id FROM iop_program WHERE id IN ({ids})", [ids[1]]) == [
        (ids[1],)]
    with pytest.raises(ValueError):
        rows_for_ids("SELECT id FROM iop_program WHERE id = {ids}", ids)

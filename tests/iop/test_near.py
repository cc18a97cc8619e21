"""Near-me search: ZIP → coordinates offline, distance in the database, nearest first."""

import re

import pytest

from iop import geo
from iop.filters import ProgramFilter
from iop.models import Program
from iop.selectors import program_list_base
from tests.factories import make_program

# Distances from ZIP 10001 (Manhattan) to other ZIP centroids, in miles, on the WGS84 ellipsoid
# (Vincenty's formula): an independent reference for the database's great-circle distance.
KNOWN_MILES_FROM_10001 = {
    "07030": 1.92,     # Hoboken, NJ
    "11201": 3.77,     # Brooklyn, NY
    "10451": 6.43,     # Bronx, NY
    "10601": 23.08,    # White Plains, NY
    "19103": 82.99,    # Philadelphia, PA
    "02108": 188.07,   # Boston, MA
    "60601": 712.26,   # Chicago, IL
    "90012": 2450.75,  # Los Angeles, CA
}


def at_zip(zip_code, **fields):
    point = geo.zip_lookup(zip_code)
    return make_program(
        name=fields.pop("name", f"Program at {zip_code}"), city=point.city.title(),
        state=point.state, postal_code=zip_code, latitude=point.latitude,
        longitude=point.longitude, **fields,
    )


def _names(response):
    return [program.name for program in response.context["programs"]]


def _html(response):
    return response.content.decode()


# Pure functions (no database).

def test_zip_lookup_knows_real_zip_codes():
    point = geo.zip_lookup("10001")
    assert (point.city, point.state) == ("New York", "NY")
    assert point.latitude == pytest.approx(40.75, abs=0.01)
    assert point.longitude == pytest.approx(-74.0, abs=0.01)


@pytest.mark.parametrize("value", ["00000", "99999", "1000", "100011", "abcde", "1000a", "", None,
                                   "１０００１", "10001\x00"])
def test_zip_lookup_refuses_malformed_or_unknown(value):
    assert geo.zip_lookup(value) is None


@pytest.mark.parametrize(("zip_code", "miles"), KNOWN_MILES_FROM_10001.items())
def test_haversine_within_one_percent_of_known_distances(zip_code, miles):
    a, b = geo.zip_lookup("10001"), geo.zip_lookup(zip_code)
    assert geo.haversine_miles(a.latitude, a.longitude, b.latitude, b.longitude) == pytest.approx(
        miles, rel=0.01
    )


@pytest.mark.parametrize("latitude", [0.0, 40.0, 64.0, -33.0])
@pytest.mark.parametrize("miles", geo.RADIUS_CHOICES)
def test_bounding_box_contains_the_whole_circle(latitude, miles):
    box = geo.bounding_box(latitude, -100.0, miles)
    for bearing in range(0, 360, 15):
        # A point `miles` away in this direction, on the sphere.
        d = miles / geo.EARTH_RADIUS_MILES
        import math
        phi1, lam1, theta = math.radians(latitude), math.radians(-100.0), math.radians(bearing)
        phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d)
                         * math.cos(theta))
        lam2 = lam1 + math.atan2(math.sin(theta) * math.sin(d) * math.cos(phi1),
                                 math.cos(d) - math.sin(phi1) * math.sin(phi2))
        lat2, lng2 = math.degrees(phi2), math.degrees(lam2)
        assert box["latitude__gte"] <= lat2 <= box["latitude__lte"]
        assert box["longitude__gte"] <= lng2 <= box["longitude__lte"]


# The database's distance.

@pytest.mark.django_db
@pytest.mark.parametrize(("zip_code", "miles"), KNOWN_MILES_FROM_10001.items())
def test_database_distance_within_one_percent_of_known(zip_code, miles):
    at_zip(zip_code)
    origin = geo.zip_lookup("10001").coordinates
    program = Program.objects.annotate(miles=geo.nearest_location_miles(origin, 3000)).get()
    assert program.miles == pytest.approx(miles, rel=0.01)


@pytest.mark.django_db
def test_database_distance_uses_the_nearest_location():
    program = at_zip("19103")  # Philadelphia
    brooklyn = geo.zip_lookup("11201")
    program.locations.create(street="1 Court St", city="Brooklyn", state="NY",
                             postal_code="11201", latitude=brooklyn.latitude,
                             longitude=brooklyn.longitude)
    origin = geo.zip_lookup("10001").coordinates
    found = Program.objects.annotate(miles=geo.nearest_location_miles(origin, 200)).get()
    assert found.miles == pytest.approx(3.77, rel=0.01)


# The list page.

@pytest.fixture
def around_nyc(db):
    return {
        "hoboken": at_zip("07030", name="Hoboken Harbor IOP", schedule_evening=True),
        "brooklyn": at_zip("11201", name="Brooklyn Bridge Recovery", payments=("medicaid",)),
        "bronx": at_zip("10451", name="Bronx Care IOP", levels=("php",)),
        "white_plains": at_zip("10601", name="White Plains Wellness", schedule_evening=True),
        "philadelphia": at_zip("19103", name="Philadelphia Pathways"),
        "boston_video": at_zip("02108", name="Boston Video IOP", telehealth=True),
        "la": at_zip("90012", name="Los Angeles Light"),
    }


@pytest.mark.parametrize(
    ("radius", "expected"),
    [
        ("5", ["Hoboken Harbor IOP", "Brooklyn Bridge Recovery"]),
        ("10", ["Hoboken Harbor IOP", "Brooklyn Bridge Recovery", "Bronx Care IOP"]),
        ("25", ["Hoboken Harbor IOP", "Brooklyn Bridge Recovery", "Bronx Care IOP",
                "White Plains Wellness"]),
        ("100", ["Hoboken Harbor IOP", "Brooklyn Bridge Recovery", "Bronx Care IOP",
                 "White Plains Wellness", "Philadelphia Pathways"]),
    ],
)
def test_near_keeps_programs_within_radius_nearest_first(client, around_nyc, radius, expected):
    response = client.get("/programs/", {"near": "10001", "radius": radius})
    assert _names(response) == expected
    assert response.context["total"] == len(expected)


def test_near_defaults_to_25_miles(client, around_nyc):
    response = client.get("/programs/", {"near": "10001"})
    assert _names(response)[-1] == "White Plains Wellness"
    assert response.context["total"] == 4
    assert re.search(r'<option value="25" selected>', _html(response))


def test_near_shows_distance_and_nearest_city(client, around_nyc):
    html = _html(client.get("/programs/", {"near": "10001", "radius": "25"}))
    assert "1.9 mi</strong> · Hoboken, NJ" in html
    assert "23.1 mi</strong> · White Plains, NY" in html
    assert "4 programs within 25 miles of 10001" in html


def test_near_combines_with_filters_and_search(client, around_nyc):
    response = client.get("/programs/", {"near": "10001", "radius": "50", "schedule": "evening"})
    assert _names(response) == ["Hoboken Harbor IOP", "White Plains Wellness"]
    response = client.get("/programs/", {"near": "10001", "level": "php"})
    assert _names(response) == ["Bronx Care IOP"]
    response = client.get("/programs/", {"near": "10001", "q": "wellness"})
    assert _names(response) == ["White Plains Wellness"]
    assert "1 program for “wellness” within 25 miles of 10001" in _html(response)


def test_near_includes_telehealth_anywhere_when_asked_and_says_so(client, around_nyc):
    response = client.get("/programs/", {"near": "10001", "radius": "5", "telehealth": "true"})
    assert _names(response) == ["Boston Video IOP"]
    html = _html(response)
    assert "included because you asked for video sessions" in html
    assert "telehealth programs included wherever they are" in html


def test_telehealth_nearby_sorts_before_far_telehealth(client, around_nyc):
    at_zip("10002", name="Lower East Side Video", telehealth=True)
    response = client.get("/programs/", {"near": "10001", "radius": "5", "telehealth": "true"})
    assert _names(response) == ["Lower East Side Video", "Boston Video IOP"]


def test_far_programs_without_telehealth_are_left_out(client, around_nyc):
    response = client.get("/programs/", {"near": "10001", "radius": "100"})
    assert "Los Angeles Light" not in _names(response)
    assert "Boston Video IOP" not in _names(response)


def test_programs_without_coordinates_are_not_near(client, around_nyc):
    make_program(name="No Coordinates", latitude=None, longitude=None)
    response = client.get("/programs/", {"near": "10001", "radius": "100"})
    assert "No Coordinates" not in _names(response)


@pytest.mark.parametrize(
    ("value", "message", "code"),
    [
        ("00000", "We could not find ZIP code 00000.", "unknown_zip"),
        ("99999", "We could not find ZIP code 99999.", "unknown_zip"),
        ("abc", "“abc” is not a US ZIP code.", "invalid_zip"),
        ("1234", "“1234” is not a US ZIP code.", "invalid_zip"),
        ("10001-1234", "“10001-1234” is not a US ZIP code.", "invalid_zip"),
        ("10001\x00", "Null characters are not allowed.", "null_characters_not_allowed"),
    ],
)
def test_bad_zip_is_a_form_error_naming_it_and_still_lists(
    client, around_nyc, value, message, code
):
    response = client.get("/programs/", {"near": value})
    assert response.status_code == 200
    html = _html(response)
    assert message in html
    assert 'id="id_near"' in html and 'aria-invalid="true"' in html
    assert response.context["total"] == len(around_nyc)  # ignored, everything listed
    assert response.context["form"].has_error("near", code)


@pytest.mark.parametrize("radius", ["7", "0", "-5", "abc", "1000", "25.5"])
def test_bad_radius_is_a_form_error(client, around_nyc, radius):
    response = client.get("/programs/", {"near": "10001", "radius": radius})
    assert response.status_code == 200
    assert "Choose 5, 10, 25, 50 or 100 miles." in _html(response)
    # The ZIP still works, with the default radius.
    assert response.context["total"] == 4


def test_near_ignored_but_other_filters_applied_when_zip_bad(client, around_nyc):
    response = client.get("/programs/", {"near": "00000", "level": "php"})
    assert _names(response) == ["Bronx Care IOP"]


def test_empty_near_result_suggests_what_to_loosen(client, around_nyc):
    html = _html(client.get("/programs/", {"near": "59001", "radius": "5", "q": "zzzz"}))
    assert "No programs match" in html
    assert "Search within 10 miles" in html
    assert "Include telehealth programs anywhere" in html
    assert "Search without “zzzz”" in html


def test_near_pagination_keeps_order_across_pages(client, around_nyc, settings):
    settings.PROGRAMS_PER_PAGE = 2
    first = _names(client.get("/programs/", {"near": "10001", "radius": "100"}))
    second = _names(client.get("/programs/", {"near": "10001", "radius": "100", "page": "2"}))
    third = _names(client.get("/programs/", {"near": "10001", "radius": "100", "page": "3"}))
    assert first + second + third == [
        "Hoboken Harbor IOP", "Brooklyn Bridge Recovery", "Bronx Care IOP",
        "White Plains Wellness", "Philadelphia Pathways",
    ]


def test_filterset_near_point_is_none_without_zip(db):
    program_filter = ProgramFilter({"q": "x"}, queryset=program_list_base())
    program_filter.qs  # noqa: B018 - runs validation
    assert program_filter.near_point is None


@pytest.mark.parametrize(
    ("page", "expected_page", "expected_names"),
    [("1", 1, ["Hoboken Harbor IOP", "Brooklyn Bridge Recovery"]),
     ("3", 3, ["Philadelphia Pathways"]),
     ("9", 3, ["Philadelphia Pathways"])],  # past the end: the last page, as before
)
def test_near_total_is_counted_with_the_page(client, around_nyc, settings, page, expected_page,
                                             expected_names):
    settings.PROGRAMS_PER_PAGE = 2
    response = client.get("/programs/", {"near": "10001", "radius": "100", "page": page})
    assert response.context["total"] == 5
    assert response.context["page"].number == expected_page
    assert response.context["page"].paginator.num_pages == 3
    assert _names(response) == expected_names
    assert "5 programs within 100 miles of 10001" in _html(response)


def test_near_nothing_within_radius_counts_zero(client, around_nyc):
    response = client.get("/programs/", {"near": "59001", "radius": "5"})
    assert response.context["total"] == 0 and _names(response) == []

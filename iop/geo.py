"""Offline US ZIP centroids and great-circle distance, in Python and in SQL.

ZIP codes come from the `zipcodes` package, which ships its data: nothing here calls a web
service. Distances in queries are computed by the database (the same expression on SQLite and
PostgreSQL): a bounding box on the indexed latitude/longitude first, then the haversine formula.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import zipcodes
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LAT = 69.0  # about 69.0–69.4; the box errs on the large side below
RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25


@dataclass(frozen=True)
class ZipPoint:
    zip_code: str
    latitude: float
    longitude: float
    city: str
    state: str

    @property
    def coordinates(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


@lru_cache(maxsize=1)
def _zip_index() -> dict[str, ZipPoint]:
    """Every US ZIP code with a centroid, read once per process (read-only reference data)."""
    index = {}
    for row in zipcodes.list_all():
        try:
            latitude, longitude = float(row["lat"]), float(row["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if latitude == 0 and longitude == 0:
            continue
        index[row["zip_code"]] = ZipPoint(
            row["zip_code"], latitude, longitude, row.get("city") or "", row.get("state") or ""
        )
    return index


def zip_lookup(zip_code: str) -> ZipPoint | None:
    """The centroid of a 5-digit US ZIP code, or None when it is malformed or unknown."""
    if not isinstance(zip_code, str) or len(zip_code) != 5 or not zip_code.isascii():
        return None
    if not zip_code.isdigit():
        return None
    return _zip_index().get(zip_code)


def zip_clean(value) -> ZipPoint | None:
    """A ZIP code typed into a form: its centroid, None when left blank, or a ValidationError
    naming what was typed (the program filters and the screening share these messages)."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) != 5 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("“%(zip)s” is not a US ZIP code. Enter 5 digits, for example 10001."),
            code="invalid_zip", params={"zip": value[:20]},
        )
    point = zip_lookup(value)
    if point is None:
        raise ValidationError(
            _("We could not find ZIP code %(zip)s."), code="unknown_zip", params={"zip": value}
        )
    return point


def zip_points() -> list[ZipPoint]:
    """All known ZIP centroids, in ZIP order (for synthetic data)."""
    return sorted(_zip_index().values(), key=lambda point: point.zip_code)


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in miles (the same formula the database runs)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = math.radians(lat2 - lat1) / 2
    half_dlambda = math.radians(lng2 - lng1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(latitude: float, longitude: float, miles: float) -> dict[str, float]:
    """Latitude/longitude lookups for a box that contains the circle of `miles` radius."""
    dlat = miles / MILES_PER_DEGREE_LAT * 1.01
    cos_lat = math.cos(math.radians(min(89.0, abs(latitude) + dlat)))
    dlng = min(180.0, miles / (MILES_PER_DEGREE_LAT * max(cos_lat, 0.01)) * 1.01)
    return {
        "latitude__gte": latitude - dlat,
        "latitude__lte": latitude + dlat,
        "longitude__gte": longitude - dlng,
        "longitude__lte": longitude + dlng,
    }


class MilesFrom(Func):
    """Haversine miles from a fixed point to the row's coordinates, as one SQL expression:
    the same formula as haversine_miles, with the point's sines and cosines worked out here.
    One node for the ORM to copy and compile instead of thirty (the near-me queries are
    built on every request)."""

    output_field = FloatField()

    def __init__(self, latitude: float, longitude: float, lat_field: str, lng_field: str):
        super().__init__(F(lat_field), F(lng_field), output_field=FloatField())
        self.point = (latitude, longitude)

    def as_sql(self, compiler, connection, function=None, template=None, **extra_context):
        (lat_sql, lat_params), (lng_sql, lng_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        latitude, longitude = self.point
        least = "MIN" if connection.vendor == "sqlite" else "LEAST"
        sql = (
            f"(%s * ASIN({least}(1.0, SQRT("
            f"POWER(SIN((RADIANS({lat_sql}) - %s) / 2.0), 2)"
            f" + %s * COS(RADIANS({lat_sql})) * POWER(SIN((RADIANS({lng_sql}) - %s) / 2.0), 2)"
            "))))"
        )
        params = [
            2 * EARTH_RADIUS_MILES, *lat_params, math.radians(latitude),
            math.cos(math.radians(latitude)), *lat_params, *lng_params, math.radians(longitude),
        ]
        return sql, params


def distance_miles(latitude: float, longitude: float, *, lat_field="latitude",
                   lng_field="longitude"):
    """A database expression: haversine miles from a point to the row's coordinates."""
    return MilesFrom(latitude, longitude, lat_field, lng_field)


def program_ids_within(point: tuple[float, float], miles: float) -> QuerySet:
    """The ids of programs with a location inside the bounding box around `point` (a subquery;
    an indexed range scan on the coordinates)."""
    from iop.models import Location

    latitude, longitude = point
    return Location.objects.filter(**bounding_box(latitude, longitude, miles)).values(
        "program_id"
    )


def nearest_location_miles_within(point: tuple[float, float], miles: float) -> Subquery:
    """For a Program queryset: miles to its nearest location inside the box around `point`,
    NULL when it has none there. Only worth it on programs known to be in the box (see
    program_ids_within); otherwise use nearest_location_miles."""
    from iop.models import Location

    latitude, longitude = point
    return Subquery(
        Location.objects.filter(program=OuterRef("pk"), **bounding_box(latitude, longitude, miles))
        .annotate(miles=distance_miles(latitude, longitude))
        .order_by("miles")
        .values("miles")[:1],
        output_field=FloatField(),
    )


def nearest_location_miles(point: tuple[float, float], miles: float) -> Case:
    """For a Program queryset: miles to its nearest location inside the box around `point`,
    NULL when it has none there. Programs outside the box are found with one hashed lookup
    on the indexed coordinates, so the distance is only computed for those inside."""
    return Case(
        When(pk__in=program_ids_within(point, miles),
             then=nearest_location_miles_within(point, miles)),
        default=Value(None, output_field=FloatField()),
        output_field=FloatField(),
    )


def programs_within(queryset: QuerySet, point: tuple[float, float], miles: float) -> QuerySet:
    """Keep programs with a location inside the bounding box (an indexed range scan)."""
    return queryset.filter(pk__in=program_ids_within(point, miles))


def nearest_location(program, point: tuple[float, float]):
    """The program's prefetched location nearest to `point` (None without coordinates)."""
    return nearest_place(program.locations.all(), point)


def nearest_place(places, point: tuple[float, float]):
    """Of `places` (anything with ``latitude`` and ``longitude``), the one nearest to
    `point`; None when none has coordinates."""
    if len(places) == 1:  # most programs have one place: nothing to measure
        place = places[0]
        return None if place.latitude is None or place.longitude is None else place
    best, best_miles = None, None
    for place in places:
        if place.latitude is None or place.longitude is None:
            continue
        miles = haversine_miles(point[0], point[1], place.latitude, place.longitude)
        if best_miles is None or miles < best_miles:
            best, best_miles = place, miles
    return best

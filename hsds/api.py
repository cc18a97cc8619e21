"""The public, read-only listings API in the Open Referral HSDS 3.0 API profile (django-ninja).

Every path of the profile: ``/`` (version and profile), ``/services`` and ``/services/{id}``,
``/taxonomies`` and ``/taxonomies/{id}``, ``/taxonomy_terms`` and ``/taxonomy_terms/{id}``,
``/organizations`` and ``/organizations/{id}``, ``/service_at_locations`` and
``/service_at_locations/{id}``, with the profile's query parameters; and ``/locations`` and
``/locations/{id}`` besides. Published programs only. Our taxonomies are levels of care,
services, populations and session times (``hsds.export.vocabulary``): a term's ``code`` is
what the ``taxonomy`` filter takes, its ``id`` what ``taxonomy_term_id`` takes.

Anonymous answers come from the catalogue page cache (`iop.cache.catalogue_page`, wrapped
around each path in ``hsds/urls.py`` by `public_view`): stored once per catalogue version, so
an edit made anywhere shows in the next answer, and revalidated by clients with the ETag.
Each client is rate-limited first, cached answers included. A bad parameter is a 400 that
names it; an unknown id a 404. The OpenAPI description is at ``/api/hsds/openapi.json``; no
docs page is served (it would load scripts from elsewhere, which the CSP forbids). Nothing
here calls another site.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import OrderedDict
from datetime import datetime, time
from math import ceil

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Field, NinjaAPI, Query, Schema
from ninja import errors as ninja_errors

from hsds.export import (
    location_object,
    organization_object,
    programs_for_export,
    service_at_location_id,
    service_at_location_object,
    service_object,
    taxonomy_objects,
    taxonomy_term_id,
    taxonomy_terms,
    vocabulary,
)
from hsds.mapping import (
    HSDS_VERSION,
    PROFILE_URL,
    SESSION_CODES,
    TAXONOMIES,
    child_uuid,
    entity_uuid,
    organization_name,
    organization_uuid,
    pk_from_uuid,
)
from iop.cache import catalogue_page
from iop.geo import bounding_box, distance_miles, zip_lookup
from iop.models import Location, Program

DESCRIPTION = (
    "Published treatment program listings in the Open Referral Human Services Data "
    "Specification 3.0 API profile. Read-only, no sign-in. Each program is an HSDS "
    "service; programs sharing an organisation name are one organization."
)
DEFAULT_PER_PAGE = 25
# `minimal` answers are an id and a date each: the profile asks for all of them at once.
MINIMAL_MAX_PER_PAGE = 5000
MAX_PROXIMITY_METRES = 500_000
METRES_PER_MILE = 1609.344
_TAXONOMY_KINDS = {
    **{child_uuid("taxonomy", key): kind for kind, (key, _n, _d) in TAXONOMIES.items()},
    **{key: kind for kind, (key, _n, _d) in TAXONOMIES.items()},
}

api = NinjaAPI(
    title="IOP Navigator listings (HSDS 3.0)",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="hsds",
    openapi_url="/openapi.json",
    docs_url=None,
    csrf=False,
)


class BadParameter(ValueError):
    """A query parameter with a value we cannot use: a 400 with this message."""


def _problem(status: int, detail: str, **headers) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


@api.exception_handler(ninja_errors.ValidationError)
def invalid_parameters(request, exc):
    """A parameter of the wrong type (page=abc, full=maybe) is a 400 that names it."""
    names = sorted({str(error.get("loc", ["parameter"])[-1]) for error in exc.errors})
    return _problem(400, "Invalid value for: " + ", ".join(names) + ".")


@api.exception_handler(BadParameter)
def bad_parameter(request, exc):
    return _problem(400, str(exc))


# --------------------------------------------------------------------------- cache and limit


def _client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return "hsds-rate:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _over_the_limit(request: HttpRequest) -> bool:
    window = settings.HSDS_API_RATE_WINDOW
    key = f"{_client_key(request)}:{int(timezone.now().timestamp()) // window}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > settings.HSDS_API_RATE_LIMIT


def public_view(view):
    """A path of the API as served: rate-limited by client, then from the catalogue page
    cache (anonymous GETs; versioned, so any catalogue write shows at once), open to pages
    of other sites (CORS)."""
    cached = catalogue_page(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if _over_the_limit(request):
            response = _problem(429, "Too many requests. Try again in a minute.",
                                Retry_After=str(settings.HSDS_API_RATE_WINDOW))
        else:
            response = cached(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    wrapper.csrf_exempt = True  # read-only; other methods are 405
    return wrapper


# --------------------------------------------------------------------------- schemas


class ApiInfo(Schema):
    version: str
    profile: str
    openapi_url: str
    description: str


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict]


class Problem(Schema):
    detail: str


class PageQuery(Schema):
    page: int = Field(1, description="Page number of paginated result, from 1.")
    per_page: int | None = Field(
        None, description=f"Number of results requested in a single page: {DEFAULT_PER_PAGE} "
                          f"unless given, at most {settings.HSDS_API_MAX_PER_PAGE} (larger "
                          f"values give the most).")
    format: str = Field("json", description="Format of the results: only json is offered.")


class SearchQuery(PageQuery):
    search: str | None = Field(None, description="Full text search (words, all must match).")


class TermFilters(SearchQuery):
    taxonomy_term_id: str | None = Field(
        None, description="Only records with this taxonomy term (its id, or its code).")
    taxonomy_id: str | None = Field(
        None, description="Only records with any term of this taxonomy.")


class ServiceQuery(TermFilters):
    organization_id: str | None = Field(
        None, description="Only services this organization provides.")
    modified_after: str | None = Field(
        None, description="Only records modified on or after this date or date-time "
                          "(ISO 8601).")
    minimal: bool = Field(
        False, description="Return just each service's id and modified_date, all in one "
                           f"page (up to {MINIMAL_MAX_PER_PAGE}).")
    full: bool = Field(False, description="Return fully nested services.")
    taxonomy: str | None = Field(
        None, description="Only services with this term code (a level of care, service, "
                          "population or session time, as on /taxonomy_terms).")


class TaxonomyTermQuery(SearchQuery):
    taxonomy_id: str | None = Field(None, description="Only terms of this taxonomy.")
    top_only: bool = Field(False, description="Only terms without a parent (all of ours).")
    parent_id: str | None = Field(
        None, description="Only terms with this parent (none of ours has one).")


class OrganizationQuery(TermFilters):
    full_service: bool = Field(
        False, description="Fully nested organizations with fully nested services.")
    full: bool = Field(
        False, description="Fully nested organizations, with their services' one-to-one "
                           "fields.")


class OrganizationDetailQuery(Schema):
    full_service: bool = Field(
        False, description="Give the organization's services fully nested.")


class ServiceAtLocationQuery(TermFilters):
    organization_id: str | None = Field(
        None, description="Only services this organization provides.")
    modified_after: str | None = Field(
        None, description="Only records modified on or after this date or date-time "
                          "(ISO 8601).")
    full: bool = Field(False, description="Return fully nested service_at_locations.")
    postcode: str | None = Field(
        None, description="A 5-digit US ZIP code: locations in it, or with proximity "
                          "those within proximity of its centre.")
    proximity: str | None = Field(
        None, description=f"Metres from the centre of postcode (at most "
                          f"{MAX_PROXIMITY_METRES}); nearest first.")


# --------------------------------------------------------------------------- helpers


def _check_format(params: PageQuery) -> None:
    if (params.format or "json").strip().lower() != "json":
        raise BadParameter("format: only json is offered (page through the results with "
                           "page and per_page).")


def _page(params: PageQuery, total: int, rows, build=lambda rows: list(rows), *,
          cap: int | None = None, default: int | None = None) -> dict:
    """One page of ``rows`` (a queryset or list; only the page's slice is read)."""
    _check_format(params)
    cap = cap or settings.HSDS_API_MAX_PER_PAGE
    per_page = max(1, min(params.per_page or default or DEFAULT_PER_PAGE, cap))
    page = max(1, params.page)
    total_pages = max(1, ceil(total / per_page))
    start = (page - 1) * per_page
    contents = build(rows[start:start + per_page]) if page <= total_pages else []
    return {
        "total_items": total, "total_pages": total_pages, "page_number": page,
        "size": len(contents), "first_page": page == 1, "last_page": page >= total_pages,
        "empty": not contents, "contents": contents,
    }


def _words(text: str | None) -> list[str]:
    return (text or "").strip()[:200].split()[:8]


def _published():
    return Program.objects.published()


def _search(queryset, text: str | None):
    words = _words(text)
    for word in words:
        queryset = queryset.filter(
            Q(name__icontains=word) | Q(organisation__icontains=word)
            | Q(summary__icontains=word) | Q(locations__city__icontains=word)
        )
    return queryset.distinct() if words else queryset


def _modified_after(value: str | None):
    if not value:
        return None
    try:  # a well-formed but impossible date (2024-13-45) raises
        moment = parse_datetime(value.strip())
        day = parse_date(value.strip()) if moment is None else None
    except ValueError:
        moment = day = None
    if moment is None:
        if day is None:
            raise BadParameter("modified_after must be a date or date-time (ISO 8601), for "
                               "example 2025-01-31 or 2025-01-31T09:00:00Z.")
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _code_q(code: str) -> Q:
    """Programs with a term of this code in any of our taxonomies."""
    q = (Q(levels__code=code) | Q(program_services__service__slug=code)
         | Q(populations__slug=code))
    if code in SESSION_CODES:
        q |= Q(**{f"schedule_{code}": True})
    return q


def _term_q(kind: str, code: str) -> Q:
    if kind == "level":
        return Q(levels__code=code)
    if kind == "service":
        return Q(program_services__service__slug=code)
    if kind == "population":
        return Q(populations__slug=code)
    return Q(**{f"schedule_{code}": True}) if code in SESSION_CODES else Q(pk__in=[])


def _taxonomy_q(kind: str | None) -> Q:
    if kind == "level":
        return Q(levels__isnull=False)
    if kind == "service":
        return Q(program_services__isnull=False)
    if kind == "population":
        return Q(populations__isnull=False)
    if kind == "schedule":
        return Q(schedule_day=True) | Q(schedule_evening=True) | Q(schedule_weekend=True)
    return Q(pk__in=[])


def _term_index() -> dict[str, tuple[str, str]]:
    return {taxonomy_term_id(kind, code): (kind, code) for kind, code, _n, _d in vocabulary()}


def _by_terms(queryset, params):
    """Programs of `queryset` with the asked term (by id or code) and taxonomy."""
    conditions = []
    code = (getattr(params, "taxonomy", None) or "").strip()[:100]
    if code:
        conditions.append(_code_q(code))
    term = (params.taxonomy_term_id or "").strip()[:100]
    if term:
        found = _term_index().get(term)
        conditions.append(_term_q(*found) if found else _code_q(term))
    taxonomy = (params.taxonomy_id or "").strip()[:100]
    if taxonomy:
        conditions.append(_taxonomy_q(_TAXONOMY_KINDS.get(taxonomy)))
    for condition in conditions:
        queryset = queryset.filter(pk__in=Program.objects.filter(condition).values("pk"))
    return queryset


def _organization_groups(queryset) -> OrderedDict[str, tuple[str, list[int]]]:
    """Organization id -> (name, program ids), in the order of their first program."""
    groups: OrderedDict[str, tuple[str, list[int]]] = OrderedDict()
    for pk, organisation, name in queryset.order_by("pk").values_list(
            "pk", "organisation", "name"):
        org_name = organization_name(Program(organisation=organisation, name=name))
        groups.setdefault(organization_uuid(org_name), (org_name, []))[1].append(pk)
    return groups


def _by_organization(queryset, organization_id: str | None):
    if not organization_id:
        return queryset
    group = _organization_groups(_published()).get(organization_id.strip())
    return queryset.filter(pk__in=group[1] if group else [])


def _programs_by_pk(pks) -> dict[int, Program]:
    return {p.pk: p for p in programs_for_export(Program.objects.filter(pk__in=list(pks)))}


def _filtered_services(params, *, search: bool = True):
    queryset = _published()
    if search:
        queryset = _search(queryset, params.search)
    after = _modified_after(params.modified_after)
    if after is not None:
        queryset = queryset.filter(updated_at__gte=after)
    queryset = _by_terms(queryset, params)
    return _by_organization(queryset, params.organization_id)


def _matches(text: str | None, *values: str) -> bool:
    haystack = " ".join(v or "" for v in values).lower()
    return all(word.lower() in haystack for word in _words(text))


# --------------------------------------------------------------------------- the profile


@api.get("/", response=ApiInfo, summary="About this API and its relationship with HSDS",
         operation_id="getAPIMetaInformation")
def meta(request):
    return {"version": HSDS_VERSION, "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri("openapi.json"),
            "description": DESCRIPTION}


@api.get("/services", response={200: Page, 400: Problem, 429: Problem},
         summary="Paginated list of services (one-to-one fields, or full or minimal)",
         operation_id="getPaginatedListOfServices")
def services(request, filters: ServiceQuery = Query(...)):  # noqa: B008
    if filters.full and filters.minimal:
        raise BadParameter("Ask for full or minimal, not both.")
    queryset = _filtered_services(filters)
    total = queryset.count()
    if filters.minimal:
        rows = queryset.order_by("pk").values_list("pk", "updated_at")
        return _page(filters, total, rows, lambda page: [
            {"id": entity_uuid("service", pk), "modified_date": updated.isoformat()}
            for pk, updated in page], cap=MINIMAL_MAX_PER_PAGE, default=MINIMAL_MAX_PER_PAGE)
    if filters.full:
        return _page(filters, total, programs_for_export(queryset),
                     lambda page: [service_object(p) for p in page])
    return _page(filters, total, programs_for_export(queryset), lambda page: [
        service_object(p, nested=False) | {"organization": organization_object(
            organization_name(p), [p], nested=False)} for p in page])


@api.get("/services/{id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One fully nested service", operation_id="getFullyNestedServiceById")
def service_detail(request, id: str):
    pk = pk_from_uuid("service", id)
    program = programs_for_export(_published().filter(pk=pk)).first() if pk else None
    if program is None:
        return _problem(404, "No published service has this id.")
    return service_object(program)


@api.get("/taxonomies", response={200: Page, 400: Problem, 429: Problem},
         summary="Paginated list of taxonomies", operation_id="getPaginatedListOfTaxonomies")
def taxonomy_list(request, filters: SearchQuery = Query(...)):  # noqa: B008
    rows = [t for t in taxonomy_objects()
            if _matches(filters.search, t["name"], t["description"])]
    return _page(filters, len(rows), rows)


@api.get("/taxonomies/{id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One taxonomy", operation_id="getTaxonomyById")
def taxonomy_detail(request, id: str):
    for taxonomy in taxonomy_objects():
        if taxonomy["id"] == id:
            return taxonomy
    return _problem(404, "No taxonomy has this id.")


@api.get("/taxonomy_terms", response={200: Page, 400: Problem, 429: Problem},
         summary="Paginated list of taxonomy terms",
         operation_id="getPaginatedListOfTaxonomyTerms")
def taxonomy_term_list(request, filters: TaxonomyTermQuery = Query(...)):  # noqa: B008
    rows = taxonomy_terms()
    if filters.taxonomy_id:
        kind = _TAXONOMY_KINDS.get(filters.taxonomy_id.strip())
        wanted = child_uuid("taxonomy", TAXONOMIES[kind][0]) if kind else None
        rows = [term for term in rows if term["taxonomy_id"] == wanted]
    if filters.parent_id:
        rows = []  # our taxonomies are flat
    rows = [term for term in rows
            if _matches(filters.search, term["name"], term["code"], term["description"])]
    return _page(filters, len(rows), rows)


@api.get("/taxonomy_terms/{id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One taxonomy term", operation_id="getTaxonomyTermById")
def taxonomy_term_detail(request, id: str):
    for term in taxonomy_terms():
        if term["id"] == id:
            return term
    return _problem(404, "No taxonomy term has this id.")


def _organization_page(groups, programs, *, full: bool, full_service: bool) -> list[dict]:
    out = []
    for name, pks in groups:
        group = [programs[pk] for pk in pks if pk in programs]
        data = organization_object(name, group, nested=full or full_service)
        if full or full_service:
            data["services"] = [service_object(p, nested=full_service) for p in group]
        out.append(data)
    return out


@api.get("/organizations", response={200: Page, 400: Problem, 429: Problem},
         summary="Paginated list of organizations",
         operation_id="getPaginatedListOfOrganizations")
def organization_list(request, filters: OrganizationQuery = Query(...)):  # noqa: B008
    groups = list(_organization_groups(_by_terms(_search(_published(), filters.search),
                                                 filters)).values())

    def build(page):
        programs = _programs_by_pk(pk for _name, pks in page for pk in pks)
        return _organization_page(page, programs, full=filters.full,
                                  full_service=filters.full_service)

    return _page(filters, len(groups), groups, build)


@api.get("/organizations/{id}", response={200: dict, 400: Problem, 404: Problem, 429: Problem},
         summary="One organization with its services", operation_id="getOrganizationById")
def organization_detail(request, id: str,
                        params: OrganizationDetailQuery = Query(...)):  # noqa: B008
    group = _organization_groups(_published()).get(id.strip())
    if group is None:
        return _problem(404, "No organization with published services has this id.")
    programs = _programs_by_pk(group[1])
    return _organization_page([group], programs, full=True,
                              full_service=params.full_service)[0]


@api.get("/service_at_locations", response={200: Page, 400: Problem, 429: Problem},
         summary="Paginated list of services at locations",
         operation_id="getPaginatedListOfServiceAtLocation")
def service_at_location_list(request, filters: ServiceAtLocationQuery = Query(...)):  # noqa: B008
    locations = Location.objects.filter(
        program__in=_filtered_services(filters, search=False).values("pk"))
    for word in _words(filters.search):
        locations = locations.filter(
            Q(program__name__icontains=word) | Q(program__organisation__icontains=word)
            | Q(program__summary__icontains=word) | Q(city__icontains=word)
            | Q(street__icontains=word) | Q(postal_code=word))
    locations = _near(locations, filters.postcode, filters.proximity)
    total = locations.count()

    def build(page):
        page = list(page)
        programs = _programs_by_pk({loc.program_id for loc in page})
        return [service_at_location_object(loc, programs[loc.program_id], full=filters.full)
                for loc in page]

    return _page(filters, total, locations, build)


def _near(locations, postcode: str | None, proximity: str | None):
    postcode = (postcode or "").strip()
    proximity = (proximity or "").strip()
    if proximity and not postcode:
        raise BadParameter("proximity needs a postcode.")
    if not postcode:
        return locations.order_by("pk")
    if not re.fullmatch(r"\d{5}", postcode):
        raise BadParameter("postcode must be a 5-digit US ZIP code, for example 10001.")
    if not proximity:
        return locations.filter(postal_code=postcode).order_by("pk")
    try:
        metres = float(proximity)
    except ValueError:
        metres = -1.0
    if not 0 < metres <= MAX_PROXIMITY_METRES:  # also NaN
        raise BadParameter(f"proximity must be a number of metres, more than 0 and at most "
                           f"{MAX_PROXIMITY_METRES}.")
    point = zip_lookup(postcode)
    if point is None:
        raise BadParameter(f"We could not find ZIP code {postcode}.")
    miles = metres / METRES_PER_MILE
    return (locations.filter(**bounding_box(point.latitude, point.longitude, miles))
            .annotate(miles=distance_miles(point.latitude, point.longitude))
            .filter(miles__lte=miles).order_by("miles", "pk"))


@api.get("/service_at_locations/{id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One fully nested service at a location",
         operation_id="getServiceAtLocationWithNestedDataById")
def service_at_location_detail(request, id: str):
    pk = pk_from_uuid("service_at_location", id)
    location = (Location.objects.filter(pk=pk, program__is_published=True).first()
                if pk else None)
    if location is None:
        return _problem(404, "No service at a location of a published program has this id.")
    program = _programs_by_pk([location.program_id])[location.program_id]
    return service_at_location_object(location, program, full=True)


# --------------------------------------------------------------------------- locations (extra)


@api.get("/locations", response={200: Page, 400: Problem, 429: Problem},
         summary="Paginated list of locations", operation_id="getPaginatedListOfLocations")
def location_list(request, filters: SearchQuery = Query(...)):  # noqa: B008
    queryset = Location.objects.filter(program__is_published=True).select_related("program")
    for word in _words(filters.search):
        queryset = queryset.filter(
            Q(city__icontains=word) | Q(street__icontains=word) | Q(postal_code=word)
            | Q(state__iexact=word) | Q(program__name__icontains=word))
    queryset = queryset.order_by("pk")
    return _page(filters, queryset.count(), queryset,
                 lambda page: [location_object(loc, loc.program) for loc in page])


@api.get("/locations/{id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One location", operation_id="getLocationById")
def location_detail(request, id: str):
    pk = pk_from_uuid("location", id)
    location = (Location.objects.filter(pk=pk, program__is_published=True)
                .select_related("program").first() if pk else None)
    if location is None:
        return _problem(404, "No location of a published program has this id.")
    data = location_object(location, location.program)
    data["service_at_locations"] = [{
        "id": service_at_location_id(location),
        "service_id": entity_uuid("service", location.program_id), "location_id": data["id"],
    }]
    return data

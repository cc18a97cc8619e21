"""The public, read-only listings API in the Open Referral HSDS 3.0 API profile (django-ninja).

``/api/hsds/`` says the version and profile; ``/services`` (search, page, per_page,
modified_after, taxonomy, organization_id), ``/services/{id}``, ``/organizations``,
``/organizations/{id}``, ``/locations`` and ``/locations/{id}``. Published programs only.
Answers are cached (Django's cache) and each client is rate-limited. The OpenAPI
description is at ``/api/hsds/openapi.json``; no docs page is served (it would load scripts
from elsewhere, which the CSP forbids). Nothing here calls another site.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import datetime, time
from math import ceil

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import NinjaAPI, Query, Schema
from ninja import errors as ninja_errors

from hsds.export import (
    location_object,
    organization_object,
    organizations,
    programs_for_export,
    service_object,
)
from hsds.mapping import (
    HSDS_VERSION,
    PROFILE_URL,
    child_uuid,
    entity_uuid,
    organization_name,
    organization_uuid,
    pk_from_uuid,
)
from iop.models import Location, Program

api = NinjaAPI(
    title="IOP Navigator listings (HSDS 3.0)",
    version="1.0",
    description=(
        "Published treatment program listings in the Open Referral Human Services Data "
        "Specification 3.0 API profile. Read-only, no sign-in. Each program is an HSDS "
        "service; programs sharing an organisation name are one organization."
    ),
    urls_namespace="hsds",
    openapi_url="/openapi.json",
    docs_url=None,
    csrf=False,
)


@api.exception_handler(ninja_errors.ValidationError)
def invalid_parameters(request, exc):
    """A parameter of the wrong type (page=abc) is a 400 that names it, never a 500."""
    names = sorted({".".join(str(p) for p in error.get("loc", [])[1:]) or "parameter"
                    for error in exc.errors})
    return _problem(400, "Invalid value for: " + ", ".join(names) + ".")


class ApiInfo(Schema):
    version: str
    profile: str
    openapi_url: str


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


class ServiceQuery(Schema):
    search: str | None = None
    page: int = 1
    per_page: int = 25
    modified_after: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy: str | None = None
    organization_id: str | None = None


class ListQuery(Schema):
    search: str | None = None
    page: int = 1
    per_page: int = 25


def _problem(status: int, detail: str, **headers) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def _client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return "hsds-rate:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def cached_and_limited(view):
    """Rate-limit by client, then answer from the cache when the same URL was asked lately."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        window = settings.HSDS_API_RATE_WINDOW
        key = f"{_client_key(request)}:{int(timezone.now().timestamp()) // window}"
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count > settings.HSDS_API_RATE_LIMIT:
            return _problem(429, "Too many requests. Try again in a minute.",
                            Retry_After=str(window))
        query = sorted(request.GET.lists())
        cache_key = "hsds-api:" + hashlib.sha256(
            json.dumps([request.path, query]).encode()).hexdigest()
        hit = cache.get(cache_key)
        if hit is not None:
            status, body = hit
            response = HttpResponse(body, status=status, content_type="application/json")
        else:
            result = view(request, *args, **kwargs)
            if isinstance(result, HttpResponse):
                return result
            body = json.dumps(result, ensure_ascii=False)
            cache.set(cache_key, (200, body), settings.HSDS_API_CACHE_SECONDS)
            response = HttpResponse(body, content_type="application/json")
        response["Cache-Control"] = f"public, max-age={settings.HSDS_API_CACHE_SECONDS}"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _paginate(items_count: int, page: int, per_page: int):
    per_page = max(1, min(per_page, settings.HSDS_API_MAX_PER_PAGE))
    page = max(1, page)
    total_pages = max(1, ceil(items_count / per_page))
    return page, per_page, total_pages, (page - 1) * per_page


def _page(contents, total: int, page: int, per_page: int, total_pages: int) -> dict:
    return {
        "total_items": total, "total_pages": total_pages, "page_number": page,
        "size": len(contents), "first_page": page == 1, "last_page": page >= total_pages,
        "empty": not contents, "contents": contents,
    }


def _published():
    return Program.objects.published()


def _search(queryset, text: str | None):
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    for word in text.split()[:8]:
        queryset = queryset.filter(
            Q(name__icontains=word) | Q(organisation__icontains=word)
            | Q(summary__icontains=word) | Q(locations__city__icontains=word)
        )
    return queryset.distinct()


def _modified_after(value: str | None):
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@api.get("/", response=ApiInfo, summary="About this API and its relationship with HSDS",
         operation_id="getAPIMetaInformation")
@cached_and_limited
def meta(request):
    return {"version": HSDS_VERSION, "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri("openapi.json")}


@api.get("/services", response={200: Page, 400: Problem, 429: Problem},
         summary="Paginated list of services", operation_id="getPaginatedListOfServices")
@cached_and_limited
def services(request, filters: ServiceQuery = Query(...)):  # noqa: B008
    queryset = _search(_published(), filters.search)
    try:
        after = _modified_after(filters.modified_after)
    except ValueError:
        return _problem(400, "modified_after must be a date or date-time (ISO 8601).")
    if after is not None:
        queryset = queryset.filter(updated_at__gte=after)
    term = (filters.taxonomy or filters.taxonomy_term_id or "").strip()[:100]
    if term:
        queryset = queryset.filter(
            Q(levels__code=term) | Q(program_services__service__slug=term)
            | Q(populations__slug=term)
        ).distinct()
    if filters.organization_id:
        names = {name for name in _published().values_list("organisation", flat=True)}
        names |= set(_published().filter(organisation="").values_list("name", flat=True))
        wanted = [n.strip() for n in names
                  if organization_uuid(n.strip()) == filters.organization_id]
        queryset = queryset.filter(
            Q(organisation__in=wanted) | Q(organisation="", name__in=wanted))
    total = queryset.count()
    page, per_page, total_pages, start = _paginate(total, filters.page, filters.per_page)
    rows = programs_for_export(queryset)[start:start + per_page]
    return _page([service_object(p, nested=False) | {"organization": organization_object(
        organization_name(p), [p], nested=False)} for p in rows],
        total, page, per_page, total_pages)


@api.get("/services/{service_id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One fully nested service", operation_id="getFullyNestedServiceById")
@cached_and_limited
def service_detail(request, service_id: str):
    pk = pk_from_uuid("service", service_id)
    program = programs_for_export(_published().filter(pk=pk)).first() if pk else None
    if program is None:
        return _problem(404, "No published service has this id.")
    return service_object(program)


def _organization_groups(search: str | None):
    programs = list(programs_for_export(_search(_published(), search)))
    return list(organizations(programs).items())


@api.get("/organizations", response={200: Page, 429: Problem},
         summary="Paginated list of organizations",
         operation_id="getPaginatedListOfOrganizations")
@cached_and_limited
def organization_list(request, filters: ListQuery = Query(...)):  # noqa: B008
    groups = _organization_groups(filters.search)
    page, per_page, total_pages, start = _paginate(len(groups), filters.page, filters.per_page)
    contents = [organization_object(name, group, nested=False)
                for name, group in groups[start:start + per_page]]
    return _page(contents, len(groups), page, per_page, total_pages)


@api.get("/organizations/{organization_id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One organization with its services", operation_id="getOrganizationById")
@cached_and_limited
def organization_detail(request, organization_id: str):
    for name, group in _organization_groups(None):
        if organization_uuid(name) == organization_id:
            data = organization_object(name, group)
            data["services"] = [service_object(p, nested=False) for p in group]
            return data
    return _problem(404, "No organization with published services has this id.")


@api.get("/locations", response={200: Page, 429: Problem},
         summary="Paginated list of locations", operation_id="getPaginatedListOfLocations")
@cached_and_limited
def location_list(request, filters: ListQuery = Query(...)):  # noqa: B008
    queryset = Location.objects.filter(program__is_published=True).select_related("program")
    text = (filters.search or "").strip()[:200]
    for word in text.split()[:8]:
        queryset = queryset.filter(
            Q(city__icontains=word) | Q(street__icontains=word) | Q(postal_code=word)
            | Q(state__iexact=word) | Q(program__name__icontains=word))
    queryset = queryset.order_by("pk")
    total = queryset.count()
    page, per_page, total_pages, start = _paginate(total, filters.page, filters.per_page)
    contents = [location_object(loc, loc.program) for loc in queryset[start:start + per_page]]
    return _page(contents, total, page, per_page, total_pages)


@api.get("/locations/{location_id}", response={200: dict, 404: Problem, 429: Problem},
         summary="One location", operation_id="getLocationById")
@cached_and_limited
def location_detail(request, location_id: str):
    pk = pk_from_uuid("location", location_id)
    location = (Location.objects.filter(pk=pk, program__is_published=True)
                .select_related("program").first() if pk else None)
    if location is None:
        return _problem(404, "No location of a published program has this id.")
    data = location_object(location, location.program)
    service_id = entity_uuid("service", location.program_id)
    data["service_at_locations"] = [{
        "id": child_uuid(service_id, "service_at_location", location.pk),
        "service_id": service_id, "location_id": data["id"],
    }]
    return data

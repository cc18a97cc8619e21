"""Public catalogue pages. Views are thin: validate, call a selector, render."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from iop import geo
from iop.cache import (
    Ranking,
    cached_count,
    cached_count_set,
    cached_ranking,
    cached_ranking_set,
    catalogue_page,
    count_key,
    ranking_key,
)
from iop.filters import ProgramFilter, choice_labels
from iop.models import Program
from iop.selectors import (
    LIST_CARD_FIELDS,
    PublishedCardRows,
    card_rows_and_links,
    level_list,
    level_of,
    program_cards,
    program_list_base,
    program_lookups,
    published_program,
)
from iop.templatetags.iop_tags import filter_fields


@catalogue_page
@require_safe
def home(request):
    return render(request, "iop/home.html", {"levels": level_list()})


@catalogue_page
@require_safe
def about_iop(request):
    iop_level = level_of("iop")
    return render(request, "iop/about_iop.html", {"iop": iop_level})


@catalogue_page
@require_safe
def level_list_view(request):
    return render(request, "iop/level_list.html", {"levels": level_list()})


@catalogue_page
@require_safe
def level_detail(request, code):
    level = level_of(code)
    if level is None:
        raise Http404
    return render(request, "iop/level_detail.html", {"level": level, "levels": level_list()})


@catalogue_page
@require_safe
def program_list(request):
    program_filter = ProgramFilter(request.GET or None, queryset=program_list_base())
    form = program_filter.form
    if program_filter.is_bound:
        program_filter.errors  # noqa: B018 - validates: the list uses the valid filters only
    cleaned = getattr(form, "cleaned_data", {}) if program_filter.is_bound else {}
    near = program_filter.near_point
    q = (cleaned.get("q") or "").strip()
    # Ranked by relevance or distance, the database works out the order of every match: the
    # order is kept for the catalogue version (iop.cache.ranking_key), and a page reads its
    # twenty rows by id. Otherwise the page is read in index order and the count is kept
    # (iop.cache.count_key).
    number, per_page = cleaned.get("page") or 1, settings.PROGRAMS_PER_PAGE
    parts = _count_parts(cleaned)
    if q or near:
        # The filtered query (and the search's spelling help) is only built when the order
        # is not kept yet.
        paginator, page, spelling = _paginate_ranked(
            lambda: (program_filter.qs, getattr(program_filter, "spelling", {})),
            number, per_page, near=bool(near), key=ranking_key(parts),
        )
    else:
        # No valid filter (parts: the language, then the filters): every published program,
        # read as plain rows (PublishedCardRows).
        rows = (program_filter.qs.values(*LIST_CARD_FIELDS) if len(parts) > 1
                else PublishedCardRows())
        paginator, page = _paginate(rows, number, per_page, count_key=count_key(parts))
        spelling = {}
    radius = program_filter.radius_miles
    list_query = _list_query(request)
    programs = program_cards(page.object_list, near=near, radius=radius, list_query=list_query,
                             links=getattr(page, "card_links", None))
    suggestions = [] if programs else _loosen_suggestions(request, cleaned, near, radius)
    return render(
        request,
        "iop/program_list.html",
        {"filter": program_filter, "form": form, "page": page, "programs": programs,
         "total": paginator.count, "q": q, "near": near,
         "radius": radius, "suggestions": suggestions,
         "spelling": spelling,
         "chips": _filter_chips(request, form, cleaned, near, radius),
         "list_query": list_query, "filter_fields": filter_fields(form, radius),
         "canonical_url": _canonical_url(request, cleaned, page.number)},
    )


# What a list page's rel=canonical keeps: the level and the services are the pages worth
# finding in a search engine ("IOP programs", "programs with medication-assisted treatment").
# A search, a ZIP code (it says where someone lives) and the other filters are endless
# variations of those pages, so they point to them. The page number is kept only when nothing
# else was dropped (page 3 of a search is not page 3 of the list).
CANONICAL_KEPT = ("level", "service")
CANONICAL_DROPPED = ("q", "near", "population", "payment", "language", "telehealth",
                     "schedule", "state")


def _canonical_url(request, cleaned: dict, page_number: int) -> str:
    query = QueryDict(mutable=True)
    for name in CANONICAL_KEPT:
        value = cleaned.get(name)
        if value:
            query.setlist(name, sorted(value) if isinstance(value, list | tuple) else [value])
    dropped = any(
        (value.strip() if isinstance(value, str) else value)
        for value in (cleaned.get(name) for name in CANONICAL_DROPPED)
    )
    if page_number > 1 and not dropped:
        query["page"] = str(page_number)
    path = reverse("iop:program_list")
    return request.build_absolute_uri(f"{path}?{query.urlencode()}" if query else path)


def _count_parts(cleaned: dict) -> tuple:
    """What the number of matching programs depends on: the valid filters (the list ignores
    the others), in a stable order, without the page; and the language."""
    parts = []
    for name, value in sorted(cleaned.items()):
        if name == "page" or not value:
            continue
        if isinstance(value, list | tuple):
            value = tuple(sorted(str(item) for item in value))
        elif isinstance(value, str):
            value = value.strip()
        parts.append((name, value))
    return (get_language() or "", *parts)


def _list_query(request) -> str:
    """The list's own parameters of this request (search, filters, page), as a query string:
    program links carry it, so a program page's "back" link returns to the same results."""
    query = QueryDict(mutable=True)
    for name in ProgramFilter.base_filters:
        values = [value for value in request.GET.getlist(name) if value]
        if values:
            query.setlist(name, values)
    return query.urlencode()


def _filter_chips(request, form, cleaned: dict, near, radius: int) -> list[tuple[str, str]]:
    """The filters in use, each as (label, query string without it), for removable chips.
    The query is read once, as (name, value) pairs without the page: QueryDict.urlencode
    writes the same pairs as urllib's urlencode, without copying the QueryDict per chip."""
    pairs = [(name, value) for name, values in request.GET.lists() if name != "page"
             for value in values]

    def without(name: str, value: str | None = None) -> str:
        if value is not None:
            return urlencode([pair for pair in pairs if pair != (name, value)])
        dropped = {name, "radius"} if name == "near" else {name}
        return urlencode([pair for pair in pairs if pair[0] not in dropped])

    def choice_label(name: str, value) -> str:
        return str(choice_labels(form.fields[name]).get(value, value))

    chips = []
    if (cleaned.get("q") or "").strip():
        chips.append((_("Search: “%(q)s”") % {"q": cleaned["q"].strip()}, without("q")))
    if near:
        chips.append((_("Within %(miles)s miles of %(zip)s") % {
            "miles": radius, "zip": near.zip_code}, without("near")))
    if cleaned.get("level"):
        chips.append((choice_label("level", cleaned["level"]), without("level")))
    for slug in cleaned.get("service") or ():
        chips.append((choice_label("service", slug), without("service", slug)))
    for name in ("population", "payment", "language"):
        if cleaned.get(name):
            chips.append((choice_label(name, cleaned[name]), without(name)))
    if cleaned.get("telehealth"):
        chips.append((_("Telehealth"), without("telehealth")))
    for name in ("schedule", "state"):
        if cleaned.get(name):
            chips.append((choice_label(name, cleaned[name]), without(name)))
    return chips


def _paginate(rows, number: int, per_page: int, *, count_key: str):
    """The paginator and the page asked for (the last page when `number` is past the end) of
    `rows`, the programs as rows of LIST_CARD_FIELDS (a ``values()`` queryset, or
    PublishedCardRows). The total comes from the count kept under
    `count_key` (iop.cache.count_key: this catalogue version) when there is one: then only the
    page is read."""
    paginator = Paginator(rows, per_page)
    known = cached_count(count_key)
    if known is not None:
        paginator.count = known
        return paginator, paginator.get_page(number)
    page = paginator.get_page(number)
    cached_count_set(count_key, paginator.count)
    return paginator, page


def _paginate_ranked(matching, number: int, per_page: int, *, near: bool, key: str):
    """As _paginate, with the spelling help, for a list in an order the database works out
    for every match (by relevance, by distance): the order (ids, and miles near a ZIP code)
    is read once per catalogue version and kept under `key` (iop.cache.ranking_key) with the
    spelling help; then each page reads its own rows by id, in one query. `matching()` gives
    the filtered, ordered queryset and the spelling help, and is only called to rank."""
    ranking = cached_ranking(key)
    if ranking is None:
        queryset, spelling = matching()
        ordered = queryset.values_list("pk", "miles") if near else (
            (pk, None) for pk in queryset.values_list("pk", flat=True)
        )
        ranking = Ranking.of(ordered, spelling=spelling)
        cached_ranking_set(key, ranking)
    paginator = Paginator(range(len(ranking)), per_page)
    page = paginator.get_page(number)
    bottom, top = page.start_index() - 1, page.end_index()
    if not ranking.covers(bottom, top):  # past the kept part: the database ranks this page
        queryset, _spelling = matching()
        fields = (*LIST_CARD_FIELDS, "miles") if near else LIST_CARD_FIELDS
        page.object_list = list(queryset.values(*fields)[bottom:top])
        return paginator, page, ranking.spelling
    matches = ranking.slice(bottom, top)
    rows, page.card_links = card_rows_and_links([pk for pk, _miles in matches])
    # A program unpublished since the order was read has changed the version: it is left out
    # only by a request that started before the change.
    page.object_list = [
        {**rows[pk], "miles": miles} if near else rows[pk] for pk, miles in matches if pk in rows
    ]
    return paginator, page, ranking.spelling


def _loosen_suggestions(request, cleaned: dict, near, radius: int) -> list[tuple[str, str]]:
    """What to loosen when nothing matches: (label, query string with that loosened)."""
    suggestions = []
    if near and radius < geo.RADIUS_CHOICES[-1]:
        wider = next(miles for miles in geo.RADIUS_CHOICES if miles > radius)
        suggestions.append(
            (_("Search within %(miles)s miles") % {"miles": wider}, {"radius": wider})
        )
    if near and not cleaned.get("telehealth"):
        suggestions.append((_("Include telehealth programs anywhere"), {"telehealth": "true"}))
    if cleaned.get("q"):
        suggestions.append((_("Search without “%(q)s”") % {"q": cleaned["q"]}, {"q": None}))
    for name, label in (
        ("service", _("Choose fewer services")), ("level", _("Any level of care")),
        ("population", _("Anyone, not only one group")), ("payment", _("Any payment")),
        ("language", _("Any language")), ("schedule", _("Any time of day")),
        ("state", _("Any state")),
    ):
        if cleaned.get(name):
            suggestions.append((label, {name: None}))
    links = []
    for label, changes in suggestions:
        query = request.GET.copy()
        query.pop("page", None)
        for key, value in changes.items():
            query.pop(key, None)
            if value is not None:
                query[key] = value
        links.append((label, query.urlencode()))
    return links


@catalogue_page
@require_safe
def program_detail(request, slug):
    program = published_program(slug)
    if program is None:
        raise Http404("No such published program.")
    program.lookups = program_lookups(program)  # levels, populations, languages, …
    groups = {}
    for program_service in program.program_services.all():
        groups.setdefault(program_service.service.get_category_display(), []).append(
            program_service
        )
    return render(
        request, "iop/program_detail.html",
        {"program": program, "service_groups": groups, "list_query": _list_query(request),
         "accepting_label": _choice_label(Program.Accepting, program.accepting),
         "physician_label": _choice_label(Program.Physician, program.physician),
         # The way back to the list rides on the query string: the page itself is one.
         "canonical_url": request.build_absolute_uri(program.get_absolute_url())},
    )


def _choice_label(choices, value) -> str:
    """What ``get_FOO_display()`` says for `value`, without making a dict of the field's
    choices on every call (a program page showed two)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@never_cache
@require_safe
def healthz(request):
    """The process is up. Touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """The database and the cache answer."""
    checks = {}
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "unavailable"
    try:
        cache.set("readyz", "1", 5)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "unavailable"
    except Exception:  # noqa: BLE001
        checks["cache"] = "unavailable"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )

"""Read queries for the catalogue. Views call these; nothing here renders."""

import bisect
import difflib
import re
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from iop.geo import nearest_place
from iop.i18n import localized_sql, tenths_formatter
from iop.kept import URL_SETTINGS, Kept
from iop.models import LevelOfCare, Location, Program, ProgramService, Service

MAX_SEARCH_WORDS = 10
_WORD = re.compile(r"[^\W_]+")


class TrigramWordMatch(Func):
    """`text %> word` (pg_trgm): some word of `text` is spelled like `word`. The trigram GIN
    index on Program.search_text answers it; the threshold is pg_trgm.word_similarity_threshold
    (set to 0.45 for this database by migration 0006)."""

    arg_joiner = " %%> "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def program_search(
    queryset: QuerySet[Program], text: str, corrections: dict[str, list[str]] | None = None
) -> QuerySet[Program]:
    """Keep programs matching every word of `text`, best match first on PostgreSQL.

    When a dict is given as `corrections`, it receives the misspelt words that were widened
    to the words they resemble ({"livng": ["living"]}), for the page to say so.
    """
    if connection.vendor == "postgresql":
        return _program_search_fulltext(queryset, text, corrections)
    return _program_search_icontains(queryset, text)


VOCABULARY_CACHE_KEY = "iop:search-vocabulary"
VOCABULARY_TIMEOUT = 60 * 60  # seconds; rebuilt sooner when a program's search text changes
SPELLING_CUTOFF = 0.75  # difflib ratio: "livng"→"living" is 0.91, "sobr"→"sober" 0.89


def search_vocabulary() -> tuple[str, ...]:
    """Every word of the published programs' search documents, sorted (PostgreSQL). Cached:
    building it reads every document (about 250 ms at 10,000 programs); the cache is dropped
    whenever a program's search document is rebuilt (iop.services)."""
    words = cache.get(VOCABULARY_CACHE_KEY)
    if words is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM ts_stat(%s, 'ABC')",  # not D: the Spanish stems
                [f"SELECT search_vector FROM {Program._meta.db_table} "  # noqa: S608 - model constant
                 "WHERE is_published AND search_vector IS NOT NULL"],
            )
            words = tuple(sorted(word for (word,) in cursor.fetchall() if word.isalpha()))
        cache.set(VOCABULARY_CACHE_KEY, words, VOCABULARY_TIMEOUT)
    return words


def spelling_alternatives(word: str, vocabulary: tuple[str, ...]) -> list[str]:
    """Known words spelled like `word`, best first; none when `word` is known or starts one."""
    if len(word) < 3 or not word.isalpha():
        return []
    index = bisect.bisect_left(vocabulary, word)
    if index < len(vocabulary) and vocabulary[index].startswith(word):
        return []
    matches = difflib.get_close_matches(word, vocabulary, n=3, cutoff=SPELLING_CUTOFF)
    scores = [difflib.SequenceMatcher(None, word, match).ratio() for match in matches]
    # Only the close runners-up: "evning" → "evening" (0.92), not also "enning" (0.83).
    return [match for match, score in zip(matches, scores, strict=True)
            if score >= scores[0] - 0.05]


def _word_query(word: str) -> SearchQuery:
    # One tsquery (stemmed OR prefix), so each row's vector is matched once, not twice.
    return SearchQuery(word, search_type="plain", config="english") | SearchQuery(
        f"{word}:*", search_type="raw", config="simple"
    )


def _program_search_fulltext(
    queryset: QuerySet[Program], text: str, corrections: dict | None
) -> QuerySet[Program]:
    """PostgreSQL: every word matches the stored vector, stemmed ("programs") or as the start
    of a word ("intensiv"). Only when no program matches that way, small typos ("livng") are
    forgiven: an unknown word also matches the known words spelled like it (the vocabulary of
    all search documents, difflib); a word with none of those may instead be spelled like a word
    of a name, service or city (trigrams, the slow path). Ranked by the weighted vector: name,
    then services and summary, then description and city. Costs one extra, index-only query
    (the exact check), and on a typo one more when the vocabulary is not cached.
    """
    words = _WORD.findall(text.lower())[:MAX_SEARCH_WORDS]
    if not words:
        return queryset.none()

    every_word = _word_query(words[0])
    for word in words[1:]:
        every_word &= _word_query(word)
    exact = queryset.filter(search_vector=every_word)
    ranked_words = list(words)
    if exact.exists():
        queryset = exact
    else:
        vocabulary = search_vocabulary()
        for word in words:
            alternatives = spelling_alternatives(word, vocabulary)
            condition = _word_query(word)
            for alternative in alternatives:
                condition |= _word_query(alternative)
            if alternatives:
                ranked_words += alternatives
                if corrections is not None:
                    corrections[word] = alternatives
                queryset = queryset.filter(search_vector=condition)
            else:
                queryset = queryset.filter(
                    Q(search_vector=condition) | TrigramWordMatch(F("search_text"), Value(word))
                )
    ranking = SearchQuery(text[:200], search_type="websearch", config="english") | SearchQuery(
        " | ".join(f"{word}:*" for word in ranked_words), search_type="raw", config="simple"
    )
    return queryset.annotate(search_rank=SearchRank(F("search_vector"), ranking)).order_by(
        "-search_rank", "name", "pk"
    )


def _program_search_icontains(queryset: QuerySet[Program], text: str) -> QuerySet[Program]:
    """Every word must appear in the name, organisation, summary, description,
    a service name or a location's city (case-insensitive), in English or in Spanish (the
    translated columns are named: a bare "summary" would mean the page's language only)."""
    for word in text.split()[:MAX_SEARCH_WORDS]:
        service_match = ProgramService.objects.filter(
            Q(service__name_en__icontains=word) | Q(service__name_es__icontains=word),
            program=OuterRef("pk"),
        )
        city_match = Location.objects.filter(program=OuterRef("pk"), city__icontains=word)
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(organisation__icontains=word)
            | Q(summary_en__icontains=word) | Q(summary_es__icontains=word)
            | Q(description_en__icontains=word) | Q(description_es__icontains=word)
            | Exists(service_match)
            | Exists(city_match)
        )
    return queryset


# The stored search document: about 1.5 kB a row that no page shows (ranking reads it in SQL).
SEARCH_DOCUMENT_FIELDS = ("search_vector", "search_text")


# The columns a list card shows (program_cards), read as plain rows: a narrow row, without
# the description or the search document. (modeltranslation gives translated fields in the
# current language, falling back to English.)
LIST_CARD_FIELDS = (
    "id", "name", "slug", "organisation", "summary", "schedule_day", "schedule_evening",
    "schedule_weekend", "telehealth", "accepting", "is_demo", "is_synthetic",
)


def _per_language(kept: dict, build):
    """What `build()` makes, made once per language and kept in `kept` (modeltranslation
    words the fields, and orders by them, in the language of the moment)."""
    language = get_language() or ""
    value = kept.get(language)
    if value is None:
        value = kept[language] = build()
    return value


def _once_per_language(kept: dict[str, QuerySet], build) -> QuerySet:
    """A clone of the queryset `build()` makes, built once per language: building one took
    ~0.5 ms."""
    return _per_language(kept, build).all()


_list_bases: dict[str, QuerySet[Program]] = {}


def program_list_base() -> QuerySet[Program]:
    """Published programs in list order. The list reads a page of them as rows
    (``.values(*LIST_CARD_FIELDS)``, or card_rows_and_links) and program_cards adds their
    levels and locations: two queries at most, however many programs."""
    return _once_per_language(_list_bases, lambda: Program.objects.published().only(
        *LIST_CARD_FIELDS).order_by("name", "pk"))


def _card_rows_sql(where_and_order: str) -> str:
    """The SELECT of LIST_CARD_FIELDS from published programs, the summary in the current
    language by the rule of iop.i18n.localized (this list and LIST_CARD_FIELDS must agree:
    tests/iop/test_speed.py compares card_rows_and_links with the ORM's values)."""
    return (
        f"SELECT {_card_columns_sql()} FROM {Program._meta.db_table} "  # noqa: S608 - model constants, values as parameters
        f"WHERE is_published {where_and_order}"
    )


def _card_columns_sql() -> str:
    """LIST_CARD_FIELDS as columns of the program table, the summary in the current
    language."""
    return (
        f"id, name, slug, organisation, {localized_sql('summary')}, schedule_day, "
        "schedule_evening, schedule_weekend, telehealth, accepting, is_demo, is_synthetic"
    )


def _as_card_rows(rows) -> list[dict]:
    return [dict(zip(LIST_CARD_FIELDS, row, strict=True)) for row in rows]


def card_rows_and_links(ids: list[int]) -> tuple[dict[int, dict], list[tuple]]:
    """The published ones of the programs `ids` as rows of LIST_CARD_FIELDS (as
    ``program_list_base().values(*LIST_CARD_FIELDS)`` gives them), by id, and the levels and
    locations program_cards reads for them (rows as _card_links_sql gives them): one plain
    query, for a ranked page (a search, near-me), which knows its ids before it reads."""
    if not ids:
        return {}, []
    width = len(LIST_CARD_FIELDS)
    rows, links = {}, []
    for kind, *values in rows_for_ids(_cards_and_links_sql(), ids):
        if kind == 0:
            row = dict(zip(LIST_CARD_FIELDS, values[:width], strict=True))
            rows[row["id"]] = row
        else:
            links.append((values[0], *values[width:]))
    return rows, links


def _cards_and_links_sql() -> str:
    """_card_rows_sql's columns, then _card_links_sql's (the program id shared), in three
    parts told apart by the first column; the first part names the types of the columns the
    others fill (PostgreSQL reads them from the first part)."""
    table, source, target = _link_table("levels")
    nulls = ", ".join(["NULL"] * (len(LIST_CARD_FIELDS) - 1))  # the card's columns but the id
    return (  # names from the models, values as parameters
        f"SELECT 0, {_card_columns_sql()}, CAST(NULL AS bigint), CAST(NULL AS bigint), "  # noqa: S608
        "CAST(NULL AS varchar(100)), CAST(NULL AS varchar(100)), "
        "CAST(NULL AS double precision), CAST(NULL AS double precision) "
        f"FROM {Program._meta.db_table} WHERE is_published AND id IN ({{ids}}) UNION ALL "
        f"SELECT 1, {source}, {nulls}, {target}, NULL, NULL, NULL, NULL, NULL FROM {table} "
        f"WHERE {source} IN ({{ids}}) UNION ALL "
        f"SELECT 2, program_id, {nulls}, NULL, id, city, state, latitude, longitude "
        f"FROM {Location._meta.db_table} WHERE program_id IN ({{ids}})"
    )


class PublishedCardRows:
    """Every published program in list order, as rows of LIST_CARD_FIELDS, for a Paginator:
    a slice is one plain query (LIMIT/OFFSET on the name index), count() another."""

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {Program._meta.db_table} WHERE is_published",  # noqa: S608
            )
            return cursor.fetchone()[0]

    def __getitem__(self, index: slice) -> list[dict]:
        start, stop = index.start or 0, index.stop
        with connection.cursor() as cursor:
            cursor.execute(_card_rows_sql("ORDER BY name, id LIMIT %s OFFSET %s"),
                           [max(0, stop - start), start])
            return _as_card_rows(cursor.fetchall())


class TemplateRow(dict):
    """Values worked out once in Python for a template to print. A dict, because the template
    language looks keys up first (an attribute lookup costs it a caught exception); attributes
    work too (``row.name``)."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class ProgramCard(TemplateRow):
    """What one list card shows (program_cards), so the template only prints it."""

    __slots__ = ()


class Place(NamedTuple):
    city: str
    state: str
    latitude: float | None
    longitude: float | None


SLUG_PLACEHOLDER = "program-slug-placeholder"


def program_url_maker():
    """A function slug → program page address, reversing the URL once per language and
    script prefix (kept by this process) instead of once a card."""
    def make():
        prefix, _, suffix = reverse(
            "iop:program_detail", kwargs={"slug": SLUG_PLACEHOLDER}
        ).partition(SLUG_PLACEHOLDER)
        return lambda slug: f"{prefix}{slug}{suffix}"

    return _url_makers.get_or_make((get_language(), get_script_prefix(), get_urlconf()), make)


_url_makers = Kept(settings=URL_SETTINGS)  # a few entries: one per language and prefix


def _card_levels() -> dict[int, tuple]:
    """Each level by id as (rank, id, name in the page's language), for the cards' order and
    names: worded once per language and lookups version, not once a page."""
    from iop.cache import lookups_memo

    return lookups_memo(f"card_levels:{get_language() or ''}", lambda: {
        pk: (level.rank, pk, str(level.name))
        for pk, level in catalogue_lookups()["levels"].items()
    })


# What the cards word the same on every page of a language (translations change only with
# these settings, in tests).
_card_words_kept = Kept(settings={"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS",
                                  "INSTALLED_APPS"})


class CardWords(NamedTuple):
    distance: str  # "%(miles)s mi"
    away: str  # "%(miles)s mi away, so"
    accepting: dict[str, str]  # status → its label
    schedules: dict[tuple[bool, bool, bool], str]  # (day, evening, weekend) → "Daytime, …"


def card_words() -> CardWords:
    """The cards' fixed words in the page's language, worded once per language (about
    0.2 ms of gettext a page before)."""
    def make():
        flags = [(day, evening, weekend) for day in (False, True) for evening in (False, True)
                 for weekend in (False, True)]
        return CardWords(
            distance=_("%(miles)s mi"), away=_("%(miles)s mi away, so"),
            accepting=Program.accepting_labels(),
            schedules={flag: ", ".join(str(label) for label in Program.labels_of_schedule(*flag))
                       for flag in flags},
        )

    return _card_words_kept.get_or_make(get_language() or "", make)


def program_cards(rows, *, near=None, radius=None, list_query="",
                  links=None) -> list[ProgramCard]:
    """The list cards for `rows` (dicts of LIST_CARD_FIELDS, and ``miles`` when `near`, a
    geo.ZipPoint, is given): address (with the list's query, for the way back), levels,
    badges, distance and nearest city, where, when and openings. Reads the levels and the
    locations of all the rows in one query (none for no rows), unless `links` holds them
    (card_rows_and_links)."""
    rows = list(rows)
    ids = [row["id"] for row in rows]
    levels, places = defaultdict(list), defaultdict(list)
    if ids:
        known = _card_levels()
        located = []
        if links is None:
            links = rows_for_ids(_card_links_sql(), ids)
        for program_id, level_id, location_id, *place in links:
            if location_id is not None:
                located.append((location_id, program_id, Place(*place)))
            elif level_id in known:
                levels[program_id].append(known[level_id])
        for _location_id, program_id, place in sorted(located):
            places[program_id].append(place)
    words = card_words()
    distance_words, away_words = words.distance, words.away
    url_of = program_url_maker()
    query = f"?{list_query}" if list_query else ""
    accepting_labels, schedules = words.accepting, words.schedules
    tenths = tenths_formatter()
    more = {}  # 2 → "and 2 more locations" (the words the card used to work out itself)
    cards = []
    for row in rows:
        flags = (row["schedule_day"], row["schedule_evening"], row["schedule_weekend"])
        locations = places[row["id"]]
        nearest = nearest_place(locations, near.coordinates) if near else None
        location = nearest or (locations[0] if locations else None)
        miles = row.get("miles")
        others = max(0, len(locations) - 1)
        if others and others not in more:
            more[others] = ngettext(
                "and %(counter)s more location", "and %(counter)s more locations", others
            ) % {"counter": others}
        miles_text = tenths(miles) if miles is not None else ""
        cards.append(ProgramCard(
            pk=row["id"], name=row["name"], slug=row["slug"],
            url=f"{url_of(row['slug'])}{query}", organisation=row["organisation"],
            summary=row["summary"], is_demo=row["is_demo"],
            levels=[name for _rank, _pk, name in sorted(levels[row["id"]])],
            is_synthetic=row["is_synthetic"], telehealth=row["telehealth"],
            when=schedules[flags], accepting=row["accepting"],
            accepting_label=accepting_labels.get(row["accepting"], row["accepting"]),
            miles=miles, beyond_radius=bool(near and (miles is None or miles > radius)),
            distance=distance_words % {"miles": miles_text} if miles_text else "",
            distance_away=away_words % {"miles": miles_text} if miles_text else "",
            nearest=f"{nearest.city}, {nearest.state}" if nearest else "",
            location=f"{location.city}, {location.state}" if location else "",
            more_locations=more.get(others, ""),
        ))
    return cards


class CompiledQuery:
    """A queryset's SQL, compiled once, run again with one value changed: its rows as model
    instances, as iterating the queryset gives them (the database's converters applied).

    `marker` is the stand-in for the value in the queryset's filter (it must appear exactly
    once among the parameters). For the few small queries every program page makes, Django
    took longer to build and compile the SQL each time than the database took to answer."""

    def __init__(self, queryset: QuerySet, marker):
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        at = [index for index, param in enumerate(params) if param == marker]
        if len(at) != 1:
            raise ValueError(f"the marker {marker!r} must be one parameter of the query")
        self.sql, self.params, self.at = sql, list(params), at[0]
        self.model, self.db = queryset.model, queryset.db
        select_fields = compiler.klass_info["select_fields"]
        self.fields = [compiler.select[index][0].target.attname for index in select_fields]
        self.converters = list(compiler.get_converters(
            [compiler.select[index][0] for index in select_fields]).items())

    def instances(self, value) -> list:
        params = list(self.params)
        params[self.at] = value
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        width = len(self.fields)
        found = []
        for row in rows:
            row = list(row[:width])
            for index, (converters, expression) in self.converters:
                value_at = row[index]
                for converter in converters:
                    value_at = converter(value_at, expression, connection)
                row[index] = value_at
            found.append(self.model.from_db(self.db, self.fields, row))
        return found


_detail_queries: dict[str, tuple[CompiledQuery, CompiledQuery, CompiledQuery]] = {}
_SLUG, _PROGRAM_ID = "\x00slug\x00", -7_019_283


def _detail_queries_now() -> tuple[CompiledQuery, CompiledQuery, CompiledQuery]:
    """The program page's three queries, compiled once per language (modeltranslation orders
    the services by their name in the language of the moment)."""
    return _per_language(_detail_queries, lambda: (
        CompiledQuery(Program.objects.published().defer(*SEARCH_DOCUMENT_FIELDS)
                      .filter(slug=_SLUG).order_by("pk")[:1], _SLUG),
        CompiledQuery(ProgramService.objects.filter(program_id=_PROGRAM_ID).order_by(
            "service__category", "service__name", "pk"), _PROGRAM_ID),
        CompiledQuery(Location.objects.filter(program_id=_PROGRAM_ID).order_by("pk"),
                      _PROGRAM_ID),
    ))


def published_program(slug: str) -> Program | None:
    """The published program `slug` with its services (by category and name, each with its
    Service from catalogue_services) and its locations, in three queries; program_lookups adds
    the rest. Built by hand rather than with prefetch_related, whose machinery (and a Service
    object made for every link) took longer than the queries, from SQL compiled once per
    language (CompiledQuery): the lists are put where
    prefetch_related puts them, so ``program.program_services.all()`` and
    ``program.locations.all()`` read them."""
    program_query, links_query, locations_query = _detail_queries_now()
    found = program_query.instances(slug)
    if not found:
        return None
    program = found[0]
    services = catalogue_services()
    links = links_query.instances(program.pk)
    for link in links:
        link.program = program
        if link.service_id in services:  # else (added since the lookups were read) read it
            link.service = services[link.service_id]
    locations = locations_query.instances(program.pk)
    for location in locations:
        location.program = program
    program._prefetched_objects_cache = {  # noqa: SLF001 - where prefetch_related keeps them
        Program.program_services.field.remote_field.cache_name: links,
        Program.locations.field.remote_field.cache_name: locations,
    }
    return program


def catalogue_services() -> dict[int, Service]:
    """Every service by id, read once per version of the lookup tables (as catalogue_lookups)."""
    from iop.cache import lookups_memo

    return lookups_memo("services", lambda: {row.pk: row for row in Service.objects.all()})


# The small tables a program page names, by the program's many-to-many fields.
LOOKUP_FIELDS = ("levels", "populations", "languages", "payment_options", "accreditations")


def catalogue_lookups() -> dict[str, dict[int, object]]:
    """Every level, population, language, payment option and accreditation, by field and id:
    a hundred rows at most, read once per version of the lookup tables (iop.cache.lookups_memo)
    instead of five queries on every program page. Names are read in the page's language when
    shown (the rows hold every language's column)."""
    from iop.cache import lookups_memo

    def build():
        return {
            name: {row.pk: row for row in Program._meta.get_field(name).related_model.objects.all()}
            for name in LOOKUP_FIELDS
        }

    return lookups_memo("lookups", build)


def rows_for_ids(sql: str, ids: list[int]) -> list[tuple]:
    """`sql`, whose every ``IN ({ids})`` is a list of the ids, run with the ids.

    On PostgreSQL each list is one parameter, an array (``= ANY(%s::bigint[])``, which the
    planner reads as it reads an IN list): psycopg2 quoted each id of a placeholder a piece
    in Python, about 0.1 ms for the sixty of a list page's query. Elsewhere (SQLite) one
    placeholder an id."""
    lists = sql.count("{ids}")
    if sql.count("IN ({ids})") != lists:
        raise ValueError("rows_for_ids: every {ids} must stand in IN ({ids})")
    if connection.vendor == "postgresql":
        array = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        sql, params = sql.replace("IN ({ids})", "= ANY(%s::bigint[])"), [array] * lists
    else:
        sql, params = sql.replace("{ids}", ", ".join(["%s"] * len(ids))), list(ids) * lists
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _link_table(name: str) -> tuple[str, str, str]:
    """The link table of Program's many-to-many field `name` and its program and linked
    columns, quoted."""
    quote = connection.ops.quote_name
    field = Program._meta.get_field(name)
    return (quote(field.remote_field.through._meta.db_table), quote(field.m2m_column_name()),
            quote(field.m2m_reverse_name()))


@lru_cache(maxsize=8)
def _links_sql(names: tuple[str, ...]) -> str:
    """One query (UNION ALL) for the link tables of Program's many-to-many fields `names`:
    rows of (index of the field in `names`, program id, linked id)."""
    parts = []
    for index, name in enumerate(names):
        table, source, target = _link_table(name)
        # Names from the models, values as parameters.
        parts.append(
            f"SELECT {index}, {source}, {target} FROM {table} WHERE {source} IN ({{ids}})"  # noqa: S608
        )
    return " UNION ALL ".join(parts)


def program_links(program_ids: list[int], names=LOOKUP_FIELDS) -> dict[str, list[tuple]]:
    """For each many-to-many field in `names`: (program id, linked id) pairs of the programs,
    read in one query of the link tables alone (plain SQL: the ORM took longer to build the
    union than the database to answer it)."""
    links = {name: [] for name in names}
    for index, program_id, linked_id in rows_for_ids(_links_sql(tuple(names)), list(program_ids)):
        links[names[index]].append((program_id, linked_id))
    return links


def _by_rank(level) -> tuple:
    return (level.rank, level.pk)


def _by_name(row) -> tuple:
    return (str(row.name), row.pk)


@lru_cache(maxsize=1)
def _card_links_sql() -> str:
    """The list cards' levels and locations in one query (one round trip and one plan the
    fewer a page): rows of (program id, level id, location id, city, state, latitude,
    longitude), a level's row with NULL locations, a location's with a NULL level."""
    table, source, target = _link_table("levels")
    return (  # names from the models, values as parameters
        f"SELECT {source}, {target}, NULL, NULL, NULL, NULL, NULL FROM {table} "  # noqa: S608
        f"WHERE {source} IN ({{ids}}) UNION ALL "
        f"SELECT program_id, NULL, id, city, state, latitude, longitude "
        f"FROM {Location._meta.db_table} WHERE program_id IN ({{ids}})"
    )


def program_lookups(program: Program) -> dict[str, list]:
    """The program's levels (by rank) and its populations, languages, payment options and
    accreditations (by name), from one query on the link tables and catalogue_lookups."""
    lookups = catalogue_lookups()
    found = {name: [] for name in LOOKUP_FIELDS}
    for name, pairs in program_links([program.pk]).items():
        found[name] = [lookups[name][pk] for _program, pk in pairs if pk in lookups[name]]
    found["levels"].sort(key=_by_rank)
    for name in LOOKUP_FIELDS[1:]:
        found[name].sort(key=_by_name)
    return found


def level_list() -> list[LevelOfCare]:
    """Every level of care by rank: a handful of rows, read once per version of the lookup
    tables (iop.cache.lookups_memo). The rows are shared by the requests of this process:
    read them, never change them. Their translated fields are read in each page's language."""
    from iop.cache import lookups_memo

    return lookups_memo("levels", lambda: list(LevelOfCare.objects.order_by("rank")))


def level_of(code: str) -> LevelOfCare | None:
    """The level of care `code`, from level_list (no query once the levels are kept)."""
    return next((level for level in level_list() if level.code == code), None)

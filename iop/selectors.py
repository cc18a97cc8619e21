"""Read queries for the catalogue. Views call these; nothing here renders."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)

from iop.models import LevelOfCare, Location, Program, ProgramService

MAX_SEARCH_WORDS = 10
_WORD = re.compile(r"[^\W_]+")


class TrigramWordMatch(Func):
    """`text %> word` (pg_trgm): some word of `text` is spelled like `word`. The trigram GIN
    index on Program.search_text answers it; the threshold is pg_trgm.word_similarity_threshold
    (set to 0.45 for this database by migration 0006)."""

    arg_joiner = " %%> "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def program_search(queryset: QuerySet[Program], text: str) -> QuerySet[Program]:
    """Keep programs matching every word of `text`, best match first on PostgreSQL."""
    if connection.vendor == "postgresql":
        return _program_search_fulltext(queryset, text)
    return _program_search_icontains(queryset, text)


def _program_search_fulltext(queryset: QuerySet[Program], text: str) -> QuerySet[Program]:
    """PostgreSQL: every word matches the stored vector, stemmed ("programs") or as the start
    of a word ("intensiv"). Only when no program matches that way, small typos ("livng") are
    forgiven: a word may then instead be spelled like a word of a name, service or city
    (trigrams). Ranked by the weighted vector: name, then services and summary, then
    description and city. Costs one extra, index-only query (the fallback check).
    """
    words = _WORD.findall(text.lower())[:MAX_SEARCH_WORDS]
    if not words:
        return queryset.none()

    def word_query(word):
        # One tsquery (stemmed OR prefix), so each row's vector is matched once, not twice.
        return SearchQuery(word, search_type="plain", config="english") | SearchQuery(
            f"{word}:*", search_type="raw", config="simple"
        )

    every_word = word_query(words[0])
    for word in words[1:]:
        every_word &= word_query(word)
    exact = queryset.filter(search_vector=every_word)
    if exact.exists():
        queryset = exact
    else:
        for word in words:
            queryset = queryset.filter(
                Q(search_vector=word_query(word))
                | TrigramWordMatch(F("search_text"), Value(word))
            )
    ranking = SearchQuery(text[:200], search_type="websearch", config="english") | SearchQuery(
        " | ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )
    return queryset.annotate(search_rank=SearchRank(F("search_vector"), ranking)).order_by(
        "-search_rank", "name", "pk"
    )


def _program_search_icontains(queryset: QuerySet[Program], text: str) -> QuerySet[Program]:
    """Every word must appear in the name, organisation, summary, description,
    a service name or a location's city (case-insensitive)."""
    for word in text.split()[:MAX_SEARCH_WORDS]:
        service_match = ProgramService.objects.filter(
            program=OuterRef("pk"), service__name__icontains=word
        )
        city_match = Location.objects.filter(program=OuterRef("pk"), city__icontains=word)
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(organisation__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Exists(service_match)
            | Exists(city_match)
        )
    return queryset


# The stored search document: about 1.5 kB a row that no page shows (ranking reads it in SQL).
SEARCH_DOCUMENT_FIELDS = ("search_vector", "search_text")


def program_list_base() -> QuerySet[Program]:
    """Published programs with what a list card shows, in a constant number of queries."""
    return (
        Program.objects.published()
        .defer(*SEARCH_DOCUMENT_FIELDS)
        .prefetch_related(
            Prefetch("levels", queryset=LevelOfCare.objects.only("code", "rank", "name")),
            Prefetch("locations", queryset=Location.objects.order_by("pk")),
        )
        .order_by("name", "pk")
    )


def program_detail_queryset() -> QuerySet[Program]:
    return Program.objects.published().defer(*SEARCH_DOCUMENT_FIELDS).prefetch_related(
        "levels",
        Prefetch(
            "program_services",
            queryset=ProgramService.objects.select_related("service").order_by(
                "service__category", "service__name"
            ),
        ),
        "populations",
        "languages",
        "payment_options",
        "accreditations",
        Prefetch("locations", queryset=Location.objects.order_by("pk")),
    )


def level_list() -> QuerySet[LevelOfCare]:
    return LevelOfCare.objects.order_by("rank")

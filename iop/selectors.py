"""Read queries for the catalogue. Views call these; nothing here renders."""

import bisect
import difflib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
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
                "SELECT word FROM ts_stat(%s)",
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

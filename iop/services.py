"""Writes for the catalogue that more than one caller needs."""

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

from django.core.cache import cache
from django.db import connection

SEARCH_BATCH = 2000

# The stored search document of some programs (PostgreSQL). Name, organisation, summary and
# services go in twice: stemmed (english: "programs" finds "program") and as written (simple:
# so a prefix such as "intensiv" finds "intensive"); description and cities stemmed only, to
# keep the vector small. The Spanish summary, description and service names go in too (stemmed
# as Spanish and as written, weight D), so a search typed on a Spanish page finds them; the
# spelling help's vocabulary (iop.selectors.search_vocabulary) reads weights A-C only.
# search_text is the plain words for trigram (typo) matching.
SEARCH_UPDATE_SQL = """
WITH doc AS (
  SELECT p.id,
    concat_ws(' ', p.organisation, p.summary, (
      SELECT string_agg(s.name, ' ') FROM iop_programservice ps
      JOIN iop_service s ON s.id = ps.service_id WHERE ps.program_id = p.id
    )) AS b,
    concat_ws(' ', p.description, (
      SELECT string_agg(l.city || ' ' || l.state, ' ') FROM iop_location l
      WHERE l.program_id = p.id
    )) AS c,
    concat_ws(' ', p.summary_es, p.description_es, (
      SELECT string_agg(s.name_es, ' ') FROM iop_programservice ps
      JOIN iop_service s ON s.id = ps.service_id WHERE ps.program_id = p.id
    )) AS es,
    lower(concat_ws(' ', p.name, p.organisation, (
      SELECT string_agg(s.name, ' ') FROM iop_programservice ps
      JOIN iop_service s ON s.id = ps.service_id WHERE ps.program_id = p.id
    ), (
      SELECT string_agg(l.city, ' ') FROM iop_location l WHERE l.program_id = p.id
    ))) AS t
  FROM iop_program p WHERE p.id = ANY(%s)
)
UPDATE iop_program AS p SET
  search_vector =
    setweight(to_tsvector('english', p.name), 'A')
    || setweight(to_tsvector('simple', p.name), 'A')
    || setweight(to_tsvector('english', doc.b), 'B')
    || setweight(to_tsvector('simple', doc.b), 'B')
    || setweight(to_tsvector('english', doc.c), 'C')
    || setweight(to_tsvector('spanish', doc.es), 'D')
    || setweight(to_tsvector('simple', doc.es), 'D'),
  search_text = doc.t
FROM doc WHERE p.id = doc.id
"""


def program_search_index_update(program_ids: Iterable[int] | None = None) -> int:
    """Rebuild the stored full-text document (PostgreSQL) of these programs, or of all.

    Weights: name A; organisation, summary and services B; description and city C; the
    Spanish texts D.
    Call it after writing programs, their services or locations in bulk (signals cover
    single saves). On SQLite, where search is a plain case-insensitive match, it does nothing.
    Returns how many programs were updated.
    """
    if connection.vendor != "postgresql":
        return 0
    from iop.models import Program

    if program_ids is None:
        ids = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({int(pk) for pk in program_ids})
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), SEARCH_BATCH):
            cursor.execute(SEARCH_UPDATE_SQL, [ids[start:start + SEARCH_BATCH]])
            updated += cursor.rowcount
    from iop.selectors import VOCABULARY_CACHE_KEY

    cache.delete(VOCABULARY_CACHE_KEY)  # spelling help learns the new words
    from iop.cache import catalogue_changed

    catalogue_changed()  # raw SQL, no signals: cached search pages are out of date
    return updated


_pending: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "search_index_pending", default=None
)


def program_search_index_changed(program_ids: Iterable[int | None]) -> None:
    """These programs' search documents are stale: rebuild them now, or at the end of the
    surrounding ``search_index_batch()`` (signals call this for every saved row)."""
    ids = {pk for pk in program_ids if pk is not None}
    pending = _pending.get()
    if pending is not None:
        pending |= ids
    elif ids:
        program_search_index_update(ids)


@contextlib.contextmanager
def search_index_batch() -> Iterator[None]:
    """Rebuild each changed program's search document once, when the block ends without an
    error, however many of its rows were saved inside (a program form with its inlines, the
    demo loader). Nested batches join the outer one."""
    if _pending.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending:
        program_search_index_update(pending)

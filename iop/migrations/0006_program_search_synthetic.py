"""Synthetic listings, and the stored search document behind PostgreSQL full-text search.

On PostgreSQL this also enables pg_trgm and adds the GIN indexes (full-text vector, trigrams
of the plain search text) and lowers the trigram word-similarity threshold to 0.45 so that
small typos ("livng") still match. SQLite has none of these and skips them; its search is a
plain case-insensitive match.
"""

import django.contrib.postgres.search
from django.db import migrations, models

TRIGRAM_THRESHOLD = "0.45"

# A frozen copy of iop.services.SEARCH_UPDATE_SQL as it was when this migration was written.
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
    || setweight(to_tsvector('english', doc.c), 'C'),
  search_text = doc.t
FROM doc WHERE p.id = doc.id
"""


def postgres_search_setup(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("iop", "Program")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS program_search_vector_idx ON {table} USING gin (search_vector)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS program_search_text_trgm_idx ON {table} "
        "USING gin (search_text gin_trgm_ops)"
    )
    # For every later connection to this database, and for this one (the test run's).
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I SET pg_trgm.word_similarity_threshold = "
        f"{TRIGRAM_THRESHOLD}', current_database()); END $$"
    )
    schema_editor.execute(f"SET pg_trgm.word_similarity_threshold = {TRIGRAM_THRESHOLD}")


def postgres_search_teardown(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS program_search_text_trgm_idx")
    schema_editor.execute("DROP INDEX IF EXISTS program_search_vector_idx")
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I RESET pg_trgm.word_similarity_threshold', "
        "current_database()); END $$"
    )
    # pg_trgm stays: other objects may use it.


def search_index_fill(apps, schema_editor):
    """Build the search document of the programs that already exist (PostgreSQL)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    Program = apps.get_model("iop", "Program")
    ids = list(Program.objects.values_list("pk", flat=True))
    if ids:
        schema_editor.execute(SEARCH_UPDATE_SQL, [ids])


class Migration(migrations.Migration):

    dependencies = [
        ("iop", "0005_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalprogram",
            name="is_synthetic",
            field=models.BooleanField(default=False, help_text="Generated for benchmarks and tests (generate_programs). Marked on the site.", verbose_name="synthetic test listing"),
        ),
        migrations.AddField(
            model_name="program",
            name="is_synthetic",
            field=models.BooleanField(default=False, help_text="Generated for benchmarks and tests (generate_programs). Marked on the site.", verbose_name="synthetic test listing"),
        ),
        migrations.AddField(
            model_name="program",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(postgres_search_setup, postgres_search_teardown),
        migrations.RunPython(search_index_fill, migrations.RunPython.noop),
    ]

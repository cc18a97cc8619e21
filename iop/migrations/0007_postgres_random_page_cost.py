"""PostgreSQL: plan for SSD storage (random_page_cost 1.1 instead of the default 4.0).

The default models spinning disks: a random page read is priced at four sequential ones. With
it, the planner prefers reading the whole program table over the GIN index of the full-text
vector whenever a search word is common (say a fifth of the programs), and matching every
stored vector that way costs several times more than the index (10,000 programs, a word in a
fifth of them: 12-17 ms instead of 4 ms). 1.1 is the usual value for SSD or well-cached databases.

Set for this database, for every later connection, and for this connection (the test run's and
the benchmark's), as 0006 does for the trigram threshold. A DBA can still override it per role.
SQLite has no such setting and skips this.
"""

from django.db import migrations

RANDOM_PAGE_COST = "1.1"


def planner_costs_set(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Tuning only: a role that does not own the database keeps the default (and a notice).
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I SET random_page_cost = "
        f"{RANDOM_PAGE_COST}', current_database()); "
        "EXCEPTION WHEN insufficient_privilege THEN "
        "RAISE NOTICE 'random_page_cost left as it is: not the database owner'; END $$"
    )
    schema_editor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")


def planner_costs_reset(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %%I RESET random_page_cost', "
        "current_database()); EXCEPTION WHEN insufficient_privilege THEN NULL; END $$"
    )
    schema_editor.execute("RESET random_page_cost")


class Migration(migrations.Migration):

    dependencies = [
        ("iop", "0006_program_search_synthetic"),
    ]

    operations = [
        migrations.RunPython(planner_costs_set, planner_costs_reset),
    ]

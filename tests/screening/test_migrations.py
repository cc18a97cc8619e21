"""The questionnaires' data migrations can be reversed and applied again, and version 2's
loads exactly the frozen document it was written for."""

import hashlib
from importlib import import_module

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from screening import default_questionnaire as v1
from screening.models import Flag, Option, Questionnaire, ScreeningTestCase, Step

load_default = import_module("screening.migrations.0002_load_default_questionnaire")
load_v2 = import_module("screening.migrations.0009_load_questionnaire_v2")


def test_v2_migration_loads_the_frozen_document():
    assert hashlib.sha256(load_v2.DOCUMENT.read_bytes()).hexdigest() == load_v2.SHA256


@pytest.mark.django_db
def test_unload_removes_the_default_questionnaire_children_first():
    """The reverse function itself (rolled back with the test): no ProtectedError. With the
    historical models a migration gets, as the real models refuse to delete published rows."""
    assert Questionnaire.objects.filter(version=v1.VERSION).exists()
    loader = MigrationExecutor(connection).loader
    v2_state = loader.project_state(("screening", "0009_load_questionnaire_v2"))
    load_v2.unload(v2_state.apps, None)  # it does not use the schema editor
    assert not Questionnaire.objects.filter(version=2).exists()
    assert Questionnaire.objects.filter(version=v1.VERSION).exists()
    # What 0007 added to the shared flags (its own reverse needs 0008's reverse first).
    Flag.rank_services.through.objects.all().delete()
    Flag.rank_populations.through.objects.all().delete()
    state = loader.project_state(("screening", "0002_load_default_questionnaire"))
    load_default.unload(state.apps, None)
    assert not Questionnaire.objects.filter(version=v1.VERSION).exists()
    assert not Step.objects.exists() and not Option.objects.exists()
    assert not Flag.objects.exists() and not ScreeningTestCase.objects.exists()


def _table_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def test_screening_migrates_back_to_0001_and_forward_again(django_db_setup, django_db_blocker):
    """Really unapply and reapply the migrations on this worker's test database. Not inside
    a test transaction (SQLite cannot alter tables in one), and not a transactional test
    (whose flush would empty the reference data for later tests): it ends where it began."""
    with django_db_blocker.unblock():
        executor = MigrationExecutor(connection)
        leaves = executor.loader.graph.leaf_nodes()
        before = {
            "questions": _table_rows("screening_question"),
            "options": _table_rows("screening_option"),
            "flags": _table_rows("screening_flag"),
            "cases": _table_rows("screening_screeningtestcase"),
        }
        assert before["questions"] and before["options"]
        try:
            executor.migrate([("screening", "0001_initial")])
            assert _table_rows("screening_questionnaire") == 0
            assert _table_rows("screening_option") == 0
        finally:
            executor = MigrationExecutor(connection)
            executor.loader.build_graph()
            executor.migrate(leaves)
            cache.clear()  # the live rules cache remembers the old questionnaire's id
        after = {
            "questions": _table_rows("screening_question"),
            "options": _table_rows("screening_option"),
            "flags": _table_rows("screening_flag"),
            "cases": _table_rows("screening_screeningtestcase"),
        }
        assert after == before
        assert Questionnaire.objects.get(version=v1.VERSION).is_published


@pytest.mark.django_db
def test_v2_ships_under_the_next_number_when_a_draft_took_version_2():
    """A database where staff once copied version 1 has a draft version 2: the migration must
    still publish the v2 rules (under the next number), never leave version 1 live."""
    from screening.rules import live_rules

    state = MigrationExecutor(connection).loader.project_state(
        ("screening", "0009_load_questionnaire_v2")
    )
    load_v2.unload(state.apps, None)
    Questionnaire.objects.create(version=2, status="draft", notes="Copied from version 1.")
    load_v2.load(state.apps, None)
    shipped = Questionnaire.objects.get(status="published", version=3)
    assert shipped.questions.filter(key="suicide_behavior").exists()
    cache.clear()
    assert live_rules().version == 3
    load_v2.load(state.apps, None)  # run again: recognised, nothing added
    assert Questionnaire.objects.count() == 3

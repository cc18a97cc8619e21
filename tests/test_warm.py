"""The warm-up gunicorn's master does before it forks the workers (iop.warm, gunicorn.conf.py):
a new worker must not spend its first requests reading the ZIP code table, building the URL
resolvers or compiling templates while visitors wait."""

import gc
import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from iop import geo
from iop.warm import warm_up

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_warm_up_reads_every_table_and_template_without_a_query(django_assert_num_queries):
    geo._zip_index.cache_clear()
    with django_assert_num_queries(0):
        done = warm_up()
    assert geo._zip_index.cache_info().currsize == 1
    assert done["zip_codes"] == len(geo._zip_index()) > 30_000
    assert done["languages"] == len(settings.LANGUAGES)
    folders = engines["django"].template_dirs
    assert ROOT / "templates" in folders
    files = [path for folder in folders for path in Path(folder).rglob("*.html")]
    assert done["templates"] == len(files) > 50  # every one compiles
    # They are in the cached loader now: asking again compiles nothing.
    loader = engines["django"].engine.template_loaders[0]
    assert hasattr(loader, "get_template_cache")
    assert {"base.html", "iop/program_list.html", "screening/result.html"} <= set(
        loader.get_template_cache)


def test_gunicorn_master_warms_up_then_freezes(monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    lines = []

    class Log:
        def info(self, message, *args):
            lines.append(message % args)

    class Server:
        log = Log()

    monkeypatch.setattr("iop.warm.warm_up", lambda: {"templates": 1})
    try:
        conf.when_ready(Server())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert lines and "warmed up: {'templates': 1}" in lines[0]

"""iop.storage.KeptUrlsStaticFilesStorage: the manifest storage's addresses, worked out once."""

import json
from unittest import mock

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from iop.storage import KeptUrlsStaticFilesStorage

MANIFEST = {"paths": {"css/site.css": "css/site.0123abcd.css",
                      "img/favicon.svg": "img/favicon.4567ef01.svg"},
            "version": "1.1", "hash": "x"}


@pytest.fixture
def root(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps(MANIFEST))
    return tmp_path


@override_settings(DEBUG=False, STATIC_URL="/static/")
def test_the_same_addresses_as_the_manifest_storage_each_worked_out_once(root):
    kept = KeptUrlsStaticFilesStorage(location=root)
    plain = CompressedManifestStaticFilesStorage(location=root)
    for name in ("css/site.css", "img/favicon.svg", "css/site.css?v=1#top"):
        try:
            expected = plain.url(name)
        except ValueError:
            continue
        assert kept.url(name) == expected
    assert kept.url("css/site.css") == "/static/css/site.0123abcd.css"
    with mock.patch.object(CompressedManifestStaticFilesStorage, "stored_name") as stored:
        assert kept.url("css/site.css") == "/static/css/site.0123abcd.css"
        assert kept.url("img/favicon.svg") == "/static/img/favicon.4567ef01.svg"
    stored.assert_not_called()


@override_settings(DEBUG=False, STATIC_URL="/static/")
def test_a_missing_file_raises_every_time(root):
    kept = KeptUrlsStaticFilesStorage(location=root)
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            kept.url("css/missing.css")
    assert "css/missing.css" not in kept._kept_urls


def test_debug_and_setting_changes_as_the_manifest_storage(root):
    with override_settings(DEBUG=False, STATIC_URL="/static/"):
        kept = KeptUrlsStaticFilesStorage(location=root)
        plain = CompressedManifestStaticFilesStorage(location=root)
        assert kept.url("css/site.css") == "/static/css/site.0123abcd.css"
        with override_settings(STATIC_URL="/assets/"):
            assert kept.url("css/site.css") == plain.url("css/site.css")
        with override_settings(DEBUG=True):
            assert kept.url("css/site.css") == plain.url("css/site.css") == "/static/css/site.css"
        assert kept.url("css/site.css") == "/static/css/site.0123abcd.css"


@override_settings(DEBUG=False, STATIC_URL="/static/")
def test_collectstatic_clears_them(root):
    kept = KeptUrlsStaticFilesStorage(location=root)
    assert kept.url("css/site.css") == "/static/css/site.0123abcd.css"
    with mock.patch.object(CompressedManifestStaticFilesStorage, "post_process",
                           return_value=iter(())):
        list(kept.post_process({}))
    assert kept._kept_urls == {}

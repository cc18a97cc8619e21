"""iop.redis_cache: Django's Redis backend with one kept client per server, against the Redis
that runs on 127.0.0.1:6379 on every machine here (skipped where there is none)."""

import socket
import uuid

import pytest

from iop.redis_cache import DJANGO_REDIS, KeptClientRedisCache, kept_client_redis

LOCATION = "redis://127.0.0.1:6379/0"


def _redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not _redis_running(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache():
    backend = KeptClientRedisCache(LOCATION, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.delete_many(["a", "n"])  # not clear(): that empties the whole Redis database


@needs_redis
def test_one_client_serves_every_command(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("a", {"b": [1, 2]})
    redis_cache.set("n", 1)
    assert redis_cache.get("a") == {"b": [1, 2]}
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["a", "n", "missing"]) == {"a": {"b": [1, 2]}, "n": 2}
    assert redis_cache.add("a", "other") is False
    redis_cache.delete("a")
    assert redis_cache.get("a", "gone") == "gone"
    assert redis_cache._cache.get_client() is client


@needs_redis
def test_a_second_server_reads_from_its_own_kept_client():
    backend = KeptClientRedisCache(f"{LOCATION},redis://127.0.0.1:6379/1", {})
    reader, writer = backend._cache.get_client(), backend._cache.get_client(write=True)
    assert reader is not writer  # reads go to the second server, writes to the first
    assert backend._cache.get_client() is reader


def test_settings_switch_only_django_redis_and_drop_max_entries():
    caches = kept_client_redis({
        "default": {"BACKEND": DJANGO_REDIS, "LOCATION": LOCATION, "KEY_PREFIX": "p"},
        "pages": {"BACKEND": DJANGO_REDIS, "LOCATION": LOCATION,
                  "OPTIONS": {"MAX_ENTRIES": 2000, "socket_timeout": 2}},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                  "OPTIONS": {"MAX_ENTRIES": 2000}},
    })
    assert caches["default"]["BACKEND"] == "iop.redis_cache.KeptClientRedisCache"
    assert caches["default"]["KEY_PREFIX"] == "p"
    assert caches["pages"]["OPTIONS"] == {"socket_timeout": 2}
    assert caches["local"]["OPTIONS"] == {"MAX_ENTRIES": 2000}


@needs_redis
def test_a_redis_page_cache_with_max_entries_works():
    """PAGE_CACHE_URL=redis://… got MAX_ENTRIES from the settings, which Django's Redis
    backend handed to the connection pool: the first page read failed with a TypeError."""
    config = kept_client_redis({"pages": {
        "BACKEND": DJANGO_REDIS, "LOCATION": LOCATION,
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}", "OPTIONS": {"MAX_ENTRIES": 2000},
    }})["pages"]
    backend = KeptClientRedisCache(config["LOCATION"], config)
    try:
        backend.set("page", b"<html>")
        assert backend.get("page") == b"<html>"
    finally:
        backend.delete("page")

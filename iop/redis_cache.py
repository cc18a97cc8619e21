"""Django's Redis cache backend, keeping one `redis.Redis` client per server.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every command: the
connection pool is shared, but each client copies its table of response callbacks on the way
(a py-spy profile of a gunicorn worker under load showed 3–4 % of a catalogue page in
`Redis.__init__`). A `redis.Redis` is safe to share between threads (each command takes a
connection from the pool), so this backend makes each server's client once. Everything else is
Django's backend. The settings switch to it wherever CACHE_URL says `redis://` or `rediss://`.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient


DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"


def kept_client_redis(caches: dict) -> dict:
    """CACHES with Django's Redis backend replaced by KeptClientRedisCache. MAX_ENTRIES is
    dropped from a Redis alias's OPTIONS: it bounds local memory only (Redis has maxmemory),
    and Django's Redis backend would hand it to the connection pool, which refuses it."""
    kept = {}
    for alias, config in caches.items():
        config = dict(config)
        if config.get("BACKEND") == DJANGO_REDIS:
            config["BACKEND"] = f"{__name__}.KeptClientRedisCache"
            options = {k: v for k, v in config.get("OPTIONS", {}).items() if k != "MAX_ENTRIES"}
            config["OPTIONS"] = options
        kept[alias] = config
    return kept

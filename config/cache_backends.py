"""A Redis cache that a stopped or frozen Redis cannot take the site down with.

Every call has a short socket timeout (CACHE_TIMEOUT). When Redis fails, this worker process stops asking it for
CACHE_RETRY_AFTER seconds and uses its own memory instead, as with the default local-memory cache: pages
keep working (sessions and data come from the database; cached_db sessions find their row there), rate
limits count per worker instead of failing open or refusing everyone, and only the first request after an
outage pays the timeout. `reachable()` asks Redis itself, for the health check.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("supportcircle.cache")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Until when (time.monotonic()) each Redis location is skipped in this process; shared by its threads.
_skip_until: dict[str, float] = {}


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis for every cache call, and each copies redis-py's hundred-odd response
    callbacks (a tenth of a millisecond, several times a request). A client is only a handle on its pool and safe
    to share, so one is kept per pool."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        timeout = float(options.pop("timeout", 0.5))
        self.retry_after = float(options.pop("retry_after", 10))
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)
        fallback = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._fallback = LocMemCache(f"redis-fallback:{self._location}", {**fallback, "OPTIONS": {"MAX_ENTRIES": 1000}})

    def _call(self, method: str, *args, **kwargs):
        if time.monotonic() < _skip_until.get(self._location, 0):
            return getattr(self._fallback, method)(*args, **kwargs)
        try:
            return getattr(RedisCache, method)(self, *args, **kwargs)
        except UNAVAILABLE as error:
            _skip_until[self._location] = time.monotonic() + self.retry_after
            logger.warning(
                "Redis at %s unavailable (%s): using this process's memory for %.0f s",
                self._location,
                error.__class__.__name__,
                self.retry_after,
            )
            return getattr(self._fallback, method)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")

    def reachable(self) -> bool:
        """A write and a read on Redis itself, within the socket timeout. Success ends this process's detour."""
        key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
        try:
            RedisCache.set(self, key, value, timeout=10)
            ok = RedisCache.get(self, key) == value
            RedisCache.delete(self, key)
        except UNAVAILABLE:
            return False
        if ok:
            _skip_until.pop(self._location, None)
        return ok

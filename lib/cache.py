"""The shared cache (Redis in production) as this app uses it: for public pages,
headline figures, rate-limit counters and double-submission claims. Nothing in it
is the only copy of anything, so a Redis that cannot be reached is a cache that
misses: with Django's own backend, Redis stopped made the public site and the login
answer 500.

While it is down: reads miss; writes are dropped; ``add`` succeeds and ``incr``
counts from nothing, so a limit or a claim lets the request through (the login's
lockout itself is in the database, django-axes). Logged once a minute at most.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

_DOWN = (ConnectionError, TimeoutError)
_SAY_EVERY = 60.0
_said_at = 0.0


def _down(error: Exception) -> None:
    global _said_at
    now = time.monotonic()
    if now - _said_at >= _SAY_EVERY:
        _said_at = now
        logger.error(
            "The cache (Redis) cannot be reached; carrying on without it: %s", error
        )


class ForgivingRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _DOWN as error:
            _down(error)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except _DOWN as error:
            _down(error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except _DOWN as error:
            _down(error)
            return False

    def set(self, key: Any, value: Any, *args: Any, **kwargs: Any) -> None:
        try:
            super().set(key, value, *args, **kwargs)
        except _DOWN as error:
            _down(error)

    def set_many(self, data: Any, *args: Any, **kwargs: Any) -> list[Any]:
        try:
            return super().set_many(data, *args, **kwargs)
        except _DOWN as error:
            _down(error)
            return []

    def add(self, key: Any, value: Any, *args: Any, **kwargs: Any) -> bool:
        try:
            return super().add(key, value, *args, **kwargs)
        except _DOWN as error:
            _down(error)
            return True

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _DOWN as error:
            _down(error)
            return delta

    def touch(self, key: Any, *args: Any, **kwargs: Any) -> bool:
        try:
            return super().touch(key, *args, **kwargs)
        except _DOWN as error:
            _down(error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except _DOWN as error:
            _down(error)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except _DOWN as error:
            _down(error)

    def clear(self) -> None:
        try:
            super().clear()
        except _DOWN as error:
            _down(error)

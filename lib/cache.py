"""The shared cache (Redis in production) as this app uses it: for public pages,
headline figures, rate-limit counters and double-submission claims. Nothing in it
is the only copy of anything, so a Redis that cannot be reached is a cache that
misses: with Django's own backend, Redis stopped made the public site and the login
answer 500.

While it is down: reads miss; writes are dropped; ``add`` succeeds and ``incr``
counts from nothing, so a limit or a claim lets the request through (the login's
lockout itself is in the database, django-axes). Logged once a minute at most.
"""

import functools
import logging
import time
from collections.abc import Callable
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


def _forgiving(method: Callable[..., Any], when_down: Callable[..., Any]) -> Any:
    """``method`` of Django's Redis backend, answering ``when_down(*args)`` (given
    the same arguments) when Redis cannot be reached."""

    @functools.wraps(method)
    def forgiving(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except _DOWN as error:
            _down(error)
            return when_down(*args, **kwargs)

    return forgiving


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


class ForgivingRedisCache(RedisCache):
    get = _forgiving(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _forgiving(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _forgiving(RedisCache.has_key, lambda *args, **kwargs: False)
    set = _forgiving(RedisCache.set, _nothing)
    set_many = _forgiving(RedisCache.set_many, lambda *args, **kwargs: [])
    # As if the key were new: a claim is made, a counter starts from nothing.
    add = _forgiving(RedisCache.add, lambda *args, **kwargs: True)
    incr = _forgiving(RedisCache.incr, lambda key, delta=1, version=None: delta)
    touch = _forgiving(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _forgiving(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _forgiving(RedisCache.delete_many, _nothing)
    clear = _forgiving(RedisCache.clear, _nothing)

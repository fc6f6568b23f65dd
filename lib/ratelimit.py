"""Counting requests per key and hour in the cache (Redis in production, shared by
every worker; per process in development)."""

from django.core.cache import cache
from django.utils import timezone


def _name(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}:{timezone.now().strftime('%Y%m%d%H')}"


def over_hourly_limit(scope: str, key: str, limit: int) -> bool:
    """Count one more request of ``key`` in ``scope`` this hour; True once it is
    more than ``limit``. The key is whatever identifies the sender (a keyed hash
    of an address keeps the address out of the cache)."""
    name = _name(scope, key)
    cache.add(name, 0, timeout=3600)
    return int(cache.incr(name)) > limit


def hourly_count(scope: str, key: str) -> int:
    """How many of ``key``'s requests ``over_hourly_limit`` counted this hour."""
    return int(cache.get(_name(scope, key), 0))


def hourly_reset(scope: str, key: str) -> None:
    """Forget this hour's count of ``key`` in ``scope``."""
    cache.delete(_name(scope, key))

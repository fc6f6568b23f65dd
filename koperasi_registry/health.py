"""``/healthz/``: for container health checks and monitoring. The process answers,
and each service it needs is asked: the database, the shared cache (Redis, when
CACHE_URL is set) and the broker background jobs go through. One line each; 503
when any is down, naming it. It had asked the database only, and said "ok" while
Redis was stopped and no import, export or letter could run."""

from collections.abc import Callable

import redis
from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    # The cache itself forgives an outage (lib/cache.py): asked directly here.
    if settings.CACHE_URL:
        cache = redis.Redis.from_url(
            settings.CACHE_URL, socket_connect_timeout=2, socket_timeout=2
        )
        try:
            cache.ping()
        finally:
            cache.close()  # asked every 30 s by the health check


def _broker() -> None:
    # Bounded by the broker's own timeouts too (a Redis that never answers).
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=0, timeout=2)
        if broker.transport.driver_type == "redis":
            broker.default_channel.client.ping()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
}


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    lines, healthy = [], True
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            lines.append(f"{name} down")
            healthy = False
        else:
            lines.append(f"{name} ok")
    return HttpResponse(
        "\n".join(lines) + "\n",
        content_type="text/plain",
        status=200 if healthy else 503,
    )

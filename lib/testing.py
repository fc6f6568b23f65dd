"""Test support that needs no app: skipping for want of real services,
PostgreSQL's view of a table, and hostile images. The personas are in
``tests/personas.py``."""

import struct
import zlib
from typing import Any


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + data))
    return struct.pack(">I", len(data)) + kind + data + crc


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header claiming ``width`` x ``height`` with (almost) no pixel data: a
    decompression bomb's header, or a picture cut short."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 8))
        + _png_chunk(b"IEND", b"")
    )


def require_or_skip(missing: list[str]) -> None:
    """Skip a test whose real services are absent — but fail it under CI=true.

    CI runs against real PostgreSQL, Redis and Chromium; there, a test that would
    be skipped for want of them is a broken pipeline, not an optional test.
    """
    if not missing:
        return
    import os

    import pytest

    message = "needs " + ", ".join(missing)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: nothing that needs them may be skipped)")
    pytest.skip(message)


def missing_services() -> list[str]:
    """Which of PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL) are missing."""
    from django.conf import settings
    from django.db import connection

    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL in DATABASE_URL")
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        missing.append("Redis in CELERY_BROKER_URL")
    else:
        import redis

        try:
            redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
        except redis.RedisError:
            missing.append(f"a reachable Redis at {broker}")
    return missing


def table_indexes(model: type[Any]) -> dict[str, str]:
    """PostgreSQL: the indexes of ``model``'s table, name -> definition."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [model._meta.db_table],
        )
        return dict(cursor.fetchall())

"""Inserting many rows fast, and a lock that serialises whole transactions.

On PostgreSQL ``bulk_insert`` takes ids from the table's sequence and streams the
rows with ``COPY``: about ten times faster than ``bulk_create`` for 100,000 rows.
Elsewhere (SQLite in development) it is ``bulk_create``. Either way the objects come
back with their primary keys set and nothing happens outside the caller's
transaction.
"""

import datetime
import io
import json
import zlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)

_BATCH = 20_000


def bulk_insert(model: type[M], objects: Sequence[M]) -> Sequence[M]:
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objects, batch_size=500)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.generated]  # type: ignore[attr-defined]
    for obj in objects:
        for field in fields:
            field.pre_save(obj, add=True)  # auto_now_add, auto_now
    table = meta.db_table
    pk_column = meta.pk.column  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [table, pk_column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        sql = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        for start in range(0, len(objects), _BATCH):
            buffer = io.StringIO()
            for obj in objects[start : start + _BATCH]:
                buffer.write(
                    "\t".join(_copy_text(f, getattr(obj, f.attname)) for f in fields)
                )
                buffer.write("\n")
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _copy_text(field: "models.Field[Any, Any]", value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(field, models.JSONField):
        text = json.dumps(value, cls=field.encoder, ensure_ascii=False)
    elif isinstance(value, bool):
        text = "t" if value else "f"
    elif isinstance(value, datetime.datetime | datetime.date):
        text = value.isoformat()
    elif isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def transaction_lock(name: str) -> None:
    """Wait until no other transaction holds the lock ``name``; held until commit.

    PostgreSQL: a transaction-level advisory lock. SQLite admits one writer at a time,
    so the caller's first write already serialises.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())]
            )

"""Inserting many rows fast, and a lock that serialises whole transactions.

``insert_rows`` takes plain tuples, not model instances (building 100,000 model
instances costs more than inserting them). On PostgreSQL it streams the rows with
``COPY``, formatted by the C csv writer: about ten times faster than
``bulk_create``. Elsewhere (SQLite in development) it is ``bulk_create``. Either way
nothing happens outside the caller's transaction, and model ``save()`` and signals
are not involved: callers fill every column that has no database default.
"""

import csv
import gc
import io
import itertools
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from django.db import connection, models

_CHUNK_BYTES = 256 * 1024
_ROWS_PER_CHUNK = 1_000


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    return_ids: bool = False,
) -> list[int]:
    """Insert ``rows`` (values in the order of ``columns``, field attnames).

    With ``return_ids`` the new primary keys come back in the order of ``rows``
    (on PostgreSQL that costs a sequence call per row, about 4 µs); otherwise an
    empty list.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=500)
        return [obj.pk for obj in objects] if return_ids else []
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    quote = connection.ops.quote_name
    names = [quote(str(f.column)) for f in fields]
    # In CSV format an empty unquoted field is NULL; for NOT NULL text columns it
    # must read as an empty string instead.
    not_null_text = [
        quote(str(f.column))
        for f in fields
        if not f.null and isinstance(f, models.CharField | models.TextField)
    ]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if return_ids:
            pk_column = str(meta.pk.column)  # type: ignore[union-attr]
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [meta.db_table, pk_column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            names.insert(0, quote(pk_column))
        if json_at:
            rows = [_with_json(row, json_at) for row in rows]
        values = (
            ((pk, *row) for pk, row in zip(ids, rows, strict=True))
            if return_ids
            else iter(rows)
        )
        options = "FORMAT csv"
        if not_null_text:
            options += f", FORCE_NOT_NULL ({', '.join(not_null_text)})"
        sql = f"COPY {quote(meta.db_table)} ({', '.join(names)}) FROM STDIN ({options})"
        cursor.copy_expert(sql, _CsvStream(values), _CHUNK_BYTES)
    return ids


class _CsvStream:
    """A file-like view of rows as CSV text, made a few thousand rows at a time.

    COPY reads it chunk by chunk, so PostgreSQL inserts one chunk while Python
    formats the next (on the other core), and the table never sits in memory as
    text.
    """

    def __init__(self, rows: Iterator[Sequence[Any]]) -> None:
        self._rows = rows
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._pending = ""

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._pending) < size:
            chunk = list(itertools.islice(self._rows, _ROWS_PER_CHUNK))
            if not chunk:
                break
            self._buffer.seek(0)
            self._buffer.truncate()
            self._writer.writerows(chunk)
            self._pending += self._buffer.getvalue()
        if size < 0:
            text, self._pending = self._pending, ""
        else:
            text, self._pending = self._pending[:size], self._pending[size:]
        return text


def _with_json(row: Sequence[Any], positions: list[int]) -> list[Any]:
    values = list(row)
    for index in positions:
        values[index] = orjson.dumps(values[index]).decode()
    return values


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


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while building large data sets.

    An import keeps hundreds of thousands of lists, dicts and records alive at once;
    each time enough new objects pile up the collector walks all of them again,
    which tripled the time to read a 150,000-row plan file. Work like that makes
    almost no reference cycles (reference counting frees it), so the collector is
    paused for the duration and runs once afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


@contextmanager
def indexes_built_after(model: type[models.Model]) -> Iterator[None]:
    """Insert into ``model``'s table without its plain secondary indexes, and build
    them once at the end, inside the caller's transaction (PostgreSQL only).

    For an insert that doubles a table this is about twice as fast as adding every
    row to every index (trigram GIN indexes most of all). Indexes that back a
    primary key, a unique or another constraint stay: they check the rows as they
    come. The table is locked against readers until the transaction ends, so use it
    for large batches only. If anything fails, the rollback restores the indexes.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ci.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass
              AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
              )
            ORDER BY ci.relname
            """,
            [model._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # PostgreSQL builds no index on a table with deferred checks pending: run
        # the foreign-key checks of the new rows now (they would run at commit).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for _name, definition in indexes:
            cursor.execute(definition)

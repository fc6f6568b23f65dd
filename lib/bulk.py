"""Inserting many rows fast, and a lock that serialises whole transactions.

``insert_rows`` takes plain tuples, not model instances (building 100,000 model
instances costs more than inserting them). On PostgreSQL it streams the rows with
``COPY``, formatted by the C csv writer: about ten times faster than
``bulk_create``. Elsewhere (SQLite in development) it is ``bulk_create``. Either way
nothing happens outside the caller's transaction, and model ``save()`` and signals
are not involved: callers fill every column that has no database default.

``bulk_load`` goes further for loads that at least double a table (a first import):
indexes and foreign keys are built once after the rows, the way a restore does it.
"""

import csv
import gc
import io
import itertools
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
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
    ids: Sequence[int] | None = None,
) -> list[int]:
    """Insert ``rows`` (values in the order of ``columns``, field attnames).

    With ``return_ids`` the new primary keys come back in the order of ``rows``
    (on PostgreSQL that costs a sequence call per row, about 4 µs); otherwise an
    empty list. ``ids`` gives the primary keys to use instead (from
    ``BulkLoad.reserve_ids``); they come back as well.
    """
    if ids is not None:
        if len(ids) != len(rows):
            raise ValueError("ids and rows differ in length")
        return_ids = True
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return _insert_plainly(model, columns, rows, return_ids=return_ids, ids=ids)
    if return_ids and ids is None:
        meta = model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],  # type: ignore[union-attr]
            )
            ids = [pk for (pk,) in cursor.fetchall()]
    sql, values = _copy(model, columns, rows, ids)
    with connection.cursor() as cursor:
        cursor.copy_expert(sql, _CsvStream(values), _CHUNK_BYTES)
    return list(ids) if ids is not None else []


def _insert_plainly(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    return_ids: bool,
    ids: Sequence[int] | None,
) -> list[int]:
    """``insert_rows`` without COPY (SQLite): INSERTs of 500 rows that, like COPY,
    store the values given. ``bulk_create`` would stamp ``auto_now`` fields with
    the present moment; a raw insert (as fixtures are loaded) does not."""
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    if ids is not None:
        fields.append(meta.pk)  # type: ignore[arg-type]
        for obj, pk in zip(objects, ids, strict=True):
            obj.pk = pk
    returning = [meta.pk] if return_ids and ids is None else None
    found: list[int] = []
    manager = model._default_manager
    for start in range(0, len(objects), 500):
        batch = objects[start : start + 500]
        made = manager._insert(  # type: ignore[attr-defined]
            batch, fields=fields, returning_fields=returning, raw=True
        )
        if returning:
            found.extend(pk for (pk,) in made)
    if not return_ids:
        return []
    return list(ids) if ids is not None else found


def prepare_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> Callable[[], None]:
    """``insert_rows`` in two steps: format the rows now, without touching the
    database, and insert them when the returned function is called. Lets Python
    prepare one table while PostgreSQL is busy building another's indexes
    (``BulkLoad.build_indexes_meanwhile``)."""
    if connection.vendor != "postgresql" or not rows:

        def insert_later() -> None:
            insert_rows(model, columns, rows)

        return insert_later
    sql, values = _copy(model, columns, rows, None)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(values)
    text = buffer.getvalue()
    del buffer

    def insert() -> None:
        with connection.cursor() as cursor:
            cursor.copy_expert(sql, io.StringIO(text), _CHUNK_BYTES)

    return insert


def _copy(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    ids: Sequence[int] | None,
) -> tuple[str, Iterator[Sequence[Any]]]:
    """The COPY statement for ``rows`` and the rows as COPY will read them."""
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
    if ids is not None:
        names.insert(0, quote(str(meta.pk.column)))  # type: ignore[union-attr]
    if json_at:
        rows = [_with_json(row, json_at) for row in rows]
    values = (
        ((pk, *row) for pk, row in zip(ids, rows, strict=True))
        if ids is not None
        else iter(rows)
    )
    options = "FORMAT csv"
    if not_null_text:
        options += f", FORCE_NOT_NULL ({', '.join(not_null_text)})"
    sql = f"COPY {quote(meta.db_table)} ({', '.join(names)}) FROM STDIN ({options})"
    return sql, values


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


class BulkLoad:
    """What ``bulk_load`` holds: the loaded tables, locked until the transaction
    ends, and the indexes still to build."""

    def __init__(
        self, model: type[models.Model], indexes: dict[str, list[str]]
    ) -> None:
        self.model = model
        # table -> definitions of the indexes dropped for the load, not yet rebuilt
        self.indexes = indexes
        self._building: Future[None] | None = None
        self._executor: ThreadPoolExecutor | None = None

    def reserve_ids(self, count: int) -> list[int]:
        """``count`` new primary keys of the table in one step, instead of one
        sequence call per row (4 µs each). Safe because nobody else can insert
        while the table is locked."""
        if count == 0:
            return []
        meta = self.model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), "
                "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                [meta.db_table, meta.pk.column, meta.db_table, meta.pk.column, count],  # type: ignore[union-attr]
            )
            (last,) = cursor.fetchone()
        return list(range(last - count + 1, last + 1))

    def build_indexes_meanwhile(self, model: type[models.Model]) -> None:
        """Start building ``model``'s dropped indexes, on this transaction's
        connection but from a thread: PostgreSQL builds them on its own core while
        Python goes on preparing the other tables' rows (``prepare_rows``).

        Until ``wait`` returns, the caller must not use the database: the
        connection is busy, and a query raises BusyBuildingIndexes (sent, it
        would wait for the whole build). ``model``'s rows must all be in by now.
        """
        self.wait()
        definitions = self.indexes.pop(model._meta.db_table, [])
        if not definitions:
            return
        with connection.cursor() as cursor:
            _run_deferred_checks(cursor)
        raw = connection.connection  # the same session, hence the same transaction
        self._executor = ThreadPoolExecutor(max_workers=1)
        self._building = self._executor.submit(_execute_all, raw, definitions)
        # A query now would wait, silently, for the whole build (psycopg2 runs one
        # statement at a time per connection) and undo the overlap: refuse it.
        connection.execute_wrappers.append(_refuse_while_building)

    def wait(self) -> None:
        """Until the indexes started by ``build_indexes_meanwhile`` are built; an
        error in building them is raised here."""
        building, executor = self._building, self._executor
        self._building = self._executor = None
        if executor is None or building is None:
            return
        connection.execute_wrappers.remove(_refuse_while_building)
        try:
            with connection.wrap_database_errors:  # psycopg2's errors as Django's
                building.result()
        finally:
            executor.shutdown()


class BusyBuildingIndexes(RuntimeError):
    """A query sent while ``BulkLoad.build_indexes_meanwhile`` holds the
    connection: it would only wait for the indexes."""


def _refuse_while_building(
    execute: Any, sql: str, params: Any, many: bool, context: Any
) -> Any:
    raise BusyBuildingIndexes(
        "The connection is building indexes (BulkLoad.build_indexes_meanwhile); "
        f"call wait() before this query: {sql[:200]}"
    )


def _execute_all(raw_connection: Any, statements: list[str]) -> None:
    # One query string for all of them: PostgreSQL runs them back to back. One
    # execute per statement left the server idle between them until this thread
    # got the GIL back from the Python work it overlaps (0.8 s over a 150,000-row
    # first import's eight cooperative indexes).
    with raw_connection.cursor() as cursor:
        cursor.execute(";\n".join(statements))


@contextmanager
def bulk_load(
    model: type[models.Model],
    *,
    related: Sequence[type[models.Model]] = (),
    rows: int,
) -> Iterator[BulkLoad | None]:
    """Insert many rows into ``model``'s table and the ``related`` tables, with the
    checks and indexes that can wait done once at the end, inside the caller's
    transaction (PostgreSQL only; elsewhere yields None).

    - The plain secondary indexes of each table that holds at most ``rows`` rows
      (about as many as the load brings) are dropped and built again after the
      rows: for an insert that doubles a table that is about twice as fast as
      adding every row to every index (trigram GIN indexes most of all). Indexes
      behind a primary key, a unique or another constraint stay and check the rows
      as they come. A larger table keeps its indexes: building them again would
      cost more than the rows. A table whose rows are all in can have its indexes
      built while Python prepares the next (``BulkLoad.build_indexes_meanwhile``).
    - The foreign keys of ``model`` and of ``related`` are dropped and added again
      after the rows. Adding one checks all rows in one join; kept, PostgreSQL
      checks each new row with a query of its own, which took more than a third
      of a 150,000-row first import. No row goes unchecked: a row that points
      nowhere fails the final ``ADD CONSTRAINT`` and the whole transaction rolls
      back.

    Until the transaction ends, ``model``'s table, the ``related`` tables and every
    table their foreign keys point at (users, say) are locked even against
    readers: requests that need them wait. Use it for large batches only, that at
    least double ``model``'s table. If anything fails, the rollback restores every
    index and constraint.
    """
    if connection.vendor != "postgresql":
        yield None
        return
    quote = connection.ops.quote_name
    tables = [model._meta.db_table, *(m._meta.db_table for m in related)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE {', '.join(quote(t) for t in tables)} IN ACCESS EXCLUSIVE MODE"
        )
        _run_deferred_checks(cursor)
        small = []
        for table in tables:
            # Counts at most rows + 1 rows: cheap however large the table.
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {quote(table)} LIMIT %s) t",
                [rows + 1],
            )
            if cursor.fetchone()[0] <= rows:
                small.append(table)
        cursor.execute(
            """
            SELECT i.indrelid::regclass::text, ci.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
            WHERE i.indrelid::regclass::text = ANY(%s)
              AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
              )
            ORDER BY 1, 2
            """,
            [small],
        )
        indexes: dict[str, list[str]] = {}
        for table, name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {quote(name)}")
            indexes.setdefault(table, []).append(definition)
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
            ORDER BY 1, 2
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for owner, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(owner)} DROP CONSTRAINT {quote(name)}")
    load = BulkLoad(model, indexes)
    try:
        yield load
    except BaseException:
        # The connection must be free before the caller rolls back.
        with suppress(Exception):
            load.wait()
        raise
    load.wait()
    with connection.cursor() as cursor:
        _run_deferred_checks(cursor)
        for definitions in load.indexes.values():
            for definition in definitions:
                cursor.execute(definition)
        for owner, name, definition in foreign_keys:
            cursor.execute(
                f"ALTER TABLE {quote(owner)} ADD CONSTRAINT {quote(name)} {definition}"
            )


def _run_deferred_checks(cursor: Any) -> None:
    """PostgreSQL alters no table, and builds no index on one, with deferred checks
    pending: run those of the transaction's rows so far now (they would run at
    commit), and keep deferring those to come."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

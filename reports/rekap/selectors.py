"""Reads of the rekap: what changed in the registry since a snapshot was frozen."""

from dataclasses import dataclass
from typing import Any

from .definitions import Period
from .files import frozen_label, shown, shown_kind
from .models import RekapSnapshot
from .services import rekap_scope, rekap_tables


@dataclass(frozen=True)
class ColumnChange:
    """A column whose values differ: in which rows (their first cell: the
    kecamatan, the jenis…), and its total then and now as the rekap shows them."""

    table: str
    column: str
    rows: list[str]
    frozen_total: str
    current_total: str


def snapshot_changes(snapshot: RekapSnapshot) -> list[ColumnChange]:
    """Rebuild the snapshot's tables from today's registry and compare them: per
    column, which rows differ and the total then and now. Only columns that
    changed are listed. Costs one build of the report (a handful of queries)."""
    current = rekap_tables(
        snapshot.code,
        Period(snapshot.tahun_buku, snapshot.as_of),
        rekap_scope(snapshot.scope_code),
    )
    changes = []
    # Paired by key: a later version of the report may add a table before it.
    current_by_key = {table["key"]: table for table in current}
    for frozen in snapshot.tables:
        now = current_by_key.get(frozen["key"])
        if now is None:
            continue
        now_rows = dict(zip(now["row_keys"], now["rows"], strict=True))
        frozen_rows = dict(zip(frozen["row_keys"], frozen["rows"], strict=True))
        keys = sorted(set(now_rows) | set(frozen_rows))
        keys_of = [column["key"] for column in frozen["columns"]]
        for i, column in enumerate(frozen["columns"]):
            if i == 0:
                continue
            kind = shown_kind(column)
            differing = [
                _row_name(frozen_rows.get(key) or now_rows.get(key), key, keys_of)
                for key in keys
                if _cell(frozen_rows.get(key), i) != _cell(now_rows.get(key), i)
            ]
            if not differing:
                continue
            changes.append(
                ColumnChange(
                    table=frozen_label(frozen["title"]),
                    column=frozen_label(column["label"]),
                    rows=differing,
                    frozen_total=shown(_cell(frozen["total"], i), kind),
                    current_total=shown(_cell(now["total"], i), kind),
                )
            )
    return changes


def _cell(row: list[Any] | None, i: int) -> Any:
    return row[i] if row and i < len(row) else None


def _row_name(row: list[Any] | None, key: Any, columns: list[str]) -> str:
    """A row as the reader knows it: its first cell (the kecamatan, the jenis);
    R5's, one per area and indicator, by the area's name and the indicator."""
    if not row:
        return str(key)
    if columns[:1] == ["kode_wilayah"]:
        return f"{row[columns.index('nama_wilayah')]}: {row[columns.index('judul')]}"
    return str(row[0]) if row[0] not in (None, "") else str(key)

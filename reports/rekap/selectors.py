"""Reads of the rekap: what changed in the registry since a snapshot was frozen."""

from dataclasses import dataclass
from typing import Any

from .definitions import DEFINITIONS, Period
from .models import RekapSnapshot
from .services import rekap_scope


@dataclass(frozen=True)
class ColumnChange:
    table: str
    column: str
    rows_changed: int
    frozen_total: Any
    current_total: Any


def snapshot_changes(snapshot: RekapSnapshot) -> list[ColumnChange]:
    """Rebuild the snapshot's tables from today's registry and compare them: per
    column, how many rows differ and the total then and now. Only columns that
    changed are listed. Costs one build of the report (a handful of queries)."""
    definition = DEFINITIONS[snapshot.code]
    current = definition.build(
        Period(snapshot.tahun_buku, snapshot.as_of),
        rekap_scope(snapshot.scope_code),
        lambda _percent: None,
    )
    changes = []
    for frozen, now in zip(snapshot.tables, current, strict=False):
        now_rows = dict(zip(now["row_keys"], now["rows"], strict=True))
        frozen_rows = dict(zip(frozen["row_keys"], frozen["rows"], strict=True))
        keys = sorted(set(now_rows) | set(frozen_rows))
        for i, column in enumerate(frozen["columns"]):
            if i == 0:
                continue
            differing = sum(
                1
                for key in keys
                if (frozen_rows.get(key) or [None] * (i + 1))[i]
                != (now_rows.get(key) or [None] * (i + 1))[i]
            )
            if not differing:
                continue
            changes.append(
                ColumnChange(
                    table=frozen["title"],
                    column=column["label"],
                    rows_changed=differing,
                    frozen_total=(frozen["total"] or [None] * (i + 1))[i],
                    current_total=(now["total"] or [None] * (i + 1))[i],
                )
            )
    return changes

"""The preview of an import: the file read (in a child process), compared with the
registry, and what was found stored on the job; the registry does not change."""

import datetime
import heapq
import logging
import operator
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.bulk import (
    gc_paused,
    insert_rows,
)
from lib.excel import write_xlsx

from ..models import (
    ImportJob,
    ImportRow,
    ImportStatus,
    RowOutcome,
)
from ..ods import values as v
from ..ods.columns import BY_CODE
from ..ods.files import FileRejected
from ..ods.planning import (
    Outcome,
    Planned,
    plan,
)
from .jobs import MAX_READ_ATTEMPTS, Clock, fail, set_progress
from .kelompok import (
    new_labels,
)
from .labels import Labels
from .plan_file import (
    record_to_json,
)
from .reading import (
    ReadResult,
    cells_of_rows,
    read_file,
    read_problems,
)
from .snapshot import import_reference, registry_snapshot

logger = logging.getLogger(__name__)

# New cooperatives listed one by one in the preview; the rest are counted.
PREVIEW_NEW_ROWS = 1_000

_CHUNK = 5_000

SHOWN_COLUMNS = (
    "job_id",
    "row_number",
    "outcome",
    "nik",
    "name",
    "cooperative_id",
    "changes",
    "problems",
)


def import_job_preview(*, job_id: int, today: datetime.date | None = None) -> ImportJob:
    """Read, clean and compare the job's file; store the preview. Changes nothing in
    the registry. A file that cannot be imported ends the job as FAILED with a
    message for the user; anything unexpected too, and is re-raised for the log."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status not in (ImportStatus.QUEUED, ImportStatus.READING):
            return job
        if job.read_attempts >= MAX_READ_ATTEMPTS:
            # Redelivered again after workers died reading it: stop, say so.
            job.status = ImportStatus.FAILED
            job.error = _(
                "Pembacaan berkas terhenti %(n)s kali; berkas tidak diimpor. Periksa "
                "berkasnya (simpan ulang sebagai .xlsx) lalu unggah lagi."
            ) % {"n": job.read_attempts}
            job.save(update_fields=["status", "error"])
            return job
        job.status = ImportStatus.READING
        job.progress = 0
        job.error = ""
        job.read_attempts += 1
        job.save(update_fields=["status", "progress", "error", "read_attempts"])
    try:
        with gc_paused():
            _preview(job, today or timezone.localdate())
    except FileRejected as rejected:
        fail(job.pk, str(rejected))
    except Exception:
        logger.exception("Preview of import %s failed", job.pk)
        fail(
            job.pk, _("Berkas gagal dibaca karena kesalahan sistem. Silakan coba lagi.")
        )
        raise
    job.refresh_from_db()
    return job


def _preview(job: ImportJob, today: datetime.date) -> None:
    clock = Clock()
    reference = import_reference()
    path = Path(job.file.path)
    with tempfile.TemporaryDirectory(prefix="impor-") as folder:
        problems_path = Path(folder) / "ditolak.jsonl"
        read = read_file(
            path,
            reference=reference,
            today=today,
            tahun_buku=job.tahun_buku,
            problems_path=problems_path,
            on_progress=lambda percent: set_progress(job.pk, 5 + percent * 3 // 4),
        )
        clock.lap("read_clean")
        ImportJob.objects.filter(pk=job.pk).update(
            file_kind=read.kind,
            sheet_name=read.sheet_name,
            header_row=read.header_row,
            unknown_columns=read.unknown_columns,
            progress=82,
        )
        records = read.records
        registry = registry_snapshot(years={record.tahun_buku for record in records})
        planned = plan(records, registry)
        clock.lap("compare")
        set_progress(job.pk, 88)
        found = _Found(job.pk)
        for item in planned:
            found.add(item)
        new_kelompok = new_labels(records)
        plan_bytes = orjson.dumps(found.to_apply)
        del found.to_apply, planned, records, registry
        conflict_cells = (
            cells_of_rows(path, set(found.conflicts)) if found.conflicts else {}
        )
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            job.rows.all().delete()  # a preview redone after a crash starts clean
            insert_rows(ImportRow, SHOWN_COLUMNS, found.shown)
            problems = list(found.conflict_problems(conflict_cells))
            _store_problems(job, read, problems_path, problems)
            job.plan_file.save(
                f"rencana-impor-{job.pk}.json", ContentFile(plan_bytes), save=False
            )
            job.row_count = read.row_count
            job.skipped_count = read.skipped_count
            job.skipped_regions = [list(entry) for entry in read.skipped]
            job.new_kelompok = new_kelompok
            job.kelompok_mapping = {}
            job.new_count = found.counts[Outcome.NEW]
            job.changed_count = found.counts[Outcome.CHANGED]
            job.unchanged_count = found.counts[Outcome.UNCHANGED]
            job.duplicate_count = found.counts[Outcome.DUPLICATE]
            job.error_count = read.problem_count + len(problems)
            job.tahun_buku = job.tahun_buku or read.default_year
            job.status = ImportStatus.READY
            job.progress = 100
            job.previewed_at = timezone.now()
            clock.lap("store")
            job.timings = {"preview": clock.timings}
            job.save()


class _Found:
    """What the preview lists and what the apply will write, from the planned
    records: counts per outcome, the ImportRow values to show, the plan file's
    lists, and the records in conflict with the registry."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.labels = Labels()
        self.counts = dict.fromkeys(
            (Outcome.NEW, Outcome.CHANGED, Outcome.UNCHANGED, Outcome.DUPLICATE), 0
        )
        self.shown: list[tuple[Any, ...]] = []  # ImportRow values
        self.to_apply: list[list[Any]] = []  # the plan file
        self.conflicts: dict[int, Planned] = {}  # by row number

    def add(self, item: Planned) -> None:
        if item.outcome == Outcome.ERROR:
            self.conflicts[item.record.row_number] = item
            return
        self.counts[item.outcome] += 1
        if item.outcome == Outcome.UNCHANGED:
            return
        self.to_apply.append(record_to_json(item.record, item.outcome))
        if item.outcome == Outcome.NEW and self.counts[Outcome.NEW] > PREVIEW_NEW_ROWS:
            return  # counted and applied, not listed one by one
        self.shown.append(
            (
                self.job_id,
                item.record.row_number,
                item.outcome,
                item.record.nik,
                item.record.name[:255],
                item.cooperative_id,
                self.labels.changes(item.changes),
                [],
            )
        )

    def conflict_problems(self, cells: dict[int, list[Any]]) -> Iterable[list[Any]]:
        """The conflicts as rows of the problems file (``write_problem``'s shape)."""
        column = BY_CODE["nomor_badan_hukum"].header
        for number, item in sorted(self.conflicts.items()):
            value = item.record.fields.get("nomor_badan_hukum") or ""
            yield [
                number,
                item.record.nik,
                item.record.name,
                [(column, value, item.problem)],
                cells.get(number, []),
            ]


def _store_problems(
    job: ImportJob, read: ReadResult, path: Path, later: list[list[Any]]
) -> None:
    """The rejected rows, streamed from the problems file (and ``later``, those
    found while comparing), into the preview's error list and the rejected-rows
    .xlsx: as they were in the file, with the reasons in a last column, ready to be
    fixed and uploaded again. Memory stays the same however many there are."""
    if not read.problem_count and not later:
        return

    def rows() -> Iterator[list[Any]]:
        # Both in the order of the sheet: so is the merge.
        return heapq.merge(read_problems(path), later, key=operator.itemgetter(0))

    chunk: list[tuple[Any, ...]] = []
    for number, nik, name, problems, _cells in rows():
        chunk.append(
            (
                job.pk,
                number,
                RowOutcome.ERROR,
                nik[:64],
                name[:255],
                None,
                {},
                [
                    {"column": c, "value": str(value)[:200], "message": m}
                    for c, value, m in problems
                ],
            )
        )
        if len(chunk) >= _CHUNK:
            insert_rows(ImportRow, SHOWN_COLUMNS, chunk)
            chunk = []
    insert_rows(ImportRow, SHOWN_COLUMNS, chunk)

    width = len(read.header_cells)
    headers = [
        _("Baris"),
        *(v.text(c) for c in read.header_cells),
        _("Keterangan kesalahan"),
    ]

    def sheet_rows() -> Iterator[list[Any]]:
        for number, _nik, _name, problems, cells in rows():
            values = [_excel_value(c) for c in cells[:width]]
            values += [""] * (width - len(values))
            reasons = "; ".join(f"{column}: {m}" for column, _value, m in problems)
            yield [number, *values, reasons]

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_xlsx(
            Path(handle.name),
            sheet_name="Baris ditolak",
            headers=headers,
            rows=sheet_rows(),
        )
        job.rejected_file.save(f"ditolak-impor-{job.pk}.xlsx", File(handle), save=False)


def _excel_value(cell: Any) -> Any:
    # Long numbers are written back as text so that Excel keeps every digit.
    if isinstance(cell, float) and cell.is_integer() and abs(cell) >= 1e11:
        return str(int(cell))
    return cell

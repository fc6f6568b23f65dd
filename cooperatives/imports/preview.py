"""The preview of an import: the file read (in a child process), compared with the
registry, and what was found stored on the job; the registry does not change."""

import datetime
import logging
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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
from ..ods.cleaning import Reference
from ..ods.columns import BY_CODE
from ..ods.files import FileRejected
from ..ods.planning import (
    Outcome,
    Planned,
    Registry,
    figures_kept,
    ketua_kept,
    plan,
    shared_badan_hukum,
    status_kept,
)
from .jobs import MAX_READ_ATTEMPTS, Clock, fail, give_up, set_progress
from .kelompok import (
    new_labels,
)
from .labels import Labels
from .plan_file import (
    record_to_json,
)
from .reading import (
    ReadResult,
    cells_of,
    read_in_child,
    read_problems,
    read_rows,
    write_problem,
    write_repeated,
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
            return give_up(
                job,
                _(
                    "Pembacaan berkas terhenti %(n)s kali; berkas tidak diimpor. "
                    "Periksa berkasnya (simpan ulang sebagai .xlsx) lalu unggah lagi."
                )
                % {"n": job.read_attempts},
            )
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


# The files a preview writes in its temporary folder: the rejected rows as the
# reading meets them, those of a NIK repeated in the file, those in conflict with
# the registry (each in the order of the sheet), and the rejected-rows .xlsx.
_PROBLEM_FILES = ("ditolak.jsonl", "nik-berulang.jsonl", "konflik.jsonl")
_REJECTED_XLSX = "ditolak.xlsx"


def _preview(job: ImportJob, today: datetime.date) -> None:
    clock = Clock()
    # Loaded before the reading child is forked, which inherits them: the child
    # needs no database. The figures of every year, since the years of the file
    # are known only once it is read.
    reference = import_reference()
    registry = registry_snapshot(years=None)
    labels = Labels()
    clock.lap("load")
    path = Path(job.file.path)
    with tempfile.TemporaryDirectory(prefix="impor-") as name:
        folder = Path(name)
        compared = read_in_child(
            lambda send: _read_and_compare(
                path,
                folder=folder,
                job_id=job.pk,
                reference=reference,
                registry=registry,
                labels=labels,
                today=today,
                tahun_buku=job.tahun_buku,
                send=send,
            ),
            on_progress=lambda percent: set_progress(job.pk, 5 + percent * 4 // 5),
        )
        clock.lap("child")
        read = compared.read
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            job.rows.all().delete()  # a preview redone after a crash starts clean
            insert_rows(ImportRow, SHOWN_COLUMNS, compared.shown)
            _store_problems(job, [folder / name for name in _PROBLEM_FILES])
            if compared.error_count:
                with open(folder / _REJECTED_XLSX, "rb") as handle:
                    job.rejected_file.save(
                        f"ditolak-impor-{job.pk}.xlsx", File(handle), save=False
                    )
            job.plan_file.save(
                f"rencana-impor-{job.pk}.json",
                ContentFile(compared.plan_bytes),
                save=False,
            )
            job.file_kind = read.kind
            job.sheet_name = read.sheet_name
            job.header_row = read.header_row
            job.unknown_columns = read.unknown_columns
            job.notices = read.notices
            job.row_count = read.row_count
            job.skipped_count = read.skipped_count
            job.skipped_regions = [list(entry) for entry in read.skipped]
            job.new_kelompok = compared.new_kelompok
            job.kelompok_mapping = {}
            job.new_count = compared.counts[Outcome.NEW]
            job.changed_count = compared.counts[Outcome.CHANGED]
            job.unchanged_count = compared.counts[Outcome.UNCHANGED]
            job.duplicate_count = compared.counts[Outcome.DUPLICATE]
            job.error_count = compared.error_count
            job.tahun_buku = job.tahun_buku or read.default_year
            job.status = ImportStatus.READY
            job.progress = 100
            job.previewed_at = timezone.now()
            clock.lap("store")
            job.timings = {"preview": {**compared.timings, **clock.timings}}
            job.save()


@dataclass
class _Compared:
    """What the reading child sends back: the file's description, the counts, the
    rows to list, the plan file and the new kelompok labels. The rejected rows are
    in the folder's files."""

    read: ReadResult
    counts: dict[str, int]
    shown: list[tuple[Any, ...]]
    plan_bytes: bytes
    new_kelompok: list[dict[str, Any]]
    error_count: int
    timings: dict[str, float]


# How many groups of rows sharing a nomor badan hukum the notice names.
_SHARED_SHOWN = 5
# How many rows a notice names, as the reading's notices do.
_ROWS_SHOWN = 10


def _read_and_compare(
    path: Path,
    *,
    folder: Path,
    job_id: int,
    reference: Reference,
    registry: Registry,
    labels: "Labels",
    today: datetime.date,
    tahun_buku: int | None,
    send: Callable[[Any], None],
) -> _Compared:
    """In the reading child: read and clean the file, compare it with the registry,
    write the rejected rows (and their .xlsx) into ``folder``."""
    clock = Clock()
    problem_paths = [folder / name for name in _PROBLEM_FILES]
    with open(problem_paths[0], "wb") as problems:
        read, table = read_rows(
            path,
            reference=reference,
            today=today,
            tahun_buku=tahun_buku,
            problems=problems,
            on_progress=send,
        )
    clock.lap("read_clean")
    with (
        open(problem_paths[1], "wb") as nik,
        ThreadPoolExecutor(max_workers=1) as meanwhile,
    ):
        # The cells of the rows that repeat a NIK come from one more pass over
        # the sheet; its parsing (native code) may take the other core while the
        # records are compared (docs/performance.md: under load it gained
        # nothing measurable).
        repeated = meanwhile.submit(write_repeated, nik, table, read.repeated)
        found = _Found(job_id, labels)
        planned = plan(read.records, registry)
        for item in planned:
            found.add(item)
        for code, kept in (
            ("ketua_kept", ketua_kept(planned, registry)),
            ("status_kept", status_kept(planned, registry)),
            ("figures_kept", figures_kept(planned, registry)),
        ):
            if kept:
                notice = {"count": len(kept), "rows": kept[:_ROWS_SHOWN]}
                read.notices.append([code, notice])
        shared = shared_badan_hukum(planned)
        if shared:
            notice = {"count": len(shared), "groups": shared[:_SHARED_SHOWN]}
            read.notices.append(["shared_badan_hukum", notice])
        del planned
        new_kelompok = new_labels(read.records)
        plan_bytes = orjson.dumps(found.to_apply)
        read.records = []
        clock.lap("compare")
        repeated.result()
    clock.lap("repeated_rows")
    with open(problem_paths[2], "wb") as out:
        for row in found.conflict_problems(cells_of(table, found.conflicts)):
            write_problem(out, *row)
    error_count = read.problem_count + len(found.conflicts)
    if error_count:
        _write_rejected_file(folder / _REJECTED_XLSX, read.header_cells, problem_paths)
    clock.lap("rejected_file")
    return _Compared(
        read=read,
        counts=found.counts,
        shown=found.shown,
        plan_bytes=plan_bytes,
        new_kelompok=new_kelompok,
        error_count=error_count,
        timings=clock.timings,
    )


class _Found:
    """What the preview lists and what the apply will write, from the planned
    records: counts per outcome, the ImportRow values to show, the plan file's
    lists, and the records in conflict with the registry."""

    def __init__(self, job_id: int, labels: "Labels") -> None:
        self.job_id = job_id
        self.labels = labels
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

    def conflict_problems(self, cells: dict[int, list[Any]]) -> Iterator[list[Any]]:
        """The conflicts as rows of the problems file (``write_problem``'s shape)."""
        for number, item in sorted(self.conflicts.items()):
            column = BY_CODE[item.column].header
            record = item.record
            value = (
                record.nik if item.column == "nik" else record.fields.get(item.column)
            )
            yield [
                number,
                record.nik,
                record.name,
                [(column, value or "", item.problem)],
                cells.get(number, []),
            ]


def _store_problems(job: ImportJob, paths: list[Path]) -> None:
    """The rejected rows, streamed from the problems files into the preview's
    error list: memory stays the same however many there are."""
    chunk: list[tuple[Any, ...]] = []
    for number, nik, name, problems, _cells in read_problems(paths):
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


def _write_rejected_file(
    target: Path, header_cells: list[Any], paths: list[Path]
) -> None:
    """The rejected rows as they were in the file, with the reasons in a last
    column, ready to be fixed and uploaded again; streamed (constant memory)."""
    width = len(header_cells)
    headers = [
        _("Baris"),
        *(v.text(c) for c in header_cells),
        _("Keterangan kesalahan"),
    ]

    def rows() -> Iterator[list[Any]]:
        for number, _nik, _name, problems, cells in read_problems(paths):
            values = [_excel_value(c) for c in cells[:width]]
            values += [""] * (width - len(values))
            # Each message is a sentence of its own ("….; Aset: …" read oddly).
            reasons = " ".join(
                f"{column}: {m}" if str(m).endswith(".") else f"{column}: {m}."
                for column, _value, m in problems
            )
            yield [number, *values, reasons]

    write_xlsx(target, sheet_name=_("Baris ditolak"), headers=headers, rows=rows())


def _excel_value(cell: Any) -> Any:
    # Long numbers are written back as text so that Excel keeps every digit.
    if isinstance(cell, float) and cell.is_integer() and abs(cell) >= 1e11:
        return str(int(cell))
    return cell

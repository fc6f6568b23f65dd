"""ODS import: create a job, preview it, apply it, undo it, cancel it.

The flow: ``import_job_create`` stores the upload and enqueues the preview on commit;
``import_job_preview`` reads, cleans and compares the file with the registry and
stores what it found (nothing in the registry changes); a person confirms with
``import_job_request_apply``; ``import_job_apply`` writes everything in one
transaction under a lock that lets one import apply at a time, with an audit row per
cooperative that points back at the job; ``import_job_undo`` reverses those rows.
The web views, the Celery tasks and the ``import_ods`` command share these functions.
"""

import datetime
import hashlib
import heapq
import logging
import operator
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

import orjson
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from lib.bulk import (
    BulkLoad,
    bulk_load,
    gc_paused,
    insert_rows,
    prepare_rows,
    transaction_lock,
)
from lib.excel import write_xlsx
from lib.numbers import format_rupiah, format_thousands

from ..imports.kelompok import (
    add_new_kelompok,
    kelompok_reference,
    new_labels,
    resolve_labels,
)
from ..imports.plan_file import (
    BADAN_HUKUM_AT,
    JENIS_AT,
    KELOMPOK_AT,
    KELURAHAN_AT,
    record_from_json,
    record_to_json,
    value_from_json,
    value_to_json,
)
from ..imports.reading import (
    ReadResult,
    cells_of_rows,
    read_file,
    read_problems,
)
from ..models import (
    FIGURE_FIELDS,
    Bentuk,
    Cooperative,
    CooperativeFigures,
    CooperativeStatus,
    ImportJob,
    ImportRow,
    ImportStatus,
    Jenis,
    KabupatenKota,
    Kecamatan,
    Kelompok,
    Kelurahan,
    Officer,
    Pola,
    Position,
    RecordSource,
    RowOutcome,
    StatusChange,
)
from ..ods import values as v
from ..ods.cleaning import (
    COUNT_FIGURES,
    RECORD_FIELDS,
    Reference,
    kabkota_key,
)
from ..ods.columns import BY_CODE
from ..ods.files import FileRejected
from ..ods.planning import (
    IMPORTED_FIELDS,
    Outcome,
    Planned,
    Registry,
    plan,
)

logger = logging.getLogger(__name__)

IMPORT_LOCK = "cooperatives.ods-import"
MAX_APPLY_ATTEMPTS = 3
# A preview redelivered after this many started reads (workers killed) is given up.
MAX_READ_ATTEMPTS = 3
# The same person uploading the same file again this soon is a double submission.
_DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=2)
_PROGRESS_STEP = 2_000
_CHUNK = 5_000
_FK_FIELDS = {"kelurahan": "kelurahan_id", "kelompok": "kelompok_id"}
# New cooperatives listed one by one in the preview; the rest are counted.
PREVIEW_NEW_ROWS = 1_000
# From this many new cooperatives, when they at least double the registry, the
# registry's secondary indexes and foreign keys are built after the rows instead of
# row by row (lib.bulk.bulk_load).
BULK_REBUILD_MIN_ROWS = 10_000
_NEW_COOPERATIVE_COLUMNS = (
    "nik",
    *(_FK_FIELDS.get(name, name) for name in RECORD_FIELDS),
    "source",
    "created_at",
    "updated_at",
)
_FIGURES_COLUMNS = (
    "cooperative_id",
    "tahun_buku",
    *FIGURE_FIELDS,
    "source",
    "updated_at",
)
_OFFICER_COLUMNS = ("cooperative_id", "name", "position", "phone", "email", "is_active")
_STATUS_CHANGE_COLUMNS = (
    "cooperative_id",
    "from_status",
    "to_status",
    "effective_date",
    "reason",
    "changed_by_id",
    "created_at",
)
AUDIT_COLUMNS = (
    "created_at",
    "actor_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "cooperative_id",
    "changes",
    "message",
    "import_job_id",
)
_SHOWN_COLUMNS = (
    "job_id",
    "row_number",
    "outcome",
    "nik",
    "name",
    "cooperative_id",
    "changes",
    "problems",
)

ProgressCallback = Callable[[int], None]


class ImportRefused(ValidationError):
    """A request that cannot be carried out now (wrong state, another import busy)."""


# --- creating a job ---------------------------------------------------------------


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_job_create(
    *,
    acting_user: User | None,
    upload: IO[bytes],
    original_name: str,
    tahun_buku: int | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Store the upload as a new job and (``enqueue``) start its preview on commit.

    The same file uploaded again by the same person within two minutes, while the
    first upload is still being read or waits for confirmation, returns that job
    instead of a second one.
    """
    checksum = _sha256(upload)
    if acting_user is not None:
        recent = ImportJob.objects.filter(
            created_by=acting_user,
            file_sha256=checksum,
            tahun_buku=tahun_buku,
            created_at__gte=timezone.now() - _DOUBLE_SUBMIT_WINDOW,
            status__in=(ImportStatus.QUEUED, ImportStatus.READING, ImportStatus.READY),
        ).first()
        if recent is not None:
            return recent
    job = ImportJob(
        original_name=Path(original_name).name[:255] or "ods",
        file_sha256=checksum,
        tahun_buku=tahun_buku,
        created_by=acting_user,
    )
    suffix = Path(original_name).suffix.lower()[:8]
    job.file.save(
        f"ods-{timezone.now():%Y%m%d-%H%M%S}{suffix}", File(upload), save=False
    )
    job.file_size = job.file.size
    job.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=job,
        message=_("Berkas %(name)s diunggah untuk diimpor.")
        % {"name": job.original_name},
    )
    if enqueue:
        from ..tasks import preview_import  # the task module imports this one

        transaction.on_commit(lambda: preview_import.delay(job.pk))
    return job


# --- reading and previewing -------------------------------------------------------


def import_reference() -> Reference:
    """Regions and kelompok as plain dicts. Cost: three small queries."""
    kecamatan: dict[str, tuple[str, dict[str, int]]] = {}
    homes: dict[str, list[str]] = {}
    names = {k.pk: k for k in Kecamatan.objects.all()}
    for kecamatan_obj in names.values():
        kecamatan[kecamatan_obj.name_key] = (kecamatan_obj.name, {})
    for kelurahan in Kelurahan.objects.all():
        home = names[kelurahan.kecamatan_id]
        kecamatan[home.name_key][1][kelurahan.name_key] = kelurahan.pk
        homes.setdefault(kelurahan.name_key, []).append(home.name)
    kabkota_keys = {kabkota_key(k.name) for k in KabupatenKota.objects.all()}
    return Reference(kecamatan, homes, kelompok_reference(), kabkota_keys)


def registry_snapshot(*, years: Iterable[int]) -> Registry:
    """Every cooperative's importable fields, the figures of ``years`` and the active
    ketua without a login. Cost: three queries over the whole registry (about a
    second for 150,000 cooperatives on PostgreSQL)."""
    columns = [_FK_FIELDS.get(name, name) for name in IMPORTED_FIELDS]
    cooperatives = {
        row[0]: row[1:] for row in Cooperative.objects.values_list("pk", *columns)
    }
    rows = CooperativeFigures.objects.filter(tahun_buku__in=set(years)).values_list(
        "cooperative_id", "tahun_buku", *FIGURE_FIELDS
    )
    figures = {(row[0], row[1]): row[2:] for row in rows}
    ketua: dict[int, str] = {}
    officers = Officer.objects.filter(
        position=Position.KETUA, is_active=True
    ).values_list("cooperative_id", "name", "user_id")
    with_login: set[int] = set()
    for cooperative_id, name, user_id in officers:
        if user_id is not None:
            with_login.add(cooperative_id)
        ketua.setdefault(cooperative_id, name)
    return Registry(cooperatives, figures, ketua, ketua_locked=with_login)


def _set_progress(job_id: int, percent: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(progress=max(0, min(99, percent)))


def _fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED, error=message
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
        _fail(job.pk, str(rejected))
    except Exception:
        logger.exception("Preview of import %s failed", job.pk)
        _fail(
            job.pk, _("Berkas gagal dibaca karena kesalahan sistem. Silakan coba lagi.")
        )
        raise
    job.refresh_from_db()
    return job


class _Clock:
    """Seconds spent per phase, kept on the job (``timings``) for operators and the
    benchmark."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(now - self._last, 3)
        self._last = now


def _preview(job: ImportJob, today: datetime.date) -> None:
    clock = _Clock()
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
            on_progress=lambda percent: _set_progress(job.pk, 5 + percent * 3 // 4),
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
        _set_progress(job.pk, 88)
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
            insert_rows(ImportRow, _SHOWN_COLUMNS, found.shown)
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
        self.labels = _Labels()
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
            insert_rows(ImportRow, _SHOWN_COLUMNS, chunk)
            chunk = []
    insert_rows(ImportRow, _SHOWN_COLUMNS, chunk)

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


# --- how values read in the preview and the audit trail -----------------------------


class _Labels:
    """Field labels and display values; loads region and kelompok names once."""

    def __init__(self) -> None:
        self.kelurahan = dict(Kelurahan.objects.values_list("pk", "name"))
        self.kelompok = dict(Kelompok.objects.values_list("pk", "code"))
        self._label_cache: dict[str, str] = {}
        self.choices = {
            "jenis": dict(Jenis.choices),
            "pola": dict(Pola.choices),
            "bentuk": dict(Bentuk.choices),
            "status": dict(CooperativeStatus.choices),
        }

    def label(self, key: str) -> str:
        if key not in self._label_cache:
            self._label_cache[key] = self._label(key)
        return self._label_cache[key]

    def _label(self, key: str) -> str:
        if key == "ketua":
            return str(_("Ketua"))
        if key.startswith("figures."):
            name = key.split(".", 1)[1]
            field = CooperativeFigures._meta.get_field(name)
        else:
            field = Cooperative._meta.get_field(key)
        return str(field.verbose_name).capitalize()  # type: ignore[union-attr]

    def display(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if key == "kelurahan":
            return self.kelurahan.get(value, str(value))
        if key == "kelompok":
            if isinstance(value, str):  # a label new to the kelompok table
                return _("%(label)s (kelompok baru)") % {"label": value}
            return self.kelompok.get(value, str(value))
        if key in self.choices:
            return str(self.choices[key].get(value, value))
        if isinstance(value, datetime.date):
            return formats.date_format(value, "j F Y")
        if key.startswith("figures."):
            name = key.split(".", 1)[1]
            if name in COUNT_FIGURES:
                return format_thousands(value)
            return format_rupiah(value)
        return str(value)

    def changes(self, changes: dict[str, tuple[Any, Any]]) -> dict[str, dict[str, str]]:
        """For the preview: each field as "ODS value vs registry value"."""
        return {
            key: {
                "label": self.label(key),
                "registry": self.display(key, old),
                "ods": self.display(key, new),
            }
            for key, (old, new) in changes.items()
        }


# --- applying -----------------------------------------------------------------------


@transaction.atomic
def import_job_request_apply(
    *,
    acting_user: User | None,
    job: ImportJob,
    include_duplicates: bool = False,
    enqueue: bool = True,
) -> ImportJob:
    """Confirm a previewed job; the apply runs in the background (on commit).

    A second click (or a second person) finds the job already applying and changes
    nothing.
    """
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status == ImportStatus.APPLYING:
        return locked
    if not locked.can_apply:
        raise ImportRefused(
            _("Impor ini tidak dapat diterapkan (status: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    locked.status = ImportStatus.APPLYING
    locked.applied_by = acting_user
    locked.include_duplicates = include_duplicates
    locked.attempts = 0
    locked.error = ""
    locked.save(
        update_fields=[
            "status",
            "applied_by",
            "include_duplicates",
            "attempts",
            "error",
        ]
    )
    if enqueue:
        from ..tasks import apply_import

        transaction.on_commit(lambda: apply_import.delay(locked.pk))
    return locked


def import_job_apply(
    *, job_id: int, on_progress: ProgressCallback | None = None
) -> ImportJob:
    """Write a confirmed job into the registry: all of it or, on any failure, none.

    Holds the import lock for the whole transaction, so two imports never apply at
    once. A worker killed midway leaves the registry as it was; the redelivered task
    tries again, up to MAX_APPLY_ATTEMPTS, and then the job is FAILED and can be
    retried from its page. ``on_progress`` is called with a percentage.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportStatus.APPLYING:
            return job
        if job.attempts >= MAX_APPLY_ATTEMPTS:
            job.status = ImportStatus.FAILED
            job.error = _(
                "Penerapan terhenti %(n)s kali; registri tidak berubah. Coba terapkan "
                "lagi, atau hubungi administrator."
            ) % {"n": job.attempts}
            job.save(update_fields=["status", "error"])
            return job
        job.attempts += 1
        job.apply_started_at = timezone.now()
        job.save(update_fields=["attempts", "apply_started_at"])
    try:
        with transaction.atomic():
            transaction_lock(IMPORT_LOCK)
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.status != ImportStatus.APPLYING:
                return job
            with gc_paused():
                _apply(job, on_progress or (lambda percent: None))
    except Exception:
        logger.exception("Applying import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            error=_(
                "Penerapan gagal karena kesalahan sistem; registri tidak berubah. "
                "Silakan coba terapkan lagi."
            ),
        )
        raise
    job.refresh_from_db()
    return job


def _read_plan(job: ImportJob) -> list[list[Any]]:
    """The plan file: one list per record the preview found new, changed or
    possibly duplicated (``record_to_json``)."""
    with job.plan_file.open("rb") as handle:
        data: list[list[Any]] = orjson.loads(handle.read())
    return data


def _apply(job: ImportJob, on_progress: ProgressCallback) -> None:
    clock = _Clock()
    data = _read_plan(job)
    resolve_labels(data, add_new_kelompok(job, acting_user=job.applied_by))
    clock.lap("load_plan")
    on_progress(10)
    existing = 0
    # New cooperatives stay the plan file's lists (ISO dates and plain decimals as
    # text, which COPY takes as they are): only a record that the preview found
    # changed, or that now matches the registry (one registered since the
    # preview), becomes a typed Record and is planned again.
    creates: list[list[Any]] = []
    updates: list[Planned] = []
    if data:
        registry = registry_snapshot(years={year for *_item, year, _ketua in data})
        existing = len(registry.cooperatives)
        on_progress(25)
        for item in data:
            _number, previewed, nik, name, fields, *_rest = item
            if (
                previewed != Outcome.CHANGED
                and registry.match(
                    nik=nik,
                    badan_hukum=fields[BADAN_HUKUM_AT],
                    name=name,
                    kelurahan=fields[KELURAHAN_AT],
                )[0]
                == Outcome.NEW
            ):
                creates.append(item)
                continue
            record, _outcome = record_from_json(item)
            planned = plan([record], registry)[0]
            if planned.outcome == Outcome.CHANGED:
                updates.append(planned)
            elif planned.outcome == Outcome.NEW or (
                planned.outcome == previewed == Outcome.DUPLICATE
                and job.include_duplicates
            ):
                creates.append(record_to_json(record, planned.outcome))
    del data
    creates = _leave_out_without_jenis(job, creates)
    clock.lap("compare")
    # A first import: the registry's indexes and foreign keys are built once,
    # after the rows.
    bulk = len(creates) >= BULK_REBUILD_MIN_ROWS and len(creates) >= existing
    with (
        bulk_load(
            Cooperative,
            related=(CooperativeFigures, Officer, AuditEvent),
            rows=len(creates),
        )
        if bulk
        else nullcontext()
    ) as load:
        writer = _Writer(job, load=load)
        writer.create(creates)
        clock.lap("write_new")
        on_progress(60)
        writer.update(updates)
        on_progress(90)
        clock.lap("write_changed")
        writer.flush_audit()
        clock.lap("write_audit")
    clock.lap("build_checks")
    job.status = ImportStatus.APPLIED
    job.created_count = len(creates)
    job.updated_count = writer.updated
    job.applied_at = timezone.now()
    job.timings = {**job.timings, "apply": clock.timings}
    job.progress = 100
    job.save()
    on_progress(100)


def _leave_out_without_jenis(
    job: ImportJob, creates: list[list[Any]]
) -> list[list[Any]]:
    """New cooperatives whose jenis is known. The others (a new kelompok label left
    unmapped and no jenis of their own) are listed with the preview's errors."""
    kept = [item for item in creates if item[4][JENIS_AT] is not None]
    if len(kept) == len(creates):
        return creates
    column = BY_CODE["jenis"].header
    names = dict(
        Kelompok.objects.filter(
            pk__in={item[4][KELOMPOK_AT] for item in creates}
        ).values_list("pk", "name")
    )
    left_out: list[tuple[Any, ...]] = [
        (
            job.pk,
            number,
            RowOutcome.ERROR,
            nik[:64],
            name[:255],
            None,
            {},
            [
                {
                    "column": column,
                    "value": "",
                    "message": _(
                        "Jenis koperasi kosong dan kelompok “%(label)s” tidak "
                        "dipetakan ke jenis; baris tidak diterapkan."
                    )
                    % {"label": names.get(fields[KELOMPOK_AT], "")},
                }
            ],
        )
        for number, _outcome, nik, name, fields, *_rest in creates
        if fields[JENIS_AT] is None
    ]
    insert_rows(ImportRow, _SHOWN_COLUMNS, left_out)
    job.error_count += len(left_out)
    return kept


class _Writer:
    """The writes of one apply, in bulk, with one audit row per cooperative."""

    def __init__(self, job: ImportJob, *, load: BulkLoad | None) -> None:
        self.job = job
        self.load = load
        self.user = job.applied_by
        self.now = timezone.now()
        # COPY rows carry the timestamp as text: formatting it once saves a second
        # per 100,000 rows.
        self.stamp = self.now.isoformat()
        self.today = timezone.localdate()
        self.labels = _Labels()
        self.coop_type = ContentType.objects.get_for_model(Cooperative)
        self.message = _("Impor ODS #%(job)s") % {"job": job.pk}
        self.user_id = self.user.pk if self.user else None
        self.row_word = _("baris")
        self.audit: list[tuple[Any, ...]] = []
        self.updated = 0

    def _event(
        self, action: str, pk: int, name: str, changes: dict[str, Any], row: int
    ) -> None:
        self.audit.append(
            (
                self.stamp,
                self.user_id,
                action,
                self.coop_type.pk,
                str(pk),
                name[:255],
                pk,
                changes,
                f"{self.message}, {self.row_word} {row}",
                self.job.pk,
            )
        )

    def create(self, creates: list[list[Any]]) -> None:
        """New cooperatives, their figures and ketua, from plan-file lists
        (``record_to_json``). Their audit rows list no fields: the row number points
        at where every value came from."""
        # A field the export left blank gets the model's default (pola konvensional,
        # bentuk primer, status aktif, "" or NULL).
        defaults = [
            Cooperative._meta.get_field(name).get_default()  # type: ignore[union-attr]
            for name in RECORD_FIELDS
        ]
        rows = [
            (
                nik,
                *[
                    default if value is None else value
                    for value, default in zip(fields, defaults, strict=True)
                ],
                RecordSource.ODS_IMPORT,
                self.stamp,
                self.stamp,
            )
            for _number, _outcome, nik, _name, fields, *_rest in creates
        ]
        ids = insert_rows(
            Cooperative,
            _NEW_COOPERATIVE_COLUMNS,
            rows,
            return_ids=True,
            ids=self.load.reserve_ids(len(rows)) if self.load else None,
        )
        del rows
        if self.load:
            # PostgreSQL builds the cooperative indexes (trigram ones above all)
            # while Python makes the figure, ketua and audit rows below.
            self.load.build_indexes_meanwhile(Cooperative)
        figures, officers = [], []
        for item, pk in zip(creates, ids, strict=True):
            number, _outcome, _nik, name, _fields, values, tahun_buku, ketua = item
            if any(value is not None for value in values):
                figures.append(
                    (pk, tahun_buku, *values, RecordSource.ODS_IMPORT, self.stamp)
                )
            if ketua:
                officers.append((pk, ketua, Position.KETUA, "", "", True))
            self._event(AuditAction.CREATE, pk, name, {}, number)
        inserts = [
            prepare_rows(CooperativeFigures, _FIGURES_COLUMNS, figures),
            prepare_rows(Officer, _OFFICER_COLUMNS, officers),
            prepare_rows(AuditEvent, AUDIT_COLUMNS, self.audit),
        ]
        self.audit = []
        del figures, officers
        if self.load:
            self.load.wait()
        for insert in inserts:
            insert()

    def update(self, updates: list[Planned]) -> None:
        ids = [item.cooperative_id for item in updates]
        locked: dict[int, Cooperative] = {}
        for start in range(0, len(ids), _CHUNK):
            locked.update(
                Cooperative.objects.select_for_update().in_bulk(
                    ids[start : start + _CHUNK]
                )
            )
        changed_fields: set[str] = set()
        changed_cooperatives: list[Cooperative] = []
        status_changes: list[tuple[Any, ...]] = []
        figure_keys = {
            (item.cooperative_id, item.record.tahun_buku) for item in updates
        }
        figures = self._figures(figure_keys)
        new_figures: list[CooperativeFigures] = []
        changed_figures: list[CooperativeFigures] = []
        # (cooperative id, new ketua name, its audit entry, completed once inserted)
        new_ketua: list[tuple[int, str, dict[str, Any]]] = []
        for item in updates:
            cooperative = locked[item.cooperative_id]  # type: ignore[index]
            audit: dict[str, Any] = {}
            for key, (_old, new) in item.changes.items():
                if key.startswith("figures.") or key == "ketua":
                    continue
                attname = _FK_FIELDS.get(key, key)
                old = getattr(cooperative, attname)  # the locked row, not the snapshot
                if old == new:
                    continue
                setattr(cooperative, attname, new)
                changed_fields.add(attname)
                audit[key] = self._change(key, old, new)
                if key == "status":
                    status_changes.append(
                        (
                            cooperative.pk,
                            old,
                            new,
                            self.today,
                            self.message,
                            self.user_id,
                            self.stamp,
                        )
                    )
            row = self._stage_figures(item, figures, audit)
            if row is not None:
                (new_figures if row.pk is None else changed_figures).append(row)
            if "ketua" in item.changes:
                old_name, new_name = item.changes["ketua"]
                audit["ketua"] = {
                    "label": str(_("Ketua")),
                    "old": old_name or "",
                    "new": new_name,
                }
                new_ketua.append((cooperative.pk, new_name, audit["ketua"]))
            if audit:
                changed_cooperatives.append(cooperative)
                self._event(
                    AuditAction.UPDATE,
                    cooperative.pk,
                    cooperative.name,
                    audit,
                    item.record.row_number,
                )
        for cooperative in changed_cooperatives:
            cooperative.updated_at = self.now
        if changed_fields:
            Cooperative.objects.bulk_update(
                changed_cooperatives,
                sorted(changed_fields | {"updated_at"}),
                batch_size=1000,
            )
        insert_rows(StatusChange, _STATUS_CHANGE_COLUMNS, status_changes)
        insert_rows(
            CooperativeFigures,
            _FIGURES_COLUMNS,
            [
                (
                    f.cooperative_id,
                    f.tahun_buku,
                    *(getattr(f, n) for n in FIGURE_FIELDS),
                    f.source,
                    self.stamp,
                )
                for f in new_figures
            ],
        )
        for row in changed_figures:
            row.updated_at = self.now
        CooperativeFigures.objects.bulk_update(
            changed_figures, [*FIGURE_FIELDS, "source", "updated_at"], batch_size=1000
        )
        if new_ketua:
            old_ketua = Officer.objects.filter(
                cooperative_id__in=[pk for pk, _name, _audit in new_ketua],
                position=Position.KETUA,
                is_active=True,
                user__isnull=True,
            )
            retired_ids: dict[int, list[int]] = {}
            for officer_id, cooperative_id in old_ketua.values_list(
                "pk", "cooperative_id"
            ):
                retired_ids.setdefault(cooperative_id, []).append(officer_id)
            old_ketua.update(is_active=False, end_date=self.today)
            officer_ids = insert_rows(
                Officer,
                (*_OFFICER_COLUMNS, "start_date"),
                [
                    (cooperative_id, name, Position.KETUA, "", "", True, self.today)
                    for cooperative_id, name, _audit in new_ketua
                ],
                return_ids=True,
            )
            for (cooperative_id, _name, audit), pk in zip(
                new_ketua, officer_ids, strict=True
            ):
                audit["old_value"] = retired_ids.get(cooperative_id, [])
                audit["new_value"] = pk
        self.updated = len(changed_cooperatives)

    def _stage_figures(
        self,
        item: Planned,
        figures: dict[tuple[int, int], CooperativeFigures],
        audit: dict[str, Any],
    ) -> CooperativeFigures | None:
        """Set the changed figures of ``item`` on its row for the tahun buku (a new,
        unsaved row if there is none) and note them in ``audit``."""
        changes = {k: v for k, v in item.changes.items() if k.startswith("figures.")}
        if not changes:
            return None
        assert item.cooperative_id is not None  # changed rows match a cooperative
        key = (item.cooperative_id, item.record.tahun_buku)
        row = figures.get(key)
        if row is None:
            row = CooperativeFigures(cooperative_id=key[0], tahun_buku=key[1])
        row.source = RecordSource.ODS_IMPORT
        for change_key, (_old, new) in changes.items():
            name = change_key.split(".", 1)[1]
            entry = self._change(change_key, getattr(row, name), new)
            entry["label"] += f" {key[1]}"
            entry["figures"] = {"year": key[1], "created": row.pk is None}
            audit[change_key] = entry
            setattr(row, name, new)
        return row

    def _figures(
        self, keys: set[tuple[Any, int]]
    ) -> dict[tuple[int, int], CooperativeFigures]:
        found: dict[tuple[int, int], CooperativeFigures] = {}
        ids = sorted({pk for pk, _year in keys})
        years = {year for _pk, year in keys}
        for start in range(0, len(ids), _CHUNK):
            rows = CooperativeFigures.objects.select_for_update().filter(
                cooperative_id__in=ids[start : start + _CHUNK], tahun_buku__in=years
            )
            for row in rows:
                found[(row.cooperative_id, row.tahun_buku)] = row
        return found

    def _change(self, key: str, old: Any, new: Any) -> dict[str, Any]:
        display_key = {"kelurahan_id": "kelurahan", "kelompok_id": "kelompok"}.get(
            key, key
        )
        return {
            "label": self.labels.label(display_key),
            "old": self.labels.display(display_key, old),
            "new": self.labels.display(display_key, new),
            "old_value": value_to_json(old),
            "new_value": value_to_json(new),
        }

    def flush_audit(self) -> None:
        insert_rows(AuditEvent, AUDIT_COLUMNS, self.audit)
        self.audit = []


# --- cancelling and undoing ----------------------------------------------------------


@transaction.atomic
def import_job_cancel(*, acting_user: User | None, job: ImportJob) -> ImportJob:
    """Drop a previewed job without applying it."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not locked.can_apply:
        raise ImportRefused(_("Impor ini tidak dapat dibatalkan lagi."))
    locked.status = ImportStatus.CANCELLED
    locked.save(update_fields=["status"])
    locked.rows.exclude(outcome=RowOutcome.ERROR).delete()
    audit_record(
        actor=acting_user,
        action=AuditAction.DEACTIVATE,
        obj=locked,
        message=_("Pratinjau tidak diterapkan."),
    )
    return locked


@transaction.atomic
def import_job_request_undo(
    *, acting_user: User | None, job: ImportJob, enqueue: bool = True
) -> ImportJob:
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status == ImportStatus.UNDOING:
        return locked
    if not locked.can_undo:
        raise ImportRefused(
            _("Hanya impor yang sudah diterapkan yang dapat dibatalkan.")
        )
    locked.status = ImportStatus.UNDOING
    locked.undone_by = acting_user
    locked.save(update_fields=["status", "undone_by"])
    if enqueue:
        from ..tasks import undo_import

        transaction.on_commit(lambda: undo_import.delay(locked.pk))
    return locked


@transaction.atomic
def import_job_undo(*, job_id: int) -> ImportJob:
    """Reverse what an applied job did, cooperative by cooperative.

    A cooperative that changed after the import (any later audit row that is not
    from this job) is left alone and listed in ``undo_report["skipped"]``. Created
    cooperatives are deleted with their figures and officers; updated ones get back
    every field, figure and ketua the import changed.
    """
    transaction_lock(IMPORT_LOCK)
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.status != ImportStatus.UNDOING:
        return job
    events = list(
        AuditEvent.objects.filter(
            import_job=job, action__in=(AuditAction.CREATE, AuditAction.UPDATE)
        )
        .exclude(cooperative=None)
        .values_list("pk", "cooperative_id", "action", "changes", "object_repr")
    )
    batch_event = {cooperative_id: pk for pk, cooperative_id, *_rest in events}
    touched = _touched_later(job, batch_event)
    undo = _Undo(job)
    skipped = []
    for _pk, cooperative_id, action, changes, name in events:
        if cooperative_id in touched:
            skipped.append({"id": cooperative_id, "name": name})
            continue
        if action == AuditAction.CREATE:
            undo.deleted.append((cooperative_id, name))
        else:
            undo.restore(cooperative_id, name, changes)
    undo.finish()
    job.status = ImportStatus.UNDONE
    job.undone_at = timezone.now()
    job.undo_report = {
        "deleted": len(undo.deleted),
        "restored": undo.restored,
        "skipped": sorted(skipped, key=lambda item: item["name"]),
    }
    job.save(update_fields=["status", "undone_at", "undo_report"])
    return job


def _touched_later(job: ImportJob, batch_event: dict[int, int]) -> set[int]:
    """Cooperatives with an audit row after this job's own row that is neither from
    this job nor from an import that has been undone since."""
    if not batch_event:
        return set()
    first = min(batch_event.values())
    touched = set()
    ids = sorted(batch_event)
    for start in range(0, len(ids), _CHUNK):
        later = (
            AuditEvent.objects.filter(
                cooperative_id__in=ids[start : start + _CHUNK], pk__gt=first
            )
            .exclude(import_job=job)
            # an import undone since then cancelled itself out
            .exclude(import_job__status=ImportStatus.UNDONE)
            .values_list("cooperative_id", "pk")
        )
        for cooperative_id, pk in later:
            if pk > batch_event[cooperative_id]:
                touched.add(cooperative_id)
    return touched


class _Undo:
    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.user = job.undone_by
        self.today = timezone.localdate()
        self.message = _("Pembatalan impor ODS #%(job)s") % {"job": job.pk}
        self.coop_type = ContentType.objects.get_for_model(Cooperative)
        self.deleted: list[tuple[int, str]] = []
        self.restored = 0
        self.audit: list[tuple[Any, ...]] = []

    def _event(
        self,
        action: str,
        pk: int,
        name: str,
        changes: dict[str, Any],
        *,
        cooperative_id: int | None,
    ) -> None:
        self.audit.append(
            (
                timezone.now(),
                self.user.pk if self.user else None,
                action,
                self.coop_type.pk,
                str(pk),
                name[:255],
                cooperative_id,
                changes,
                self.message,
                self.job.pk,
            )
        )

    def restore(self, cooperative_id: int, name: str, changes: dict[str, Any]) -> None:
        cooperative = Cooperative.objects.select_for_update().get(pk=cooperative_id)
        reverse: dict[str, Any] = {}
        fields = []
        for key, change in changes.items():
            if key.startswith("figures.") or key == "ketua":
                continue
            attname = _FK_FIELDS.get(key, key)
            old = value_from_json(key, change.get("old_value"))
            if key == "status":
                StatusChange.objects.create(
                    cooperative=cooperative,
                    from_status=cooperative.status,
                    to_status=old,
                    effective_date=self.today,
                    reason=self.message,
                    changed_by=self.user,
                )
            setattr(cooperative, attname, old)
            fields.append(attname)
            reverse[key] = {**change, "old": change["new"], "new": change["old"]}
        if fields:
            cooperative.save(update_fields=[*fields, "updated_at"])
        figure_changes = {k: c for k, c in changes.items() if k.startswith("figures.")}
        if figure_changes:
            meta = next(iter(figure_changes.values()))["figures"]
            row = CooperativeFigures.objects.filter(
                cooperative=cooperative, tahun_buku=meta["year"]
            ).first()
            if row is not None and meta["created"]:
                row.delete()
            elif row is not None:
                for key, change in figure_changes.items():
                    name_ = key.split(".", 1)[1]
                    setattr(row, name_, value_from_json(name_, change.get("old_value")))
                row.save()
            for key, change in figure_changes.items():
                reverse[key] = {
                    "label": change["label"],
                    "old": change["new"],
                    "new": change["old"],
                }
        if "ketua" in changes:
            change = changes["ketua"]
            Officer.objects.filter(
                pk=change.get("new_value"), cooperative=cooperative
            ).delete()
            Officer.objects.filter(
                pk__in=change.get("old_value") or [], cooperative=cooperative
            ).update(is_active=True, end_date=None)
            reverse["ketua"] = {
                "label": change["label"],
                "old": change["new"],
                "new": change["old"],
            }
        self.restored += 1
        self._event(
            AuditAction.IMPORT_UNDO,
            cooperative_id,
            name,
            reverse,
            cooperative_id=cooperative_id,
        )

    def finish(self) -> None:
        ids = [pk for pk, _name in self.deleted]
        for start in range(0, len(ids), _CHUNK):
            Cooperative.objects.filter(pk__in=ids[start : start + _CHUNK]).delete()
        for pk, name in self.deleted:
            self._event(AuditAction.DELETE, pk, name, {}, cooperative_id=None)
        insert_rows(AuditEvent, AUDIT_COLUMNS, self.audit)

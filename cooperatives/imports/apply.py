"""Applying a confirmed import: everything in one transaction, or nothing."""

import logging
from contextlib import nullcontext
from typing import Any

import orjson
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from lib.bulk import (
    bulk_load,
    gc_paused,
    insert_rows,
    transaction_lock,
)

from ..models import (
    Cooperative,
    CooperativeFigures,
    ImportJob,
    ImportRow,
    ImportStatus,
    Kelompok,
    Officer,
    RowOutcome,
)
from ..ods.columns import BY_CODE
from ..ods.planning import (
    Outcome,
    Planned,
    plan,
)
from ..services.rats import rats_held_fill
from .jobs import IMPORT_LOCK, MAX_APPLY_ATTEMPTS, Clock, ProgressCallback, give_up
from .kelompok import (
    add_new_kelompok,
    resolve_labels,
)
from .plan_file import (
    BADAN_HUKUM_AT,
    JENIS_AT,
    KELOMPOK_AT,
    KELURAHAN_AT,
    record_from_json,
    record_to_json,
)
from .preview import SHOWN_COLUMNS
from .snapshot import registry_snapshot
from .writer import Writer

logger = logging.getLogger(__name__)

# From this many new cooperatives, when they at least double the registry, the
# registry's secondary indexes and foreign keys are built after the rows instead of
# row by row (lib.bulk.bulk_load).
BULK_REBUILD_MIN_ROWS = 10_000


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
            return give_up(
                job,
                _(
                    "Penerapan terhenti %(n)s kali; registri tidak berubah. Coba "
                    "terapkan lagi, atau hubungi administrator."
                )
                % {"n": job.attempts},
            )
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
    clock = Clock()
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
    # Rows the registry has overtaken since the preview (another import or a
    # staff member registered the cooperative): not applied, and said so.
    overtaken: list[tuple[int, str, Planned]] = []
    if data:
        years = {year for *_item, year, _ketua in data}
        registry = registry_snapshot(years=years)
        edited = _edited_since(job, years)
        existing = len(registry.cooperatives)
        on_progress(25)
        for item in data:
            _number, previewed, nik, name, fields, *_rest = item
            if (
                previewed == Outcome.NEW
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
            if (
                planned.outcome == previewed == Outcome.CHANGED
                and planned.cooperative_id in edited
            ):
                # The preview showed changes from values that are no longer
                # there: applied, the file's would undo the newer ones unseen.
                planned.outcome = Outcome.ERROR
                # Said beside the first value the row would write (it was
                # beside "Nama Koperasi" whatever had changed).
                written = [
                    code
                    for code in (
                        key.removeprefix("figures.") for key in planned.changes
                    )
                    if code in BY_CODE
                ]
                planned.column = written[0] if written else "name"
                planned.problem = _(
                    "data koperasi ini diubah sesudah pratinjau dibuat (oleh impor "
                    "lain atau oleh staf), dan baris ini akan menimpa perubahan itu. "
                    "Unggah berkasnya lagi untuk pratinjau yang baru."
                )
                overtaken.append((_number, previewed, planned))
            elif planned.outcome == Outcome.CHANGED:
                updates.append(planned)
                if previewed != Outcome.CHANGED:
                    overtaken.append((_number, previewed, planned))
            elif (planned.outcome == Outcome.NEW and previewed == Outcome.NEW) or (
                planned.outcome in (Outcome.NEW, Outcome.DUPLICATE)
                and previewed == Outcome.DUPLICATE
                and job.include_duplicates
            ):
                creates.append(record_to_json(record, planned.outcome))
            elif planned.outcome != previewed:
                # A change previewed whose cooperative no longer matches, or a
                # duplicate not chosen that no longer looks like one: what the
                # preview showed is not what would happen, so nothing does.
                overtaken.append((_number, previewed, planned))
    del data
    _mark_overtaken(job, overtaken)
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
        writer = Writer(job, load=load)
        writer.create(creates)
        clock.lap("write_new")
        on_progress(60)
        writer.update(updates)
        on_progress(90)
        clock.lap("write_changed")
        writer.flush_audit()
        clock.lap("write_audit")
    clock.lap("build_checks")
    # The RATs the file told of are held for their tahun buku, whatever RAT
    # comes later (the undo takes back the ones it added).
    rats_held_fill(import_job_id=job.pk)
    clock.lap("rats_held")
    job.status = ImportStatus.APPLIED
    job.created_count = len(creates)
    job.updated_count = writer.updated
    job.applied_at = timezone.now()
    job.timings = {**job.timings, "apply": clock.timings}
    job.progress = 100
    job.save()
    on_progress(100)


def _edited_since(job: ImportJob, years: set[int]) -> set[int]:
    """The cooperatives whose data or figures (of the file's years) were saved
    after the job's preview. Cost: two queries on ``updated_at``."""
    if job.previewed_at is None:
        return set()
    since = job.previewed_at
    edited = set(
        Cooperative.objects.filter(updated_at__gt=since).values_list("pk", flat=True)
    )
    edited.update(
        CooperativeFigures.objects.filter(
            updated_at__gt=since, tahun_buku__in=years
        ).values_list("cooperative_id", flat=True)
    )
    return edited


# The job's counts by outcome (``Outcome`` and ``RowOutcome`` share their values):
# a row overtaken since the preview moves from one count to another.
_COUNTS = {
    Outcome.NEW: "new_count",
    Outcome.CHANGED: "changed_count",
    Outcome.DUPLICATE: "duplicate_count",
    Outcome.ERROR: "error_count",
}


def _mark_overtaken(job: ImportJob, overtaken: list[tuple[int, str, Planned]]) -> None:
    """The job's rows that the registry overtook since the preview listed them:
    "Baru" but not added (a silent gap between "5 baru" and "4 koperasi
    ditambahkan") or applied as a change. Each now says what happened. Few rows:
    one query each."""
    for number, previewed, planned in overtaken:
        if planned.outcome == Outcome.ERROR:
            outcome = RowOutcome.ERROR
            message = _(
                "Sejak pratinjau, registri berubah: %(problem)s Baris tidak diterapkan."
            ) % {"problem": planned.problem}
        elif planned.outcome == Outcome.NEW:
            outcome = RowOutcome.ERROR
            message = _(
                "Sejak pratinjau, registri berubah sehingga baris ini kini koperasi "
                "baru, yang tidak ditunjukkan pratinjau; baris tidak diterapkan. "
                "Impor lagi berkasnya bila koperasi ini perlu ditambahkan."
            )
        elif planned.outcome == Outcome.CHANGED:
            outcome = RowOutcome.CHANGED
            message = _(
                "Sejak pratinjau, koperasi ini terdaftar di registri (nomor badan "
                "hukum atau NIK yang sama); datanya diperbarui dari berkas ini."
            )
        elif planned.outcome == Outcome.DUPLICATE:
            outcome = RowOutcome.DUPLICATE
            message = _(
                "Sejak pratinjau, koperasi yang mirip terdaftar di registri; baris "
                "tidak ditambahkan. Bila memang koperasi lain, impor lagi berkasnya "
                "dan pilih daftarkan kemungkinan duplikat."
            )
        else:  # the same values were registered since: nothing left to do
            outcome = RowOutcome.DUPLICATE
            message = _(
                "Sejak pratinjau, koperasi ini sudah terdaftar dengan data yang sama; "
                "tidak ada yang diubah."
            )
        record = planned.record
        ImportRow.objects.update_or_create(
            job=job,
            row_number=number,
            defaults={
                "outcome": outcome,
                "nik": (record.nik or "")[:64],
                "name": record.name[:255],
                "cooperative_id": planned.cooperative_id,
                "changes": {},
                "problems": [
                    {
                        "column": BY_CODE[planned.column].header,
                        "value": "",
                        "message": message,
                    }
                ],
            },
        )
        before, after = _COUNTS[previewed], _COUNTS[outcome]
        setattr(job, before, getattr(job, before) - 1)
        setattr(job, after, getattr(job, after) + 1)


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
                    % {"label": names[fields[KELOMPOK_AT]]}
                    if fields[KELOMPOK_AT] in names
                    else _(
                        "Jenis koperasi kosong dan tidak dapat diturunkan dari "
                        "kelompoknya; koperasi baru perlu jenisnya."
                    ),
                }
            ],
        )
        for number, _outcome, nik, name, fields, *_rest in creates
        if fields[JENIS_AT] is None
    ]
    insert_rows(ImportRow, SHOWN_COLUMNS, left_out)
    job.error_count += len(left_out)
    return kept

"""An import job's life apart from its heavy steps: created from an upload,
confirmed for applying, dropped, or sent to be undone. Each step is audited and,
where work follows, enqueued after commit."""

import datetime
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from lib.background import enqueue_on_commit
from lib.office_text import lazy_text

from ..models import (
    ImportJob,
    ImportStatus,
    RowOutcome,
)

IMPORT_LOCK = "cooperatives.ods-import"

MAX_APPLY_ATTEMPTS = 3

# A preview redelivered after this many started reads (workers killed) is given up.
MAX_READ_ATTEMPTS = 3

# The same person uploading the same file again this soon is a double submission.
_DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=2)

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
) -> ImportJob:
    """Store the upload as a new job and start its preview once this commits.

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
        message=lazy_text(
            gettext_lazy("Berkas %(name)s diunggah untuk diimpor."),
            name=job.original_name,
        ),
    )
    enqueue_on_commit(
        "cooperatives.tasks.preview_import",
        job.pk,
        unsent=_not_run(job.pk, ImportStatus.QUEUED, ImportStatus.FAILED),
    )
    return job


def _not_run(job_id: int, asked: str, back: str) -> Callable[[str], object]:
    """An import step the broker did not take (``enqueue_on_commit``): the job
    goes back from ``asked`` to ``back``, saying why, to be asked again (an undo
    not run was asked by nobody)."""

    def mark(reason: str) -> int:
        jobs = ImportJob.objects.filter(pk=job_id, status=asked)
        if asked == ImportStatus.UNDOING:
            return jobs.update(status=back, error=reason, undone_by=None)
        return jobs.update(status=back, error=reason)

    return mark


def set_progress(job_id: int, percent: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(progress=max(0, min(99, percent)))


def give_up(job: ImportJob, message: str) -> ImportJob:
    """End a job redelivered too often (workers died on it) as FAILED with
    ``message``; the caller holds the row's lock."""
    job.status = ImportStatus.FAILED
    job.error = message
    job.save(update_fields=["status", "error"])
    return job


def fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED, error=message
    )


class Clock:
    """Seconds spent per phase, kept on the job (``timings``) for operators and the
    benchmark."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(now - self._last, 3)
        self._last = now


@transaction.atomic
def import_job_request_apply(
    *,
    acting_user: User | None,
    job: ImportJob,
    include_duplicates: bool = False,
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
    # Not sent, the preview stands as it was, to be applied again.
    enqueue_on_commit(
        "cooperatives.tasks.apply_import",
        locked.pk,
        unsent=_not_run(locked.pk, ImportStatus.APPLYING, ImportStatus.READY),
    )
    return locked


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
        message=gettext_lazy("Pratinjau tidak diterapkan."),
    )
    return locked


@transaction.atomic
def import_job_request_undo(*, acting_user: User | None, job: ImportJob) -> ImportJob:
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
    enqueue_on_commit(
        "cooperatives.tasks.undo_import",
        locked.pk,
        unsent=_not_run(locked.pk, ImportStatus.UNDOING, ImportStatus.APPLIED),
    )
    return locked

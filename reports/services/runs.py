"""Generated files: requesting one (web) and producing it (Celery task, command)."""

import logging
import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_filter
from lib.background import enqueue_on_commit
from lib.excel import write_csv, write_xlsx
from lib.jobs import not_run

from ..exports import REGISTRY_FIELDS, registry_export_rows
from ..models import FileFormat, ReportKind, ReportRun, RunStatus

logger = logging.getLogger(__name__)

# A repeated request (double click, reload) within this window reuses the pending run.
_DUPLICATE_WINDOW = timedelta(minutes=1)
# A run redelivered after this many started attempts (workers killed) is given up.
MAX_ATTEMPTS = 3


@transaction.atomic
def report_run_request(
    *, acting_user: User, kind: str, file_format: str, params: dict[str, list[str]]
) -> ReportRun:
    """Create the run and enqueue it once the transaction commits.

    A second identical request while the first is still pending returns the first.
    """
    if file_format not in FileFormat.values or kind not in ReportKind.values:
        raise ValueError("Unknown report kind or format")
    pending = (
        ReportRun.objects.select_for_update()
        .filter(
            created_by=acting_user,
            kind=kind,
            file_format=file_format,
            params=params,
            status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
            created_at__gte=timezone.now() - _DUPLICATE_WINDOW,
        )
        .first()
    )
    if pending is not None:
        return pending
    run = ReportRun.objects.create(
        created_by=acting_user, kind=kind, file_format=file_format, params=params
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        obj=run,
        changes={
            "params": {"label": gettext_lazy("filter"), "old": "", "new": str(params)}
        },
    )
    enqueue_on_commit(
        "reports.tasks.run_report", run.pk, unsent=not_run(ReportRun, run.pk)
    )
    return run


def _set_progress(run_id: int, done: int, total: int) -> None:
    percent = min(99, int(done * 100 / total)) if total else 99
    ReportRun.objects.filter(pk=run_id).update(progress=percent)


def report_run_execute(*, run_id: int) -> ReportRun:
    """Produce the file of a run. Safe to call again after a crash: it starts over.

    Expected failures end the run as FAILED with a message for the user; anything
    unexpected is recorded the same way and re-raised so that the worker logs it.
    """
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status == RunStatus.DONE:
            return run
        if run.attempts >= MAX_ATTEMPTS:
            # Redelivered again after workers died on it: stop, say so, keep the row.
            run.status = RunStatus.FAILED
            run.finished_at = timezone.now()
            run.error = _(
                "Berkas gagal dibuat setelah %(n)s percobaan. Persempit filter lalu "
                "minta lagi, atau hubungi administrator."
            ) % {"n": MAX_ATTEMPTS}
            run.save(update_fields=["status", "finished_at", "error"])
            return run
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.progress = 0
        run.error = ""
        run.attempts += 1
        run.save(
            update_fields=["status", "started_at", "progress", "error", "attempts"]
        )
    try:
        path, row_count = _build_registry_export(run)
        with open(path, "rb") as handle:
            run.file.save(run.download_name, File(handle), save=False)
        Path(path).unlink(missing_ok=True)
    except Exception as exc:
        logger.exception("Report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=_("Berkas gagal dibuat (%(error)s). Silakan coba lagi.")
            % {"error": type(exc).__name__},
        )
        raise
    run.status = RunStatus.DONE
    run.progress = 100
    run.row_count = row_count
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "progress", "row_count", "finished_at", "file"])
    return run


def _build_registry_export(run: ReportRun) -> tuple[Path, int]:
    cooperatives = cooperative_filter(user=run.created_by, params=run.query).qs
    total = cooperatives.count()
    descriptor, name = tempfile.mkstemp(suffix=f".{run.file_format}")
    os.close(descriptor)
    path = Path(name)

    def progress(done: int) -> None:
        _set_progress(run.pk, done, total)

    count = registry_export_write(
        cooperatives=cooperatives,
        file_format=run.file_format,
        path=path,
        on_progress=progress,
    )
    return path, count


def registry_export_write(
    *,
    cooperatives: QuerySet[Cooperative],
    file_format: str,
    path: Path,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write the registry export of ``cooperatives`` to ``path`` (.xlsx or .csv);
    returns the number of rows. The list page's export (through a run) and the
    ``export_registry`` command both write through here."""
    headers = [header for header, _path, _choices in REGISTRY_FIELDS]
    rows = registry_export_rows(cooperatives)
    if file_format == FileFormat.XLSX:
        return write_xlsx(
            path,
            sheet_name="Koperasi",
            headers=headers,
            rows=rows,
            on_progress=on_progress,
        )
    return write_csv(path, headers=headers, rows=rows, on_progress=on_progress)


def report_runs_purge(*, older_than: timedelta) -> int:
    """Delete finished runs and their files after the retention period."""
    cutoff = timezone.now() - older_than
    count = 0
    for run in ReportRun.objects.filter(created_at__lt=cutoff).exclude(
        status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    ):
        if run.file:
            run.file.delete(save=False)
        run.delete()
        count += 1
    return count

"""A real Celery worker is killed (SIGKILL) in the middle of applying an ODS import:
the registry is left exactly as it was, and the job is taken up again by the next
worker and applied once."""

import os
import signal
import subprocess
import sys
import time
import uuid
from typing import IO

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from cooperatives.imports import (
    import_job_create,
    import_job_preview,
    import_job_request_apply,
)
from cooperatives.models import Cooperative, CooperativeFigures, ImportJob, ImportStatus
from koperasi_registry.celery import app as celery_app
from lib.testing import missing_services, require_or_skip
from tests.personas import make_user

from .test_celery_worker import BASE_DIR, _database_url, stop_worker

ROWS = 20_000


def start_worker(queue: str, log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # Hand an unacknowledged task out again after 3 s instead of 15 minutes.
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    command = [sys.executable, "-m", "celery", "-A", "koperasi_registry", "worker"]
    return subprocess.Popen(
        [*command, "--pool=solo", "-Q", queue, "--without-gossip", "--without-mingle"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def apply_in_progress() -> bool:
    """The apply holds the import's advisory lock: it is inside its transaction.
    Only this database's locks count: the server is shared with other test runs,
    whose imports hold the same lock in their own databases."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database"
            " WHERE datname = current_database())"
        )
        return bool(cursor.fetchone()[0])


def wait_for(condition, seconds: float, worker=None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None:
            assert worker.poll() is None, "the worker died on its own"
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s in vain")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_apply_changes_nothing_and_the_job_is_redone(tmp_path):
    require_or_skip(missing_services())
    from bench.ods_files import write

    staff = make_user("staf-kill", Role.STAFF)
    path = tmp_path / "ods.xlsx"
    write(path, ROWS)
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    log_path = tmp_path / "worker.log"
    log = log_path.open("ab")
    workers: list[subprocess.Popen[bytes]] = []
    try:
        # Read here, before any worker runs: the preview task this enqueues finds
        # the job read already and does nothing.
        with path.open("rb") as upload:
            job = import_job_create(
                acting_user=staff,
                upload=upload,
                original_name="ods.xlsx",
                tahun_buku=None,
            )
        job = import_job_preview(job_id=job.pk)
        assert job.status == ImportStatus.READY and job.new_count == ROWS
        workers.append(start_worker(queue, log))
        with transaction.atomic():
            import_job_request_apply(acting_user=staff, job=job)
        wait_for(apply_in_progress, 60, workers[0])
        time.sleep(0.5)  # well inside writing 20,000 cooperatives
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)

        # The killed worker's transaction dies with its connection.
        wait_for(lambda: not apply_in_progress(), 30)
        assert Cooperative.objects.count() == 0
        assert CooperativeFigures.objects.count() == 0
        assert not AuditEvent.objects.filter(import_job=job).exists()
        job.refresh_from_db()
        assert job.status == ImportStatus.APPLYING and job.attempts == 1

        # The next worker takes the unacknowledged task up again and applies it once.
        workers.append(start_worker(queue, log))

        def applied() -> bool:
            job.refresh_from_db()
            return job.status in (ImportStatus.APPLIED, ImportStatus.FAILED)

        wait_for(applied, 120, workers[1])
        assert job.status == ImportStatus.APPLIED, job.error
        assert job.attempts == 2
        assert job.created_count == ROWS
        assert Cooperative.objects.count() == ROWS
        creates = AuditEvent.objects.filter(import_job=job, action=AuditAction.CREATE)
        assert creates.count() == ROWS
        assert not ImportJob.objects.exclude(pk=job.pk).exists()
    finally:
        celery_app.conf.task_default_queue = previous
        for worker in workers:
            stop_worker(worker)
        log.close()
        print(log_path.read_text()[-3000:])


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_that_kills_its_parser_fails_its_job_and_the_worker_goes_on(
    tmp_path, worker_queue
):
    """The 5 KB workbook whose stray cell at XFD1048576 makes calamine ask for
    550 GB (its declared size removed, so only the parse can find out): the reading
    child dies, the job fails with its message within a minute, the worker lives and
    reads the next file."""
    from cooperatives.tests.ods_testing import row, write_xlsx
    from cooperatives.tests.test_import_real_files import sparse_sheet

    staff = make_user("staf-rusak", Role.STAFF)
    bad = sparse_sheet(tmp_path / "jarang.xlsx", declared=False)
    good = write_xlsx(
        tmp_path / "baik.xlsx", [row("6471000000000801", "Koperasi Sesudahnya")]
    )
    jobs = []
    for path in (bad, good):
        with path.open("rb") as upload, transaction.atomic():
            jobs.append(
                import_job_create(
                    acting_user=staff,
                    upload=upload,
                    original_name=path.name,
                    tahun_buku=None,
                )
            )

    def done(job: ImportJob) -> bool:
        job.refresh_from_db()
        return job.status in (ImportStatus.READY, ImportStatus.FAILED)

    started = time.monotonic()
    wait_for(lambda: done(jobs[0]), 60, worker_queue)
    assert time.monotonic() - started < 60
    assert jobs[0].status == ImportStatus.FAILED
    assert "memori" in jobs[0].error
    assert jobs[0].read_attempts == 1
    wait_for(lambda: done(jobs[1]), 60, worker_queue)
    assert jobs[1].status == ImportStatus.READY and jobs[1].new_count == 1
    assert worker_queue.poll() is None  # the worker is alive

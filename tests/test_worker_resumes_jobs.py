"""On the zero-setup broker (files under var/), a task is forgotten once a worker
takes it: a worker killed mid-import left the job "Sedang diterapkan" for good.
The next worker to start hands out again what was left unfinished."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import TestCase

from accounts.models import Role
from cooperatives.imports import (
    import_job_create,
    import_job_preview,
    import_job_request_apply,
)
from cooperatives.models import Cooperative, ImportJob, ImportStatus
from cooperatives.tests.ods_testing import row, write_xlsx
from koperasi_registry.jobs import unfinished_jobs_resume
from lib.jobs import JobStatus
from lib.testing import missing_services, require_or_skip
from reports.models import ReportKind, ReportRun
from tests.personas import make_user

from .test_celery_worker import BASE_DIR, _database_url, stop_worker

CELERY = [sys.executable, "-m", "celery", "-A", "koperasi_registry"]


def previewed(tmp_path, staff, rows) -> ImportJob:
    path = write_xlsx(tmp_path / "ods.xlsx", rows)
    with path.open("rb") as upload:
        job = import_job_create(
            acting_user=staff, upload=upload, original_name=path.name, tahun_buku=None
        )
    job = import_job_preview(job_id=job.pk)
    assert job.status == ImportStatus.READY
    return job


def taken_and_lost(job: ImportJob, staff) -> None:
    """As a worker leaves it when it dies mid-apply: applying, tried once, and no
    message left in the queue."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.APPLYING, applied_by=staff, attempts=1
    )


class ResumeTests(TestCase):
    def test_unfinished_jobs_are_handed_out_again_and_finished(self):
        import tempfile
        from pathlib import Path

        staff = make_user("staf-lanjut", Role.STAFF)
        job = previewed(Path(tempfile.mkdtemp()), staff, [row("6471000000000901", "A")])
        taken_and_lost(job, staff)
        finished = previewed(
            Path(tempfile.mkdtemp()), staff, [row("6471000000000902", "B")]
        )
        export = ReportRun.objects.create(
            kind=ReportKind.REGISTRY_EXPORT, status=JobStatus.RUNNING, created_by=staff
        )
        with self.captureOnCommitCallbacks(execute=True):
            # The ready one waits for a person.
            assert unfinished_jobs_resume() == 2
        # Jobs that count no tries end with their reason, to be asked again.
        export.refresh_from_db()
        assert export.status == JobStatus.FAILED
        assert "Silakan minta lagi" in export.error
        job.refresh_from_db()
        assert (job.status, job.attempts) == (ImportStatus.APPLIED, 2)
        finished.refresh_from_db()
        assert finished.status == ImportStatus.READY
        assert Cooperative.objects.get().name == "A"


class UndoResumeTests(TestCase):
    def applied(self, nik: str) -> tuple[ImportJob, object]:
        import tempfile
        from pathlib import Path

        staff = make_user(f"staf-{nik[-3:]}", Role.STAFF)
        job = previewed(Path(tempfile.mkdtemp()), staff, [row(nik, "Koperasi Urung")])
        with self.captureOnCommitCallbacks(execute=True):
            import_job_request_apply(acting_user=staff, job=job)
        job.refresh_from_db()
        assert job.status == ImportStatus.APPLIED
        return job, staff

    def test_an_undo_asked_while_no_worker_ran_is_done_not_dropped(self):
        job, staff = self.applied("6471000000000911")
        # As the page leaves it when the worker is down: "Sedang dibatalkan", its
        # message waiting in the queue.
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.UNDOING, undone_by=staff
        )
        with self.captureOnCommitCallbacks(execute=True):
            assert unfinished_jobs_resume() == 1
        job.refresh_from_db()
        assert job.status == ImportStatus.UNDONE, job.error
        assert not Cooperative.objects.filter(nik="6471000000000911").exists()

    def test_an_undo_that_keeps_stopping_its_worker_ends_with_its_reason(self):
        job, staff = self.applied("6471000000000912")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.UNDOING, undone_by=staff, undo_report={"resumed": 2}
        )
        with self.captureOnCommitCallbacks(execute=True):
            assert unfinished_jobs_resume() == 1
        job.refresh_from_db()
        assert job.status == ImportStatus.APPLIED
        assert "terhenti 2 kali" in job.error
        assert Cooperative.objects.filter(nik="6471000000000912").exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_starting_on_the_file_broker_finishes_what_the_last_one_left(
    tmp_path,
):
    require_or_skip(missing_services())
    staff = make_user("staf-berkas", Role.STAFF)
    job = previewed(tmp_path, staff, [row("6471000000000903", "Koperasi Lanjut")])
    taken_and_lost(job, staff)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "filesystem://",
        "KOPERASI_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("ab") as log:
        worker = subprocess.Popen(
            [*CELERY, "worker", "--pool=solo", "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status != ImportStatus.APPLYING:
                    break
                assert worker.poll() is None, log_path.read_text()[-3000:]
                time.sleep(0.2)
            assert job.status == ImportStatus.APPLIED, log_path.read_text()[-3000:]
            assert job.attempts == 2
            assert Cooperative.objects.filter(name="Koperasi Lanjut").count() == 1
        finally:
            stop_worker(worker)

"""A real Celery worker process, on Redis, against PostgreSQL, runs an export job."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.models import Role
from koperasi_registry.celery import app as celery_app
from lib.testing import missing_services, require_or_skip
from reports.models import ReportKind, ReportRun, RunStatus
from reports.services import report_run_request
from tests.personas import make_cooperative, make_user

BASE_DIR = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Ask the worker to finish its task and stop; kill it after 20 s."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture
def worker_queue(tmp_path):
    require_or_skip(missing_services())
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "koperasi_registry",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        yield worker
    finally:
        celery_app.conf.task_default_queue = previous
        stop_worker(worker)
        log.close()
        # The worker's database connection must be gone before the test DB is flushed.
        print((tmp_path / "worker.log").read_text()[-3000:])


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_produces_the_export_a_user_asked_for(worker_queue):
    staff = make_user("staf-worker", Role.STAFF)
    for i in range(30):
        make_cooperative(f"Koperasi Pekerja {i:02d}", nik=f"64718{i:011d}")
    with transaction.atomic():
        run = report_run_request(
            acting_user=staff,
            kind=ReportKind.REGISTRY_EXPORT,
            file_format="xlsx",
            params={"q": ["Pekerja"]},
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (RunStatus.DONE, RunStatus.FAILED):
            break
        assert worker_queue.poll() is None, "the worker process died"
        time.sleep(0.3)
    assert run.status == RunStatus.DONE, run.error or run.status
    assert run.row_count == 30
    assert run.attempts == 1
    sheet = openpyxl.load_workbook(Path(settings.MEDIA_ROOT) / run.file.name).active
    assert sheet.max_row == 31
    assert ReportRun.objects.count() == 1

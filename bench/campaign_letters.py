"""500 ladder letters in one batch (target: under 2 minutes, peak memory under
500 MB): each letter rendered to its own PDF with WeasyPrint, numbered, with a QR
code and a one-time confirmation link, plus the combined PDF.

Uses a database of its own (``koperasi_bench_letters``, or
``BENCH_LETTERS_DATABASE_URL``) holding 600 cooperatives, 500 of them without a RAT
in the window (class C). Prints a Markdown table row.
"""

import os
import resource
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.registry_list import ensure_database  # noqa: E402

LETTERS = int(os.environ.get("BENCH_LETTERS", "500"))
# 0: run the batch in this process; N: a Celery worker with N processes.
WORKERS = int(os.environ.get("BENCH_LETTER_WORKERS", "2"))
DATABASE_URL = os.environ.get(
    "BENCH_LETTERS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/koperasi_bench_letters",
)


def main() -> None:
    ensure_database(DATABASE_URL, fresh=True)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koperasi_registry.settings")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", "/tmp/koperasi-bench-letters-media")
    import django
    from django.conf import settings

    django.setup()
    # Mail is rendered and handed to a backend, but not sent anywhere.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from campaigns.services import (
        campaign_create,
        campaign_open_execute,
        campaign_open_request,
    )
    from campaigns.services.letters import letter_job_execute, letter_job_request
    from cooperatives.models import Cooperative, Jenis, Kelurahan, Officer, Position

    kelurahan = list(Kelurahan.objects.all())
    coops = Cooperative.objects.bulk_create(
        Cooperative(
            name=f"Koperasi Surat {n}",
            address=f"Jl. Surat No. {n}",
            kelurahan=kelurahan[n % len(kelurahan)],
            jenis=Jenis.KONSUMEN,
            last_rat_year=2015 if n < LETTERS else 2025,
        )
        for n in range(LETTERS + 100)
    )
    Officer.objects.bulk_create(
        Officer(
            cooperative=c,
            name=f"Ketua {c.pk}",
            position=Position.KETUA,
            email=f"ketua{c.pk}@bench.invalid",
        )
        for c in coops
    )
    campaign = campaign_create(acting_user=None, year=2025)
    campaign_open_execute(
        job_id=campaign_open_request(acting_user=None, campaign=campaign).pk
    )
    campaign.refresh_from_db()
    from accounts.models import Role, User

    staff = User.objects.create_user(username="bench-staf", role=Role.STAFF)
    if WORKERS:
        elapsed, peak, job = _with_workers(staff, campaign)
    else:
        started = time.perf_counter()
        job = letter_job_request(
            acting_user=staff,
            campaign=campaign,
            kind="pemberitahuan",
            issued_on=timezone.localdate(),
            filters={},
        )
        job = letter_job_execute(job_id=job.pk)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    size = job.file.size // 1024
    print("| letters | workers | seconds | peak RSS (MB) | combined PDF (KB) |")
    print("|---:|---:|---:|---:|---:|")
    where = WORKERS or "in process"
    print(f"| {job.done} | {where} | {elapsed:.1f} | {peak} | {size:,} |")


def _rss_mb(root: int) -> tuple[int, int]:
    """Resident memory of a process and all its descendants, and of the largest
    of them, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            pages = int((entry / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        rss[int(entry.name)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        todo += children.get(pid, [])
    return total // (1024 * 1024), largest // (1024 * 1024)


def _with_workers(staff, campaign):  # type: ignore[no-untyped-def]
    """A real Celery worker with WORKERS processes takes the batch's parts; the
    peak is the sum over the worker's processes, sampled every 0.2 s."""
    import subprocess
    import uuid

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from campaigns import jobs
    from campaigns.services.letters import letter_job_request
    from koperasi_registry.celery import app

    settings.CAMPAIGN_LETTER_PARTS = WORKERS
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "CAMPAIGN_LETTER_PARTS": str(WORKERS)}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "koperasi_registry",
            "worker",
            "-c",
            str(WORKERS),
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app.conf.task_default_queue = queue
    try:
        time.sleep(5)  # the worker starts and imports Django
        peak = largest = 0
        started = time.perf_counter()
        with transaction.atomic():
            job = letter_job_request(
                acting_user=staff,
                campaign=campaign,
                kind="pemberitahuan",
                issued_on=timezone.localdate(),
                filters={},
            )
            jobs.enqueue(job)
        while True:
            total, biggest = _rss_mb(worker.pid)
            peak, largest = max(peak, total), max(largest, biggest)
            job.refresh_from_db()
            if job.status in ("done", "failed"):
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        assert job.status == "done", job.error
        return elapsed, f"{peak} (largest process {largest})", job
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()

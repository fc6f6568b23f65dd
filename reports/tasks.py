from datetime import timedelta

from celery import shared_task
from django.conf import settings

from .rekap.services import rekap_freeze_execute
from .services import (
    rat_reminders_send,
    report_run_execute,
    report_runs_purge,
)


@shared_task
def run_report(run_id: int) -> None:
    report_run_execute(run_id=run_id)


@shared_task
def purge_old_report_runs() -> int:
    return report_runs_purge(older_than=timedelta(days=settings.REPORT_RETENTION_DAYS))


@shared_task
def send_rat_reminders() -> int:
    """Daily (Celery beat, 07:00 Asia/Makassar). Safe to run again: each reminder
    is recorded once per cooperative, year and offset."""
    return rat_reminders_send()


@shared_task
def freeze_rekap(job_id: int) -> None:
    """Freeze a rekap snapshot (the job row records progress and outcome)."""
    rekap_freeze_execute(job_id=job_id)

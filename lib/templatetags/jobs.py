"""A note under a job that no worker has taken for a while: the worker or Redis
may have stopped. A job page had said "Menunggu… 0%" for minutes with no hint."""

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from lib.jobs import JobStatus

register = template.Library()

# A worker takes a job within seconds; one waiting longer than this is said to wait.
WAITING_NOTICE_AFTER = timedelta(minutes=2)


@register.inclusion_tag("_job_waiting.html")
def job_waiting(job: Any) -> dict[str, Any]:
    """``job``: any job row with ``status`` and ``created_at`` (an import, an
    export, a rekap's freeze, a campaign job)."""
    waiting = job.status == JobStatus.QUEUED and (
        timezone.now() - job.created_at > WAITING_NOTICE_AFTER
    )
    return {"waiting": waiting, "since": job.created_at}

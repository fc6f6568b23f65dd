"""Background work of a campaign. Each task takes a job id, calls the service, and
the service records progress and outcome on the CampaignJob row."""

from celery import shared_task

from .models import JobKind
from .services import campaign_open_execute, campaign_refresh
from .services.letters import letter_job_execute


@shared_task
def run_campaign_job(job_id: int, kind: str) -> None:
    if kind == JobKind.OPEN:
        campaign_open_execute(job_id=job_id)
    elif kind == JobKind.LETTERS:
        letter_job_execute(job_id=job_id)


@shared_task
def run_letter_part(job_id: int, part: int) -> None:
    letter_job_execute(job_id=job_id, part=part)


@shared_task
def refresh_running_campaign() -> int:
    """Every 15 minutes (Celery beat): safe to run again at any time."""
    return campaign_refresh()
